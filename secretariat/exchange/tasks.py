"""The exchange's background job: the staging folders of killed imports, dealt with.

An import deals with them as it starts (exchange.staging.remove_stale); this daily run
covers a site where no import follows for a long time. Run twice at once, the second
finds the folders gone.
"""

from secretariat.jobs.queue import crontab, periodic

from . import staging


@periodic(crontab(minute="23", hour="3"))
def remove_stale_staging() -> None:
    staging.remove_stale()
