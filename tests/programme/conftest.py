"""A small programme: two catalogue editions, areas, roles, events, reviews, a road map."""

from __future__ import annotations

import pytest

from secretariat.documents import services as documents
from secretariat.programme import services as programme


class Programme:
    """Made-up records built through the services (no fact here is about a real one)."""

    def __init__(self, build):
        self.build = build
        src = [build.source]
        self.src = src
        self.alpha, self.beta, self.gamma = (build.actor(s) for s in ("alpha", "beta", "gamma"))
        self.soc = build.meeting("soc-2021-01")
        self.old = self.document("catalogue-2004", "catalogue", adopted="2004-10-22")
        self.new = self.document("catalogue-2021", "catalogue", adopted="2021-10")
        self.guidelines = self.document("guidelines-2021", "guidelines", adopted="2021-06")
        self.decision = self.document("soc-decision-2021", "decision", adopted="2021-01-20")
        self.edition_2004, _ = programme.edition_upsert(document=self.old, sources=src)
        self.edition, _ = programme.edition_upsert(document=self.new, sources=src)
        programme.edition_document_link(edition=self.edition, document=self.guidelines, sources=src)
        self.economic, _ = programme.dimension_upsert(
            slug="economic", name_en="Economic dimension", sources=src
        )
        self.human, _ = programme.dimension_upsert(
            slug="human", name_en="Human dimension", sources=src
        )
        self.old_area, _ = programme.area_upsert(
            edition=self.edition_2004, number=1, dimension=self.economic,
            title_en="Trade", sources=src,
        )  # fmt: skip
        self.trade, _ = programme.area_upsert(
            edition=self.edition, number=1, dimension=self.economic,
            title_en="Trade and investment", sources=src,
        )  # fmt: skip
        self.health, _ = programme.area_upsert(
            edition=self.edition, number=2, dimension=self.human,
            title_en="Epidemiological safety", added_on="2021-01", added_at=self.soc,
            added_by=self.decision, sources=src,
        )  # fmt: skip

    def document(self, key, type, *, adopted=None):
        doc, _ = documents.document_upsert(
            key=key, symbol=key.upper(), type=type, title_en=key.replace("-", " ").title(),
            sources=self.src,
        )  # fmt: skip
        if adopted:
            documents.document_event_upsert(
                document=doc, kind="adopted", date=adopted, sources=self.src
            )
        return doc

    def lifecycle(self):
        """The documents' lifecycle as the registry keeps it: the 2021 edition supersedes the
        2004 one (dated to the month), a 2024 edition, with no area on record, supersedes
        the 2021 one on 17 December 2024."""
        documents.document_event_upsert(
            document=self.old, kind="superseded", date="2021-10", sources=self.src
        )
        documents.relation_add(
            from_document=self.new, kind="supersedes", to_document=self.old, sources=self.src
        )
        documents.document_event_upsert(
            document=self.new, kind="superseded", date="2024-12-17", sources=self.src
        )
        self.newest = self.document("catalogue-2024", "catalogue", adopted="2024-12-17")
        documents.relation_add(
            from_document=self.newest, kind="supersedes", to_document=self.new, sources=self.src
        )
        self.edition_2024, _ = programme.edition_upsert(document=self.newest, sources=self.src)
        return self

    def role(self, area, actor, role, start, end=None, **kw):
        row, _ = programme.coordinator_role_upsert(
            area=area, actor=actor, role=role, start=start, end=end, sources=self.src, **kw
        )
        return row

    def event(self, area, title, date, *, organizer=None, kind="seminar"):
        row, _ = programme.cbm_event_upsert(
            area=area, title_en=title, date=date, kind=kind, organizer=organizer,
            sources=self.src,
        )  # fmt: skip
        return row

    def roadmap(self):
        self.road_map = self.document("road-map", "road_map", adopted="2022-10")
        self.charter, _ = programme.cluster_upsert(
            roadmap=self.road_map, number=1, title_en="Charter", sources=self.src,
            documents=[self.decision],
        )  # fmt: skip
        self.rules, _ = programme.cluster_upsert(
            roadmap=self.road_map, number=4, title_en="Rules of Procedure", sources=self.src
        )
        for position, status in enumerate(["done", "in_progress", "dropped"], 1):
            programme.task_upsert(
                cluster=self.charter, position=position, title_en=f"Task {position}",
                status=status, lead_states=[self.alpha], contributing_states=[self.beta],
                sources=self.src,
            )  # fmt: skip
        programme.task_upsert(
            cluster=self.rules, position=1, title_en="Draft the rules", status="done",
            sources=self.src,
        )  # fmt: skip
        for cluster in (self.charter, self.rules):
            programme.cluster_focus_upsert(
                cluster=cluster, year=2024, note="Focus in 2024", sources=self.src
            )
        programme.cluster_steps_set(
            cluster=self.charter,
            steps=[{"title_en": "Circulate the draft", "sources": self.src}],
        )
        return self.road_map


@pytest.fixture
def world(build) -> Programme:
    return Programme(build)
