"""Documents, their versions and texts, relations, and their lifecycle events."""

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from secretariat.core.models import (
    AccessLevel,
    DatedEvent,
    ReadModel,
    Sourced,
    TimeStamped,
    date_check,
    date_columns,
    slug_validator,
)
from secretariat.core.partial_dates import PartialDateProperty


class Document(Sourced):
    """An official document of the organization, identified by its symbol."""

    class Type(models.TextChoices):
        DECLARATION = "declaration", "declaration"
        ACT = "act", "act"
        STATEMENT = "statement", "statement"
        JOINT_STATEMENT = "joint_statement", "joint statement"
        PLAN_OF_ACTION = "plan_of_action", "plan of action"
        DECISION = "decision", "decision"
        CATALOGUE = "catalogue", "catalogue"
        GUIDELINES = "guidelines", "guidelines"
        MODALITIES = "modalities", "modalities"
        MEMORANDUM = "memorandum", "memorandum"
        CONCEPT_PAPER = "concept_paper", "concept paper"
        REGULATIONS = "regulations", "regulations"
        CHARTER = "charter", "charter"
        RULES_OF_PROCEDURE = "rules_of_procedure", "rules of procedure"
        AGREEMENT = "agreement", "agreement"
        CONVENTION = "convention", "convention"
        MOU = "mou", "memorandum of understanding"
        PROTOCOL = "protocol", "protocol"
        ROAD_MAP = "road_map", "road map"
        REPORT = "report", "report"
        NOTE = "note", "note"
        LETTER = "letter", "letter"
        OTHER = "other", "other"

    key = models.SlugField(
        max_length=120, unique=True, validators=[slug_validator], help_text="Stable key."
    )
    symbol = models.CharField(
        max_length=120, unique=True, help_text="The document's symbol (identifier), unique."
    )
    type = models.CharField(max_length=30, choices=Type.choices, help_text="Kind of document.")
    title_en = models.CharField(max_length=500, help_text="Title in English.")
    title_ru = models.CharField(max_length=500, blank=True, help_text="Title in Russian.")
    access = models.CharField(
        max_length=12,
        choices=AccessLevel.choices,
        default=AccessLevel.PUBLIC,
        help_text="Who may read it and its texts.",
    )
    public_from = models.DateField(
        null=True,
        blank=True,
        help_text="Embargo: from this day the document and its texts are public, whatever "
        "their access level.",
    )
    shared_with = models.ManyToManyField(
        "registry.Actor",
        blank=True,
        related_name="shared_documents",
        help_text="Observers or partners whose delegates may read this restricted document.",
    )
    body = models.ForeignKey(
        "bodies.Body",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # a body's documents are its record
        related_name="documents",
        help_text="The body the document belongs to.",
    )
    meeting = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # a meeting's documents are its record
        related_name="documents",
        help_text="The meeting the document belongs to.",
    )

    class Meta:
        ordering = ["symbol"]
        indexes = [
            models.Index(fields=["access"]),
            # Lists filter by type or body and page in symbol order: the index gives the
            # page without sorting every document of the type or body.
            models.Index(fields=["type", "symbol"]),
            models.Index(fields=["body", "symbol"]),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} {self.title_en}"


class DocumentVersion(TimeStamped):
    """A numbered version of a document; once circulated or adopted it never changes."""

    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,  # versions are never lost with their document
        related_name="versions",
        help_text="The document.",
    )
    number = models.PositiveSmallIntegerField(help_text="1, 2, 3... in order of making.")
    date_date, date_precision = date_columns("version's date", required=False)
    date = PartialDateProperty("date")
    note = models.TextField(blank=True, help_text="What changed in this version.")

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"],
                name="version_number_unique",
                violation_error_message="This document already has a version with this number.",
            ),
            date_check("date", "version"),
        ]

    def __str__(self) -> str:
        return f"{self.document.symbol} v{self.number}"


