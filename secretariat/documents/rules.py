"""The rules a document write must obey, beside the lifecycle table.

The services call these before writing, and the admin forms call the same ones
to show a refusal on the form, so every entry point refuses the same things with
the same words (in the request's language: officers read them on the site's forms).
The transitions themselves live in `lifecycle`, and only there.
"""

from __future__ import annotations

import datetime as dt
import re

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from secretariat.core.models import Organization
from secretariat.core.partial_dates import PartialDate

from . import transitions
from .models import Document, DocumentEvent, DocumentVersion

K = DocumentEvent.Kind

# Events after which a version's text is on record as circulated or decided, so fixed.
LOCKING_KINDS = (K.CIRCULATED, K.AGREED, K.ADOPTED, K.ENDORSED, K.TOOK_NOTE, K.SIGNED,
                 K.RATIFIED, K.ENTERED_INTO_FORCE)  # fmt: skip
SYMBOL_FIELDS = ("org", "body", "type", "year", "seq")


# --- Versions --------------------------------------------------------------------------


def with_locked(versions: QuerySet[DocumentVersion]) -> QuerySet[DocumentVersion]:
    """Annotate `locked`: circulated or decided on (an event, or a consensus procedure)."""
    condition = Q(
        Exists(DocumentEvent.objects.filter(version=OuterRef("pk"), kind__in=LOCKING_KINDS))
    )
    if apps.is_installed("secretariat.decisions"):  # procedures on a version lock it too
        procedure = apps.get_model("decisions", "Procedure")
        condition |= Q(Exists(procedure.objects.filter(version=OuterRef("pk"))))
    return versions.annotate(locked=ExpressionWrapper(condition, output_field=BooleanField()))


def version_locked(version: DocumentVersion) -> bool:
    """True once the version was circulated or decided on."""
    if version.pk is None:
        return False
    return (
        with_locked(DocumentVersion.objects.filter(pk=version.pk))
        .values_list("locked", flat=True)
        .get()
    )


def check_version_open(version: DocumentVersion) -> None:
    """Refuse any change to a version that was circulated or adopted."""
    if version_locked(version):
        raise ValidationError(
            _("Version %(number)s was circulated/adopted and cannot change: make a new version.")
            % {"number": version.number},
            code="locked",
        )


def check_language(language: str) -> None:
    codes = [code for code, _ in settings.LANGUAGES]
    if language not in codes:
        raise ValidationError(
            {
                "language": _("'%(language)s' is not one of the languages kept: %(codes)s.")
                % {"language": language, "codes": ", ".join(codes)}
            }
        )


def check_new_text(version: DocumentVersion, language: str) -> None:
    """A version has one text per language, and a text is never replaced."""
    check_language(language)
    check_version_open(version)
    if version.texts.filter(language=language).exists():
        raise ValidationError(
            {
                "language": _(
                    "Version %(number)s already has its '%(language)s' text; a text is never "
                    "replaced: make a new version."
                )
                % {"number": version.number, "language": language}
            }
        )


# --- Lifecycle -------------------------------------------------------------------------


def check_event(event: DocumentEvent) -> None:
    """The document's lifecycle with this event in its place (added or changed) must hold."""
    document = event.document
    others = [e for e in document.events.all() if e.pk != event.pk or event.pk is None]
    transitions.check_sequence(document.type, [*others, event])
    if event.version_id and event.version.document_id != document.pk:
        raise ValidationError({"version": "That version belongs to another document."})
    if event.kind != K.CIRCULATED and event.deadline is not None:
        raise ValidationError({"deadline": "Only a circulation has a feedback deadline."})
    if event.deadline is not None and event.date and event.deadline < event.date.earliest:
        raise ValidationError(
            {"deadline": f"The deadline ({event.deadline}) comes before the circulation."}
        )


def check_type_change(document: Document, new_type: str) -> None:
    """A new type must fit the lifecycle on record (e.g. signed before agreed)."""
    if document.pk is not None and new_type != document.type:
        transitions.check_sequence(new_type, list(document.events.all()))


