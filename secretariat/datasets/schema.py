"""The declared shape of every dataset file (data/README.md): its fields, their types and
which are required, checked before anything is saved.

Each file is validated as a whole with pydantic in strict mode, so a number, a boolean, a
list or a mapping where a name is expected is refused, never turned into text; unknown
fields are refused; dates are quoted partial dates that exist; keys and slugs match their
pattern; choices are the models' own. A refusal names the file, the line and the field
(`refusal`). What a single record cannot tell (a reference to another record, a status
that overlaps another, a lifecycle that moves backwards) stays with the loader and the
services.
"""

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from secretariat.bodies import models as bodies
from secretariat.checklists.models import NextStep
from secretariat.core.models import AccessLevel, slug_validator
from secretariat.core.partial_dates import PartialDate
from secretariat.documents import models as documents
from secretariat.figures.models import SUBJECT_MEASURES, Measure
from secretariat.initiatives import models as initiatives
from secretariat.programme import models as programme
from secretariat.registry import models as registry
from secretariat.treaties import models as treaties

from .yamlfile import DatasetError, Entry, Items, UnquotedDate

MAX_COUNT = 2**31 - 1  # the database's integer
MAX_AMOUNT = Decimal(10) ** 12  # the contribution column holds 14 digits, 2 after the point
KEY = re.compile(slug_validator.regex.pattern)

# --- value types ---------------------------------------------------------------------
# Custom errors carry a predicate ("must be a key ...") that `refusal` puts after the
# field's name; the types in WRONG_TYPE also say what was found instead.


def _text(value: object) -> str:
    if not isinstance(value, str) or isinstance(value, UnquotedDate):
        raise PydanticCustomError("string_type", "must be text")
    return value


def _key(value: object) -> str:
    if not isinstance(value, str) or isinstance(value, UnquotedDate):
        raise PydanticCustomError("key_type", "must be a key")
    if not KEY.match(value):
        raise PydanticCustomError(
            "key_pattern",
            "is '{value}', not a key: lowercase letters, digits and single dashes, "
            "e.g. 'saudi-arabia'",
            {"value": value},
        )
    return value


def _date(value: object) -> str:
    if not isinstance(value, str) or isinstance(value, UnquotedDate):
        raise PydanticCustomError(
            "date_type", 'must be a quoted date: "2021", "2021-06" or "2021-06-15"'
        )
    try:
        PartialDate.parse(value)
    except DjangoValidationError as exc:
        raise PydanticCustomError("date_value", " ".join(exc.messages)) from None
    return value


def _full_date(value: object) -> str:
    if not PartialDate.parse(_date(value)).is_exact:
        raise PydanticCustomError("full_date", "must be a full date (YYYY-MM-DD)")
    return value


def _choice(values: Iterable[str]):
    allowed = list(values)

    def check(value: object) -> str:
        if not isinstance(value, str) or isinstance(value, UnquotedDate):
            raise PydanticCustomError("string_type", "must be text")
        if value not in allowed:
            raise PydanticCustomError(
                "choice",
                "is '{value}'; it must be one of: {allowed}",
                {"value": value, "allowed": ", ".join(allowed)},
            )
        return value

    return Annotated[str, PlainValidator(check)]


def _amount(value: object) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("number_type", "must be a number")
    exact = Decimal(str(value))
    if not 0 <= exact < MAX_AMOUNT or exact.as_tuple().exponent < -2:
        raise PydanticCustomError(
            "amount", "must be an amount from 0 to {most}, with at most two decimals",
            {"most": f"{MAX_AMOUNT:,}"},
        )  # fmt: skip
    return value


