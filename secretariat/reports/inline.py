"""A statement cut into the pieces the renderers draw: plain text, linked text (a link's label
where it first occurs in the text) and text given in English in another language's report.
The web page and Markdown draw the same pieces, so they link the same words."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Item, Link


@dataclass(frozen=True)
class Piece:
    text: str
    link: Link | None = None
    fallback: bool = False  # said in English: the record has it in no other language


def _spans(text: str, links: list[Link]) -> tuple[list[tuple[int, int, Link]], list[Link]]:
    """Where each link's label stands: where the statement says (Link.at), else its first
    occurrence that overlaps no other (longer labels first, so "Sixth CICA Summit" is not
    taken by "CICA"); and the links whose label does not occur."""
    taken: list[tuple[int, int, Link]] = []
    extra: list[Link] = []
    for link in links:  # the places the statement gives first
        end = link.at + len(link.label)
        free = all(end <= a or link.at >= b for a, b, _ in taken)
        if link.at >= 0 and text[link.at : end] == link.label and free:
            taken.append((link.at, end, link))
    placed = {id(span[2]) for span in taken}
    for link in sorted(links, key=lambda link: -len(link.label)):
        if id(link) in placed:
            continue
        start = text.find(link.label) if link.label else -1
        while start >= 0:
            end = start + len(link.label)
            if all(end <= a or start >= b for a, b, _ in taken):
                taken.append((start, end, link))
                break
            start = text.find(link.label, start + 1)
        else:
            extra.append(link)
    taken.sort(key=lambda span: span[0])
    extra.sort(key=lambda link: links.index(link))
    return taken, extra


def marked(text: str, fallbacks: list[str]) -> list[Piece]:
    """Plain text cut where the English fallbacks occur."""
    pieces = [Piece(text)]
    for english in sorted((f for f in fallbacks if f), key=len, reverse=True):
        cut: list[Piece] = []
        for piece in pieces:
            if piece.fallback or english not in piece.text:
                cut.append(piece)
                continue
            parts = piece.text.split(english)
            for n, part in enumerate(parts):
                if part:
                    cut.append(Piece(part))
                if n < len(parts) - 1:
                    cut.append(Piece(english, fallback=True))
        pieces = cut
    return pieces


def pieces(item: Item) -> tuple[list[Piece], list[Link]]:
    """The item's text as pieces, and the links whose label the text does not contain."""
    spans, extra = _spans(item.text, item.links)
    result: list[Piece] = []
    at = 0
    for start, end, link in spans:
        if start > at:
            result += marked(item.text[at:start], item.fallbacks)
        label = item.text[start:end]
        english = any(f and f in label for f in item.fallbacks)
        result.append(Piece(label, link, english))
        at = end
    if at < len(item.text):
        result += marked(item.text[at:], item.fallbacks)
    return result, extra


def note_is_english(item: Item) -> bool:
    return bool(item.note) and item.note in item.fallbacks


def absolute(url: str, base_url: str) -> str:
    """The link as an address off the site: the report's base URL before a site path."""
    if not base_url or "://" in url:
        return url
    return base_url.rstrip("/") + "/" + url.lstrip("/")
