"""The CICA dataset for the modules that report on it, and a small organization for the rest."""

from __future__ import annotations

import pytest

from secretariat.accounts import services as accounts
from secretariat.documents import services as documents
from secretariat.records import services as core
from tests.helpers import PASSWORD


class Small:
    """An organization of three member states chaired in turn, a summit in 2022 that adopted
    a public and a restricted paper, a confidential paper, and people in every role."""

    def __init__(self, build):
        b = self.build = build
        src = [b.source]
        core.organization_upsert(
            slug="exo", name_en="Example Organization", name_ru="Пример",
            short_name_en="EXO", short_name_ru="ЭКЗ", founded="2002-05-10", sources=src,
        )  # fmt: skip
        self.alpha = b.actor("alpha", name_en="Alpha", name_ru="Альфа")
        self.beta = b.actor("beta", name_en="Beta", name_ru="Бета")
        self.gamma = b.actor("gamma", name_en="Gamma")  # no Russian name: shown in English
        for state in (self.alpha, self.beta, self.gamma):
            b.status(state, "member", "2000-01-01")
        self.omega = b.actor("omega", name_en="Omega")
        b.status(self.omega, "observer", "2021-03-01")
        self.summit_body = b.body("summit", "summit", name_en="Summit", name_ru="Саммит")
        self.council = b.body("council", "ministerial_council", name_en="Council")
        self.summit = b.meeting(
            "summit-2", self.summit_body, ordinal=2, title_en="Second Summit",
            title_ru="Второй саммит",
            schedule=[{"kind": "held", "start": "2022-05-10", "city_en": "Capital"}],
        )  # fmt: skip
        self.council_meeting = b.meeting(
            "council-2021", self.council, title_en="Council meeting 2021",
            schedule=[{"kind": "held", "start": "2021-06-01", "mode": "online"}],
        )  # fmt: skip
        self.handover = b.meeting(
            "council-2023", self.council, title_en="Council meeting 2023",
            schedule=[
                {"kind": "planned", "start": "2023-01-20", "city_en": "Harbour",
                 "announced": "2022-06"},
                {"kind": "held", "start": "2023-01-10", "mode": "online"},
            ],
        )  # fmt: skip
        b.chair(self.alpha, "2019-01-01", "2021-01-01")
        b.chair(self.beta, "2021-01-01", "2023-01-10", decided_at=self.council_meeting)
        b.chair(self.gamma, "2023-01-10", taken_over_at=self.handover, decided_on="2022-05-10")
        self.public = self.paper("Open Declaration", access="public", key="open-declaration")
        self.restricted = self.paper(
            "Zanzibarquartz Decision", access="restricted", key="zanzibar-decision"
        )
        self.confidential = self.paper(
            "Xylophonequill Agreement", access="confidential", key="xylo-agreement"
        )
        make = accounts.account_create
        self.member = make(
            username="alpha-delegate", password=PASSWORD, role="delegate", actor=self.alpha
        ).user
        self.observer = make(
            username="omega-delegate", password=PASSWORD, role="delegate", actor=self.omega
        ).user
        self.officer = make(username="officer", password=PASSWORD, role="officer").user
        self.reader = make(username="reader", password=PASSWORD, role="public").user

    def paper(self, title: str, *, access: str, key: str, date: str = "2022-05-10"):
        """A paper adopted at the summit."""
        src = [self.build.source]
        doc = documents.document_create(
            type="decision", title_en=title, key=key, access=access, sources=src,
            symbol=f"EXO/{key.upper()}",
        )  # fmt: skip
        documents.document_event_upsert(
            document=doc, kind="adopted", date=date, meeting=self.summit,
            body=self.summit_body, sources=src,
        )  # fmt: skip
        return doc


@pytest.fixture
def small(build) -> Small:
    return Small(build)
