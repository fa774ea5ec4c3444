"""Initiatives and their pipeline, the institutions' records, and external relations."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from secretariat.core.models import (
    DatedEvent,
    Sourced,
    Span,
    date_check,
    date_columns,
    slug_validator,
    span_constraints,
)
from secretariat.core.partial_dates import PartialDateProperty

from . import transitions


class Priorities(Span, Sourced):
    """A chairmanship's titled set of priorities ("Priorities and initiatives for 2022-2024")."""

    slug = models.SlugField(
        max_length=80, unique=True, validators=[slug_validator], help_text="Stable key."
    )
    title_en = models.CharField(max_length=300, help_text="Title in English.")
    title_ru = models.CharField(max_length=300, blank=True, help_text="Title in Russian.")
    chairmanship = models.ForeignKey(
        "registry.Chairmanship",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the chairmanship's programme is part of its record
        related_name="priorities",
        help_text="The chairmanship that set them.",
    )
    start_date, start_precision = date_columns("period's start", required=False)
    end_date, end_precision = date_columns("period's end", required=False)

    class Meta:
        ordering = ["start_date", "slug"]
        verbose_name_plural = "priorities"
        constraints = span_constraints("priorities", start_required=False)

    def __str__(self) -> str:
        return self.title_en


class Initiative(Sourced):
    """A proposal that moves through the pipeline, from proposed to established or dropped."""

    class Kind(models.TextChoices):
        INITIATIVE = "initiative", "initiative"
        TRANSFORMATION = "transformation", "transformation of the organization"

    slug = models.SlugField(
        max_length=80, unique=True, validators=[slug_validator], help_text="Stable key in URLs."
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.INITIATIVE, help_text="What it is."
    )
    title_en = models.CharField(max_length=300, help_text="Title in English.")
    title_ru = models.CharField(max_length=300, blank=True, help_text="Title in Russian.")
    proposer_actor = models.ForeignKey(
        "registry.Actor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # keep the proposing state while its initiative is on record
        related_name="initiatives",
        help_text="The state that proposed it.",
    )
    proposer_chairmanship = models.ForeignKey(
        "registry.Chairmanship",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # keep the proposing chairmanship on record
        related_name="initiatives",
        help_text="The chairmanship that proposed it.",
    )
    proposer_body = models.ForeignKey(
        "bodies.Body",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # keep the proposing body on record
        related_name="initiatives",
        help_text="The body that proposed it.",
    )
    launched_at = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the launching meeting is part of the record
        related_name="initiatives_launched",
        help_text="The meeting where it was launched.",
    )
    priorities = models.ManyToManyField(
        Priorities, blank=True, related_name="initiatives", help_text="Priorities it belongs to."
    )
    meetings = models.ManyToManyField(
        "bodies.Meeting", blank=True, related_name="initiatives", help_text="Meetings about it."
    )
    documents = models.ManyToManyField(
        "documents.Document",
        blank=True,
        related_name="initiatives",
        help_text="Documents about it.",
    )

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(proposer_actor__isnull=False, proposer_chairmanship__isnull=False)
                & ~Q(proposer_actor__isnull=False, proposer_body__isnull=False)
                & ~Q(proposer_chairmanship__isnull=False, proposer_body__isnull=False),
                name="initiative_one_proposer",
                violation_error_message="An initiative has one proposer: a state, "
                "the chairmanship or a body.",
                violation_error_code="backstop",
            )
        ]

    def __str__(self) -> str:
        return self.title_en

    def clean(self) -> None:
        given = [self.proposer_actor_id, self.proposer_chairmanship_id, self.proposer_body_id]
        if sum(1 for g in given if g) > 1:
            raise ValidationError(
                "An initiative has one proposer: a state, the chairmanship or a body."
            )
        if self.proposer_actor_id and self.proposer_actor.kind != "state":
            raise ValidationError({"proposer_actor": "The proposing actor must be a state."})


