"""The CICA dataset's treaties and checklists answer the treaties issue's questions."""

import pytest

from tests.helpers import get


@pytest.mark.django_db
def test_convention_needs_more_instruments_and_shows_the_seed_beside(client, cica):
    """As of September 2024 the 2010 Convention is not in force; the seed's figures (10
    signed and ratified, 8 not, 4 still required) stand beside those computed from the
    instruments on record, flagged where they differ."""
    url = "/api/v1/treaties/convention-privileges-immunities-2010/status?at=2024-09-30"
    status = get(client, url)
    assert status["rule"]["instruments"] == 14
    assert status["entry_into_force"]["in_force"] in ("no", False)
    reported = {r["metric"]: r for r in status["reported"]}
    assert reported["instruments_required"]["reported"] == 4
    assert reported["signed_and_ratified"]["reported"] == 10
    assert reported["signed_not_ratified"]["reported"] == 8
    computed = reported["instruments_required"]["computed"]
    assert computed["low"] <= 14 - 3 and computed["high"] >= 14 - 5
    assert reported["instruments_required"]["differs"] is True
    parties = {row["participant"]["slug"] for row in status["table"]}
    assert {"bangladesh", "china", "jordan"} <= parties


@pytest.mark.django_db
def test_seed_ratifications_are_on_record(client, cica):
    """Bangladesh ratified in 2023, China and Jordan in 2024 (the seed)."""
    status = get(client, "/api/v1/treaties/convention-privileges-immunities-2010/status")
    years = {
        row["participant"]["slug"]: row["instrument"]["date"]["value"][:4]
        for row in status["table"]
        if row["instrument"]
    }
    assert (years["bangladesh"], years["china"], years["jordan"]) == ("2023", "2024", "2024")


@pytest.mark.django_db
def test_host_country_agreement_amendments_next_steps(client, cica):
    """The amendments agreed on 19 July 2024 carry the seed's three next steps, in order."""
    steps = get(client, "/api/v1/documents/host-country-agreement-amendments-2024/next-steps")
    titles = [s["title"] for s in steps["steps"]]
    assert len(titles) == 3
    assert "Decree" in titles[0] and "Sign" in titles[1] and "atif" in titles[2]


@pytest.mark.django_db
def test_treaty_status_carries_its_next_steps(client, cica):
    """A treaty's status shows the checklist of its document, with progress."""
    url = "/api/v1/treaties/host-country-agreement-amendments-2024/status"
    status = get(client, url)
    assert status["next_steps"]["total"] == 3
    assert status["next_steps"]["progress"].endswith("of 3 steps done")
