"""Reads about actors, statuses and posts, as of any date.

Every question "who was X on date D" is answered here and only here. Dates
follow the rule in secretariat.core.partial_dates: an answer that rests on a
partial date whose window contains D is marked uncertain.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from secretariat.accounts import policy
from secretariat.core.models import Organization
from secretariat.core.ordinals import ordinal_en
from secretariat.core.partial_dates import Certainty, PartialDate, holds_on, q_holds_on
from secretariat.core.prefetch import cited
from secretariat.figures.compare import (
    Comparison,
    Computed,
    compare,
    known_by,
    latest_statement,
)
from secretariat.figures.models import Measure
from secretariat.figures.selectors import figures_for

from .models import Actor, Chairmanship, OrdinalSeries, SecretariatHead, Status

# Statuses that carry an ordinal ("28th Member State"): the standings an actor holds.
ORDINAL_KINDS = (
    Status.Kind.MEMBER,
    Status.Kind.OBSERVER,
    Status.Kind.PARTNER,
    Status.Kind.DIALOGUE_PARTNER,
)
# Without an OrdinalSeries, states and organizations are numbered apart.
DEFAULT_NOUNS = {
    (Status.Kind.OBSERVER, Actor.Kind.ORGANIZATION): "Observer Organization",
    (Status.Kind.PARTNER, Actor.Kind.STATE): "Partner State",
}


def _series_map() -> dict[tuple[str, str], tuple[str, str]]:
    """(status kind, actor kind) -> (series key, noun), from the organization's series."""
    mapping = {}
    for series in OrdinalSeries.objects.all():
        for kind in series.status_kinds:
            mapping[kind, series.actor_kind] = (series.slug, series.label_en)
    return mapping


@dataclass(frozen=True)
class Ordinal:
    """A status's place in the order of starts: `number`, or a range when it cannot be told.

    The range is `number`..`upto`: other statuses started on the same day (a tie)
    or within a partial date's window (uncertain order).
    """

    number: int
    upto: int
    noun: str

    @property
    def exact(self) -> bool:
        return self.number == self.upto

    @property
    def label(self) -> str:
        noun = self.noun
        if self.exact:
            return f"{ordinal_en(self.number)} {noun}"
        return f"{ordinal_en(self.number)}-{ordinal_en(self.upto)} {noun}"


@dataclass(frozen=True)
class StatusAt:
    """A status as seen on a date, with its ordinal and whether it certainly held."""

    status: Status
    certainty: Certainty
    ordinal: Ordinal | None


@dataclass(frozen=True)
class Holder:
    """Who holds a post on a date; `certain` False when a partial date blurs the handover."""

    term: Chairmanship | SecretariatHead
    certain: bool


@dataclass
class Troika:
    """The previous, current and next chair (consecutive terms of one state count once)."""

    previous: Chairmanship | None = None
    current: list[Holder] = field(default_factory=list)
    next: Chairmanship | None = None


@dataclass
class Overview:
    """The organization as of a date."""

    at: dt.date
    organization: Organization | None
    members: list[StatusAt]
    observers: list[StatusAt]
    partners: list[StatusAt]
    chair: list[Holder]
    troika: Troika
    head: list[Holder]
    # The figures sources give of members, observers and partners, nearest the date, each
    # beside the count on its own date.
    figures: list[Comparison] = field(default_factory=list)


def today() -> dt.date:
    return timezone.localdate()


