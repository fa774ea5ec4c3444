"""The pages of initiatives and relations: the board by stage, an initiative, partnerships."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secretariat.accounts import services as accounts
from secretariat.checklists import services as checklists
from secretariat.documents import services as documents
from secretariat.initiatives import services
from tests.helpers import page, text

from .conftest import event

pytestmark = pytest.mark.django_db


def column(html: str, key: str) -> str:
    """The words of one column of the board."""
    start = html.index(f'id="stage-{key}"')
    end = html.find("</section>", start)
    return text(html[start:end])


@pytest.fixture
def seeded(world):
    """The PNLU proposed, then adopted in a month; a second initiative under discussion;
    an expectation of all members, answered by China; two next steps."""
    prio, _ = services.priorities_upsert(
        slug="p-2022", title_en="Priorities 2022-2024", title_ru="Приоритеты 2022-2024",
        sources=world.src,
    )  # fmt: skip
    services.initiative_upsert(
        slug="pnlu", title_en="Partner Network of Leading Universities",
        title_ru="Партнёрская сеть ведущих университетов", proposer_actor=world.kz,
        launched_at=world.soc1, priorities=[prio], meetings=[world.soc1], sources=world.src,
    )  # fmt: skip
    event(world, "proposed", "2022-10-12", meeting=world.soc1)
    event(world, "adopted", "2023-06")
    world.finance, _ = services.initiative_upsert(
        slug="finance-summit", title_en="Institutionalization of the Finance Summit",
        proposer_body=world.soc, sources=world.src,
    )  # fmt: skip
    event(world, "proposed", "2022-10", initiative=world.finance)
    event(world, "under_discussion", "2024-09-06", initiative=world.finance)
    exp, _ = services.expectation_upsert(
        initiative=world.initiative, position=1, text_en="Nominate universities",
        sources=world.src,
    )  # fmt: skip
    services.expectation_response_upsert(
        expectation=exp, actor=world.cn, date="2023-02", text_en="Univ", sources=world.src
    )
    checklists.checklist_set(
        subject=world.initiative,
        steps=[
            {"title_en": "Draft the regulations", "status": "done", "done": "2023-05",
             "sources": world.src},
            {"title_en": "First meeting", "responsible": world.kz, "sources": world.src},
        ],
    )  # fmt: skip
    return world


def officer(client):
    user = accounts.account_create(username="officer", password="pw-for-tests-1", role="officer")
    client.force_login(user.user)
    return client


# --- the board ----------------------------------------------------------------------


def test_the_board_puts_each_initiative_in_the_column_of_its_status_that_day(client, seeded):
    html = page(client, "/initiatives/?at=2024-12-01")
    assert "<h1>Initiatives</h1>" in html
    assert "Partner Network of Leading Universities" in column(html, "adopted")
    assert "Institutionalization of the Finance Summit" in column(html, "under_discussion")
    assert "None" in column(html, "dropped")  # every stage of the pipeline is a column
    assert 'href="/initiatives/pnlu/?at=2024-12-01"' in html
    assert "Proposed by Kazakhstan" in text(html)
    earlier = page(client, "/initiatives/?at=2023-01-01")
    assert "Partner Network" in column(earlier, "proposed")
    assert "Finance Summit" in column(earlier, "proposed")
    before = page(client, "/initiatives/?at=2020-01-01")
    assert "Finance Summit" in column(before, "none")


def test_a_partial_date_shows_the_possible_status(client, seeded):
    """Adopted in June 2023: on 15 June it is certainly proposed, possibly adopted."""
    html = page(client, "/initiatives/?at=2023-06-15")
    card = column(html, "proposed")
    assert "Partner Network" in card and "possibly adopted" in card
    detail = text(page(client, "/initiatives/pnlu/?at=2023-06-15"))
    assert "Where it stands on 15 June 2023: Proposed" in detail
    assert "It may already be adopted on 15 June 2023" in detail


def test_the_board_filters_and_says_when_a_filter_is_wrong(client, seeded):
    html = page(client, "/initiatives/?at=2024-12-01&status=adopted")
    assert "Partner Network" in html and "Finance Summit" not in html
    html = page(client, "/initiatives/?priorities=p-2022")
    assert "Partner Network" in html and "Finance Summit" not in html
    words = text(page(client, "/initiatives/?status=nonsense&priorities=nope"))
    assert "“nonsense” is not a status: showing every status." in words
    assert "“nope” is not a set of priorities: showing all." in words
    assert "Partner Network" in words and "Finance Summit" in words


# --- an initiative ------------------------------------------------------------------


def test_an_initiative_shows_where_it_stands_its_timeline_expectations_and_steps(client, seeded):
    html = page(client, "/initiatives/pnlu/?at=2024-01-01")
    words = text(html)
    assert "<h1>Partner Network of Leading Universities</h1>" in html
    assert "Where it stands on 1 January 2024: Adopted" in words
    timeline = words[words.index("Timeline") : words.index("What is expected")]
    assert timeline.index("12 October 2022 — Proposed") < timeline.index("June 2023 — Adopted")
    assert "Nominate universities" in words and "From every member state." in words
    assert "1 response: China, February 2023: Univ" in words
    assert "1 state has not responded Kazakhstan" in words
    assert "1 of 2 steps done" in words and "First meeting (next)" in words
    assert "Responsible: Kazakhstan" in words
    assert "Priorities 2022-2024" in words and 'href="/meetings/soc-1/?at=2024-01-01"' in html
    assert "Sources: Test source" in words


def test_where_the_finance_summit_initiative_stands(client, seeded):
    words = text(page(client, "/initiatives/finance-summit/?at=2024-12-01"))
    assert "Where it stands on 1 December 2024: Under discussion" in words
    assert "6 September 2024 — Under discussion" in words
    assert "Proposed by SOC" in words  # the proposing body
    earlier = text(page(client, "/initiatives/finance-summit/?at=2023-01-01"))
    assert "Proposed" in earlier and "Under discussion" not in earlier


def test_an_unknown_initiative_is_not_found(client, seeded):
    page(client, "/initiatives/no-such-thing/", 404)
    page(client, "/initiatives/no-such-thing/?at=garbage", 400)  # the date is refused first


def test_restricted_papers_are_left_out_for_the_public(client, seeded):
    """A restricted paper recorded on an initiative's step or among its documents, or on a
    partnership's step, is not shown to the public; the Secretariat sees it."""
    paper = documents.document_create(
        type="concept_paper", symbol="EXO/HUSH/1", key="hush-concept", title_en="Hushed concept",
        access="restricted", sources=seeded.src,
    )  # fmt: skip
    event(seeded, "concept_circulated", "2024-07-31", initiative=seeded.finance, document=paper)
    services.initiative_upsert(
        slug="finance-summit", title_en="Institutionalization of the Finance Summit",
        proposer_body=seeded.soc, documents=[paper], sources=seeded.src,
    )  # fmt: skip
    p, _ = services.partnership_upsert(actor=seeded.un, sources=seeded.src)
    services.partnership_event_upsert(
        partnership=p, kind="mou_approved", date="2024-03", document=paper, sources=seeded.src
    )
    urls = ["/initiatives/finance-summit/?at=2024-12-01", "/relations/?at=2024-12-01"]
    for url in urls:
        html = page(client, url)
        assert "HUSH" not in html and "Hushed" not in html and "hush-concept" not in html
    officer(client)
    for url in urls:
        assert "EXO/HUSH/1" in page(client, url)


