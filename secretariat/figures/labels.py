"""The measures' names on pages, in the reader's language."""

from django.utils.translation import pgettext_lazy

from .models import Measure

MEASURE_LABELS = {
    Measure.MEMBERS: pgettext_lazy("counted", "Member States"),
    Measure.OBSERVERS: pgettext_lazy("counted", "observers"),
    Measure.OBSERVER_STATES: pgettext_lazy("counted", "observer states"),
    Measure.OBSERVER_ORGANIZATIONS: pgettext_lazy("counted", "observer organizations"),
    Measure.PARTNERS: pgettext_lazy("counted", "partners"),
    Measure.MEETINGS_HELD: pgettext_lazy("counted", "meetings held"),
    Measure.PARTICIPANTS: pgettext_lazy("counted", "participants"),
    Measure.SIGNATORIES: pgettext_lazy("counted", "signatories"),
    Measure.PARTIES: pgettext_lazy("counted", "parties"),
    Measure.SIGNED_AND_RATIFIED: pgettext_lazy("counted", "Member States that signed and ratified"),
    Measure.SIGNED_NOT_RATIFIED: pgettext_lazy(
        "counted", "Member States that signed but did not ratify"
    ),
    Measure.INSTRUMENTS_REQUIRED: pgettext_lazy("counted", "instruments still required"),
    Measure.AREAS: pgettext_lazy("counted", "priority areas"),
}
assert set(MEASURE_LABELS) == set(Measure.values)
