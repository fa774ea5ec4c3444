"""Every refusal of impossible treaty input, with its message, through the services."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from secretariat.core.partial_dates import PartialDate
from secretariat.treaties import engine, rules
from secretariat.treaties.models import TreatyAction

from .test_engine import RULE, D, act

pytestmark = pytest.mark.django_db


def refused(message: str):
    """pytest.raises for a ValidationError whose text contains `message` verbatim."""
    return pytest.raises(ValidationError, match=re.escape(message))


def test_a_state_that_is_not_a_member_that_day_cannot_become_a_party(world):
    """parties=member_states: a non-member's instrument is refused; zeta once it is a member."""
    with refused(
        "Outsider was not a member state on 1 March 2012: only member states may become "
        "parties to EXO/CONV/2010/1, so its accession is refused."
    ):
        world.act(world.outsider, "accession", "2012-03-01")
    with refused("Zeta was not a member state on 1 March 2012"):
        world.act(world.zeta, "accession", "2012-03-01")
    world.act(world.zeta, "accession", "2015-03-01")
    assert not TreatyAction.objects.filter(actor=world.outsider).exists()


def test_any_state_may_become_a_party_when_the_treaty_says_so_but_not_an_organization(world):
    treaty = world.make_treaty(world.doc("open-2011", "EXO/CONV/2011/1"), parties="any_state")
    world.act(world.outsider, "accession", "2012-03-01", treaty)
    with refused("Union is not a state: only states sign and become parties."):
        world.act(world.union, "signature", "2012-03-01", treaty)


@pytest.mark.parametrize("kind", ["signature", "ratification", "denunciation"])
def test_a_second_instrument_of_the_same_kind_is_refused(world, kind):
    world.signed_and_ratified(world.alpha, "2010-06-08", "2011-01-10")
    if kind == "denunciation":
        world.act(world.alpha, "denunciation", "2012-01-01")
    with refused(f"Alpha already has a {kind} on record"):
        world.act(world.alpha, kind, "2013-01-01")


def test_a_party_cannot_deposit_another_instrument(world):
    world.signed_and_ratified(world.alpha, "2010-06-08", "2011-01-10")
    with refused(
        "Alpha's accession of 1 January 2012: Alpha is already a party by its ratification of "
        "10 January 2011."
    ):
        world.act(world.alpha, "accession", "2012-01-01")


def test_after_a_denunciation_a_state_may_accede_again(world):
    world.signed_and_ratified(world.alpha, "2010-06-08", "2011-01-10")
    world.act(world.alpha, "denunciation", "2012-01-01", effective="2012-07-01")
    world.act(world.alpha, "accession", "2013-01-01")


def test_an_action_before_the_treaty_was_opened_is_refused(world):
    with refused(
        "Alpha's signature is dated 7 June 2010, before the treaty was opened for signature "
        "(8 June 2010)."
    ):
        world.act(world.alpha, "signature", "2010-06-07")
    world.act(world.alpha, "signature", "2010")  # the year of opening may include it


def test_a_denunciation_by_a_non_party_is_refused(world):
    world.act(world.alpha, "signature", "2010-06-08")
    with refused("Alpha's denunciation of 1 January 2012: Alpha is not a party"):
        world.act(world.alpha, "denunciation", "2012-01-01")


def test_a_denunciation_cannot_take_effect_before_it_is_made(world):
    world.signed_and_ratified(world.alpha, "2010-06-08", "2011-01-10")
    with refused("takes effect on 1 January 2011, before it was made."):
        world.act(world.alpha, "denunciation", "2012-01-01", effective="2011-01-01")
    with refused("Only a denunciation has an effective date."):
        world.act(world.alpha, "declaration", "2012-01-01", effective="2013-01-01")


def test_withdrawing_a_reservation_never_made_is_refused(world):
    world.signed_and_ratified(world.alpha, "2010-06-08", "2011-01-10")
    with refused(
        "Alpha's withdrawal of a reservation of 1 January 2012: Alpha made no reservation "
        "before it to withdraw."
    ):
        world.act(world.alpha, "reservation_withdrawal", "2012-01-01")
    world.act(world.alpha, "reservation", "2011-01-10", statement="Article 5 does not apply.")
    world.act(world.alpha, "reservation_withdrawal", "2012-01-01")


@pytest.mark.parametrize("kind", ["ratification", "acceptance", "approval"])
def test_an_instrument_whose_signature_is_not_on_record_counts_as_signed(world, kind):
    """A ratification whose signature the record lacks is kept: the state signed, on a
    day not given, by then (history is often known from the ratification alone)."""
    world.act(world.alpha, kind, "2011-01-10")
    before = engine.status([act("alpha", kind, "2011-01-10")], rule=RULE, at=D(2011, 1, 9))
    after = engine.status([act("alpha", kind, "2011-01-10")], rule=RULE, at=D(2011, 2, 1))
    assert before.counts["signatories"].value == 0
    assert after.counts["signatories"].value == 1
    assert after.counts["signed_and_ratified"].value == 1
    assert after.counts["signed_not_ratified"].value == 0


def test_a_signature_after_the_ratification_it_should_precede_is_refused(world):
    world.act(world.alpha, "signature", "2011-01-01")
    with refused("follows no signature"):
        world.act(world.alpha, "ratification", "2010-12-01")


def test_a_ratification_after_a_withdrawn_signature_is_refused(world):
    world.act(world.alpha, "signature", "2010-06-08")
    world.act(world.alpha, "signature_withdrawal", "2011-01-01")
    with refused("comes after Alpha withdrew its signature: it may accede instead."):
        world.act(world.alpha, "ratification", "2012-01-01")


def test_a_party_cannot_withdraw_its_signature(world):
    world.signed_and_ratified(world.alpha, "2010-06-08", "2011-01-10")
    with refused("a party denounces the treaty instead."):
        world.act(world.alpha, "signature_withdrawal", "2012-01-01")


def test_a_treaty_is_an_agreement_or_a_convention(world):
    declaration = world.doc("decl-2010", "EXO/DECL/2010/1", type="declaration")
    with refused("EXO/DECL/2010/1 is a declaration: a treaty is an agreement or a convention."):
        world.make_treaty(declaration)


def test_the_rule_names_known_instruments(world):
    with refused("Unknown instrument: signature"):
        world.make_treaty(world.doc("c2", "EXO/CONV/2"), eif_kinds=["signature"])
    with refused("An entry-into-force rule needs the number of instruments."):
        world.make_treaty(world.doc("c3", "EXO/CONV/3"), eif_instruments=None)


def test_the_opening_cannot_move_after_actions_on_record(world):
    world.act(world.alpha, "signature", "2010-06-08")
    with refused("Alpha's signature is dated 8 June 2010, before 1 January 2011"):
        world.make_treaty(world.document, opened="2011-01-01")


def test_a_figure_cannot_be_reported_before_the_opening(world):
    with refused("before the treaty was opened for signature"):
        world.figure("parties", "2009", 3)


def test_the_sequence_rules_do_not_depend_on_order():
    """sequence_problems judges a set: the same problems in any order."""

    def act(kind, date):
        return engine.Act("x", kind, PartialDate.parse(date))

    acts = [act("ratification", "2011"), act("signature", "2012"), act("denunciation", "2013")]
    first = sorted(m for _, m in rules.sequence_problems(acts, lambda a: "X"))
    second = sorted(m for _, m in rules.sequence_problems(acts[::-1], lambda a: "X"))
    assert first == second and len(first) == 1
