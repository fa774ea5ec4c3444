"""Actors and their statuses over sixty years, the chairmanship and the heads of the
Secretariat.

Two in five states found the organization at its first summit; the others join at a
later summit or council, most after applying, some after years as observers. A few
stay observers, a few applications are pending or rejected, a few members leave.
Organizations become observers, partners or dialogue partners. The chair passes
every two years at a summit or a council, to a member that has not chaired lately.
"""

from __future__ import annotations

import datetime as dt
import string

from secretariat.core.partial_dates import PartialDate
from secretariat.registry.models import (
    Actor,
    Chairmanship,
    OrdinalSeries,
    Person,
    SecretariatHead,
    Status,
)

from .sizes import FIRST_YEAR
from .words import (
    CITY_ENDINGS,
    GIVEN,
    ORG_ADJECTIVES,
    ORG_FIELDS,
    STATE_ENDINGS,
    STATE_FORMS,
    name_pair,
    pick,
)
from .world import ActorInfo, MeetingInfo, Span, World

DAY = "day"


def _codes(name: str, taken2: set[str], taken3: set[str]) -> tuple[str, str]:
    """ISO-like alpha-2 and alpha-3 codes from the name's letters, unique."""
    letters = [c for c in name.upper() if c in string.ascii_uppercase]
    first = letters[0]
    two = next(
        (first + c for c in letters[1:] + list(string.ascii_uppercase) if first + c not in taken2),
        None,
    ) or next(a + b for a in string.ascii_uppercase for b in string.ascii_uppercase
              if a + b not in taken2)  # fmt: skip
    three = next(
        (two + c for c in letters[2:] + list(string.ascii_uppercase) if two + c not in taken3),
        None,
    ) or next(two[0] + b + c for b in string.ascii_uppercase for c in string.ascii_uppercase
              if two[0] + b + c not in taken3)  # fmt: skip
    taken2.add(two)
    taken3.add(three)
    return two, three


def plan_actors(world: World) -> None:
    rng, w = world.stream("actors"), world.writer
    taken2: set[str] = set()
    taken3: set[str] = set()
    names: set[str] = set()
    for _ in range(world.sizes.states):
        while True:
            base_en, base_ru = name_pair(rng, rng.randrange(1, 3), STATE_ENDINGS)
            if base_en not in names:
                names.add(base_en)
                break
        form = pick(rng, STATE_FORMS) if rng.random() < 0.4 else STATE_FORMS[0]
        actor = ActorInfo(
            id=w.new_id(Actor), kind="state", slug=base_en.lower(),
            name_en=form[0].format(base_en), name_ru=form[1].format(base_ru),
        )  # fmt: skip
        actor.cities = [name_pair(rng, rng.randrange(1, 3), CITY_ENDINGS) for _ in range(3)]
        actor.iso2, iso3 = _codes(base_en, taken2, taken3)
        actor.short_en = iso3
        world.actors.append(actor)
    shorts: set[str] = set()
    for n in range(world.sizes.organizations):
        adjective, field = ORG_ADJECTIVES[n % len(ORG_ADJECTIVES)], pick(rng, ORG_FIELDS)
        n_round = n // len(ORG_ADJECTIVES)
        suffix = f" {n_round + 1}" if n_round else ""
        name_en = f"{adjective[0]} {field[0]} Organization{suffix}"
        ru_field = field[1] if "организация" in field[1] else f"{field[1]} организация"
        name_ru = f"{adjective[1]} {ru_field}{suffix}"
        short = "".join(word[0] for word in name_en.split() if word[0].isalpha()) + suffix.strip()
        while short in shorts:
            short += "X"
        shorts.add(short)
        slug = name_en.lower().replace(" ", "-").replace("--", "-")
        world.actors.append(
            ActorInfo(id=w.new_id(Actor), kind="organization", slug=slug, name_en=name_en,
                      name_ru=name_ru, short_en=short)
        )  # fmt: skip


def _decision_days(world: World) -> list[MeetingInfo]:
    return [
        m
        for m in world.meetings
        if m.body.kind in ("summit", "ministerial_council") and not m.cancelled
    ]


def plan_statuses(world: World) -> list[dict]:
    """Each actor's statuses, deciding meetings included (written by write_registry)."""
    rng = world.stream("statuses")
    deciding = _decision_days(world)
    founding = deciding[0]
    later = [m for m in deciding if m.day.year > FIRST_YEAR]
    rows: list[dict] = []

    def status(actor: ActorInfo, kind: str, start: PartialDate, end: PartialDate | None,
               meeting: MeetingInfo | None = None, **extra) -> None:  # fmt: skip
        if kind != "applicant":
            actor.spans.append(type_span(kind, start, end))
        rows.append(
            {"actor_id": actor.id, "kind": kind, "start_date": start.earliest,
             "start_precision": start.precision.value,
             "end_date": end.earliest if end else None,
             "end_precision": end.precision.value if end else "",
             "decided_at_id": meeting.id if meeting else None, "applied_for": "",
             "outcome": "", **extra, "_actor": actor}
        )  # fmt: skip

    states = world.states
    founders = max(3, round(len(states) * 0.4))
    for i, actor in enumerate(states):
        if i < founders:
            status(actor, "member", PartialDate.parse(founding.day), None, founding)
            continue
        roll = rng.random()
        joined = later[rng.randrange(len(later))]
        join = PartialDate.parse(joined.day)
        if roll < 0.1:  # an observer that never joined
            status(actor, "observer", join, None, joined)
            continue
        if roll < 0.14:  # an application still pending, or rejected
            applied = joined.day - dt.timedelta(days=rng.randrange(60, 700))
            if rng.random() < 0.5 and joined.day.year < 2025:
                status(actor, "applicant", PartialDate(applied.year, applied.month), join,
                       applied_for="member", outcome="rejected")  # fmt: skip
            else:
                status(actor, "applicant", PartialDate.parse(applied), None,
                       applied_for="member", outcome="pending")  # fmt: skip
            continue
        if roll < 0.45:  # observer first
            start = joined.day - dt.timedelta(days=rng.randrange(700, 3000))
            if start > founding.day:
                earlier = [m for m in deciding if m.day <= start]
                status(actor, "observer", PartialDate.parse(earlier[-1].day), join, earlier[-1])
        if rng.random() < 0.6:
            applied = joined.day - dt.timedelta(days=rng.randrange(120, 800))
            if applied > founding.day:
                precision = PartialDate(applied.year, applied.month) if rng.random() < 0.2 else (
                    PartialDate.parse(applied))  # fmt: skip
                status(actor, "applicant", precision, join, applied_for="member",
                       outcome="granted")  # fmt: skip
        end = None
        if rng.random() < 0.03 and joined.day.year < 2015:
            left = joined.day + dt.timedelta(days=rng.randrange(1500, 6000))
            end = PartialDate.parse(min(left, dt.date(2024, 6, 30)))
        status(actor, "member", join, end, joined)
    for actor in world.organizations:
        kind = pick(rng, ["observer", "observer", "partner", "partner", "dialogue_partner"])
        since = later[rng.randrange(len(later))]
        start = PartialDate(since.day.year) if rng.random() < 0.15 else PartialDate.parse(since.day)
        status(actor, kind, start, None, since if start.is_exact else None)
    return rows


