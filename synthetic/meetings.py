"""Bodies and their meetings: the organs meet on a fixed rhythm, the working groups and
institutions take the rest of the scale's meetings, more of them in later years."""

from __future__ import annotations

import datetime as dt

from secretariat.bodies.models import Body, BodyEvent, Meeting, MeetingParticipant, MeetingSchedule
from secretariat.core.ordinals import ordinal_ru, ordinal_word_en

from .sizes import FIRST_YEAR, LAST_YEAR, spread
from .words import TOPICS
from .world import BodyInfo, MeetingInfo, World, day_in_year

# slug, kind, English, Russian, short English, short Russian, founded, meetings a year, organ
ORGANS = [
    ("summit", "summit", "Summit", "Саммит", "SUM", "СММ", 1966, 0.25, True),
    ("ministerial-council", "ministerial_council", "Ministerial Council", "Совет министров",
     "MC", "СМ", 1968, 0.25, True),
    ("soc", "senior_officials_committee", "Senior Officials Committee",
     "Комитет старших должностных лиц", "SOC", "КСДЛ", 1967, 2, True),
    ("cpr", "permanent_representatives", "Committee of Permanent Representatives",
     "Комитет постоянных представителей", "CPR", "КПП", 1992, 6, True),
    ("swg", "special_working_group", "Special Working Group", "Специальная рабочая группа",
     "SWG", "СРГ", 1994, 4, False),
    ("secretariat", "secretariat", "Secretariat", "Секретариат", "SEC", "СЕК", 1992, 0, False),
    ("cep", "institution", "Council of Eminent Persons", "Совет видных деятелей", "CEP", "СВД",
     2010, 1, False),
    ("ttf", "institution", "Think Tank Forum", "Форум аналитических центров", "TTF", "ФАЦ",
     2012, 1, False),
    ("fund", "institution", "Fund of the Organization", "Фонд Организации", "FUND", "ФОНД",
     2015, 2, False),
    ("youth-council", "institution", "Youth Council", "Молодёжный совет", "YC", "МС", 2018, 1,
     False),
]  # fmt: skip


def plan_bodies(world: World) -> None:
    """The organs, institutions and working groups, with their founding years."""
    rng = world.stream("bodies")
    for slug, kind, en, ru, short_en, short_ru, year, per_year, organ in ORGANS:
        founded = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(20, 120))
        if slug == "summit":
            founded = dt.date(FIRST_YEAR, 3, 14)
        world.bodies[slug] = BodyInfo(
            id=world.writer.new_id(Body), slug=slug, kind=kind, name_en=en, name_ru=ru,
            short_en=short_en, short_ru=short_ru, established=founded, organ=organ,
            per_year=per_year,
        )  # fmt: skip
    for n in range(1, world.sizes.working_groups + 1):
        topic = TOPICS[(n - 1) % len(TOPICS)]
        round_ = (n - 1) // len(TOPICS)
        suffix_en = f" ({round_ + 1})" if round_ else ""
        year = rng.randrange(1970, 2021)
        founded = day_in_year(rng, year)
        dissolved = None
        if rng.random() < 0.2 and year < 2015:
            dissolved = day_in_year(rng, rng.randrange(year + 3, 2024))
        world.bodies[f"wg-{n}"] = BodyInfo(
            id=world.writer.new_id(Body), slug=f"wg-{n}", kind="other",
            name_en=f"Working Group on {topic[0][0].upper()}{topic[0][1:]}{suffix_en}",
            name_ru=f"Рабочая группа по вопросам {topic[1]}{suffix_en}",
            short_en=f"WG{n}", short_ru=f"РГ{n}", established=founded, dissolved=dissolved,
        )  # fmt: skip


def _active(body: BodyInfo, year: int) -> bool:
    return body.established.year <= year and (body.dissolved is None or year < body.dissolved.year)


