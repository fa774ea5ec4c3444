"""Treaties: the depositary facts of an agreement or convention and the actions of each state.
Status and entry into force are derived (engine.py); figures sources report without names
are figures.ReportedFigure about the treaty."""

from django.db import models
from django.db.models import Q

from secretariat.core.models import DatedEvent, Sourced, date_check, date_columns
from secretariat.core.partial_dates import PartialDateProperty

from . import engine


class Treaty(Sourced):
    """The depositary facts and entry-into-force rule of a document that states become party to."""

    class Parties(models.TextChoices):
        MEMBER_STATES = "member_states", "member states only"
        ANY_STATE = "any_state", "any state"

    document = models.OneToOneField(
        "documents.Document",
        on_delete=models.PROTECT,  # the treaty's text and identity are the document
        related_name="treaty",
        help_text="The agreement or convention.",
    )
    depositary_en = models.CharField(
        max_length=300, blank=True, help_text="Who keeps the instruments, in English."
    )
    depositary_ru = models.CharField(
        max_length=300, blank=True, help_text="Who keeps the instruments, in Russian."
    )
    opened_date, opened_precision = date_columns("opening for signature", required=False)
    opened = PartialDateProperty("opened")
    opened_place_en = models.CharField(
        max_length=200, blank=True, help_text="Where it was opened for signature, in English."
    )
    opened_place_ru = models.CharField(
        max_length=200, blank=True, help_text="Where it was opened for signature, in Russian."
    )
    opened_at = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the meeting where it was opened is part of the record
        related_name="treaties_opened",
        help_text="The meeting at which it was opened for signature.",
    )
    parties = models.CharField(
        max_length=15,
        choices=Parties.choices,
        default=Parties.MEMBER_STATES,
        help_text="Who may become a party: member states only, or any state.",
    )
    eif_instruments = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Entry into force: the N-th instrument that brings it into force.",
    )
    eif_kinds = models.JSONField(
        default=list,
        blank=True,
        help_text="Instruments that count: ratification, acceptance, approval, accession "
        "(succession counts like accession).",
    )
    eif_delay_days = models.PositiveIntegerField(
        default=0, help_text="Days after the deposit of the N-th instrument (e.g. 30)."
    )
    eif_later_delay_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="For a state depositing later: days after its own deposit (default: the same).",
    )
    eif_text = models.TextField(blank=True, help_text="The entry-into-force clause as written.")

    class Meta:
        ordering = ["document__symbol"]
        verbose_name_plural = "treaties"
        constraints = [
            date_check("opened", "treaty"),
            models.CheckConstraint(
                condition=Q(eif_instruments__isnull=True) | Q(eif_instruments__gte=1),
                name="treaty_eif_instruments_positive",
                violation_error_message="Entry into force needs at least one instrument.",
            ),
        ]

    def __str__(self) -> str:
        return str(self.document)

    def clean(self) -> None:
        from .rules import check_treaty  # cycle: rules import these models

        check_treaty(self)

    def check_reported_figure(self, figure) -> None:
        """The treaty's own rule for a figure about it (figures.ReportedFigure.clean asks)."""
        from .rules import check_figure  # cycle: rules import these models

        check_figure(self, figure)

    @property
    def rule(self) -> engine.Rule:
        """The entry-into-force rule as the engine reads it."""
        return engine.Rule(
            instruments=self.eif_instruments,
            kinds=frozenset(self.eif_kinds or engine.CONSENT),
            delay_days=self.eif_delay_days or 0,
            later_delay_days=self.eif_later_delay_days,
        )


class TreatyAction(DatedEvent, Sourced):
    """A state's dated act on a treaty: a signature, an instrument, a statement, a denunciation."""

    class Kind(models.TextChoices):
        SIGNATURE = "signature", "signature"
        SIGNATURE_WITHDRAWAL = "signature_withdrawal", "withdrawal of signature"
        RATIFICATION = "ratification", "ratification"
        ACCEPTANCE = "acceptance", "acceptance (A)"
        APPROVAL = "approval", "approval (AA)"
        ACCESSION = "accession", "accession (a)"
        SUCCESSION = "succession", "succession (d)"
        RESERVATION = "reservation", "reservation"
        DECLARATION = "declaration", "declaration"
        OBJECTION = "objection", "objection"
        RESERVATION_WITHDRAWAL = "reservation_withdrawal", "withdrawal of a reservation"
        DENUNCIATION = "denunciation", "denunciation"

    treaty = models.ForeignKey(
        Treaty,
        on_delete=models.PROTECT,  # the actions are the treaty's record
        related_name="actions",
        help_text="The treaty.",
    )
    actor = models.ForeignKey(
        "registry.Actor",
        on_delete=models.PROTECT,  # a state's instrument is history
        related_name="treaty_actions",
        help_text="The state acting.",
    )
    kind = models.CharField(max_length=25, choices=Kind.choices, help_text="What the state did.")
    date_date, date_precision = date_columns(
        "date of signature, or of deposit of the instrument", required=True
    )
    effective_date, effective_precision = date_columns(
        "day a denunciation takes effect", required=False
    )
    effective = PartialDateProperty("effective")
    domestic_act_en = models.CharField(
        max_length=500, blank=True, help_text="The domestic act, e.g. the law, in English."
    )
    domestic_act_ru = models.CharField(
        max_length=500, blank=True, help_text="The domestic act, in Russian."
    )
    domestic_act_date_date, domestic_act_date_precision = date_columns(
        "domestic act's date", required=False
    )
    domestic_act_date = PartialDateProperty("domestic_act_date")
    statement = models.TextField(
        blank=True, help_text="The text of a reservation, declaration or objection."
    )

    class Meta:
        ordering = ["date_date", "id"]
        indexes = [models.Index(fields=["treaty", "actor"])]
        constraints = [
            models.UniqueConstraint(
                fields=["treaty", "actor", "kind", "date_date", "date_precision"],
                name="treaty_action_unique",
                violation_error_message="This action is already on record.",
            ),
            models.UniqueConstraint(
                fields=["treaty", "actor", "kind"],
                condition=Q(kind__in=engine.ONCE),
                name="treaty_action_once",
                violation_error_message="A state performs this action once on a treaty.",
            ),
            date_check("date", "treaty_action", required=True),
            date_check("effective", "treaty_action"),
            date_check("domestic_act_date", "treaty_action"),
            models.CheckConstraint(
                condition=Q(effective_date__isnull=True) | Q(kind="denunciation"),
                name="treaty_action_effective_on_denunciation",
                violation_error_message="Only a denunciation has an effective date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor}: {self.get_kind_display()} ({self.date})"

    def clean(self) -> None:
        from .rules import check_action  # cycle: rules import these models

        check_action(self)

    def as_act(self) -> engine.Act:
        return engine.Act(self.actor_id, self.kind, self.date, self.effective, ref=self)
