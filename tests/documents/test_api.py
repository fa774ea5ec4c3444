"""The documents API: lists, details, downloads, outcomes, circulations, access and errors."""

from __future__ import annotations

import datetime as dt

import pytest

from secretariat.documents.models import DocumentEvent
from tests.helpers import get

pytestmark = pytest.mark.django_db
K = DocumentEvent.Kind


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_user("officer", is_staff=True)
    client.force_login(user)
    return client


@pytest.fixture
def record(docs, build):
    """A public declaration adopted at a summit, amended by a later one, and a restricted
    draft circulated to the members."""
    summit = build.body("summit", kind="summit")
    meeting = build.meeting("summit-6", summit, ordinal=6)
    alpha, beta = docs.members("alpha", "beta")
    declaration = docs.document("EXO/S/2021/1", key="astana-declaration", body=summit)
    v1 = docs.version(declaration, date="2021-09")
    docs.text(v1, "en", name="sample.pdf")
    docs.text(v1, "ru", name="sample.txt")
    docs.event(declaration, K.DRAFTED, "2021-09-01", version=v1)
    docs.event(declaration, K.ADOPTED, "2021-10-12", version=v1, meeting=meeting)
    amendment = docs.document("EXO/S/2022/1", key="amendment", body=summit)
    docs.event(amendment, K.ADOPTED, "2022-10-12", meeting=meeting)
    from secretariat.documents import services

    services.relation_add(
        from_document=amendment, kind="amends", to_document=declaration, sources=docs.sources
    )
    draft = docs.document("EXO/R/1", key="draft", access="restricted", body=summit)
    services.relation_add(
        from_document=draft, kind="responds_to", to_document=declaration, sources=docs.sources
    )
    docs.text(docs.version(draft), "en", name="sample.html")
    circulation = docs.circulate(draft, version=draft.versions.get())
    docs.feedback(circulation, alpha, received_on=dt.date(2021, 3, 10))
    return {"declaration": declaration, "draft": draft, "meeting": meeting, "beta": beta}


def test_list_filters_by_type_status_body_meeting_and_year(client, record):
    """Filters narrow the list; the status is derived as of `at`."""
    data = get(client, "/api/v1/documents")
    assert data["count"] == 2
    first = data["items"][0]
    assert first["symbol"] == "EXO/S/2021/1"
    assert (first["status"], first["year"], first["body"]["slug"]) == ("adopted", 2021, "summit")
    assert get(client, "/api/v1/documents?status=adopted&at=2021-12-31")["count"] == 1
    assert get(client, "/api/v1/documents?status=draft&at=2021-09-15")["count"] == 1
    assert get(client, "/api/v1/documents?year=2022")["items"][0]["key"] == "amendment"
    assert get(client, "/api/v1/documents?type=report")["count"] == 0
    assert get(client, "/api/v1/documents?body=summit&limit=1&offset=1")["items"][0]["key"] == (
        "amendment"
    )
    assert get(client, "/api/v1/documents?meeting=summit-6")["count"] == 0  # none belongs to it


def test_detail_has_lifecycle_versions_texts_relations_and_status_as_of(client, record):
    """The document page: events up to `at`, status then, versions with download links,
    and relations read both ways."""
    data = get(client, "/api/v1/documents/astana-declaration")
    assert data["status"] == "adopted"
    assert [(e["kind"], e["date"]["value"]) for e in data["events"]] == [
        ("drafted", "2021-09-01"),
        ("adopted", "2021-10-12"),
    ]
    assert data["events"][1]["meeting"]["key"] == "summit-6"
    (version,) = data["versions"]
    assert (version["number"], version["locked"]) == (1, True)
    texts = {t["language"]: t for t in version["texts"]}
    assert texts["en"]["media_type"] == "application/pdf"
    assert texts["en"]["url"] == "/api/v1/documents/astana-declaration/versions/1/texts/en"
    assert [(r["label"], r["document"]["key"]) for r in data["relations"]] == [
        ("is amended by", "amendment")  # the restricted draft's reply is not shown
    ]
    before = get(client, "/api/v1/documents/astana-declaration?at=2021-09-20")
    assert before["status"] == "draft"
    assert [e["kind"] for e in before["events"]] == ["drafted"]
    by_id = get(client, f"/api/v1/documents/{record['declaration'].pk}")
    assert by_id["key"] == "astana-declaration"


