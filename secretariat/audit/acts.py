"""Recording the organization's acts in the system, and telling the apps once committed.

A write service that performs an act (circulating a draft, opening a procedure...)
calls `act_record` in its transaction; once that transaction commits, `act_committed`
is sent, and the notices app turns the act into notices. An act the Secretariat
performs in the system is sourced by the act itself (`act_source`).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.formats import date_format

from secretariat.core import acting
from secretariat.records.services import source_for_record

from .models import Act
from .trail import _who

# Sent once the transaction that recorded an act has committed: `act` (an Act).
act_committed = Signal()

# Writes arriving through these doors load the record's history: they are not acts.
HISTORY_CHANNELS = frozenset({"loader", "import"})


def act_record(*, verb: str, record: models.Model) -> Act | None:
    """Record that `verb` was done to `record` now, by whoever is acting (None while the
    record's history is being loaded)."""
    if acting.current().via in HISTORY_CHANNELS:
        return None
    user, who, via, _reason = _who()
    act = Act.objects.create(
        verb=verb,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        at=timezone.now(),
        user=user,
        who=who[:150],
        via=via[:10],
    )
    transaction.on_commit(lambda: act_committed.send(sender=Act, act=act), robust=True)
    return act


def act_retarget(act: Act, record: models.Model) -> None:
    """Name the record an act made, once it exists (a circulation cites its act, so the
    act comes first): only inside the transaction that recorded the act."""
    act.content_type = ContentType.objects.get_for_model(record)
    act.object_id = record.pk
    act.save(update_fields=["content_type", "object_id"])


def act_source(act: Act):
    """The source that stands for the act: the record of who did what, when, here."""

    day = date_format(timezone.localtime(act.at), "j F Y")
    what = act.get_verb_display()
    title = f"Secretariat record: {what[0].upper()}{what[1:]} in the system on {day}"
    return source_for_record(record=act, title=title)
