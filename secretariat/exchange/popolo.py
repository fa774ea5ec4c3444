"""Popolo JSON export: the organization, its bodies, the states and organizations that
hold a standing with it, their memberships, the posts of chair and head of the
Secretariat with their holders, and the meetings, as one deterministic document.

The whole history up to `at` is exported; what begins after it is left out, and an
end that comes after it is not yet known on `at`, so it is left out too. Ids are
stable and readable ("actor/kazakhstan", "meeting/summit-6"), keys and lists are
sorted, so two exports of the same record are byte-identical and the importer
(popolo_import) can match every entity again.

Mapping (see https://www.popoloproject.com/specs/):
- organizations: the organization itself (id: its slug), its bodies ("body/<slug>",
  parent_id the parent body or the organization, classification the body's kind),
  and the actors ("actor/<slug>", classification "state" with ISO 3166 identifiers,
  or "international organization"); names in other languages as other_names with
  `lang` (an extension Popolo tolerates) and a note.
- memberships: statuses ("status/<actor>/<kind>/<start>", `member` the actor, role
  member, observer, partner, applicant or dialogue partner; an applicant's label says
  the status sought and the outcome), chairmanships ("chair/<actor>/<start>", role
  chair, post_id "post/chair", label "Chair (term)") and heads of the Secretariat
  ("head/<person>/<start>", role the post's title). `end_date` is the record's end:
  the first day the standing no longer held (for a chair, the handover day).
- events: meetings ("meeting/<key>", organization_id the body), dated by when they were
  held, else by the latest plan, with partial dates as ISO partial strings.
- sources: every source with a web address, as links; a source that stands for a record
  the user may not read is left out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any, BinaryIO

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils import timezone

from secretariat.accounts.policy import is_secretariat
from secretariat.bodies.models import Body, BodyEvent, Meeting, MeetingSchedule
from secretariat.bodies.selectors import meeting_status, meeting_title, meeting_when, meetings_qs
from secretariat.core.models import Organization, Source
from secretariat.core.partial_dates import PartialDate
from secretariat.core.prefetch import citations_of, cited
from secretariat.decisions.models import Procedure
from secretariat.decisions.selectors import readable as readable_procedures
from secretariat.documents.models import Document
from secretariat.documents.selectors import readable as readable_documents
from secretariat.registry.models import Actor, Chairmanship, SecretariatHead, Status

from .formats import Progress, no_progress

# Ids: a prefix per kind of record, then its natural key.
ACTOR, BODY, PERSON, MEETING = "actor/", "body/", "person/", "meeting/"
STATUS, CHAIR, HEAD = "status/", "chair/", "head/"
CHAIR_POST, HEAD_POST = "post/chair", "post/head-of-secretariat"

ORGANIZATION_CLASS = "intergovernmental organization"
STATE_CLASS = "state"
IO_CLASS = "international organization"
ISO2_SCHEME, ISO3_SCHEME = "ISO 3166-1 alpha-2", "ISO 3166-1 alpha-3"
ORDINAL_SCHEME = "ordinal"
LANGUAGES = {"en": "English", "ru": "Russian"}
ROLES = {kind: kind.replace("_", " ") for kind in Status.Kind.values}  # "dialogue partner"
HEAD_TITLES = {t.value: t.label for t in SecretariatHead.Title}


def export(
    stream: BinaryIO,
    *,
    at: dt.date | None = None,
    user=None,
    progress: Progress = no_progress,
) -> None:
    """Write the Popolo document of the record as of `at`, as `user` may read it."""
    stream.write(render(at=at, user=user, progress=progress))


def render(*, at: dt.date | None = None, user=None, progress: Progress = no_progress) -> bytes:
    """The Popolo document as UTF-8 JSON bytes (sorted keys, two-space indent)."""
    doc = PopoloExport(at=at or timezone.localdate(), user=user).document(progress)
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def began_after(date: PartialDate | None, at: dt.date) -> bool:
    """Certainly after `at`: a date whose window contains `at` may have begun by then."""
    return date is not None and date.earliest > at


def iso(date: PartialDate | None, at: dt.date) -> str | None:
    """A partial date as Popolo writes it, or None if it comes after `at`."""
    return None if date is None or began_after(date, at) else date.isoformat()


def other_names(record, *, short: bool = True) -> list[dict[str, str]]:
    """Names besides the English one, each with its language and what it is."""
    names = []
    for lang, language in LANGUAGES.items():
        full = getattr(record, f"name_{lang}", "")
        if full and lang != "en":
            names.append({"name": full, "lang": lang, "note": f"name in {language}"})
        abbreviation = getattr(record, f"short_name_{lang}", "") if short else ""
        if abbreviation:
            names.append({"name": abbreviation, "lang": lang, "note": f"short name in {language}"})
    return names


def compact(entity: dict[str, Any]) -> dict[str, Any]:
    """The entity without empty values: Popolo leaves out what is not known."""
    return {k: v for k, v in entity.items() if v not in (None, "", [], {})}


class PopoloExport:
    """Builds the document as of `at` for `user` (a few queries, whatever the record's size)."""

    def __init__(self, *, at: dt.date, user):
        self.at = at
        self.user = user
        self.hidden = hidden_sources(user)

    def links(self, record) -> list[dict[str, str]]:
        """The record's sources with a web address, from its prefetched citations."""
        found = {
            (c.source.url, c.source.title)
            for c in citations_of(record)
            if c.source.url and c.source.pk not in self.hidden
        }
        return [{"url": url, "note": title} for url, title in sorted(found)]

    def document(self, progress: Progress = no_progress) -> dict[str, list]:
        at = self.at
        total = 5
        organization = Organization.objects.prefetch_related(cited()).first()
        self.home = organization.slug if organization else None

        meetings = [
            m
            for m in meetings_qs().order_by("key")
            if (when := meeting_when(m)) is not None and not began_after(when.start, at)
        ]
        statuses = [
            s
            for s in Status.objects.select_related("actor").prefetch_related(cited())
            if not began_after(s.start, at)
        ]
        chairs = [
            c
            for c in Chairmanship.objects.select_related("actor").prefetch_related(cited())
            if not began_after(c.start, at)
        ]
        heads = [
            h
            for h in SecretariatHead.objects.select_related("person__nationality").prefetch_related(
                cited(), cited("person__")
            )
            if not began_after(h.start, at)
        ]
        progress(1, total)

        bodies = self._bodies(meetings)
        secretariat = next(
            (b for b in sorted(bodies, key=lambda b: b.slug) if b.kind == Body.Kind.SECRETARIAT),
            None,
        )
        self.head_org = BODY + secretariat.slug if secretariat else self.home
        organizations = [self._organization(organization)] if organization else []
        organizations += [self._body(b) for b in bodies]
        organizations += [self._actor(a) for a in self._actors(statuses, chairs, meetings, heads)]
        progress(2, total)

        memberships = [self._status(s) for s in statuses]
        memberships += [self._chair(c) for c in chairs]
        memberships += [self._head(h) for h in heads]
        posts = self._posts(chairs, heads)
        persons = {h.person.slug: self._person(h.person) for h in heads}
        progress(3, total)

        events = [self._event(m) for m in meetings]
        progress(4, total)
        doc = {
            "organizations": sorted(organizations, key=lambda o: o["id"]),
            "memberships": sorted(memberships, key=lambda m: m["id"]),
            "posts": sorted(posts, key=lambda p: p["id"]),
            "persons": [persons[slug] for slug in sorted(persons)],
            "events": sorted(events, key=lambda e: e["id"]),
        }
        progress(5, total)
        return doc

    # --- organizations ---------------------------------------------------------------

    def _organization(self, org: Organization) -> dict[str, Any]:
        return compact(
            {
                "id": org.slug,
                "name": org.name_en,
                "classification": ORGANIZATION_CLASS,
                "other_names": other_names(org),
                "founding_date": iso(org.founded, self.at),
                "description": org.note,
                "sources": self.links(org),
            }
        )

    def _bodies(self, meetings: list[Meeting]) -> list[Body]:
        """Bodies on record by `at` (none of their events all later), those whose meetings
        are exported, and their parents, so that every reference resolves."""
        everything = {
            b.pk: b
            for b in Body.objects.prefetch_related(
                cited(),
                Prefetch("events", queryset=BodyEvent.objects.order_by("date_date", "id")),
            )
        }
        wanted = {
            pk
            for pk, body in everything.items()
            if all(not began_after(e.date, self.at) for e in body.events.all()[:1])
        }
        wanted |= {m.body_id for m in meetings}
        for pk in list(wanted):
            while (parent := everything[pk].parent_id) is not None and parent not in wanted:
                wanted.add(parent)
                pk = parent
        return [everything[pk] for pk in sorted(wanted, key=lambda pk: everything[pk].slug)]

    def _body(self, body: Body) -> dict[str, Any]:
        past = [e for e in body.events.all() if not began_after(e.date, self.at)]
        established = [e.date for e in past if e.kind == BodyEvent.Kind.ESTABLISHED]
        dissolved = [e.date for e in past if e.kind == BodyEvent.Kind.DISSOLVED]
        parent = body.parent.slug if body.parent_id else None
        return compact(
            {
                "id": BODY + body.slug,
                "name": body.name_en,
                "classification": body.get_kind_display().lower(),
                "other_names": other_names(body),
                "parent_id": BODY + parent if parent else self.home,
                "founding_date": min(established).isoformat() if established else None,
                "dissolution_date": max(dissolved).isoformat() if dissolved else None,
                "description": body.note,
                "sources": self.links(body),
            }
        )

    def _actors(self, statuses, chairs, meetings, heads) -> list[Actor]:
        """Actors tied to the record by `at`; an actor whose every tie begins after it is
        left out, one with no ties at all is kept unless it came into being after `at`."""
        tied = {s.actor_id for s in statuses} | {c.actor_id for c in chairs}
        for m in meetings:
            when = meeting_when(m)
            tied |= {m.chair_id, when.country_id if when else None}
        tied |= {h.person.nationality_id for h in heads}
        ever = set(Status.objects.values_list("actor_id", flat=True))
        ever |= set(Chairmanship.objects.values_list("actor_id", flat=True))
        ever |= set(Meeting.objects.values_list("chair_id", flat=True))
        ever |= set(MeetingSchedule.objects.values_list("country_id", flat=True))
        actors = Actor.objects.prefetch_related(cited())
        return [
            a
            for a in actors.order_by("slug")
            if a.pk in tied or (a.pk not in ever and not began_after(a.exists_from, self.at))
        ]

    def _actor(self, actor: Actor) -> dict[str, Any]:
        identifiers = [
            {"scheme": scheme, "identifier": code}
            for scheme, code in ((ISO2_SCHEME, actor.iso2), (ISO3_SCHEME, actor.iso3))
            if code
        ]
        state = actor.kind == Actor.Kind.STATE
        return compact(
            {
                "id": ACTOR + actor.slug,
                "name": actor.name_en,
                "classification": STATE_CLASS if state else IO_CLASS,
                "identifiers": identifiers,
                "other_names": other_names(actor),
                "founding_date": iso(actor.exists_from, self.at),
                "dissolution_date": iso(actor.exists_until, self.at),
                "description": actor.note,
                "sources": self.links(actor),
            }
        )

    # --- memberships, posts, persons -------------------------------------------------

    def _status(self, status: Status) -> dict[str, Any]:
        label = status.get_kind_display()
        if status.kind == Status.Kind.APPLICANT:
            label = f"Applicant for {ROLES[status.applied_for]} status ({status.outcome})"
        start = status.start.isoformat()
        return compact(
            {
                "id": f"{STATUS}{status.actor.slug}/{status.kind}/{start}",
                "member": {"@type": "Organization", "id": ACTOR + status.actor.slug},
                "organization_id": self.home,
                "role": ROLES[status.kind],
                "label": label,
                "start_date": start,
                "end_date": iso(status.end, self.at),
                "sources": self.links(status),
            }
        )

    def _chair(self, term: Chairmanship) -> dict[str, Any]:
        start = term.start.isoformat()
        return compact(
            {
                "id": f"{CHAIR}{term.actor.slug}/{start}",
                "member": {"@type": "Organization", "id": ACTOR + term.actor.slug},
                "organization_id": self.home,
                "post_id": CHAIR_POST,
                "role": "chair",
                "label": f"Chair ({term.kind})",
                "start_date": start,
                "end_date": iso(term.end, self.at),
                "sources": self.links(term),
            }
        )

    def _head(self, term: SecretariatHead) -> dict[str, Any]:
        start = term.start.isoformat()
        return compact(
            {
                "id": f"{HEAD}{term.person.slug}/{start}",
                "person_id": PERSON + term.person.slug,
                "organization_id": self.head_org,
                "post_id": HEAD_POST,
                "role": HEAD_TITLES[term.title],
                "label": f"{HEAD_TITLES[term.title]} (head of the Secretariat)",
                "start_date": start,
                "end_date": iso(term.end, self.at),
                "sources": self.links(term),
            }
        )

    def _posts(self, chairs, heads) -> list[dict[str, Any]]:
        posts = []
        if chairs:
            posts.append(
                compact(
                    {"id": CHAIR_POST, "label": "Chair", "role": "chair",
                     "organization_id": self.home}
                )
            )  # fmt: skip
        if heads:
            titles = sorted({HEAD_TITLES[h.title] for h in heads})
            posts.append(
                compact(
                    {
                        "id": HEAD_POST,
                        "label": "Head of the Secretariat",
                        "other_label": titles,
                        "role": "head of the Secretariat",
                        "organization_id": self.head_org,
                    }
                )
            )
        return posts

    def _person(self, person) -> dict[str, Any]:
        return compact(
            {
                "id": PERSON + person.slug,
                "name": person.name_en,
                "other_names": other_names(person, short=False),
                "national_identity": person.nationality.name_en if person.nationality else None,
                "sources": self.links(person),
            }
        )

    # --- events ----------------------------------------------------------------------

    def _event(self, meeting: Meeting) -> dict[str, Any]:
        when = meeting_when(meeting)
        status = meeting_status(meeting)
        # A postponed meeting is shown by its latest plan: "planned" is what that says.
        status = "planned" if status == "postponed" else status
        identifiers = []
        if meeting.ordinal:
            identifiers.append({"scheme": ORDINAL_SCHEME, "identifier": str(meeting.ordinal)})
        return compact(
            {
                "id": MEETING + meeting.key,
                "name": meeting_title(meeting),
                "classification": "meeting" if meeting.formal else "informal meeting",
                "organization_id": BODY + meeting.body.slug,
                "start_date": when.start.isoformat(),
                "end_date": when.end.isoformat() if when.end else None,
                "location": location(when),
                "status": status,
                "identifiers": identifiers,
                "description": meeting.note,
                "sources": self.links(meeting),
            }
        )


def location(entry: MeetingSchedule) -> str | None:
    """The place as "City, Country", followed by "(online)" or "(hybrid)"; "online" alone
    when the meeting had no place."""
    country = entry.country.name_en if entry.country else ""
    place = ", ".join(p for p in (entry.city_en, country) if p)
    mode = entry.mode if entry.mode != MeetingSchedule.Mode.IN_PERSON else ""
    if not place:
        return mode or None
    return f"{place} ({mode})" if mode else place


def hidden_sources(user) -> set[int]:
    """Sources with a web address that stand for a record `user` may not read.

    Meetings are public records; a document or a procedure is read by the policy's rule;
    any other kind of record is the Secretariat's only, until a rule says otherwise.
    """
    if is_secretariat(user):
        return set()
    targeted: dict[type, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    rows = Source.objects.exclude(target_type__isnull=True).exclude(url="")
    for pk, type_id, target_id in rows.values_list("pk", "target_type_id", "target_id"):
        targeted[ContentType.objects.get_for_id(type_id).model_class()][target_id].append(pk)

    hidden: set[int] = set()
    for model, targets in targeted.items():
        if model is Meeting:
            continue
        if model is Document:
            readable = readable_documents(user).filter(pk__in=targets)
        elif model is Procedure:
            readable = readable_procedures(Procedure.objects.filter(pk__in=targets), user)
        else:
            readable = None
        seen = set(readable.values_list("pk", flat=True)) if readable is not None else set()
        hidden |= {pk for target, pks in targets.items() if target not in seen for pk in pks}
    return hidden
