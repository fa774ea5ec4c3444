"""The CICA dataset's documents answer the documents issue's questions through the API."""

import pytest


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


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
