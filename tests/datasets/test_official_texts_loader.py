"""Loading where documents' official texts are published, or that none was found."""

import datetime as dt

import pytest

from secretariat.datasets.loader import Loader
from secretariat.datasets.yamlfile import DatasetError
from secretariat.documents.models import Document, OfficialText, TextSearch

from .conftest import edit

pytestmark = pytest.mark.django_db

CHARTER_TEXTS = """  official_texts:
    - language: en
      url: https://example.org/texts/charter-en.pdf
      found_at: https://example.org/documents
      found_on: "2024-01-02"
      sources: [minutes]
    - language: ru
      url: https://example.org/texts/charter-ru.pdf
      sources: [minutes]
  versions:"""
STATUTE_SEARCH = """  body: fund
  no_published_text:
    searched_on: "2024-01-03"
    places: ["Example Organization website, documents page", Council minutes]
    sources: [minutes]"""


def with_texts(folder):
    edit(folder, "documents.yaml", "  versions:", CHARTER_TEXTS)
    edit(folder, "documents.yaml", "  body: fund", STATUTE_SEARCH)


def test_official_texts_and_a_search_load_and_reload_unchanged(folder):
    """A document's official texts come in per language with the page and day they were
    found, cited; another's search that found none keeps its day and places; a second
    load changes nothing."""
    with_texts(folder)
    counts = Loader(folder).load()
    assert counts["official texts"]["created"] == 2
    assert counts["text searches"]["created"] == 1
    charter = Document.objects.get(key="charter")
    english = charter.official_texts.get(language="en")
    assert english.url == "https://example.org/texts/charter-en.pdf"
    assert (english.found_at, english.found_on) == (
        "https://example.org/documents",
        dt.date(2024, 1, 2),
    )
    assert [c.source.key for c in english.citations.all()] == ["minutes"]
    search = TextSearch.objects.get(document__key="fund-statute")
    assert search.searched_on == dt.date(2024, 1, 3)
    assert search.places == ["Example Organization website, documents page", "Council minutes"]
    again = Loader(folder).load()
    assert again["official texts"] == {"unchanged": 2}
    assert again["text searches"] == {"unchanged": 1}


def test_a_text_found_later_ends_the_search_that_found_none(folder):
    """Loading an official text for a document recorded as having none removes that
    finding: the two never stand together."""
    with_texts(folder)
    Loader(folder).load()
    edit(
        folder,
        "documents.yaml",
        STATUTE_SEARCH,
        "  body: fund\n  official_texts:\n    - language: en\n"
        "      url: https://example.org/texts/statute.pdf\n      sources: [minutes]",
    )
    Loader(folder).load()
    assert not TextSearch.objects.exists()
    assert OfficialText.objects.filter(document__key="fund-statute").count() == 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("found_on: \"2024-01-02\"", "found_on: \"2024-01\"", "'found_on' must be a full date"),
        ("url: https://example.org/texts/charter-ru.pdf", "url: not an address", "url:"),
        ("    - language: en\n", "    - language: en\n      format: pdf\n", "unknown field"),
        ("places: [", "places: [[1], ", "'places' is a list of texts"),
        ("places: [\"Example Organization website, documents page\", Council minutes]",
         "places: []", "places:"),
        ("      url: https://example.org/texts/charter-ru.pdf\n      sources: [minutes]",
         "      url: https://example.org/texts/charter-ru.pdf", "every record needs 'sources'"),
    ],
)  # fmt: skip
def test_a_bad_official_text_or_search_is_refused_with_its_line(folder, old, new, message):
    """A partial day, an address that is not one, an unknown field, places that are not a
    list of texts or are none, a text without a source: refused, naming the file and line,
    and nothing is saved."""
    with_texts(folder)
    edit(folder, "documents.yaml", old, new)
    with pytest.raises(DatasetError) as caught:
        Loader(folder).load()
    assert str(caught.value).startswith("documents.yaml:")
    assert message in str(caught.value)
    assert not Document.objects.exists()


def test_both_a_text_and_no_text_is_refused(folder):
    """A document cannot both have an official text and none found."""
    with_texts(folder)
    edit(
        folder,
        "documents.yaml",
        "  versions:",
        '  no_published_text:\n    searched_on: "2024-01-03"\n    places: [Website]\n'
        "    sources: [minutes]\n  versions:",
    )
    with pytest.raises(DatasetError, match="not both"):
        Loader(folder).load()
