"""`?at=` takes a day written YYYY-MM-DD, on every page, API route and export alike; any
other value is refused (400 on pages and exports, 422 in the API) saying what to write,
never read as something else (a Unix time, an ISO week) nor replaced by today."""

import datetime as dt
import re

import pytest
from django.utils import translation

from secretariat.core.as_of import BadAsOf, parse_as_of, parse_moment

REFUSED = ["20210101", "0", "2021-13-01", "yesterday", "2021-02-30", "2021-W01-1", "2021",
           "1899-12-31", " 2021-06-19x", "１２３４-01-01"]  # fmt: skip
PAGES = ["/", "/members/", "/treaties/", "/meetings/"]
API = ["/api/v1/overview", "/api/v1/actors", "/api/v1/procedures", "/api/v1/meetings/upcoming"]
EXPORTS = ["/exports/members.csv"]


def test_the_documented_form_and_nothing_else():
    assert parse_as_of("2021-06-19") == dt.date(2021, 6, 19)
    assert parse_as_of(" 2021-06-19 ") == dt.date(2021, 6, 19)
    assert parse_as_of("") is None and parse_as_of(None) is None
    for value in REFUSED:
        with pytest.raises(BadAsOf):
            parse_as_of(value)
    assert parse_moment("2021-06-19") == dt.datetime(2021, 6, 19, tzinfo=dt.UTC)
    assert parse_moment("2021-06-19T14:30+05:00").utcoffset() == dt.timedelta(hours=5)
    for value in ("0", "20210101", "1624100000", "2021-06-19T25:00"):
        with pytest.raises(BadAsOf):
            parse_moment(value)


def _alert(response) -> str:
    found = re.search(r'role="alert">([^<]*)<', response.content.decode())
    return found.group(1) if found else ""


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["20210101", "0", "2021-13-01", "yesterday"])
def test_pages_refuse_with_400_and_say_what_to_write(client, build, value):
    for path in PAGES:
        response = client.get(path, {"at": value})
        assert response.status_code == 400, path
        message = _alert(response)
        assert f"“{value}”" in message and "YYYY-MM-DD" in message, (path, message)
        # The layout's form comes back with today, to be corrected.
        assert f'value="{dt.date.today():%Y-%m-%d}"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["20210101", "0", "2021-13-01", "yesterday"])
def test_api_routes_and_exports_refuse_with_a_problem(client, build, value):
    for path in API + EXPORTS:
        response = client.get(path, {"at": value})
        assert response.status_code == (400 if path in EXPORTS else 422), path
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert f"“{value}”" in problem["detail"] and "YYYY-MM-DD" in problem["detail"], path
        assert problem["errors"][0]["loc"][-1] == "at"


@pytest.mark.django_db
def test_the_documented_form_and_no_date_are_answered(client, build):
    for path in PAGES + API + EXPORTS:
        for query in ({"at": "2021-06-19"}, {"at": ""}, {}):
            assert client.get(path, query).status_code == 200, (path, query)


@pytest.mark.django_db
def test_the_refusal_is_in_the_readers_language(client, build):
    with translation.override("ru"):
        response = client.get("/members/", {"at": "20210101"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert "ГГГГ-ММ-ДД" in _alert(response)
