"""Helpers the test modules share: the accounts' password, a page's visible text, a
page's body, an API answer."""

from __future__ import annotations

import re

PASSWORD = "correct-horse-battery-9"

# Tags inside a line of text: dropped without a space, so "<a>Ann</a>'s" reads "Ann's".
_INLINE = re.compile(r"</?(?:a|abbr|code|em|mark|s|span|strong|time)\b[^>]*>")
_HIDDEN = re.compile(r"<(script|style)\b[^>]*>.*?</\1>", flags=re.S)
_TAG = re.compile(r"<[^>]+>")


def text(html_or_response) -> str:
    """What a reader sees: scripts and styles gone, inline tags dropped, every other tag a
    space, spaces collapsed and trimmed. Takes the HTML or a response."""
    html = getattr(html_or_response, "content", html_or_response)
    if isinstance(html, bytes):
        html = html.decode()
    html = _INLINE.sub("", _HIDDEN.sub(" ", html))
    return " ".join(_TAG.sub(" ", html).split())


def page(client, url: str, status: int = 200, **headers) -> str:
    """The body of GET `url`, once its status is `status`."""
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    return response.content.decode()


def get(client, url: str, status: int = 200):
    """GET `url` (an API answer), assert its status, return its JSON."""
    response = client.get(url)
    assert response.status_code == status, response.content
    return response.json()