def plan_calendar(world: World) -> None:
    """Every meeting's body, day and ordinal; hosts come later (they need the members)."""
    rng = world.stream("calendar")
    fixed: list[tuple[BodyInfo, dt.date]] = []
    for body in world.bodies.values():
        if not body.per_year:
            continue
        for year in range(body.established.year, LAST_YEAR + 1):
            if body.per_year < 1:
                step = round(1 / body.per_year)
                if (year - body.established.year) % step:
                    continue
                if year == body.established.year:
                    fixed.append((body, body.established))
                    continue
                fixed.append((body, day_in_year(rng, year, first=60, last=300)))
                continue
            count = int(body.per_year)
            for i in range(count):
                width = 360 // count
                start = 1 + i * width
                day = day_in_year(rng, year, first=start, last=start + width - 5)
                if year == body.established.year and day < body.established:
                    continue
                fixed.append((body, day))
    rest = max(0, world.sizes.meetings - len(fixed))
    groups = [b for b in world.bodies.values() if b.slug.startswith("wg-")]
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    weights = [(1 + (y - FIRST_YEAR) / 15) * sum(1 for g in groups if _active(g, y)) for y in years]
    planned = list(fixed)
    for year, count in zip(years, spread(rest, weights), strict=True):
        active = [g for g in groups if _active(g, year)]
        for _ in range(count):
            body = active[rng.randrange(len(active))]
            first = body.established.timetuple().tm_yday + 1 if year == body.established.year else 1
            last = (body.dissolved.timetuple().tm_yday - 4) if body.dissolved and (
                year == body.dissolved.year) else 355  # fmt: skip
            planned.append((body, day_in_year(rng, year, first=min(first, 350), last=last)))
    planned.sort(key=lambda item: (item[1], item[0].id))
    ordinals: dict[tuple[int, bool], int] = {}
    for body, day in planned:
        meeting = MeetingInfo(id=world.writer.new_id(Meeting), body=body, day=day)
        meeting.days = 1 if body.kind == "other" else rng.randrange(1, 4)
        roll = rng.random()
        if roll < 0.015 and not body.organ:
            meeting.cancelled = True
            meeting.key = f"{body.slug}-{day.isoformat()}-{meeting.id}"
            meeting.title_en = f"Meeting of the {body.name_en} (cancelled)"
        else:
            meeting.formal = not (
                roll < 0.07 and body.kind in ("other", "senior_officials_committee")
            )
            number = ordinals.get((body.id, meeting.formal), 0) + 1
            ordinals[(body.id, meeting.formal)] = number
            meeting.ordinal = number
            informal = "" if meeting.formal else "informal-"
            meeting.key = f"{body.slug}-{informal}{number}"
            meeting.title_en = _title_en(body, number, meeting.formal)
        world.meetings.append(meeting)
    world.index_meetings()


def _title_en(body: BodyInfo, number: int, formal: bool) -> str:
    if not formal:
        return f"Informal Meeting of the {body.name_en} ({number})"
    if body.kind in ("summit", "ministerial_council"):
        return f"{ordinal_word_en(number)} {body.name_en}"
    return f"{ordinal_word_en(number)} Meeting of the {body.name_en}"


def _title_ru(body: BodyInfo, number: int | None, formal: bool) -> str:
    if number is None:
        return f"{body.name_ru}: заседание (отменено)"
    if not formal:
        return f"{body.name_ru}: неформальное заседание ({number})"
    if body.kind in ("summit", "ministerial_council"):
        return f"{ordinal_ru(number)} {body.name_ru}"
    return f"{body.name_ru}: {ordinal_ru(number)} заседание"


def write_bodies(world: World) -> None:
    w, rng = world.writer, world.stream("body-events")
    summit = world.bodies["summit"]
    organs_at = [m for m in world.meetings if m.body.kind in ("summit", "ministerial_council")]
    for body in world.bodies.values():
        parent = None
        if body.slug.startswith("wg-") or body.slug == "swg":
            parent = world.bodies["soc"].id
        elif body.kind == "institution" or body.slug in ("soc", "cpr", "secretariat"):
            parent = world.bodies["ministerial-council"].id if body.slug != "soc" else None
        w.record(
            Body,
            {"id": body.id, "slug": body.slug, "kind": body.kind, "name_en": body.name_en,
             "name_ru": body.name_ru, "short_name_en": body.short_en,
             "short_name_ru": body.short_ru, "parent_id": parent},
            body.name_en,
        )  # fmt: skip
        # Decided at the last summit or council before it was founded, when there was one.
        decided = [m for m in organs_at if m.day < body.established and not m.cancelled]
        if body.slug.startswith("wg-") and rng.random() < 0.5:
            proposed = body.established - dt.timedelta(days=rng.randrange(90, 400))
            if proposed.year >= 1966:
                _event(w, body, "proposed", proposed, None, precision="month")
        meeting = decided[-1].id if decided and body is not summit else None
        if body is summit:
            meeting = world.meetings[0].id if world.meetings[0].body is summit else None
        _event(w, body, "established", body.established, meeting)
        if body.kind == "institution" and rng.random() < 0.5:
            _event(w, body, "operational", body.established + dt.timedelta(days=200), None)
        if body.dissolved:
            _event(w, body, "dissolved", body.dissolved, None)


