"""Consensus procedures on a document version, and the positions states take."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from secretariat.core.models import Sourced, TimeStamped


class Procedure(Sourced):
    """A document version put before a body: at a meeting, or by silence until a deadline."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "decision at a meeting"
        SILENCE = "silence", "silence procedure"

    class Visibility(models.TextChoices):
        """Who is shown the states' positions and statements (decisions.selectors
        .positions_seen): everyone sees the outcome and how many objected."""

        PUBLIC = "public", "everyone"
        MEMBERS = "members", "member states' delegates and the Secretariat"
        OFFICERS = "officers", "the Secretariat only"

    version = models.ForeignKey(
        "documents.DocumentVersion",
        on_delete=models.PROTECT,  # a procedure decides on exactly this text
        related_name="procedures",
        help_text="The version decided on.",
    )
    body = models.ForeignKey(
        "bodies.Body",
        on_delete=models.PROTECT,  # the deciding body is part of the record
        related_name="procedures",
        help_text="The body deciding.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, help_text="Meeting or silence.")
    meeting = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the deciding meeting is part of the record
        related_name="procedures",
        help_text="For a decision at a meeting: the meeting.",
    )
    opened_at = models.DateTimeField(
        help_text="When the procedure opened; the eligible states are the members that day."
    )
    deadline = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Silence procedure: adopted if no objection by then. Meeting: when it decides.",
    )
    positions_visibility = models.CharField(
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
        help_text="Who sees which state took which position, and the statements: everyone, "
        "member states' delegates and the Secretariat, or the Secretariat only. Everyone "
        "sees the outcome and the number of objections; a delegate always sees its own "
        "state's positions.",
    )

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gt=models.F("opened_at")),
                name="procedure_deadline_after_opening",
                violation_error_message="The deadline must come after the opening.",
                violation_error_code="backstop",
            ),
            models.CheckConstraint(
                condition=Q(kind="meeting", meeting__isnull=False)
                | Q(kind="silence", meeting__isnull=True, deadline__isnull=False),
                name="procedure_kind_fields",
                violation_error_message=(
                    "A decision at a meeting names its meeting; a silence procedure has a "
                    "deadline and no meeting."
                ),
                violation_error_code="backstop",
            ),
            models.CheckConstraint(
                condition=Q(positions_visibility__in=["public", "members", "officers"]),
                name="procedure_positions_visibility_valid",
                violation_error_message="Positions are shown to the public, members or officers.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.version}"

    def clean(self) -> None:
        from .rules import check_procedure  # cycle: rules import these models

        check_procedure(self)


class ProcedureClosing(models.Model):
    """The recorded close of a procedure (the outcome itself is always derived)."""

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", "adopted"
        FAILED = "failed", "failed"

    procedure = models.OneToOneField(
        Procedure,
        on_delete=models.PROTECT,  # the closing is part of the procedure's record
        related_name="closing",
        help_text="The procedure closed.",
    )
    outcome = models.CharField(
        max_length=10, choices=Outcome.choices, help_text="adopted or failed, as derived."
    )
    closed_at = models.DateTimeField(help_text="The moment the outcome became final.")
    recorded_at = models.DateTimeField(auto_now_add=True, help_text="When this was written.")
    event = models.ForeignKey(
        "documents.DocumentEvent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the adoption event written at the close is its record
        related_name="procedure_closings",
        help_text="The document's 'adopted' event written at the close, if any.",
    )
    adoption_refused = models.TextField(
        blank=True,
        help_text="Why the document's lifecycle refused the adoption (e.g. it was withdrawn).",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["adopted", "failed"]),
                name="procedure_closing_outcome_valid",
                violation_error_message="A procedure closes as adopted or failed.",
            ),
            models.CheckConstraint(
                condition=Q(event__isnull=True) | Q(outcome="adopted"),
                name="procedure_closing_event_on_adoption",
                violation_error_message="Only an adoption writes a lifecycle event.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure}: {self.outcome}"


class Position(TimeStamped):
    """A state's position in a procedure, never erased: a change is a new position."""

    class Kind(models.TextChoices):
        SUPPORT = "support", "support / no objection"
        OBJECTION = "objection", "objection"
        WITHDRAWAL = "withdrawal", "withdrawal of an objection"
        RESERVATION = "reservation", "joins consensus with a reservation"
        INTERPRETATIVE = "interpretative", "joins consensus with an interpretative statement"
        COMMENT = "comment", "comment (not a position on adoption)"

    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.PROTECT,  # positions are the procedure's record
        related_name="positions",
        help_text="The procedure.",
    )
    actor = models.ForeignKey(
        "registry.Actor",
        on_delete=models.PROTECT,  # a state's position is history
        related_name="positions",
        help_text="The state (or, for comments, observer or partner) taking it.",
    )
    kind = models.CharField(max_length=15, choices=Kind.choices, help_text="The position.")
    stated_at = models.DateTimeField(help_text="When the position was taken.")
    statement = models.TextField(blank=True, help_text="The statement on record, if any.")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # keep the position if the account goes
        related_name="+",
        help_text="Who entered it.",
    )

    class Meta:
        ordering = ["stated_at", "id"]
        indexes = [models.Index(fields=["procedure", "actor"])]
        constraints = [
            # Two positions of one state at one instant would leave its stance ambiguous.
            models.UniqueConstraint(
                fields=["procedure", "actor", "stated_at"],
                name="position_one_per_moment",
                violation_error_message=(
                    "This state already has a position stated at that moment; "
                    "a change of position is stated later."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor}: {self.get_kind_display()}"

    def clean(self) -> None:
        from .rules import check_position  # cycle: rules import these models

        check_position(self)
