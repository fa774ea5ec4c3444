"""A small library of records for search: public, restricted, confidential, shared and
embargoed documents with texts, plus a meeting, an actor, a body and an initiative,
indexed as the application does it: as the writes commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial

import pytest

from secretariat.accounts import services as accounts
from secretariat.initiatives import services as initiatives
from secretariat.records.services import validated_save
from tests.conftest import as_committed
from tests.documents.conftest import Docs
from tests.helpers import PASSWORD

# Words found only in documents some users may not read.
RESTRICTED_WORDS = ["zanzibarquartz", "занзибаркварц", "quokkanote", "ultravioletplum"]
CONFIDENTIAL_WORDS = ["xylophonequill", "ксилофонперо", "wombatnote", "infraredfig"]
SHARED_WORDS = ["marmaladeowl", "мармеладсова", "platypusnote", "cobaltpear"]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the block's writes, then what a real commit runs (the
    index is updated just before it)."""
    return partial(as_committed, django_capture_on_commit_callbacks)


@pytest.fixture
def docs(build) -> Docs:
    return Docs(build)


def add_text(docs: Docs, document, language: str, words: str, **version):
    """A new version of the document with a plain-text file in `language`."""
    v = docs.version(document, **version)
    docs.text(v, language, name="t.txt", data=f"{words}\n".encode())
    return v


def secret(docs: Docs, key: str, words: list[str], access: str, **kw):
    """A document whose title, Russian title, note and text each carry one of `words`."""
    doc = docs.document(
        f"EXO/{key.upper()}", key=key, title_en=f"Paper {words[0]}",
        title_ru=f"Документ {words[1]}", note=f"Note on {words[2]}", access=access, **kw,
    )  # fmt: skip
    add_text(docs, doc, "en", f"The body of the paper speaks of {words[3]}.")
    return doc


@dataclass
class Library:
    public: dict = field(default_factory=dict)
    restricted: object = None
    confidential: object = None
    shared: object = None
    member: object = None
    observer: object = None


@pytest.fixture
def library(build, docs, committed) -> Library:
    lib = Library()
    with committed():
        summit = build.body("summit", kind="summit", name_en="Summit", name_ru="Саммит")
        council = build.body("council", kind="ministerial_council", name_en="Council")
        meeting = build.meeting(
            "summit-6", summit, ordinal=6, title_en="Sixth Summit",
            schedule=[{"kind": "held", "start": "2022-10-12", "city_en": "Astana"}],
        )  # fmt: skip
        (lib.member,) = docs.members("alpha")
        lib.observer = build.actor("omega", kind="organization", name_en="Omega Union")
        build.status(lib.observer, "observer", "2010-01-01")
        # Public documents: one with the word in its title, one with it in its text only.
        maritime = docs.document(
            "EXO/S/1", key="maritime-title", title_en="Maritime security cooperation",
            title_ru="Морское сотрудничество", body=summit,
        )  # fmt: skip
        docs.event(maritime, "adopted", "2021-10-12", meeting=meeting)
        add_text(docs, maritime, "ru", "Государства ратифицировали соглашение о ратификации.")
        in_text = docs.document("EXO/C/2", key="maritime-text", title_en="Annual report",
                                body=council)  # fmt: skip
        add_text(
            docs, in_text, "en",
            "The member states ratified the treaty. Maritime routes, maritime trade and "
            "maritime law <em>bolded</em> & more <script>alert(1)</script>.", date="2019-05-01",
        )  # fmt: skip
        docs.event(in_text, "drafted", "2019-05-01")
        lib.public = {"title": maritime, "text": in_text, "meeting": meeting}
        lib.restricted = secret(docs, "zq", RESTRICTED_WORDS, "restricted", body=summit)
        lib.confidential = secret(docs, "xq", CONFIDENTIAL_WORDS, "confidential")
        lib.shared = secret(docs, "mo", SHARED_WORDS, "restricted")
        lib.shared.shared_with.add(lib.observer)
        initiatives.initiative_upsert(
            slug="green-belt", title_en="Green belt initiative", proposer_body=council,
            sources=docs.sources,
        )  # fmt: skip
    return lib


@pytest.fixture
def readers(library) -> dict:
    """A user of each role (apart from the library: hashing passwords takes time)."""
    make = partial(accounts.account_create, password=PASSWORD)
    return {
        "public": None,
        "member": make(username="alpha-delegate", role="delegate", actor=library.member).user,
        "observer": make(username="omega-delegate", role="delegate", actor=library.observer).user,
        "officer": make(username="officer", role="officer").user,
    }


def embargo(document, day: dt.date) -> None:
    """Set the document's embargo (no service edits it: the one way to save a row)."""
    document.public_from = day
    validated_save(document)