def ordinals_for(kinds: Iterable[str]) -> dict[int, Ordinal]:
    """The ordinal of every status of these kinds, keyed by status id (two queries).

    The rule: a status's ordinal is its place among the statuses of its series
    (by default, its kind held by actors of its actor's kind; see OrdinalSeries)
    that were still held when it began, itself included. "10th Observer" means
    that the observers numbered ten once it joined: those who had left before, as
    observers who became members, are not counted, as in the organization's own
    usage. Where a start or an end is a partial date, or two statuses began the
    same day, the place is a range `number`..`upto`, never a guess.
    """
    series = _series_map()
    wanted = set(kinds)
    # A series numbers several kinds together: fetch all of them.
    keys = {key for (k, _), (key, _) in series.items() if k in wanted}
    wanted |= {k for (k, _), (key, _) in series.items() if key in keys}
    rows = Status.objects.filter(kind__in=wanted).values_list(
        "id", "kind", "actor__kind", "start_date", "start_precision", "end_date", "end_precision"
    )
    groups: dict[str, list[tuple[int, PartialDate, PartialDate | None]]] = defaultdict(list)
    nouns: dict[str, str] = {}
    for pk, kind, actor_kind, first, precision, end_first, end_precision in rows:
        key, noun = series.get((kind, actor_kind)) or (
            f"{kind}/{actor_kind}",
            DEFAULT_NOUNS.get((kind, actor_kind)) or Status.Kind(kind).label,
        )
        nouns[key] = noun
        start = PartialDate.from_parts(first, precision)
        end = PartialDate.from_parts(end_first, end_precision) if end_first else None
        groups[key].append((pk, start, end))
    result = {}
    for key, spans in groups.items():
        for pk, start, _ in spans:
            certain = possible = 0
            for other, o_start, o_end in spans:
                if other == pk:
                    continue
                if o_start.latest < start.earliest and (
                    o_end is None or o_end.earliest > start.latest
                ):
                    certain += 1
                if o_start.earliest <= start.latest and (
                    o_end is None or o_end.latest > start.earliest
                ):
                    possible += 1
            result[pk] = Ordinal(number=1 + certain, upto=1 + possible, noun=nouns[key])
    return result


def statuses_qs() -> QuerySet[Status]:
    # A meeting reference is titled from its body and schedule when it has no title.
    return Status.objects.select_related("actor", "decided_at__body").prefetch_related(
        cited(), "decided_at__schedule"
    )


def members_ever() -> QuerySet[Status]:
    """Every membership on record, with its actor: for judging many days at once."""
    return Status.objects.filter(kind=Status.Kind.MEMBER).select_related("actor")


def statuses_at(
    at: dt.date, *, kind: str | None = None, actor_kind: str | None = None
) -> list[StatusAt]:
    """Statuses held (certainly or possibly) on `at`, ordered by start then name."""
    qs = statuses_qs().filter(q_holds_on("start", "end", at))
    if kind:
        qs = qs.filter(kind=kind)
    if actor_kind:
        qs = qs.filter(actor__kind=actor_kind)
    rows = list(qs.order_by("start_date", "actor__name_en"))
    ordinals = ordinals_for({s.kind for s in rows} & set(ORDINAL_KINDS))
    return [
        StatusAt(status=s, certainty=holds_on(s.start, s.end, at), ordinal=ordinals.get(s.pk))
        for s in rows
    ]


def actor_get(slug: str) -> Actor | None:
    """The actor with this slug, with its statuses and chairmanships prefetched."""
    return (
        Actor.objects.filter(slug=slug)
        .prefetch_related(
            cited(),
            "variants__sources",
            Prefetch("statuses", queryset=statuses_qs().prefetch_related("variants__sources")),
            Prefetch(
                "chairmanships",
                queryset=Chairmanship.objects.select_related("decided_at", "taken_over_at"),
            ),
        )
        .first()
    )


def actor_history(actor: Actor, *, at: dt.date | None = None) -> list[StatusAt]:
    """All statuses of an actor, each with its ordinal and whether it held on `at`."""
    at = at or today()
    statuses = sorted(actor.statuses.all(), key=lambda s: s.start)
    ordinals = ordinals_for({s.kind for s in statuses} & set(ORDINAL_KINDS))
    return [
        StatusAt(status=s, certainty=holds_on(s.start, s.end, at), ordinal=ordinals.get(s.pk))
        for s in statuses
    ]