def test_officers_see_history_and_edit_links(client, seeded):
    assert "/history/" not in page(client, "/initiatives/pnlu/")
    html = page(officer(client), "/initiatives/pnlu/")
    pk = seeded.initiative.pk
    assert f'href="/history/initiatives.initiative/{pk}/"' in html
    assert f"/admin/initiatives/initiative/{pk}/change/" in html


def test_russian_with_a_visible_fallback_to_english(client, seeded):
    html = page(client, "/initiatives/?at=2024-12-01", HTTP_ACCEPT_LANGUAGE="ru")
    assert "<h1>Инициативы</h1>" in html
    assert "Партнёрская сеть ведущих университетов" in html
    assert (
        '<span class="fallback" lang="en">Institutionalization of the Finance Summit</span>' in html
    )
    assert "Обсуждается" in column(html, "under_discussion")
    detail = text(page(client, "/initiatives/finance-summit/?at=2024-12-01",
                       HTTP_ACCEPT_LANGUAGE="ru"))  # fmt: skip
    assert "Положение на 1 декабря 2024: Обсуждается" in detail
    assert "6 сентября 2024 — Обсуждается" in detail


# --- relations ----------------------------------------------------------------------


def test_relations_group_partnerships_by_stage_and_list_pending_applications(client, seeded):
    p, _ = services.partnership_upsert(actor=seeded.sco, sources=seeded.src)
    services.partnership_event_upsert(
        partnership=p, kind="partner", date="2010", body=seeded.soc, sources=seeded.src
    )
    un, _ = services.partnership_upsert(actor=seeded.un, sources=seeded.src)
    services.partnership_event_upsert(
        partnership=un, kind="contacts", date="2023-02-01", sources=seeded.src
    )
    services.partnership_event_upsert(
        partnership=un, kind="mou_signed", date="2024-06", sources=seeded.src
    )
    html = page(client, "/relations/?at=2024-06-10")
    words = text(html)
    assert "<h1>External relations</h1>" in html
    assert "SCO 1st Partner Organization" in column(html, "partner")
    contacts = column(html, "contacts")
    assert "United Nations" in contacts and "possibly mou signed" in contacts
    assert "1 February 2023 — Contacts" in contacts
    applications = words[words.index("Pending applications") :]
    assert "Morocco observer status May 2023" in applications
    russian = page(client, "/relations/?at=2024-06-10", HTTP_ACCEPT_LANGUAGE="ru")
    assert "<h1>Внешние связи</h1>" in russian and "партнёр № 1" in russian
    assert "Заявки на рассмотрении" in russian and "статус наблюдателя" in russian


