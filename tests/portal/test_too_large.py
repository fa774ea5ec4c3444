"""A body larger than the server takes is 413 and names the limit: a problem under /api/,
a page elsewhere; never a bare "Bad Request"."""

from __future__ import annotations

import json

import pytest

from secretariat.accounts import services as accounts

pytestmark = pytest.mark.django_db
LIMIT = 1000  # bytes, for the test (Django's default is 2.5 MB)


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT


def _big_json() -> str:
    return json.dumps({"note": "x" * (2 * LIMIT)})


def test_an_api_body_too_large_is_a_413_problem_naming_the_limit(client, build):
    officer = accounts.account_create(username="olga", password="pw-for-tests-9x", role="officer")
    _, secret = accounts.token_create(user=officer.user, name="big")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    for method, path in [("post", "/api/v1/records/registry/status"),
                         ("patch", "/api/v1/documents/anything")]:  # fmt: skip
        response = getattr(client, method)(
            path, _big_json(), content_type="application/json", HTTP_IF_MATCH='"v1"', **auth
        )
        assert response.status_code == 413, (path, response.content[:300])
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == 413 and problem["title"] == "Content Too Large"
        assert "1,000 bytes" in problem["detail"] and "at most" in problem["detail"]


def test_a_form_too_large_is_a_413_page_naming_the_limit(client, build):
    response = client.post("/accounts/sign-in/", {"username": "x" * (2 * LIMIT), "password": "y"})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Too much was sent" in page and "1,000 bytes" in page
    assert 'class="site"' in page  # in the site's layout, with its way back


def test_within_the_limit_nothing_changes(client, build):
    response = client.post("/accounts/sign-in/", {"username": "someone", "password": "y"})
    assert response.status_code == 200


def test_a_form_too_large_with_a_bad_date_still_says_too_large(client, build):
    response = client.post("/accounts/sign-in/?at=soon", {"username": "x" * (2 * LIMIT)})
    assert response.status_code == 413 and "Too much was sent" in response.content.decode()
