"""Official texts published elsewhere: links per language with where and when they were
found, or the finding that none was published, on the page (English and Russian), in the
API and through the services."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from secretariat.accounts import services as accounts
from secretariat.documents import services
from secretariat.documents.models import OfficialText, TextSearch
from secretariat.records.services import Outcome

pytestmark = pytest.mark.django_db

TEXT_URL = "https://example.org/texts/charter-ru.pdf"
PAGE_URL = "https://example.org/documents"
PLACES = ["Example Organization website, documents page", "Ministry of Foreign Affairs"]


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    """A page asked for in Russian leaves Russian active in the thread: reset it."""
    yield
    translation.deactivate()


def add_text(docs, document, **kw):
    kw = {"language": "ru", "url": TEXT_URL, "found_at": PAGE_URL,
          "found_on": dt.date(2026, 12, 7), "sources": docs.sources, **kw}  # fmt: skip
    return services.official_text_add(document=document, **kw)


def no_text(docs, document, **kw):
    kw = {"searched_on": dt.date(2026, 12, 7), "places": PLACES, "sources": docs.sources, **kw}
    return services.text_search_upsert(document=document, **kw)


def page_text(response) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def officer(client):
    user = accounts.account_create(username="olga", password="x-9-long-pass", role="officer")
    client.force_login(user.user)
    return client


# --- Services --------------------------------------------------------------------------


def test_an_official_text_is_recorded_once_with_its_source(docs):
    """Recording the same text again changes nothing; it keeps where and when it was found
    and the source that says so."""
    document = docs.document()
    text, outcome = add_text(docs, document)
    assert outcome is Outcome.CREATED
    assert (text.language, text.url, text.found_at) == ("ru", TEXT_URL, PAGE_URL)
    assert [c.source for c in text.citations.all()] == docs.sources
    _, again = add_text(docs, document)
    assert again is Outcome.UNCHANGED
    _, changed = add_text(docs, document, found_on=dt.date(2026, 12, 8))
    assert changed is Outcome.UPDATED
    assert OfficialText.objects.count() == 1


def test_a_text_found_ends_the_finding_that_none_was(docs):
    """A search that found nothing stands until a text is recorded; then it goes, and a new
    finding that none was published is refused while the text is on record."""
    document = docs.document()
    search, outcome = no_text(docs, document)
    assert outcome is Outcome.CREATED and search.places == PLACES
    add_text(docs, document)
    assert not TextSearch.objects.filter(document=document).exists()
    with pytest.raises(ValidationError, match="published official text on record"):
        no_text(docs, document)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"language": "xx-nowhere"}, "language"),
        ({"url": "not an address"}, "url"),
        ({"found_at": "ftp:/broken"}, "found_at"),
        ({"sources": []}, None),
    ],
)
def test_a_bad_official_text_is_refused(docs, change, field):
    """An unknown language, an address that is not one, or no source: refused, nothing
    saved."""
    with pytest.raises(ValidationError) as caught:
        add_text(docs, docs.document(), **change)
    if field:
        assert field in caught.value.message_dict
    assert not OfficialText.objects.exists()


def test_a_search_without_places_is_refused(docs):
    with pytest.raises(ValidationError) as caught:
        no_text(docs, docs.document(), places=[])
    assert "places" in caught.value.message_dict


# --- The page --------------------------------------------------------------------------


def test_the_page_links_to_the_official_text_in_english_and_russian(client, docs):
    """The document's page shows "Official text" with a link per language, where it was
    found and when; in Russian too."""
    document = docs.document(key="charter")
    add_text(docs, document, note="The Russian text is marked as a translation.")
    response = client.get("/documents/charter/")
    html = response.content.decode()
    assert f'href="{TEXT_URL}" hreflang="ru"' in html
    page = page_text(response)
    assert "Official text" in page and "Official text in Russian" in page
    assert "seen on 7 December 2026" in page and PAGE_URL in page
    assert "marked as a translation" in page
    russian = page_text(client.get("/documents/charter/", HTTP_ACCEPT_LANGUAGE="ru"))
    assert "Официальный текст (Русский)" in russian and "проверено 7 декабря 2026" in russian


def test_no_published_text_is_said_and_officers_see_where_it_was_looked_for(client, docs):
    """Without an official text the page says none was found and when; the places searched
    are shown to officers only."""
    docs.document(key="draft")
    no_text(docs, docs.document(key="memo"))
    public = page_text(client.get("/documents/memo/"))
    assert "No published text found. Searched on 7 December 2026." in public
    assert "Places searched" not in public and PLACES[1] not in public
    russian = page_text(client.get("/documents/memo/", HTTP_ACCEPT_LANGUAGE="ru"))
    assert "Опубликованный текст не найден." in russian
    translation.deactivate()
    assert "No official text on record." in page_text(client.get("/documents/draft/"))
    seen = page_text(officer(client).get("/documents/memo/"))
    assert "Places searched" in seen and PLACES[0] in seen and PLACES[1] in seen


# --- The API ---------------------------------------------------------------------------


def test_the_api_gives_official_texts_and_the_finding_without_places_to_the_public(client, docs):
    """GET /documents/{key} lists the official texts with their sources; for a document
    without one, text_search says none was found and when, with the places for officers
    only."""
    add_text(docs, docs.document(key="charter"))
    no_text(docs, docs.document(key="memo"))
    charter = client.get("/api/v1/documents/charter").json()
    assert charter["text_search"] is None
    (official,) = charter["official_texts"]
    assert official["language"] == "ru" and official["url"] == TEXT_URL
    assert (official["found_at"], official["found_on"]) == (PAGE_URL, "2026-12-07")
    assert official["sources"][0]["key"] == docs.sources[0].key
    memo = client.get("/api/v1/documents/memo").json()
    assert memo["official_texts"] == []
    assert memo["text_search"]["found"] is False
    assert memo["text_search"]["searched_on"] == "2026-12-07"
    assert memo["text_search"]["places"] is None
    seen = officer(client).get("/api/v1/documents/memo").json()
    assert seen["text_search"]["places"] == PLACES
