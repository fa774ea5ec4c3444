"""Template helpers for figures sources give beside the record's counts."""

from django import template
from django.utils import formats
from django.utils.translation import get_language

from secretariat.figures.labels import MEASURE_LABELS

register = template.Library()


@register.filter
def measure_label(measure: str) -> str:
    """What a measure counts, in the page's language ("Member States", "meetings held")."""
    return str(MEASURE_LABELS.get(measure, measure))


@register.filter
def partial_text(value: dict | None) -> str:
    """A partial date from the answers ({precision, earliest, ...}) as text in the page's
    language: "4 June 2002", "September 2024", "2024"."""
    if not value:
        return ""
    day = value["earliest"]
    if value["precision"] == "day":
        return formats.date_format(day, "j E Y")
    if value["precision"] == "month":
        text = formats.date_format(day, "F Y")
        return text.lower() if get_language() == "ru" else text  # "на сентябрь 2024"
    return str(day.year)


@register.filter
def count_text(value: dict | None) -> str:
    """A count from the record ({value, low, high, uncertain}): "16", or "20-22" where
    partial dates leave it open."""
    if not value:
        return ""
    if value["uncertain"]:
        return f"{value['low']}–{value['high']}"
    return str(value["value"])
