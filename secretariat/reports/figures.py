"""Figures sources give (members on a day, priority areas of the catalogue), stated beside
the counts the record gives on the same day, with the public note that says why they
differ where they do (figures.compare has the rule)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from secretariat.core.partial_dates import PartialDate
from secretariat.figures.compare import Comparison
from secretariat.figures.labels import MEASURE_LABELS

from .compose import Statement
from .model import Item
from .wording import day_text


def _count(comparison: Comparison) -> str:
    computed = comparison.computed
    if computed.uncertain:
        return _("%(low)s to %(high)s") % {"low": computed.low, "high": computed.high}
    return str(computed.value)


def figure_text(comparison: Comparison) -> str:
    """ "A source counts 10 observers as of 4 June 2002; the record holds 7 on 4 June 2002." """
    said = {
        "n": comparison.reported,
        "what": MEASURE_LABELS.get(comparison.measure, comparison.measure),
        "date": day_text(comparison.as_of),
    }
    if comparison.computed is None:
        text = _("A source counts %(n)s %(what)s as of %(date)s; the record has nothing to count.")
        return text % said
    if not comparison.differs:
        return _("A source counts %(n)s %(what)s as of %(date)s, as the record does.") % said
    return _(
        "A source counts %(n)s %(what)s as of %(date)s; the record holds %(m)s on %(day)s."
    ) % {
        **said,
        "m": _count(comparison),
        "day": day_text(PartialDate.parse(comparison.compared_on)),
    }


def figure_item(comparison: Comparison, *, page: str | None = None) -> Item:
    """The figure beside the record's count, with why they differ (the figure's public
    note), linked to the page that shows both."""
    return Statement().item(figure_text(comparison), note=comparison.figure.note, page=page)