def check_circulation(*, version: DocumentVersion, date: PartialDate, deadline) -> None:
    if deadline is None:
        raise ValidationError({"deadline": _("A circulation for feedback needs a deadline.")})
    if deadline < date.earliest:
        raise ValidationError(
            {
                "deadline": _(
                    "The deadline (%(deadline)s) comes before the circulation (%(date)s)."
                )
                % {"deadline": deadline, "date": date}
            }
        )
    if version.pk is None:
        raise ValidationError({"version": _("Circulate a saved version.")})


def check_feedback(*, circulation: DocumentEvent, actor, received_on: dt.date, text, file):
    """Feedback answers a circulation addressed to the state, after it was made."""
    from .selectors import circulation_recipients  # cycle: selectors import rules

    if circulation.kind != K.CIRCULATED:
        raise ValidationError({"circulation": "Feedback answers a circulation."})
    if not (text or "").strip() and not file:
        raise ValidationError("Feedback needs its text or its file.")
    if received_on < circulation.date.earliest:
        raise ValidationError(
            {"received_on": f"Feedback cannot come before the circulation ({circulation.date})."}
        )
    if actor.pk not in {a.pk for a in circulation_recipients(circulation)}:
        raise ValidationError({"actor": f"{actor} was not among those the text was circulated to."})


# --- Symbols ---------------------------------------------------------------------------


def symbol_next(*, document_type: str, body=None, year: int) -> str:
    """The next symbol from the organization's pattern, e.g. "CICA/SOC/2021/3".

    {org} is the organization's short name, {body} the body's short name (else its
    slug in capitals), {type} the document type, {year} the year, and {seq} the next
    number among the symbols that share everything else. Lock the Organization row
    first when writing: two documents made at once must not get the same number.
    """
    organization = Organization.objects.first()
    if organization is None:
        raise ValidationError(
            {"symbol": _("Give a symbol: none can be made before the organization is recorded.")}
        )
    pattern = organization.symbol_pattern
    unknown = set(re.findall(r"{(\w*)}", pattern)) - set(SYMBOL_FIELDS)
    if unknown:
        raise ValidationError(
            {
                "symbol": _("The symbol pattern '%(pattern)s' has unknown parts: %(parts)s.")
                % {"pattern": pattern, "parts": sorted(unknown)}
            }
        )
    if "{body}" in pattern and body is None:
        raise ValidationError({"symbol": _("Give a symbol or a body: the pattern names the body.")})
    values = {
        "org": organization.short_name_en,
        "body": (body.short_name_en or body.slug.upper()) if body is not None else "",
        "type": document_type.upper().replace("_", "-"),
        "year": str(year),
    }
    head, seq, tail = pattern.partition("{seq}")
    try:
        prefix, suffix = head.format(**values), tail.format(**values)
    except (KeyError, ValueError, IndexError):
        raise ValidationError(
            {
                "symbol": _(
                    "The symbol pattern '%(pattern)s' cannot be used: fix it or give a symbol."
                )
                % {"pattern": pattern}
            }
        ) from None
    if not seq:
        return prefix
    numbers = [0]
    taken = Document.objects.filter(symbol__startswith=prefix, symbol__endswith=suffix)
    for symbol in taken.values_list("symbol", flat=True):
        middle = symbol[len(prefix) : len(symbol) - len(suffix)]
        if middle.isdigit():
            numbers.append(int(middle))
    return f"{prefix}{max(numbers) + 1}{suffix}"


def key_for(symbol: str) -> str:
    """A document's stable key made from its symbol ("CICA/SOC/2021/3" -> "cica-soc-2021-3")."""
    key = re.sub(r"[^a-z0-9]+", "-", slugify(symbol.replace("/", "-")))[:120].strip("-")
    if not key:
        raise ValidationError(
            {
                "key": _("No key can be made from the symbol '%(symbol)s': give one.")
                % {"symbol": symbol}
            }
        )
    return key


# --- Official texts published elsewhere ------------------------------------------------


def check_no_official_text(document: Document) -> None:
    """A finding that no official text was published is refused while one is on record."""
    if document.pk is not None and document.official_texts.exists():
        raise ValidationError(
            {"document": _("This document has a published official text on record.")},
            code="text_found",
        )
