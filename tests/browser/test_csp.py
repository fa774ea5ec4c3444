"""Under the Content-Security-Policy, Chromium reports no violation on the pages that are
most at risk: charts (members, report), the count bars of a CBM area, htmx swapping in a
refusal, the language switch (a script of the site's, no inline handler), the admin and
the API's Swagger UI. Every other page is walked by test_portal's link crawl, whose
console check catches a violation too."""

from __future__ import annotations

import pytest

from secretariat.accounts import services as accounts
from secretariat.programme.models import PriorityArea
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _violations(watched) -> list[str]:
    words = ("Content Security Policy", "Content-Security-Policy", "Refused to")
    return [p for p in watched.problems if any(w in p for w in words)]


def _visit(watched, path: str):
    page = watched.page
    response = page.goto(watched.base_url + path)
    assert response.status < 400, path
    assert "script-src 'self'" in response.headers["content-security-policy"], path
    assert "camera=()" in response.headers["permissions-policy"], path
    return page


def test_pages_with_charts_scripts_and_htmx_break_no_policy(open_page, world_data):
    watched = open_page()
    area = PriorityArea.objects.order_by("pk").first()
    for path in ("/", "/members/", f"/cbm/areas/{area.pk}/", "/search/?q=summit"):
        _visit(watched, path)
    page = _visit(watched, "/reports/report/?chairmanship=kazakhstan-2020-2024")
    assert page.locator("figure.chart svg").count() >= 1  # the report's charts
    # The language switch: the site's own script submits the form on change.
    page = _visit(watched, "/")
    with page.expect_navigation():
        page.select_option("#language", "ru")
    assert page.locator("html").get_attribute("lang") == "ru"
    with page.expect_navigation():
        page.select_option("#language", "en")
    # htmx: a delegate's objection asks for confirmation, swapped into the page.
    procedure = world_data["procedure"]
    page = _visit(watched, f"/accounts/sign-in/?next=/procedures/{procedure.pk}/")
    page.get_by_label("Username").fill("delegate")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/procedures/{procedure.pk}/")
    page.select_option("#pos-kind", "objection")
    page.get_by_role("button", name="Record the position").click()
    page.get_by_role("button", name="Go back").click()  # waits for the confirmation
    page.locator("#pos-kind").wait_for()
    # A refusal (422) is swapped in like an answer (htmx-config, no inline handler).
    page.eval_on_selector("#pos-kind", "el => el.add(new Option('no such kind', 'bogus'))")
    page.select_option("#pos-kind", "bogus")
    page.get_by_role("button", name="Record the position").click()
    page.locator("#positions .errorlist, #positions [role=alert]").first.wait_for()
    assert not _violations(watched), "\n".join(_violations(watched))
    others = [p for p in watched.problems if "422" not in p]  # but the refusal asked for
    assert not others, "\n".join(others)


def test_the_admin_and_the_api_docs_break_no_policy(open_page, world_data):
    accounts.account_create(username="olga", password=PASSWORD, role="officer")
    watched = open_page()
    page = _visit(watched, "/accounts/sign-in/?next=/admin/")
    page.get_by_label("Username").fill("olga")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    for path in ("/admin/", "/admin/registry/actor/", "/admin/bodies/meeting/add/"):
        _visit(watched, path)
    page = _visit(watched, "/api/v1/docs")
    page.locator(".opblock").first.wait_for()  # Swagger UI drew the operations
    assert not _violations(watched), "\n".join(_violations(watched))
