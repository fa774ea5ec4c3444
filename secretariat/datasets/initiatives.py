"""Loading initiatives.yaml: priorities, initiatives, partnerships and institutions' records."""

from __future__ import annotations

from secretariat.checklists import services as checklists
from secretariat.core.partial_dates import PartialDate
from secretariat.initiatives import services as initiatives
from secretariat.initiatives.models import (
    FundProject,
    Initiative,
    InitiativeEvent,
    PartnershipEvent,
)
from secretariat.registry.models import Chairmanship

from .yamlfile import DatasetError, Entry

# Top-level keys, in the order they load (initiatives name priorities).
KEYS = (
    "priorities",
    "initiatives",
    "partnerships",
    "fund_projects",
    "fund_contributions",
    "reported_counts",
)


def _by_date(rec: Entry):
    """Events load in date order, so each prefix of a history is checked as it grows."""
    try:
        return PartialDate.parse(rec.get("date")).earliest
    except Exception:  # a bad date is refused, with its line, when the event loads
        return PartialDate(1000).earliest


class InitiativeRecords:
    """The Loader's handlers for initiatives.yaml (it provides the field readers)."""

    def _initiatives_file(self, data: Entry) -> None:
        """Load the whole mapping, key by key (call with the parsed file, expect=Entry)."""
        unknown = set(data) - set(KEYS)
        if unknown:
            key = sorted(unknown, key=data.line_of)[0]
            raise DatasetError(data.file, data.line_of(key), f"unknown section '{key}'")
        self.priorities_sets: dict = {}
        handlers = {
            "priorities": self._priorities,
            "initiatives": self._initiative,
            "partnerships": self._partnership,
            "fund_projects": self._fund_project,
            "fund_contributions": self._fund_contribution,
            "reported_counts": self._reported_count,
        }
        for key in KEYS:
            records = self._list(data, key)
            self._each("initiatives.yaml", records, handlers[key])

    def _chairmanship_by_start(self, rec: Entry, key: str):
        start = self._date(rec, key)
        if start is None:
            return None
        term = Chairmanship.objects.filter(
            start_date=start.earliest, start_precision=start.precision.value
        ).first()
        if term is None:
            raise DatasetError(rec.file, rec.line_of(key), f"no chairmanship starts on {start}")
        return term

    def _priorities(self, rec: Entry) -> None:
        self._fields(rec, {"slug", "title"}, {"chairmanship_start", "start", "end"})
        title_en, title_ru = self._names(rec, "title", required=True)
        slug = self._text(rec, "slug")
        item, outcome = initiatives.priorities_upsert(
            slug=slug,
            title_en=title_en,
            title_ru=title_ru,
            chairmanship=self._chairmanship_by_start(rec, "chairmanship_start"),
            start=self._date(rec, "start"),
            end=self._date(rec, "end"),
            **self._common(rec),
        )
        if not hasattr(self, "priorities_sets"):
            self.priorities_sets = {}
        self.priorities_sets[slug] = item
        self._count("priorities", outcome)

    def _refs(self, rec: Entry, key: str, table: dict, what: str) -> list:
        items = rec.get(key) or []
        if not isinstance(items, list):
            raise DatasetError(rec.file, rec.line_of(key), f"'{key}' must be a list")
        missing = [str(i) for i in items if str(i) not in table]
        if missing:
            raise DatasetError(rec.file, rec.line_of(key), f"unknown {what} '{missing[0]}'")
        return [table[str(i)] for i in items]

    def _proposer(self, rec: Entry) -> dict:
        value = rec.get("proposer")
        if value is None:
            return {}
        if (
            not isinstance(value, Entry)
            or len(value) != 1
            or set(value) - {"actor", "body", "chairmanship_start"}
        ):
            raise DatasetError(
                rec.file,
                rec.line_of("proposer"),
                "'proposer' is one of {actor: slug}, {body: slug}, {chairmanship_start: date}",
            )
        return {
            "proposer_actor": self._ref(value, "actor", self.actors, "actor"),
            "proposer_body": self._ref(value, "body", self.bodies, "body"),
            "proposer_chairmanship": self._chairmanship_by_start(value, "chairmanship_start"),
        }

    def _initiative(self, rec: Entry) -> None:
        self._fields(
            rec,
            {"slug", "title"},
            {
                "kind",
                "proposer",
                "launched_at",
                "priorities",
                "meetings",
                "documents",
                "events",
                "expectations",
                "steps",
            },
        )
        title_en, title_ru = self._names(rec, "title", required=True)
        initiative, outcome = initiatives.initiative_upsert(
            slug=self._text(rec, "slug"),
            title_en=title_en,
            title_ru=title_ru,
            kind=self._choice(rec, "kind", Initiative.Kind.values, Initiative.Kind.INITIATIVE),
            launched_at=self._ref(rec, "launched_at", self.meetings, "meeting"),
            priorities=self._refs(
                rec, "priorities", getattr(self, "priorities_sets", {}), "priorities"
            ),
            meetings=self._refs(rec, "meetings", self.meetings, "meeting"),
            documents=self._refs(rec, "documents", self.documents, "document"),
            **self._proposer(rec),
            **self._common(rec),
        )
        self._count("initiatives", outcome)
        events = self._list(rec, "events")
        events.sort(key=_by_date)
        for item in events:
            self._guarded(item, self._initiative_event, initiative)
        for position, item in enumerate(self._list(rec, "expectations"), 1):
            self._guarded(item, self._expectation, initiative, position)
        steps = [self._guarded(item, self._step) for item in self._list(rec, "steps")]
        if steps or "steps" in rec:
            for result in self._guarded(
                rec, lambda r: checklists.checklist_set(subject=initiative, steps=steps)
            ):
                self._count("next steps", result)

    def _initiative_event(self, rec: Entry, initiative) -> None:
        self._fields(rec, {"kind", "date"}, {"meeting", "document"})
        _, outcome = initiatives.initiative_event_upsert(
            initiative=initiative,
            kind=self._choice(rec, "kind", InitiativeEvent.Kind.values),
            date=self._date(rec, "date"),
            meeting=self._ref(rec, "meeting", self.meetings, "meeting"),
            document=self._ref(rec, "document", self.documents, "document"),
            **self._common(rec),
        )
        self._count("initiative events", outcome)

    def _expectation(self, rec: Entry, initiative, position: int) -> None:
        self._fields(rec, {"text"}, {"due", "from", "responses"})
        text_en, text_ru = self._names(rec, "text", required=True)
        asked = rec.get("from", "all")
        if asked == "all":
            addressees = None
        elif isinstance(asked, list):
            addressees = self._refs(rec, "from", self.actors, "actor")
        else:
            raise DatasetError(rec.file, rec.line_of("from"), "'from' is 'all' or a list of actors")
        expectation, outcome = initiatives.expectation_upsert(
            initiative=initiative,
            position=position,
            text_en=text_en,
            text_ru=text_ru,
            addressees=addressees,
            due=self._date(rec, "due"),
            **self._common(rec),
        )
        self._count("expectations", outcome)
        for item in self._list(rec, "responses"):
            self._guarded(item, self._response, expectation)

    def _response(self, rec: Entry, expectation) -> None:
        self._fields(rec, {"actor", "date"}, {"text"})
        text_en, text_ru = self._names(rec, "text")
        _, outcome = initiatives.expectation_response_upsert(
            expectation=expectation,
            actor=self._ref(rec, "actor", self.actors, "actor"),
            date=self._date(rec, "date"),
            text_en=text_en,
            text_ru=text_ru,
            **self._common(rec),
        )
        self._count("expectation responses", outcome)

    def _partnership(self, rec: Entry) -> None:
        self._fields(rec, {"actor"}, {"events"})
        partnership, outcome = initiatives.partnership_upsert(
            actor=self._ref(rec, "actor", self.actors, "actor"), **self._common(rec)
        )
        self._count("partnerships", outcome)
        events = self._list(rec, "events")
        events.sort(key=_by_date)
        for item in events:
            self._guarded(item, self._partnership_event, partnership)

    def _partnership_event(self, rec: Entry, partnership) -> None:
        self._fields(rec, {"kind", "date"}, {"meeting", "body", "document"})
        _, outcome = initiatives.partnership_event_upsert(
            partnership=partnership,
            kind=self._choice(rec, "kind", PartnershipEvent.Kind.values),
            date=self._date(rec, "date"),
            meeting=self._ref(rec, "meeting", self.meetings, "meeting"),
            body=self._ref(rec, "body", self.bodies, "body"),
            document=self._ref(rec, "document", self.documents, "document"),
            **self._common(rec),
        )
        self._count("partnership events", outcome)

    def _fund_project(self, rec: Entry) -> None:
        self._fields(rec, {"fund", "title"}, {"proposer", "status", "start", "end"})
        title_en, title_ru = self._names(rec, "title", required=True)
        _, outcome = initiatives.fund_project_upsert(
            fund=self._ref(rec, "fund", self.bodies, "body"),
            title_en=title_en,
            title_ru=title_ru,
            proposer=self._ref(rec, "proposer", self.actors, "actor"),
            status=self._choice(rec, "status", FundProject.Status.values, "proposed"),
            start=self._date(rec, "start"),
            end=self._date(rec, "end"),
            **self._common(rec),
        )
        self._count("fund projects", outcome)

    def _fund_contribution(self, rec: Entry) -> None:
        self._fields(rec, {"fund", "actor", "date"}, {"amount", "currency", "in_kind"})
        amount = rec.get("amount")
        if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int | float)):
            raise DatasetError(rec.file, rec.line_of("amount"), "'amount' must be a number")
        _, outcome = initiatives.fund_contribution_upsert(
            fund=self._ref(rec, "fund", self.bodies, "body"),
            actor=self._ref(rec, "actor", self.actors, "actor"),
            date=self._date(rec, "date"),
            amount=amount,
            currency=self._text(rec, "currency"),
            in_kind_en=self._text(rec, "in_kind"),
            **self._common(rec),
        )
        self._count("fund contributions", outcome)

    def _reported_count(self, rec: Entry) -> None:
        self._fields(rec, {"body", "as_of", "value"}, set())
        value = rec.get("value")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise DatasetError(rec.file, rec.line_of("value"), "'value' must be a whole number")
        _, outcome = initiatives.reported_count_upsert(
            body=self._ref(rec, "body", self.bodies, "body"),
            as_of=self._date(rec, "as_of"),
            value=value,
            **self._common(rec),
        )
        self._count("reported counts", outcome)
