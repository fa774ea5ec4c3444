"""Every page carries a Content-Security-Policy without inline script or eval, and a
Permissions-Policy; the templates hold to the policy (no inline script, handler,
javascript: link or style attribute; a <style> only with the request's nonce)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import secretariat

TEMPLATES = Path(secretariat.__file__).parent
MAIL = re.compile(r"/mail/")  # mails are read in mail programs, not under the site's policy
PAGES = ["/", "/members/", "/treaties/", "/search/?q=x", "/accounts/sign-in/", "/api/v1/docs"]


def _directives(header: str) -> dict[str, list[str]]:
    parts = (d.split() for d in header.split(";") if d.strip())
    return {name: values for name, *values in parts}


@pytest.mark.django_db
def test_every_page_has_both_policies(client, build):
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = _directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert not any("unsafe" in v for values in policy.values() for v in values), path
        features = response["Permissions-Policy"]
        assert "camera=()" in features and "geolocation=()" in features, path


@pytest.mark.django_db
def test_an_inline_style_carries_the_nonce_the_header_names(client, build):
    response = client.get("/search/?q=x")
    nonce = re.search(r"<style nonce=\"([^\"]+)\">", response.content.decode()).group(1)
    policy = _directives(response["Content-Security-Policy"])
    assert f"'nonce-{nonce}'" in policy["style-src"]
    again = client.get("/search/?q=x")
    assert f"'nonce-{nonce}'" not in again["Content-Security-Policy"]  # one per answer


def _templates():
    for path in sorted(TEMPLATES.rglob("templates/**/*.html")):
        if not MAIL.search(path.as_posix()):
            yield path


BREAKS = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")"),
    "inline handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "htmx handler (eval)": re.compile(r"\shx-on[:-]"),
    "javascript: link": re.compile(r"javascript:", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "style without the nonce": re.compile(r"<style(?![^>]*nonce=\"\{\{ request\.csp_nonce \}\}\")"),
}


def test_templates_hold_to_the_policy():
    found = []
    for path in _templates():
        text = path.read_text()
        for what, pattern in BREAKS.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(TEMPLATES)}:{line}: {what}")
    assert not found, "\n".join(found)
