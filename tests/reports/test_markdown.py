"""A report as Markdown: nested lists, every record linked as [label](absolute url), English
fallbacks and restricted items marked, charts as tables of their figures."""

import datetime as dt

from secretariat.reports import markdown
from secretariat.reports.model import (
    Audience,
    Chart,
    Item,
    Link,
    Period,
    Report,
    Section,
    Series,
)

BASE = "https://secretariat.example.org"


def report(sections, *, language="en", audience=Audience.PUBLIC) -> Report:
    return Report(
        title="Achievements 2021-2023",
        organization="EXO",
        period=Period(dt.date(2021, 1, 1), dt.date(2023, 1, 10), "Chairmanship of Beta, 2021-2023"),
        audience=audience,
        language=language,
        generated_on=dt.date(2026, 11, 28),
        sections=sections,
        base_url=BASE,
    )


def test_statements_link_their_records_in_place():
    item = Item(
        text="Kuwait: 28th Member State, decided at Sixth Summit",
        date="13 October 2022",
        links=[Link("Kuwait", "/actors/kuwait/", 0), Link("Sixth Summit", "/meetings/summit-6/")],
        note="The 28th member.",
        children=[Item("Decision on Kuwait: adopted", links=[Link("Decision on Kuwait", "/d/k/")])],
    )
    text = markdown.render(report([Section("expansion", "Expansion", [item])]))
    assert (
        "- **13 October 2022** — [Kuwait](https://secretariat.example.org/actors/kuwait/): "
        "28th Member State, decided at "
        "[Sixth Summit](https://secretariat.example.org/meetings/summit-6/) — _The 28th member._"
    ) in text
    assert "  - [Decision on Kuwait](https://secretariat.example.org/d/k/): adopted" in text


def test_a_name_said_twice_is_linked_where_the_statement_says():
    item = Item(
        text="Decree of Kazakhstan: done (responsible: Kazakhstan)",
        links=[Link("Kazakhstan", "/actors/kazakhstan/", 41)],
    )
    text = markdown.render(report([Section("other", "Other", [item])]))
    assert "Decree of Kazakhstan: done (responsible: [Kazakhstan](" in text


def test_links_not_in_the_text_follow_it():
    item = Item(text="Reviewed", links=[Link("External relations", "/relations/")])
    text = markdown.render(report([Section("other", "Other", [item])]))
    assert "- Reviewed ([External relations](https://secretariat.example.org/relations/))" in text


def test_markdown_characters_in_the_record_are_shown_as_written():
    item = Item(text="Plan *A* [draft]_v2", links=[Link("Plan *A*", "/d/plan/")])
    text = markdown.render(report([Section("other", "Other", [item])]))
    assert r"[Plan \*A\*](https://secretariat.example.org/d/plan/) \[draft\]\_v2" in text


def test_english_in_a_russian_report_and_restricted_items_are_marked():
    item = Item(
        text="Almaty Act: принятие",
        links=[Link("Almaty Act", "/documents/almaty-act/", 0)],
        restricted=True,
        fallbacks=["Almaty Act"],
    )
    text = markdown.render(
        report([Section("founding", "Юбилеи", [item])], language="ru", audience=Audience.INTERNAL)
    )
    assert "**\\[Ограниченный доступ\\]** _[Almaty Act](" in text
    assert "Для служебного пользования" in text


def test_an_empty_section_says_so_and_charts_become_tables():
    chart = Chart(
        key="membership",
        title="Members",
        kind="step",
        series=[
            Series("Member States", [(2021, 27), (2022, 28)]),
            Series("Observers", [(2022, 9)]),
        ],
        x_label="Year",
        threshold=14,
        threshold_label="Required",
    )
    text = markdown.render(
        report(
            [
                Section("treaties", "Conventions", [], empty_note="Nothing dated in this period."),
                Section("expansion", "Expansion", [], charts=[chart]),
            ]
        )
    )
    assert "## Conventions\n\n_Nothing dated in this period._" in text
    assert "| Year | Member States | Observers |\n|---|---|---|\n| 2021 | 27 |  |\n" in text
    assert "| 2022 | 28 | 9 |" in text
    assert "Required: 14" in text


def test_the_head_says_what_and_when():
    text = markdown.render(report([]))
    assert text.startswith(
        "# EXO: Achievements 2021-2023\n\n"
        "Chairmanship of Beta, 2021-2023 (1 January 2021 – 10 January 2023)\n"
    )
    assert "Generated from the record on 28 November 2026." in text
