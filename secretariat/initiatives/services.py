"""Writes about initiatives, institutions' records and partnerships: one function per verb.

Every write is an upsert on the record's natural key, so the loader and the admin
call the same functions; refusals are ValidationErrors with a message for people.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from secretariat.bodies.models import Body, Meeting
from secretariat.core.models import Source
from secretariat.core.partial_dates import PartialDate
from secretariat.figures.models import Measure, ReportedFigure
from secretariat.figures.services import figure_upsert
from secretariat.records.services import Outcome, links_set, sourced_upsert
from secretariat.registry.models import Actor, Chairmanship

from . import transitions
from .models import (
    Expectation,
    ExpectationResponse,
    FundContribution,
    FundProject,
    Initiative,
    InitiativeEvent,
    Partnership,
    PartnershipEvent,
    Priorities,
)

Variants = Iterable[Mapping[str, Any]]


def _dated(name: str, value: PartialDate | str) -> dict[str, Any]:
    parsed = PartialDate.parse(value)
    return {f"{name}_date": parsed.earliest, f"{name}_precision": parsed.precision.value}


def _m2m_set(instance: models.Model, name: str, items: Iterable, outcome: Outcome) -> Outcome:
    if links_set(record=instance, field=name, targets=items):
        return Outcome.UPDATED if outcome is Outcome.UNCHANGED else outcome
    return outcome


@transaction.atomic
def priorities_upsert(
    *,
    slug: str,
    title_en: str,
    sources: Iterable[Source],
    title_ru: str = "",
    chairmanship: Chairmanship | None = None,
    start: PartialDate | str | None = None,
    end: PartialDate | str | None = None,
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[Priorities, Outcome]:
    """Create or update a chairmanship's set of priorities (matched on slug)."""
    return sourced_upsert(
        Priorities,
        lookup={"slug": slug},
        values={
            "title_en": title_en,
            "title_ru": title_ru,
            "chairmanship": chairmanship,
            "start": start,
            "end": end,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )


@transaction.atomic
def initiative_upsert(
    *,
    slug: str,
    title_en: str,
    sources: Iterable[Source],
    title_ru: str = "",
    kind: str = Initiative.Kind.INITIATIVE,
    proposer_actor: Actor | None = None,
    proposer_chairmanship: Chairmanship | None = None,
    proposer_body: Body | None = None,
    launched_at: Meeting | None = None,
    priorities: Iterable[Priorities] = (),
    meetings: Iterable[Meeting] = (),
    documents: Iterable = (),
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[Initiative, Outcome]:
    """Create or update the initiative with this slug, with its links."""
    initiative, outcome = sourced_upsert(
        Initiative,
        lookup={"slug": slug},
        values={
            "title_en": title_en,
            "title_ru": title_ru,
            "kind": kind,
            "proposer_actor": proposer_actor,
            "proposer_chairmanship": proposer_chairmanship,
            "proposer_body": proposer_body,
            "launched_at": launched_at,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )
    outcome = _m2m_set(initiative, "priorities", priorities, outcome)
    outcome = _m2m_set(initiative, "meetings", meetings, outcome)
    outcome = _m2m_set(initiative, "documents", documents, outcome)
    return initiative, outcome


@transaction.atomic
def initiative_event_upsert(
    *,
    initiative: Initiative,
    kind: str,
    date: PartialDate | str,
    sources: Iterable[Source],
    meeting: Meeting | None = None,
    document=None,
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[InitiativeEvent, Outcome]:
    """Record a step of the initiative (matched on initiative, kind and date).

    Refused when it would make an impossible move in the pipeline (see transitions.py).
    """
    lookup = {"initiative": initiative, "kind": kind, **_dated("date", date)}
    Initiative.objects.select_for_update().filter(pk=initiative.pk).first()
    others = [
        ((e.date.earliest, e.date.latest, transitions.rank(e.kind)), e.kind)
        for e in initiative.events.exclude(**{k: v for k, v in lookup.items() if k != "initiative"})
    ]
    parsed = PartialDate.parse(date)
    if kind in transitions.STATUSES:
        transitions.check_sequence(
            [*others, ((parsed.earliest, parsed.latest, transitions.rank(kind)), kind)],
            what=f"the history of '{initiative.slug}'",
        )
    return sourced_upsert(
        InitiativeEvent,
        lookup=lookup,
        values={
            "meeting": meeting,
            "document": document,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )


@transaction.atomic
def expectation_upsert(
    *,
    initiative: Initiative,
    position: int,
    text_en: str,
    sources: Iterable[Source],
    text_ru: str = "",
    addressees: Iterable[Actor] | None = None,
    due: PartialDate | str | None = None,
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[Expectation, Outcome]:
    """What is expected from member states: all of them (addressees None) or those listed."""
    addressees = None if addressees is None else list(addressees)
    if addressees is not None:
        if not addressees:
            raise ValidationError({"addressees": "Name the states asked, or ask all of them."})
        wrong = [a for a in addressees if a.kind != Actor.Kind.STATE]
        if wrong:
            raise ValidationError({"addressees": f"{wrong[0]} is not a state."})
    expectation, outcome = sourced_upsert(
        Expectation,
        lookup={"initiative": initiative, "position": position},
        values={
            "text_en": text_en,
            "text_ru": text_ru,
            "from_all": addressees is None,
            "due": due,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )
    return expectation, _m2m_set(expectation, "addressees", addressees or (), outcome)


@transaction.atomic
def expectation_response_upsert(
    *,
    expectation: Expectation,
    actor: Actor,
    date: PartialDate | str,
    sources: Iterable[Source],
    text_en: str = "",
    text_ru: str = "",
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[ExpectationResponse, Outcome]:
    """Record one state's response (matched on expectation, actor and date).

    Refused from a state that was not asked.
    """
    if actor.kind != Actor.Kind.STATE:
        raise ValidationError({"actor": f"{actor} is not a state: only states are asked."})
    if not expectation.from_all and not expectation.addressees.filter(pk=actor.pk).exists():
        raise ValidationError(
            {
                "actor": f"{actor} was not asked: '{expectation.text_en}' is addressed to "
                f"{', '.join(a.name_en for a in expectation.addressees.all())}."
            }
        )
    return sourced_upsert(
        ExpectationResponse,
        lookup={"expectation": expectation, "actor": actor, **_dated("date", date)},
        values={
            "text_en": text_en,
            "text_ru": text_ru,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )


def _fund(body: Body) -> Body:
    if body.kind != Body.Kind.INSTITUTION:
        raise ValidationError({"fund": f"{body} is not an institution."})
    return body


@transaction.atomic
def fund_project_upsert(
    *,
    fund: Body,
    title_en: str,
    sources: Iterable[Source],
    title_ru: str = "",
    proposer: Actor | None = None,
    status: str = FundProject.Status.PROPOSED,
    start: PartialDate | str | None = None,
    end: PartialDate | str | None = None,
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[FundProject, Outcome]:
    """Create or update a fund's project (matched on fund and title)."""
    return sourced_upsert(
        FundProject,
        lookup={"fund": _fund(fund), "title_en": title_en},
        values={
            "title_ru": title_ru,
            "proposer": proposer,
            "status": status,
            "start": start,
            "end": end,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )


@transaction.atomic
def fund_contribution_upsert(
    *,
    fund: Body,
    actor: Actor,
    date: PartialDate | str,
    sources: Iterable[Source],
    amount: Decimal | int | str | None = None,
    currency: str = "",
    in_kind_en: str = "",
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[FundContribution, Outcome]:
    """Record a contribution to a fund (matched on fund, actor and date)."""
    return sourced_upsert(
        FundContribution,
        lookup={"fund": _fund(fund), "actor": actor, **_dated("date", date)},
        values={
            "amount": None if amount is None else Decimal(str(amount)),
            "currency": currency.upper(),
            "in_kind_en": in_kind_en,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )


@transaction.atomic
def reported_count_upsert(
    *,
    body: Body,
    as_of: PartialDate | str,
    value: int,
    sources: Iterable[Source],
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[ReportedFigure, Outcome]:
    """Record a reported number of meetings held (matched on body and date):
    figures.services.figure_upsert about the body, measure meetings_held."""
    return figure_upsert(
        subject=body,
        measure=Measure.MEETINGS_HELD,
        as_of=as_of,
        value=value,
        sources=sources,
        note=note,
        editorial_note=editorial_note,
        variants=variants,
    )


@transaction.atomic
def partnership_upsert(
    *,
    actor: Actor,
    sources: Iterable[Source],
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[Partnership, Outcome]:
    """Create or update the partnership with this organization (a state is refused)."""
    return sourced_upsert(
        Partnership,
        lookup={"actor": actor},
        values={"note": note, "editorial_note": editorial_note},
        sources=sources,
        variants=variants,
    )


@transaction.atomic
def partnership_event_upsert(
    *,
    partnership: Partnership,
    kind: str,
    date: PartialDate | str,
    sources: Iterable[Source],
    meeting: Meeting | None = None,
    body: Body | None = None,
    document=None,
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[PartnershipEvent, Outcome]:
    """Record a step of a partnership (matched on partnership, kind and date)."""
    lookup = {"partnership": partnership, "kind": kind, **_dated("date", date)}
    parsed = PartialDate.parse(date)
    others = [
        ((e.date.earliest, e.date.latest, transitions.rank(e.kind, transitions.STAGES)), e.kind)
        for e in partnership.events.exclude(
            kind=kind, date_date=parsed.earliest, date_precision=parsed.precision.value
        )
    ]
    if kind in transitions.STAGES:
        key = (parsed.earliest, parsed.latest, transitions.rank(kind, transitions.STAGES))
        transitions.check_sequence(
            [*others, (key, kind)],
            allowed=transitions.STAGES_ALLOWED,
            what=f"the partnership with {partnership.actor}",
        )
    return sourced_upsert(
        PartnershipEvent,
        lookup=lookup,
        values={
            "meeting": meeting,
            "body": body,
            "document": document,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )
