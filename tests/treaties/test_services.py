"""Treaty services: matched upserts with the treaties.yaml fields, sources, deletion, order."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secretariat.figures.models import ReportedFigure
from secretariat.records.services import Outcome
from secretariat.treaties import selectors, services
from secretariat.treaties.models import TreatyAction

pytestmark = pytest.mark.django_db


def refused(message: str):
    return pytest.raises(ValidationError, match=re.escape(message))


def test_treaty_upsert_holds_every_field_of_the_format_and_is_matched_on_the_document(world):
    """Run twice with the same fields: unchanged; a change updates the same row."""
    meeting = world.build.meeting("summit-3")
    fields = {
        "depositary_en": "EXO Secretariat",
        "depositary_ru": "Секретариат",
        "opened": "2010-06-08",
        "opened_place_en": "Istanbul",
        "opened_place_ru": "Стамбул",
        "opened_at": meeting,
        "parties": "member_states",
        "eif_instruments": 3,
        "eif_kinds": ["ratification", "acceptance", "approval", "accession"],
        "eif_delay_days": 30,
        "eif_later_delay_days": 30,
        "eif_text": "on the thirtieth day after the deposit of the third instrument",
        "note": "As deposited.",
    }
    source = world.build.source
    treaty, outcome = services.treaty_upsert(document=world.document, sources=[source], **fields)
    assert outcome is Outcome.UPDATED  # the world made it; the new fields changed it
    assert (str(treaty.opened), treaty.opened_place_ru, treaty.opened_at) == (
        "2010-06-08",
        "Стамбул",
        meeting,
    )
    _, again = services.treaty_upsert(document=world.document, sources=[source], **fields)
    assert again is Outcome.UNCHANGED
    fields["eif_instruments"] = 14
    changed, outcome = services.treaty_upsert(document=world.document, sources=[source], **fields)
    assert (changed.pk, changed.eif_instruments, outcome) == (treaty.pk, 14, Outcome.UPDATED)


def test_an_action_is_matched_on_treaty_actor_kind_and_date(world):
    """The same action again is unchanged; new details update it in place."""
    source = world.build.source
    values = dict(treaty=world.treaty, actor=world.alpha, kind="signature", date="2010-06-08")
    _, outcome = services.treaty_action_upsert(**values, sources=[source])
    assert outcome is Outcome.CREATED
    assert services.treaty_action_upsert(**values, sources=[source])[1] is Outcome.UNCHANGED
    action, outcome = services.treaty_action_upsert(
        treaty=world.treaty, actor=world.alpha, kind="ratification", date="2011-01-10",
        domestic_act_en="Law No. 123", domestic_act_ru="Закон № 123",
        domestic_act_date="2010-12", sources=[source],
    )  # fmt: skip
    assert (action.domestic_act_en, str(action.domestic_act_date)) == ("Law No. 123", "2010-12")
    again, outcome = services.treaty_action_upsert(
        treaty=world.treaty, actor=world.alpha, kind="ratification", date="2011-01-10",
        domestic_act_en="Law No. 124", sources=[source],
    )  # fmt: skip
    assert (again.pk, outcome, again.domestic_act_date) == (action.pk, Outcome.UPDATED, None)
    assert TreatyAction.objects.count() == 2


def test_an_action_and_a_figure_need_a_source_and_a_real_date(world):
    with refused("Every record needs at least one source."):
        services.treaty_action_upsert(
            treaty=world.treaty, actor=world.alpha, kind="signature", date="2010-06-08",
            sources=[],
        )  # fmt: skip
    with refused("'2010-13' is not a real date."):
        world.act(world.alpha, "signature", "2010-13")
    with refused("not a real date"):
        world.figure("parties", "2023-02-30", 3)
    with refused("is not a valid choice"):
        world.act(world.alpha, "unsigning", "2011-01-01")
    assert not TreatyAction.objects.exists()


def test_a_reported_figure_is_matched_on_treaty_metric_and_as_of(world):
    figure = world.figure("signed_and_ratified", "2024-09", 10)
    again, outcome = services.reported_figure_upsert(
        treaty=world.treaty, metric="signed_and_ratified", as_of="2024-09", value=11,
        sources=[world.build.source], note="Corrected.",
    )  # fmt: skip
    assert (again.pk, again.value, outcome) == (figure.pk, 11, Outcome.UPDATED)
    world.figure("signed_not_ratified", "2024-09", 8)
    assert ReportedFigure.objects.count() == 2


def test_an_action_another_rests_on_cannot_be_deleted(world):
    """Deleting a reservation its withdrawal rests on is refused; deleting both in order works."""
    world.act(world.alpha, "signature", "2010-06-08")
    reservation = world.act(world.alpha, "reservation", "2010-06-08", statement="Article 5.")
    withdrawal = world.act(world.alpha, "reservation_withdrawal", "2012-01-01")
    with refused("Deleting Alpha's reservation of 8 June 2010 would leave the record inconsistent"):
        services.treaty_action_delete(action=reservation)
    services.treaty_action_delete(action=withdrawal)
    services.treaty_action_delete(action=reservation)
    assert TreatyAction.objects.count() == 1


# --- Order of entry ----------------------------------------------------------------------

ROLLED_BACK = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
PLANS = {
    "sign": [("signature", "2010-06-08")],
    "ratify": [("signature", "2010-07"), ("ratification", "2011-02-01")],
    "accept": [("signature", "2010"), ("acceptance", "2011-03-01")],
    "accede": [("accession", "2011-04")],
    "denounce": [("signature", "2010-06-08"), ("approval", "2011-01-31"),
                 ("denunciation", "2012-02-29")],
    "reserve": [("accession", "2011-12-31"), ("reservation", "2011-12-31"),
                ("reservation_withdrawal", "2013")],
}  # fmt: skip

DAYS = [dt.date(2010, 12, 31), dt.date(2011, 3, 1), dt.date(2011, 3, 31), dt.date(2011, 6, 1),
        dt.date(2012, 3, 1), dt.date(2014, 1, 1)]  # fmt: skip


@ROLLED_BACK
@given(st.lists(st.sampled_from(sorted(PLANS)), min_size=4, max_size=4), st.randoms())
def test_the_status_does_not_depend_on_the_order_actions_are_entered(world, plans, rnd):
    """The same actions entered in any order give the same status on every day."""
    wanted = [
        (state, kind, date)
        for state, plan in zip(world.members, plans, strict=False)
        for kind, date in PLANS[plan]
    ]
    results = []
    for order in (list(wanted), rnd.sample(wanted, len(wanted))):
        with transaction.atomic():
            pending = order
            for _ in range(len(order) + 1):  # an instrument waits for its signature
                left = []
                for state, kind, date in pending:
                    try:
                        with transaction.atomic():
                            world.act(state, kind, date)
                    except ValidationError:
                        left.append((state, kind, date))
                pending = left
            assert not pending
            treaty = selectors.treaty_get(world.document.key, user=None)
            results.append([selectors.treaty_status(treaty, at=day).status for day in DAYS])
            transaction.set_rollback(True)
    assert results[0] == results[1]


def test_a_new_action_is_not_written_over_the_same_one(world):
    """treaty_action_add, the officers' verb: the same action on the same date is refused,
    the one on record kept as it was."""
    from secretariat.treaties.services import treaty_action_add

    same = {"treaty": world.treaty, "actor": world.alpha, "kind": "declaration",
            "date": "2012-01-01", "sources": [world.build.source]}  # fmt: skip
    first = treaty_action_add(**same, statement="First")
    with pytest.raises(ValidationError) as refused:
        treaty_action_add(**same, statement="Other")
    assert "kind" in refused.value.message_dict
    first.refresh_from_db()
    assert first.statement == "First"
