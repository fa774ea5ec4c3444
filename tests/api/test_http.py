"""HTTP under /api/: conditional GET that never hides a difference, one error format, ETags
on writes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.utils import timezone
from ninja.errors import Throttled

from secretariat.accounts import services as accounts
from secretariat.api import on_throttled
from secretariat.decisions import services as decisions
from secretariat.documents import services as documents
from tests.decisions.world import WEEK, World
from tests.helpers import PASSWORD

from .conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(build):
    """A public and a restricted paper; a member state's delegate, who reads both."""
    world = World(build)
    public = documents.document_create(
        key="open-paper", symbol="EXO/1", type="declaration", title_en="Open paper",
        sources=[build.source],
    )  # fmt: skip
    restricted = documents.document_create(
        key="closed-paper", symbol="EXO/2", type="declaration", title_en="Closed paper",
        access="restricted", sources=[build.source],
    )  # fmt: skip
    delegate = accounts.account_create(
        username="alpha-delegate", password=PASSWORD, role="delegate", actor=world.alpha
    ).user
    return {"world": world, "public": public, "restricted": restricted, "delegate": delegate}


def test_a_read_carries_an_etag_and_answers_304_while_unchanged(client, papers):
    """The same answer has the same tag; sent back, it gets 304 and no body."""
    first = client.get("/api/v1/documents")
    assert first.status_code == 200 and first["ETag"].startswith('"')
    assert client.get("/api/v1/documents")["ETag"] == first["ETag"]
    again = client.get("/api/v1/documents", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    other = client.get("/api/v1/documents", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_the_tag_follows_what_the_caller_was_shown(client, papers):
    """A member's delegate sees the restricted paper, the public does not: their tags differ,
    and the public sending the delegate's tag is answered in full, never 304."""
    member = Client()
    member.force_login(papers["delegate"])
    theirs = member.get("/api/v1/documents")
    mine = client.get("/api/v1/documents")
    assert theirs.json()["count"] == mine.json()["count"] + 1
    assert theirs["ETag"] != mine["ETag"]
    answer = client.get("/api/v1/documents", HTTP_IF_NONE_MATCH=theirs["ETag"])
    assert answer.status_code == 200
    assert "closed-paper" not in answer.content.decode()
    assert member.get("/api/v1/documents", HTTP_IF_NONE_MATCH=theirs["ETag"]).status_code == 304


def test_the_tag_changes_with_the_record_and_the_day(client, papers, build):
    """A new paper, or another `at`, is another answer, with another tag."""
    before = client.get("/api/v1/documents")["ETag"]
    documents.document_create(
        key="new-paper", symbol="EXO/3", type="declaration", title_en="New", sources=[build.source]
    )
    after = client.get("/api/v1/documents", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200 and after["ETag"] != before
    old = client.get("/api/v1/overview?at=2001-01-01")["ETag"]
    assert client.get("/api/v1/overview?at=2020-01-01")["ETag"] != old


def test_answers_say_what_they_vary_on_and_to_ask_again(client, papers):
    response = client.get("/api/v1/overview")
    vary = {v.strip() for v in response["Vary"].split(",")}
    assert {"Authorization", "Cookie", "Accept-Language"} <= vary
    assert "no-cache" in response["Cache-Control"]


def test_a_documents_tag_names_its_version_for_if_match_and_its_answer_for_304(
    client, papers, officer
):
    """GET /documents/{key}: "v<version>-<digest>"; If-None-Match with it gets 304; an edit
    with it as If-Match lands and answers the new tag, which GET then gives."""
    url = "/api/v1/documents/open-paper"
    first = client.get(url)
    assert first["ETag"].startswith('"v1-')
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url + "?at=2001-01-01")["ETag"] != first["ETag"]  # another answer
    auth = bearer(officer)
    edited = client.patch(
        url, json.dumps({"note": "Corrected."}), content_type="application/json",
        HTTP_IF_MATCH=first["ETag"], **auth,
    )  # fmt: skip
    assert edited.status_code == 200, edited.content
    assert edited["ETag"].startswith('"v2-')
    assert client.get(url, **auth)["ETag"] == edited["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_text_is_tagged_by_its_checksum(client, papers):
    version = documents.version_create(document=papers["public"], date="2024-01-01")
    documents.text_upload(
        version=version,
        language="en",
        uploaded_file=SimpleUploadedFile("t.txt", b"The text.\n", "text/plain"),
    )
    url = "/api/v1/documents/open-paper/versions/1/texts/en"
    response = client.get(url)
    digest = hashlib.sha256(b"The text.\n").hexdigest()
    assert response["ETag"] == f'"{digest}"' and response.has_header("Last-Modified")
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"{digest}"').status_code == 304


def test_writes_answer_the_new_records_etag(client, build, papers):
    """A recorded position and a sent feedback each answer the ETag of the new record."""
    world = papers["world"]
    auth = bearer(papers["delegate"])
    version = documents.version_create(document=papers["public"], date="2024-01-01")
    circulation, _ = documents.document_circulate(
        version=version, date="2024-01-02", deadline=dt.date(2099, 1, 1), sources=[build.source]
    )
    feedback = client.post(
        f"/api/v1/circulations/{circulation.pk}/feedback",
        json.dumps({"text": "We agree."}), content_type="application/json", **auth,
    )  # fmt: skip
    assert feedback.status_code == 201, feedback.content
    assert feedback["ETag"] == '"v1"'
    procedure = decisions.procedure_open(
        version=version, body=world.body, kind="silence", opened_at=timezone.now() - WEEK,
        deadline=timezone.now() + WEEK, sources=[build.source],
    )  # fmt: skip
    position = client.post(
        f"/api/v1/procedures/{procedure.pk}/positions",
        json.dumps({"kind": "support"}), content_type="application/json", **auth,
    )  # fmt: skip
    assert position.status_code == 201, position.content
    assert position["ETag"] == '"v1"'


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_every_kind_of_error_is_a_problem(client, papers, officer):
    """401, 403, 404, 405, 400, 422, 428 and 412, from our views, ninja, Django's
    resolver or the token check alike, all answer RFC 9457 problem details."""
    auth = bearer(officer)
    bad_token = client.get("/api/v1/overview", HTTP_AUTHORIZATION="Bearer nope")
    assert "unknown or revoked" in _problem(bad_token, 401)["detail"]
    no_path = _problem(client.get("/api/v1/no-such-thing"), 404)
    assert "No API operation" in no_path["detail"]
    assert "open-paper" not in _problem(client.get("/api/v1/documents/no-such"), 404)["detail"]
    wrong = client.delete("/api/v1/overview")
    assert "GET" in _problem(wrong, 405)["detail"] and wrong["Allow"] == "GET"
    url = "/api/v1/documents/open-paper"
    malformed = client.patch(
        url, "{not json", content_type="application/json", HTTP_IF_MATCH='"v1"', **auth
    )
    assert "parse" in _problem(malformed, 400)["detail"]
    invalid = _problem(client.get("/api/v1/documents?limit=0"), 422)
    assert invalid["errors"][0]["loc"][-1] == "limit"
    assert "If-Match" in _problem(client.patch(url, "{}", content_type="application/json",
                                               **auth), 428)["detail"]  # fmt: skip
    _problem(client.patch(url, "{}", content_type="application/json", HTTP_IF_MATCH="v1", **auth),
             412)  # fmt: skip
    stale = client.patch(
        url, json.dumps({"note": "x"}), content_type="application/json",
        HTTP_IF_MATCH='"v9"', **auth,
    )  # fmt: skip
    assert "v9" not in stale["ETag"] and stale["ETag"].startswith('"v1')
    _problem(stale, 412)
    reader = accounts.account_create(username="rita", password=PASSWORD, role="public").user
    refused = client.patch(
        url, json.dumps({"note": "x"}), content_type="application/json",
        HTTP_IF_MATCH='"v1"', **bearer(reader),
    )  # fmt: skip
    _problem(refused, 403)
    anonymous = client.patch(url, "{}", content_type="application/json", HTTP_IF_MATCH='"v1"')
    _problem(anonymous, 401)


def test_a_failed_precondition_on_a_read_is_a_problem(client, papers):
    """If-Match on a GET that no longer matches: 412, as problem details."""
    _problem(client.get("/api/v1/overview", HTTP_IF_MATCH='"stale"'), 412)


def test_too_many_requests_is_a_problem_saying_when_to_retry():
    """Throttling (ninja's Throttled) answers 429 problem details with Retry-After."""
    request = RequestFactory().get("/api/v1/overview")
    response = on_throttled(request, Throttled(wait=30))
    assert response.status_code == 429 and response["Retry-After"] == "30"
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["title"] == "Too Many Requests"


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/documents/open%00paper", None),
        ("get", "/api/v1/actors/al%00pha", None),
        ("post", "/api/v1/circulations/1/feedback", '{"text": "a\\u0000b"}'),
    ],
)
def test_nul_characters_are_refused_saying_where(client, papers, method, url, body):
    """NUL in a path or a JSON body: 422 naming the place, never a database error."""
    kwargs = {"content_type": "application/json"} if body else {}
    response = getattr(client, method)(url, body, **kwargs) if body else client.get(url)
    place = "body" if body else "path"
    assert place in _problem(response, 422)["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/documents/99999999999999999999999",
        "/api/v1/documents/²",
        "/api/v1/meetings/99999999999999999999999",
        "/api/v1/treaties/²/status",
        "/api/v1/documents/1/versions/99999999999/texts/en",
    ],
)
def test_ids_no_column_holds_are_missing_records_not_errors(client, papers, url):
    """A number too large for an id, or a digit that is not a number, names nothing."""
    assert client.get(url).status_code in (404, 422)
