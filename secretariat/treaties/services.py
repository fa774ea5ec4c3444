"""Writes about treaties: the depositary facts, each state's actions, reported figures
(figures.services.figure_upsert about the treaty).

One function per verb, keyword-only, validated (rules.py through Model.clean) and
atomic. The loader calls them with the fields of the treaties.yaml format.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from secretariat.core.models import Source
from secretariat.core.partial_dates import PartialDate
from secretariat.figures.models import ReportedFigure
from secretariat.figures.services import figure_upsert
from secretariat.records.services import Outcome, record_delete, sourced_upsert

from . import rules
from .models import Treaty, TreatyAction

Variants = Iterable[Mapping[str, Any]]


def _locked(treaty: Treaty) -> Treaty:
    """The treaty as stored, locked: a state's actions are judged one write at a time."""
    return Treaty.objects.select_for_update().select_related("document").get(pk=treaty.pk)


def _parsed(value, field: str) -> PartialDate | None:
    if value is None or value == "":
        return None
    try:
        return PartialDate.parse(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


@transaction.atomic
def treaty_upsert(
    *,
    document,
    sources: Iterable[Source],
    depositary_en: str = "",
    depositary_ru: str = "",
    opened=None,
    opened_place_en: str = "",
    opened_place_ru: str = "",
    opened_at=None,
    parties: str = Treaty.Parties.MEMBER_STATES,
    eif_instruments: int | None = None,
    eif_kinds: Iterable[str] = (),
    eif_delay_days: int = 0,
    eif_later_delay_days: int | None = None,
    eif_text: str = "",
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[Treaty, Outcome]:
    """Create or update the depositary facts of a document (matched on the document)."""
    existing = Treaty.objects.filter(document=document).first()
    if existing is not None:
        _locked(existing)
    return sourced_upsert(
        Treaty,
        lookup={"document": document},
        values={
            "depositary_en": depositary_en,
            "depositary_ru": depositary_ru,
            "opened": _parsed(opened, "opened"),
            "opened_place_en": opened_place_en,
            "opened_place_ru": opened_place_ru,
            "opened_at": opened_at,
            "parties": parties,
            "eif_instruments": eif_instruments,
            "eif_kinds": list(eif_kinds or []),
            "eif_delay_days": eif_delay_days or 0,
            "eif_later_delay_days": eif_later_delay_days,
            "eif_text": eif_text,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )


@transaction.atomic
def treaty_action_upsert(
    *,
    treaty: Treaty,
    actor,
    kind: str,
    date,
    sources: Iterable[Source],
    effective=None,
    domestic_act_en: str = "",
    domestic_act_ru: str = "",
    domestic_act_date=None,
    statement: str = "",
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[TreatyAction, Outcome]:
    """Record a state's action (matched on treaty, actor, kind and date).

    The state's actions, with this one in its place by date, must hold together
    (rules.py); otherwise nothing is saved and the reason is given.
    """
    parsed = _parsed(date, "date")
    if parsed is None:
        raise ValidationError({"date": "Give the date of the signature or of the deposit."})
    treaty = _locked(treaty)
    return sourced_upsert(
        TreatyAction,
        lookup={
            "treaty": treaty,
            "actor": actor,
            "kind": kind,
            "date_date": parsed.earliest,
            "date_precision": parsed.precision.value,
        },
        values={
            "effective": _parsed(effective, "effective"),
            "domestic_act_en": domestic_act_en,
            "domestic_act_ru": domestic_act_ru,
            "domestic_act_date": _parsed(domestic_act_date, "domestic_act_date"),
            "statement": statement,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )


@transaction.atomic
def treaty_action_add(
    *,
    treaty: Treaty,
    actor,
    kind: str,
    date,
    sources: Iterable[Source],
    effective=None,
    domestic_act_en: str = "",
    domestic_act_ru: str = "",
    domestic_act_date=None,
    statement: str = "",
    note: str = "",
) -> TreatyAction:
    """Record a new action of a state; the same action on the same date, already on record,
    is refused rather than overwritten (treaty_action_upsert is the loader's way to update
    one)."""
    parsed = _parsed(date, "date")
    if parsed is not None and TreatyAction.objects.filter(
        treaty=treaty, actor=actor, kind=kind,
        date_date=parsed.earliest, date_precision=parsed.precision.value,
    ).exists():  # fmt: skip
        message = _("This action of %(actor)s on %(date)s is already on record.")
        raise ValidationError({"kind": message % {"actor": actor, "date": parsed.isoformat()}})
    action, _outcome = treaty_action_upsert(
        treaty=treaty, actor=actor, kind=kind, date=parsed, sources=sources,
        effective=effective, domestic_act_en=domestic_act_en, domestic_act_ru=domestic_act_ru,
        domestic_act_date=domestic_act_date, statement=statement, note=note,
    )  # fmt: skip
    return action


@transaction.atomic
def treaty_action_delete(*, action: TreatyAction) -> None:
    """Delete an action entered in error, unless another of the state's actions rests on it."""
    _locked(action.treaty)
    rules.check_removal(action)
    record_delete(action)


@transaction.atomic
def reported_figure_upsert(
    *,
    treaty: Treaty,
    metric: str,
    as_of,
    value: int,
    sources: Iterable[Source],
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[ReportedFigure, Outcome]:
    """Record a figure a source reports without names (matched on treaty, metric, as_of):
    figures.services.figure_upsert about the treaty, the metric its measure."""
    return figure_upsert(
        subject=treaty,
        measure=metric,
        as_of=as_of,
        value=value,
        sources=sources,
        note=note,
        editorial_note=editorial_note,
        variants=variants,
    )
