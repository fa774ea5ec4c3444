"""The public report of Kazakhstan's 2020-2024 chairmanship, composed from the shipped CICA
data, says every fact of the report the Secretariat made by hand (the seed,
../shared/seeds/000_9e60f0a7e69153b9.txt), in Markdown, on the web page and in the deck
(whose slides and speaker notes carry every statement of the page); nothing restricted
reaches it; and it costs the same queries as a report of a few months.

Each fact is a statement of one section: its words must all stand in one statement (one
list item; in the deck, a bullet or a line of the notes) there. The record's own wording
is checked where it differs from the seed's ("Seventh Meeting of the CICA Ministerial
Council" for "7th CICA Ministerial Council").
"""

from __future__ import annotations

import copy
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html
from pptx import Presentation

from secretariat.accounts.policy import SYSTEM
from secretariat.documents import services as documents
from secretariat.documents.models import Document
from secretariat.records import services as core
from secretariat.reports import markdown, pptx
from secretariat.reports.compose import report_build
from secretariat.reports.model import Audience
from secretariat.reports.period import period_between, period_for

pytestmark = pytest.mark.django_db
SLUG = "kazakhstan-2020-2024"

# (section, the words of one statement)
FACTS = {
    # "CICA Achievements 2020-2024": the title, checked apart.
    "previous chairs": ("chairs", ["Previous chairs", "Türkiye (2010-2014)", "China (2014-2018)",
                                   "Tajikistan (2018-2020)"]),
    "current chair": ("chairs", ["Current chair", "Kazakhstan (2020-2024)"]),
    "next chair": ("chairs", ["Next chair", "Azerbaijan", "decided on 19 March 2024"]),
    "next chair takes over at the 7th MC in Baku on 19 December 2024": (
        "chairs", ["Seventh Meeting of the CICA Ministerial Council", "Baku, 19 December 2024"]),
    "Sixth Summit, Astana, October 2022": (
        "meetings", ["12-13 October 2022", "Sixth CICA Summit", "Astana"]),
    "informal MC, New York, September 2023": (
        "meetings", ["21 September 2023", "Informal Meeting of the CICA Ministerial Council",
                     "New York"]),
    "Astana Statement on CICA Transformation": (
        "transformation", ["13 October 2022", "Sixth CICA Summit",
                           "Astana Statement on CICA Transformation"]),
    "Road Map for CICA Transformation at the informal MC": (
        "transformation", ["21 September 2023", "Road Map for CICA Transformation", "adopted",
                           "Informal Meeting of the CICA Ministerial Council (2023)", "New York"]),
    "focus in 2024: Charter (cluster 1), Rules of Procedure (cluster 4)": (
        "transformation", ["Focus in 2024", "Cluster 1. CICA Charter",
                           "Cluster 4. Rules of Procedure"]),
    "Tokayev, Dushanbe 2019": (
        "transformation", ["2019", "step-by-step, gradual transformation", "Fifth CICA Summit",
                           "Dushanbe"]),
    "Tokayev, Astana 2022": (
        "transformation", ["We are not creating a new organization, but are moving to a new "
                           "stage of institutional development", "Sixth CICA Summit"]),
    "HCA: cluster 3, international status of the Secretariat": (
        "transformation", ["Cluster 3. International status of the Secretariat"]),
    "HCA amendments agreed on 19 July 2024": (
        "transformation", ["19 July 2024", "Draft amendments agreed by Member States"]),
    "HCA next step: decree": ("transformation", ["Decree of the Government of Kazakhstan"]),
    "HCA next step: signing": (
        "transformation", ["Signing by the Government of Kazakhstan and the Secretary General"]),
    "HCA next step: ratification": (
        "transformation", ["Ratification by the Parliament of Kazakhstan"]),
    "1999 Declaration, Almaty, First Ministerial Meeting": (
        "founding", ["Declaration on the Principles Guiding Relations between the CICA Member "
                     "States", "14 September 1999", "First Meeting of CICA Ministers of Foreign "
                     "Affairs", "Almaty"]),
    "2002 Almaty Act, First Summit": (
        "founding", ["Almaty Act", "4 June 2002", "First CICA Summit", "Almaty"]),
    "statement on the 25th anniversary of the 1999 Declaration, 7th MC": (
        "founding", ["25th Anniversary of the Declaration", "adopted",
                     "Seventh Meeting of the CICA Ministerial Council"]),
    "January 2021, SOC: new CBM on epidemiological safety": (
        "cbm", ["January 2021", "New CBM priority area", "Epidemiological safety",
                "Senior Officials Committee meeting (January 2021)"]),
    "June 2021, SOC: General Guidelines": (
        "cbm", ["June 2021", "General Guidelines for Conducting Events on CBM Implementation",
                "Senior Officials Committee meeting (June 2021)"]),
    "October 2021, 6th Ministerial: updated Catalogue, 18 priority areas, coordinators": (
        "cbm", ["October 2021", "CICA Catalogue of Confidence Building Measures (updated 2021)",
                "adopted", "Sixth Meeting of CICA Ministers of Foreign Affairs",
                "18 priority areas", "coordinators and co-coordinators"]),
    "annual review, June 2022": ("cbm", ["15 June 2022", "Annual review of CBM implementation"]),
    "annual review, April 2023": ("cbm", ["19 April 2023", "Annual review of CBM implementation"]),
    "annual review, June 2024": ("cbm", ["27 June 2024", "Annual review of CBM implementation"]),
    "August 2024, SOC: draft Modalities approved": (
        "cbm", ["August 2024", "Modalities of Implementation of CICA Confidence Building "
                "Measures", "agreed", "Senior Officials Committee meeting (August 2024)"]),
    "Modalities for the 7th MC": (
        "cbm", ["Modalities of Implementation", "adopted",
                "Seventh Meeting of the CICA Ministerial Council"]),
    "three new permanent institutions": ("institutions", ["New permanent institutions: 3"]),
    "Council of Eminent Persons, membership pending": (
        "institutions", ["Council of Eminent Persons", "membership pending"]),
    "CEP initiated at the Fifth Summit in 2019": (
        "institutions", ["15 June 2019", "Initiated", "Fifth CICA Summit"]),
    "CEP established October 2021, 6th Ministerial": (
        "institutions", ["12 October 2021", "Established",
                         "Sixth Meeting of CICA Ministers of Foreign Affairs"]),
    "Think Tank Forum, initiated by China": (
        "institutions", ["Think Tank Forum", "initiated by China"]),
    "Think Tank Forum initiated in 2014": (
        "institutions", ["2014", "Founded within the CICA framework on the initiative of China"]),
    "Think Tank Forum permanent in October 2021": (
        "institutions", ["7 October 2021", "Transformed", "permanent institution"]),
    "Think Tank Forum: 11 meetings": ("institutions", ["11 meetings held"]),
    "CICA Fund established at the Sixth Summit": (
        "institutions", ["13 October 2022", "Established", "Sixth CICA Summit",
                         "establishing the CICA Fund"]),
    "Ambassadors Club": ("institutions", ["CICA Ambassadors Club", "proposed"]),
    "Sixth Summit: Plan of Action on the UN Global Counter-Terrorism Strategy": (
        "summit-outcomes", ["CICA Plan of Action on the Implementation of the United Nations "
                            "Global Counter-Terrorism Strategy", "adopted"]),
    "Sixth Summit: Leaders' Statement on ICT security": (
        "summit-outcomes", ["Joint CICA Leaders' Statement on Cooperation in the Field of "
                            "Security of and in the Use of ICTs", "adopted"]),
    "Sixth Summit: Decision on the Kazakh Chairmanship 2022-2024": (
        "summit-outcomes", ["Decision on the Kazakh Chairmanship in 2022-2024", "adopted"]),
    "Sixth Summit: first Secretary General": (
        "summit-outcomes", ["Kairat Sarybay appointed Secretary General"]),
    "Sixth Summit: decision on the first Secretary General": (
        "summit-outcomes", ["Decision on the appointment of the first CICA Secretary General"]),
    "Ministerial Conference on Environmental Issues, online, 28 August 2024": (
        "initiatives", ["28 August 2024", "CICA Ministerial Conference on Environmental Issues",
                        "online", "High-level Statement", "adopted the high-level statement"]),
    "Rally of Volunteer Movement Leaders, 7th Youth Council, Astana": (
        "initiatives", ["3 October 2024", "Seventh CICA Youth Council ministerial meeting",
                        "Astana", "Rally was held"]),
    "volunteerism statement at the informal MC, New York, September 2023": (
        "initiatives", ["Ministerial Statement on Promoting Volunteerism for Sustainable "
                        "Development", "adopted", "Informal Meeting of the CICA Ministerial "
                        "Council (2023)", "New York"]),
    "PNLU: memorandum finalized by the SOC": (
        "initiatives", ["14 March 2024", "Draft agreed", "Memorandum on the Creation of the "
                        "Partnership Network of Leading Universities"]),
    "PNLU: the 7th MC to adopt the memorandum": (
        "initiatives", ["Adoption of the Memorandum by the 7th Ministerial Council"]),
    "PNLU: inauguration": ("initiatives", ["Inauguration of the PNLU"]),
    "PNLU: nominations of universities expected": (
        "initiatives", ["Expected", "Nomination of universities by the Member States"]),
    "Finance Summit: concept paper circulated on 31 July": (
        "initiatives", ["31 July 2024", "Concept paper on the institutionalization of the CICA "
                        "Finance Summit"]),
    "Finance Summit: draft Regulations circulated": (
        "initiatives", ["31 July 2024", "Regulations of the CICA Finance Summit (draft)",
                        "circulated"]),
    "Finance Summit: feedback expected": (
        "initiatives", ["Expected", "Feedback from the Member States"]),
    "Finance Summit: first expert meeting, Astana Finance Days, 6 September 2024": (
        "initiatives", ["6 September 2024", "Astana Finance Days"]),
    "Council on Sustainable Connectivity": (
        "initiatives", ["Council on Sustainable Connectivity", "under discussion"]),
    "Council on Sustainable Connectivity: expert meetings since February 2024": (
        "initiatives", ["February 2024", "expert meetings since February 2024"]),
    "Convention: Bangladesh ratified in 2023": ("treaties", ["2023", "Bangladesh: ratification"]),
    "Convention: China ratified in 2024": ("treaties", ["2024", "China: ratification"]),
    "Convention: Jordan ratified in 2024": ("treaties", ["2024", "Jordan: ratification"]),
    "Convention: 10 signed and ratified, 8 signed not ratified, 4 required": (
        "treaties", ["Reported as of September 2024", "10 Member States signed and ratified",
                     "8 Member States signed but not ratified",
                     "4 more ratifications required for entry into force"]),
    "2021: Turkmenistan, 9th Observer": (
        "expansion", ["23 June 2021", "Turkmenistan: 9th Observer"]),
    "2021: partnership with the EAEU approved by the SOC": (
        "expansion", ["2021", "Eurasian Economic Union: establishing a partnership approved",
                      "Senior Officials Committee"]),
    "2021: partnership with ASEAN approved by the SOC": (
        "expansion", ["2021", "Association of Southeast Asian Nations: establishing a "
                      "partnership approved", "Senior Officials Committee"]),
    "2022: Kuwait, 28th Member State": (
        "expansion", ["13 October 2022", "Kuwait: 28th Member State"]),
    "2022: EAEU, 6th Partner Organization": (
        "expansion", ["13 October 2022", "Eurasian Economic Union: 6th Partner Organization"]),
    "2022: dialogue with ASEAN": (
        "expansion", ["2022", "Association of Southeast Asian Nations: dialogue"]),
    "2023: Saudi Arabia, 10th Observer": (
        "expansion", ["26 December 2023", "Saudi Arabia: 10th Observer"]),
    "2023: Morocco's application for observer status, pending": (
        "expansion", ["2023", "Morocco: application for Observer status (pending)"]),
    "2024: partnership with UNOCT approved": (
        "expansion", ["2024", "United Nations Office of Counter-Terrorism: establishing a "
                      "partnership approved"]),
    "2024: MoU with UNOCT under consideration": (
        "expansion", ["United Nations Office of Counter-Terrorism: MoU under consideration"]),
    "2024: MoU with ESCAP approved on 12 September 2024": (
        "expansion", ["12 September 2024", "United Nations Economic and Social Commission for "
                      "Asia and the Pacific: MoU approved"]),
    "ESCAP: signing the MoU is the next step": ("expansion", ["Signing of the MoU", "pending"]),
    "the headquarters": ("other", ["Construction of the CICA Headquarters", "adopted"]),
    "the headquarters decision by President Tokayev": (
        "other", ["26 June 2024", "directive from President Kassym-Jomart Tokayev"]),
    "Azerbaijan's chairmanship 2024-2026 decided": (
        "other", ["19 March 2024", "Decision on the CICA Chairmanship in 2024-2026", "adopted"]),
}  # fmt: skip
SECTION_TITLES = {
    "chairs": "The chairs",
    "meetings": "Summits and ministerial meetings held",
    "transformation": "Transformation",
    "founding": "Founding documents and anniversaries",
    "cbm": "Confidence-building measures",
    "institutions": "New institutions and their state",
    "summit-outcomes": "Outcomes of the summits",
    "initiatives": "Priorities and initiatives",
    "treaties": "Conventions and agreements",
    "expansion": "Expansion and external relations",
    "other": "Other decisions",
}


