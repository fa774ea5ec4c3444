"""The home page: the organization as of a chosen date, in both languages, to whom, at what
cost; and the questions a new user asks of the CICA dataset, answered on the pages."""

from __future__ import annotations

import datetime as dt

import pytest

from secretariat.accounts import services as accounts
from secretariat.decisions import services as decisions
from secretariat.documents import services as documents
from secretariat.registry.models import Actor
from tests.helpers import PASSWORD, page, text

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)


def paper(build, key: str, title: str, *, access: str = "public", date: str = "2024-02-01"):
    """A document with a first version and a drafted event on `date`."""
    doc = documents.document_create(
        type="decision", symbol=f"EXO/{key.upper()}", key=key, title_en=title, access=access,
        sources=[build.source],
    )  # fmt: skip
    version = documents.version_create(document=doc, date=date)
    documents.document_event_upsert(document=doc, kind="drafted", date=date, sources=[build.source])
    return doc, version


# --- The organization as of a date ----------------------------------------------------------


def test_home_shows_the_organization_chair_head_and_counts(client, minimal):
    """Counts, the chair and troika and the head of the Secretariat, each on the date."""
    shown = text(page(client, "/?at=2003-01-01"))
    assert "Example Organization" in shown
    assert "3 Member States" in shown and "0 Partners" in shown
    assert "Chair Beta" in shown  # Beta chaired from 10 June 2002
    assert "Previous Alpha" in shown
    assert "Ann Example" in shown and "Executive Director" in shown


def test_the_date_changes_every_figure(client, minimal):
    """An earlier date: fewer members, another chair, another title for the head."""
    shown = text(page(client, "/?at=1995-06-01"))
    assert "2 Member States" in shown and "Chair Alpha" in shown
    assert "No head of the Secretariat on record for this day." in shown
    shown = text(page(client, "/?at=2010-01-01"))
    assert "Chair Gamma" in shown and "Secretary General" in shown


def test_counts_link_to_the_members_page_with_that_filter_and_date(client, minimal):
    html = page(client, "/?at=2003-01-01")
    assert 'href="/members/?status=member&amp;at=2003-01-01"' in html
    assert 'href="/members/?status=observer&amp;at=2003-01-01"' in html
    assert 'href="/members/?status=partner&amp;at=2003-01-01"' in html


@pytest.mark.parametrize("query", ["?at=nonsense", "?at=2021-13-45", "?at=0001-01-01", "?at=%00"])
def test_a_bad_date_is_refused_saying_why_with_the_form_to_correct_it(client, minimal, query):
    response = client.get(f"/{query}")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="notice" role="alert"' in html and 'name="at"' in html


def test_upcoming_meetings_open_procedures_feedback_and_latest_documents(client, build):
    """What lies ahead on the date: meetings planned after it, procedures still open with
    their deadline, circulations awaiting feedback, and the latest documents by then."""
    alpha = build.actor("alpha", name_en="Alpha")
    build.status(alpha, "member", "2000")
    body = build.body("soc", "senior_officials_committee", name_en="SOC")
    build.meeting(
        "soc-9", body, ordinal=9,
        schedule=[{"kind": "planned", "start": "2024-04-10", "announced": "2024-01-15"}],
    )  # fmt: skip
    build.meeting("soc-8", body, ordinal=8, schedule=[{"kind": "held", "start": "2024-02-10"}])
    _, silent = paper(build, "silent", "Paper under silence")
    decisions.procedure_open(
        version=silent, body=body, kind="silence", opened_at=T0,
        deadline=T0 + dt.timedelta(days=7), sources=[build.source],
    )  # fmt: skip
    _, circulated = paper(build, "draft", "Draft for comments")
    documents.document_circulate(
        version=circulated, date="2024-02-20", deadline=dt.date(2024, 3, 20),
        sources=[build.source],
    )  # fmt: skip
    paper(build, "later", "Paper of the future", date="2025-01-01")
    shown = text(page(client, "/?at=2024-03-03"))
    assert "Ninth Senior Officials Committee" not in shown  # the body's name is "SOC"
    assert "Ninth SOC" in shown and "Eighth SOC" not in shown
    assert "Paper under silence" in shown and "Silence procedure" in shown
    assert "4 days, 12 hours left" in shown  # the deadline, counted from the end of the day
    assert "Draft for comments" in shown and "feedback by 20 March 2024" in shown
    assert "1 state has not answered" in shown
    assert "Latest documents" in shown and "Paper of the future" not in shown
    # Once the deadline has passed, the procedure is no longer open.
    shown = text(page(client, "/?at=2024-03-25"))
    assert "No procedure is open on this day." in shown
    assert "No circulation awaits feedback on this day." in shown


def test_restricted_documents_are_absent_for_the_public(client, build):
    """A restricted paper is in no list of the public's home page; a member's delegate sees it."""
    alpha = build.actor("alpha", name_en="Alpha")
    build.status(alpha, "member", "2000")
    body = build.body("soc", "senior_officials_committee", name_en="SOC")
    _, version = paper(build, "hush", "Hush paper okapi", access="restricted")
    decisions.procedure_open(
        version=version, body=body, kind="silence", opened_at=T0,
        deadline=T0 + dt.timedelta(days=7), sources=[build.source],
    )  # fmt: skip
    html = page(client, "/?at=2024-03-03")
    assert "okapi" not in html and "hush" not in html.lower()
    delegate = accounts.account_create(
        username="alpha-delegate", password=PASSWORD, role="delegate", actor=alpha
    ).user
    client.force_login(delegate)
    assert text(page(client, "/?at=2024-03-03")).count("Hush paper okapi") == 2