def type_span(kind: str, start: PartialDate, end: PartialDate | None) -> Span:
    return Span(kind, start, end)


def plan_chairs(world: World) -> list[dict]:
    """A two-year term from each summit and council: the handover meeting, decided at the
    one before."""
    rng = world.stream("chairs")
    deciding = _decision_days(world)
    rows, terms = [], []
    recent: list[int] = []
    for i, meeting in enumerate(deciding):
        members = world.members_on(meeting.day)
        fresh = [a for a in members if a.id not in recent[-(len(members) // 2) :]] or members
        chair = fresh[rng.randrange(len(fresh))]
        recent = [*recent, chair.id][-8:]
        end = deciding[i + 1].day if i + 1 < len(deciding) else None
        kind = "term" if rng.random() > 0.08 or i == 0 else "extension"
        if kind == "extension":
            chair = next(a for a in world.actors if a.id == terms[-1][1])
        rows.append(
            {"actor_id": chair.id, "kind": kind, "start_date": meeting.day,
             "start_precision": DAY, "end_date": end, "end_precision": DAY if end else "",
             "decided_at_id": deciding[i - 1].id if i else None,
             "taken_over_at_id": meeting.id, "_actor": chair}
        )  # fmt: skip
        terms.append((meeting.day, chair.id))
    world.set_chairs(terms)
    return rows


def write_registry(world: World) -> None:
    """Actors, statuses, chairmanships, people and their terms as heads of the Secretariat."""
    w, rng = world.writer, world.stream("heads")
    for a in world.actors:
        w.record(
            Actor,
            {"id": a.id, "slug": a.slug, "kind": a.kind, "iso2": a.iso2,
             "iso3": a.short_en if a.kind == "state" else "", "name_en": a.name_en,
             "name_ru": a.name_ru, "short_name_en": a.short_en if a.kind != "state" else "",
             "short_name_ru": ""},
            a.name_en,
        )  # fmt: skip
    labels = dict(Status.Kind.choices)
    for row in plan_statuses(world):
        actor = row.pop("_actor")
        start = PartialDate.from_parts(row["start_date"], row["start_precision"])
        w.record(Status, row, f"{actor.name_en}: {labels[row['kind']]} from {start}")
    for row in plan_chairs(world):
        actor = row.pop("_actor")
        end = f"{row['end_date'].year}" if row["end_date"] else ""
        w.record(Chairmanship, row, f"{actor.name_en} ({row['start_date'].year}-{end})")
    w.record(
        OrdinalSeries,
        {"slug": "partner-organizations", "label_en": "Partner Organization",
         "label_ru": "Организация-партнёр", "actor_kind": "organization",
         "status_kinds": ["observer", "partner"]},
        "Partner Organization",
    )  # fmt: skip
    councils = [m for m in _decision_days(world) if m.body.kind == "ministerial_council"]
    start = dt.date(1992, 7, 1)
    term = 0
    while start.year <= 2025:
        term += 1
        given = pick(rng, GIVEN)
        family = name_pair(rng, 2, [("ov", "ов"), ("ev", "ев"), ("yan", "ян"), ("i", "и")])
        members = world.members_on(start)
        person = w.record(
            Person,
            {"slug": f"{given[0]}-{family[0]}-{term}".lower(),
             "name_en": f"{given[0]} {family[0]}", "name_ru": f"{given[1]} {family[1]}",
             "nationality_id": members[rng.randrange(len(members))].id},
            f"{given[0]} {family[0]}",
        )  # fmt: skip
        end = dt.date(start.year + 4, 7, 1)
        title = "executive_director" if start.year < 2008 else "secretary_general"
        appointed = [m for m in councils if m.day < start]
        label = "Executive Director" if title == "executive_director" else "Secretary General"
        w.record(
            SecretariatHead,
            {"person_id": person, "title": title, "start_date": start, "start_precision": DAY,
             "end_date": end if end.year <= 2025 else None,
             "end_precision": DAY if end.year <= 2025 else "",
             "appointed_at_id": appointed[-1].id if appointed else None},
            f"{given[0]} {family[0]} ({label}, from {start.isoformat()})",
        )  # fmt: skip
        start = end