def _holders(terms, at: dt.date, *, key) -> list[Holder]:
    """Terms that hold on `at`: the certain one, or every possible one, marked uncertain.

    Back-to-back terms of one holder (a renewal: the first ends on the partial date
    the next starts) are judged as one span, so that a blurred date between them
    does not make the holder uncertain, only which of its terms it was.
    """
    judged: list[tuple] = []
    for run in _runs(terms, key=key, contiguous=True):
        certainty = holds_on(run[0].start, run[-1].end, at)
        if certainty is Certainty.NO:
            continue
        inner = [(t, holds_on(t.start, t.end, at)) for t in run]
        term = next((t for t, c in inner if c is Certainty.YES), None) or next(
            t for t, c in inner if c is not Certainty.NO
        )
        judged.append((term, certainty))
    certain = [t for t, c in judged if c is Certainty.YES]
    if certain:
        return [Holder(term=t, certain=True) for t in certain]
    return [Holder(term=t, certain=False) for t, _ in judged]


def _runs(terms: list, *, key, contiguous: bool = False) -> list[list]:
    """Consecutive terms of one holder, grouped (with contiguous=True, only back-to-back ones)."""
    runs: list[list] = []
    for term in terms:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and key(last) == key(term)
            and (not contiguous or last.end == term.start)
        ):
            runs[-1].append(term)
        else:
            runs.append([term])
    return runs


def _chair_key(term: Chairmanship) -> int:
    return term.actor_id


def _head_key(term: SecretariatHead) -> int:
    return term.person_id


def chairmanships() -> list[Chairmanship]:
    return list(
        Chairmanship.objects.select_related("actor", "decided_at__body", "taken_over_at__body")
        .prefetch_related(cited(), "decided_at__schedule", "taken_over_at__schedule")
        .order_by("start_date")
    )


def chair_at(at: dt.date) -> list[Holder]:
    """The chair on `at` (several, marked uncertain, when a partial date blurs a handover)."""
    return _holders(chairmanships(), at, key=_chair_key)


def troika_at(at: dt.date, *, terms: list[Chairmanship] | None = None) -> Troika:
    """Previous, current and next chair on `at`.

    The next chair is known on `at` only if its term was decided by then: a term
    whose deciding meeting is recorded and took place later is not yet known.
    """
    terms = chairmanships() if terms is None else terms
    current = _holders(terms, at, key=_chair_key)
    troika = Troika(current=current)
    if not current:
        started = [t for t in terms if t.start.latest <= at]
        troika.previous = started[-1] if started else None
        upcoming = [t for t in terms if t.start.earliest > at and _decided_by(t, at)]
        troika.next = upcoming[0] if upcoming else None
        return troika
    runs = _runs(terms, key=_chair_key)
    current_ids = {h.term.pk for h in current}
    index = next(i for i, run in enumerate(runs) if any(t.pk in current_ids for t in run))
    if index > 0:
        troika.previous = runs[index - 1][-1]
    if index + 1 < len(runs) and _decided_by(runs[index + 1][0], at):
        troika.next = runs[index + 1][0]
    return troika


def decided_on(term: Chairmanship) -> PartialDate | None:
    """When the term was decided: its recorded date, else its deciding meeting's date."""
    if term.decided_on is not None:
        return term.decided_on
    when = term.decided_at.standing_entry() if term.decided_at else None
    return when.start if when else None


def _decided_by(term: Chairmanship, at: dt.date) -> bool:
    """Whether the term was known on `at`: decided by then, or the record does not say when."""
    decided = decided_on(term)
    return decided is None or decided.latest <= at


def heads() -> list[SecretariatHead]:
    return list(
        SecretariatHead.objects.select_related("person__nationality", "appointed_at__body")
        .prefetch_related(cited(), "appointed_at__schedule")
        .order_by("start_date")
    )


def head_at(at: dt.date) -> list[Holder]:
    """The head of the Secretariat on `at`."""
    return _holders(heads(), at, key=_head_key)


