"""The documents pages: the registry with filters and search, a page per document with its
lifecycle, versions and texts, relations, procedures and circulations, and feedback sent
by a delegate on the page itself."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from secretariat.accounts import services as accounts
from secretariat.documents import services
from secretariat.documents.models import Document, Feedback
from tests.helpers import PASSWORD, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    """A page asked for in Russian leaves Russian active in the thread: reset it, so that
    later tests read messages in English."""
    yield
    translation.deactivate()


HTMX = {"HTTP_HX_REQUEST": "true"}


def user(role: str, actor=None, name: str | None = None):
    return accounts.account_create(
        username=name or f"{role}-{actor.slug if actor else 'x'}",
        password=PASSWORD,
        role=role,
        actor=actor,
    ).user


# --- The registry ----------------------------------------------------------------------


def test_the_registry_lists_what_the_public_may_read(client, minimal):
    response = client.get("/documents/")
    assert response.status_code == 200
    page = text(response)
    assert "Charter of the Example Organization" in page
    assert "Statute of the Fund" in page
    assert "EXO/CHARTER/1990" in page and "charter" in page and "adopted" in page
    assert "Note on the budget" not in page  # confidential
    assert "2 documents" in page


def test_an_officer_sees_the_confidential_note(client, minimal):
    client.force_login(user("officer"))
    page = text(client.get("/documents/"))
    assert "Note on the budget" in page and "confidential to the Secretariat" in page


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ("type=charter", "Charter of the Example", "Statute of the Fund"),
        ("status=adopted&at=1995-01-01", "Charter of the Example", "Statute of the Fund"),
        ("status=circulated&at=2002-04-15", "Statute of the Fund", "Charter of the Example"),
        ("body=fund", "Statute of the Fund", "Charter of the Example"),
        ("meeting=council-1", "Charter of the Example", "Statute of the Fund"),
        ("year=2002", "Statute of the Fund", "Charter of the Example"),
    ],
)
def test_the_registry_filters(client, minimal, query, shown, hidden):
    page = text(client.get(f"/documents/?{query}"))
    assert shown in page and hidden not in page


@pytest.mark.parametrize(
    "query, notice",
    [
        ("type=treaty", "not one of the document types"),
        ("status=lost", "not one a document can have"),
        ("body=nowhere", "No body has the key"),
        ("meeting=nowhere", "No meeting has the key"),
        ("year=soon", "The year must be a number"),
        ("year=99999", "The year must be a number"),
    ],
)
def test_bad_filters_give_a_notice_not_an_error(client, minimal, query, notice):
    response = client.get(f"/documents/?{query}&page=abc")
    assert response.status_code == 200
    page = text(response)
    assert notice in page
    assert "Charter of the Example" in page  # the filter is dropped


def test_odd_query_strings_never_fail(client, minimal):
    for query in ("page=-5", "page=999999", "q=%22", "q=AND+OR+NOT", "q=" + "x" * 900, "year=",
                  "body=%00", "meeting=a%00", "q=%00", "type=%00&status=%00"):  # fmt: skip
        assert client.get(f"/documents/?{query}").status_code == 200


def test_search_finds_texts_with_highlighted_snippets(client, minimal):
    call_command("reindex", stdout=io.StringIO(), stderr=io.StringIO())
    response = client.get("/documents/?q=cooperate")
    page = response.content.decode()
    assert "Charter of the Example Organization" in text(response)
    assert "Statute of the Fund" not in text(response)
    assert "<mark>cooperate</mark>" in page
    assert "1 document" in text(response)
    # Filters apply to the matches too.
    assert "Charter of the Example" not in text(client.get("/documents/?q=cooperate&type=note"))


def test_restricted_documents_are_absent_for_the_public(client, build, docs):
    alpha = docs.members("alpha")[0]
    secret = docs.document("EXO/R/1", title_en="Restricted paper on zircons", access="restricted")
    docs.version(secret)
    docs.event(secret, "drafted", "2024-01-10")
    call_command("reindex", stdout=io.StringIO(), stderr=io.StringIO())
    assert "zircons" not in text(client.get("/documents/"))
    assert "zircons" not in text(client.get("/documents/?q=zircons"))
    assert client.get(f"/documents/{secret.key}/").status_code == 404
    assert client.get(f"/documents/{secret.pk}/").status_code == 404
    client.force_login(user("delegate", alpha))
    assert "zircons" in text(client.get("/documents/"))
    page = text(client.get(f"/documents/{secret.key}/"))
    assert "Restricted paper on zircons" in page
    assert "restricted to member-state delegations" in page


def test_the_registry_in_russian_with_a_visible_fallback(client, minimal):
    response = client.get("/documents/", HTTP_ACCEPT_LANGUAGE="ru")
    page = text(response)
    assert "Документы" in page and "Устав Примерной организации" in page
    assert "устав" in page  # the type, translated
    body = response.content.decode()
    assert '<span class="fallback" lang="en">Statute of the Fund</span>' in body


def test_the_registry_costs_the_same_queries_for_three_times_the_documents(
    client, docs, django_assert_max_num_queries
):
    council = docs.build.body("council")

    def make(n):
        for _ in range(n):
            doc = docs.document(body=council)
            docs.event(doc, "adopted", "2020-01-01")
            docs.version(doc)

    make(5)
    with django_assert_max_num_queries(20) as small:
        assert client.get("/documents/").status_code == 200
    make(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert "15 documents" in text(client.get("/documents/"))


# --- A document ------------------------------------------------------------------------


def test_the_document_page_shows_its_whole_record(client, minimal):
    response = client.get("/documents/charter/")
    assert response.status_code == 200
    page = text(response)
    assert "Charter of the Example Organization" in page
    assert "Устав Примерной организации" in page  # both titles
    assert "EXO/CHARTER/1990" in page and "public" in page
    assert "Lifecycle" in page and "adopted · 1 March 1990" in page
    assert "Versions and texts" in page and "Text in English" in page
    assert "Text in Russian" in page
    body = response.content.decode()
    assert "/api/v1/documents/charter/versions/1/texts/en" in body
    assert "/api/v1/documents/charter/versions/1/texts/ru" in body
    assert "is implemented by" in page and "Statute of the Fund" in page
    assert "/meetings/council-1/" in body
    assert "Sources:" in page
    assert "No consensus procedure on this document." in page


def test_the_lifecycle_and_circulation_follow_the_date(client, minimal):
    page = text(client.get("/documents/fund-statute/?at=2002-04-15"))
    assert "Status on 15 April 2002" in page and "circulated" in page
    assert "Circulations for feedback" in page
    assert "feedback due by 1 May 2002" in page
    assert "Pending (2)" in page and "Alpha" in page and "Gamma" in page
    assert "implements" in page and "Charter of the Example Organization" in page
    later = text(client.get("/documents/fund-statute/?at=2002-03-15"))
    assert "Not circulated for feedback by this date." in later
    assert "adopted · 10 June 2002" not in later


def test_the_document_page_in_russian(client, minimal):
    page = text(client.get("/documents/charter/", HTTP_ACCEPT_LANGUAGE="ru"))
    assert "Жизненный цикл" in page and "Устав Примерной организации" in page
    assert "1 марта 1990" in page
    fund = client.get("/documents/fund-statute/", HTTP_ACCEPT_LANGUAGE="ru")
    assert '<span class="fallback" lang="en">Statute of the Fund</span>' in fund.content.decode()


def test_unknown_documents_answer_404(client, minimal):
    for key in ("no-such-paper", "987654321", "9" * 40, "x" * 300, "%00", "a%00b"):
        assert client.get(f"/documents/{key}/").status_code == 404


def test_officers_see_history_and_edit_links(client, minimal):
    charter = Document.objects.get(key="charter")
    assert "/history/" not in client.get("/documents/charter/").content.decode()
    client.force_login(user("officer"))
    body = client.get("/documents/charter/").content.decode()
    assert f"/history/documents.document/{charter.pk}/" in body
    assert f"/admin/documents/document/{charter.pk}/change/" in body


def test_a_treaty_links_to_its_status_table(client, build, docs):
    convention = docs.document("EXO/CONV/1", type="convention")
    from secretariat.treaties.services import treaty_upsert

    treaty_upsert(document=convention, sources=docs.sources, eif_instruments=2)
    body = client.get(f"/documents/{convention.key}/").content.decode()
    assert f"/treaties/{convention.key}/" in body


def test_the_page_costs_the_same_queries_for_three_times_the_record(
    client, docs, django_assert_max_num_queries
):
    """Versions, texts, circulations, feedback and relations grow; the queries do not."""
    alpha, _ = docs.members("alpha", "beta")
    main = docs.document("EXO/MAIN/1")
    day = iter(range(1, 28))

    def grow(n):
        for _ in range(n):
            version = docs.version(main)
            docs.text(version, "en")
            d = next(day)
            circulation = docs.circulate(
                main, version=version, date=f"2021-03-{d:02}", deadline=dt.date(2021, 4, d)
            )  # to every member state on the day
            docs.feedback(circulation, alpha, received_on=dt.date(2021, 3, d))
            other = docs.document()
            services.relation_add(
                from_document=other, kind="implements", to_document=main, sources=docs.sources
            )
            services.relation_add(
                from_document=main, kind="responds_to", to_document=other, sources=docs.sources
            )

    docs.event(main, "drafted", "2020-01-01")
    grow(2)
    with django_assert_max_num_queries(40) as small:
        assert client.get(f"/documents/{main.key}/").status_code == 200
    grow(4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = text(client.get(f"/documents/{main.key}/"))
    assert page.count("is implemented by") == 6
    assert page.count("Answered (1)") == 6 and page.count("Pending (1)") == 6


# --- Feedback on a circulation ---------------------------------------------------------


@pytest.fixture
def circulated(docs):
    """A draft circulated two days ago to Alpha and Beta, feedback due in ten days."""
    alpha, beta, gamma = docs.members("alpha", "beta", "gamma")
    paper = docs.document("EXO/DRAFT/1", title_en="Draft concept of the Fund")
    today = timezone.localdate()
    event = docs.circulate(
        paper,
        date=(today - dt.timedelta(days=2)).isoformat(),
        deadline=today + dt.timedelta(days=10),
        recipients=[alpha, beta],
    )
    return paper, event, alpha, beta, gamma


def test_a_delegate_sends_feedback_with_htmx(client, circulated):
    paper, event, alpha, *_ = circulated
    client.force_login(user("delegate", alpha))
    page = client.get(f"/documents/{paper.key}/")
    assert "its feedback is awaited" in text(page)
    assert 'name="text"' in page.content.decode()
    response = client.post(
        f"/documents/{paper.key}/",
        {"circulation": event.pk, "text": "Alpha supports the draft."},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="circulations"')
    assert "The feedback is recorded." in body
    assert "Answered (1)" in text(response) and "Pending (1)" in text(response)
    feedback = Feedback.objects.get()
    assert (feedback.actor, feedback.received_on) == (alpha, timezone.localdate())


def test_without_javascript_the_feedback_posts_and_redirects(client, circulated):
    paper, event, _, beta, _ = circulated
    client.force_login(user("delegate", beta))
    response = client.post(f"/documents/{paper.key}/", {"circulation": event.pk, "text": "Fine."})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/documents/{paper.key}/#circulations")
    assert "The feedback is recorded." in text(client.get(response["Location"]))
    assert Feedback.objects.get().actor == beta


def test_a_delegate_cannot_answer_for_another_state(client, circulated):
    paper, event, alpha, *_ = circulated
    client.force_login(user("delegate", alpha))
    response = client.post(
        f"/documents/{paper.key}/", {"circulation": event.pk, "text": "x", "actor": "beta"}, **HTMX
    )
    assert response.status_code == 403
    assert "only the positions and feedback of its own state" in text(response)
    assert not Feedback.objects.exists()


def test_a_state_not_addressed_gets_no_form_and_a_refusal(client, circulated):
    paper, event, *_, gamma = circulated
    client.force_login(user("delegate", gamma))
    assert 'name="text"' not in client.get(f"/documents/{paper.key}/").content.decode()
    response = client.post(f"/documents/{paper.key}/", {"circulation": event.pk, "text": "x"})
    assert response.status_code == 422
    assert "was not among those the text was circulated to" in text(response)


def test_bad_feedback_is_refused_on_the_form(client, circulated):
    paper, event, alpha, *_ = circulated
    client.force_login(user("delegate", alpha))
    empty = client.post(f"/documents/{paper.key}/", {"circulation": event.pk, "text": ""})
    assert empty.status_code == 422 and "The feedback was not recorded" in text(empty)
    wrong = client.post(f"/documents/{paper.key}/", {"circulation": "987654321", "text": "x"})
    assert wrong.status_code == 422 and "no such circulation" in text(wrong)
    huge = client.post(f"/documents/{paper.key}/", {"circulation": "9" * 30, "text": "x"})
    assert huge.status_code == 422
    nul = {"circulation": event.pk, "text": "x\x00y", "actor": "al\x00pha"}
    assert client.post(f"/documents/{paper.key}/", nul).status_code == 422
    assert not Feedback.objects.exists()


def test_the_public_cannot_send_feedback(client, circulated):
    paper, event, *_ = circulated
    response = client.post(f"/documents/{paper.key}/", {"circulation": event.pk, "text": "x"})
    assert response.status_code == 403
    assert "Sign in as a delegate" in text(response)
    assert 'name="text"' not in client.get(f"/documents/{paper.key}/").content.decode()


def test_an_officer_enters_feedback_received_otherwise(client, circulated):
    paper, event, alpha, *_ = circulated
    client.force_login(user("officer"))
    day = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(
        f"/documents/{paper.key}/",
        {"circulation": event.pk, "text": "By note verbale.", "actor": "alpha",
         "received_on": day.isoformat()},
        **HTMX,
    )  # fmt: skip
    assert response.status_code == 200, text(response)
    assert (Feedback.objects.get().actor, Feedback.objects.get().received_on) == (alpha, day)


# --- The CICA dataset ------------------------------------------------------------------
# Last in the module: the dataset is loaded once for the module, after the tests above.


@pytest.mark.usefixtures("cica")
def test_the_2010_convention_in_the_cica_registry(client):
    page = text(client.get("/documents/?type=convention"))
    assert "Convention on the Privileges and Immunities" in page
    body = client.get("/documents/convention-privileges-immunities-2010/").content.decode()
    assert "/treaties/convention-privileges-immunities-2010/" in body
    assert "Third CICA Summit" in text(client.get("/documents/?meeting=summit-3"))
