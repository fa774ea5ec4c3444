"""Akoma Ntoso for those who may read the document only; its text, steps and dates."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

from secretariat.accounts import services as accounts
from secretariat.documents import services as documents
from secretariat.exchange import akn
from tests.decisions.world import World
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db
XSD = Path(__file__).parent.parent / "standards" / "akomantoso" / "akomantoso30.xsd"
NS = {"a": akn.NS, "sec": akn.EXT}
TEXT = "Article 1\nThe parties agree.\n\nArticle 2\nIt enters into force on signature.\n"


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(XSD)))


@pytest.fixture
def world(build):
    world = World(build)
    src = [build.source]
    world.secret = documents.document_create(
        type="declaration", symbol="EXO/SECRET/1", key="secret-declaration",
        title_en="Secret declaration", title_ru="Секретная декларация", access="restricted",
        sources=src,
    )  # fmt: skip
    version = documents.version_create(document=world.secret, date="2024-02-01")
    documents.text_upload(
        version=version, language="en", uploaded_file=SimpleUploadedFile("t.txt", TEXT.encode())
    )
    documents.document_event_upsert(document=world.secret, kind="drafted", date="2024-01",
                                    sources=src)  # fmt: skip
    documents.document_event_upsert(document=world.secret, kind="adopted", date="2024-03-05",
                                    sources=src, meeting=world.meeting)  # fmt: skip
    documents.relation_add(
        from_document=world.document, kind="implements", to_document=world.secret, sources=src
    )
    return world


def signed_in(client, role: str, actor=None):
    user = accounts.account_create(
        username=f"{role}-user", password=PASSWORD, role=role, actor=actor
    ).user
    client.force_login(user)
    return client


def export(user) -> zipfile.ZipFile:
    out = io.BytesIO()
    akn.export(out, at=dt.date(2025, 1, 1), user=user)
    return zipfile.ZipFile(out)


def test_restricted_document_absent_for_the_public(client, world):
    """The public's ZIP has no file of the restricted document, and the public's link to it
    from the public document is gone; the API answers 404 as for a missing document."""
    archive = export(None)
    assert not [n for n in archive.namelist() if n.startswith("secret-declaration/")]
    public = archive.read(f"{world.document.key}/en.xml").decode()
    assert "EXO/SECRET/1" not in public and "secret-declaration" not in public
    hidden = client.get("/api/v1/documents/secret-declaration/akn")
    missing = client.get("/api/v1/documents/no-such-paper/akn")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"] == "No document 'secret-declaration'."
    assert missing.json()["detail"] == "No document 'no-such-paper'."


def test_officer_and_member_read_it_with_its_text(client, world, schema):
    """Who may read the document gets it: a statement (AKN4UN) whose body is its text by
    paragraph, its month-only drafting date kept in the proprietary block, adopted at the
    meeting of the SOC, which took the step."""
    officer = accounts.account_create(username="officer", password=PASSWORD, role="officer")
    archive = export(officer.user)
    assert {"secret-declaration/en.xml", "secret-declaration/ru.xml"} <= set(archive.namelist())
    root = etree.fromstring(archive.read("secret-declaration/en.xml"))
    assert schema.validate(root), schema.error_log.last_error
    assert root[0].tag == f"{{{akn.NS}}}statement" and root[0].get("name") == "declaration"
    paragraphs = [p.text for p in root.findall(".//a:mainBody/a:p", NS)]
    assert paragraphs == [
        "Article 1",
        "The parties agree.",
        "Article 2",
        "It enters into force on signature.",
    ]
    steps = [(s.get("refersTo"), s.get("by")) for s in root.findall(".//a:step", NS)]
    assert steps == [("#event_drafted", "#org_secretariat"), ("#event_adopted", "#body_soc")]
    dated = root.find(".//sec:eventDate", NS)
    assert (dated.get("value"), dated.get("precision")) == ("2024-01", "month")
    assert root.find(".//sec:record", NS).get("access") == "restricted"
    russian = etree.fromstring(archive.read("secret-declaration/ru.xml"))
    assert schema.validate(russian)
    assert russian.findtext(".//a:docTitle", namespaces=NS) == "Секретная декларация"
    assert [p.text for p in russian.findall(".//a:mainBody/a:p", NS)] == [None]  # no text held
    member = signed_in(client, "delegate", world.alpha)
    response = member.get("/api/v1/documents/secret-declaration/akn")
    assert response.status_code == 200 and schema.validate(etree.fromstring(response.content))


def test_a_state_signing_acts_in_its_role(client, world, build, schema):
    """A state's signature is a step by that state (a TLCOrganization) as signatory."""
    src = [build.source]
    mou = documents.document_create(
        type="mou", symbol="EXO/MOU/1", key="mou", title_en="Memorandum", sources=src
    )
    documents.document_event_upsert(document=mou, kind="agreed", date="2024-04-01", sources=src)
    documents.document_event_upsert(
        document=mou, kind="signed", date="2024-04-02", sources=src, actor=world.beta
    )
    response = client.get("/api/v1/documents/mou/akn?at=2024-04-03")
    root = etree.fromstring(response.content)
    assert schema.validate(root), schema.error_log.last_error
    signed = root.findall(".//a:step", NS)[-1]
    assert (signed.get("by"), signed.get("as")) == ("#actor_beta", "#role_signatory")
    assert root.find(".//a:TLCRole[@eId='role_signatory']", NS) is not None
    assert root.find(".//a:TLCOrganization[@eId='actor_beta']", NS).get("showAs") == "Beta"
    assert root.findtext(".//a:docStatus", namespaces=NS) == "signed"
    before = etree.fromstring(client.get("/api/v1/documents/mou/akn?at=2024-04-01").content)
    assert before.findtext(".//a:docStatus", namespaces=NS) == "agreed"
    assert len(before.findall(".//a:step", NS)) == 1


def test_a_language_published_only_elsewhere_has_its_expression(build, schema):
    """An official text published in a language the document has no title or text in adds
    that language's expression, whose body refers to the published text."""
    document = documents.document_create(
        type="statement", symbol="EXO/ST/1", title_en="Statement", sources=[build.source]
    )
    documents.official_text_add(
        document=document, language="ru", url="https://example.org/statement-ru.pdf",
        found_at="https://example.org/documents", found_on=dt.date(2026, 12, 7),
        sources=[build.source],
    )  # fmt: skip
    loaded = akn.documents_for(None).get(pk=document.pk)
    assert akn.languages_held(loaded) == ["en", "ru"]
    root = etree.fromstring(akn.one_document_xml(loaded, language="ru", at=dt.date(2027, 1, 1)))
    ref = root.find(".//a:mainBody/a:componentRef", NS)
    assert ref.get("src") == "https://example.org/statement-ru.pdf"
    assert ref.get("showAs") == "official text"
    assert schema.validate(root), schema.error_log.last_error
