"""The account pages in the portal's layout, and "My delegation": what awaits a delegate's state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from secretariat.documents import services as documents
from tests.decisions.world import T0, document
from tests.helpers import page, text

pytestmark = pytest.mark.django_db
URL = "/accounts/delegation/"


def circulate(world, symbol: str, *, access: str = "public", recipients=None):
    """A document circulated on 2 March 2024 for feedback by 20 March 2024."""
    doc, version = document(symbol, access=access)
    event, _ = documents.document_circulate(
        version=version, date="2024-03-02", deadline=dt.date(2024, 3, 20),
        sources=[world.build.source], recipients=recipients,
    )  # fmt: skip
    return doc, event


def open_now(world, symbol: str):
    """A silence procedure opened yesterday, ending in ten days."""
    _, version = document(symbol)
    now = timezone.now()
    return world.silence(
        version=version, opened_at=now - dt.timedelta(days=1), deadline=now + dt.timedelta(days=10)
    )


def test_sign_in_is_required(client, people):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_a_delegate_sees_what_awaits_its_state(client, people):
    """Open circulations lacking its feedback (with the time left), open procedures lacking
    its position, and its state's recent positions, each linking to its page."""
    w = people.world
    doc, _ = circulate(w, "EXO/CIRC/1")
    _, event = circulate(w, "EXO/CIRC/2")
    documents.feedback_add(
        circulation=event, actor=w.alpha, received_on=dt.date(2024, 3, 5), text="Agreed."
    )
    procedure = open_now(w, "EXO/SIL/1")
    past = w.silence()
    w.position(past, w.alpha, "objection", T0 + dt.timedelta(hours=2), "We object to the text.")
    client.force_login(people.delegate)
    html = page(client, f"{URL}?at=2024-03-10")
    words = text(html)
    assert "<h1>My delegation: Alpha</h1>" in html
    assert "is a member state" in words
    feedback = words[words.index("Feedback awaited") : words.index("Positions awaited")]
    assert "EXO/CIRC/1" in feedback and "EXO/CIRC/2" not in feedback  # Alpha answered that one
    assert "20 March 2024" in feedback and "10 days" in feedback
    assert f'href="/documents/{doc.key}/?at=2024-03-10"' in html
    awaited = words[words.index("Positions awaited") : words.index("Recent positions")]
    assert "EXO/SIL/1" in awaited and "silence procedure" in awaited and "left" in awaited
    assert f'href="/procedures/{procedure.pk}/"' in html
    recent = words[words.index("Recent positions of Alpha") :]
    assert "objection" in recent and "We object to the text." in recent
    assert "1 March 2024" in recent and f'href="/procedures/{past.pk}/"' in html


def test_nothing_awaits(client, people):
    client.force_login(people.beta_delegate)
    words = text(page(client, f"{URL}?at=2030-01-01"))
    assert "No circulation awaits your state's feedback." in words
    assert "No open procedure awaits your state's position." in words
    assert "No position of your state is on record." in words


@pytest.mark.parametrize("who", ["officer", "reader", "admin"])
def test_other_users_get_an_explanation(client, people, who):
    client.force_login(getattr(people, who))
    words = text(page(client, URL))
    assert "This page is for the delegates of a state or organization" in words
    assert "ask the Secretariat to link your account" in words


def test_restricted_papers_stay_out_of_an_observer_delegation(client, people):
    """A restricted paper circulated to the observer but not shared with it is not listed;
    shared, it is."""
    w = people.world
    doc, _ = circulate(w, "EXO/HUSH/1", access="restricted", recipients=[w.observer])
    client.force_login(people.observer)
    html = page(client, f"{URL}?at=2024-03-10")
    assert "is not a member state" in text(html)
    assert "EXO/HUSH/1" not in html and "hush" not in html.lower()
    documents.document_share_set(document=doc, actors=[w.observer])
    assert "EXO/HUSH/1" in page(client, f"{URL}?at=2024-03-10")


def test_the_delegation_page_in_russian(client, people):
    w = people.world
    circulate(w, "EXO/CIRC/1")
    client.force_login(people.delegate)
    html = page(client, f"{URL}?at=2024-03-10", HTTP_ACCEPT_LANGUAGE="ru")
    assert "<h1>Моя делегация:" in html
    assert '<span class="fallback" lang="en">Alpha</span>' in html  # no Russian name recorded
    assert "Ожидается отзыв" in html and "20 марта 2024" in html and "10 дней" in html


def test_bad_dates_are_refused_saying_why_never_a_500(client, people):
    client.force_login(people.delegate)
    for query in ["at=garbage", "at=2024-02-30", "at=99999-01-01", "at=%00"]:
        assert "YYYY-MM-DD" in text(page(client, f"{URL}?{query}", status=400))


def test_query_count_stays_constant(client, people, django_assert_max_num_queries):
    """N circulations, procedures and positions, then 3N: no more queries."""
    w = people.world
    client.force_login(people.delegate)

    def grow(n: int, start: int) -> None:
        for i in range(start, start + n):
            circulate(w, f"EXO/CIRC/{i}")
            open_now(w, f"EXO/SIL/{i}")
            past = w.silence(version=document(f"EXO/PAST/{i}")[1])
            w.position(past, w.alpha, "support", T0 + dt.timedelta(hours=1))

    grow(2, 0)
    with CaptureQueriesContext(connection) as small:
        page(client, f"{URL}?at=2024-03-10")
    grow(4, 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = page(client, f"{URL}?at=2024-03-10")
    assert "EXO/CIRC/5" in html and "EXO/SIL/5" in html


# --- the account pages in the layout --------------------------------------------------


def test_the_account_pages_use_the_layout_in_both_languages(client, people):
    html = page(client, "/accounts/sign-in/")
    assert '<main id="content"' in html and "<h1>Sign in</h1>" in html
    assert '<label for="id_username">' in html
    russian = page(client, "/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "<h1>Вход</h1>" in russian and "Имя пользователя" in russian
    client.force_login(people.delegate)
    home = page(client, "/accounts/")
    assert 'href="/accounts/delegation/"' in home and "a member state" in home
    home = page(client, "/accounts/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Моя делегация: чего ждут от вашего государства" in home and "API-токены" in home
    password = page(client, "/accounts/password/", HTTP_ACCEPT_LANGUAGE="ru")
    assert '<html lang="ru">' in password and "пароль" in password.lower()
