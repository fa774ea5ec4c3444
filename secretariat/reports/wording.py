"""How a report says things in its language: dates, names and titles (in the record's
Russian where it has one, else in English, marked), and the labels of kinds and statuses.

Everything here reads the active language: the composer runs inside
`translation.override(report.language)`.
"""

from __future__ import annotations

from django.utils import dateformat
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy

from secretariat.core.partial_dates import PartialDate, Precision


def lang() -> str:
    return (get_language() or "en")[:2]


def day_text(date: PartialDate | None) -> str:
    """ "2021", "June 2021", "15 June 2021" in the active language ("15 июня 2021")."""
    if date is None:
        return ""
    if date.precision == Precision.DAY:
        return dateformat.format(date.earliest, "j E Y")
    if date.precision == Precision.MONTH:
        text = dateformat.format(date.earliest, "F Y")
        return text.lower() if lang() == "ru" else text  # "сентябрь 2024" inside a sentence
    return str(date.year)


def span_text(start: PartialDate | None, end: PartialDate | None) -> str:
    """ "12-13 October 2022", "28 August 2024", "30 June - 2 July 2024"."""
    if start is None:
        return ""
    if end is None or end == start:
        return day_text(start)
    if start.precision == end.precision == Precision.DAY and start.year == end.year:
        if start.month == end.month:
            return f"{start.day}-{day_text(end)}"
        return f"{dateformat.format(start.earliest, 'j E')} - {day_text(end)}"
    return f"{day_text(start)} - {day_text(end)}"


def _get(obj, name: str):
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def localized(obj, field: str = "name") -> tuple[str, bool]:
    """`obj.<field>_<lang>`, else the English one; and whether it fell back to English."""
    english = _get(obj, f"{field}_en") or _get(obj, field) or ""
    code = lang()
    if code == "en":
        return english, False
    local = _get(obj, f"{field}_{code}")
    return (local, False) if local else (english, bool(english))


class Say:
    """Collects, while one statement is worded, what had to be said in English."""

    def __init__(self):
        self.fallbacks: list[str] = []

    def __call__(self, obj, field: str = "name") -> str:
        text, fell_back = localized(obj, field)
        if fell_back:
            self.english(text)
        return text

    def english(self, text: str) -> str:
        """Marks text given in English in another language's report; returns it."""
        if text and lang() != "en" and text not in self.fallbacks:
            self.fallbacks.append(text)
        return text

    def take(self) -> list[str]:
        taken, self.fallbacks = self.fallbacks, []
        return taken


# --- Labels --------------------------------------------------------------------------

DOCUMENT_EVENTS = {
    "drafted": pgettext_lazy("document event", "drafted"),
    "circulated": pgettext_lazy("document event", "circulated to the member states"),
    "feedback_received": pgettext_lazy("document event", "feedback received"),
    "agreed": pgettext_lazy("document event", "agreed"),
    "adopted": pgettext_lazy("document event", "adopted"),
    "endorsed": pgettext_lazy("document event", "endorsed"),
    "took_note": pgettext_lazy("document event", "taken note of"),
    "signed": pgettext_lazy("document event", "signed"),
    "ratified": pgettext_lazy("document event", "ratified"),
    "entered_into_force": pgettext_lazy("document event", "entered into force"),
    "superseded": pgettext_lazy("document event", "superseded"),
    "withdrawn": pgettext_lazy("document event", "withdrawn"),
}
# Events that decide something (the rest record work on a draft).
DECISIVE_EVENTS = ("agreed", "adopted", "endorsed", "signed", "ratified", "entered_into_force")

BODY_EVENTS = {
    "proposed": pgettext_lazy("body event", "proposed"),
    "initiated": pgettext_lazy("body event", "initiated"),
    "established": pgettext_lazy("body event", "established"),
    "transformed": pgettext_lazy("body event", "transformed"),
    "membership_pending": pgettext_lazy("body event", "membership pending"),
    "operational": pgettext_lazy("body event", "operational"),
    "suspended": pgettext_lazy("body event", "suspended"),
    "dissolved": pgettext_lazy("body event", "dissolved"),
}

