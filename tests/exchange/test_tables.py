"""The list and status tables of the CICA record as CSV and XLSX, read back as a user would:
with Python's csv module and with openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from secretariat.exchange import tables, workbook
from secretariat.initiatives.selectors import initiatives_at
from secretariat.registry.selectors import statuses_at
from secretariat.treaties.selectors import treaty_get, treaty_status
from secretariat.treaties.status_table import csv_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cica")]
DAY = "2016-06-01"


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(response):
    assert response.status_code == 200, response.content
    return load_workbook(io.BytesIO(response.content))


def test_members_on_a_day_match_the_registry(client):
    """The members table of 1 June 2016 lists the 26 member states the registry holds then,
    each with its ordinal, and its CSV is RFC 4180 with a header row."""
    response = client.get(f"/exports/members.csv?at={DAY}&status=member")
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    assert header[:6] == ["State or organization", "Key", "Kind", "ISO code", "Status", "Ordinal"]
    expected = statuses_at(dt.date(2016, 6, 1), kind="member")
    assert len(body) == len(expected) == 26
    assert {r[1] for r in body} == {s.status.actor.slug for s in expected}
    assert all(r[4] == "Member State" and r[5].endswith("Member State") for r in body)
    assert b"\r\n" in response.content and b"\n" not in response.content.replace(b"\r\n", b"")
    assert response["Content-Disposition"] == f'attachment; filename="members-{DAY}.csv"'


def test_all_standings_include_observers_and_partners(client):
    """Without a status filter, every standing held on the day is listed."""
    rows = read_csv(client.get(f"/exports/members.csv?at={DAY}"))[1:]
    kinds = {r[4] for r in rows}
    assert {"Member State", "Observer"} <= kinds
    assert len(rows) == len(statuses_at(dt.date(2016, 6, 1)))


def test_members_xlsx_reads_back_with_dates_as_dates(client):
    """The same table as XLSX: a styled frozen header, widths, and exact dates as dates."""
    book = read_xlsx(client.get(f"/exports/members.xlsx?at={DAY}&status=member"))
    sheet = book.active
    assert sheet.title == "Members and partners"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "State or organization" and sheet["A1"].font.b
    assert sheet.column_dimensions["A"].width == 30
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(values) == 26
    afghanistan = next(v for v in values if v[1] == "afghanistan")
    assert afghanistan[6] == dt.datetime(1999, 9, 14)  # "Since", a real date cell
    assert sheet["G2"].number_format == "yyyy-mm-dd"


def test_meetings_filtered_like_the_page(client):
    """Meetings of the Summit in 2022: the Sixth Summit, held 12-13 October in Astana."""
    rows = read_csv(client.get("/exports/meetings.csv?body=summit&year=2022"))
    header, body = rows[0], rows[1:]
    assert [r[0] for r in body] == ["summit-6"]
    row = dict(zip(header, body[0], strict=True))
    assert (row["Status"], row["Start"], row["End"]) == ("held", "2022-10-12", "2022-10-13")
    assert row["Planned"] == "2022; 2022-10-12"  # the plans are kept beside the held dates


def test_meetings_with_partial_dates_stay_text(client):
    """A meeting known only to the month is written 2020-12, not a made-up day."""
    rows = read_csv(client.get("/exports/meetings.csv?year=2020"))
    header = rows[0]
    soc = next(dict(zip(header, r, strict=True)) for r in rows[1:] if r[0] == "soc-2020-12")
    assert soc["Start"] == "2020-12"
    book = read_xlsx(client.get("/exports/meetings.xlsx?year=2020"))
    cells = {r[0]: r for r in book.active.iter_rows(min_row=2, values_only=True)}
    assert cells["soc-2020-12"][6] == "2020-12"


def test_treaty_status_is_the_status_csv_with_the_treaty(client):
    """One treaty's table holds the rows of its status.csv, each with the treaty's symbol."""
    key = "convention-privileges-immunities-2010"
    rows = read_csv(client.get(f"/exports/treaty-status.csv?treaty={key}&at=2024-09-30"))
    treaty = treaty_get(key, user=None)
    same = list(csv.reader(io.StringIO(csv_text(treaty_status(treaty, at=dt.date(2024, 9, 30))))))
    assert rows[0] == ["Treaty", *same[0]]
    assert [r[1:] for r in rows[1:]] == same[1:]
    assert {r[0] for r in rows[1:]} == {treaty.document.symbol}


def test_cbm_coordinators_of_the_catalogue_in_force(client):
    """The coordinators of the catalogue in force on the day; none before any is in force."""
    rows = read_csv(client.get("/exports/cbm-coordinators.csv?at=2024-06-01"))[1:]
    assert rows and all(r[4] in ("coordinator", "co-coordinator") for r in rows)
    assert read_csv(client.get("/exports/cbm-coordinators.csv?at=1995-01-01"))[1:] == []


def test_initiatives_by_status(client):
    """Initiatives with their status on the day, filtered by it."""
    day = dt.date(2024, 6, 1)
    rows = read_csv(client.get("/exports/initiatives.csv?at=2024-06-01"))[1:]
    assert len(rows) == len(initiatives_at(day))
    adopted = read_csv(client.get("/exports/initiatives.csv?at=2024-06-01&status=adopted"))[1:]
    assert {r[0] for r in adopted} == {
        i.initiative.slug for i in initiatives_at(day, status="adopted")
    }
    assert all(r[4] == "adopted" for r in adopted)


@pytest.mark.parametrize(
    ("url", "status", "where", "words"),
    [
        ("/exports/nope.csv", 404, "table", "No table 'nope'"),
        ("/exports/members.xlsx?at=2016-13-01", 400, "at", "not a day of the calendar"),
        ("/exports/meetings.csv?body=atlantis", 404, "body", "No body 'atlantis'"),
        ("/exports/meetings.csv?year=soon", 400, "year", "not a year"),
        ("/exports/documents.csv?status=lost", 400, "status", "not one of"),
        ("/exports/members.csv?colour=red", 400, "colour", "not a filter of members"),
        ("/exports/treaty-status.csv?treaty=none", 404, "treaty", "No treaty 'none'"),
        ("/exports/tables.zip?at=yesterday", 400, "at", "not a date"),
    ],
)
def test_bad_requests_say_what_and_where(client, url, status, where, words):
    """A table or filter that cannot be served answers 4xx with the place and the reason."""
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert words in problem["detail"]
    assert problem["errors"][0]["loc"] == [where]


def test_every_table_in_one_zip_and_one_workbook(client):
    """tables.zip holds a CSV per table and a README; tables.xlsx a sheet per table, with
    the same rows as the CSV."""
    archive = zipfile.ZipFile(io.BytesIO(client.get("/exports/tables.zip?at=2024-06-01").content))
    names = archive.namelist()
    assert names == [f"{name}.csv" for name in tables.TABLES] + ["README.txt"]
    book = read_xlsx(client.get("/exports/tables.xlsx?at=2024-06-01"))
    assert book.sheetnames == [t.title for t in tables.TABLES.values()] + ["About"]
    for table in tables.TABLES.values():
        text = archive.read(f"{table.name}.csv").decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert rows[0] == [c.title for c in table.columns]
        assert book[table.title].max_row == len(rows), table.name


def test_export_modules_write_the_same_as_the_routes(client):
    """The CLI's formats write what the routes serve (the public's view)."""
    at = dt.date(2024, 6, 1)
    out = io.BytesIO()
    tables.export(out, at=at, user=None)
    assert out.getvalue() == client.get("/exports/tables.zip?at=2024-06-01").content
    seen = []
    workbook.export(io.BytesIO(), at=at, user=None, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (len(tables.TABLES), len(tables.TABLES))


def test_downloads_are_stable_and_conditional(client):
    """The same table twice is the same bytes with the same ETag; 304 when unchanged."""
    first = client.get("/exports/documents.csv?at=2024-06-01")
    second = client.get("/exports/documents.csv?at=2024-06-01")
    assert first.content == second.content and first["ETag"] == second["ETag"]
    assert "Cookie" in first["Vary"]
    again = client.get("/exports/documents.csv?at=2024-06-01", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_index_lists_every_table(client):
    """/exports/ says which tables there are, their filters and where to get them."""
    index = client.get("/exports/").json()
    assert [t["name"] for t in index["tables"]] == list(tables.TABLES)
    members = index["tables"][0]
    assert members["filters"] == ["at", "status"] and members["csv"] == "/exports/members.csv"


ODD = ["at=0001-01-01", "at=9999-12-31", "year=9999", "body=%00x", "meeting=%00",
       "treaty=99999999999999999999999", "treaty=%00", "status=%00", "priorities=x%00"]  # fmt: skip


@pytest.mark.parametrize("table", list(tables.TABLES))
def test_odd_input_never_fails(client, table):
    """Extreme dates, huge ids and NUL characters answer a table or a 4xx, never a 500."""
    for query in ODD:
        for extension in ("csv", "xlsx"):
            response = client.get(f"/exports/{table}.{extension}?{query}")
            assert response.status_code < 500, (query, extension)
    assert client.get("/calendar.ics?body=%00").status_code == 404
