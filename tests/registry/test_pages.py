"""The members page and each actor's page: what they show, in both languages, to whom, at
what cost."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from secretariat.accounts import services as accounts
from secretariat.decisions import services as decisions
from secretariat.documents import services as documents
from secretariat.programme import services as programme
from secretariat.registry.models import Actor
from secretariat.treaties import services as treaties
from tests.helpers import PASSWORD, page, text

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)


# --- Members and partners ---------------------------------------------------------------


def test_members_table_shows_standings_with_ordinals_and_sources(client, minimal):
    """Every standing held on the date: actor, status, since, ordinal, sources."""
    html = page(client, "/members/?at=2010-06-01")
    shown = text(html)
    assert "Alpha" in shown and "Gamma" in shown and "Example Union" in shown
    assert "3rd Member State" in shown  # Gamma joined third
    assert "10 June 2002" in shown
    assert "Sources:" in html and "Second Council meeting" in shown


def test_members_status_filter(client, minimal):
    """The filter shows one status; applicants with the status they seek."""
    shown = text(page(client, "/members/?status=partner&at=2010-06-01"))
    assert "Example Union" in shown and "Alpha" not in shown
    shown = text(page(client, "/members/?status=applicant&at=2010-06-01"))
    assert "Delta" in shown and "for Observer" in shown and "Gamma" not in shown


def test_members_as_of_an_earlier_date(client, minimal):
    """Before Gamma joined it was an observer; before 1990 nobody was a member."""
    shown = text(page(client, "/members/?status=observer&at=2000-01-01"))
    assert "Gamma" in shown
    shown = text(page(client, "/members/?status=member&at=1989-01-01"))
    assert "Nobody held this status on that day." in shown


@pytest.mark.parametrize("query", ["?status=kings", "?status="])
def test_members_bad_filters_never_fail(client, minimal, query):
    html = page(client, f"/members/{query}")
    if query != "?status=":
        assert 'class="notice"' in html


@pytest.mark.parametrize("query", ["?at=yesterday", "?at=1800-01-01"])
def test_members_refuse_a_bad_day_in_words(client, minimal, query):
    response = client.get(f"/members/{query}")
    assert response.status_code == 400
    assert "1800-01-01" in response.content.decode() or "yesterday" in response.content.decode()


def test_membership_chart_is_accessible_svg_with_a_data_table(client, minimal):
    """The chart is inline SVG with a title, a description and the figures as a table."""
    html = page(client, "/members/?at=2010-06-01")
    assert "<svg" in html and 'role="img"' in html
    assert re.search(r"<title id=\"chart-title\">Members, observers and partners, 1990–2010", html)
    assert "<desc" in html and "The figures as a table" in html
    assert '<th scope="row">2006</th><td>3</td><td>0</td><td>1</td>' in html
    assert "<script" not in html.split("<main", 1)[1]


def test_members_in_russian_with_a_visible_fallback(client, minimal):
    """Russian names, Russian ordinals; a state without a Russian name shows in English, marked."""
    html = page(client, "/members/?at=2010-06-01", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Члены и партнёры" in html and "Гамма" in html
    assert "3-е государство-член" in text(html)
    html = page(client, "/members/?status=applicant&at=2010-06-01", HTTP_ACCEPT_LANGUAGE="ru")
    assert '<span class="fallback" lang="en">Delta</span>' in html


# --- An actor's page ----------------------------------------------------------------------


def test_actor_page_shows_names_history_and_chairmanships(client, minimal):
    html = page(client, "/actors/gamma/")
    shown = text(html)
    assert "<h1>Gamma" in html
    assert "Гамма" in shown  # both names
    assert "Status history" in shown
    assert "Observer" in shown and "Member State" in shown and "3rd Member State" in shown
    assert "Other sources give: start 2002-06-11" in shown  # the variant, with its source
    assert "Chairmanships" in shown and "1 January 2006 – present" in shown
    assert "Sources:" in html


def test_actor_page_unknown_slug_is_404(client, minimal):
    page(client, "/actors/atlantis/", 404)
    page(client, "/actors/-/", 404)


def test_actor_page_in_russian(client, minimal):
    html = page(client, "/actors/gamma/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "<h1>Гамма" in html and "История статуса" in html
    html = page(client, "/actors/delta/", HTTP_ACCEPT_LANGUAGE="ru")
    assert '<span class="fallback" lang="en">Delta</span>' in html


def _restricted_record(build, alpha):
    """A restricted convention with alpha's signature and a position of alpha's in a procedure."""
    src = [build.source]
    doc = documents.document_create(
        type="convention", symbol="EXO/SECRET/1", key="secret-convention",
        title_en="Secret convention walrus", access="restricted", sources=src,
    )  # fmt: skip
    version = documents.version_create(document=doc, date="2024-02-01")
    documents.document_event_upsert(document=doc, kind="adopted", date="2024-02-05", sources=src)
    treaty, _ = treaties.treaty_upsert(document=doc, sources=src, eif_instruments=2)
    treaties.treaty_action_upsert(
        treaty=treaty, actor=alpha, kind="signature", date="2024-02-10", sources=src
    )
    other = documents.document_create(
        type="decision", symbol="EXO/SECRET/2", key="secret-decision",
        title_en="Secret decision narwhal", access="restricted", sources=src,
    )  # fmt: skip
    other_version = documents.version_create(document=other, date="2024-02-01")
    body = build.body("soc", "senior_officials_committee", name_en="SOC")
    procedure = decisions.procedure_open(
        version=other_version, body=body, kind="silence", opened_at=T0,
        deadline=T0 + dt.timedelta(days=7), sources=src,
    )  # fmt: skip
    decisions.position_add(procedure=procedure, actor=alpha, kind="support", stated_at=T0)
    return doc, version


def test_restricted_treaty_actions_and_positions_are_absent_for_the_public(client, minimal, build):
    """What rests on a restricted document shows to a member's delegate only."""
    alpha = Actor.objects.get(slug="alpha")
    _restricted_record(build, alpha)
    html = page(client, "/actors/alpha/")
    assert "walrus" not in html and "narwhal" not in html and "EXO/SECRET" not in html
    delegate = accounts.account_create(
        username="alpha-delegate", password=PASSWORD, role="delegate", actor=alpha
    ).user
    client.force_login(delegate)
    shown = text(page(client, "/actors/alpha/"))
    assert "Secret convention walrus" in shown and "signature" in shown
    assert "Secret decision narwhal" in shown and "support / no objection" in shown


