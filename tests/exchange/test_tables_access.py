"""Nothing the reader may not read leaves through a table, and no cell runs as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from secretariat.accounts import services as accounts
from secretariat.documents import services as documents
from secretariat.treaties import services as treaties
from tests.decisions.world import World, document
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(build):
    world = World(build)
    world.restricted, _ = document("EXO/SECRET/1", access="restricted", key="secret-paper")
    world.confidential = documents.document_create(
        type="agreement", symbol="EXO/CONF/1", key="conf-treaty", title_en="Agreement",
        access="confidential", sources=[build.source],
    )  # fmt: skip
    treaty, _ = treaties.treaty_upsert(
        document=world.confidential, sources=[build.source], eif_instruments=2
    )
    treaties.treaty_action_upsert(
        treaty=treaty, actor=world.alpha, kind="signature", date="2024-01-10",
        sources=[build.source],
    )  # fmt: skip
    return world


def signed_in(client, role: str, actor=None):
    user = accounts.account_create(
        username=f"{role}-user", password=PASSWORD, role=role, actor=actor
    ).user
    client.force_login(user)
    return client


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def test_public_documents_table_has_no_restricted_rows(client, world):
    """The public's documents table (CSV and XLSX) lists the public paper only; an officer's
    lists the restricted one too."""
    public = {r[1] for r in csv_rows(client.get("/exports/documents.csv"))[1:]}
    assert world.document.key in public
    assert "secret-paper" not in public and "conf-treaty" not in public
    book = load_workbook(io.BytesIO(client.get("/exports/documents.xlsx").content))
    assert "secret-paper" not in {r[1] for r in book.active.iter_rows(values_only=True)}
    officer = signed_in(client, "officer")
    keys = {r[1] for r in csv_rows(officer.get("/exports/documents.csv"))[1:]}
    assert {"secret-paper", "conf-treaty", world.document.key} <= keys


def test_member_delegate_reads_restricted_rows_but_not_confidential(client, world):
    rows = csv_rows(signed_in(client, "delegate", world.alpha).get("/exports/documents.csv"))
    keys = {r[1] for r in rows[1:]}
    assert "secret-paper" in keys and "conf-treaty" not in keys


def test_confidential_treaty_is_missing_for_the_public(client, world):
    """A confidential treaty is not in the public's status table, and naming it answers as a
    treaty that does not exist; an officer gets its rows."""
    assert csv_rows(client.get("/exports/treaty-status.csv"))[1:] == []
    hidden = client.get("/exports/treaty-status.csv?treaty=conf-treaty")
    missing = client.get("/exports/treaty-status.csv?treaty=no-such-treaty")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"] == "No treaty 'conf-treaty'."
    assert missing.json()["detail"] == "No treaty 'no-such-treaty'."
    officer = signed_in(client, "officer")
    rows = csv_rows(officer.get("/exports/treaty-status.csv?treaty=conf-treaty"))
    assert [r[:2] for r in rows[1:]] == [["EXO/CONF/1", "Alpha"]]


def test_api_token_reads_as_its_user(client, world):
    """A program with a token gets the table its account may read."""
    user = accounts.account_create(username="bot", password=PASSWORD, role="officer").user
    _token, secret = accounts.token_create(user=user, name="exports")
    rows = csv_rows(client.get("/exports/documents.csv", HTTP_AUTHORIZATION=f"Bearer {secret}"))
    assert "secret-paper" in {r[1] for r in rows[1:]}


def test_formulas_are_defused_in_csv_and_xlsx(client, build):
    """A title a spreadsheet would run (=, +, -, @) is written with an apostrophe in front."""
    evil = '=HYPERLINK("http://evil.example","click")'
    for n, title in enumerate([evil, "+1+2", "-3", "@SUM(A1)"], start=1):
        documents.document_create(
            type="note", symbol=f"EXO/F/{n}", key=f"formula-{n}", title_en=title,
            sources=[build.source],
        )  # fmt: skip
    rows = csv_rows(client.get("/exports/documents.csv"))
    titles = {r[1]: r[3] for r in rows[1:]}
    assert titles["formula-1"] == "'" + evil
    assert [titles[f"formula-{n}"] for n in (2, 3, 4)] == ["'+1+2", "'-3", "'@SUM(A1)"]
    sheet = load_workbook(io.BytesIO(client.get("/exports/documents.xlsx").content)).active
    cells = {row[1].value: row[3] for row in sheet.iter_rows(min_row=2)}
    assert cells["formula-1"].value == "'" + evil
    assert cells["formula-1"].data_type == "s"  # text, not a formula


def test_documents_table_reads_in_constant_queries(client, build, django_assert_max_num_queries):
    """The documents table costs the same few queries however many documents there are."""
    for n in range(30):
        documents.document_create(
            type="note", symbol=f"EXO/N/{n}", key=f"note-{n}", title_en=f"Note {n}",
            sources=[build.source],
        )  # fmt: skip
    client.get("/exports/documents.csv")  # warm the caches (sessions, content types)
    with django_assert_max_num_queries(6):
        rows = csv_rows(client.get("/exports/documents.csv"))
    assert len(rows) == 31


def test_pages_link_to_their_tables_as_filtered(client, world):
    """The members page links to its table with the page's filter and date, in the page's
    language; the meetings page also to the calendar of the body shown."""
    page = client.get("/members/?status=member&at=2016-06-01").content.decode()
    assert 'href="/exports/members.csv?status=member&amp;at=2016-06-01"' in page
    assert 'href="/exports/members.xlsx?status=member&amp;at=2016-06-01"' in page
    meetings = client.get(f"/meetings/?body={world.body.slug}").content.decode()
    assert f'href="/calendar.ics?body={world.body.slug}"' in meetings
    assert f"/exports/meetings.csv?body={world.body.slug}" in meetings
    russian = client.get("/members/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Скачать таблицу" in russian
    linked = client.get("/exports/members.csv?status=member&at=2016-06-01")
    assert linked.status_code == 200
