"""Shared bases and the records every other app cites: sources and variants."""

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from .partial_dates import PartialDateProperty, Precision, partial_date_valid

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "Use lowercase letters, digits and single dashes, e.g. 'saudi-arabia'.",
)


class AccessLevel(models.TextChoices):
    """Who may read a record: everyone, member-state delegations, or the Secretariat."""

    PUBLIC = "public", "public"
    RESTRICTED = "restricted", "restricted to member-state delegations"
    CONFIDENTIAL = "confidential", "confidential to the Secretariat"


def date_columns(what: str, *, required: bool) -> tuple[models.DateField, models.CharField]:
    """The two columns behind a PartialDateProperty: first day of the window, precision."""
    return (
        models.DateField(
            null=not required,
            blank=not required,
            help_text=f"First day of the {what} (the date may be a year or a month).",
        ),
        models.CharField(
            max_length=5,
            choices=Precision.choices,
            blank=not required,
            help_text=f"Precision of the {what}: year, month or day.",
        ),
    )


DATE_MESSAGE = "A date needs its precision: year, month or day."
END_BEFORE_START = "The end must not come before the start."


def date_check(name: str, prefix: str, *, required: bool = False) -> models.CheckConstraint:
    """The check of the partial date `name`: its precision goes with its first day (and,
    when required, it is given); named `<prefix>_<name>_valid`, the prefix the model's."""
    condition = partial_date_valid(name)
    if required:
        condition &= models.Q(**{f"{name}_date__isnull": False})
    return models.CheckConstraint(
        condition=condition, name=f"{prefix}_{name}_valid", violation_error_message=DATE_MESSAGE
    )


def span_constraints(prefix: str, *, start_required: bool = True) -> list[models.CheckConstraint]:
    """The checks of a Span, named by the model's prefix so they stay unique."""
    return [
        date_check("start", prefix, required=start_required),
        date_check("end", prefix),
        models.CheckConstraint(
            # A backstop only for exact ends: "2020" may end a span begun in
            # February 2020, which first days alone would refuse; clean() has the rule.
            # Without a start the comparison is unknown, which a check lets pass.
            condition=models.Q(end_date__isnull=True)
            | ~models.Q(end_precision="day")
            | models.Q(end_date__gte=models.F("start_date")),
            name=f"{prefix}_end_not_before_start",
            violation_error_message=END_BEFORE_START,
            violation_error_code="backstop",
        ),
    ]


class Span(models.Model):
    """A fact that runs from `start` to `end`, both partial dates (no end: it still runs).

    A model words its columns' help again where it says more (a term's start, an end
    that is the first day no longer held, or the last day held), and puts
    `span_constraints(prefix)` in its Meta.
    """

    start_date, start_precision = date_columns("start", required=True)
    start = PartialDateProperty("start")
    end_date, end_precision = date_columns("end (first day no longer held)", required=False)
    end = PartialDateProperty("end")

    # What clean() says of an end before the start; {start} and {end} may be named.
    end_before_start = END_BEFORE_START

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        start, end = self.start, self.end
        # Compared conservatively: refused only when every day of the end's window
        # falls before every day of the start's.
        if start is not None and end is not None and end.latest < start.earliest:
            raise ValidationError({"end": self.end_before_start.format(start=start, end=end)})


class DatedEvent(models.Model):
    """Something that happened on a partial date, which it must have; a model puts
    `date_check("date", prefix, required=True)` in its Meta."""

    date_date, date_precision = date_columns("event's date", required=True)
    date = PartialDateProperty("date")

    class Meta:
        abstract = True


class TimeStamped(models.Model):
    """Adds creation and modification times, and the edit version."""

    created_at = models.DateTimeField(auto_now_add=True, help_text="When the row was created.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When the row was last changed.")
    # Rises by one at every change; an edit that started from an older version is
    # refused rather than silently overwriting someone else's change.
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Edit version: rises by one at every change."
    )

    class Meta:
        abstract = True


def is_versioned(model: type[models.Model] | models.Model) -> bool:
    """Whether rows carry TimeStamped's edit version (a few models reuse the name `version`
    for a link to a document version, and have none)."""
    if not isinstance(model, type):
        model = type(model)
    if not issubclass(model, TimeStamped):
        return False
    field = model._meta.get_field("version")
    return isinstance(field, models.PositiveIntegerField) and not field.is_relation


class Sourced(TimeStamped):
    """A record that cites sources and may carry variants and a note."""

    note = models.TextField(
        blank=True, help_text="Public note: a remark about the organization, for every reader."
    )
    editorial_note = models.TextField(
        blank=True,
        help_text="Editorial note, for officers and the dataset only: how the sources were "
        "read, judgement calls, modelling. Never on public pages, the public API, exports or "
        "reports.",
    )
    citations = GenericRelation("core.Citation")
    variants = GenericRelation("core.Variant")

    class Meta:
        abstract = True

    @property
    def citations_list(self) -> list:
        """The citations, with sources: as prefetched by `core.prefetch.cited()`, else read
        now (for templates, which cannot call `citations_of`)."""
        from .prefetch import citations_of  # cycle: prefetch reads Citation from here

        return citations_of(self)


