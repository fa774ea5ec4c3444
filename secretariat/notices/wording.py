"""What a notice says, in the active language: its title (the mail's subject) and text.

Called inside `translation.override(<reader's language>)`. It speaks about the
organization (the document, the body, the deadline, the outcome), never names the
states that objected (who sees positions is the procedure's own rule, on its page),
and ends with what the reader can do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from secretariat.core.models import Organization
from secretariat.core.partial_dates import PartialDate

from .models import Notice
from .subjects import CirculationSubject, ProcedureSubject, Subject

K = Notice.Kind


@dataclass(frozen=True)
class Wording:
    title: str
    text: str


def name(obj, field: str = "name") -> str:
    """A record's name in the active language, the English one where it has none."""
    if obj is None:
        return ""
    lang = (get_language() or "en")[:2]
    return getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_en", "") or str(obj)


def organization() -> str:
    org = Organization.objects.first()
    return name(org, "short_name") if org else ""


def day(value: dt.date | PartialDate | None) -> str:
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        if value.precision == "year":
            return str(value.year)
        if value.precision == "month":
            return date_format(value.earliest, "YEAR_MONTH_FORMAT")
        value = value.earliest
    return date_format(value, "DATE_FORMAT")


def moment(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    zone = timezone.get_current_timezone_name()
    return f"{date_format(local, 'DATE_FORMAT')}, {local:%H:%M} ({zone})"


def document_name(document) -> str:
    title = name(document, "title")
    return f"{document.symbol} «{title}»" if document.symbol else f"«{title}»"


def meeting_name(meeting) -> str:
    return name(meeting, "title") or meeting.key


def word(notice: Notice, subject: Subject, *, own_state=None) -> Wording:
    """The notice's title and text; `own_state` names the reader's state where it is told
    for its state's sake."""
    kind = notice.kind
    if isinstance(subject, ProcedureSubject):
        return _procedure(notice, subject, own_state)
    if isinstance(subject, CirculationSubject):
        return _circulation(notice, subject, own_state)
    if kind in (K.MEETING_SCHEDULED, K.MEETING_MOVED, K.MEETING_CANCELLED):
        return _meeting(notice, subject)
    return _document(subject)


def _state_line(own_state, text: str) -> list[str]:
    return [text % {"state": name(own_state)}] if own_state is not None else []


def _circulation(notice: Notice, subject: CirculationSubject, own_state) -> Wording:
    event = subject.event
    doc = document_name(subject.document)
    deadline = day(event.deadline)
    if notice.kind == K.REMINDER:
        title = _("Reminder: feedback on %(doc)s is due by %(deadline)s")
        lines = [
            _("Feedback on %(doc)s, version %(n)s, is due by %(deadline)s.")
            % {
                "doc": doc,
                "n": event.version.number if event.version else "",
                "deadline": deadline,
            },
            *_state_line(own_state, _("%(state)s has not sent its feedback yet.")),
        ]
    else:
        title = _("For feedback by %(deadline)s: %(doc)s")
        body = name(subject.body) or organization()
        lines = [
            _("%(doc)s, version %(n)s, was circulated by %(body)s for feedback by %(deadline)s.")
            % {
                "doc": doc,
                "n": event.version.number if event.version else "",
                "body": body,
                "deadline": deadline,
            },
            *_state_line(own_state, _("It was circulated to %(state)s.")),
        ]
        if event.note:
            lines.append(event.note)
    return Wording(title % {"doc": doc, "deadline": deadline}, "\n\n".join(lines))


def _procedure(notice: Notice, subject: ProcedureSubject, own_state) -> Wording:
    procedure = subject.procedure
    doc = document_name(subject.document)
    body = name(subject.body)
    deadline = moment(procedure.deadline)
    silence = procedure.kind == procedure.Kind.SILENCE
    meeting = meeting_name(procedure.meeting) if procedure.meeting else ""
    if notice.kind == K.PROCEDURE_CLOSED:
        return _closed(subject, doc, silence, meeting)
    if notice.kind == K.REMINDER:
        left = notice.days_before or 0
        if notice.unmissable:
            title = _("Last reminder: %(doc)s, positions by %(deadline)s")
        else:
            title = ngettext(
                "Reminder: %(count)d day left on %(doc)s",
                "Reminder: %(count)d days left on %(doc)s",
                left,
            )
        lines = [
            *_state_line(own_state, _("%(state)s has not stated its position yet.")),
            _("The deadline is %(deadline)s.") % {"deadline": deadline},
        ]
        if silence:
            lines.append(
                _("Without an objection by then, the draft is adopted: silence means consent.")
            )
        return Wording(
            title % {"doc": doc, "deadline": deadline, "count": left}, "\n\n".join(lines)
        )
    number = procedure.version.number
    if silence:
        title = _("Silence procedure on %(doc)s: objections by %(deadline)s")
        lines = [
            _("%(body)s put %(doc)s, version %(n)s, to a silence procedure.")
            % {"body": body, "doc": doc, "n": number},
            _(
                "If no member state objects by %(deadline)s, it is adopted: silence means "
                "consent. One objection ends the procedure, and the draft is not adopted."
            )
            % {"deadline": deadline},
        ]
    else:
        title = _("For decision at %(meeting)s: %(doc)s")
        lines = [
            _("%(body)s will decide on %(doc)s, version %(n)s, by consensus at %(meeting)s.")
            % {"body": body, "doc": doc, "n": number, "meeting": meeting},
            _("One standing objection blocks consensus."),
        ]
    lines += _state_line(own_state, _("%(state)s may state its position on the procedure's page."))
    return Wording(
        title % {"doc": doc, "deadline": deadline, "meeting": meeting}, "\n\n".join(lines)
    )


def _closed(subject: ProcedureSubject, doc: str, silence: bool, meeting: str) -> Wording:
    state = subject.state()
    verdict = state.verdict
    objections = len({p.actor_id for p in state.positions if p.kind == "objection"
                      and state.eligibility.is_eligible(p.actor_id)})  # fmt: skip
    when = moment(verdict.since)
    if verdict.state == "adopted":
        title = _("Adopted: %(doc)s") % {"doc": doc}
        text = (
            _(
                "The silence procedure on %(doc)s ended on %(when)s without objection: "
                "it is adopted."
            )
            if silence
            else _("At %(meeting)s, %(doc)s was adopted by consensus.")
        )
    else:
        title = _("Not adopted: %(doc)s") % {"doc": doc}
        text = (
            ngettext(
                "The silence procedure on %(doc)s ended on %(when)s: %(count)d objection "
                "was raised, and it is not adopted.",
                "The silence procedure on %(doc)s ended on %(when)s: %(count)d objections "
                "were raised, and it is not adopted.",
                objections,
            )
            if silence
            else ngettext(
                "At %(meeting)s, consensus on %(doc)s was blocked by %(count)d objection.",
                "At %(meeting)s, consensus on %(doc)s was blocked by %(count)d objections.",
                objections,
            )
        )
    text %= {"doc": doc, "when": when, "meeting": meeting, "count": objections}
    return Wording(title, text)


def _place(entry) -> str:
    parts = [name(entry, "city") if entry.city_en else "", name(entry.country)]
    place = ", ".join(p for p in parts if p)
    if entry.mode == "online":
        return _("online")
    if entry.mode == "hybrid":
        return _("%(place)s and online") % {"place": place} if place else _("online and in person")
    return place


def _dates(entry) -> str:
    if entry.end and entry.end != entry.start:
        return f"{day(entry.start)} – {day(entry.end)}"
    return day(entry.start)


def _meeting(notice: Notice, subject: Subject) -> Wording:
    entry = subject.record
    meeting = meeting_name(entry.meeting)
    values = {"meeting": meeting, "dates": _dates(entry), "place": _place(entry),
              "body": name(subject.body)}  # fmt: skip
    if notice.kind == K.MEETING_CANCELLED:
        title = _("Cancelled: %(meeting)s")
        text = _("%(meeting)s of %(body)s, planned for %(dates)s, is cancelled.")
    elif notice.kind == K.MEETING_MOVED:
        title = _("Moved: %(meeting)s, now %(dates)s")
        text = _("%(meeting)s of %(body)s is now planned for %(dates)s")
        text += (", " + _("in %(place)s") if values["place"] else "") + "."
    else:
        title = _("Scheduled: %(meeting)s, %(dates)s")
        text = _("%(meeting)s of %(body)s is scheduled for %(dates)s")
        text += (", " + _("in %(place)s") if values["place"] else "") + "."
    return Wording(title % values, text % values)


def _document(subject: Subject) -> Wording:
    document = subject.document
    doc = document_name(document)
    body = name(subject.body)
    title = _("New document of %(body)s: %(doc)s") % {"body": body, "doc": doc}
    text = _("%(doc)s is now on record.") % {"doc": doc}
    return Wording(title, text)
