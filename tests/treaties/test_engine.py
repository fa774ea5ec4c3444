"""The pure status engine: entry into force, parties, counts and uncertainty, no database."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secretariat.core.partial_dates import Certainty, PartialDate
from secretariat.figures.compare import Computed, compare
from secretariat.figures.models import ReportedFigure
from secretariat.treaties import engine
from secretariat.treaties.engine import Act, Rule

D = dt.date
RULE = Rule(
    instruments=3,
    kinds=frozenset({"ratification", "acceptance", "approval", "accession"}),
    delay_days=30,
    later_delay_days=30,
)


def act(actor, kind, date, effective=None) -> Act:
    return Act(
        actor, kind, PartialDate.parse(date), PartialDate.parse(effective) if effective else None
    )


def signed_and_ratified(actor, signed, ratified, kind="ratification") -> list[Act]:
    return [act(actor, "signature", signed), act(actor, kind, ratified)]


def status(acts, at, rule=RULE):
    return engine.status(acts, rule=rule, at=D.fromisoformat(at))


def three(last: str) -> list[Act]:
    """Three instruments, the third deposited on `last`."""
    return [
        *signed_and_ratified("a", "2010-06-08", "2010-07-10"),
        *signed_and_ratified("b", "2010-06-08", "2010-08-05"),
        act("c", "accession", last),
    ]


def test_the_nth_instrument_brings_it_into_force_after_the_delay():
    """In force on the 30th day after the 3rd instrument, not the day before."""
    acts = three("2011-03-01")
    before = status(acts, "2011-03-30")
    assert before.in_force is Certainty.NO
    assert before.entry_into_force == engine.DayRange(D(2011, 3, 31), D(2011, 3, 31))
    assert before.instruments_required.value == 0
    after = status(acts, "2011-03-31")
    assert after.in_force is Certainty.YES
    assert after.trigger.earliest == D(2011, 3, 1)
    assert status(acts, "2011-02-28").entry_into_force is None
    assert status(acts, "2011-02-28").instruments_required.value == 1


@pytest.mark.parametrize(
    "deposit, expected",
    [
        ("2011-01-31", D(2011, 3, 2)),  # the last day of a month, February of 28 days after
        ("2012-01-31", D(2012, 3, 1)),  # the same in a leap year
        ("2011-12-31", D(2012, 1, 30)),  # 31 December: into the next year
        ("2012-02-29", D(2012, 3, 30)),  # 29 February
        ("2011-04-30", D(2011, 5, 30)),
    ],
)
def test_the_delay_counts_days_across_month_and_year_ends(deposit, expected):
    """The delay is a number of days, whatever month or year the deposit falls in."""
    result = status(three(deposit), "2013-01-01")
    assert result.entry_into_force == engine.DayRange(expected, expected)
    assert result.in_force is Certainty.YES
    assert {r.actor: r.entry_into_force.earliest for r in result.rows} == dict.fromkeys(
        "abc", expected
    )


def test_a_later_state_enters_into_force_after_its_own_delay_never_before_the_general_date():
    """A state depositing after the triggering instrument: its own date, not before the general."""
    acts = [*three("2011-03-01"), act("d", "accession", "2011-03-10")]
    acts.append(act("e", "accession", "2011-06-01"))
    rows = {r.actor: r for r in status(acts, "2012-01-01").rows}
    assert rows["a"].entry_into_force.earliest == D(2011, 3, 31)
    assert rows["d"].entry_into_force.earliest == D(2011, 4, 9)  # 10 March + 30
    assert rows["e"].entry_into_force.earliest == D(2011, 7, 1)
    quick = Rule(RULE.instruments, RULE.kinds, delay_days=30, later_delay_days=0)
    rows = {r.actor: r for r in status(acts, "2012-01-01", rule=quick).rows}
    assert rows["d"].entry_into_force.earliest == D(2011, 3, 31)  # never before the general date
    assert rows["e"].entry_into_force.earliest == D(2011, 6, 1)


def test_a_denunciation_ends_being_a_party_on_its_effective_date_and_the_treaty_stays_in_force():
    """Counts fall on the effective date; the general in-force status stays."""
    acts = [
        *three("2011-03-01"),
        act("a", "denunciation", "2015-01-01", effective="2016-01-01"),
    ]
    before = status(acts, "2015-12-31")
    assert before.counts["parties"].value == 3
    assert {r.actor: r.party for r in before.rows}["a"] is Certainty.YES
    after = status(acts, "2016-01-01")
    assert after.counts["parties"].value == 2
    assert after.counts["signed_and_ratified"].value == 1
    assert after.counts["signed_not_ratified"].value == 0  # it did ratify
    assert {r.actor: r.party for r in after.rows}["a"] is Certainty.NO
    assert after.in_force is Certainty.YES
    assert [r.actor for r in after.denunciations] == ["a"]


def test_an_instrument_denounced_before_entry_into_force_does_not_count():
    """A party that withdraws before the third instrument: the third is then the fourth."""
    acts = [
        *three("2011-03-01"),
        act("a", "denunciation", "2011-02-10", effective="2011-02-20"),
    ]
    result = status(acts, "2011-06-01")
    assert result.entry_into_force is None
    assert result.instruments_required.value == 1
    assert result.counts["parties"].value == 2
    acts.append(act("d", "accession", "2011-05-01"))
    result = status(acts, "2011-06-01")
    assert result.entry_into_force.earliest == D(2011, 5, 31)
    assert {r.actor for r in result.rows if r.entry_into_force} == {"b", "c", "d"}


def test_a_withdrawn_signature_is_not_counted():
    """A state that withdrew its signature is no longer a signatory."""
    acts = [
        act("a", "signature", "2010-06-08"),
        act("a", "signature_withdrawal", "2012-01-01"),
        act("b", "signature", "2010-06-08"),
    ]
    assert status(acts, "2011-01-01").counts["signatories"].value == 2
    result = status(acts, "2012-01-01")
    assert result.counts["signatories"].value == 1
    assert result.counts["signed_not_ratified"].value == 1


def test_counts_and_markers_follow_the_un_layout():
    """Ratification has no marker; accession a, succession d, acceptance A, approval AA."""
    acts = [
        *signed_and_ratified("a", "2010-06-08", "2011-01-10"),
        *signed_and_ratified("b", "2010-06-08", "2011-01-11", "acceptance"),
        *signed_and_ratified("c", "2010-06-08", "2011-01-12", "approval"),
        act("d", "accession", "2011-01-13"),
        act("e", "succession", "2011-01-14"),
        act("f", "signature", "2010-06-09"),
    ]
    result = status(acts, "2012-01-01")
    assert [(r.actor, r.marker) for r in result.rows] == [
        ("a", ""), ("b", "A"), ("c", "AA"), ("d", "a"), ("e", "d"), ("f", ""),
    ]  # fmt: skip
    counts = {k: v.value for k, v in result.counts.items()}
    assert counts == {
        "signatories": 4,
        "parties": 5,
        "signed_and_ratified": 3,
        "signed_not_ratified": 1,
        "instruments_required": 0,
    }


def test_succession_counts_like_accession_and_other_kinds_only_when_named():
    """Only the named kinds count towards entry into force; succession goes with accession."""
    only_ratification = Rule(3, frozenset({"ratification"}), 30)
    acts = three("2011-03-01")  # the third is an accession
    assert status(acts, "2012-01-01", only_ratification).entry_into_force is None
    assert status(acts, "2012-01-01", only_ratification).counts["parties"].value == 3
    acts[-1] = act("c", "succession", "2011-03-01")
    assert status(acts, "2012-01-01").entry_into_force.earliest == D(2011, 3, 31)


def test_an_instrument_dated_by_year_makes_counts_and_the_date_uncertain():
    """A '2011' instrument as the third: a range of dates, never a guess."""
    acts = three("2011")
    during = status(acts, "2011-06-01")
    assert during.counts["parties"].value == 2
    assert during.counts["parties"].uncertain == 1
    assert during.instruments_required.value == 1
    assert during.instruments_required.low == 0
    assert during.entry_into_force == engine.DayRange(D(2011, 1, 31), D(2012, 1, 30))
    assert not during.entry_into_force.exact
    assert during.in_force is Certainty.UNCERTAIN
    assert "between" in during.entry_into_force.display()
    after = status(acts, "2012-01-30")
    assert after.in_force is Certainty.YES
    assert after.counts["parties"].uncertain == 0


def test_an_uncertain_denunciation_leaves_the_latest_date_open():
    """If a withdrawal dated by year may undo the count, the latest date is not known."""
    acts = [*three("2011-03-01"), act("a", "denunciation", "2011")]
    result = status(acts, "2012-06-01")
    assert result.entry_into_force.earliest == D(2011, 3, 31)
    assert result.entry_into_force.latest is None
    assert result.in_force is Certainty.UNCERTAIN


def test_actions_after_the_day_are_not_known_then():
    """As of a day, only actions dated by then (possibly) are taken into account."""
    acts = three("2011-03-01")
    assert status(acts, "2010-07-09").counts["signatories"].value == 2
    assert status(acts, "2010-07-09").counts["parties"].value == 0
    assert status(acts, "2010-12-31").counts["parties"].value == 2
    assert status(acts, "2010-06-07").rows == ()


def test_reported_figures_are_compared_on_the_last_day_of_their_window():
    """A reported figure agrees when the computed range admits it, else it is flagged
    (figures.compare, with the engine's counts as the treaties' selectors hand them in)."""
    acts = three("2011-03-01")

    def counts(day):
        found = engine.status(acts, rule=RULE, at=day).counts
        return {k: Computed(f.value, f.low, f.high) for k, f in found.items()}

    def figure(measure, value):
        return ReportedFigure(measure=measure, as_of="2011-03", value=value)

    agree, differ = compare([figure("parties", 3), figure("signed_and_ratified", 10)], counts)
    assert agree.compared_on == D(2011, 3, 31)
    assert not agree.differs and "as the record" not in agree.detail and "agree" in agree.detail
    assert differ.differs
    assert differ.computed.value == 2
    assert differ.detail == (
        "The source counts 10 as of March 2011; the record holds 2 on 31 March 2011."
    )
    no_rule = lambda day: {}  # noqa: E731 - a treaty without a rule counts no instruments
    [none] = compare([figure("instruments_required", 4)], no_rule)
    assert none.differs and "nothing to count" in none.detail


# --- Order of entry ------------------------------------------------------------------

dates = st.dates(min_value=D(2010, 6, 8), max_value=D(2014, 12, 31))


@st.composite
def history(draw, actor):
    """A valid history of one state: signature then an instrument, or accession; maybe more."""
    precision = draw(st.sampled_from(["day", "day", "month", "year"]))

    def partial(day):
        return PartialDate.parse(day.isoformat()[: {"day": 10, "month": 7, "year": 4}[precision]])

    start = draw(dates)
    steps = draw(st.sampled_from(["sign", "sign+ratify", "accede", "sign+ratify+denounce"]))
    acts = []
    day = start
    for step in steps.split("+"):
        kind = {"sign": "signature", "ratify": draw(st.sampled_from(["ratification",
                "acceptance", "approval"])), "accede": "accession", "denounce": "denunciation"}[
            step
        ]  # fmt: skip
        acts.append(Act(actor, kind, partial(day)))
        day = day + dt.timedelta(days=draw(st.integers(0, 700)))
    return acts


@settings(max_examples=200, deadline=None)
@given(
    st.tuples(*(history(a) for a in "abcdef")),
    st.randoms(use_true_random=False),
    st.dates(min_value=D(2010, 1, 1), max_value=D(2017, 12, 31)),
)
def test_the_status_does_not_depend_on_the_order_actions_are_given(histories, rnd, at):
    """The same actions in any order give the same table, counts and dates."""
    acts = [a for h in histories for a in h]
    shuffled = list(acts)
    rnd.shuffle(shuffled)
    assert engine.status(acts, rule=RULE, at=at) == engine.status(shuffled, rule=RULE, at=at)


def test_the_status_is_the_same_whatever_the_order_on_a_fixed_example():
    acts = [*three("2011"), act("d", "accession", "2011-05"), act("a", "denunciation", "2013")]
    expected = status(acts, "2012-01-01")
    for seed in range(20):
        random.Random(seed).shuffle(acts)
        assert status(acts, "2012-01-01") == expected
