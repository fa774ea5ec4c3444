"""One ETag per representation: an answer kept by the answer cache carries the very tag
the fresh one did, so If-None-Match with either answers 304, on either path."""

import pytest
from django.core.cache import caches

from secretariat.audit.models import TrailLength
from secretariat.core.api_http import entity_tag, version_etag
from secretariat.documents import services as documents

# Committed writes: the trail's length moves on commit (deferred on PostgreSQL).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def kept(settings):
    settings.API_CACHE_SECONDS = 300
    caches[settings.API_CACHE].clear()
    TrailLength.objects.get_or_create(id=1)  # a flush (other tests) empties its table


@pytest.fixture
def paths(build):
    documents.document_create(
        key="decl", symbol="D/1", type="declaration", title_en="Declaration",
        access="public", sources=[build.source],
    )  # fmt: skip
    build.meeting("m1", build.body())
    # A document is tagged by its view (its version, for If-Match); a list by the bytes.
    return ["/api/v1/documents/decl", "/api/v1/meetings"]


def test_a_kept_answer_and_a_fresh_one_carry_the_same_etag(client, paths):
    for path in paths:
        fresh = client.get(path)
        kept = client.get(path)
        assert (fresh["X-Answer-Cache"], kept["X-Answer-Cache"]) == ("miss", "hit"), path
        assert kept.content == fresh.content
        assert kept["ETag"] == fresh["ETag"], path


def test_if_none_match_with_either_tag_is_304_kept_or_fresh(client, paths):
    for path in paths:
        tag = client.get(path)["ETag"]  # fresh
        kept_tag = client.get(path)["ETag"]  # kept
        for sent in (tag, kept_tag):
            again = client.get(path, HTTP_IF_NONE_MATCH=sent)  # answered from the cache
            assert again.status_code == 304 and again["ETag"] == tag, path
            afresh = client.get(path, HTTP_IF_NONE_MATCH=sent, HTTP_CACHE_CONTROL="no-cache")
            assert not afresh.has_header("X-Answer-Cache")  # built anew
            assert afresh.status_code == 304 and afresh["ETag"] == tag, path


def test_the_document_tag_is_its_version_with_a_digest_of_the_answer(client, paths):
    tag = client.get(paths[0])["ETag"]
    assert tag.startswith('"v1-')
    assert version_etag(1) == entity_tag(version=1) == '"v1"'
    assert entity_tag(content=b"x") == entity_tag(content=b"x") != entity_tag(content=b"y")
