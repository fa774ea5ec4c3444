"""Template helpers: names and titles in the reader's language, links that keep the date."""

from __future__ import annotations

from urllib.parse import quote

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from secretariat.accounts.policy import is_secretariat
from secretariat.records.pages import record_actions, record_edit_url

register = template.Library()


@register.simple_tag
def tr(obj, field: str = "name"):
    """`obj.<field>_<lang>` in the page's language; the English one, marked, if missing.

    Works on models and on dicts from answers (`name` / `name_ru`, `title` / `title_ru`).
    """
    lang = (get_language() or "en")[:2]

    def get(name):
        if isinstance(obj, dict):
            return obj.get(name)
        return getattr(obj, name, None)

    english = get(f"{field}_en") or get(field) or ""
    if lang == "en":
        return english
    local = get(f"{field}_{lang}")
    if local:
        return local
    return format_html('<span class="fallback" lang="en">{}</span>', english)


@register.simple_tag(takes_context=True)
def keep_date(context, url: str) -> str:
    """The URL with the page's as-of date carried over (`?at=` or `&at=`)."""
    at = context.get("at_param")
    if not at:
        return url
    return f"{url}{'&' if '?' in url else '?'}at={at}"


@register.simple_tag(takes_context=True)
def nav_items(context):
    """The menu: each section that exists, with whether the page is in it."""
    request = context.get("request")
    path = request.path if request else ""
    items = []
    for name, label in context.get("sections", []):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue  # a section not built yet stays out of the menu
        current = path == url if url == "/" else path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return items


@register.simple_tag(takes_context=True)
def officer_links(context, record):
    """What an officer can do with a record: its site edit page, the actions its app
    registered (records.pages), its history and admin form. None for everyone else."""
    request = context.get("request")
    if record is None or request is None or not is_secretariat(request.user):
        return None
    meta = record._meta
    try:
        edit = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        edit = None
    back = "?next=" + quote(request.get_full_path())
    site_edit = record_edit_url(record)
    return {
        "history": f"/history/{meta.app_label}.{meta.model_name}/{record.pk}/",
        "edit": edit,
        "site_edit": site_edit + back if site_edit else None,
        "actions": [
            type(a)(a.label, a.url + ("&" if "?" in a.url else "?") + back[1:])
            for a in record_actions(record)
        ],
    }


def _for_officers(context) -> bool:

    request = context.get("request")
    return request is not None and is_secretariat(request.user)


@register.simple_tag(takes_context=True)
def editorial_note(context, record):
    """The record's editorial note (how the sources were read, judgement calls), marked as
    the Secretariat's, for officers; nothing for anyone else, nor where there is none."""
    text = getattr(record, "editorial_note", "") if record is not None else ""
    if not text or not _for_officers(context):
        return ""
    return format_html(
        '<aside class="editorial-note"><strong>{}</strong> <span lang="en">{}</span></aside>',
        _("Editorial note (Secretariat only):"),
        text,
    )


@register.simple_tag(takes_context=True)
def variant_note(context, variant, before: str = " — "):
    """Why another source's value was not preferred: editorial by nature, so shown to
    officers only (after `before`), marked as theirs."""
    if not variant.note or not _for_officers(context):
        return ""
    return format_html(
        '{}<span class="editorial-note inline" title="{}">{}</span>',
        before,
        _("Editorial note (Secretariat only)"),
        variant.note,
    )