class InitiativeEvent(DatedEvent, Sourced):
    """A dated step of an initiative; its status on a date is the latest certain step."""

    Kind = models.TextChoices(
        "Kind", [(s.upper(), (s, s.replace("_", " "))) for s in transitions.STATUSES]
    )

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,  # the events are the initiative's own history
        related_name="events",
        help_text="The initiative concerned.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text="What happened.")
    meeting = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the meeting where it happened is part of the record
        related_name="initiative_events",
        help_text="The meeting where it happened.",
    )
    document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the document that records it is part of the record
        related_name="initiative_events",
        help_text="The document that records it (concept, draft, decision).",
    )

    class Meta:
        ordering = ["date_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "kind", "date_date", "date_precision"],
                name="initiative_event_unique",
                violation_error_message="This initiative already has this event on this date.",
            ),
            date_check("date", "initiative_event", required=True),
        ]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.get_kind_display()} ({self.date})"


class Expectation(Sourced):
    """What is expected from member states (all, or those listed) for an initiative."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,  # part of the initiative
        related_name="expectations",
        help_text="The initiative.",
    )
    position = models.PositiveSmallIntegerField(help_text="1, 2, 3... in the initiative.")
    text_en = models.CharField(max_length=500, help_text="What is expected, in English.")
    text_ru = models.CharField(max_length=500, blank=True, help_text="The same, in Russian.")
    from_all = models.BooleanField(
        default=True, help_text="Expected from all member states (else from those listed)."
    )
    addressees = models.ManyToManyField(
        "registry.Actor",
        blank=True,
        related_name="expectations",
        help_text="The states asked, when not all member states.",
    )
    due_date, due_precision = date_columns("due date", required=False)
    due = PartialDateProperty("due")

    class Meta:
        ordering = ["initiative", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "position"],
                name="expectation_position_unique",
                violation_error_message="This initiative already has an expectation here.",
            ),
            date_check("due", "expectation"),
        ]

    def __str__(self) -> str:
        return self.text_en


class ExpectationResponse(DatedEvent, Sourced):
    """One state's answer to an expectation: a nomination, a contribution, a reply."""

    expectation = models.ForeignKey(
        Expectation,
        on_delete=models.CASCADE,  # a response is part of what it answers
        related_name="responses",
        help_text="What it answers.",
    )
    actor = models.ForeignKey(
        "registry.Actor",
        on_delete=models.PROTECT,  # keep the responding state while its response is on record
        related_name="expectation_responses",
        help_text="The state that responded.",
    )
    date_date, date_precision = date_columns("response's date", required=True)
    text_en = models.CharField(
        max_length=500, blank=True, help_text="What was given or nominated, in English."
    )
    text_ru = models.CharField(max_length=500, blank=True, help_text="The same, in Russian.")

    class Meta:
        ordering = ["date_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["expectation", "actor", "date_date", "date_precision"],
                name="expectation_response_unique",
                violation_error_message="This state's response on this date is already recorded.",
            ),
            date_check("date", "expectation_response", required=True),
        ]

    def __str__(self) -> str:
        return f"{self.actor}: {self.text_en or self.expectation} ({self.date})"


