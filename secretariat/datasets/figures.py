"""Loading figures.yaml: counts that sources state (members on a date, meetings held by a
body, participants, ratifications, priority areas), kept beside the computed counts."""

from __future__ import annotations

from secretariat.figures.models import SUBJECT_MEASURES, Measure
from secretariat.figures.services import figure_upsert
from secretariat.programme.models import CatalogueEdition
from secretariat.treaties.models import Treaty

from .yamlfile import DatasetError, Entry

# What a figure may be counted of, by the field that names it (none: the organization).
SUBJECT_FIELDS = ("body", "meeting", "treaty", "edition")


class FigureRecords:
    """The Loader's handler for figures.yaml (it provides the field readers)."""

    def _figure(self, rec: Entry) -> None:
        self._fields(rec, {"measure", "as_of", "value"}, set(SUBJECT_FIELDS))
        named = [f for f in SUBJECT_FIELDS if rec.get(f) not in (None, "")]
        if len(named) > 1:
            raise DatasetError(
                rec.file, rec.line_of(named[1]), f"a figure counts of one record: '{named[0]}' "
                f"or '{named[1]}', not both",
            )  # fmt: skip
        subject, kind = self._figure_subject(rec, named[0] if named else None)
        measure = self._choice(rec, "measure", Measure.values)
        if measure not in SUBJECT_MEASURES[kind]:
            allowed = ", ".join(SUBJECT_MEASURES[kind])
            raise DatasetError(
                rec.file, rec.line_of("measure"),
                f"'{measure}' is not counted of {_what(named)}; it takes: {allowed}",
            )  # fmt: skip
        value = rec.get("value")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise DatasetError(rec.file, rec.line_of("value"), "'value' must be a whole number")
        _, outcome = figure_upsert(
            subject=subject,
            measure=measure,
            as_of=self._date(rec, "as_of"),
            value=value,
            **self._common(rec),
        )
        self._count("reported figures", outcome)

    def _figure_subject(self, rec: Entry, field: str | None):
        """The record the figure counts of, and its kind as figures.models names it."""
        if field is None:
            if self.organization is None:
                raise DatasetError(rec.file, rec.line, "no organization is on record")
            return self.organization, "core.organization"
        if field == "body":
            return self._ref(rec, "body", self.bodies, "body"), "bodies.body"
        if field == "meeting":
            return self._ref(rec, "meeting", self.meetings, "meeting"), "bodies.meeting"
        document = self._ref(rec, field, self.documents, "document")
        if field == "treaty":
            found = Treaty.objects.filter(document=document).first()
            what, kind = "a treaty", "treaties.treaty"
        else:
            found = CatalogueEdition.objects.filter(document=document).first()
            what, kind = "an edition of the catalogue", "programme.catalogueedition"
        if found is None:
            raise DatasetError(
                rec.file, rec.line_of(field), f"'{document.key}' is not {what} on record"
            )
        return found, kind


def _what(named: list[str]) -> str:
    return f"a {named[0]}" if named else "the organization"
