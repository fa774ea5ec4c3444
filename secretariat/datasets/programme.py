"""Loading programme.yaml: the Catalogue of CBMs, its events and reviews, the Road Map,
and quotations (format in data/README.md, "programme.yaml")."""

from __future__ import annotations

from secretariat.programme import services as programme
from secretariat.programme.models import CbmEvent, CoordinatorRole, Task

from .yamlfile import DatasetError, Entry

TOP = {"catalogue_editions", "cbm_events", "reviews", "roadmap", "quotations"}


class ProgrammeRecords:
    """The Loader's handler for programme.yaml (it provides the field readers and tables)."""

    def _programme(self, rec: Entry) -> None:
        unknown = set(rec) - TOP
        if unknown:
            key = sorted(unknown, key=rec.line_of)[0]
            raise DatasetError(rec.file, rec.line_of(key), f"unknown section '{key}'")
        self._cbm_areas: dict[tuple[str, int], object] = {}
        for item in self._list(rec, "catalogue_editions"):
            self._guarded(item, self._cbm_edition)
        for item in self._list(rec, "cbm_events"):
            self._guarded(item, self._cbm_event)
        for item in self._list(rec, "reviews"):
            self._guarded(item, self._cbm_review)
        roadmap = rec.get("roadmap")
        if roadmap is not None:
            if not isinstance(roadmap, Entry):
                raise DatasetError(rec.file, rec.line_of("roadmap"), "'roadmap' is a mapping")
            self._guarded(roadmap, self._roadmap)
        for item in self._list(rec, "quotations"):
            self._guarded(item, self._quotation)

    # --- helpers -----------------------------------------------------------------

    def _refs(self, rec: Entry, key: str, table: dict, what: str) -> list:
        keys = rec.get(key) or []
        if not isinstance(keys, list):
            raise DatasetError(rec.file, rec.line_of(key), f"'{key}' must be a list of keys")
        missing = [k for k in keys if str(k) not in table]
        if missing:
            raise DatasetError(rec.file, rec.line_of(key), f"unknown {what} '{missing[0]}'")
        return [table[str(k)] for k in keys]

    def _number(self, rec: Entry, key: str) -> int:
        value = rec.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise DatasetError(rec.file, rec.line_of(key), f"'{key}' must be 1, 2, 3...")
        return value

    # --- the catalogue -----------------------------------------------------------

    def _cbm_edition(self, rec: Entry) -> None:
        self._fields(rec, {"document"}, {"dimensions", "areas", "related"})
        key = self._text(rec, "document")
        document = self._ref(rec, "document", self.documents, "document")
        edition, outcome = programme.edition_upsert(document=document, **self._common(rec))
        self._count("CBM catalogue editions", outcome)
        dimensions = {}
        for item in self._list(rec, "dimensions"):
            dimension = self._guarded(item, self._cbm_dimension)
            dimensions[dimension.slug] = dimension
        for item in self._list(rec, "related"):
            self._guarded(item, self._cbm_related, edition)
        for item in self._list(rec, "areas"):
            area = self._guarded(item, self._cbm_area, edition, dimensions)
            self._cbm_areas[(key, area.number)] = area

    def _cbm_dimension(self, rec: Entry):
        self._fields(rec, {"slug", "name"}, set())
        name_en, name_ru = self._names(rec, "name", required=True)
        common = self._common(rec)
        common.pop("variants")
        dimension, outcome = programme.dimension_upsert(
            slug=self._text(rec, "slug"), name_en=name_en, name_ru=name_ru, **common
        )
        self._count("CBM dimensions", outcome)
        return dimension

    def _cbm_related(self, rec: Entry, edition) -> None:
        self._fields(rec, {"document"}, set())
        common = self._common(rec)
        common.pop("variants")
        _, outcome = programme.edition_document_link(
            edition=edition,
            document=self._ref(rec, "document", self.documents, "document"),
            **common,
        )
        self._count("CBM related documents", outcome)

    def _cbm_area(self, rec: Entry, edition, dimensions: dict):
        self._fields(
            rec,
            {"number", "title", "dimension"},
            {"number_ours", "added_on", "added_at", "added_by", "roles"},
        )
        title_en, title_ru = self._names(rec, "title", required=True)
        area, outcome = programme.area_upsert(
            edition=edition,
            number=self._number(rec, "number"),
            number_ours=self._bool(rec, "number_ours", False),
            dimension=self._ref(rec, "dimension", dimensions, "dimension of this edition"),
            title_en=title_en,
            title_ru=title_ru,
            added_on=self._date(rec, "added_on"),
            added_at=self._ref(rec, "added_at", self.meetings, "meeting"),
            added_by=self._ref(rec, "added_by", self.documents, "document"),
            **self._common(rec),
        )
        self._count("CBM priority areas", outcome)
        for item in self._list(rec, "roles"):
            self._guarded(item, self._cbm_role, area)
        return area

    def _cbm_role(self, rec: Entry, area) -> None:
        self._fields(
            rec, {"actor", "role", "start"}, {"start_attested", "end", "decided_at", "decided_by"}
        )
        _, outcome = programme.coordinator_role_upsert(
            area=area,
            actor=self._ref(rec, "actor", self.actors, "actor"),
            role=self._choice(rec, "role", CoordinatorRole.Role.values),
            start=self._date(rec, "start"),
            start_attested=self._bool(rec, "start_attested", False),
            end=self._date(rec, "end"),
            decided_at=self._ref(rec, "decided_at", self.meetings, "meeting"),
            decided_by=self._ref(rec, "decided_by", self.documents, "document"),
            **self._common(rec),
        )
        self._count("CBM coordinator roles", outcome)

    def _cbm_event(self, rec: Entry) -> None:
        self._fields(rec, {"edition", "area", "kind", "title", "date"}, {"organizer", "place"})
        key = (self._text(rec, "edition"), self._number(rec, "area"))
        if key not in self._cbm_areas:
            raise DatasetError(
                rec.file, rec.line_of("area"), f"no area {key[1]} in edition '{key[0]}'"
            )
        title_en, title_ru = self._names(rec, "title", required=True)
        place_en, place_ru = self._names(rec, "place")
        _, outcome = programme.cbm_event_upsert(
            area=self._cbm_areas[key],
            kind=self._choice(rec, "kind", CbmEvent.Kind.values),
            title_en=title_en,
            title_ru=title_ru,
            organizer=self._ref(rec, "organizer", self.actors, "actor"),
            date=self._date(rec, "date"),
            place_en=place_en,
            place_ru=place_ru,
            **self._common(rec),
        )
        self._count("CBM events", outcome)

    def _cbm_review(self, rec: Entry) -> None:
        self._fields(rec, {"date"}, {"meeting", "documents"})
        _, outcome = programme.review_upsert(
            date=self._date(rec, "date"),
            meeting=self._ref(rec, "meeting", self.meetings, "meeting"),
            documents=self._refs(rec, "documents", self.documents, "document"),
            **self._common(rec),
        )
        self._count("CBM reviews", outcome)

    # --- the road map --------------------------------------------------------------

    def _roadmap(self, rec: Entry) -> None:
        unknown = set(rec) - {"document", "clusters"}
        if unknown:
            key = sorted(unknown, key=rec.line_of)[0]
            raise DatasetError(rec.file, rec.line_of(key), f"unknown field '{key}'")
        document = self._ref(rec, "document", self.documents, "document")
        if document is None:
            raise DatasetError(rec.file, rec.line, "say which document the road map is")
        for item in self._list(rec, "clusters"):
            self._guarded(item, self._cluster, document)

    def _cluster(self, rec: Entry, roadmap) -> None:
        self._fields(rec, {"number", "title"}, {"tasks", "focus", "documents", "steps"})
        title_en, title_ru = self._names(rec, "title", required=True)
        cluster, outcome = programme.cluster_upsert(
            roadmap=roadmap,
            number=self._number(rec, "number"),
            title_en=title_en,
            title_ru=title_ru,
            documents=self._refs(rec, "documents", self.documents, "document"),
            **self._common(rec),
        )
        self._count("road-map clusters", outcome)
        for position, item in enumerate(self._list(rec, "tasks"), 1):
            self._guarded(item, self._task, cluster, position)
        for item in self._list(rec, "focus"):
            self._guarded(item, self._focus, cluster)
        steps = [self._guarded(item, self._step) for item in self._list(rec, "steps")]
        if steps:
            for outcome in self._guarded(
                rec, lambda r: programme.cluster_steps_set(cluster=cluster, steps=steps)
            ):
                self._count("next steps", outcome)

    def _task(self, rec: Entry, cluster, position: int) -> None:
        self._fields(rec, {"title"}, {"status", "lead", "contributing"})
        title_en, title_ru = self._names(rec, "title", required=True)
        _, outcome = programme.task_upsert(
            cluster=cluster,
            position=position,
            title_en=title_en,
            title_ru=title_ru,
            status=self._choice(rec, "status", Task.Status.values, Task.Status.PENDING),
            lead_states=self._refs(rec, "lead", self.actors, "actor"),
            contributing_states=self._refs(rec, "contributing", self.actors, "actor"),
            **self._common(rec),
        )
        self._count("road-map tasks", outcome)

    def _focus(self, rec: Entry, cluster) -> None:
        self._fields(rec, {"year"}, set())
        year = rec.get("year")
        if not isinstance(year, int) or not 1000 <= year <= 9999:
            raise DatasetError(rec.file, rec.line_of("year"), "'year' must be four digits")
        common = self._common(rec)
        common.pop("variants")
        _, outcome = programme.cluster_focus_upsert(cluster=cluster, year=year, **common)
        self._count("road-map focus", outcome)

    # --- quotations ----------------------------------------------------------------

    def _quotation(self, rec: Entry) -> None:
        self._fields(rec, {"text", "speaker", "topic"}, {"speaker_actor", "meeting", "date"})
        text_en, text_ru = self._names(rec, "text", required=True)
        speaker_en, speaker_ru = self._names(rec, "speaker", required=True)
        _, outcome = programme.quotation_upsert(
            text_en=text_en,
            text_ru=text_ru,
            speaker_en=speaker_en,
            speaker_ru=speaker_ru,
            speaker_actor=self._ref(rec, "speaker_actor", self.actors, "actor"),
            meeting=self._ref(rec, "meeting", self.meetings, "meeting"),
            date=self._date(rec, "date"),
            topic=self._text(rec, "topic"),
            **self._common(rec),
        )
        self._count("quotations", outcome)
