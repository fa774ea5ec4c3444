"""The report composed from the record: `report_build` reads the period's records once
(record.py) and fills each section from those whose dated events fall in the period
(sections_*.py, one function per section). Statuses, ordinals, counts and progress come
from the apps' selectors; nothing here derives them again.

Every statement links to the pages of the records it rests on. Helpers for wording a
statement and its links live here, shared by the section modules.
"""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from secretariat.accounts.policy import may_read_restricted
from secretariat.bodies.selectors import meeting_title, meeting_when

from .gathered import gather
from .model import Audience, Item, Link, Period, Report, Section
from .wording import Say, day_text, localized, span_text

LANGUAGES = ("en", "ru")


class AudienceRefused(PermissionError):
    """The internal report was asked for by someone the policy does not let read it."""


def report_build(*, period: Period, audience: Audience, language: str, user=None) -> Report:
    """The report of `period` for `audience` in `language` ("en" or "ru").

    The public report reads as the anonymous user: nothing restricted appears. The internal
    one reads as `user`, who must be allowed restricted papers (accounts.policy); restricted
    statements are marked. The CLI passes policy.SYSTEM (its operator is trusted).
    """
    # cycle: the sections build statements with the helpers below
    from . import sections_governance, sections_programme, sections_relations

    audience = Audience(audience)
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    if audience == Audience.INTERNAL and not may_read_restricted(user):
        raise AudienceRefused(
            _(
                "The internal report includes restricted papers: only the Secretariat and "
                "delegates of member states may have it."
            )
        )
    with translation.override(language):
        gathered = gather(period=period, audience=audience, user=user)
        organization = gathered.organization
        short = localized(organization, "short_name")[0] if organization else ""
        sections = [
            sections_governance.chairs(gathered),
            sections_governance.meetings(gathered),
            sections_programme.transformation(gathered),
            sections_programme.founding(gathered),
            sections_programme.cbm(gathered),
            sections_programme.institutions(gathered),
            sections_governance.summit_outcomes(gathered),
            sections_programme.initiatives(gathered),
            sections_relations.treaties(gathered),
            sections_relations.expansion(gathered),
            sections_relations.other(gathered),
        ]
        return Report(
            title=_("Achievements %(years)s") % {"years": years_of(period)},
            organization=short,
            period=period,
            audience=audience,
            language=language,
            generated_on=timezone.localdate(),
            sections=sections,
        )


def years_of(period: Period) -> str:
    first, last = period.start.year, period.end.year
    return str(first) if first == last else f"{first}-{last}"


def section(key: str, title: str, items: list[Item], *, empty: str, charts=None) -> Section:
    """A section; `empty` is said when the period holds nothing for it."""
    return Section(key=key, title=title, items=items, charts=charts or [], empty_note=empty)


# A record's label inside a statement being worded stands as this token until the statement
# is made, so that the link knows exactly where its label stands in the text.
_TOKEN = re.compile("\ue000(\\d+)\ue001")