def test_relations_before_any_partnership(client, world):
    words = text(page(client, "/relations/?at=1990-01-01"))
    assert "No partnership is on record by this date." in words
    assert "No application is pending on this date." in words


# --- bad input, query counts --------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["at=garbage", "at=2024-02-30", "at=99999-01-01", "status=%00", "priorities=" + "x" * 900],
)
def test_bad_query_strings_never_fail(client, seeded, query):
    """Never a 500: a date that is not YYYY-MM-DD is refused (400) saying so."""
    refused = query.startswith("at=")
    for url in ["/initiatives/", "/initiatives/pnlu/", "/relations/"]:
        html = page(client, f"{url}?{query}", 400 if refused else 200)
        assert not refused or 'role="alert"' in html


def grow(world, n: int) -> None:
    """n more initiatives with steps, expectations and responses, and n more partnerships."""
    b = world.build
    for i in range(n):
        key = f"{n}-{i}"
        state = b.actor(f"state-{key}", name_en=f"State {key}")
        b.status(state, "member", "2000")
        initiative, _ = services.initiative_upsert(
            slug=f"grown-{key}", title_en=f"Grown {key}", proposer_actor=state,
            launched_at=world.soc1, meetings=[world.soc1], sources=world.src,
        )  # fmt: skip
        event(world, "proposed", "2020", initiative=initiative, meeting=world.soc1)
        event(world, "adopted", "2021-05", initiative=initiative)
        exp, _ = services.expectation_upsert(
            initiative=world.initiative, position=10 + n * 10 + i, text_en=f"Ask {key}",
            sources=world.src,
        )  # fmt: skip
        services.expectation_response_upsert(
            expectation=exp, actor=state, date="2023", sources=world.src
        )
        org = b.actor(f"org-{key}", kind="organization", name_en=f"Org {key}")
        b.status(org, "partner", "2015")
        p, _ = services.partnership_upsert(actor=org, sources=world.src)
        services.partnership_event_upsert(
            partnership=p, kind="contacts", date="2014", body=world.soc, sources=world.src
        )
        services.partnership_event_upsert(
            partnership=p, kind="partner", date="2015", meeting=world.soc1, sources=world.src
        )
        applicant = b.actor(f"applicant-{key}", name_en=f"Applicant {key}")
        b.status(applicant, "applicant", "2023", applied_for="observer", outcome="pending")


@pytest.mark.parametrize("url", ["/initiatives/", "/initiatives/pnlu/", "/relations/"])
@pytest.mark.parametrize("role", ["public", "officer"])
def test_query_counts_stay_constant(client, seeded, django_assert_max_num_queries, url, role):
    """N records, then 3N: the page asks the database no more often."""
    if role == "officer":
        officer(client)
    grow(seeded, 2)
    with CaptureQueriesContext(connection) as small:
        page(client, url)
    grow(seeded, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = page(client, url)
    assert "6-5" in html


# --- the CICA dataset (last: the module-scoped dataset stays loaded once loaded) -----------


def test_cica_where_the_finance_summit_initiative_stands(client, cica):
    board = page(client, "/initiatives/?at=2024-12-01")
    assert "Institutionalization of the Finance Summit" in column(board, "under_discussion")
    url = "/initiatives/finance-summit-institutionalization/?at=2024-12-01"
    words = text(page(client, url))
    assert "Where it stands on 1 December 2024: Under discussion" in words
    assert "31 July 2024 — Concept circulated" in words
    assert "states have not responded" in words
    russian = text(page(client, url, HTTP_ACCEPT_LANGUAGE="ru"))
    assert "Положение на 1 декабря 2024: Обсуждается" in russian
    relations = text(page(client, "/relations/?at=2024-12-01"))
    assert "Eurasian Economic Union" in relations and "6th Partner Organization" in relations
