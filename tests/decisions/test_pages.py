"""The procedures pages: positions of every eligible state, who is pending, the deadline
counting down, and a delegate recording its state's position on the page itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from secretariat.accounts import services as accounts
from secretariat.decisions.models import Position
from secretariat.decisions.views import time_left
from tests.helpers import PASSWORD, text

from .world import T0, at, document

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


def live(world, **kw):
    """A silence procedure opened yesterday, closing in 3 days 4 hours (and a half)."""
    now = timezone.now()
    return world.silence(
        opened_at=now - dt.timedelta(days=1),
        deadline=now + dt.timedelta(days=3, hours=4, minutes=30),
        **kw,
    )


# --- The list --------------------------------------------------------------------------


def test_the_list_shows_every_procedure_with_its_outcome(client, world):
    """Newest first, each with its document, kind, deadline and outcome now."""
    closed = world.silence()
    world.position(closed, world.beta, "objection", at(hours=2))
    open_one = live(world)
    response = client.get("/procedures/")
    assert response.status_code == 200
    page = text(response)
    assert "Consensus procedures" in page
    assert f"/procedures/{open_one.pk}/" in response.content.decode()
    assert "EXO/SOC/2024/1" in page and "Silence procedure" in page
    assert "failed" in page and "open" in page
    assert "3 of 3 states pending" in page
    assert "3 days 4 hours left" in page


def test_the_list_filters_by_outcome_and_explains_a_bad_filter(client, world):
    failed = world.silence()
    world.position(failed, world.beta, "objection", at(hours=2))
    live(world)
    page = text(client.get("/procedures/?state=failed"))
    assert "failed" in page and "pending" not in page
    response = client.get("/procedures/?state=nonsense")
    assert response.status_code == 200
    assert "is not open, adopted or failed" in text(response)
    refused = client.get("/procedures/?state=failed&at=not-a-date")
    assert refused.status_code == 400 and "YYYY-MM-DD" in text(refused)


def test_the_list_as_of_a_past_day(client, world):
    """With ?at= in the past, each outcome is the one at the end of that day."""
    world.silence()
    page = text(client.get("/procedures/?at=2024-03-02"))
    assert "at the end of 2 March 2024" in page and "open" in page
    page = text(client.get("/procedures/?at=2024-03-20"))
    assert "adopted" in page


def test_a_procedure_on_a_restricted_document_is_absent_for_the_public(client, world):
    _, version = document("EXO/SOC/2024/9", access="restricted", key="hidden-paper")
    hidden = world.silence(version=version)
    assert "EXO/SOC/2024/9" not in text(client.get("/procedures/"))
    assert client.get(f"/procedures/{hidden.pk}/").status_code == 404
    client.force_login(user("delegate", world.alpha))
    assert client.get(f"/procedures/{hidden.pk}/").status_code == 200
    assert "EXO/SOC/2024/9" in text(client.get("/procedures/"))


def test_the_list_costs_the_same_queries_for_three_times_the_procedures(
    client, world, django_assert_max_num_queries
):
    """No query per procedure: a constant number whatever their count."""

    made = iter(range(100))

    def make(n):
        for _ in range(n):
            _, version = document(f"EXO/Q/{next(made)}")
            procedure = world.silence(version=version)
            world.position(procedure, world.alpha, "support", at(hours=1))

    make(2)
    with django_assert_max_num_queries(12) as small:
        assert client.get("/procedures/").status_code == 200
    make(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/procedures/").status_code == 200


# --- One procedure ---------------------------------------------------------------------


def test_the_page_shows_every_eligible_state_and_who_is_pending(client, world):
    """With its positions public, the page shows everyone each state's standing position."""
    procedure = live(world, positions_visibility="public")
    world.position(procedure, world.alpha, "support", timezone.now() - dt.timedelta(hours=2))
    world.position(procedure, world.observer, "comment", timezone.now() - dt.timedelta(hours=1))
    response = client.get(f"/procedures/{procedure.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert "Decision EXO/SOC/2024/1" in page
    assert "Positions of the eligible states" in page
    for name in ("Alpha", "Beta", "Gamma"):
        assert name in page
    assert "support / no objection" in page
    assert "Pending (2)" in page and "Beta, Gamma" in page
    assert "Open: 2 of 3 eligible states have not taken a position." in page
    assert "3 days 4 hours left" in page
    assert "does not count towards adoption" in page  # the observer's comment
    assert 'hx-trigger="every 60s"' in response.content.decode()
    # The public is told how positions are recorded, and shown no form.
    assert "Delegates sign in to record" in page
    assert 'name="kind"' not in response.content.decode()


def test_a_broken_silence_stays_broken(client, world):
    procedure = world.silence(positions_visibility="public")
    world.position(procedure, world.beta, "objection", at(hours=3), "Paragraph 2.")
    world.position(procedure, world.beta, "withdrawal", at(hours=4))
    page = text(client.get(f"/procedures/{procedure.pk}/"))
    assert "Not adopted: the procedure failed at 1 March 2024, 15:00." in page
    assert "Silence was broken by an objection stated at 1 March 2024, 15:00: Beta." in page
    assert "does not restore silence" in page
    assert "closed" in page


def test_the_countdown_fragment(client, world):
    procedure = live(world)
    response = client.get(f"/procedures/{procedure.pk}/?part=countdown", **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<p id="countdown"')
    assert "3 days 4 hours left" in body and "<html" not in body


def test_unknown_procedures_answer_404(client, world):
    assert client.get("/procedures/987654321/").status_code == 404
    assert client.get(f"/procedures/{2**70}/").status_code == 404
    assert client.get("/procedures/abc/").status_code == 404


def test_bad_query_strings_never_fail(client, world):
    procedure = live(world)
    for query in ("at=", "part=nonsense", "state=%00"):
        assert client.get(f"/procedures/{procedure.pk}/?{query}").status_code == 200
        assert client.get(f"/procedures/?{query}").status_code == 200
    for query in ("at=2024-13-45", "at=1800-01-01"):  # refused, saying why
        assert client.get(f"/procedures/{procedure.pk}/?{query}").status_code == 400
        assert client.get(f"/procedures/?{query}").status_code == 400


def test_a_delegate_records_its_states_position_with_htmx(client, world):
    """The form posts with htmx; the answer is the positions fragment, re-rendered."""
    procedure = live(world)
    client.force_login(user("delegate", world.alpha))
    page = client.get(f"/procedures/{procedure.pk}/")
    assert "Record your state" in text(page) and 'name="kind"' in page.content.decode()
    response = client.post(
        f"/procedures/{procedure.pk}/",
        {"kind": "reservation", "statement": "Paragraph 4 needs work."},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="positions"')
    assert "The position is recorded." in body
    assert "Paragraph 4 needs work." in body
    position = Position.objects.get(procedure=procedure)
    assert (position.actor, position.kind) == (world.alpha, "reservation")
    assert abs(position.stated_at - timezone.now()) < dt.timedelta(minutes=1)


def test_without_javascript_the_form_posts_and_redirects(client, world):
    procedure = live(world)
    client.force_login(user("delegate", world.beta))
    response = client.post(f"/procedures/{procedure.pk}/", {"kind": "support"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/procedures/{procedure.pk}/#positions")
    page = text(client.get(response["Location"]))
    assert "The position is recorded." in page
    assert Position.objects.get(procedure=procedure).actor == world.beta


def test_a_delegate_cannot_speak_for_another_state(client, world):
    procedure = live(world)
    client.force_login(user("delegate", world.alpha))
    response = client.post(
        f"/procedures/{procedure.pk}/", {"kind": "objection", "actor": "beta"}, **HTMX
    )
    assert response.status_code == 403
    assert "only the positions and feedback of its own state" in text(response)
    assert not Position.objects.exists()


def test_a_refused_position_is_shown_on_the_form(client, world):
    procedure = live(world)
    client.force_login(user("delegate", world.alpha))
    response = client.post(f"/procedures/{procedure.pk}/", {"kind": "nonsense"})
    assert response.status_code == 422
    assert "The position was not recorded" in text(response)
    response = client.post(f"/procedures/{procedure.pk}/", {"kind": "withdrawal"}, **HTMX)
    assert response.status_code == 422
    assert "no standing objection" in text(response)
    nul = {"kind": "support", "actor": "al\x00pha", "statement": "x\x00y"}
    assert client.post(f"/procedures/{procedure.pk}/", nul).status_code == 422
    assert not Position.objects.exists()


def test_a_position_after_the_deadline_is_refused(client, world):
    procedure = world.silence()  # closed at T0 + a week, long ago
    client.force_login(user("delegate", world.alpha))
    page = client.get(f"/procedures/{procedure.pk}/")
    assert 'name="kind"' not in page.content.decode()
    response = client.post(f"/procedures/{procedure.pk}/", {"kind": "support"})
    assert response.status_code == 422
    assert "comes too late" in text(response)


def test_the_public_cannot_post(client, world):
    procedure = live(world)
    response = client.post(f"/procedures/{procedure.pk}/", {"kind": "support"})
    assert response.status_code == 403
    assert "Sign in as a delegate" in text(response)
    assert not Position.objects.exists()


def test_an_observer_delegate_may_only_comment(client, world):
    procedure = live(world)
    client.force_login(user("delegate", world.observer))
    page = client.get(f"/procedures/{procedure.pk}/").content.decode()
    assert "it may comment only" in text(client.get(f"/procedures/{procedure.pk}/"))
    assert 'value="objection"' not in page and 'value="comment"' in page
    response = client.post(f"/procedures/{procedure.pk}/", {"kind": "objection"})
    assert response.status_code == 422


def test_an_officer_sees_every_position_but_records_none(client, world):
    """Only a state's delegates record its positions: the officer's page has no form, but
    shows who has answered and how (positions shown to members by default), and a post is
    refused, saying why."""
    procedure = live(world)
    world.position(procedure, world.gamma, "support", timezone.now() - dt.timedelta(hours=5))
    client.force_login(user("officer"))
    page = client.get(f"/procedures/{procedure.pk}/")
    body = page.content.decode()
    assert f"/history/decisions.procedure/{procedure.pk}/" in body
    assert f"/admin/decisions/procedure/{procedure.pk}/change/" in body
    assert 'name="kind"' not in body
    words = text(page)
    assert "Pending (2) Alpha, Beta" in words and "support / no objection" in words
    assert "recorded by its delegates only" in words
    response = client.post(
        f"/procedures/{procedure.pk}/", {"kind": "support", "actor": "alpha"}, **HTMX
    )
    assert response.status_code == 403
    assert "recorded only by that state" in text(response)
    assert list(Position.objects.values_list("actor__slug", flat=True)) == ["gamma"]


def test_the_page_in_russian_with_a_visible_fallback(client, world):
    """Interface in Russian; a state without a Russian name shows in English, marked."""
    procedure = live(world, positions_visibility="public")
    response = client.get(f"/procedures/{procedure.pk}/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    page = text(response)
    assert "Процедура умолчания" in page
    assert "Позиции государств, имеющих право участвовать" in page
    assert "осталось 3 дня 4 часа" in page
    assert '<span class="fallback" lang="en">Alpha</span>' in response.content.decode()
    listing = text(client.get("/procedures/", HTTP_ACCEPT_LANGUAGE="ru"))
    assert "Консенсусные процедуры" in listing


def test_the_detail_costs_the_same_queries_for_three_times_the_positions(
    client, world, django_assert_max_num_queries
):
    procedure = live(world)
    states = [world.build.actor(f"state-{i}") for i in range(9)]
    for state in states:
        world.build.status(state, "member", "2000-01-01")
    start = timezone.now() - dt.timedelta(hours=20)

    def take(actors, offset):
        for i, actor in enumerate(actors):
            world.position(procedure, actor, "support", start + dt.timedelta(minutes=offset + i))

    take(states[:3], 0)
    with django_assert_max_num_queries(40) as small:
        assert client.get(f"/procedures/{procedure.pk}/").status_code == 200
    take(states[3:9], 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/procedures/{procedure.pk}/").status_code == 200


def test_time_left_reads_like_a_person_would_say_it():
    now = T0
    assert time_left(now + dt.timedelta(days=3, hours=4, minutes=5), now) == "3 days 4 hours left"
    assert time_left(now + dt.timedelta(days=1), now) == "1 day left"
    assert time_left(now + dt.timedelta(hours=2, minutes=3), now) == "2 hours 3 minutes left"
    assert time_left(now + dt.timedelta(seconds=20), now) == "less than a minute left"
    assert time_left(now, now) is None
    assert time_left(None, now) is None


# --- A position that decides asks for confirmation --------------------------------------


def test_an_objection_that_breaks_silence_asks_for_confirmation_first(client, world):
    """The first post records nothing: it answers a page saying what the objection will do,
    carrying the values posted; only the confirmation records it."""
    procedure = live(world)
    client.force_login(user("delegate", world.alpha))
    posted = {"kind": "objection", "statement": "Paragraph 4\nis not agreed."}
    response = client.post(f"/procedures/{procedure.pk}/", posted)
    assert response.status_code == 200
    page = text(response)
    assert "Confirm your state's objection" in page.replace("&#x27;", "'")
    assert (
        "Your objection ends the silence procedure: the draft will not be adopted by silence. "
        "This cannot be undone." in page
    )
    body = response.content.decode()
    assert 'name="confirm" value="yes"' in body and 'name="back" value="yes"' in body
    assert '<input type="hidden" name="kind" value="objection">' in body
    assert 'name="statement" value="Paragraph 4\nis not agreed."' in body
    assert not Position.objects.exists()
    response = client.post(f"/procedures/{procedure.pk}/", {**posted, "confirm": "yes"})
    assert response.status_code == 302
    position = Position.objects.get()
    assert (position.actor, position.kind, position.statement) == (
        world.alpha,
        "objection",
        "Paragraph 4\nis not agreed.",
    )
    page = text(client.get(response["Location"]))
    assert "The position is recorded." in page and "failed" in page


def test_the_confirmation_works_with_htmx_and_going_back_keeps_the_values(client, world):
    """With htmx the confirmation takes the place of the positions section; "Go back"
    brings the form again, filled as it was, and records nothing."""
    procedure = live(world)
    client.force_login(user("delegate", world.beta))
    posted = {"kind": "objection", "statement": "We need more time."}
    response = client.post(f"/procedures/{procedure.pk}/", posted, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="positions"') and "<html" not in body
    assert "Confirm objection" in body and 'hx-post="' in body
    back = client.post(f"/procedures/{procedure.pk}/", {**posted, "back": "yes"}, **HTMX)
    assert back.status_code == 200
    body = back.content.decode()
    assert body.lstrip().startswith('<section id="positions"')
    assert '<option value="objection" selected>' in body
    assert ">We need more time.</textarea>" in body
    assert "was not recorded" not in body
    assert not Position.objects.exists()
    without_js = client.post(f"/procedures/{procedure.pk}/", {**posted, "back": "yes"})
    assert without_js.status_code == 200 and "<html" in without_js.content.decode()
    confirmed = client.post(f"/procedures/{procedure.pk}/", {**posted, "confirm": "yes"}, **HTMX)
    assert confirmed.status_code == 200
    assert "The position is recorded." in confirmed.content.decode()
    assert Position.objects.get().kind == "objection"


def test_only_a_deciding_position_asks_for_confirmation(client, world):
    """Support, and an objection once silence is broken already, are recorded at once;
    an objection to a decision at a meeting asks, saying it blocks consensus."""
    procedure = live(world)
    world.position(procedure, world.gamma, "objection", timezone.now() - dt.timedelta(hours=1))
    client.force_login(user("delegate", world.alpha))
    assert client.post(f"/procedures/{procedure.pk}/", {"kind": "objection"}).status_code == 302
    meeting = world.meeting_procedure(opened_at=timezone.now() - dt.timedelta(days=1))
    assert client.post(f"/procedures/{meeting.pk}/", {"kind": "support"}).status_code == 302
    client.force_login(user("delegate", world.beta))
    response = client.post(f"/procedures/{meeting.pk}/", {"kind": "objection"})
    assert response.status_code == 200
    assert "Your objection blocks consensus: the draft will not be adopted at the meeting" in (
        text(response)
    )
    assert not Position.objects.filter(procedure=meeting, actor=world.beta).exists()


def test_a_refused_objection_is_refused_before_any_confirmation(client, world):
    """An objection the rules or the policy refuse says so at once, never asking to
    confirm what could not be recorded."""
    procedure = live(world)
    client.force_login(user("delegate", world.alpha))
    other = client.post(f"/procedures/{procedure.pk}/", {"kind": "objection", "actor": "beta"})
    assert other.status_code == 403 and "Confirm objection" not in other.content.decode()
    client.force_login(user("delegate", world.observer))
    response = client.post(f"/procedures/{procedure.pk}/", {"kind": "objection"})
    assert response.status_code == 422 and "Confirm objection" not in response.content.decode()
    assert not Position.objects.exists()


def test_the_confirmation_in_russian(client, world):
    procedure = live(world)
    client.force_login(user("delegate", world.alpha))
    response = client.post(
        f"/procedures/{procedure.pk}/", {"kind": "objection"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    page = text(response)
    assert "Подтвердить возражение" in page and "Вернуться" in page
    assert "Ваше возражение прекращает процедуру умолчания" in page