def _markdown_statements(text: str) -> dict[str, list[str]]:
    """Each section's list items as plain text (links and escapes taken off)."""
    found: dict[str, list[str]] = {}
    titles = {v: k for k, v in SECTION_TITLES.items()}
    current = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = titles.get(line[3:])
            continue
        if current and line.lstrip().startswith("- "):
            plain = re.sub(r"\[((?:\\.|[^\]\\])*)\]\([^)\s]*\)", r"\1", line)
            plain = re.sub(r"\\(.)", r"\1", plain.replace("**", ""))
            found.setdefault(current, []).append(plain)
    return found


def _page_statements(content: bytes) -> dict[str, list[str]]:
    """Each section's list items on the web page, without their sub-items."""
    doc = lxml_html.fromstring(content.decode())
    found: dict[str, list[str]] = {}
    for key in SECTION_TITLES:
        for li in doc.xpath(f"//section[@id='{key}']//li"):
            own = copy.deepcopy(li)
            for nested in own.findall("ul"):
                own.remove(nested)
            found.setdefault(key, []).append(" ".join(own.text_content().split()))
    return found


def _deck_statements(data: bytes) -> dict[str, list[str]]:
    """Each section's statements in the deck: every bullet of its slides, and every line of
    their speaker notes (where what a slide has no room for is told)."""
    found: dict[str, list[str]] = {}
    titles = {v: k for k, v in SECTION_TITLES.items()}
    for slide in Presentation(io.BytesIO(data)).slides:
        title = slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""
        key = titles.get(title.removesuffix(" (continued)"))
        if key is None:
            continue
        bullets = [
            paragraph.text
            for shape in slide.placeholders
            if shape.placeholder_format.idx == 1
            for paragraph in shape.text_frame.paragraphs
        ]
        notes = slide.notes_slide.notes_text_frame.text.splitlines()
        found.setdefault(key, []).extend(" ".join(t.split()) for t in bullets + notes)
    return found