class DocumentText(TimeStamped):
    """One language's text of a version: the uploaded file and its extracted plain text."""

    version = models.ForeignKey(
        DocumentVersion,
        on_delete=models.PROTECT,  # texts are never lost with their version
        related_name="texts",
        help_text="The version.",
    )
    language = models.CharField(max_length=8, help_text="Language code (en, ru, ...).")
    file = models.FileField(upload_to="documents/%Y/", help_text="The file as received.")
    media_type = models.CharField(
        max_length=100, help_text="Type recognised from the content, e.g. application/pdf."
    )
    size = models.PositiveBigIntegerField(help_text="Size of the file in bytes.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the file's bytes.")
    text = models.TextField(blank=True, help_text="Plain text extracted for search.")

    class Meta:
        ordering = ["version", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"],
                name="text_language_unique",
                violation_error_message="This version already has a text in this language.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} [{self.language}]"


class DocumentRelation(Sourced):
    """A typed link from one document to another."""

    class Kind(models.TextChoices):
        AMENDS = "amends", "amends"
        SUPERSEDES = "supersedes", "supersedes"
        IMPLEMENTS = "implements", "implements"
        ANNEX_TO = "annex_to", "is an annex to"
        ANNIVERSARY_OF = "anniversary_of", "marks the anniversary of"
        RESPONDS_TO = "responds_to", "responds to"

    from_document = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,  # the link is part of the document that makes it
        related_name="relations",
        help_text="The document that relates.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text="How it relates.")
    to_document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,  # a document others point at cannot vanish
        related_name="related_from",
        help_text="The document related to.",
    )

    class Meta:
        ordering = ["from_document", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_document", "kind", "to_document"],
                name="relation_unique",
                violation_error_message="This relation is already recorded.",
            ),
            models.CheckConstraint(
                condition=~Q(from_document=F("to_document")),
                name="relation_not_to_itself",
                violation_error_message="A document cannot relate to itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_document.symbol} {self.kind} {self.to_document.symbol}"


class OfficialText(Sourced):
    """Where the official text of a document in one language is published, outside this
    system: the address of the text, the page that links to it, the day it was seen there."""

    document = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,  # the link is part of the document's record
        related_name="official_texts",
        help_text="The document.",
    )
    language = models.CharField(max_length=8, help_text="Language of the text (en, ru, ...).")
    url = models.URLField(
        max_length=1000, help_text="Address of the official text (a file or a page)."
    )
    found_at = models.URLField(
        max_length=1000,
        blank=True,
        help_text="The page where the link to the text was found (may be the text itself).",
    )
    found_on = models.DateField(
        null=True, blank=True, help_text="The day the text was seen at that address."
    )

    class Meta:
        ordering = ["document", "language", "url"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language", "url"],
                name="official_text_unique",
                violation_error_message="This official text is already recorded.",
            ),
            models.CheckConstraint(
                condition=~Q(language="") & ~Q(url=""),
                name="official_text_language_and_url",
                violation_error_message="An official text needs its language and its address.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.symbol} [{self.language}] {self.url}"

    def clean(self) -> None:
        if self.language and self.language not in LANG_INFO:
            raise ValidationError({"language": "Give a language code, e.g. 'en' or 'ru'."})


class TextSearch(Sourced):
    """A search for a document's published official text that found none: when, and the
    places searched."""

    document = models.OneToOneField(
        Document,
        on_delete=models.CASCADE,  # the finding is part of the document's record
        related_name="text_search",
        help_text="The document.",
    )
    searched_on = models.DateField(help_text="The day the search was made.")
    places = models.JSONField(
        default=list,
        blank=True,
        help_text="The places searched, in order: each a short description or an address.",
    )

    class Meta:
        verbose_name_plural = "text searches"

    def __str__(self) -> str:
        return f"{self.document.symbol}: no published text found ({self.searched_on})"

    def clean(self) -> None:
        places = self.places
        if (
            not isinstance(places, list)
            or not places
            or not all(isinstance(p, str) and p.strip() for p in places)
        ):
            raise ValidationError({"places": "Name the places searched: a list of texts."})


class DocumentEvent(DatedEvent, Sourced):
    """A dated step in a document's life; the current status is derived from these."""

    class Kind(models.TextChoices):
        DRAFTED = "drafted", "drafted"
        CIRCULATED = "circulated", "circulated"
        FEEDBACK_RECEIVED = "feedback_received", "feedback received"
        AGREED = "agreed", "agreed"
        ADOPTED = "adopted", "adopted"
        ENDORSED = "endorsed", "endorsed"
        TOOK_NOTE = "took_note", "taken note of"
        SIGNED = "signed", "signed"
        RATIFIED = "ratified", "ratified"
        ENTERED_INTO_FORCE = "entered_into_force", "entered into force"
        SUPERSEDED = "superseded", "superseded"
        WITHDRAWN = "withdrawn", "withdrawn"

    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,  # the lifecycle is the document's history
        related_name="events",
        help_text="The document.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text="What happened.")
    version = models.ForeignKey(
        DocumentVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # an event about a version keeps it
        related_name="events",
        help_text="The version concerned.",
    )
    body = models.ForeignKey(
        "bodies.Body",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the acting body is part of the record
        related_name="document_events",
        help_text="The body that acted (e.g. the SOC agreed).",
    )
    meeting = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # a meeting's outcomes are these events
        related_name="outcomes",
        help_text="The meeting where it happened: a meeting's outcomes are these events.",
    )
    actor = models.ForeignKey(
        "registry.Actor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # a state's signature or ratification is history
        related_name="document_events",
        help_text="The state that acted, for a signature or ratification by one state.",
    )
    # Circulation for feedback: to whom and by when.
    deadline = models.DateField(null=True, blank=True, help_text="Feedback deadline (circulated).")
    recipients = models.ManyToManyField(
        "registry.Actor",
        blank=True,
        related_name="circulations_received",
        help_text="States it was circulated to; none listed means all member states that day.",
    )

    class Meta:
        ordering = ["date_date", "id"]
        constraints = [
            date_check("date", "document_event", required=True),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(kind="circulated"),
                name="document_event_deadline_on_circulation",
                violation_error_message="Only a circulation has a feedback deadline.",
            ),
        ]
        indexes = [models.Index(fields=["kind", "date_date"])]

    def __str__(self) -> str:
        return f"{self.document.symbol}: {self.get_kind_display()} ({self.date})"