def overview_at(at: dt.date | None = None) -> Overview:
    """Members, observers, partners, chair, troika and head of the Secretariat on `at`, with
    the figures sources give of members, observers and partners nearest that day."""
    at = at or today()
    held = statuses_at(at)
    terms = chairmanships()
    organization = Organization.objects.first()
    return Overview(
        at=at,
        organization=organization,
        members=[s for s in held if s.status.kind == Status.Kind.MEMBER],
        observers=[s for s in held if s.status.kind == Status.Kind.OBSERVER],
        partners=[s for s in held if s.status.kind == Status.Kind.PARTNER],
        chair=_holders(terms, at, key=_chair_key),
        troika=troika_at(at, terms=terms),
        head=head_at(at),
        figures=organization_figures(organization, at),
    )


# --- Counts of members, observers, partners, and the figures sources give beside them ---

# Which statuses each measure of the organization counts: (status kind, actor kind or None).
STANDING_MEASURES = {
    Measure.MEMBERS: (Status.Kind.MEMBER, None),
    Measure.OBSERVERS: (Status.Kind.OBSERVER, None),
    Measure.OBSERVER_STATES: (Status.Kind.OBSERVER, Actor.Kind.STATE),
    Measure.OBSERVER_ORGANIZATIONS: (Status.Kind.OBSERVER, Actor.Kind.ORGANIZATION),
    Measure.PARTNERS: (Status.Kind.PARTNER, None),
}


def standing_counter():
    """A function of a day giving, by measure, how many held each standing that day (by the
    rule of statuses_at: `value` certainly, up to `high` possibly), from one query."""
    kinds = {kind for kind, _ in STANDING_MEASURES.values()}
    rows = [
        (
            kind,
            actor_kind,
            PartialDate.from_parts(first, precision),
            PartialDate.from_parts(end_first, end_precision) if end_first else None,
        )
        for kind, actor_kind, first, precision, end_first, end_precision in Status.objects.filter(
            kind__in=kinds
        ).values_list(
            "kind", "actor__kind", "start_date", "start_precision", "end_date", "end_precision"
        )
    ]

    def counts(day: dt.date) -> dict[str, Computed]:
        result = {}
        for measure, (kind, actor_kind) in STANDING_MEASURES.items():
            held = [
                holds_on(start, end, day)
                for k, a, start, end in rows
                if k == kind and (actor_kind is None or a == actor_kind)
            ]
            certain = held.count(Certainty.YES)
            result[measure] = Computed.of(certain, held.count(Certainty.UNCERTAIN))
        return result

    return counts


def standing_counts(day: dt.date) -> dict[str, Computed]:
    """Members, observers (states, organizations) and partners on `day`, by measure."""
    return standing_counter()(day)


def organization_figures(
    organization: Organization | None, at: dt.date, *, every: bool = False
) -> list[Comparison]:
    """The figures sources give of the organization's members, observers and partners: those
    given as of the date nearest `at` (figures.compare.latest_statement; with every=True,
    every one known by `at`), each beside the count on the last day of its own date."""
    figures = figures_for(organization)
    chosen = known_by(figures, at) if every else latest_statement(figures, at)
    if not chosen:
        return []
    return compare(chosen, standing_counter())


# --- The portal's pages: the members table and chart, an actor's record ---------------

# Statuses the membership chart follows, as the overview groups them.
CHART_KINDS = (Status.Kind.MEMBER, Status.Kind.OBSERVER, Status.Kind.PARTNER)


@dataclass(frozen=True)
class YearCount:
    """How many members, observers and partners certainly held their status on `day`."""

    year: int
    day: dt.date
    members: int
    observers: int
    partners: int