@pytest.fixture(scope="module")
def said(cica, django_db_blocker):
    """The public report as Markdown, as the web page and as the deck, each cut into
    statements."""
    with django_db_blocker.unblock():
        report = report_build(
            period=period_for(chairmanship=SLUG), audience=Audience.PUBLIC, language="en"
        )
        report.base_url = "https://secretariat.example.org"
        text = markdown.render(report)
        deck = pptx.render(report)
        page = Client().get("/reports/report/", {"chairmanship": SLUG})
    assert page.status_code == 200
    return {
        "markdown": _markdown_statements(text),
        "page": _page_statements(page.content),
        "deck": _deck_statements(deck),
        "text": text,
        "html": page.content.decode(),
    }


@pytest.mark.parametrize("fact", list(FACTS))
@pytest.mark.parametrize("form", ["markdown", "page", "deck"])
def test_the_report_says_every_fact_of_the_seed(said, fact, form):
    section, words = FACTS[fact]
    statements = said[form].get(section, [])
    matching = [s for s in statements if all(w in s for w in words)]
    assert matching, f"{form}: no statement of '{section}' says all of {words}"


def _page_parts(html: str) -> dict[str, list[tuple[str, str, str]]]:
    """Each section's statements on the web page as (date, words, the record's remark)."""
    doc = lxml_html.fromstring(html)
    found: dict[str, list[tuple[str, str, str]]] = {}
    for key in SECTION_TITLES:
        for li in doc.xpath(f"//section[@id='{key}']//li"):
            own = copy.deepcopy(li)
            for nested in own.findall("ul"):
                own.remove(nested)
            parts = {}
            for name in ("when", "note", "refs", "badge"):
                spans = own.xpath(f"./span[contains(concat(' ', @class, ' '), ' {name} ')]")
                parts[name] = " ".join(" ".join(s.text_content().split()) for s in spans)
                for span in spans:
                    span.drop_tree()
            words = " ".join(own.text_content().split())
            found.setdefault(key, []).append((parts["when"], words, parts["note"]))
    return found