def _event(w, body: BodyInfo, kind: str, day: dt.date, meeting_id, *, precision="day") -> None:
    if precision == "month":
        day = day.replace(day=1)
    w.add(
        BodyEvent,
        {"body_id": body.id, "kind": kind, "date_date": day, "date_precision": precision,
         "meeting_id": meeting_id},
    )  # fmt: skip


def write_meetings(world: World, tick) -> None:
    """Meetings with their schedule (held, some first planned elsewhere, a few cancelled),
    host, chair and participants."""
    w, rng = world.writer, world.stream("meetings")
    for i, m in enumerate(world.meetings):
        members = world.members_on(m.day)
        body = m.body
        chair = world.chair_on(m.day)
        if body.kind in ("summit", "ministerial_council") and chair is not None:
            host = next(a for a in world.actors if a.id == chair)
        else:
            host = members[rng.randrange(len(members))]
        m.country_id = host.id
        m.city = host.cities[0] if body.organ and body.kind == "summit" else (
            host.cities[rng.randrange(len(host.cities))])  # fmt: skip
        if m.day.year >= 2020 and rng.random() < 0.25:
            m.mode = "online" if rng.random() < 0.6 else "hybrid"
        w.record(
            Meeting,
            {"id": m.id, "body_id": body.id, "key": m.key, "ordinal": m.ordinal,
             "title_en": m.title_en, "title_ru": _title_ru(body, m.ordinal, m.formal),
             "formal": m.formal, "chair_id": chair if body.organ else None},
            m.title_en,
        )  # fmt: skip
        _schedule(w, rng, m)
        _participants(world, rng, m, members, chair)
        if i % 500 == 499:
            tick(500)
    tick(len(world.meetings) % 500)


def _schedule(w, rng, m: MeetingInfo) -> None:
    end = m.day + dt.timedelta(days=m.days - 1)
    city = ("", "") if m.mode == "online" else m.city
    place = {"city_en": city[0], "city_ru": city[1], "country_id": m.country_id, "mode": m.mode}
    first_plan = None
    if m.cancelled or rng.random() < 0.15:
        # First planned some weeks later (or earlier) than held, announced before.
        shift = dt.timedelta(days=rng.choice([-1, 1]) * rng.randrange(14, 90))
        first_plan = m.day + (shift if not m.cancelled else dt.timedelta(0))
        if first_plan.year != m.day.year:
            first_plan = m.day - dt.timedelta(days=7)
        announced = first_plan - dt.timedelta(days=rng.randrange(30, 120))
        w.add(
            MeetingSchedule,
            {"meeting_id": m.id, "kind": "planned", "start_date": first_plan,
             "start_precision": "day", "end_date": first_plan + dt.timedelta(days=m.days - 1),
             "end_precision": "day", "announced_date": announced, "announced_precision": "day",
             **place},
        )  # fmt: skip
    if m.cancelled:
        w.add(
            MeetingSchedule,
            {"meeting_id": m.id, "kind": "cancelled", "start_date": m.day,
             "start_precision": "month" if m.day.day == 1 else "day", **place},
        )  # fmt: skip
        return
    w.add(
        MeetingSchedule,
        {"meeting_id": m.id, "kind": "held", "start_date": m.day, "start_precision": "day",
         "end_date": end, "end_precision": "day", **place},
    )  # fmt: skip


def _participants(world: World, rng, m: MeetingInfo, members, chair) -> None:
    if m.cancelled:
        return
    w = world.writer
    if m.body.organ:
        chosen = [(a.id, "chair" if a.id == chair else "member") for a in members]
        associates = world.associates_on(m.day)
        for a in rng.sample(associates, min(len(associates), rng.randrange(0, 6))):
            chosen.append((a.id, "partner" if a.kind == "organization" else "observer"))
    else:
        picked = rng.sample(members, min(len(members), rng.randrange(3, 9)))
        chosen = [(a.id, "member") for a in picked]
    for actor_id, role in chosen:
        w.add(MeetingParticipant, {"meeting_id": m.id, "actor_id": actor_id, "role": role})