def test_home_in_russian_with_a_visible_fallback(client, minimal):
    """The interface and the names in Russian; a title without a Russian one, marked English."""
    html = page(client, "/?at=2003-01-01", HTTP_ACCEPT_LANGUAGE="ru")
    shown = text(html)
    assert "Примерная организация" in shown
    assert "Председатель Бета" in shown and "Государства-члены" in shown
    assert "Глава Секретариата" in shown and "Анна Пример" in shown
    assert '<span class="fallback" lang="en">' in html  # a document title without Russian


def test_home_in_russian_by_cookie(client, minimal):
    client.cookies["django_language"] = "ru"
    assert "Председатель" in page(client, "/")


# --- Query count ------------------------------------------------------------------------------


def grow(build, n: int, start: int = 0):
    """n more members, upcoming meetings, documents, open procedures and circulations."""
    body = build.body("soc", "senior_officials_committee", name_en="SOC")
    for i in range(start, start + n):
        state = build.actor(f"state-{i}", name_en=f"State {i}")
        build.status(state, "member", f"{1950 + i}")
        build.meeting(
            f"soc-{i}", body, ordinal=i + 1,
            schedule=[{"kind": "planned", "start": f"2024-{4 + i % 8:02d}-01"}],
        )  # fmt: skip
        _, version = paper(build, f"silent-{i}", f"Silent {i}")
        decisions.procedure_open(
            version=version, body=body, kind="silence", opened_at=T0,
            deadline=T0 + dt.timedelta(days=7), sources=[build.source],
        )  # fmt: skip
        _, draft = paper(build, f"draft-{i}", f"Draft {i}")
        documents.document_circulate(
            version=draft, date="2024-02-20", deadline=dt.date(2024, 3, 20),
            sources=[build.source],
        )  # fmt: skip
    end = None if start else "2003-01-01"  # the first term ends where the next begins
    build.chair(Actor.objects.get(slug=f"state-{start}"), f"{2000 + start}-01-01", end)


def test_query_count_stays_constant_as_data_grows(client, build, django_assert_max_num_queries):
    """N records, then 3N: the same number of queries."""
    grow(build, 3)
    with django_assert_max_num_queries(40) as few:
        assert client.get("/?at=2024-03-03").status_code == 200
    grow(build, 6, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/?at=2024-03-03").status_code == 200


# --- The questions of a new user, on the CICA dataset --------------------------------------------


@pytest.mark.parametrize(
    ("at", "lang", "chair"),
    [
        ("2016-06-01", "en", "China"),
        ("2016-06-01", "ru", "Китай"),
        ("2021-01-01", "en", "Kazakhstan"),
        ("2025-06-01", "ru", "Азербайджан"),
    ],
)
def test_cica_who_chaired_on_a_date(client, cica, at, lang, chair):
    """The chair on any date, in both languages, from the home page's date control."""
    shown = text(page(client, f"/?at={at}", HTTP_ACCEPT_LANGUAGE=lang))
    label = "Chair" if lang == "en" else "Председатель"
    assert f"{label} {chair}" in shown


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Sixth CICA Summit", "Adopted (7)", "Astana Statement on CICA Transformation"]),
        ("ru", ["Шестой саммит СВМДА", "Принятые (7)", "Астанинское заявление о трансформации"]),
    ],
)
def test_cica_what_the_sixth_summit_adopted(client, cica, lang, words):
    """The meeting page of the 6th Summit lists what it adopted, in both languages."""
    shown = text(page(client, "/meetings/summit-6/", HTTP_ACCEPT_LANGUAGE=lang))
    for word in words:
        assert word in shown
    assert "Decision on the accession of the State of Kuwait to CICA" in shown


def test_cica_upcoming_meetings_as_planned_on_the_day(client, cica):
    """On 1 January 2012 no later meeting had been announced: none of those held in
    2013-2016 is listed. Once the Fourth Ministerial Meeting was announced (6 April 2012), it
    is listed as planned then (September 2012, Astana), not by the day it was held."""
    html = page(client, "/?at=2012-01-01")
    listed = html.split('id="meetings"')[1].split("</section>")[0]
    assert "No meeting is planned after this day." in listed
    assert "meetings planned later, and later changes of their dates or places" in listed
    for later in ("mm-5", "summit-4", "mm-informal-2013-09"):
        assert f"/meetings/{later}/" not in listed
    listed = page(client, "/?at=2012-05-01").split('id="meetings"')[1].split("</section>")[0]
    shown = text(listed)
    assert "Fourth Meeting of CICA Ministers of Foreign Affairs" in shown
    assert "September 2012, Astana" in shown and "12 September 2012" not in shown
    # The Fifth Summit as Wang Yi announced it in April 2016: in 2018, no place yet.
    shown = text(page(client, "/?at=2016-05-01").split('id="meetings"')[1].split("</section>")[0])
    assert "Fifth CICA Summit 2018" in shown and "Dushanbe" not in shown


def test_cica_kuwait_is_the_28th_member_state(client, cica):
    shown = text(page(client, "/members/?status=member&at=2023-01-01"))
    assert "Kuwait" in shown and "28th Member State" in shown
    shown = text(page(client, "/actors/kuwait/", HTTP_ACCEPT_LANGUAGE="ru"))
    assert "Кувейт" in shown and "28-е государство-член" in shown