INITIATIVE_STATUSES = {
    "proposed": pgettext_lazy("initiative status", "proposed"),
    "under_discussion": pgettext_lazy("initiative status", "under discussion"),
    "concept_circulated": pgettext_lazy("initiative status", "concept circulated"),
    "draft_agreed": pgettext_lazy("initiative status", "draft agreed"),
    "adopted": pgettext_lazy("initiative status", "adopted"),
    "established": pgettext_lazy("initiative status", "established"),
    "closed": pgettext_lazy("initiative status", "closed"),
    "dropped": pgettext_lazy("initiative status", "dropped"),
}

PARTNERSHIP_STAGES = {
    "contacts": pgettext_lazy("partnership", "contacts established"),
    "partnership_approved": pgettext_lazy("partnership", "establishing a partnership approved"),
    "mou_under_consideration": pgettext_lazy("partnership", "MoU under consideration"),
    "mou_approved": pgettext_lazy("partnership", "MoU approved"),
    "mou_signed": pgettext_lazy("partnership", "MoU signed"),
    "partner": pgettext_lazy("partnership", "partnership established"),
    "dialogue": pgettext_lazy("partnership", "dialogue"),
    "suspended": pgettext_lazy("partnership", "suspended"),
    "ended": pgettext_lazy("partnership", "ended"),
}

STATUS_KINDS = {
    "member": gettext_lazy("Member State"),
    "observer": gettext_lazy("Observer"),
    "partner": gettext_lazy("Partner Organization"),
    "applicant": gettext_lazy("Applicant"),
    "dialogue_partner": gettext_lazy("Dialogue partner"),
}
APPLICATION_OUTCOMES = {
    "pending": pgettext_lazy("application", "pending"),
    "granted": pgettext_lazy("application", "granted"),
    "withdrawn": pgettext_lazy("application", "withdrawn"),
    "rejected": pgettext_lazy("application", "rejected"),
}

STEP_STATUSES = {
    "pending": pgettext_lazy("step status", "pending"),
    "in_progress": pgettext_lazy("step status", "in progress"),
    "done": pgettext_lazy("step status", "done"),
    "dropped": pgettext_lazy("step status", "dropped"),
}

TREATY_ACTIONS = {
    "signature": pgettext_lazy("treaty action", "signature"),
    "signature_withdrawal": pgettext_lazy("treaty action", "withdrawal of signature"),
    "ratification": pgettext_lazy("treaty action", "ratification"),
    "acceptance": pgettext_lazy("treaty action", "acceptance"),
    "approval": pgettext_lazy("treaty action", "approval"),
    "accession": pgettext_lazy("treaty action", "accession"),
    "succession": pgettext_lazy("treaty action", "succession"),
    "reservation": pgettext_lazy("treaty action", "reservation"),
    "declaration": pgettext_lazy("treaty action", "declaration"),
    "objection": pgettext_lazy("treaty action", "objection"),
    "reservation_withdrawal": pgettext_lazy("treaty action", "withdrawal of a reservation"),
    "denunciation": pgettext_lazy("treaty action", "denunciation"),
}

# "10 signed and ratified": the figures a source reports, and the same computed.
METRICS = {
    "signatories": gettext_lazy("%(n)s signatories"),
    "parties": gettext_lazy("%(n)s parties"),
    "signed_and_ratified": gettext_lazy("%(n)s Member States signed and ratified"),
    "signed_not_ratified": gettext_lazy("%(n)s Member States signed but not ratified"),
    "instruments_required": gettext_lazy("%(n)s more ratifications required for entry into force"),
}

CHAIR_TERMS = {
    "term": pgettext_lazy("chairmanship", "Term"),
    "extension": pgettext_lazy("chairmanship", "Extension"),
    "renewal": pgettext_lazy("chairmanship", "Renewal"),
}
HEAD_TITLES = {
    "executive_director": gettext_lazy("Executive Director"),
    "secretary_general": gettext_lazy("Secretary General"),
}
CBM_EVENT_KINDS = {
    "conference": pgettext_lazy("CBM event", "conference"),
    "seminar": pgettext_lazy("CBM event", "seminar"),
    "workshop": pgettext_lazy("CBM event", "workshop"),
    "training": pgettext_lazy("CBM event", "training"),
    "other": pgettext_lazy("CBM event", "event"),
}