def _year(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 9999:
        raise PydanticCustomError("year_type", "must be a year of four digits")
    return value


def _variant_value(value: object) -> object:
    if isinstance(value, bool | UnquotedDate) or not isinstance(value, str | int | float):
        raise PydanticCustomError("variant_type", "must be text or a number (quote a date)")
    return value


def _one_or_many(value: object) -> object:
    return Items([value]) if isinstance(value, str) else value


def _all_or_actors(value: object) -> object:
    if value == "all":
        return None
    if isinstance(value, str):
        raise PydanticCustomError("from_type", "is 'all' or a list of actors")
    return value


def _never(reason: str):
    def refuse(value: object) -> None:
        raise PydanticCustomError("reason", reason)

    return Annotated[Any, PlainValidator(refuse)]


Text = Annotated[str, PlainValidator(_text)]
Key = Annotated[str, PlainValidator(_key)]
Keys = list[Key]
Date = Annotated[str, PlainValidator(_date)]
FullDate = Annotated[str, PlainValidator(_full_date)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]  # 0, 1, 2...: a figure's value
Number = Annotated[int, Field(ge=1, le=MAX_COUNT)]  # 1, 2, 3...: an ordinal, a position
Amount = Annotated[int | float, PlainValidator(_amount)]
Year = Annotated[int, PlainValidator(_year)]

# The models' own choices.
AccessChoice = _choice(AccessLevel.values)
MeasureChoice = _choice(Measure.values)
StepStatus = _choice(NextStep.Status.values)
TreatyMetric = _choice(SUBJECT_MEASURES["treaties.treaty"])
BodyKind = _choice(bodies.Body.Kind.values)
BodyEventKind = _choice(bodies.BodyEvent.Kind.values)
ParticipantRole = _choice(bodies.MeetingParticipant.Role.values)
ScheduleKind = _choice(bodies.MeetingSchedule.Kind.values)
ScheduleMode = _choice(bodies.MeetingSchedule.Mode.values)
DocumentType = _choice(documents.Document.Type.values)
DocumentEventKind = _choice(documents.DocumentEvent.Kind.values)
RelationKind = _choice(documents.DocumentRelation.Kind.values)
FundProjectStatus = _choice(initiatives.FundProject.Status.values)
InitiativeKind = _choice(initiatives.Initiative.Kind.values)
InitiativeEventKind = _choice(initiatives.InitiativeEvent.Kind.values)
PartnershipEventKind = _choice(initiatives.PartnershipEvent.Kind.values)
CbmEventKind = _choice(programme.CbmEvent.Kind.values)
CoordinatorRoleKind = _choice(programme.CoordinatorRole.Role.values)
TaskStatus = _choice(programme.Task.Status.values)
ActorKind = _choice(registry.Actor.Kind.values)
ChairmanshipKind = _choice(registry.Chairmanship.Kind.values)
HeadTitle = _choice(registry.SecretariatHead.Title.values)
StatusKind = _choice(registry.Status.Kind.values)
StatusOutcome = _choice(registry.Status.Outcome.values)
TreatyParties = _choice(treaties.Treaty.Parties.values)
TreatyActionKind = _choice(treaties.TreatyAction.Kind.values)
NotInAVariant = _never(
    "a variant's 'note' is editorial already (never shown to the public): write it as 'note'"
)


# --- shared shapes -----------------------------------------------------------------------


class Shape(BaseModel):
    """A mapping of the dataset: strict types, no field it does not declare."""

    model_config = ConfigDict(strict=True, extra="forbid")


class Names(Shape):
    """A text in the organization's languages: {en: ..., ru: ...}."""

    en: Text | None = None
    ru: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _languages(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise PydanticCustomError("names_type", "must be a mapping of en and ru")
        other = sorted(set(value) - {"en", "ru"}, key=str)
        if other:
            raise PydanticCustomError(
                "names", "must be a mapping of en and ru: '{key}' is neither", {"key": other[0]}
            )
        return value


class Variant(Shape):
    """A value another source gives (data/README.md, "variants")."""

    field: Text
    value: Annotated[Any, PlainValidator(_variant_value)]
    sources: Annotated[Keys, Field(min_length=1)]
    note: Text | None = None
    editorial_note: NotInAVariant = None


class Sourced(Shape):
    """A record: its sources, variants and the two notes."""

    sources: Annotated[Keys, Field(min_length=1)]
    variants: list[Variant] | None = None
    note: Text | None = None
    editorial_note: Text | None = None


# --- sources.yaml, organization.yaml --------------------------------------------------------


class Source(Shape):
    key: Key
    title: Text
    url: Text | None = None
    publisher: Text | None = None
    published: Date | None = None
    accessed: FullDate | None = None
    meeting: Key | None = None
    formerly: Annotated[Keys, BeforeValidator(_one_or_many)] | None = None
    note: Text | None = None
    editorial_note: Text | None = None


class OrdinalSeries(Shape):
    slug: Key
    label: Names
    actor_kind: ActorKind | None = None
    status_kinds: list[StatusKind]


class Organization(Sourced):
    slug: Key
    name: Names
    short_name: Names
    founded: Date | None = None
    symbol_pattern: Text | None = None
    ordinal_series: list[OrdinalSeries] | None = None


# --- actors.yaml, bodies.yaml, meetings.yaml, chairmanships.yaml, heads.yaml ----------------


class Status(Sourced):
    kind: StatusKind
    start: Date
    end: Date | None = None
    decided_at: Key | None = None
    applied_for: StatusKind | None = None
    outcome: StatusOutcome | None = None


class Actor(Sourced):
    slug: Key
    kind: ActorKind
    name: Names
    short_name: Names | None = None
    iso2: Text | None = None
    iso3: Text | None = None
    exists_from: Date | None = None
    exists_until: Date | None = None
    statuses: list[Status] | None = None


class BodyEvent(Sourced):
    kind: BodyEventKind
    date: Date
    meeting: Key | None = None


class Body(Sourced):
    slug: Key
    kind: BodyKind
    name: Names
    short_name: Names | None = None
    parent: Key | None = None
    initiated_by: Keys | None = None
    events: list[BodyEvent] | None = None


class ScheduleEntry(Sourced):
    kind: ScheduleKind
    start: Date
    end: Date | None = None
    city: Names | None = None
    country: Key | None = None
    mode: ScheduleMode | None = None
    announced: Date | None = None


class Participant(Shape):
    actor: Key
    role: ParticipantRole | None = None


class Meeting(Sourced):
    key: Key
    body: Key
    schedule: list[ScheduleEntry]
    ordinal: Number | None = None
    title: Names | None = None
    formal: bool = True  # when given, true or false: null is not a default
    chair: Key | None = None
    participants: list[Participant] | None = None


class Chairmanship(Sourced):
    actor: Key
    start: Date
    end: Date | None = None
    kind: ChairmanshipKind | None = None
    decided_at: Key | None = None
    decided_on: Date | None = None
    taken_over_at: Key | None = None


class Person(Shape):
    slug: Key
    name: Names
    nationality: Key | None = None
    note: Text | None = None
    editorial_note: Text | None = None


class Head(Sourced):
    person: Person
    title: HeadTitle
    start: Date
    end: Date | None = None
    appointed_at: Key | None = None


# --- documents.yaml -----------------------------------------------------------------------


class TextFile(Shape):
    language: Text
    file: Text


class Version(Shape):
    number: Number
    date: Date | None = None
    note: Text | None = None
    texts: list[TextFile] | None = None


class Relation(Sourced):
    kind: RelationKind
    target: Key


class DocumentEvent(Sourced):
    kind: DocumentEventKind
    date: Date
    meeting: Key | None = None
    body: Key | None = None
    actor: Key | None = None
    version: Number | None = None
    deadline: FullDate | None = None
    recipients: Keys | None = None


class OfficialText(Sourced):
    language: Text
    url: Text
    found_at: Text | None = None
    found_on: FullDate | None = None


class TextSearch(Sourced):
    searched_on: FullDate
    places: list[Text]


class Document(Sourced):
    key: Key
    type: DocumentType
    title: Names
    symbol: Text | None = None
    access: AccessChoice | None = None
    body: Key | None = None
    meeting: Key | None = None
    versions: list[Version] | None = None
    relations: list[Relation] | None = None
    events: list[DocumentEvent] | None = None
    official_texts: list[OfficialText] | None = None
    no_published_text: TextSearch | None = None


# --- treaties.yaml, checklists.yaml, figures.yaml --------------------------------------------


class EntryIntoForce(Shape):
    instruments: Number | None = None
    kinds: list[TreatyActionKind] | None = None
    delay_days: Count | None = None
    later_delay_days: Count | None = None
    text: Text | None = None


class TreatyAction(Sourced):
    actor: Key
    kind: TreatyActionKind
    date: Date
    effective: Date | None = None
    domestic_act: Names | None = None
    domestic_act_date: Date | None = None
    statement: Text | None = None


class TreatyFigure(Sourced):
    as_of: Date
    metric: TreatyMetric
    value: Count


class Treaty(Sourced):
    document: Key
    depositary: Names | None = None
    opened: Date | None = None
    opened_place: Names | None = None
    opened_at: Key | None = None
    parties: TreatyParties | None = None
    entry_into_force: EntryIntoForce | None = None
    actions: list[TreatyAction] | None = None
    reported: list[TreatyFigure] | None = None


class Step(Sourced):
    title: Names
    status: StepStatus
    responsible: Key | None = None
    responsible_text: Names | None = None
    due: Date | None = None
    done: Date | None = None


class Checklist(Shape):
    document: Key
    steps: list[Step]
    note: Text | None = None
    editorial_note: Text | None = None


class Figure(Sourced):
    measure: MeasureChoice
    as_of: Date
    value: Count
    body: Key | None = None
    meeting: Key | None = None
    treaty: Key | None = None
    edition: Key | None = None


# --- programme.yaml ---------------------------------------------------------------------------


class Dimension(Sourced):
    slug: Key
    name: Names


class Related(Sourced):
    document: Key


class CoordinatorRole(Sourced):
    actor: Key
    role: CoordinatorRoleKind
    start: Date
    start_attested: bool = False
    end: Date | None = None
    decided_at: Key | None = None
    decided_by: Key | None = None


class Area(Sourced):
    number: Number
    title: Names
    dimension: Key
    number_ours: bool = False
    added_on: Date | None = None
    added_at: Key | None = None
    added_by: Key | None = None
    roles: list[CoordinatorRole] | None = None


class Edition(Sourced):
    document: Key
    dimensions: list[Dimension] | None = None
    related: list[Related] | None = None
    areas: list[Area] | None = None


class CbmEvent(Sourced):
    edition: Key
    area: Number
    kind: CbmEventKind
    title: Names
    date: Date
    organizer: Key | None = None
    place: Names | None = None


class Review(Sourced):
    date: Date
    meeting: Key | None = None
    documents: Keys | None = None


class Task(Sourced):
    title: Names
    status: TaskStatus | None = None
    lead: Keys | None = None
    contributing: Keys | None = None


class Focus(Sourced):
    year: Year


class Cluster(Sourced):
    number: Number
    title: Names
    documents: Keys | None = None
    tasks: list[Task] | None = None
    focus: list[Focus] | None = None
    steps: list[Step] | None = None


class Roadmap(Shape):
    document: Key
    clusters: list[Cluster] | None = None


class Quotation(Sourced):
    text: Names
    speaker: Names
    topic: Key
    speaker_actor: Key | None = None
    meeting: Key | None = None
    date: Date | None = None


class Programme(Shape):
    catalogue_editions: list[Edition] | None = None
    cbm_events: list[CbmEvent] | None = None
    reviews: list[Review] | None = None
    roadmap: Roadmap | None = None
    quotations: list[Quotation] | None = None


# --- initiatives.yaml ---------------------------------------------------------------------------


class Priorities(Sourced):
    slug: Key
    title: Names
    chairmanship_start: Date | None = None
    start: Date | None = None
    end: Date | None = None


class Proposer(Shape):
    actor: Key | None = None
    body: Key | None = None
    chairmanship_start: Date | None = None

    @model_validator(mode="before")
    @classmethod
    def _one(cls, value: Any) -> Any:
        if not isinstance(value, dict) or len(value) != 1 or set(value) - set(cls.model_fields):
            raise PydanticCustomError(
                "proposer",
                "is one of {actor: slug}, {body: slug}, {chairmanship_start: date}",
            )
        return value


class InitiativeEvent(Sourced):
    kind: InitiativeEventKind
    date: Date
    meeting: Key | None = None
    document: Key | None = None


class Response(Sourced):
    actor: Key
    date: Date
    text: Names | None = None


class Expectation(Sourced):
    text: Names
    due: Date | None = None
    from_: Annotated[Keys | None, BeforeValidator(_all_or_actors)] = Field(None, alias="from")
    responses: list[Response] | None = None


class Initiative(Sourced):
    slug: Key
    title: Names
    kind: InitiativeKind | None = None
    proposer: Proposer | None = None
    launched_at: Key | None = None
    priorities: Keys | None = None
    meetings: Keys | None = None
    documents: Keys | None = None
    events: list[InitiativeEvent] | None = None
    expectations: list[Expectation] | None = None
    steps: list[Step] | None = None


class PartnershipEvent(Sourced):
    kind: PartnershipEventKind
    date: Date
    meeting: Key | None = None
    body: Key | None = None
    document: Key | None = None


class Partnership(Sourced):
    actor: Key
    events: list[PartnershipEvent] | None = None


class FundProject(Sourced):
    fund: Key
    title: Names
    proposer: Key | None = None
    status: FundProjectStatus | None = None
    start: Date | None = None
    end: Date | None = None


class FundContribution(Sourced):
    fund: Key
    actor: Key
    date: Date
    amount: Amount | None = None
    currency: Text | None = None
    in_kind: Text | None = None


class ReportedCount(Sourced):
    body: Key
    as_of: Date
    value: Count


class Initiatives(Shape):
    priorities: list[Priorities] | None = None
    initiatives: list[Initiative] | None = None
    partnerships: list[Partnership] | None = None
    fund_projects: list[FundProject] | None = None
    fund_contributions: list[FundContribution] | None = None
    reported_counts: list[ReportedCount] | None = None


# --- the files ------------------------------------------------------------------------------

FILES: dict[str, TypeAdapter] = {
    "sources.yaml": TypeAdapter(list[Source]),
    "organization.yaml": TypeAdapter(Organization),
    "actors.yaml": TypeAdapter(list[Actor]),
    "bodies.yaml": TypeAdapter(list[Body]),
    "meetings.yaml": TypeAdapter(list[Meeting]),
    "chairmanships.yaml": TypeAdapter(list[Chairmanship]),
    "heads.yaml": TypeAdapter(list[Head]),
    "documents.yaml": TypeAdapter(list[Document]),
    "treaties.yaml": TypeAdapter(list[Treaty]),
    "checklists.yaml": TypeAdapter(list[Checklist]),
    "programme.yaml": TypeAdapter(Programme),
    "initiatives.yaml": TypeAdapter(Initiatives),
    "figures.yaml": TypeAdapter(list[Figure]),
}
SECTIONED = {"programme.yaml", "initiatives.yaml"}  # mappings of sections, not of fields


def check(name: str, data: Any) -> None:
    """Refuse the file's first problem (file:line, field, reason) as a DatasetError."""
    adapter = FILES.get(name)
    if adapter is None or (isinstance(data, dict | list) and not data and name in SECTIONED):
        return
    try:
        adapter.validate_python(data)
    except ValidationError as exc:
        raise refusal(name, data, exc.errors(include_url=False)) from None


# --- what a refusal says ----------------------------------------------------------------------

# Error types that say "this is the wrong kind of value": the message says what was found.
WRONG_TYPE = {
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "model_type": "must be a mapping",
    "dict_type": "must be a mapping",
    "key_type": None,
    "date_type": None,
    "names_type": None,
    "number_type": None,
    "year_type": None,
    "variant_type": None,
    "from_type": None,
}
# Where text is expected, a value YAML read as something else only needed quotes.
QUOTABLE = {"string_type", "key_type", "date_type", "variant_type", "from_type"}
# What a list holds, by the error on one of its items.
ITEMS = {
    "string_type": "texts",
    "key_type": "keys",
    "model_type": "mappings",
    "dict_type": "mappings",
    "names_type": "mappings of en and ru",
    "int_type": "whole numbers",
}


def refusal(name: str, data: Any, errors: list[dict]) -> DatasetError:
    """The DatasetError for a file's validation errors: an unknown field first (a misspelt
    name explains the "missing" one), else the first by line; how many more, if any."""
    found = [(_line_at(data, e["loc"]), e) for e in errors]
    unknown = [f for f in found if f[1]["type"] == "extra_forbidden"]
    # At one line, a record's own fields before its sources (an empty record: its key).
    line, error = min(unknown or found, key=lambda f: (f[0], f[1]["loc"][-1:] == ("sources",)))
    reason = _reason(name, error)
    if len(found) > 1:
        more = len(found) - 1
        reason += f" (and {more} more problem{'s' if more > 1 else ''} in this file)"
    return DatasetError(name, line, reason)


def _line_at(data: Any, loc: tuple) -> int:
    """The line of the deepest node of `loc` the file holds (a missing field: its record)."""
    node, line = data, getattr(data, "line", 1)
    for part in loc:
        if isinstance(node, Entry) and isinstance(part, str):
            line, node = node.line_of(part), node.get(part)
        elif isinstance(node, Items) and isinstance(part, int) and part < len(node):
            line, node = node.line_of(part), node[part]
        else:
            break
    return max(line, 1)


def _reason(name: str, error: dict) -> str:
    loc, kind, message = list(error["loc"]), error["type"], error["msg"]
    item = loc.pop() + 1 if loc and isinstance(loc[-1], int) else None
    names: list[str] = []  # the field, after the mappings it sits in since the last list
    for part in reversed(loc):
        if not isinstance(part, str):
            break
        names.insert(0, part)
    field = names[-1] if names else ""
    parent = ".".join(names[:-1])  # the mapping the field is in, below the record
    within = f" in '{parent}'" if parent else ""
    if kind == "extra_forbidden":
        what = "section" if name in SECTIONED and len(loc) == 1 else "field"
        return f"unknown {what} '{field}'{within}"
    if field == "sources" and kind in ("missing", "too_short"):
        return "every record needs 'sources'"
    if kind == "missing":
        return f"missing required field '{field}'{within}"
    if kind == "reason":
        return message
    if kind == "date_value":
        return f"{field}: {message}"
    if kind in ("greater_than_equal", "less_than_equal"):
        ctx = error.get("ctx", {})
        bound = f"{ctx['ge']} or more" if "ge" in ctx else f"at most {ctx['le']}"
        message = f"must be a whole number, {bound}"
    elif kind == "too_short":
        message = "must not be empty"
    elif kind in WRONG_TYPE:
        value = error["input"]
        message = f"{WRONG_TYPE[kind] or message}, not {_found(value)}"
        if kind in QUOTABLE and isinstance(value, bool | int | float | UnquotedDate):
            message += ": quote it"
    if not field:
        return message
    within = f" (in '{parent}')" if parent else ""
    if item is None:
        return f"'{field}' {message}{within}"
    if kind in ITEMS:
        found = _found(error["input"])
        return f"'{field}' is a list of {ITEMS[kind]}; item {item} is {found}{within}"
    return f"'{field}', item {item}, {message}{within}"


def _found(value: Any) -> str:
    """What a value is, as a YAML writer would say it."""
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"the yes/no value {'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, UnquotedDate):
        return f"the unquoted date {value}"
    if isinstance(value, str):
        return f"the text '{value if len(value) <= 40 else value[:40] + '...'}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