class FundProject(Span, Sourced):
    """A project of a fund (an institution), with who proposed it and where it stands."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "proposed"
        APPROVED = "approved", "approved"
        ONGOING = "ongoing", "ongoing"
        COMPLETED = "completed", "completed"
        CANCELLED = "cancelled", "cancelled"

    fund = models.ForeignKey(
        "bodies.Body",
        on_delete=models.PROTECT,  # the fund's projects are its record
        related_name="fund_projects",
        help_text="The fund.",
    )
    title_en = models.CharField(max_length=300, help_text="Title in English.")
    title_ru = models.CharField(max_length=300, blank=True, help_text="Title in Russian.")
    proposer = models.ForeignKey(
        "registry.Actor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # keep the proposer while its project is on record
        related_name="fund_projects",
        help_text="Who proposed it.",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PROPOSED, help_text="Where it stands."
    )
    start_date, start_precision = date_columns("start", required=False)
    end_date, end_precision = date_columns("end", required=False)

    class Meta:
        ordering = ["fund", "start_date", "title_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "title_en"],
                name="fund_project_unique",
                violation_error_message="This fund already has a project with this title.",
            ),
            *span_constraints("fund_project", start_required=False),
        ]

    def __str__(self) -> str:
        return self.title_en


class FundContribution(DatedEvent, Sourced):
    """Money or an in-kind contribution made by an actor to a fund."""

    fund = models.ForeignKey(
        "bodies.Body",
        on_delete=models.PROTECT,  # the fund's contributions are its record
        related_name="fund_contributions",
        help_text="The fund.",
    )
    actor = models.ForeignKey(
        "registry.Actor",
        on_delete=models.PROTECT,  # keep the contributor while its contribution is on record
        related_name="fund_contributions",
        help_text="Who contributed.",
    )
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Amount, if money."
    )
    currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217 code, e.g. USD.")
    in_kind_en = models.CharField(
        max_length=300, blank=True, help_text="What was given in kind, in English."
    )
    date_date, date_precision = date_columns("contribution's date", required=True)

    class Meta:
        ordering = ["fund", "date_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "actor", "date_date", "date_precision"],
                name="fund_contribution_unique",
                violation_error_message="This contribution is already recorded.",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=False, currency__gt="") | ~Q(in_kind_en=""),
                name="fund_contribution_amount_or_in_kind",
                violation_error_message="Give an amount with its currency, or what was given.",
                violation_error_code="backstop",
            ),
            date_check("date", "fund_contribution", required=True),
        ]

    def __str__(self) -> str:
        what = f"{self.amount} {self.currency}" if self.amount is not None else self.in_kind_en
        return f"{self.actor}: {what} ({self.date})"

    def clean(self) -> None:
        if self.amount is None and not self.in_kind_en:
            raise ValidationError("Give an amount with its currency, or what was given in kind.")
        if self.amount is not None and not self.currency:
            raise ValidationError({"currency": "An amount needs its currency."})


class Partnership(Sourced):
    """The organization's relation with another international organization."""

    actor = models.OneToOneField(
        "registry.Actor",
        on_delete=models.PROTECT,  # keep the partner while the partnership is on record
        related_name="partnership",
        help_text="The other organization.",
    )

    class Meta:
        ordering = ["actor__name_en"]

    def __str__(self) -> str:
        return f"Partnership with {self.actor}"

    def clean(self) -> None:
        if self.actor_id and self.actor.kind != "organization":
            raise ValidationError(
                {"actor": f"{self.actor} is a state: a partnership is with an organization."}
            )


class PartnershipEvent(DatedEvent, Sourced):
    """A dated step of a partnership; its stage on a date is the latest certain step."""

    Kind = models.TextChoices(
        "Kind", [(s.upper(), (s, s.replace("_", " "))) for s in transitions.STAGES]
    )

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,  # the events are the partnership's own history
        related_name="events",
        help_text="The partnership.",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, help_text="What happened.")
    meeting = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the meeting where it happened is part of the record
        related_name="partnership_events",
        help_text="The meeting where it happened.",
    )
    body = models.ForeignKey(
        "bodies.Body",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the deciding body is part of the record
        related_name="partnership_events",
        help_text="The body that decided it (e.g. the SOC).",
    )
    document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the MoU or decision is part of the record
        related_name="partnership_events",
        help_text="The document (MoU, decision).",
    )

    class Meta:
        ordering = ["date_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "kind", "date_date", "date_precision"],
                name="partnership_event_unique",
                violation_error_message="This partnership already has this event on this date.",
            ),
            date_check("date", "partnership_event", required=True),
        ]

    def __str__(self) -> str:
        return f"{self.partnership.actor}: {self.get_kind_display()} ({self.date})"
