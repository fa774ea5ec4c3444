"""The portal in Chromium: every page clean, the date control, a delegate's position,
search, Russian, a phone's width. Screenshots go to var/screenshots/."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from tests.helpers import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SKIP = ("/admin/", "/api/", "/i18n/", "/accounts/sign-out", "/history/", "/static/")
MOST_PAGES = 120


def _links(page, base_url: str) -> tuple[list[str], list[str]]:
    """The site's links on the page: (pages, files). A file is a link marked `download`,
    or one to a path named like a file (/calendar.ics) or asking for a format."""
    anchors = page.eval_on_selector_all(
        "a[href]", "els => els.map(e => [e.href, e.hasAttribute('download')])"
    )
    pages, files = [], []
    for href, download in anchors:
        if not href.startswith(base_url):
            continue
        url = urlparse(href)._replace(fragment="")
        path = url.geturl()[len(base_url) :] or "/"
        if path.startswith(SKIP) or "/texts/" in path:
            continue
        is_file = download or "." in url.path.rsplit("/", 1)[-1] or "format=" in url.query
        (files if is_file else pages).append(path)
    return pages, files


def test_every_page_loads_without_errors(open_page, live_server, screenshots):
    """From the home page, every page reachable by a link answers, with no console error
    and no failed request (stylesheets, scripts, fragments); every file offered for
    download on them (tables, calendars, reports) answers too."""
    watched = open_page()
    seen: set[str] = set()
    files: dict[str, str] = {}  # one download of each kind: its path without the query
    queue = ["/"]
    kinds: set[str] = set()
    while queue and len(seen) < MOST_PAGES:
        path = queue.pop(0)
        key = re.sub(r"\?.*", "", path)
        # /actors/<slug>/ and the like: one of each kind; a listing (/members/) is its own.
        shape = re.sub(r"^(/[^/]+/.*?)[^/]+/$", r"\1*/", key)
        if path in seen or (shape in kinds and shape != key):
            continue  # one page of each kind is enough, besides every listing
        seen.add(path)
        kinds.add(shape)
        page = watched.goto(path)
        assert page.locator("h1").count() == 1, f"{path}: one h1"
        pages, downloads = _links(page, live_server.url)
        queue.extend(link for link in pages if link not in seen)
        for link in downloads:
            files.setdefault(re.sub(r"\?.*", "", link), link)
    assert not watched.problems, "\n".join(watched.problems)
    assert len(seen) >= 8, seen
    failed = []
    for link in files.values():
        answer = page.request.get(live_server.url + link)
        if not answer.ok or "text/html" in answer.headers.get("content-type", ""):
            failed.append(f"{link}: {answer.status} {answer.headers.get('content-type')}")
    assert len(files) >= 6 and not failed, (sorted(files), failed)


@pytest.mark.parametrize("width", [1280, 360])
def test_screenshots_of_the_main_pages(open_page, live_server, screenshots, width):
    """Each section of the menu, on a desktop and a phone; nothing wider than the screen."""
    watched = open_page(width=width)
    page = watched.goto("/")
    sections = page.eval_on_selector_all("nav.main a", "els => els.map(e => e.pathname)")
    for path in ["/", *sections]:
        page = watched.goto(path)
        name = path.strip("/").replace("/", "-") or "home"
        page.screenshot(path=str(screenshots / f"{name}-{width}.png"), full_page=True)
        if width == 360:
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{path} is {overflow}px wider than a 360px screen"
    assert not watched.problems, "\n".join(watched.problems)


def test_search_finds_a_document_by_a_word_of_its_text(open_page, world_data):
    watched = open_page()
    page = watched.goto("/search/?q=zanzibarite")
    assert page.get_by_text("Draft decision on quokka cooperation").count() >= 1
    assert page.locator("mark").first.inner_text().lower().startswith("zanzibarite")
    assert not watched.problems, "\n".join(watched.problems)


def test_the_language_switch_shows_russian(open_page):
    watched = open_page()
    page = watched.goto("/")
    # The select submits its form on change: wait for that navigation, not the old page.
    with page.expect_navigation():
        page.select_option("#language", "ru")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("link", name="Документы").count() >= 1
    assert not watched.problems, "\n".join(watched.problems)


def test_keyboard_reaches_the_content_first(open_page):
    """The first Tab lands on "Skip to content", which is visible when focused."""
    watched = open_page()
    page = watched.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    assert page.locator("a.skip").bounding_box()["x"] >= 0


def test_the_as_of_control_changes_the_chair_shown(open_page):
    """The chair on 1 June 2016 is not today's: the date control brings it up."""
    import datetime as dt

    from django.utils import timezone

    from secretariat.registry.selectors import chair_at

    then = chair_at(dt.date(2016, 6, 1))[0].term.actor.name_en
    now = chair_at(timezone.localdate())[0].term.actor.name_en
    assert then != now
    watched = open_page()
    page = watched.goto("/")
    chair = page.locator("section[aria-labelledby='chair']")
    assert now in chair.inner_text() and then not in chair.inner_text()
    page.fill("#as-of", "2016-06-01")
    page.get_by_role("button", name="Show").first.click()
    page.wait_for_url("**at=2016-06-01**")
    chair = page.locator("section[aria-labelledby='chair']")
    assert then in chair.inner_text() and now not in chair.inner_text()
    assert not watched.problems, "\n".join(watched.problems)


def test_a_delegate_signs_in_and_records_a_position_that_then_appears(open_page, world_data):
    procedure, member = world_data["procedure"], world_data["member"]
    watched = open_page()
    page = watched.goto(f"/accounts/sign-in/?next=/procedures/{procedure.pk}/")
    page.get_by_label("Username").fill("delegate")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/procedures/{procedure.pk}/")
    page.select_option("#pos-kind", "support")
    page.fill("#pos-statement", "We join the consensus.")
    page.get_by_role("button", name="Record the position").click()
    positions = page.locator("#positions")
    positions.get_by_text("We join the consensus.").first.wait_for()
    assert member.name_en in positions.inner_text()
    page.reload()  # it is on record, not only on the screen
    assert "We join the consensus." in page.locator("#positions").inner_text()
    assert not watched.problems, "\n".join(watched.problems)
