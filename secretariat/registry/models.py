"""Actors (states, organizations, people), their statuses over time, and posts."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from secretariat.core.models import (
    Sourced,
    Span,
    date_check,
    date_columns,
    slug_validator,
    span_constraints,
)
from secretariat.core.partial_dates import PartialDateProperty


class Actor(Sourced):
    """A state or an international organization that can hold a status."""

    class Kind(models.TextChoices):
        STATE = "state", "State"
        ORGANIZATION = "organization", "International organization"

    slug = models.SlugField(
        max_length=80, unique=True, validators=[slug_validator], help_text="Stable key in URLs."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text="State or organization.")
    iso2 = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code (states only)."
    )
    iso3 = models.CharField(
        max_length=3, blank=True, help_text="ISO 3166-1 alpha-3 code (states only)."
    )
    name_en = models.CharField(max_length=200, help_text="Name in English.")
    name_ru = models.CharField(max_length=200, blank=True, help_text="Name in Russian.")
    short_name_en = models.CharField(max_length=40, blank=True, help_text="Abbreviation (EAEU).")
    short_name_ru = models.CharField(max_length=40, blank=True, help_text="Abbreviation (ЕАЭС).")
    exists_from_date, exists_from_precision = date_columns("actor's existence", required=False)
    exists_from = PartialDateProperty("exists_from")
    exists_until_date, exists_until_precision = date_columns("actor's end", required=False)
    exists_until = PartialDateProperty("exists_until")

    class Meta:
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["iso2"], condition=~Q(iso2=""), name="actor_iso2_unique"
            ),
            models.UniqueConstraint(
                fields=["iso3"], condition=~Q(iso3=""), name="actor_iso3_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind="organization", iso2="", iso3="") | Q(kind="state") & ~Q(iso2=""),
                name="actor_iso_codes_for_states_only",
                violation_error_message=(
                    "A state needs an ISO 3166 alpha-2 code; an organization has none."
                ),
            ),
            date_check("exists_from", "actor"),
            date_check("exists_until", "actor"),
        ]

    def __str__(self) -> str:
        return self.name_en

    def clean(self) -> None:
        from .rules import check_actor  # cycle: rules import these models

        check_actor(self)

    def get_absolute_url(self) -> str:
        return reverse("api-1.0.0:actor_detail", kwargs={"slug": self.slug})


class Status(Span, Sourced):
    """An actor's standing with the organization over a span of time."""

    class Kind(models.TextChoices):
        MEMBER = "member", "Member State"
        OBSERVER = "observer", "Observer"
        PARTNER = "partner", "Partner Organization"
        APPLICANT = "applicant", "Applicant"
        DIALOGUE_PARTNER = "dialogue_partner", "Dialogue partner"

    class Outcome(models.TextChoices):
        PENDING = "pending", "pending"
        GRANTED = "granted", "granted"
        WITHDRAWN = "withdrawn", "withdrawn"
        REJECTED = "rejected", "rejected"

    actor = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,  # a status means nothing without its actor
        related_name="statuses",
        help_text="Who holds the status.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text="Which status.")
    decided_at = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the deciding meeting is part of the record
        related_name="status_decisions",
        help_text="The meeting that decided it.",
    )
    applied_for = models.CharField(
        max_length=20, choices=Kind.choices, blank=True, help_text="Applicants: status sought."
    )
    outcome = models.CharField(
        max_length=10, choices=Outcome.choices, blank=True, help_text="Applicants: the outcome."
    )

    class Meta:
        ordering = ["start_date", "actor__name_en"]
        verbose_name_plural = "statuses"
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "kind", "start_date", "start_precision"],
                name="status_unique_start",
                violation_error_message="This actor already has this status from this date.",
            ),
            *span_constraints("status"),
            models.CheckConstraint(
                condition=Q(
                    kind="applicant", outcome__in=["pending", "granted", "withdrawn", "rejected"]
                )
                & ~Q(applied_for__in=["", "applicant"])
                | ~Q(kind="applicant") & Q(applied_for="", outcome=""),
                name="status_applicant_fields",
            ),
        ]
        indexes = [models.Index(fields=["kind", "start_date"])]

    def __str__(self) -> str:
        return f"{self.actor}: {self.get_kind_display()} from {self.start}"

    def clean(self) -> None:
        from .rules import check_status  # cycle: rules import these models

        check_status(self)


