"""The report pages: the form, the report on the web with its downloads, the internal report
only for those the policy allows, and bad input answered with a message, never a 500."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

pytestmark = pytest.mark.django_db

REPORT = "/reports/report/"
BETA = {"chairmanship": "beta-2021-2023"}


def page(response):
    return lxml_html.fromstring(response.content.decode())


def test_reports_are_in_the_menu(client, small):
    menu = page(client.get("/")).xpath("//nav[@class='main']//a/@href")
    assert "/reports/" in menu


def test_the_form_offers_the_chairmanships_newest_first(client, small):
    response = client.get("/reports/")
    assert response.status_code == 200
    options = page(response).xpath("//select[@name='chairmanship']/option")
    assert [(o.get("value"), o.text) for o in options] == [
        ("", "The current chairmanship"),
        ("gamma-2023", "Gamma (from 2023)"),
        ("beta-2021-2023", "Beta (2021-2023)"),
        ("alpha-2019-2021", "Alpha (2019-2021)"),
    ]


def test_the_report_page_one_section_each_with_its_records_linked(client, small):
    response = client.get(REPORT, BETA)
    assert response.status_code == 200
    doc = page(response)
    ids = doc.xpath("//article[@class='report']/section/@id")
    assert ids[:3] == ["chairs", "meetings", "transformation"] and len(ids) == 11
    outcome = doc.xpath(
        "//section[@id='summit-outcomes']//li[contains(., 'Open Declaration')]"
        "[not(.//li[contains(., 'Open Declaration')])]"
    )[0]
    assert outcome.xpath(".//a/@href") == ["/documents/open-declaration/"]
    empty = doc.xpath("//section[@id='treaties']/p[@class='empty']/text()")
    assert empty == ["No signature, ratification or reported figure is dated in this period."]
    assert "Zanzibarquartz" not in response.content.decode()


def test_the_page_offers_each_format(client, small):
    links = page(client.get(REPORT, BETA)).xpath("//p[@class='report-downloads']/a/@href")
    formats = [href.rsplit("format=", 1)[-1] for href in links if "format=" in href]
    assert {"html", "md"} <= set(formats)
    assert all("chairmanship=beta-2021-2023" in href for href in links if "format=" in href)


@pytest.mark.parametrize(
    ("fmt", "kind", "start"),
    [
        ("md", "text/markdown", b"# EXO: Achievements 2021-2023"),
        ("html", "text/html", b"<!doctype"),
    ],
)
def test_downloads(client, small, fmt, kind, start):
    response = client.get(REPORT, {**BETA, "format": fmt})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(kind)
    assert response["Content-Disposition"] == (
        f'attachment; filename="exo-report-beta-2021-2023-public-en.{fmt}"'
    )
    assert response.content.startswith(start)
    # Off the site, links carry the site's address.
    assert b"http://testserver/actors/beta/" in response.content


def test_the_report_in_russian_around_the_readers_page(client, small):
    doc = page(client.get(REPORT, {**BETA, "language": "ru"}))
    assert doc.xpath("//section[@id='chairs']/h2/text()") == ["Председатели"]
    english = doc.xpath("//section[@id='chairs']//span[@class='fallback'][@lang='en']//text()")
    assert "Gamma" in english
    assert doc.xpath("//nav[@class='main']//a[@href='/reports/']/text()") == ["Reports"]


@pytest.mark.parametrize("who", [None, "reader", "observer"])
def test_the_internal_report_is_refused_with_the_reason(client, small, who):
    if who:
        client.force_login(getattr(small, who))
    response = client.get(REPORT, {**BETA, "audience": "internal"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "only the Secretariat and delegates of member states" in text
    assert "Zanzibarquartz" not in text


@pytest.mark.parametrize("who", ["member", "officer"])
def test_the_internal_report_shows_restricted_items_marked(client, small, who):
    client.force_login(getattr(small, who))
    response = client.get(REPORT, {**BETA, "audience": "internal"})
    assert response.status_code == 200
    doc = page(response)
    item = doc.xpath("//li[@class='restricted'][contains(., 'Zanzibarquartz')]")
    assert item and item[0].xpath(".//span[contains(@class, 'restricted')]/text()") == [
        "Restricted"
    ]
    assert doc.xpath("//p[@class='internal']")
    assert "Xylophonequill" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"chairmanship": "nobody"}, "There is no chairmanship “nobody”."),
        ({"start": "2023-01-01", "end": "2021-01-01"}, "comes after the end"),
        ({"start": "yesterday", "end": "2021-01-01"}, "“yesterday” is not a date"),
        ({"audience": "everyone"}, "“everyone” is not an audience: public or internal."),
        ({"format": "exe"}, "“exe” is not a format: html, pdf, pptx or md."),
        ({"language": "xx"}, "“xx” is not a language of the reports: en or ru."),
    ],
)
def test_bad_input_is_answered_with_a_message(client, small, query, message):
    response = client.get(REPORT, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_garbage_never_gives_a_server_error(client, small):
    for query in (
        {"chairmanship": "\x00"},
        {"start": "9" * 40, "end": "2021-01-01"},
        {"chairmanship": "beta-2021-2023", "start": "2021-01-01"},
    ):
        assert client.get(REPORT, query).status_code < 500
    assert client.post(REPORT, BETA).status_code == 405


def test_with_no_question_the_current_chairmanship(client, small):
    response = client.get(REPORT)
    assert response.status_code == 200
    assert "Chairmanship of Gamma" in response.content.decode()
