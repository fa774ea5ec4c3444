"""Template helpers of the report page: a statement's text with its records linked in place."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from secretariat.reports.inline import absolute, note_is_english, pieces

register = template.Library()


def _english(html: str) -> str:
    return format_html('<span class="fallback" lang="en">{}</span>', mark_safe(html))


@register.simple_tag
def statement(item, base_url: str = ""):
    """The item's text, each record's label linked where it occurs, English fallbacks marked;
    the links whose label the text does not hold follow it."""
    parts, extra = pieces(item)
    html = []
    for piece in parts:
        text = conditional_escape(piece.text)
        if piece.link is not None:
            text = format_html('<a href="{}">{}</a>', absolute(piece.link.url, base_url), text)
        html.append(_english(text) if piece.fallback else str(text))
    if extra:
        refs = ", ".join(
            format_html('<a href="{}">{}</a>', absolute(link.url, base_url), link.label)
            for link in extra
        )
        html.append(f' <span class="refs">({refs})</span>')
    return mark_safe("".join(html))


@register.simple_tag
def statement_note(item):
    """The record's remark on the statement, marked when given in English."""
    text = conditional_escape(item.note)
    return _english(text) if note_is_english(item) else text
