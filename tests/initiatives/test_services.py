"""Writes: upserts on natural keys, and the refusals with their messages."""

import pytest
from django.core.exceptions import ValidationError

from secretariat.initiatives import services
from secretariat.records.services import Outcome

from .conftest import event

pytestmark = pytest.mark.django_db


def test_an_event_is_matched_on_kind_and_date(world):
    """Recording the same event twice changes nothing."""
    event(world, "proposed", "2022-10")
    _, outcome = services.initiative_event_upsert(
        initiative=world.initiative, kind="proposed", date="2022-10", sources=world.src
    )
    assert outcome is Outcome.UNCHANGED
    assert world.initiative.events.count() == 1


def test_history_may_start_at_adoption(world):
    """A record often begins with the adoption: nothing before it is required."""
    event(world, "adopted", "2022-10")
    event(world, "established", "2023")
    assert world.initiative.events.count() == 2


@pytest.mark.parametrize(
    "history, bad, message",
    [
        (["dropped"], "adopted", "'adopted' cannot follow 'dropped'"),
        (["closed"], "under_discussion", "'under discussion' cannot follow 'closed'"),
        (["established"], "draft_agreed", "'draft agreed' cannot follow 'established'"),
    ],
)
def test_an_impossible_move_is_refused(world, history, bad, message):
    """After an end only a re-proposal may come; nothing goes back from established."""
    for n, kind in enumerate(history):
        event(world, kind, f"202{n}")
    with pytest.raises(ValidationError, match=message):
        event(world, bad, "2029")


def test_a_dropped_initiative_may_be_proposed_again(world):
    event(world, "proposed", "2019")
    event(world, "dropped", "2020")
    event(world, "proposed", "2022")
    event(world, "adopted", "2023")
    assert world.initiative.events.count() == 4


def test_an_event_inserted_before_an_end_is_checked_against_what_follows(world):
    """A late-recorded earlier event must still fit the history after it."""
    event(world, "dropped", "2021")
    with pytest.raises(ValidationError, match="cannot follow 'dropped'"):
        event(world, "adopted", "2022")
    event(world, "under_discussion", "2020")


def test_a_partnership_with_a_state_is_refused(world):
    with pytest.raises(ValidationError, match="Kazakhstan is a state: a partnership is with"):
        services.partnership_upsert(actor=world.kz, sources=world.src)


def test_an_ended_partnership_restarts_from_contacts_only(world):
    p, _ = services.partnership_upsert(actor=world.un, sources=world.src)
    services.partnership_event_upsert(partnership=p, kind="ended", date="2020", sources=world.src)
    with pytest.raises(ValidationError, match="'partner' cannot follow 'ended'"):
        services.partnership_event_upsert(
            partnership=p, kind="partner", date="2021", sources=world.src
        )


def test_a_response_from_a_state_not_asked_is_refused(world):
    exp, _ = services.expectation_upsert(
        initiative=world.initiative,
        position=1,
        text_en="Nominate universities",
        addressees=[world.kz],
        sources=world.src,
    )
    services.expectation_response_upsert(
        expectation=exp, actor=world.kz, date="2023", sources=world.src
    )
    with pytest.raises(ValidationError, match="China was not asked"):
        services.expectation_response_upsert(
            expectation=exp, actor=world.cn, date="2023", sources=world.src
        )


def test_an_organization_cannot_respond_as_a_member_state(world):
    exp, _ = services.expectation_upsert(
        initiative=world.initiative, position=1, text_en="Nominate", sources=world.src
    )
    with pytest.raises(ValidationError, match="not a state"):
        services.expectation_response_upsert(
            expectation=exp, actor=world.un, date="2023", sources=world.src
        )


def test_two_proposers_are_refused(world):
    with pytest.raises(ValidationError, match="one proposer"):
        services.initiative_upsert(
            slug="x",
            title_en="X",
            proposer_actor=world.kz,
            proposer_body=world.soc,
            sources=world.src,
        )


def test_a_contribution_needs_an_amount_with_currency_or_in_kind(world):
    with pytest.raises(ValidationError, match="currency"):
        services.fund_contribution_upsert(
            fund=world.fund, actor=world.cn, date="2022", amount=10, sources=world.src
        )
    with pytest.raises(ValidationError, match="amount with its currency, or what was given"):
        services.fund_contribution_upsert(
            fund=world.fund, actor=world.cn, date="2022", sources=world.src
        )
    _, outcome = services.fund_contribution_upsert(
        fund=world.fund, actor=world.cn, date="2022", in_kind_en="Office space", sources=world.src
    )
    assert outcome is Outcome.CREATED


def test_a_project_of_a_body_that_is_not_an_institution_is_refused(world):
    with pytest.raises(ValidationError, match="not an institution"):
        services.fund_project_upsert(fund=world.soc, title_en="P", sources=world.src)
