"""Acts become notices: once an act's transaction commits, its announcement is handed
to the worker (the sweep catches an act whose hand-over failed)."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from secretariat.audit.acts import act_committed

from .tasks import announce_act

logger = logging.getLogger(__name__)


@receiver(act_committed, dispatch_uid="notices.announce")
def _announce(sender, act, **kwargs) -> None:

    try:
        announce_act(act.pk)
    except Exception:
        logger.exception("Could not hand the announcement of act %s to the queue", act.pk)
