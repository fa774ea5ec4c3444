"""Public API answers are reused while the record is unchanged, and only then: a change
committed by any path, another day or language, a signed-in caller, or a read that
depends on the hour gets a fresh answer."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.db import transaction

from secretariat.audit.models import AuditEntry, TrailLength
from secretariat.records import cache as response_cache

# Committed writes: the trail's length moves on commit (deferred on PostgreSQL).
pytestmark = pytest.mark.django_db(transaction=True)

MEETINGS = "/api/v1/meetings?body=council"


@pytest.fixture(autouse=True)
def kept(settings):
    settings.API_CACHE_SECONDS = 300
    caches[settings.API_CACHE].clear()
    TrailLength.objects.get_or_create(id=1)  # a flush (other tests) empties its table


def _keys(response) -> list[str]:
    return [m["key"] for m in response.json()["items"]]


def test_a_public_read_is_answered_from_the_cache_until_the_record_changes(
    client, build, django_assert_num_queries
):
    build.meeting("m1", build.body())
    first = client.get(MEETINGS)
    assert first["X-Answer-Cache"] == "miss"
    with django_assert_num_queries(1):  # the trail's length, nothing else
        again = client.get(MEETINGS)
    assert again["X-Answer-Cache"] == "hit"
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    per_request = {"X-Answer-Cache", "X-Request-ID"}  # the request's own id: never kept
    told = {k: v for k, v in first.items() if k not in per_request}
    assert {k: v for k, v in again.items() if k not in per_request} == told
    assert again["X-Request-ID"] != first["X-Request-ID"]

    build.meeting("m2", build.body())
    after = client.get(MEETINGS)
    assert after["X-Answer-Cache"] == "miss"
    assert _keys(after) == ["m1", "m2"]


def test_entries_written_by_any_path_move_the_trail_once_committed(build):
    before = TrailLength.objects.get().entries
    build.body()  # through the services: one or more entries
    through_services = TrailLength.objects.get().entries
    assert through_services > before
    with transaction.atomic():  # a bulk path: many rows, one transaction
        template = AuditEntry.objects.first()
        AuditEntry.objects.bulk_create(
            [AuditEntry(**{f.attname: getattr(template, f.attname)
                           for f in AuditEntry._meta.concrete_fields if not f.primary_key})
             for _ in range(3)]
        )  # fmt: skip
    assert TrailLength.objects.get().entries > through_services


def test_signed_in_callers_and_hour_dependent_reads_are_answered_afresh(client, build):
    build.body()
    for path in ("/api/v1/procedures", "/api/v1/search?q=council", "/api/v1/circulations"):
        client.get(path)
        assert not client.get(path).has_header("X-Answer-Cache"), path
    client.force_login(build_user())
    client.get(MEETINGS)
    assert not client.get(MEETINGS).has_header("X-Answer-Cache")


def build_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("reader", password="x")


def test_another_day_or_language_is_another_answer(client, build, monkeypatch):
    build.body()
    assert client.get(MEETINGS)["X-Answer-Cache"] == "miss"
    ru = client.get(MEETINGS, HTTP_ACCEPT_LANGUAGE="ru")
    assert ru["X-Answer-Cache"] == "miss"
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr(response_cache.timezone, "localdate", lambda: tomorrow)
    assert client.get(MEETINGS)["X-Answer-Cache"] == "miss"


def test_a_client_may_ask_for_a_fresh_answer(client, build):
    build.body()
    client.get(MEETINGS)
    assert not client.get(MEETINGS, HTTP_CACHE_CONTROL="no-cache").has_header("X-Answer-Cache")


def test_without_the_trail_row_nothing_is_kept(client, build):
    build.body()
    TrailLength.objects.all().delete()
    client.get(MEETINGS)
    assert not client.get(MEETINGS).has_header("X-Answer-Cache")


def test_an_answer_over_the_size_bound_is_not_kept(client, build, monkeypatch):
    build.body()
    monkeypatch.setattr(response_cache, "MAX_KEPT_BYTES", 10)
    client.get(MEETINGS)
    assert not client.get(MEETINGS).has_header("X-Answer-Cache")
