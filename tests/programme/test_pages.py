"""The programme's pages: the Catalogue of CBMs as of a date, a priority area, the Road Map."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secretariat.accounts import services as accounts
from secretariat.documents import services as documents
from secretariat.programme import services as programme
from tests.helpers import page, text

pytestmark = pytest.mark.django_db


def officer(client):
    user = accounts.account_create(username="officer", password="pw-for-tests-1", role="officer")
    client.force_login(user.user)
    return client


def secret_paper(world, key: str):
    return documents.document_create(
        type="decision", symbol=f"EXO/SECRET/{key.upper()}", key=key,
        title_en=f"Secret paper {key}", access="restricted", sources=world.src,
    )  # fmt: skip


# --- the catalogue ------------------------------------------------------------------


def test_the_catalogue_is_a_matrix_of_dimensions_areas_and_coordinators(client, world):
    """Dimensions group the areas in force on the day, with coordinators and co-coordinators
    then; a role whose dates blur the day is marked uncertain; events are counted by year."""
    world.role(world.trade, world.alpha, "coordinator", "2021-11")
    world.role(world.trade, world.beta, "co_coordinator", "2022-01", "2023-01-01")
    world.role(world.health, world.gamma, "coordinator", "2022-06")  # uncertain in June 2022
    world.event(world.trade, "Trade seminar", "2022-03-04", organizer=world.alpha)
    world.event(world.trade, "Trade forum", "2023-05", organizer=world.beta)
    html = page(client, "/cbm/?at=2022-06-15")
    words = text(html)
    assert "<h1>Confidence-building measures</h1>" in html
    assert "in force on 15 June 2022" in words
    assert html.count('scope="rowgroup"') == 2
    assert "Economic dimension" in words and "Human dimension" in words
    row = words[words.index("Trade and investment") :]
    assert row.index("Alpha") < row.index("Beta") < row.index("Epidemiological")
    assert "uncertain on this date" in words
    assert 'href="/actors/alpha/?at=2022-06-15"' in html
    assert f'href="/cbm/areas/{world.trade.pk}/?at=2022-06-15"' in html
    assert "CATALOGUE-2021" in words and "GUIDELINES-2021" in words
    # Only the events held by the day are counted.
    matrix = words[words.index("Events per area and year") :]
    assert "2022" in matrix and "2023" not in matrix


def test_the_catalogue_follows_the_date(client, world):
    """The edition in force changes with the date; before any, a notice says so."""
    assert "Trade and investment" in text(page(client, "/cbm/?at=2022-01-01"))
    earlier = text(page(client, "/cbm/?at=2010-01-01"))
    assert "Trade and investment" not in earlier and "Trade" in earlier
    assert "CATALOGUE-2004" in earlier
    before = text(page(client, "/cbm/?at=1990-01-01"))
    assert "No edition of the Catalogue of CBMs was in force on 1 January 1990" in before


def test_the_catalogue_follows_the_documents_lifecycle(client, world):
    """From 2004 to today the page serves the edition in force: 2004's until the 2021 one
    supersedes it, 2021's until 17 December 2024, then the 2024 edition, whose areas are not
    on record (said so, with a way to the previous edition's); every edition is listed with
    when it was in force."""
    world.lifecycle()
    earlier = text(page(client, "/cbm/?at=2010-06-01"))
    assert "Edition CATALOGUE-2004" in earlier and "Trade and investment" not in earlier
    assert "from 22 October 2004 until October 2021 (superseded)" in earlier
    middle = text(page(client, "/cbm/?at=2024-12-16"))
    assert "Edition CATALOGUE-2021" in middle and "Trade and investment" in middle
    assert "until 17 December 2024 (superseded)" in middle
    html = page(client, "/cbm/?at=2025-01-01")
    later = text(html)
    assert "Edition CATALOGUE-2024" in later and "Trade and investment" not in later
    assert "The Catalogue of CBMs in force on 1 January 2025." in later
    assert "No priority area of this edition is on record." in later
    assert 'href="/cbm/?at=2021-10-31">See the previous edition' in html
    editions = later[later.index("Editions of the Catalogue") :]
    assert editions.index("CATALOGUE-2004") < editions.index("CATALOGUE-2021")
    assert editions.index("CATALOGUE-2021") < editions.index("CATALOGUE-2024")
    assert "in force on 1 January 2025" in editions
    assert 'href="/cbm/?at=2004-10-22">show it' in html


def test_our_numbering_and_attested_starts_are_marked(client, world):
    """An area numbered by the record (the sources give none) says so on the catalogue and on
    its page; a role known only from the first date a source names it says "named by"."""
    programme.area_upsert(
        edition=world.edition, number=1, dimension=world.economic, sources=world.src,
        title_en="Trade and investment", number_ours=True,
    )  # fmt: skip
    world.role(world.trade, world.alpha, "coordinator", "2021-11-20", start_attested=True)
    html = page(client, "/cbm/?at=2022-01-01")
    words = text(html)
    assert "Numbers marked “ours” are the record's own" in words
    assert "Economic dimension 1 ours Trade and investment Alpha" in words
    assert html.count(">ours</span>") == 1  # area 2 keeps its number unmarked
    area = text(page(client, f"/cbm/areas/{world.trade.pk}/"))
    assert "Number 1 ours Numbered by this record: the sources give the area no number." in area
    assert "named by 20 November 2021" in area
    russian = page(client, f"/cbm/areas/{world.trade.pk}/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "наша" in russian


def test_the_catalogue_in_russian_falls_back_to_english_visibly(client, world):
    """The interface is in Russian; a name with a Russian form shows it, one without shows
    the English one marked as such."""
    programme.dimension_upsert(
        slug="economic", name_en="Economic dimension", name_ru="Экономическое измерение",
        sources=world.src,
    )  # fmt: skip
    html = page(client, "/cbm/?at=2022-01-01", HTTP_ACCEPT_LANGUAGE="ru")
    assert "<h1>Меры доверия</h1>" in html
    assert "Экономическое измерение" in html
    assert '<span class="fallback" lang="en">Trade and investment</span>' in html
    assert "Координаторы" in html and "1 января 2022" in html


# --- an area ------------------------------------------------------------------------


def test_an_area_shows_coordinators_over_time_events_and_reviews(client, world):
    world.role(world.trade, world.alpha, "coordinator", "2018", "2021-11")
    world.role(world.trade, world.beta, "coordinator", "2021-11")
    world.event(world.trade, "Trade seminar", "2022-03", organizer=world.alpha)
    world.event(world.trade, "Trade workshop", "2023", organizer=world.beta, kind="workshop")
    world.event(world.trade, "Trade training", "2023-02-01", organizer=world.beta)
    programme.review_upsert(date="2022-06", documents=[world.guidelines], sources=world.src)
    words = text(page(client, f"/cbm/areas/{world.trade.pk}/"))
    assert "1. Trade and investment" in words
    history = words[words.index("Coordinators over time") : words.index("Per year")]
    assert history.index("Alpha") < history.index("Beta")
    assert "2018" in history and "November 2021" in history and "open-ended" in history
    assert "2022 1" in words and "2023 2" in words  # events per year
    assert "Beta 2" in words and "Alpha 1" in words  # events per organizing state
    assert "Trade workshop workshop" in words
    assert "June 2022" in words and "GUIDELINES-2021" in words  # the review and its paper
    assert "Sources:" in words


def test_an_unknown_area_is_not_found(client, world):
    page(client, "/cbm/areas/987654321/", 404)
    page(client, "/cbm/areas/99999999999999999999999/", 404)
    page(client, "/cbm/areas/0/", 404)


def test_restricted_papers_are_not_linked_for_the_public(client, world):
    """A restricted paper linked from the catalogue, an area, a role, a review or the road map
    is left out for the public, and shown to the Secretariat."""
    papers = [secret_paper(world, f"hush-{n}") for n in range(5)]
    programme.edition_document_link(edition=world.edition, document=papers[0], sources=world.src)
    programme.area_upsert(
        edition=world.edition, number=1, dimension=world.economic, sources=world.src,
        title_en="Trade and investment", added_by=papers[1],
    )  # fmt: skip
    world.role(world.trade, world.alpha, "coordinator", "2021-11", decided_by=papers[2])
    programme.review_upsert(date="2022-06", documents=[papers[3]], sources=world.src)
    world.roadmap()
    programme.cluster_upsert(
        roadmap=world.road_map, number=1, title_en="Charter", sources=world.src,
        documents=[papers[4]],
    )  # fmt: skip
    urls = ["/cbm/?at=2022-06-15", f"/cbm/areas/{world.trade.pk}/", "/roadmap/"]
    public = "".join(page(client, url) for url in urls)
    assert "SECRET" not in public and "hush" not in public and "Secret paper" not in public
    officer(client)
    seen = "".join(page(client, url) for url in urls)
    for paper in papers:
        assert paper.symbol in seen


def test_officers_see_history_and_edit_links(client, world):
    world.roadmap()
    for url in ["/cbm/", f"/cbm/areas/{world.trade.pk}/", "/roadmap/"]:
        assert "/history/" not in page(client, url)
    html = page(officer(client), f"/cbm/areas/{world.trade.pk}/")
    assert f'href="/history/programme.priorityarea/{world.trade.pk}/"' in html
    assert f"/admin/programme/priorityarea/{world.trade.pk}/change/" in html
    html = page(client, "/roadmap/")
    assert f'href="/history/programme.cluster/{world.charter.pk}/"' in html
    assert f'href="/history/programme.catalogueedition/{world.edition.pk}/"' in page(
        client, "/cbm/?at=2022-01-01"
    )


# --- the road map -------------------------------------------------------------------


def test_the_road_map_shows_clusters_tasks_progress_focus_and_next_steps(client, world):
    world.roadmap()
    html = page(client, "/roadmap/")
    words = text(html)
    assert "<h1>Road map</h1>" in html
    assert "2 of 3 tasks done" in words  # the dropped task does not count
    assert "Cluster 1: Charter" in words and "Cluster 4: Rules of Procedure" in words
    assert "1 of 2 tasks done" in words
    assert html.count("<progress") >= 3
    charter = words[words.index("Cluster 1: Charter — 1 of 2") :]
    assert "Task 1" in charter and "Task 2" in charter and "Task 3" in charter
    assert '<span class="badge ok">done</span>' in html
    assert '<span class="badge warn">in progress</span>' in html
    assert '<span class="badge ">dropped</span>' in html
    assert "Alpha" in charter and "Beta" in charter  # lead and contributing states
    assert "Focus by year" in words and "2024" in words and "Focus in 2024" in words
    assert "Circulate the draft" in words and "0 of 1 step done" in words
    assert "SOC-DECISION-2021" in words


def test_the_road_map_without_one_and_with_an_unknown_choice(client, world):
    assert "No road map is on record." in text(page(client, "/roadmap/"))
    world.roadmap()
    words = text(page(client, "/roadmap/?document=nope"))
    assert "There is no road map “nope”: showing the latest." in words
    assert "Cluster 1: Charter" in words


def test_the_road_map_in_russian(client, world):
    world.roadmap()
    programme.task_upsert(
        cluster=world.rules, position=1, title_en="Draft the rules", title_ru="Подготовить правила",
        status="done", sources=world.src,
    )  # fmt: skip
    html = page(client, "/roadmap/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "<h1>Дорожная карта</h1>" in html
    assert "Подготовить правила" in html
    assert '<span class="fallback" lang="en">Charter</span>' in html
    assert "выполнено" in html


# --- bad input, query counts --------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "at=garbage",
        "at=99999-01-01",
        "at=2021-02-30",
        "at=",
        "document=%00",
        "document=" + "x" * 900,
    ],
)
def test_bad_query_strings_never_fail(client, world, query):
    """Never a 500: a date that is not YYYY-MM-DD is refused (400) saying so."""
    world.roadmap()
    refused = query.startswith("at=") and query != "at="
    for url in ["/cbm/", f"/cbm/areas/{world.trade.pk}/", "/roadmap/"]:
        html = page(client, f"{url}?{query}", 400 if refused else 200)
        assert not refused or 'role="alert"' in html


def _grow(world, n: int) -> None:
    """n more areas, states, roles, events, reviews, clusters and tasks."""
    for i in range(n):
        actor = world.build.actor(f"grown-{n}-{i}", name_en=f"Grown {n} {i}")
        area = programme.area_add(
            edition=world.edition, number=10 + n * 10 + i, dimension=world.human,
            title_en=f"Area {n} {i}", sources=world.src,
        )  # fmt: skip
        world.role(area, actor, "coordinator", "2021-11")
        world.role(world.trade, actor, "co_coordinator", "2021-11")
        world.event(world.trade, f"Event {n}-{i}", "2022", organizer=actor)
        world.event(area, f"Area event {n}-{i}", "2022-05", organizer=actor)
        programme.review_upsert(date=f"{2030 + n * 5 + i}", sources=world.src)
        cluster, _ = programme.cluster_upsert(
            roadmap=world.road_map, number=10 + n * 10 + i, title_en=f"Cluster {n} {i}",
            sources=world.src, documents=[world.decision],
        )  # fmt: skip
        programme.task_upsert(
            cluster=cluster, position=1, title_en="T", lead_states=[actor],
            contributing_states=[world.alpha], sources=world.src,
        )  # fmt: skip
        programme.cluster_focus_upsert(cluster=cluster, year=2025, sources=world.src)
        programme.cluster_steps_set(
            cluster=cluster,
            steps=[{"title_en": "Step", "responsible": actor, "sources": world.src}],
        )


@pytest.mark.parametrize("url", ["/cbm/?at=2023-01-01", "/cbm/areas/{trade}/", "/roadmap/"])
@pytest.mark.parametrize("role", ["public", "officer"])
def test_query_counts_stay_constant(client, world, django_assert_max_num_queries, url, role):
    """N records, then 3N: the page asks the database no more often."""
    world.roadmap()
    world.role(world.trade, world.alpha, "coordinator", "2021-11")
    if role == "officer":
        officer(client)
    url = url.format(trade=world.trade.pk)
    _grow(world, 2)
    with CaptureQueriesContext(connection) as small:
        page(client, url)
    _grow(world, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = page(client, url)
    assert "Grown 6 5" in html


# --- the CICA dataset (last: the module-scoped dataset stays loaded once loaded) -----------


def test_cica_catalogue_and_road_map(client, cica):
    words = text(page(client, "/cbm/?at=2024-06-01"))
    assert "18 priority areas" in words
    assert "New challenges and threats" in words and "Türkiye" in words
    assert "Numbers marked “ours” are the record's own" in words
    words = text(page(client, "/cbm/?at=2026-01-01"))
    assert "CICA Catalogue of Confidence Building Measures (updated 2024)" in words
    assert "No priority area of this edition is on record." in words
    words = text(page(client, "/roadmap/"))
    assert "Road Map for CICA Transformation" in words and "Cluster 1: CICA Charter" in words
    assert "Cluster 2: Modalities of implementation of confidence building measures" in words
    russian = page(client, "/cbm/?at=2024-06-01", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Меры доверия" in russian and 'class="fallback"' in russian
