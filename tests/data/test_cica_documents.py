"""The CICA dataset's documents answer the documents issue's questions through the API."""

import pytest

from tests.helpers import get


def adoption(document):
    return next(e for e in document["events"] if e["kind"] == "adopted")


@pytest.mark.django_db
def test_astana_statement_adopted_at_the_sixth_summit(client, cica):
    """The Astana Statement was adopted at the Sixth Summit on 13 October 2022."""
    doc = get(client, "/api/v1/documents/astana-statement-2022")
    event = adoption(doc)
    assert (event["date"]["value"], event["meeting"]["key"]) == ("2022-10-13", "summit-6")
    assert doc["status"] == "adopted"


@pytest.mark.django_db
def test_almaty_act_adopted_at_the_first_summit(client, cica):
    """The Almaty Act was adopted at the First Summit (Almaty, 2002)."""
    event = adoption(get(client, "/api/v1/documents/almaty-act-2002"))
    assert event["meeting"]["key"] == "summit-1"
    assert event["date"]["value"].startswith("2002")


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["concept-paper-finance-summit", "regulations-finance-summit"])
def test_finance_summit_drafts_circulated_with_feedback_outstanding(client, cica, key):
    """The Finance Summit papers were circulated on 31 July 2024; no member has answered."""
    doc = get(client, f"/api/v1/documents/{key}?at=2024-09-01")
    assert doc["status"] == "circulated"
    circulation = doc["circulations"][0]
    assert circulation["date"]["value"] == "2024-07-31"
    assert circulation["responded"] == []
    assert len(circulation["pending"]) == 28  # every member state that day


@pytest.mark.django_db
def test_modalities_agreed_not_yet_adopted_on_1_september_2024(client, cica):
    """On 1 September 2024 the Modalities of CBM implementation were agreed, not adopted."""
    listed = get(client, "/api/v1/documents?type=modalities&at=2024-09-01")["items"]
    assert [d["status"] for d in listed] == ["agreed"]
    doc = get(client, f"/api/v1/documents/{listed[0]['key']}?at=2024-09-01")
    agreed = next(e for e in doc["events"] if e["kind"] == "agreed")
    assert agreed["date"]["value"].startswith("2024-08")


@pytest.mark.django_db
def test_meeting_outcomes_are_the_lifecycle_events(client, cica):
    """The Sixth Summit's outcomes list the Astana Statement: the same record as its event."""
    outcomes = get(client, "/api/v1/meetings/summit-6/outcomes")["items"]
    keys = {o["document"]["key"] for o in outcomes}
    assert {"astana-statement-2022", "plan-of-action-ungcts-2022"} <= keys


@pytest.mark.django_db
def test_anniversary_statement_marks_the_1999_declaration(client, cica):
    """The 2024 statement is linked to the 1999 Declaration it marks."""
    doc = get(client, "/api/v1/documents/statement-25th-anniversary-declaration-2024")
    targets = [(r["kind"], r["document"]["key"]) for r in doc["relations"]]
    assert ("anniversary_of", "declaration-1999") in targets


@pytest.mark.django_db
def test_every_document_has_its_official_text_or_the_places_searched(cica):
    """Every CICA document links to its published official text, or records that none was
    found, when, and where it was looked for; never both."""
    from secretariat.documents.models import Document

    documents = Document.objects.prefetch_related("official_texts").select_related("text_search")
    missing, both = [], []
    for document in documents:
        texts = list(document.official_texts.all())
        search = getattr(document, "text_search", None)
        if texts and search is not None:
            both.append(document.key)
        elif not texts and (search is None or not search.places or not search.searched_on):
            missing.append(document.key)
    assert missing == [] and both == []


@pytest.mark.django_db
def test_an_official_text_cites_the_page_where_it_was_found(cica):
    """Each official text is cited by the page where it was found (a source with that
    address), in a language the organization records."""
    from secretariat.documents.models import OfficialText

    texts = list(OfficialText.objects.prefetch_related("citations__source"))
    assert texts
    for text in texts:
        assert text.language in {"en", "ru"}, text
        assert text.found_on is not None, text
        assert text.found_at in {c.source.url for c in text.citations.all()}, text


@pytest.mark.django_db
def test_the_1999_declaration_links_to_the_embassy_text(cica):
    """The 1999 Declaration's English text is the one the Kazakh embassy published; the
    Almaty Act has no published official text, and the search says where it looked."""
    from secretariat.documents.models import Document

    declaration = Document.objects.get(key="declaration-1999")
    assert [(t.language, t.url) for t in declaration.official_texts.all()] == [
        ("en", "http://kazembgulf.net/cica5.html")
    ]
    act = Document.objects.get(key="almaty-act-2002")
    assert not act.official_texts.exists()
    assert any("s-cica.org" in place for place in act.text_search.places)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "meeting", "date"),
    [("declaration-summit-2010", "summit-3", "2010-06-08"),
     ("declaration-summit-2014", "summit-4", "2014-05-21")],
)  # fmt: skip
def test_declarations_of_the_istanbul_and_shanghai_summits(client, cica, key, meeting, date):
    """The Third Summit adopted its Declaration in Istanbul on 8 June 2010, the Fourth in
    Shanghai on 21 May 2014; each is among its summit's outcomes."""
    doc = get(client, f"/api/v1/documents/{key}")
    event = adoption(doc)
    assert (event["date"]["value"], event["meeting"]["key"]) == (date, meeting)
    assert doc["status"] == "adopted"
    outcomes = get(client, f"/api/v1/meetings/{meeting}/outcomes")["items"]
    assert key in {o["document"]["key"] for o in outcomes}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "date"),
    [
        ("agreement-secretariat-2006", "2006-06-17"),
        ("host-country-agreement-2007", "2007-06-26"),
        ("mou-iom-2008", "2008"),
        ("mou-apk-2014", "2014"),
        ("mou-sco-2014", "2014-05-20"),
        ("mou-eaeu-2022", "2022-10-13"),
    ],
)
def test_signed_agreements_show_their_signature(client, cica, key, date):
    """An agreement or MoU whose only dated step is its signature is signed from the date its
    sources give, not left with no event on record."""
    doc = get(client, f"/api/v1/documents/{key}")
    assert doc["status"] == "signed"
    assert [(e["kind"], e["date"]["value"]) for e in doc["events"]] == [("signed", date)]
