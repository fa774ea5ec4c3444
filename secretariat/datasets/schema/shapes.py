"""The shape of each dataset file's records: their fields, types and which are required."""

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .values import (
    AccessChoice,
    ActorKind,
    Amount,
    BodyEventKind,
    BodyKind,
    CbmEventKind,
    ChairmanshipKind,
    CoordinatorRoleKind,
    Count,
    Date,
    DocumentEventKind,
    DocumentType,
    FullDate,
    FundProjectStatus,
    HeadTitle,
    InitiativeEventKind,
    InitiativeKind,
    Key,
    Keys,
    MeasureChoice,
    NotInAVariant,
    Number,
    ParticipantRole,
    PartnershipEventKind,
    RelationKind,
    ScheduleKind,
    ScheduleMode,
    StatusKind,
    StatusOutcome,
    StepStatus,
    TaskStatus,
    Text,
    TreatyActionKind,
    TreatyMetric,
    TreatyParties,
    Year,
    all_or_actors,
    one_or_many,
    variant_value,
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
    value: Annotated[Any, PlainValidator(variant_value)]
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
    formerly: Annotated[Keys, BeforeValidator(one_or_many)] | None = None
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
    from_: Annotated[Keys | None, BeforeValidator(all_or_actors)] = Field(None, alias="from")
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