def membership_by_year(at: dt.date | None = None) -> list[YearCount]:
    """Members, observers and partners at the end of each year (the last year: on `at`),
    from the first year on record to `at`'s year, by the rule of statuses_at (one query).

    Only statuses that certainly held are counted; a partial date never inflates a year.
    """
    at = at or today()
    rows = [
        (
            kind,
            PartialDate.from_parts(first, precision),
            PartialDate.from_parts(end_first, end_precision) if end_first else None,
        )
        for kind, first, precision, end_first, end_precision in Status.objects.filter(
            kind__in=CHART_KINDS
        ).values_list("kind", "start_date", "start_precision", "end_date", "end_precision")
    ]
    if not rows:
        return []
    first_year = min(start.earliest.year for _, start, _ in rows)
    result = []
    for year in range(first_year, at.year + 1):
        day = min(dt.date(year, 12, 31), at)
        held = [kind for kind, start, end in rows if holds_on(start, end, day) is Certainty.YES]
        result.append(
            YearCount(
                year=year,
                day=day,
                members=held.count(Status.Kind.MEMBER),
                observers=held.count(Status.Kind.OBSERVER),
                partners=held.count(Status.Kind.PARTNER),
            )
        )
    return result


def ordinal_nouns() -> dict[str, str]:
    """The ordinal nouns in Russian by their English form ("Member State": "государство-член")."""
    return {s.label_en: s.label_ru for s in OrdinalSeries.objects.all() if s.label_ru}


def actor_record(slug: str) -> Actor | None:
    """The actor with this slug and all its page shows of its own record: statuses with their
    deciding meetings and sources, chairmanships with theirs (a constant number of queries)."""
    terms = (
        Chairmanship.objects.select_related("decided_at__body", "taken_over_at__body")
        .prefetch_related(cited(), "decided_at__schedule", "taken_over_at__schedule")
        .order_by("start_date")
    )
    return (
        Actor.objects.filter(slug=slug)
        .prefetch_related(
            cited(),
            "variants__sources",
            Prefetch("statuses", queryset=statuses_qs().prefetch_related("variants__sources")),
            Prefetch("chairmanships", queryset=terms),
        )
        .first()
    )


# --- For the officers' forms: actors to choose from -------------------------------------

# The order of the groups in which actors are offered, by their standing on a date.
STANDING_ORDER = (
    Status.Kind.MEMBER,
    Status.Kind.OBSERVER,
    Status.Kind.PARTNER,
    Status.Kind.DIALOGUE_PARTNER,
    Status.Kind.APPLICANT,
)


def actors_list(*, kind: str | None = None) -> QuerySet[Actor]:
    """Every actor (or every one of a kind: state, organization), by name."""
    qs = Actor.objects.order_by("name_en", "pk")
    return qs.filter(kind=kind) if kind else qs


def actors_by_standing(at: dt.date) -> list[tuple[str | None, list[Actor]]]:
    """Every actor, grouped by its standing on `at` (members first, then observers,
    partners, dialogue partners, applicants; those with none last, as None). An actor
    holding two standings is in the first group of STANDING_ORDER it belongs to."""
    held: dict[int, int] = {}
    rows = Status.objects.filter(q_holds_on("start", "end", at)).values_list("actor_id", "kind")
    for actor_id, kind in rows:
        rank = STANDING_ORDER.index(kind) if kind in STANDING_ORDER else len(STANDING_ORDER)
        held[actor_id] = min(held.get(actor_id, rank), rank)
    groups: dict[str | None, list[Actor]] = {k: [] for k in (*STANDING_ORDER, None)}
    for actor in actors_list():
        rank = held.get(actor.pk)
        groups[STANDING_ORDER[rank] if rank is not None else None].append(actor)
    return [(kind, actors) for kind, actors in groups.items() if actors]


def open_statuses(actor: Actor) -> list[Status]:
    """The actor's statuses with no end on record (those an officer may end); reads the
    statuses prefetched by actor_record when there are."""
    return sorted((s for s in actor.statuses.all() if s.end is None), key=lambda s: s.start)


def speaking_for(user, slug: str | None, *, missing: str):
    """The state a position or feedback is recorded for: the one named (`slug`), else
    the delegate's own; `missing` is the refusal when neither is there. Whether the
    user may speak for it is the policy's to say when the record is written."""
    if slug:
        actor = actor_get(slug)
        if actor is None:
            raise ValidationError({"actor": gettext("No state has this key.")})
        return actor
    own = policy.actor_of(user)
    if own is None:
        raise ValidationError({"actor": missing})
    return own