class Feedback(TimeStamped):
    """A state's response to a circulation."""

    circulation = models.ForeignKey(
        DocumentEvent,
        on_delete=models.PROTECT,  # feedback is part of the circulation's record
        related_name="feedback",
        limit_choices_to={"kind": "circulated"},
        help_text="The circulation answered.",
    )
    actor = models.ForeignKey(
        "registry.Actor",
        on_delete=models.PROTECT,  # a state's feedback is history
        related_name="feedback_given",
        help_text="The state responding.",
    )
    received_on = models.DateField(help_text="When the feedback was received.")
    text = models.TextField(blank=True, help_text="The feedback, or a summary of it.")
    file = models.FileField(
        upload_to="feedback/%Y/", blank=True, help_text="The feedback as received, if a file."
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # keep the feedback if the account goes
        related_name="+",
        help_text="Who entered it.",
    )

    class Meta:
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.actor} on {self.circulation}"


class DocumentDates(ReadModel):
    """Read model: a document's first date, the earlier of its first event and its first
    version, to list and filter documents by date without reading their events."""

    document = models.OneToOneField(
        Document,
        primary_key=True,
        # Removed with its document by the ORM; no database constraint, since a refresh
        # may run while the document is being deleted (documents.readmodels).
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="dates",
        help_text="The document.",
    )
    first_day = models.DateField(
        null=True, db_index=True, help_text="First day of its earliest event or version."
    )

    class Meta:
        verbose_name_plural = "document dates"

    def __str__(self) -> str:
        return f"{self.document_id}: {self.first_day}"

    @classmethod
    def refresh(cls, ids=None) -> int:
        from .readmodels import refresh_dates  # cycle: readmodels import these models

        return refresh_dates(ids)
