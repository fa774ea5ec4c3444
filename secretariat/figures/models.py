"""Figures a source states ("27 Member States", "11 meetings held", "18 priority areas"),
kept beside the counts the record gives, never instead of them.

One model for every count: what is counted (the measure), of what (the subject: the
organization, a body, a meeting, a treaty, an edition of the catalogue), as of which date
(a partial date: a day, a month or a year), the value and its sources. The computed
counterpart of each measure is its app's (compare.py says how the two are set side by side).
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from secretariat.core.models import Sourced, date_columns
from secretariat.core.partial_dates import PartialDateProperty, partial_date_valid


class Measure(models.TextChoices):
    """What a figure counts; which subjects each measure counts of is in SUBJECT_MEASURES."""

    MEMBERS = "members", "members"
    OBSERVERS = "observers", "observers"
    OBSERVER_STATES = "observer_states", "observer states"
    OBSERVER_ORGANIZATIONS = "observer_organizations", "observer organizations"
    PARTNERS = "partners", "partners"
    MEETINGS_HELD = "meetings_held", "meetings held"
    PARTICIPANTS = "participants", "participants"
    SIGNATORIES = "signatories", "signatories"
    PARTIES = "parties", "parties"
    SIGNED_AND_RATIFIED = "signed_and_ratified", "signed and ratified"
    SIGNED_NOT_RATIFIED = "signed_not_ratified", "signed but not ratified"
    INSTRUMENTS_REQUIRED = "instruments_required", "instruments still required"
    AREAS = "areas", "priority areas"


# The subjects a figure may be about (content type "app_label.model"), with what each counts.
SUBJECT_MEASURES: dict[str, tuple[str, ...]] = {
    "core.organization": (
        Measure.MEMBERS,
        Measure.OBSERVERS,
        Measure.OBSERVER_STATES,
        Measure.OBSERVER_ORGANIZATIONS,
        Measure.PARTNERS,
    ),
    "bodies.body": (Measure.MEETINGS_HELD,),
    "bodies.meeting": (Measure.PARTICIPANTS,),
    "treaties.treaty": (
        Measure.SIGNATORIES,
        Measure.PARTIES,
        Measure.SIGNED_AND_RATIFIED,
        Measure.SIGNED_NOT_RATIFIED,
        Measure.INSTRUMENTS_REQUIRED,
    ),
    "programme.catalogueedition": (Measure.AREAS,),
}


class ReportedFigure(Sourced):
    """A count a source states, as of a date, of the organization or one of its records."""

    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,  # a figure must not silently lose what it counts
        related_name="+",
        help_text="Kind of record counted of: the organization, a body, a meeting, a treaty, "
        "an edition of the catalogue.",
    )
    subject_id = models.PositiveBigIntegerField(help_text="Id of the record counted of.")
    subject = GenericForeignKey("subject_type", "subject_id")
    measure = models.CharField(max_length=30, choices=Measure.choices, help_text="What is counted.")
    as_of_date, as_of_precision = date_columns("date the figure is given as of", required=True)
    as_of = PartialDateProperty("as_of")
    value = models.PositiveIntegerField(help_text="The figure as the source gives it.")

    class Meta:
        ordering = ["subject_type", "subject_id", "as_of_date", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "measure", "as_of_date", "as_of_precision"],
                name="reported_figure_one_per_date",
                violation_error_message="This figure is already reported as of that date.",
            ),
            models.CheckConstraint(
                condition=partial_date_valid("as_of") & Q(as_of_date__isnull=False),
                name="reported_figure_as_of_given",
                violation_error_message="A date needs its precision: year, month or day.",
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.value} as of {self.as_of}"

    def clean(self) -> None:
        if self.subject_type_id is None or self.subject_id is None:
            return
        label = f"{self.subject_type.app_label}.{self.subject_type.model}"
        allowed = SUBJECT_MEASURES.get(label)
        if allowed is None:
            raise ValidationError(
                "A figure counts of the organization, a body, a meeting, a treaty or an "
                "edition of the catalogue."
            )
        if self.measure and self.measure not in allowed:
            words = ", ".join(str(Measure(m).label) for m in allowed)
            raise ValidationError(
                {"measure": f"Of this kind of record a figure counts only: {words}."}
            )
        subject = self.subject
        if subject is None:
            raise ValidationError({"subject_id": "No such record to count of."})
        # The subject's own app may refuse a figure (a treaty: none before it was opened).
        check = getattr(subject, "check_reported_figure", None)
        if check is not None:
            check(self)