def test_the_deck_carries_every_statement_of_the_page(said):
    """Each statement of the page, with its date and the record's remark on it, stands in
    one statement of the same section in the deck: a bullet, or a line of its notes."""
    missing = []
    for key, statements in _page_parts(said["html"]).items():
        deck = [_flat(s) for s in said["deck"].get(key, [])]
        for when, words, note in statements:
            wanted = [_flat(part) for part in (when, words, note) if part]
            if not any(all(part in line for part in wanted) for line in deck):
                missing.append(f"{key}: {when} {words} {note}"[:120])
    assert not missing, "\n".join(missing)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_title_and_period(said):
    assert said["text"].startswith("# CICA: Achievements 2020-2024\n")
    assert (
        "Chairmanship of Kazakhstan, 2020-2024 (24 September 2020 – 17 December 2024)"
        in (said["text"])
    )
    assert "<h1>Achievements 2020-2024</h1>" in said["html"]


def test_every_statement_of_the_page_links_to_a_record(said):
    doc = lxml_html.fromstring(said["html"])
    unlinked = [
        " ".join(li.text_content().split())[:80]
        for li in doc.xpath("//article[@class='report']//li")
        if not li.xpath("./a|./span/a")
    ]
    assert not unlinked, unlinked


def test_restricted_records_reach_only_the_internal_report(cica):
    """A restricted decision of the Sixth Summit: in the internal report, marked, never in
    the public one; a confidential one in neither."""
    src = [core.source_upsert(key="test-source", title="Test source")[0]]
    summit = Document.objects.get(key="astana-statement-2022").meeting
    for title, access in (
        ("Quokkasecret decision", "restricted"),
        ("Wombatsecret paper", "confidential"),
    ):
        doc = documents.document_create(type="decision", title_en=title, access=access, sources=src)
        documents.document_event_upsert(
            document=doc, kind="adopted", date="2022-10-13", meeting=summit, sources=src
        )
    period = period_for(chairmanship=SLUG)
    public = markdown.render(report_build(period=period, audience=Audience.PUBLIC, language="en"))
    internal = markdown.render(
        report_build(period=period, audience=Audience.INTERNAL, language="en", user=SYSTEM)
    )
    assert "Quokkasecret" not in public and "Wombatsecret" not in public
    assert "**\\[Restricted\\]** **13 October 2022** — [Quokkasecret decision]" in internal
    assert "Wombatsecret" not in internal
    assert public.count("Restricted") == 0


def test_a_long_and_a_short_period_cost_a_bounded_number_of_queries(cica):
    """The whole report in a bounded number of queries, whatever the period holds: fewer
    when it holds less (a prefetch of nothing costs nothing), never more than the bound."""

    def queries(period) -> int:
        with CaptureQueriesContext(connection) as captured:
            report_build(period=period, audience=Audience.PUBLIC, language="en")
        return len(captured)

    long = queries(period_for(chairmanship=SLUG))
    short = queries(period_between("2024-07-01", "2024-07-31"))
    assert short <= long <= 70


def test_in_russian_names_from_the_record_and_its_ordinals(cica):
    period = period_for(chairmanship=SLUG, language="ru")
    text = markdown.render(report_build(period=period, audience=Audience.PUBLIC, language="ru"))
    assert text.startswith("# СВМДА: Достижения 2020-2024\n")
    statements = _markdown_statements(text)  # Russian section titles: none recognised
    assert not statements
    assert "Кувейт](" in text and ": 28-е государство-член" in text
    assert "Туркменистан](" in text and ": 9-й наблюдатель" in text
    assert "Председательство: Казахстан, 2020-2024" in text
    # A title the record has only in English is given in English, marked.
    assert "_[Almaty Act](" in text