class Statement:
    """Words one statement: names in the report's language, the links to the records it
    rests on (each at the place its label stands), and what had to be said in English
    (see model.Item.fallbacks).

    The methods naming a record return a token to put in the text: `item()` puts the label
    back and notes where it stands.
    """

    def __init__(self):
        self.say = Say()
        self.links: list[tuple[str, str]] = []
        self.restricted = False

    def link(self, label: str, url: str) -> str:
        """A token for `label` linked to `url` (the same token for the same link)."""
        if not label:
            return label
        if (label, url) not in self.links:
            self.links.append((label, url))
        return f"\ue000{self.links.index((label, url))}\ue001"

    def name(self, obj, field: str = "name", *, url: str | None = None) -> str:
        label = self.say(obj, field)
        return self.link(label, url) if url and label else label

    def actor(self, actor) -> str:
        return self.name(actor, url=reverse("registry:actor", kwargs={"slug": actor.slug}))

    def body(self, body) -> str:
        return self.name(body, url=reverse("bodies:body", kwargs={"body_slug": body.slug}))

    def meeting(self, meeting) -> str:
        """The meeting's title (its recorded one in the report's language, else English)."""
        return self.link(
            meeting_label(meeting, self.say),
            reverse("bodies:meeting", kwargs={"key": meeting.key}),
        )

    def document(self, document, gathered=None) -> str:
        if gathered is not None and gathered.restricted(document):
            self.restricted = True
        return self.name(
            document, "title", url=reverse("documents:detail", kwargs={"key": document.key})
        )

    def initiative(self, initiative) -> str:
        url = reverse("initiatives:detail", kwargs={"slug": initiative.slug})
        return self.name(initiative, "title", url=url)

    def english(self, text: str) -> str:
        return self.say.english(text)

    def item(
        self,
        text: str,
        *,
        date: str | None = None,
        note: str = "",
        children=None,
        page: str | None = None,
    ) -> Item:
        """The statement; `page`: the record it is about, linked from the whole text when
        its words name no record of their own."""
        if note:
            self.say.english(note)  # notes are kept in English only
        words: list[str] = []
        length, at = 0, {}
        last = 0
        for match in _TOKEN.finditer(text):
            words.append(text[last : match.start()])
            length += match.start() - last
            index = int(match.group(1))
            at.setdefault(index, length)
            label = self.links[index][0]
            words.append(label)
            length += len(label)
            last = match.end()
        words.append(text[last:])
        plain = "".join(words)
        links = [Link(label, url, at.get(n, -1)) for n, (label, url) in enumerate(self.links)]
        if page and not links:
            links = [Link(plain, page, 0)]
        return Item(
            text=plain,
            date=date or None,
            links=links,
            restricted=self.restricted,
            children=list(children or []),
            note=note,
            fallbacks=self.say.take(),
        )


def meeting_label(meeting, say: Say | None = None) -> str:
    """The meeting's title in the report's language, else in English (marked via `say`)."""
    text, fell_back = localized(meeting, "title")
    if not text or fell_back:
        text = meeting_title(meeting)
        if say is not None:
            say.english(text)
    return text


def place(meeting) -> str:
    """Where the meeting was held (or is planned): its city, or "online"."""
    when = meeting_when(meeting)
    if when is None:
        return ""
    return place_of(when)


def place_of(entry) -> str:
    city = localized(entry, "city")[0]
    if city:
        return city
    if entry.mode == "online":
        return _("online")
    return ""


def when(meeting) -> str:
    """The days the meeting was held (or is planned for): "12-13 October 2022"."""
    entry = meeting_when(meeting)
    return span_text(entry.start, entry.end) if entry else ""


def event_day(date, meeting=None) -> str:
    """The date a statement about an event carries, at the precision the record holds it:
    the event's own date; or, when that is known only to the month or the year (or not at
    all) and the event took place at a meeting held on days within it, the meeting's days.

    "June 2021" at the Senior Officials Committee meeting held on 23 June 2021 is said
    "23 June 2021"; a statement never leaves its day to the title of the meeting it cites
    ("Senior Officials Committee meeting (June 2021)")."""
    if meeting is not None and (date is None or not date.is_exact):
        entry = meeting_when(meeting)
        if entry is not None and entry.kind == "held" and entry.start.is_exact:
            last = entry.end if entry.end is not None and entry.end.is_exact else entry.start
            inside = date is None or (
                date.earliest <= entry.start.earliest and last.latest <= date.latest
            )
            if inside:
                return span_text(entry.start, entry.end if last is entry.end else None)
    return day_text(date)


def meeting_phrase(st: Statement, meeting) -> str:
    """ "Sixth CICA Summit (Astana)": the meeting linked, with its place."""
    where = place(meeting)
    title = st.meeting(meeting)
    return f"{title} ({where})" if where and where not in meeting_label(meeting) else title


def date_of(date) -> str:
    return day_text(date)
