"""The decisions' background job: closing the silence procedures whose outcome became
final (the deadline passed in silence, or an objection broke it), every minute.

`procedures_close_due` closes each procedure once, under its lock: two workers, or a
retried run, record one closing and one act (whose notice tells the states).
"""

from secretariat.jobs.queue import crontab, periodic

from . import services


@periodic(crontab(minute="*"))
def close_due() -> None:
    services.procedures_close_due()
