"""Documents, a year at a time: symbols, titles, access, versions with their English and
Russian texts (files in the media storage), lifecycle events, feedback and relations.

Most documents belong to a meeting and are decided there; the others are notes and
letters of a body. Each kind runs through its usual lifecycle, each event allowed
by `documents.transitions` after the one before; the documents chosen for a consensus
procedure are adopted (or not) as the procedure's outcome says (see `decisions`).
Texts are written as the upload service keeps them: the file, its size, SHA-256 and
type recognised by `documents.uploads.inspect`, which also gives the plain text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict, deque
from dataclasses import dataclass, field

from secretariat.documents import uploads
from secretariat.documents.models import (
    Document,
    DocumentEvent,
    DocumentRelation,
    DocumentText,
    DocumentVersion,
    Feedback,
)

from . import decisions
from .files import FileSink
from .sizes import FIRST_YEAR, LAST_YEAR, spread, year_weights
from .words import TOPICS, Prose, pick
from .world import BodyInfo, MeetingInfo, World

K = DocumentEvent.Kind
# (type, weight) of the documents of a meeting, and of a body between meetings.
MEETING_TYPES = [("decision", 30), ("statement", 8), ("declaration", 4), ("report", 20),
                 ("plan_of_action", 3), ("guidelines", 2), ("regulations", 2),
                 ("rules_of_procedure", 1), ("memorandum", 1), ("mou", 1), ("modalities", 1),
                 ("concept_paper", 6)]  # fmt: skip
OTHER_TYPES = [("note", 45), ("letter", 30), ("concept_paper", 15), ("report", 8), ("other", 2)]
TITLES = {
    "decision": ("Decision on {t}", "Решение по вопросам {r}"),
    "statement": ("Statement on {t}", "Заявление по вопросам {r}"),
    "declaration": ("Declaration on {t}", "Декларация по вопросам {r}"),
    "report": ("Report on {t}", "Доклад по вопросам {r}"),
    "plan_of_action": ("Plan of action on {t} for {y}-{z}", "План действий по вопросам {r} на "
                       "{y}-{z} годы"),
    "guidelines": ("Guidelines on {t}", "Руководящие принципы по вопросам {r}"),
    "regulations": ("Regulations on {t}", "Положение по вопросам {r}"),
    "rules_of_procedure": ("Rules of procedure of the {b}", "Правила процедуры: {c}"),
    "memorandum": ("Memorandum on {t}", "Меморандум по вопросам {r}"),
    "mou": ("Memorandum of understanding on {t}", "Меморандум о взаимопонимании по вопросам {r}"),
    "modalities": ("Modalities of {t}", "Модальности {r}"),
    "concept_paper": ("Concept paper on {t}", "Концептуальный документ по вопросам {r}"),
    "note": ("Note by the {b} on {t}", "Записка: {c} — по вопросам {r}"),
    "letter": ("Letter from {s} concerning {t}", "Письмо государства {u} по вопросам {r}"),
    "other": ("Information on {t}", "Информация по вопросам {r}"),
    "agreement": ("Agreement on {t}", "Соглашение по вопросам {r}"),
    "convention": ("Convention on {t}", "Конвенция по вопросам {r}"),
    "catalogue": ("Catalogue of confidence-building measures ({y})",
                  "Каталог мер доверия ({y})"),
    "road_map": ("Road map for the transformation of the Organization",
                 "Дорожная карта трансформации Организации"),
}  # fmt: skip
# Decided at the meeting: (final event, whether it goes through "agreed" first).
DECIDED = {"decision": K.ADOPTED, "statement": K.ADOPTED, "declaration": K.ADOPTED,
           "plan_of_action": K.ADOPTED, "guidelines": K.ADOPTED, "regulations": K.ADOPTED,
           "rules_of_procedure": K.ADOPTED, "modalities": K.ADOPTED, "report": K.TOOK_NOTE,
           "memorandum": K.SIGNED, "mou": K.SIGNED, "concept_paper": K.AGREED,
           "catalogue": K.ADOPTED, "road_map": K.ADOPTED}  # fmt: skip
LAST_DAY = dt.date(LAST_YEAR, 12, 31)
OPEN_FROM = dt.date(LAST_YEAR, 10, 1)  # decisions not yet taken at the end of the record


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    total = sum(w for _, w in table)
    roll = rng.randrange(total)
    for name, weight in table:
        roll -= weight
        if roll < 0:
            return name
    return table[-1][0]


@dataclass
class Doc:
    """One document being written: what later steps (texts, events) need of it."""

    id: int
    key: str
    symbol: str
    type: str
    title_en: str
    title_ru: str
    body: BodyInfo
    meeting: MeetingInfo | None
    anchor: dt.date  # the meeting's day, or the day the body dealt with it
    year: int
    versions: list[tuple[int, int, dt.date]] = field(default_factory=list)  # id, number, date
    events: list[tuple[str, dt.date]] = field(default_factory=list)


class DocumentWriter:
    """Writes documents with everything that belongs to them."""

    def __init__(self, world: World, prose: Prose, files: FileSink):
        self.world = world
        self.w = world.writer
        self.prose = prose
        self.rng = world.stream("documents")
        self.seq: dict[tuple[str, int], int] = defaultdict(int)
        self.recent: dict[int, deque] = defaultdict(lambda: deque(maxlen=50))
        self.adopted: dict[int, list[tuple[int, str, dt.date]]] = defaultdict(list)
        self.files = files
        states = world.states
        self.state_names = [(a.name_en, a.name_ru) for a in states]

    # --- identity --------------------------------------------------------------------

    def new(self, *, type: str, body: BodyInfo, meeting: MeetingInfo | None, anchor: dt.date,
            access: str = "public", topic: tuple[str, str] | None = None) -> Doc:  # fmt: skip
        rng, world = self.rng, self.world
        year = anchor.year
        self.seq[(body.short_en, year)] += 1
        seq = self.seq[(body.short_en, year)]
        symbol = f"{world.org_short}/{body.short_en}/{year}/{seq}"
        topic = topic or pick(rng, TOPICS)
        state = pick(rng, self.state_names)
        en, ru = TITLES[type]
        fill = {"t": topic[0], "r": topic[1], "y": year, "z": year + 2, "b": body.name_en,
                "c": body.name_ru, "s": state[0], "u": state[1]}  # fmt: skip
        doc = Doc(
            id=self.w.new_id(Document), key=symbol.lower().replace("/", "-"), symbol=symbol,
            type=type, title_en=en.format(**fill), title_ru=ru.format(**fill), body=body,
            meeting=meeting, anchor=anchor, year=year,
        )  # fmt: skip
        public_from = None
        if access == "restricted" and anchor.year < 2000 and rng.random() < 0.2:
            public_from = dt.date(anchor.year + 25, 1, 1)
        self.w.record(
            Document,
            {"id": doc.id, "key": doc.key, "symbol": symbol, "type": type,
             "title_en": doc.title_en, "title_ru": doc.title_ru, "access": access,
             "public_from": public_from, "body_id": body.id,
             "meeting_id": meeting.id if meeting else None},
            f"{symbol} {doc.title_en}",
        )  # fmt: skip
        if access == "restricted" and rng.random() < 0.2:
            others = world.associates_on(anchor)
            through = Document.shared_with.through
            for actor in rng.sample(others, min(len(others), rng.randrange(1, 4))):
                self.w.add(through, {"document_id": doc.id, "actor_id": actor.id})
        self.recent[body.id].append(doc.id)
        return doc

    # --- versions and texts ----------------------------------------------------------

    def version(self, doc: Doc, day: dt.date, paragraphs: list[tuple[str, str]], *,
                russian: bool = True, note: str = "") -> int:  # fmt: skip
        number = len(doc.versions) + 1
        pk = self.w.add(
            DocumentVersion,
            {"document_id": doc.id, "number": number, "date_date": day, "date_precision": "day",
             "note": note},
        )  # fmt: skip
        doc.versions.append((pk, number, day))
        for language in ("en", "ru") if russian else ("en",):
            self._text(doc, pk, number, day, language, paragraphs)
        return pk

    def _text(self, doc: Doc, version_id: int, number: int, day: dt.date, language: str,
              paragraphs: list[tuple[str, str]]) -> None:  # fmt: skip
        i = 0 if language == "en" else 1
        meeting = doc.meeting
        if language == "en":
            head = [doc.symbol, f"Distr.: {day.isoformat()}", doc.title_en]
            if meeting is not None:
                where = f" in {meeting.city[0]}" if meeting.city[0] else ""
                head.append(f"The {meeting.title_en}, held{where} on {meeting.day.isoformat()},")
            if number > 1:
                head.append(f"Revision {number - 1}")
        else:
            head = [doc.symbol, f"Распр.: {day.isoformat()}", doc.title_ru]
            if meeting is not None:
                where = f" в городе {meeting.city[1]}" if meeting.city[1] else ""
                head.append(f"Заседание {meeting.day.isoformat()}{where},")
            if number > 1:
                head.append(f"Пересмотренный вариант {number - 1}")
        # Plain text, one item a line, no blank lines or runs of blanks: the text that
        # `uploads.inspect` extracts from the file is the file's text without its last
        # newline (tests/datasets/test_synthetic.py holds the two to agreeing).
        text = "\n".join(head + [p[i] for p in paragraphs])
        data = (text + "\n").encode()
        name = f"documents/{doc.year}/{doc.key}-v{number}-{language}.txt"
        self.files.put(name, data)
        self.w.add(
            DocumentText,
            {"version_id": version_id, "language": language, "file": name,
             "media_type": uploads.TXT, "size": len(data),
             "sha256": hashlib.sha256(data).hexdigest(), "text": text},
        )  # fmt: skip

    # --- lifecycle ---------------------------------------------------------------------

    def event(self, doc: Doc, kind: str, day: dt.date, *, version_id: int | None = None,
              meeting: MeetingInfo | None = None, deadline: dt.date | None = None,
              precision: str = "day", pk: int | None = None, actor_id: int | None = None,
              body_id: int | None = None) -> int:  # fmt: skip
        if precision == "month":
            day = day.replace(day=1)
        doc.events.append((kind, day))
        return self.w.add(
            DocumentEvent,
            {"id": pk, "document_id": doc.id, "kind": kind, "date_date": day,
             "date_precision": precision, "version_id": version_id,
             "body_id": body_id if body_id is not None else (doc.body.id if meeting else None),
             "meeting_id": meeting.id if meeting else None, "actor_id": actor_id,
             "deadline": deadline},
        )  # fmt: skip

    def feedback(self, doc: Doc, circulation_id: int, circulated: dt.date, deadline: dt.date):
        rng = self.rng
        members = self.world.members_on(circulated)
        last = circulated
        for actor in rng.sample(members, min(len(members), rng.randrange(1, 4))):
            received = circulated + dt.timedelta(
                days=rng.randrange(1, (deadline - circulated).days + 1)
            )
            last = max(last, received)
            topic = pick(rng, TOPICS)[0]
            self.w.add(
                Feedback,
                {"circulation_id": circulation_id, "actor_id": actor.id, "received_on": received,
                 "text": f"{actor.name_en} proposes to strengthen the wording on {topic}.",
                 "file": "", "entered_by_id": None},
            )  # fmt: skip
        if last > circulated:
            self.event(doc, K.FEEDBACK_RECEIVED, last)

    def lifecycle(self, doc: Doc, *, procedure: bool) -> None:
        """Versions, texts and events of a document, from drafting to its decision."""
        rng, prose = self.rng, self.prose
        anchor = doc.anchor
        drafted = anchor - dt.timedelta(days=rng.randrange(45, 100))
        circulated = anchor - dt.timedelta(days=rng.randrange(20, 35))
        russian = rng.random() < 0.9
        paragraphs = prose.paragraphs(rng.randrange(3, 7))
        v1 = self.version(doc, drafted, paragraphs, russian=russian)
        old = doc.year < 1980 and drafted.month != circulated.month
        self.event(doc, K.DRAFTED, drafted, version_id=v1, precision="month" if old else "day")
        final = DECIDED.get(doc.type)
        if procedure:
            return self._procedure(doc, v1, circulated, paragraphs, russian)
        if doc.type in ("memorandum", "mou"):
            agreed = circulated + dt.timedelta(days=rng.randrange(1, 10))
            self.event(doc, K.AGREED, agreed, version_id=v1)
            if anchor < OPEN_FROM:
                self.event(doc, K.SIGNED, anchor, version_id=v1, meeting=doc.meeting)
            return
        deadline = circulated + dt.timedelta(days=rng.randrange(5, 15))
        circulation = self.event(doc, K.CIRCULATED, circulated, version_id=v1, deadline=deadline)
        last = v1
        if final is None or doc.meeting is None:
            # A note or letter of a body: answered, taken note of, agreed or withdrawn.
            if rng.random() < 0.2:
                self.feedback(doc, circulation, circulated, deadline)
            roll = rng.random()
            if doc.type == "concept_paper" and roll < 0.2 and anchor < OPEN_FROM:
                self.event(doc, K.WITHDRAWN, anchor)
            elif doc.type == "concept_paper" and roll < 0.7 and anchor < OPEN_FROM:
                self.event(doc, K.AGREED, anchor, version_id=v1)
            elif doc.type == "report" and anchor < OPEN_FROM:
                self.event(doc, K.TOOK_NOTE, anchor, version_id=v1)
            return
        if rng.random() < 0.2:
            self.feedback(doc, circulation, circulated, deadline)
        if rng.random() < 0.4:
            revised = deadline + dt.timedelta(days=rng.randrange(1, 4))
            if revised < anchor:
                changed = list(paragraphs)
                for _ in range(rng.randrange(1, 3)):
                    i = rng.randrange(len(changed))
                    changed[i] = prose.paragraphs(1, first=i + 1)[0]
                last = self.version(doc, revised, changed, russian=russian, note="Revised after "
                                    "comments.")  # fmt: skip
        if anchor >= OPEN_FROM:
            return  # still before the body at the end of the record
        if doc.type in ("statement", "declaration") and rng.random() < 0.5:
            agreed_on = anchor - dt.timedelta(days=rng.randrange(1, 3))
            if agreed_on > doc.events[-1][1]:
                self.event(doc, K.AGREED, agreed_on, version_id=last)
        self.event(doc, final, anchor, version_id=last, meeting=doc.meeting)
        if final == K.ADOPTED and doc.type == "decision":
            self._supersede(doc)

    def _procedure(self, doc: Doc, v1: int, circulated: dt.date, paragraphs, russian) -> None:
        rng = self.rng
        deadline = circulated + dt.timedelta(days=rng.randrange(5, 12))
        self.event(doc, K.CIRCULATED, circulated, version_id=v1, deadline=deadline)
        version, number = v1, 1
        opened = deadline + dt.timedelta(days=1)
        if rng.random() < 0.4:
            changed = list(paragraphs)
            i = rng.randrange(len(changed))
            changed[i] = self.prose.paragraphs(1, first=i + 1)[0]
            version = self.version(doc, deadline + dt.timedelta(days=1), changed,
                                   russian=russian, note="Revised for decision.")  # fmt: skip
            number, opened = 2, deadline + dt.timedelta(days=2)
        at_meeting = doc.meeting is not None and doc.meeting.day > opened
        closed = decisions.run(
            self.world, rng, version_id=version, version_label=f"{doc.symbol} v{number}",
            body_id=doc.body.id, body_name=doc.body.name_en,
            meeting_id=doc.meeting.id if at_meeting else None, opened_on=opened,
            decided_on=doc.meeting.day if at_meeting else None,
        )  # fmt: skip
        if closed.state == "adopted":
            meeting = doc.meeting if at_meeting else None
            self.event(doc, K.ADOPTED, closed.day, version_id=version, pk=closed.event_id,
                       meeting=meeting, body_id=doc.body.id)  # fmt: skip
        elif rng.random() < 0.3 and closed.day + dt.timedelta(days=30) <= LAST_DAY:
            self.event(doc, K.WITHDRAWN, closed.day + dt.timedelta(days=30))

    def _supersede(self, doc: Doc) -> None:
        """Now and then a decision replaces an earlier one of its body."""
        pool = self.adopted[doc.body.id]
        if pool and self.rng.random() < 0.03:
            old_id, _symbol, old_day = pool.pop(self.rng.randrange(len(pool)))
            if old_day < doc.anchor:
                self.w.add(
                    DocumentRelation,
                    {"from_document_id": doc.id, "kind": "supersedes",
                     "to_document_id": old_id},
                )  # fmt: skip
                self.w.add(
                    DocumentEvent,
                    {"document_id": old_id, "kind": K.SUPERSEDED, "date_date": doc.anchor,
                     "date_precision": "day", "meeting_id": doc.meeting.id if doc.meeting
                     else None, "body_id": doc.body.id},
                )  # fmt: skip
                return
        pool.append((doc.id, doc.symbol, doc.anchor))
        if len(pool) > 40:
            pool.pop(0)

    def relate(self, doc: Doc) -> None:
        """A few documents amend, implement or answer an earlier one of their body."""
        earlier = [d for d in self.recent[doc.body.id] if d != doc.id]
        if earlier and self.rng.random() < 0.03:
            kind = pick(self.rng, ["amends", "implements", "responds_to", "annex_to"])
            self.w.add(
                DocumentRelation,
                {"from_document_id": doc.id, "kind": kind,
                 "to_document_id": earlier[self.rng.randrange(len(earlier))]},
            )  # fmt: skip


def write_documents(world: World, writer: DocumentWriter, total: int, tick) -> None:
    """`total` documents, more in later years, and `sizes.procedures` of them decided by
    consensus procedure."""
    rng = world.stream("documents-plan")
    per_year = spread(total, year_weights())
    first_index = {}
    index = 0
    for year, count in zip(range(FIRST_YEAR, LAST_YEAR + 1), per_year, strict=True):
        first_index[year] = index
        index += count
    eligible = range(first_index[FIRST_YEAR + 1], total)
    chosen = set(rng.sample(eligible, min(world.sizes.procedures, len(eligible))))
    bodies = world.bodies
    index = 0
    for year, count in zip(range(FIRST_YEAR, LAST_YEAR + 1), per_year, strict=True):
        meetings = world.held_by_year.get(year, [])
        between = [b for b in (bodies["secretariat"], bodies["cpr"], bodies["soc"])
                   if b.established.year < year] or [bodies["summit"]]  # fmt: skip
        for _ in range(count):
            procedure = index in chosen
            index += 1
            if meetings and rng.random() < (0.6 if procedure else 0.85):
                meeting = meetings[rng.randrange(len(meetings))]
                body, anchor = meeting.body, meeting.day
                type = "decision" if procedure else _weighted(rng, MEETING_TYPES)
            else:
                meeting, body = None, between[rng.randrange(len(between))]
                first = 100 if year == FIRST_YEAR else 1
                anchor = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(first, 360))
                type = "decision" if procedure else _weighted(rng, OTHER_TYPES)
            roll = rng.random()
            access = "public" if roll < 0.8 else "restricted" if roll < 0.95 else "confidential"
            doc = writer.new(type=type, body=body, meeting=meeting, anchor=anchor, access=access)
            writer.lifecycle(doc, procedure=procedure)
            writer.relate(doc)
            if index % 500 == 0:
                tick(500)
    tick(index % 500)