class OrdinalSeries(models.Model):
    """How the organization numbers its members, observers or partners.

    Statuses of the listed kinds held by actors of `actor_kind` are numbered
    together: CICA counts organizations with observer or partner status as its
    "Partner Organizations". Without a series, each status kind is numbered
    apart for states and for organizations.
    """

    slug = models.SlugField(
        max_length=60, unique=True, validators=[slug_validator], help_text="Stable key."
    )
    label_en = models.CharField(max_length=80, help_text='Noun after the ordinal: "Observer".')
    label_ru = models.CharField(max_length=80, blank=True, help_text="The noun in Russian.")
    actor_kind = models.CharField(
        max_length=20, choices=Actor.Kind.choices, help_text="Which actors are numbered."
    )
    status_kinds = models.JSONField(
        default=list, help_text='The status kinds numbered together, e.g. ["observer", "partner"].'
    )

    class Meta:
        ordering = ["slug"]
        verbose_name_plural = "ordinal series"

    def __str__(self) -> str:
        return self.label_en

    def clean(self) -> None:
        kinds = self.status_kinds
        allowed = set(Status.Kind.values) - {Status.Kind.APPLICANT}
        if not isinstance(kinds, list) or not kinds or not set(kinds) <= allowed:
            raise ValidationError(
                {"status_kinds": f"List one or more of: {', '.join(sorted(allowed))}."}
            )


class Person(Sourced):
    """A person holding a post."""

    slug = models.SlugField(
        max_length=80, unique=True, validators=[slug_validator], help_text="Stable key."
    )
    name_en = models.CharField(max_length=200, help_text="Name in English.")
    name_ru = models.CharField(max_length=200, blank=True, help_text="Name in Russian.")
    nationality = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # keep the person's state while the person is on record
        related_name="nationals",
        help_text="The state of nationality.",
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name_en


class Chairmanship(Span, Sourced):
    """A state's term as Chair of the organization."""

    class Kind(models.TextChoices):
        TERM = "term", "term"
        EXTENSION = "extension", "extension"
        RENEWAL = "renewal", "renewal"

    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,  # a chairmanship is history; the state cannot vanish
        related_name="chairmanships",
        help_text="The chairing state.",
    )
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.TERM,
        help_text="Term, extension, renewal.",
    )
    start_date, start_precision = date_columns("term's start", required=True)
    end_date, end_precision = date_columns(
        "term's end (the next chair's first day)", required=False
    )
    decided_at = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the deciding meeting is part of the record
        related_name="chairmanship_decisions",
        help_text="The meeting that decided the term.",
    )
    decided_on_date, decided_on_precision = date_columns(
        "decision (when not taken at a meeting, e.g. by silence procedure)", required=False
    )
    decided_on = PartialDateProperty("decided_on")
    taken_over_at = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the handover meeting is part of the record
        related_name="chairmanship_handovers",
        help_text="The meeting where the chair was taken over.",
    )

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["start_date", "start_precision"], name="chairmanship_unique_start"
            ),
            *span_constraints("chairmanship"),
            date_check("decided_on", "chairmanship"),
        ]

    def __str__(self) -> str:
        end = self.end.year if self.end else ""
        return f"{self.actor} ({self.start.year}-{end})"

    def clean(self) -> None:
        from .rules import check_chairmanship  # cycle: rules import these models

        check_chairmanship(self)


class SecretariatHead(Span, Sourced):
    """A person's term as head of the Secretariat."""

    class Title(models.TextChoices):
        EXECUTIVE_DIRECTOR = "executive_director", "Executive Director"
        SECRETARY_GENERAL = "secretary_general", "Secretary General"

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,  # a term of office is history; keep the person
        related_name="terms",
        help_text="Who held the post.",
    )
    title = models.CharField(max_length=20, choices=Title.choices, help_text="The post's title.")
    start_date, start_precision = date_columns("term's start", required=True)
    end_date, end_precision = date_columns("term's end (first day out of office)", required=False)
    appointed_at = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the appointing meeting is part of the record
        related_name="appointments",
        help_text="The meeting that appointed the head.",
    )

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "start_date", "start_precision"], name="head_unique_start"
            ),
            *span_constraints("head"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_title_display()}, from {self.start})"

    def clean(self) -> None:
        from .rules import check_head  # cycle: rules import these models

        check_head(self)
