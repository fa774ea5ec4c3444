"""Treaty selectors: the status as of a day, reported figures beside it, access."""

from __future__ import annotations

import datetime as dt

import pytest

from secretariat.core.partial_dates import Certainty
from secretariat.treaties import selectors

pytestmark = pytest.mark.django_db
D = dt.date


def state(world, at, user=None):
    treaty = selectors.treaty_get(world.document.key, user=user)
    return selectors.treaty_status(treaty, at=at)


def ratified_by_three(world):
    world.signed_and_ratified(world.alpha, "2010-06-08", "2011-01-10")
    world.signed_and_ratified(world.beta, "2010-06-08", "2011-02-01")
    world.act(world.gamma, "accession", "2011-03-01")
    world.act(world.delta, "signature", "2010-06-08")


def test_the_status_is_derived_from_the_recorded_actions(world):
    """Entry into force on the 30th day after the 3rd instrument; each party's own date."""
    ratified_by_three(world)
    world.act(world.epsilon, "accession", "2011-06-01")
    result = state(world, D(2012, 1, 1)).status
    assert result.in_force is Certainty.YES
    assert result.entry_into_force.earliest == D(2011, 3, 31)
    own = {r.actor: r.entry_into_force and r.entry_into_force.earliest for r in result.rows}
    assert own == {
        world.alpha.pk: D(2011, 3, 31),
        world.beta.pk: D(2011, 3, 31),
        world.delta.pk: None,
        world.epsilon.pk: D(2011, 7, 1),
        world.gamma.pk: D(2011, 3, 31),
    }
    assert [r.actor for r in result.rows][:2] == [world.alpha.pk, world.beta.pk]  # by name
    assert result.counts["signed_not_ratified"].value == 1


def test_reported_figures_known_by_the_day_stand_beside_the_computed_ones(world):
    """A figure reported as of September 2024 is compared on 30 September; a difference flagged."""
    ratified_by_three(world)
    world.figure("signed_and_ratified", "2024-09", 10)
    world.figure("signed_not_ratified", "2024-09", 1)
    world.figure("parties", "2024-09", 3)
    assert state(world, D(2024, 8, 31)).comparisons == ()
    comparisons = {c.measure: c for c in state(world, D(2024, 10, 1)).comparisons}
    assert comparisons["signed_and_ratified"].differs
    assert comparisons["signed_and_ratified"].computed.value == 2
    assert not comparisons["signed_not_ratified"].differs
    assert not comparisons["parties"].differs


def test_a_treaty_on_a_document_the_user_may_not_read_is_absent(world, admin_user):
    secret = world.doc("secret-2012", "EXO/CONV/2012/1", access="confidential")
    treaty = world.make_treaty(secret)
    assert selectors.treaty_get("secret-2012", user=None) is None
    assert selectors.treaty_get(str(secret.pk), user=None) is None
    assert selectors.treaty_get("secret-2012", user=admin_user) == treaty
    listed = [s.treaty for s in selectors.treaties_list(user=None)]
    assert listed == [world.treaty]
    assert len(selectors.treaties_list(user=admin_user)) == 2


def test_a_treaty_is_found_by_document_key_or_id_and_huge_ids_are_missing(world):
    assert selectors.treaty_get(str(world.document.pk), user=None) == world.treaty
    assert selectors.treaty_get("9" * 30, user=None) is None
    assert selectors.treaty_get("no-such-key", user=None) is None
