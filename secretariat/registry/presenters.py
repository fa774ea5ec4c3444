"""Plain-data views of actors, statuses and posts, shared by the API and the CLI."""

from __future__ import annotations

from typing import Any

from secretariat.core.partial_dates import Certainty
from secretariat.core.presenters import partial, sources
from secretariat.figures.answers import ReportedFigureOut

from .models import Actor, Chairmanship, SecretariatHead
from .selectors import Holder, Overview, StatusAt, Troika, decided_on


def actor_ref(actor: Actor) -> dict[str, Any]:
    return {
        "slug": actor.slug,
        "kind": actor.kind,
        "name": actor.name_en,
        "name_ru": actor.name_ru or None,
        "short_name": actor.short_name_en or None,
        "iso2": actor.iso2 or None,
        "iso3": actor.iso3 or None,
    }


def meeting_ref(meeting) -> dict[str, Any] | None:
    if meeting is None:
        return None
    return {"key": meeting.key, "id": meeting.pk, "title": meeting.display_title()}


def status_dict(item: StatusAt, *, with_actor: bool = False) -> dict[str, Any]:
    s = item.status
    data = {
        "kind": s.kind,
        "label": s.get_kind_display(),
        "start": partial(s.start),
        "end": partial(s.end),
        "holds": item.certainty.value,
        "ordinal": None,
        "decided_at": meeting_ref(s.decided_at),
        "applied_for": s.applied_for or None,
        "outcome": s.outcome or None,
        "note": s.note or None,
        "sources": sources(s),
    }
    if item.ordinal is not None:
        data["ordinal"] = {
            "number": item.ordinal.number,
            "upto": item.ordinal.upto,
            "exact": item.ordinal.exact,
            "label": item.ordinal.label,
        }
    if with_actor:
        data["actor"] = actor_ref(s.actor)
    return data


def chairmanship_dict(term: Chairmanship) -> dict[str, Any]:
    return {
        "actor": actor_ref(term.actor),
        "kind": term.kind,
        "start": partial(term.start),
        "end": partial(term.end),
        "decided_at": meeting_ref(term.decided_at),
        "decided_on": partial(decided_on(term)),
        "taken_over_at": meeting_ref(term.taken_over_at),
        "note": term.note or None,
        "sources": sources(term),
    }


def head_dict(term: SecretariatHead) -> dict[str, Any]:
    person = term.person
    return {
        "person": {
            "slug": person.slug,
            "name": person.name_en,
            "name_ru": person.name_ru or None,
            "nationality": actor_ref(person.nationality) if person.nationality else None,
        },
        "title": term.title,
        "title_label": term.get_title_display(),
        "start": partial(term.start),
        "end": partial(term.end),
        "appointed_at": meeting_ref(term.appointed_at),
        "note": term.note or None,
        "sources": sources(term),
    }


def holder_dict(holder: Holder) -> dict[str, Any]:
    term = holder.term
    if isinstance(term, Chairmanship):
        data = chairmanship_dict(term)
        data["name"] = term.actor.name_en
    else:
        data = head_dict(term)
        data["name"] = term.person.name_en
    data["certain"] = holder.certain
    return data


def group_dict(items: list[StatusAt]) -> dict[str, Any]:
    certain = [i for i in items if i.certainty is Certainty.YES]
    return {
        "count": len(certain),
        "uncertain": len(items) - len(certain),
        "items": [
            {
                **actor_ref(i.status.actor),
                "since": partial(i.status.start),
                "ordinal": i.ordinal.label if i.ordinal else None,
                "certain": i.certainty is Certainty.YES,
            }
            for i in items
        ],
    }


def troika_dict(troika: Troika) -> dict[str, Any]:
    def ref(term):
        if term is None:
            return None
        return {
            **actor_ref(term.actor),
            "start": partial(term.start),
            "decided_on": partial(decided_on(term)),
        }

    return {
        "previous": ref(troika.previous),
        "current": [
            {**actor_ref(h.term.actor), "start": partial(h.term.start), "certain": h.certain}
            for h in troika.current
        ],
        "next": ref(troika.next),
    }


def overview_dict(view: Overview) -> dict[str, Any]:
    org = view.organization
    return {
        "at": view.at,
        "organization": {"name": org.name_en, "short_name": org.short_name_en} if org else None,
        "members": group_dict(view.members),
        "observers": group_dict(view.observers),
        "partners": group_dict(view.partners),
        "chair": [holder_dict(h) for h in view.chair],
        "troika": troika_dict(view.troika),
        "head": [holder_dict(h) for h in view.head],
        "reported": [ReportedFigureOut.build(c) for c in view.figures],
    }
