"""The vocabulary of a Popolo document: its collections, properties, the roles, titles
and classifications the importer understands, how an entity is told and where it was
found (Item, as a JSON pointer), and the small readings of its words (slugs, role names,
types named in refusals). The rest of the package maps what is read onto the records.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.core.validators import URLValidator

from secretariat.registry.models import Status

from .. import popolo as P
from ..safe import pointer

# Top-level collections, by the kind of entity they hold.
COLLECTIONS = {
    "organizations": "organization",
    "persons": "person",
    "memberships": "membership",
    "posts": "post",
    "events": "event",
    "areas": "area",
    "motions": "motion",
    "vote_events": "vote_event",
    "speeches": "speech",
    "votes": "vote",
    "counts": "count",
}
KEPT = {"organization", "person", "membership", "post", "event"}
_COMMON = {"id", "created_at", "updated_at", "sources"}
# The properties of each kind in the Popolo schemas: a single entity is told by them.
PROPERTIES = {
    "person": _COMMON | {
        "name", "other_names", "identifiers", "family_name", "given_name", "additional_name",
        "honorific_prefix", "honorific_suffix", "patronymic_name", "sort_name", "email", "gender",
        "pronouns", "birth_date", "death_date", "image", "summary", "biography",
        "national_identity", "contact_details", "links", "memberships", "motions", "speeches",
        "votes",
    },
    "organization": _COMMON | {
        "name", "other_names", "identifiers", "classification", "parent_id", "parent", "area_id",
        "area", "abstract", "description", "founding_date", "dissolution_date", "image",
        "contact_details", "links", "memberships", "posts", "motions", "vote_events", "votes",
        "children",
    },
    "membership": _COMMON | {
        "label", "role", "member", "person_id", "person", "organization_id", "organization",
        "post_id", "post", "on_behalf_of_id", "on_behalf_of", "area_id", "area", "start_date",
        "end_date", "contact_details", "links",
    },
    "post": _COMMON | {
        "label", "other_label", "role", "organization_id", "organization", "area_id", "area",
        "start_date", "end_date", "contact_details", "links", "memberships",
    },
    "event": _COMMON | {
        "name", "description", "start_date", "end_date", "location", "status", "identifiers",
        "classification", "organization_id", "organization", "attendees", "parent_id", "parent",
        "children",
    },
    "area": _COMMON | {
        "name", "identifier", "classification", "parent_id", "parent", "geometry", "children",
        "memberships", "organizations", "posts",
    },
    "motion": _COMMON | {
        "organization_id", "organization", "legislative_session_id", "legislative_session",
        "creator_id", "creator", "text", "identifier", "classification", "date", "requirement",
        "result", "vote_events",
    },
    "vote_event": _COMMON | {
        "identifier", "motion_id", "motion", "start_date", "end_date", "result",
        "organization_id", "organization", "legislative_session_id", "legislative_session",
        "group_results", "counts", "votes", "classification",
    },
    "speech": _COMMON | {
        "creator_id", "creator", "role", "attribution_text", "audience_id", "audience", "text",
        "audio", "video", "date", "title", "type", "position", "event_id", "event",
    },
    "vote": {"id", "vote_event_id", "vote_event", "voter_id", "voter", "option", "group_id",
             "group", "role", "weight", "pair_id", "pair"},
    "count": {"option", "value", "group_id", "group"},
    "contact_detail": {"label", "type", "value", "note", "valid_from", "valid_until",
                       "created_at", "updated_at", "sources"},
}  # fmt: skip
# Embedded lists: (kind of their items, the field of an item naming its holder).
EMBEDDED_LISTS = {
    "organization": {
        "memberships": ("membership", "organization_id"),
        "posts": ("post", "organization_id"),
        "children": ("organization", "parent_id"),
        "motions": ("motion", None),
        "vote_events": ("vote_event", None),
        "votes": ("vote", None),
    },
    "person": {
        "memberships": ("membership", "person_id"),
        "motions": ("motion", None),
        "speeches": ("speech", None),
        "votes": ("vote", None),
    },
    "post": {"memberships": ("membership", "post_id")},
    "event": {"children": ("event", "parent_id")},
}
# Embedded single entities: (their kind, the holder's field that names them).
EMBEDDED_ONE = {
    "organization": {"parent": ("organization", "parent_id")},
    "membership": {
        "organization": ("organization", "organization_id"),
        "person": ("person", "person_id"),
        "post": ("post", "post_id"),
        "on_behalf_of": ("organization", "on_behalf_of_id"),
    },
    "post": {"organization": ("organization", "organization_id")},
    "event": {
        "organization": ("organization", "organization_id"),
        "parent": ("event", "parent_id"),
    },
}
# Properties we read, by kind; any other one present is reported as not kept.
READ = {
    "organization": {"id", "name", "other_names", "identifiers", "classification", "parent_id",
                     "founding_date", "dissolution_date", "description", "sources", "created_at",
                     "updated_at"},
    "person": {"id", "name", "other_names", "national_identity", "sources", "created_at",
               "updated_at"},
    "membership": {"id", "label", "role", "member", "person_id", "organization_id", "post_id",
                   "start_date", "end_date", "sources", "created_at", "updated_at"},
    "event": {"id", "name", "description", "start_date", "end_date", "location", "status",
              "identifiers", "classification", "organization_id", "sources", "created_at",
              "updated_at"},
}  # fmt: skip
STATE_CLASSES = {"state", "country", "nation", "nation state", "sovereign state", "member state"}
ROLE_KINDS = {
    "member": Status.Kind.MEMBER,
    "member state": Status.Kind.MEMBER,
    "observer": Status.Kind.OBSERVER,
    "observer state": Status.Kind.OBSERVER,
    "partner": Status.Kind.PARTNER,
    "partner organization": Status.Kind.PARTNER,
    "applicant": Status.Kind.APPLICANT,
    "dialogue partner": Status.Kind.DIALOGUE_PARTNER,
}
CHAIR_ROLES = {"chair", "chairman", "chairmanship", "chairing state", "chairperson"}
HEAD_TITLES = {label.lower(): value for value, label in P.HEAD_TITLES.items()}
HEAD_LABELS = {"head of the secretariat", "head of secretariat", *HEAD_TITLES}
_APPLICANT = re.compile(
    r"applicant for (?P<kind>[a-z ]+?) status(?: \((?P<outcome>[a-z]+)\))?", re.IGNORECASE
)
_DATE = re.compile(r"^(\d{4}(?:-\d{2}){0,2})(T[0-9:.]+(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$")
_SLUG_PART = re.compile(r"[^a-z0-9]+")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_URL = URLValidator()


def sniff(data: Any) -> bool:
    """Whether parsed JSON reads as Popolo: an object with any of the collections, or a
    single Popolo entity (an organization, a person, a membership, an event...)."""
    if not isinstance(data, dict):
        return False
    if any(isinstance(data.get(key), list) for key in COLLECTIONS):
        return True
    return entity_kind(data) is not None


def entity_kind(data: dict) -> str | None:
    """The kind of a single entity, by the properties it has (None if not Popolo).

    Every property must belong to the kind; where several kinds fit, the one a
    reader would take first wins (a bare {id, name} is a person, as in the
    specification's own examples), looking into memberships to tell a person's
    from an organization's.
    """
    keys = set(data) - {"@type"}
    if not keys or keys == {"id"}:
        return None
    if keys <= set(COLLECTIONS):
        return None  # a document of collections (perhaps a malformed one), not an entity
    typed = str(data.get("@type", "")).lower()
    fits = [kind for kind, props in PROPERTIES.items() if keys <= props]
    if typed in fits:
        return typed
    if "person" in fits and "organization" in fits and isinstance(data.get("memberships"), list):
        holders = {k for m in data["memberships"] if isinstance(m, dict) for k in m}
        if holders & {"person_id", "person", "member"}:
            return "organization"
    return fits[0] if fits else None


@dataclass
class Item:
    """One entity of the file, where it was found, and whether it stood at the top level
    of a collection (then a second one with its id is a duplicate) or was embedded."""

    kind: str
    data: dict
    where: tuple
    top: bool

    def at(self, *more: str | int) -> str:
        return pointer(*self.where, *more)

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) and value else None


class Skip(Exception):
    """The record cannot be kept, and that is not an error: noted and passed over."""


# Model fields -> the Popolo property a refusal points at.
FIELDS = {
    "name_en": "name",
    "title_en": "name",
    "name_ru": "other_names",
    "short_name_en": "other_names",
    "short_name_ru": "other_names",
    "iso2": "identifiers",
    "iso3": "identifiers",
    "ordinal": "identifiers",
    "exists_from": "founding_date",
    "founded": "founding_date",
    "exists_until": "dissolution_date",
    "start": "start_date",
    "start_date": "start_date",
    "end": "end_date",
    "end_date": "end_date",
    "actor": "member",
    "kind": "role",
    "applied_for": "label",
    "outcome": "label",
    "title": "role",
    "parent": "parent_id",
    "body": "organization_id",
    "city_en": "location",
    "note": "description",
}


def _in(value: Any, names: set[str]) -> bool:
    return isinstance(value, str) and value in names


def _words(text: str | None) -> str:
    """A role or a title compared as words: "Secretary-General" is "secretary general"."""
    return " ".join(re.split(r"[\s_-]+", (text or "").lower())).strip()


def _strings(value: Any) -> list[str]:
    return [x for x in value if isinstance(x, str)] if isinstance(value, list) else []


def _plural(kind: str) -> str:
    words = kind.replace("_", " ")
    return f"{words}es" if words.endswith("ch") else f"{words}s"


def _type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number"}
    return "null" if value is None else names.get(type(value), "a number")


def _slug(text: str, *, limit: int = 80) -> str:
    """A slug from any id: lowercase letters and digits with single dashes, cut to
    `limit` with a digest of the whole so that long ids stay distinct."""
    slug = _SLUG_PART.sub("-", text.lower()).strip("-")
    if not slug or len(slug) > limit:
        digest = hashlib.sha256(text.encode()).hexdigest()[:10]
        slug = f"{slug[: limit - 11].strip('-')}-{digest}".strip("-")
    return slug


def _slug_for(item: Item, prefix: str) -> str:
    """The slug an entity is kept under: our own ids keep their slug; others are slugged."""
    raw = item.id or str(item.data.get("name") or "")
    if prefix and raw.startswith(prefix):
        rest = raw[len(prefix) :]
        if rest and _slug(rest) == rest:
            return rest
    return _slug(raw)
