"""The programme, in modest numbers: the catalogue of CBMs (two editions, their priority
areas and coordinators), CBM events and annual reviews, the road map with its
clusters and tasks, chairmanship priorities, initiatives with their pipeline,
partnerships with organizations, and the fund's projects and contributions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from secretariat.initiatives.models import (
    FundContribution,
    FundProject,
    Initiative,
    InitiativeEvent,
    Partnership,
    PartnershipEvent,
    Priorities,
)
from secretariat.initiatives.transitions import ALLOWED
from secretariat.programme.models import (
    CatalogueEdition,
    CbmEvent,
    Cluster,
    ClusterFocus,
    CoordinatorRole,
    Dimension,
    PriorityArea,
    Review,
    Task,
)

from .documents import DocumentWriter
from .words import TOPICS, pick
from .world import World, day_in_year

DIMENSIONS = [
    ("economic", "Economic dimension", "Экономическое измерение"),
    ("environmental", "Environmental dimension", "Экологическое измерение"),
    ("human", "Human dimension", "Человеческое измерение"),
    ("military-political", "Military-political dimension", "Военно-политическое измерение"),
    ("new-challenges", "New challenges and threats", "Новые вызовы и угрозы"),
]
EDITION_YEARS = (1999, 2017)
DOCUMENTS = len(EDITION_YEARS) + 1  # the catalogue editions and the road map
CLUSTERS = [
    ("Institutional development", "Институциональное развитие"),
    ("Legal framework", "Правовая база"),
    ("Financial sustainability", "Финансовая устойчивость"),
    ("Visibility and outreach", "Узнаваемость и информационная работа"),
    ("Cooperation with partners", "Сотрудничество с партнёрами"),
]
PIPELINE = ["proposed", "under_discussion", "concept_circulated", "draft_agreed", "adopted",
            "established", "closed"]  # fmt: skip


def _council(world: World, year: int):
    found = [m for m in world.held_by_year.get(year, [])
             if m.body.kind in ("summit", "ministerial_council")]  # fmt: skip
    return found[0] if found else world.held_by_year[year][0]


def write_programme(world: World, docs: DocumentWriter, tick) -> None:
    w, rng = world.writer, world.stream("programme")
    dimensions = []
    for slug, en, ru in DIMENSIONS:
        dimensions.append(w.record(Dimension, {"slug": slug, "name_en": en, "name_ru": ru}, en))
    editions = []
    for year in EDITION_YEARS:
        meeting = _council(world, year)
        doc = docs.new(type="catalogue", body=meeting.body, meeting=meeting, anchor=meeting.day)
        docs.lifecycle(doc, procedure=False)
        edition = w.record(
            CatalogueEdition, {"document_id": doc.id}, f"{doc.symbol} {doc.title_en}"
        )
        editions.append((edition, meeting.day))
    areas_by_edition: dict[int, list[tuple[int, int]]] = {}
    for i, (edition, day) in enumerate(editions):
        until = editions[i + 1][1] if i + 1 < len(editions) else None
        areas = []
        for number in range(1, 4 * len(dimensions) + 1):
            topic = TOPICS[(number * 7 + i) % len(TOPICS)]
            area = w.record(
                PriorityArea,
                {"edition_id": edition, "dimension_id": dimensions[(number - 1) % 5],
                 "number": number, "title_en": topic[0][0].upper() + topic[0][1:],
                 "title_ru": f"Вопросы {topic[1]}", "added_on_date": day,
                 "added_on_precision": "day"},
                f"{number}. {topic[0]}",
            )  # fmt: skip
            areas.append((area, number))
            members = world.members_on(day)
            picked = rng.sample(members, min(len(members), 2))
            for actor, role in zip(picked, ("coordinator", "co_coordinator"), strict=False):
                w.add(
                    CoordinatorRole,
                    {"area_id": area, "actor_id": actor.id, "role": role, "start_date": day,
                     "start_precision": "day", "end_date": until,
                     "end_precision": "day" if until else ""},
                )  # fmt: skip
        areas_by_edition[edition] = areas
    for _ in range(world.sizes.cbm_events):
        year = rng.randrange(EDITION_YEARS[0] + 1, 2026)
        day = day_in_year(rng, year)
        edition = editions[0][0] if year <= EDITION_YEARS[1] else editions[1][0]
        area, _number = pick(rng, areas_by_edition[edition])
        members = world.members_on(day)
        host = members[rng.randrange(len(members))]
        kind = pick(rng, ["conference", "seminar", "workshop", "training", "other"])
        topic = pick(rng, TOPICS)
        city = pick(rng, host.cities)
        title = f"{kind.capitalize()} on {topic[0]}"
        w.record(
            CbmEvent,
            {"area_id": area, "kind": kind, "title_en": title,
             "title_ru": f"Мероприятие по вопросам {topic[1]}", "organizer_id": host.id,
             "date_date": day, "date_precision": "day", "place_en": city[0],
             "place_ru": city[1]},
            f"{title} ({day.isoformat()})",
        )  # fmt: skip
        tick(1)
    for year in range(EDITION_YEARS[0] + 1, 2026):
        socs = [m for m in world.held_by_year.get(year, []) if m.body.slug == "soc"]
        meeting = socs[-1] if socs else None
        day = meeting.day if meeting else dt.date(year, 11, 15)
        w.record(
            Review,
            {"date_date": day, "date_precision": "day",
             "meeting_id": meeting.id if meeting else None},
            f"Review of implementation, {day.isoformat()}",
        )  # fmt: skip
    _roadmap(world, docs)
    _initiatives(world)
    _partnerships(world)
    _fund(world)


def _roadmap(world: World, docs: DocumentWriter) -> None:
    w, rng = world.writer, world.stream("roadmap")
    meeting = _council(world, 2022)
    doc = docs.new(type="road_map", body=meeting.body, meeting=meeting, anchor=meeting.day)
    docs.lifecycle(doc, procedure=False)
    members = world.members_on(meeting.day)
    through_lead = Task.lead_states.through
    through_contrib = Task.contributing_states.through
    for number, (en, ru) in enumerate(CLUSTERS, start=1):
        cluster = w.record(
            Cluster,
            {"roadmap_id": doc.id, "number": number, "title_en": en, "title_ru": ru},
            f"Cluster {number}: {en}",
        )  # fmt: skip
        for position in range(1, rng.randrange(3, 6) + 1):
            topic = pick(rng, TOPICS)
            task = w.add(
                Task,
                {"cluster_id": cluster, "position": position,
                 "title_en": f"Prepare proposals on {topic[0]}",
                 "title_ru": f"Подготовить предложения по вопросам {topic[1]}",
                 "status": pick(rng, ["pending", "in_progress", "done", "dropped"])},
            )  # fmt: skip
            states = rng.sample(members, min(len(members), 4))
            for actor in states[:1]:
                w.add(through_lead, {"task_id": task, "actor_id": actor.id})
            for actor in states[1:]:
                w.add(through_contrib, {"task_id": task, "actor_id": actor.id})
        for year in (2023, 2024, 2025):
            if rng.random() < 0.5:
                w.add(ClusterFocus, {"cluster_id": cluster, "year": year})


def _initiatives(world: World) -> None:
    w, rng = world.writer, world.stream("initiatives")
    terms = world.chair_terms
    chair_ids = {}  # first day of a term -> chairmanship id (ids follow the terms' order)
    for i, (day, actor_id) in enumerate(terms, start=1):
        chair_ids[day] = (i, actor_id)
        if day.year >= 2000:
            end = terms[i][0] if i < len(terms) else None
            w.record(
                Priorities,
                {"slug": f"priorities-{day.year}", "title_en": f"Priorities of the "
                 f"chairmanship for {day.year}-{day.year + 2}",
                 "title_ru": f"Приоритеты председательства на {day.year}-{day.year + 2} годы",
                 "chairmanship_id": i, "start_date": day, "start_precision": "day",
                 "end_date": end, "end_precision": "day" if end else ""},
                f"Priorities of the chairmanship for {day.year}-{day.year + 2}",
            )  # fmt: skip
    recent = [(day, value) for day, value in chair_ids.items() if day.year >= 1990]
    for n in range(1, world.sizes.initiatives + 1):
        topic = pick(rng, TOPICS)
        start_year = rng.randrange(1995, 2025)
        meetings = world.held_by_year[start_year]
        launched = meetings[rng.randrange(len(meetings))]
        proposer = {"proposer_actor_id": None, "proposer_chairmanship_id": None,
                    "proposer_body_id": None}  # fmt: skip
        roll = rng.random()
        if roll < 0.6:
            members = world.members_on(launched.day)
            proposer["proposer_actor_id"] = members[rng.randrange(len(members))].id
        elif roll < 0.8:
            held = [value for day, value in recent if day <= launched.day]
            proposer["proposer_chairmanship_id"] = held[-1][0] if held else None
        else:
            proposer["proposer_body_id"] = launched.body.id
        title = f"Initiative on {topic[0]} ({n})"
        initiative = w.record(
            Initiative,
            {"slug": f"initiative-{n}", "kind": "transformation" if n == 1 else "initiative",
             "title_en": title, "title_ru": f"Инициатива по вопросам {topic[1]} ({n})",
             "launched_at_id": launched.id, **proposer},
            title,
        )  # fmt: skip
        day = launched.day
        steps = rng.randrange(1, len(PIPELINE))
        for stage, kind in enumerate(PIPELINE[:steps]):
            w.add(
                InitiativeEvent,
                {"initiative_id": initiative, "kind": kind, "date_date": day,
                 "date_precision": "day", "meeting_id": launched.id if stage == 0 else None},
            )  # fmt: skip
            day += dt.timedelta(days=rng.randrange(60, 400))
            if day > dt.date(2025, 12, 1):
                break
        else:
            last = PIPELINE[steps - 1]
            if "dropped" in ALLOWED[last] and rng.random() < 0.2 and day <= dt.date(2025, 12, 1):
                w.add(
                    InitiativeEvent,
                    {"initiative_id": initiative, "kind": "dropped", "date_date": day,
                     "date_precision": "day"},
                )  # fmt: skip


def _partnerships(world: World) -> None:
    w, rng = world.writer, world.stream("partnerships")
    for actor in world.organizations:
        span = next((s for s in actor.spans if s.kind == "partner"), None)
        if span is None:
            continue
        pk = w.record(Partnership, {"actor_id": actor.id}, f"Partnership with {actor.name_en}")
        start = span.start.earliest
        steps = [("contacts", 900), ("partnership_approved", 500), ("mou_signed", 100)]
        for kind, before in steps:
            day = start - dt.timedelta(days=before + rng.randrange(0, 60))
            w.add(
                PartnershipEvent,
                {"partnership_id": pk, "kind": kind, "date_date": day, "date_precision": "day"},
            )  # fmt: skip
        w.add(
            PartnershipEvent,
            {"partnership_id": pk, "kind": "partner", "date_date": start,
             "date_precision": span.start.precision.value},
        )  # fmt: skip


def _fund(world: World) -> None:
    w, rng = world.writer, world.stream("fund")
    fund = world.bodies["fund"]
    for n in range(1, 3 + 2 * world.scale + 1):  # fund projects
        topic = pick(rng, TOPICS)
        year = rng.randrange(fund.established.year + 1, 2026)
        members = world.members_on(dt.date(year, 1, 1))
        title = f"Project {n}: {topic[0]}"
        status = pick(rng, ["proposed", "approved", "ongoing", "completed", "cancelled"])
        w.record(
            FundProject,
            {"fund_id": fund.id, "title_en": title, "title_ru": f"Проект {n}: {topic[1]}",
             "proposer_id": members[rng.randrange(len(members))].id, "status": status,
             "start_date": dt.date(year, 1, 1), "start_precision": "year",
             "end_date": dt.date(year + 2, 1, 1) if status == "completed" else None,
             "end_precision": "year" if status == "completed" else ""},
            title,
        )  # fmt: skip
    given: set[tuple[int, dt.date]] = set()
    for _ in range(3 * world.scale):
        day = day_in_year(rng, rng.randrange(fund.established.year + 1, 2026))
        members = world.members_on(day)
        actor = members[rng.randrange(len(members))]
        amount = Decimal(rng.randrange(5, 500) * 1000)
        # One contribution of a state a day: the same day twice would be the same record.
        if (actor.id, day) in given:
            continue
        given.add((actor.id, day))
        w.record(
            FundContribution,
            {"fund_id": fund.id, "actor_id": actor.id, "amount": amount, "currency": "USD",
             "date_date": day, "date_precision": "day"},
            f"{actor.name_en}: {amount} USD ({day.isoformat()})",
        )  # fmt: skip
