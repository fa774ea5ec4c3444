"""Treaties: an agreement or convention adopted at a summit or council and opened for
signature there, signed, ratified or acceded to by states over the following years.

Only members sign and become parties (under parties=member_states, only while they
are certainly members), every instrument after its signature as `treaties.rules`
requires. Entry into force is computed by `treaties.engine` from the actions
written, and the document's "entered into force" event is dated by it.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from secretariat.core.partial_dates import PartialDate
from secretariat.figures.models import ReportedFigure
from secretariat.treaties import engine
from secretariat.treaties.models import Treaty, TreatyAction

from .documents import LAST_DAY, DocumentWriter
from .words import TOPICS
from .world import World

K = engine
INSTRUMENTS = ["ratification", "acceptance", "approval", "accession"]


def write_treaties(world: World, docs: DocumentWriter, tick) -> None:
    rng = world.stream("treaties")
    treaty_type = ContentType.objects.get_for_model(Treaty).pk  # what the figures count of
    deciding = [
        m
        for m in world.meetings
        if m.body.kind in ("summit", "ministerial_council") and not m.cancelled
        and 1970 <= m.day.year <= 2024
    ]  # fmt: skip
    for _ in range(world.sizes.treaties):
        meeting = deciding[rng.randrange(len(deciding))]
        opened = meeting.day
        type = "convention" if rng.random() < 0.3 else "agreement"
        topic = TOPICS[rng.randrange(len(TOPICS))]
        doc = docs.new(type=type, body=meeting.body, meeting=meeting, anchor=opened, topic=topic)
        drafted = opened - dt.timedelta(days=rng.randrange(200, 400))
        agreed = opened - dt.timedelta(days=rng.randrange(10, 60))
        paragraphs = docs.prose.paragraphs(rng.randrange(8, 14))
        version = docs.version(doc, drafted, paragraphs)
        docs.event(doc, "drafted", drafted, version_id=version)
        docs.event(doc, "agreed", agreed, version_id=version)
        docs.event(doc, "adopted", opened, version_id=version, meeting=meeting)
        docs.event(doc, "signed", opened, version_id=version, meeting=meeting)
        members_only = rng.random() < 0.8
        instruments = max(2, round(len(world.members_on(opened)) * rng.uniform(0.25, 0.5)))
        delay = rng.choice([0, 30, 60, 90])
        words = ["ratification", "acceptance", "approval", "accession"]
        treaty_id = world.writer.record(
            Treaty,
            {"document_id": doc.id, "depositary_en": "Secretariat of the Organization",
             "depositary_ru": "Секретариат Организации", "opened_date": opened,
             "opened_precision": "day", "opened_place_en": meeting.city[0],
             "opened_place_ru": meeting.city[1], "opened_at_id": meeting.id,
             "parties": "member_states" if members_only else "any_state",
             "eif_instruments": instruments, "eif_kinds": INSTRUMENTS,
             "eif_delay_days": delay,
             "eif_text": f"This {type.capitalize()} shall enter into force on the "
             f"{delay}th day after the deposit of the {instruments}th instrument of "
             f"{', '.join(words[:-1])} or {words[-1]}." if delay else
             f"This {type.capitalize()} shall enter into force on the day of the deposit of "
             f"the {instruments}th instrument of {', '.join(words[:-1])} or {words[-1]}."},
            f"{doc.symbol} {doc.title_en}",
        )  # fmt: skip
        acts = _actions(world, rng, treaty_id, opened, members_only)
        status = engine.status(
            acts, rule=engine.Rule(instruments, frozenset(INSTRUMENTS), delay), at=LAST_DAY
        )
        eif = status.entry_into_force
        if eif is not None and eif.exact and eif.earliest <= LAST_DAY and eif.earliest > opened:
            docs.event(doc, "entered_into_force", eif.earliest)
        if rng.random() < 0.5:
            as_of = dt.date(2025, 6, 30)
            if as_of > opened:
                figure = engine.status(acts, rule=status.rule, at=as_of).counts["parties"]
                world.writer.add(
                    ReportedFigure,
                    {"subject_type_id": treaty_type, "subject_id": treaty_id,
                     "as_of_date": as_of, "as_of_precision": "month",
                     "measure": "parties", "value": figure.value},
                )  # fmt: skip
        tick(1)


def _actions(world: World, rng, treaty_id: int, opened: dt.date, members_only: bool):
    """Each member's actions; returns them as the engine reads them."""
    w, acts = world.writer, []

    def act(actor, kind, day: dt.date, *, precision="day", effective=None, statement=""):
        date = PartialDate(day.year, day.month) if precision == "month" else PartialDate.parse(day)
        acts.append(engine.Act(actor.id, kind, date, PartialDate.parse(effective)
                               if effective else None))  # fmt: skip
        w.add(
            TreatyAction,
            {"treaty_id": treaty_id, "actor_id": actor.id, "kind": kind,
             "date_date": date.earliest, "date_precision": date.precision.value,
             "effective_date": effective, "effective_precision": "day" if effective else "",
             "domestic_act_en": f"Law No. {rng.randrange(10, 999)}" if kind == "ratification"
             else "", "statement": statement},
        )  # fmt: skip

    def member(actor, day: dt.date) -> bool:
        return actor.holds(("member",), day)

    for actor in world.members_on(opened):
        roll = rng.random()
        if roll < 0.75:
            signed = opened if rng.random() < 0.7 else opened + dt.timedelta(
                days=rng.randrange(1, 365))  # fmt: skip
            if signed > LAST_DAY:
                continue
            act(actor, "signature", signed)
            if rng.random() < 0.75:
                day = signed + dt.timedelta(days=rng.randrange(120, 2400))
                if day <= LAST_DAY and (not members_only or member(actor, day)):
                    kind = "ratification"
                    if rng.random() >= 0.85:
                        kind = rng.choice(["acceptance", "approval"])
                    # Now and then a deposit known by its month only.
                    other_month = (day.year, day.month) != (signed.year, signed.month)
                    partial = rng.random() < 0.05 and day.day > 1 and other_month
                    act(actor, kind, day, precision="month" if partial else "day")
                    if rng.random() < 0.06:
                        act(actor, "declaration", day,
                            statement="Declares that the Agreement applies to its whole "
                            "territory.")  # fmt: skip
                    if rng.random() < 0.02:
                        left = day + dt.timedelta(days=rng.randrange(700, 3000))
                        if left + dt.timedelta(days=365) <= LAST_DAY:
                            act(actor, "denunciation", left,
                                effective=left + dt.timedelta(days=365))  # fmt: skip
        elif roll < 0.9:
            day = opened + dt.timedelta(days=rng.randrange(400, 4000))
            if day <= LAST_DAY and (not members_only or member(actor, day)):
                act(actor, "accession", day)
    return acts