def test_download_gives_the_file_as_received(client, record):
    """A text downloads with its recognised type and its bytes unchanged."""
    from .conftest import FILES

    response = client.get("/api/v1/documents/astana-declaration/versions/1/texts/en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "astana-declaration-v1-en.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == (FILES / "sample.pdf").read_bytes()


def test_restricted_documents_are_invisible_to_the_public(client, record):
    """Anonymous readers get 404 for a restricted document, exactly as for a missing one,
    in the detail and the download; it is not listed or counted."""
    hidden = client.get("/api/v1/documents/draft")
    missing = client.get("/api/v1/documents/draft-x")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"] == "No document 'draft'."
    assert missing.json()["detail"] == "No document 'draft-x'."
    assert hidden["Content-Type"] == missing["Content-Type"] == "application/problem+json"
    download = client.get("/api/v1/documents/draft/versions/1/texts/en")
    assert download.status_code == 404
    assert download.json()["detail"] == "No text 'en' of version 1 of document 'draft'."
    assert get(client, f"/api/v1/documents/{record['draft'].pk}", 404)
    assert "draft" not in [d["key"] for d in get(client, "/api/v1/documents")["items"]]
    assert get(client, "/api/v1/documents?status=circulated&at=2021-03-15")["count"] == 0
    assert get(client, "/api/v1/circulations?at=2021-03-15")["items"] == []


def test_staff_read_restricted_documents(staff, record):
    """Staff see the restricted draft in the list, its page with its circulation, and
    download its text."""
    assert get(staff, "/api/v1/documents")["count"] == 3
    data = get(staff, "/api/v1/documents/draft?at=2021-03-15")
    assert data["status"] == "circulated"
    (circulation,) = data["circulations"]
    assert [r["slug"] for r in circulation["responded"]] == ["alpha"]
    assert [p["slug"] for p in circulation["pending"]] == ["beta"]
    assert circulation["to_all_members"] is True and circulation["open"] is True
    response = staff.get("/api/v1/documents/draft/versions/1/texts/en")
    assert (response.status_code, response["Content-Type"]) == (200, "text/html")


def test_meeting_outcomes(client, staff, record):
    """A meeting lists the documents it adopted; the same records as their lifecycles."""
    data = get(client, "/api/v1/meetings/summit-6/outcomes")["items"]
    assert [(o["kind"], o["document"]["key"]) for o in data] == [
        ("adopted", "astana-declaration"),
        ("adopted", "amendment"),
    ]
    detail = get(client, "/api/v1/documents/astana-declaration")
    assert data[0]["id"] == detail["events"][1]["id"]


def test_circulations_by_state_and_overdue(staff, record):
    """Circulations list who has answered; `state` keeps those awaiting the state, and
    `overdue` those past their deadline."""
    on_15th = get(staff, "/api/v1/circulations?at=2021-03-15")["items"]
    assert [c["document"]["key"] for c in on_15th] == ["draft"]
    assert get(staff, "/api/v1/circulations?state=beta&at=2021-03-15&overdue=false")["items"]
    assert get(staff, "/api/v1/circulations?state=alpha&at=2021-03-15")["items"] == []
    assert get(staff, "/api/v1/circulations?overdue=true&at=2021-03-15")["items"] == []
    late = get(staff, "/api/v1/circulations?overdue=true&at=2021-04-01")["items"]
    assert [o["slug"] for o in late[0]["overdue"]] == ["beta"]
    assert get(staff, "/api/v1/circulations?state=beta&overdue=true&at=2021-04-01")["items"]


@pytest.mark.parametrize(
    ("url", "status", "fragment"),
    [
        ("/api/v1/documents?type=poem", 422, "type"),
        ("/api/v1/documents?status=lost", 422, "status"),
        ("/api/v1/documents?year=0", 422, "year"),
        ("/api/v1/documents?year=twenty", 422, "year"),
        ("/api/v1/documents?at=2021-02-30", 422, "at"),
        ("/api/v1/documents?body=parliament", 404, "No body with slug 'parliament'"),
        ("/api/v1/documents?meeting=nowhere", 404, "No meeting 'nowhere'"),
        ("/api/v1/documents?limit=-1", 422, "limit"),
        ("/api/v1/documents/nothing", 404, "No document 'nothing'"),
        ("/api/v1/documents/astana-declaration?at=soon", 422, "at"),
        ("/api/v1/documents/astana-declaration/versions/one/texts/en", 422, "number"),
        ("/api/v1/documents/astana-declaration/versions/9/texts/en", 404, "version 9"),
        ("/api/v1/documents/astana-declaration/versions/1/texts/fr", 404, "No text 'fr'"),
        ("/api/v1/meetings/nowhere/outcomes", 404, "No meeting 'nowhere'"),
        ("/api/v1/circulations?state=atlantis", 404, "No actor with slug 'atlantis'"),
        ("/api/v1/circulations?overdue=maybe", 422, "overdue"),
    ],
)
def test_bad_input_gets_problem_details(client, record, url, status, fragment):
    """Bad input answers 4xx problem details saying what was wrong, never 500."""
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert fragment in response.json()["detail"]


def test_documents_list_query_count_does_not_grow(
    client, docs, build, django_assert_max_num_queries
):
    """Listing documents costs the same number of queries for 2 or 30 documents."""
    body = build.body()
    meeting = build.meeting("m-1", body)

    def add(i):
        document = docs.document(f"EXO/{i}", body=body, meeting=meeting)
        docs.version(document, date="2021-01-01")
        docs.event(document, K.DRAFTED, "2021-01-02")
        docs.event(document, K.ADOPTED, "2021-02-01", meeting=meeting)

    for i in range(2):
        add(i)
    with django_assert_max_num_queries(12) as small:
        get(client, "/api/v1/documents?status=adopted")
    for i in range(2, 30):
        add(i)
    with django_assert_max_num_queries(len(small.captured_queries)):
        data = get(client, "/api/v1/documents?status=adopted&limit=100")
    assert data["count"] == 30


def test_openapi_lists_the_documents_endpoints(client):
    """The OpenAPI document describes the documents endpoints."""
    paths = get(client, "/api/v1/openapi.json")["paths"]
    for path in (
        "/api/v1/documents",
        "/api/v1/documents/{key}",
        "/api/v1/documents/{key}/versions/{number}/texts/{language}",
        "/api/v1/meetings/{key}/outcomes",
        "/api/v1/circulations",
    ):
        assert path in paths, path


def test_circulations_list_query_count_does_not_grow(staff, docs, django_assert_max_num_queries):
    """Circulations on many different days cost the same queries as on two."""
    docs.members("alpha", "beta")

    def circulate(n):
        docs.circulate(docs.document(), date=f"2021-03-{n:02d}", deadline=dt.date(2021, 4, 30))

    for n in (1, 2):
        circulate(n)
    with django_assert_max_num_queries(30) as small:
        assert len(get(staff, "/api/v1/circulations?at=2021-04-01")["items"]) == 2
    for n in range(3, 15):
        circulate(n)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(get(staff, "/api/v1/circulations?at=2021-04-01")["items"]) == 14
