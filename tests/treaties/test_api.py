"""The treaties API: the status table, counts, CSV, errors, access and query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from secretariat.documents.services import document_update
from tests.helpers import get

pytestmark = pytest.mark.django_db


def seed(world):
    world.signed_and_ratified(world.alpha, "2010-06-08", "2011-01-10")
    world.act(world.alpha, "reservation", "2011-01-10", statement="Article 5 does not apply.")
    world.act(world.beta, "signature", "2010-06-08")
    world.act(world.beta, "acceptance", "2011-02", domestic_act_en="Law No. 7")
    world.act(world.gamma, "accession", "2011-03-01")
    world.act(world.delta, "signature", "2010-06-08")
    world.act(world.gamma, "denunciation", "2014-01-01", effective="2015-01-01")
    world.figure("signed_and_ratified", "2024-09", 10)
    world.figure("instruments_required", "2024-09", 0)


def test_the_status_as_of_a_day_in_full(client, world):
    """Table, counts, instruments required, entry into force, reported figures, denunciations."""
    seed(world)
    data = get(client, "/api/v1/treaties/convention-2010/status?at=2024-10-01")
    assert data["document"]["symbol"] == "EXO/CONV/2010/1"
    assert data["depositary"] == "EXO Secretariat"
    assert data["rule"]["instruments"] == 3
    table = [
        (r["participant"]["slug"], r["signature"] and r["signature"]["value"],
         r["instrument_display"], r["party"])
        for r in data["table"]
    ]  # fmt: skip
    assert table == [
        ("alpha", "2010-06-08", "10 January 2011", "yes"),
        ("beta", "2010-06-08", "February 2011 A", "yes"),
        ("delta", "2010-06-08", None, "no"),
        ("gamma", None, "1 March 2011 a", "no"),
    ]
    alpha = data["table"][0]
    assert alpha["statements"][0]["statement"] == "Article 5 does not apply."
    assert data["table"][1]["instrument"]["domestic_act"] == "Law No. 7"
    counts = {k: (v["value"], v["uncertain"]) for k, v in data["counts"].items()}
    assert counts == {
        "signatories": (3, 0),
        "parties": (2, 0),
        "signed_and_ratified": (2, 0),
        "signed_not_ratified": (1, 0),
    }
    assert data["instruments_required"]["value"] == 0
    eif = data["entry_into_force"]
    assert eif["in_force"] == "yes"
    assert eif["date"] == {"earliest": "2011-03-31", "latest": "2011-03-31", "certain": True,
                           "display": "31 March 2011"}  # fmt: skip
    assert alpha["entry_into_force"]["earliest"] == "2011-03-31"
    assert [d["participant"]["slug"] for d in data["denunciations"]] == ["gamma"]
    assert data["denunciations"][0]["effective"]["value"] == "2015-01-01"
    reported = {r["metric"]: r for r in data["reported"]}
    assert reported["signed_and_ratified"]["differs"] is True
    assert reported["signed_and_ratified"]["computed"]["value"] == 2
    assert "The source counts 10 as of September 2024" in reported["signed_and_ratified"]["detail"]
    assert reported["instruments_required"]["differs"] is False
    assert reported["signed_and_ratified"]["sources"][0]["key"] == "test-source"


def test_an_uncertain_instrument_is_counted_apart_and_the_date_is_a_range(client, world):
    seed(world)
    data = get(client, "/api/v1/treaties/convention-2010/status?at=2011-02-15")
    assert data["counts"]["parties"] == {"value": 1, "uncertain": 1, "low": 1, "high": 2}
    assert data["instruments_required"]["value"] == 2
    data = get(client, "/api/v1/treaties/convention-2010/status?at=2011-03-15")
    assert data["entry_into_force"]["in_force"] == "no"
    assert data["entry_into_force"]["date"]["certain"] is True
    assert data["reported"] == []  # reported in 2024, not known yet


def test_the_list_gives_counts_and_in_force_status_in_constant_queries(
    client, world, django_assert_max_num_queries
):
    seed(world)
    with django_assert_max_num_queries(8) as few:
        data = get(client, "/api/v1/treaties")["items"]
    assert [(t["document"]["key"], t["entry_into_force"]["in_force"]) for t in data] == [
        ("convention-2010", "yes")
    ]
    assert data[0]["reported_differs"] is True
    for n in range(4):
        treaty = world.make_treaty(world.doc(f"more-{n}", f"EXO/CONV/2020/{n}"))
        world.act(world.alpha, "accession", "2021-01-01", treaty)
        world.figure("parties", "2022", 1, treaty)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(get(client, "/api/v1/treaties")["items"]) == 5


def test_the_table_as_csv(client, world):
    seed(world)
    response = client.get("/api/v1/treaties/convention-2010/status.csv?at=2024-10-01")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="convention-2010-status-2024-10-01.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == [
        "Participant",
        "Signature",
        "Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)",
    ]
    assert rows[1] == ["Alpha", "8 June 2010", "10 January 2011", "", "31 March 2011"]
    assert rows[4][:4] == [
        "Gamma",
        "",
        "1 March 2011 a",
        "1 January 2014 (effective 1 January 2015)",
    ]
    assert len(rows) == 5


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/v1/treaties/no-such/status", 404),
        ("/api/v1/treaties/no-such/status.csv", 404),
        ("/api/v1/treaties/convention-2010/status?at=2024-02-30", 422),
        ("/api/v1/treaties/convention-2010/status?at=soon", 422),
        ("/api/v1/treaties/convention-2010/status.csv?at=2024-13-01", 422),
        ("/api/v1/treaties?at=x", 422),
        (f"/api/v1/treaties/{'9' * 40}/status", 404),
    ],
)
def test_bad_input_is_a_problem_never_a_500(client, world, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == status


def test_a_treaty_the_user_may_not_read_answers_404(client, world, admin_user):
    secret = world.doc("secret-2012", "EXO/CONV/2012/1", access="restricted")
    world.make_treaty(secret)
    for url in ("/api/v1/treaties/secret-2012/status", f"/api/v1/treaties/{secret.pk}/status.csv"):
        assert client.get(url).status_code == 404
    listed = get(client, "/api/v1/treaties")["items"]
    assert [t["document"]["key"] for t in listed] == ["convention-2010"]
    client.force_login(admin_user)
    assert get(client, "/api/v1/treaties/secret-2012/status")["document"]["access"] == "restricted"
    assert len(get(client, "/api/v1/treaties")["items"]) == 2


def test_a_treaty_names_its_document_at_the_level_it_is_read_at(client, world):
    """Once its embargo has passed, a restricted paper is public: the treaty says so as the
    document's own answer does."""
    lifted = world.doc("lifted-2012", "EXO/CONV/2012/2", access="restricted")
    document_update(document=lifted, public_from=dt.date(2020, 1, 1))
    world.make_treaty(lifted)
    treaty = get(client, "/api/v1/treaties/lifted-2012/status")["document"]
    assert treaty["access"] == "public"
    assert treaty == {
        k: v for k, v in get(client, "/api/v1/documents/lifted-2012").items() if k in treaty
    }