def test_actor_page_shows_cbm_roles(client, minimal, build):
    src = [build.source]
    catalogue = documents.document_create(
        type="catalogue", symbol="EXO/CAT/1", key="catalogue", title_en="Catalogue", sources=src
    )
    documents.document_event_upsert(document=catalogue, kind="adopted", date="2021", sources=src)
    edition, _ = programme.edition_upsert(document=catalogue, sources=src)
    dimension, _ = programme.dimension_upsert(slug="economic", name_en="Economic", sources=src)
    area, _ = programme.area_upsert(
        edition=edition, number=3, dimension=dimension, title_en="Energy security", sources=src
    )
    programme.coordinator_role_upsert(
        area=area, actor=Actor.objects.get(slug="beta"), role="coordinator", start="2021-01-01",
        sources=src,
    )  # fmt: skip
    shown = text(page(client, "/actors/beta/"))
    assert "coordinator: 3. Energy security" in shown and "Economic" in shown


def test_officers_see_history_and_edit_links(client, minimal):
    assert "/history/registry.actor/" not in page(client, "/actors/alpha/")
    officer = accounts.account_create(username="o", password=PASSWORD, role="officer").user
    client.force_login(officer)
    html = page(client, "/actors/alpha/")
    assert "/history/registry.actor/" in html and "/admin/registry/actor/" in html


# --- Query counts -------------------------------------------------------------------------


def grow(build, n: int, start: int = 0):
    """n more states, each a member decided at a meeting of its own, an observer before, and a
    term as chair; one state, "hub", coordinates and signs n times and takes n positions."""
    src = [build.source]
    body = build.body("council", "ministerial_council", name_en="Council")
    hub = Actor.objects.filter(slug="hub").first()
    if hub is None:
        hub = build.actor("hub", name_en="Hub")
        build.status(hub, "member", "1900")
    catalogue = documents.document_create(
        type="catalogue", symbol=f"EXO/CAT/{start}", key=f"catalogue-{start}",
        title_en="Catalogue", sources=src,
    )  # fmt: skip
    edition, _ = programme.edition_upsert(document=catalogue, sources=src)
    dimension, _ = programme.dimension_upsert(slug="economic", name_en="Economic", sources=src)
    for i in range(start, start + n):
        state = build.actor(f"state-{i}", name_en=f"State {i}")
        meeting = build.meeting(f"m-{i}", body, schedule=[{"kind": "held", "start": f"{1950 + i}"}])
        build.status(state, "observer", f"{1900 + i}", f"{1950 + i}")
        build.status(state, "member", f"{1950 + i}", decided_at=meeting)
        build.chair(hub, f"{1950 + i}-01-01", f"{1951 + i}-01-01", decided_at=meeting)
        area, _ = programme.area_upsert(
            edition=edition, number=i + 1, dimension=dimension, title_en=f"Area {i}", sources=src
        )
        programme.coordinator_role_upsert(
            area=area, actor=hub, role="coordinator", start=f"{1950 + i}", sources=src
        )
        doc = documents.document_create(
            type="convention", symbol=f"EXO/C/{i}", key=f"convention-{i}", title_en=f"Conv {i}",
            sources=src,
        )  # fmt: skip
        version = documents.version_create(document=doc, date="2024-02-01")
        documents.document_event_upsert(
            document=doc, kind="adopted", date="2024-02-05", sources=src
        )
        treaty, _ = treaties.treaty_upsert(document=doc, sources=src, eif_instruments=2)
        treaties.treaty_action_upsert(
            treaty=treaty, actor=hub, kind="signature", date="2024-02-10", sources=src
        )
        procedure = decisions.procedure_open(
            version=version, body=body, kind="silence", opened_at=T0,
            deadline=T0 + dt.timedelta(days=7), sources=src,
        )  # fmt: skip
        decisions.position_add(procedure=procedure, actor=hub, kind="support", stated_at=T0)


@pytest.mark.parametrize(
    "url",
    ["/members/", "/members/?status=observer&at=1960-01-01", "/actors/hub/", "/actors/state-1/"],
)
def test_query_count_stays_constant_as_data_grows(
    client, build, url, django_assert_max_num_queries
):
    """N records, then 3N: the same number of queries."""
    grow(build, 3)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    grow(build, 6, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
