"""A delegate's objection that would break silence, in Chromium with htmx: the
confirmation takes the place of the positions, "Go back" brings the form back filled,
and only "Confirm objection" records it."""

from __future__ import annotations

import pytest

from secretariat.decisions.models import Position
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


def test_an_objection_is_confirmed_before_it_ends_the_silence(open_page, world_data):
    procedure = world_data["procedure"]
    watched = open_page()
    page = watched.goto(f"/accounts/sign-in/?next=/procedures/{procedure.pk}/")
    page.get_by_label("Username").fill("delegate")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/procedures/{procedure.pk}/")
    page.select_option("#pos-kind", "objection")
    page.fill("#pos-statement", "Paragraph 3 is not agreed.")
    page.get_by_role("button", name="Record the position").click()
    page.get_by_role("button", name="Confirm objection").wait_for()
    assert "the draft will not be adopted by silence" in page.locator("#positions").inner_text()
    assert not Position.objects.exists()
    page.get_by_role("button", name="Go back").click()
    page.locator("#pos-kind").wait_for()
    assert page.input_value("#pos-kind") == "objection"
    assert page.input_value("#pos-statement") == "Paragraph 3 is not agreed."
    assert not Position.objects.exists()
    page.get_by_role("button", name="Record the position").click()
    page.get_by_role("button", name="Confirm objection").click()
    page.get_by_text("The position is recorded.").wait_for()
    assert Position.objects.get().statement == "Paragraph 3 is not agreed."
    assert "failed" in page.locator("#positions").inner_text()
    assert not watched.problems, "\n".join(watched.problems)
