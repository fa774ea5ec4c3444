"""Every CICA document as Akoma Ntoso 3.0, validated against the OASIS schema."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from secretariat.documents.models import Document
from secretariat.exchange import akn

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cica")]
XSD = Path(__file__).parent.parent / "standards" / "akomantoso" / "akomantoso30.xsd"
NS = {"a": akn.NS, "sec": akn.EXT}


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(XSD)))


def public_zip() -> zipfile.ZipFile:
    out = io.BytesIO()
    akn.export(out, at=dt.date(2025, 1, 1), user=None)
    return zipfile.ZipFile(out)


def test_every_cica_document_validates(schema):
    """The export holds every document, once per language held, and every file is valid
    Akoma Ntoso 3.0."""
    archive = public_zip()
    names = archive.namelist()
    keys = {name.split("/")[0] for name in names}
    assert keys == set(Document.objects.values_list("key", flat=True))
    assert len(keys) == 47
    invalid = {}
    for name in names:
        root = etree.fromstring(archive.read(name))
        if not schema.validate(root):
            invalid[name] = str(schema.error_log.last_error)
    assert not invalid, invalid
    russian = {n.split("/")[0] for n in names if n.endswith("/ru.xml")}
    assert russian == set(Document.objects.exclude(title_ru="").values_list("key", flat=True))


def test_the_almaty_act(schema):
    """The Almaty Act: FRBR work, expression and manifestation IRIs; adopted at the First
    Summit, the Summit a TLCOrganization that took the step; its status adopted."""
    root = etree.fromstring(public_zip().read("almaty-act-2002/en.xml"))
    work = "/akn/cica/act/2002-06-04/almaty-act-2002"

    def value(path: str, attr: str = "value") -> str:
        return root.find(path, NS).get(attr)

    assert value(".//a:FRBRWork/a:FRBRthis") == f"{work}/!main"
    assert value(".//a:FRBRWork/a:FRBRalias") == "CICA/ACT/2002/1"
    assert value(".//a:FRBRExpression/a:FRBRthis") == f"{work}/eng@/!main"
    assert value(".//a:FRBRExpression/a:FRBRlanguage", "language") == "eng"
    assert value(".//a:FRBRManifestation/a:FRBRthis") == f"{work}/eng@/main.xml"
    event = root.find(".//a:lifecycle/a:eventRef", NS)
    assert (event.get("date"), event.get("refersTo")) == ("2002-06-04", "#event_adopted")
    source = root.find(f".//a:TLCReference[@eId='{event.get('source')[1:]}']", NS)
    assert source is not None and source.get("href").startswith("https://")
    step = root.find(".//a:workflow/a:step", NS)
    assert step.get("by") == "#body_summit"
    summit = root.find(".//a:TLCOrganization[@eId='body_summit']", NS)
    assert summit.get("showAs") == "Summit"
    assert root.findtext(".//a:docStatus", namespaces=NS) == "adopted"
    assert root.findtext(".//a:docNumber", namespaces=NS) == "CICA/ACT/2002/1"
    assert schema.validate(root)


def test_the_api_gives_one_expression(client, schema):
    """GET /documents/{key}/akn answers the XML of the language asked for; a language the
    document is not held in is 404 saying which it is held in."""
    document = Document.objects.exclude(title_ru="").order_by("symbol").first()
    english = client.get(f"/api/v1/documents/{document.key}/akn")
    assert english.status_code == 200
    assert english["Content-Type"] == "application/akn+xml; charset=utf-8"
    assert schema.validate(etree.fromstring(english.content))
    russian = client.get(f"/api/v1/documents/{document.key}/akn?language=ru")
    root = etree.fromstring(russian.content)
    assert schema.validate(root)
    assert root.find(".//a:FRBRlanguage", NS).get("language") == "rus"
    assert root.findtext(".//a:docTitle", namespaces=NS) == document.title_ru
    master = root.find(".//a:FRBRmasterExpression", NS).get("href")
    english_root = etree.fromstring(english.content)
    assert master == english_root.find(".//a:FRBRExpression/a:FRBRuri", NS).get("value")
    missing = client.get(f"/api/v1/documents/{document.key}/akn?language=fr")
    assert missing.status_code == 404
    assert "held in en, ru" in missing.json()["detail"]


def test_relations_point_at_the_other_works(schema):
    """A relation becomes an activeRef to the other document's work IRI, its kind kept."""
    archive = public_zip()
    root = etree.fromstring(archive.read("host-country-agreement-2007/en.xml"))
    refs = {r.get("showAs"): r.get("href") for r in root.findall(".//a:activeRef", NS)}
    other = etree.fromstring(archive.read("agreement-secretariat-2006/en.xml"))
    target = other.find(".//a:FRBRWork/a:FRBRthis", NS).get("value")
    assert target in refs.values()
    kinds = {r.get("kind") for r in root.findall(".//sec:relation", NS)}
    assert "implements" in kinds


def test_an_official_text_published_elsewhere_is_the_body_s_component_ref(schema):
    """Without a text held, the official text published elsewhere in the language is the
    main body's componentRef (a manifestation kept outside the document), and every
    official text, with where and when it was found, is in <proprietary>; a document with
    none records that none was found. All schema-valid."""
    archive = public_zip()
    plan = etree.fromstring(archive.read("plan-of-action-ungcts-2022/en.xml"))
    (ref,) = plan.findall(".//a:mainBody/a:componentRef", NS)
    assert ref.get("src") == "http://en.kremlin.ru/supplement/5854/print"
    assert plan.find(".//a:mainBody/a:p", NS) is None
    found = plan.find(".//sec:officialText", NS)
    assert (found.get("language"), found.get("foundOn")) == ("en", "2026-12-07")
    assert schema.validate(plan), schema.error_log.last_error
    statement = etree.fromstring(archive.read("astana-statement-2022/ru.xml"))
    ref = statement.find(".//a:mainBody/a:componentRef", NS)
    assert ref.get("src") == "http://special.kremlin.ru/supplement/5852"
    english = etree.fromstring(archive.read("astana-statement-2022/en.xml"))
    assert english.find(".//a:mainBody/a:componentRef", NS) is None  # published in Russian
    assert english.find(".//sec:officialText", NS).get("language") == "ru"
    act = etree.fromstring(archive.read("almaty-act-2002/en.xml"))
    assert act.find(".//sec:textSearch", NS).get("found") == "false"
    assert act.find(".//a:mainBody/a:componentRef", NS) is None
    assert schema.validate(act), schema.error_log.last_error
