"""Reads about treaties: which the user may read, and each one's status as of a day.

The status is derived by engine.status from the actions on record, never stored;
access follows the treaty's document (accounts.policy.documents_q).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from secretariat.accounts.policy import documents_q
from secretariat.core.prefetch import cited
from secretariat.figures.compare import Comparison, Computed, compare, known_by
from secretariat.figures.selectors import figures_of, key_of

from . import engine
from .models import Treaty, TreatyAction

# The largest id a database column holds: larger ones are missing, not an error.
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class TreatyStatus:
    """A treaty as of a day, with the reported figures known by then beside the computed ones."""

    treaty: Treaty
    status: engine.Status
    comparisons: tuple[Comparison, ...]

    @property
    def actors(self) -> dict:
        return {a.actor_id: a.actor for a in self.treaty.actions.all()}


def today() -> dt.date:
    return timezone.localdate()


def treaties_qs(*, detail: bool = False) -> QuerySet[Treaty]:
    actions = TreatyAction.objects.select_related("actor").order_by("date_date", "id")
    if detail:
        actions = actions.prefetch_related(cited())
    qs = Treaty.objects.select_related("document", "opened_at__body").prefetch_related(
        Prefetch("actions", queryset=actions),
        "opened_at__schedule",
    )
    if detail:
        qs = qs.prefetch_related(cited())
    return qs


def with_figures(treaties: list[Treaty], *, with_sources: bool = True) -> list[Treaty]:
    """The treaties, each with the figures sources report about it (`reported_figures`, in
    date order): one query for all, and with_sources one for their sources."""
    figures = figures_of(treaties, with_sources=with_sources)
    for treaty in treaties:
        treaty.reported_figures = figures.get(key_of(treaty), [])
    return treaties


def readable(qs: QuerySet[Treaty], user) -> QuerySet[Treaty]:
    """Only treaties whose document `user` may read."""
    return qs.filter(documents_q(user, "document__"))


def treaty_get(key_or_id: str, *, user) -> Treaty | None:
    """A readable treaty by its document's key or id (or the treaty's id), else None."""
    lookup = Q(document__key=key_or_id)
    if key_or_id.isdecimal() and 0 < int(key_or_id) <= MAX_ID:
        lookup |= Q(document__pk=int(key_or_id)) | Q(pk=int(key_or_id))
    found = list(readable(treaties_qs(detail=True), user).filter(lookup)[:2])
    if not found:
        return None
    # A key wins over an id; a document id over a treaty id.
    found.sort(key=lambda t: (t.document.key != key_or_id, t.document_id != _int(key_or_id)))
    return with_figures(found[:1])[0]


def _int(text: str) -> int | None:
    return int(text) if text.isdecimal() else None


def acts(treaty: Treaty) -> list[engine.Act]:
    return [a.as_act() for a in treaty.actions.all()]


def counts_on(recorded: list[engine.Act], rule: engine.Rule, day: dt.date) -> dict:
    """The treaty's counts on `day` from the recorded actions, as figures compare them."""
    counts = engine.status(recorded, rule=rule, at=day).counts
    return {k: Computed(f.value, f.low, f.high) for k, f in counts.items()}


def treaty_status(treaty: Treaty, *, at: dt.date | None = None) -> TreatyStatus:
    """The treaty as of `at` (default today), from its prefetched actions and the figures
    (`with_figures`; read now when not given): each figure known by `at` beside the counts
    on the last day of its date (figures.compare)."""
    at = at or today()
    names = {a.actor_id: a.actor.name_en for a in treaty.actions.all()}
    recorded = acts(treaty)
    rule = treaty.rule
    status = engine.status(recorded, rule=rule, at=at, name=lambda pk: names.get(pk, ""))
    if not hasattr(treaty, "reported_figures"):
        with_figures([treaty])
    known = known_by(treaty.reported_figures, at)
    comparisons = tuple(compare(known, lambda day: counts_on(recorded, rule, day)))
    return TreatyStatus(treaty, status, comparisons)


def treaties_list(*, user, at: dt.date | None = None) -> list[TreatyStatus]:
    """Every treaty the user may read, by symbol, each as of `at`: a constant number of queries."""
    at = at or today()
    readable_treaties = readable(treaties_qs(), user).order_by("document__symbol", "id")
    treaties = with_figures(list(readable_treaties), with_sources=False)
    return [treaty_status(t, at=at) for t in treaties]


def has_treaty(document) -> bool:
    """Whether the document is a treaty on record (its page links to the status table)."""
    return Treaty.objects.filter(document=document).exists()


def actor_treaty_actions(actor, *, user) -> list:
    """The actor's treaty actions, only on treaties whose document `user` may read."""
    return list(
        TreatyAction.objects.filter(actor=actor, treaty__in=readable(Treaty.objects.all(), user))
        .select_related("treaty__document")
        .prefetch_related(cited())
        .order_by("date_date", "id")
    )
