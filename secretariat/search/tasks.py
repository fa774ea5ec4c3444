"""The search index's background jobs: the catch-up (search.catchup).

Entries are written with their records, so the jobs usually find nothing to do. The
queue of records whose indexing failed is looked at often (an empty table costs
nothing); the search for records out of step reads every record, so it runs hourly.
Run twice at once, both index the same records: indexing is an upsert.
"""

from secretariat.jobs.queue import crontab, periodic

from . import catchup


@periodic(crontab(minute="*/5"))
def index_queued() -> None:
    catchup.index_queued()


@periodic(crontab(minute="41"))
def catch_up() -> None:
    catchup.catch_up()