class Source(TimeStamped):
    """Where a fact comes from: an external page or document, or a record in the system."""

    key = models.SlugField(
        max_length=120,
        unique=True,
        validators=[slug_validator],
        help_text="Stable key that datasets use to cite this source.",
    )
    title = models.CharField(max_length=500, help_text="The source's own title.")
    url = models.URLField(max_length=1000, blank=True, help_text="Address of an external source.")
    publisher = models.CharField(max_length=300, blank=True, help_text="Who published it.")
    published_date, published_precision = date_columns("publication date", required=False)
    published = PartialDateProperty("published")
    accessed = models.DateField(null=True, blank=True, help_text="When an online source was read.")
    note = models.TextField(blank=True, help_text="Public note: what the source is.")
    editorial_note = models.TextField(
        blank=True,
        help_text="Editorial note, for officers and the dataset only: how far to trust it, how "
        "it was read.",
    )
    # A source may be a record held in the system itself (a meeting, later a document).
    target_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # a source must not silently lose what it points at
        related_name="+",
        help_text="Kind of record in the system this source is.",
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="Its id.")
    target = GenericForeignKey("target_type", "target_id")

    class Meta:
        ordering = ["key"]
        constraints = [
            date_check("published", "source"),
            models.CheckConstraint(
                condition=models.Q(target_type__isnull=True, target_id__isnull=True)
                | models.Q(target_type__isnull=False, target_id__isnull=False),
                name="source_target_complete",
                violation_error_message="A source in the system needs both its kind and its id.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Citation(models.Model):
    """One record citing one source, optionally at a place in it."""

    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,  # a cited source cannot be deleted from under its records
        related_name="citations",
        help_text="The source cited.",
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, help_text="Kind of the citing record."
    )
    object_id = models.PositiveBigIntegerField(help_text="Id of the citing record.")
    record = GenericForeignKey("content_type", "object_id")
    locator = models.CharField(
        max_length=300, blank=True, help_text="Where in the source: page, slide, paragraph."
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "source"],
                name="citation_unique",
                violation_error_message="This record already cites this source.",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.source} ({self.locator})" if self.locator else str(self.source)


class Variant(models.Model):
    """Another source's value for a field of a record, kept where sources disagree."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, help_text="Kind of the record."
    )
    object_id = models.PositiveBigIntegerField(help_text="Id of the record.")
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(max_length=100, help_text="The field the sources disagree on.")
    value = models.CharField(max_length=500, help_text="The other value, as the source gives it.")
    note = models.TextField(blank=True, help_text="Why it differs or why it was not preferred.")
    sources = models.ManyToManyField(Source, related_name="variants", help_text="Who says so.")

    class Meta:
        ordering = ["field", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "value"],
                name="variant_unique",
                violation_error_message="This variant is already recorded.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.value}"


class ReadModel(models.Model):
    """A stored copy of something derived from the records, kept for speed (DESIGN: "a read
    model written from the events in the same transaction and rebuildable from them").

    Only its own `refresh` writes it, called by receivers of its sources' saves and
    deletions; it is neither audited nor dumped (it is not the record), and
    `secretariat rebuild-read-models` rebuilds every one from scratch.
    """

    class Meta:
        abstract = True

    @classmethod
    def refresh(cls, ids=None) -> int:
        """Derive the rows of these records' ids afresh (None: of every record)."""
        raise NotImplementedError


def read_models() -> list[type[ReadModel]]:
    """Every read model of the project, in a stable order."""
    found = [m for m in apps.get_models() if issubclass(m, ReadModel)]
    return sorted(found, key=lambda m: m._meta.label_lower)


class Organization(Sourced):
    """The organization whose record this is (one row)."""

    slug = models.SlugField(unique=True, validators=[slug_validator], help_text="Stable key.")
    name_en = models.CharField(max_length=300, help_text="Full name in English.")
    name_ru = models.CharField(max_length=300, blank=True, help_text="Full name in Russian.")
    short_name_en = models.CharField(max_length=40, help_text="Short name in English (CICA).")
    short_name_ru = models.CharField(max_length=40, blank=True, help_text="Short name in Russian.")
    founded_date, founded_precision = date_columns("founding date", required=False)
    founded = PartialDateProperty("founded")
    symbol_pattern = models.CharField(
        max_length=100,
        default="{org}/{body}/{year}/{seq}",
        help_text="How new document symbols are made: {org}, {body}, {type}, {year}, {seq}.",
    )

    class Meta:
        constraints = [date_check("founded", "organization")]

    def __str__(self) -> str:
        return self.short_name_en
