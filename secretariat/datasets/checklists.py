"""Loading checklists.yaml: the ordered next steps on a record of the dataset."""

from __future__ import annotations

from secretariat.checklists import services as checklists
from secretariat.checklists.models import NextStep

from .yamlfile import DatasetError, Entry


class ChecklistRecords:
    """The Loader's handler for checklists.yaml (it provides the field readers)."""

    def _checklist(self, rec: Entry) -> None:
        unknown = set(rec) - {"document", "steps", "note", "editorial_note"}
        if unknown:
            key = sorted(unknown, key=rec.line_of)[0]
            raise DatasetError(rec.file, rec.line_of(key), f"unknown field '{key}'")
        subject = self._ref(rec, "document", self.documents, "document")
        if subject is None:
            raise DatasetError(rec.file, rec.line, "say whose checklist it is: 'document'")
        steps = [self._guarded(item, self._step) for item in self._list(rec, "steps")]
        if not steps:
            raise DatasetError(rec.file, rec.line_of("steps"), "a checklist needs its steps")
        for outcome in self._guarded(
            rec, lambda r: checklists.checklist_set(subject=subject, steps=steps)
        ):
            self._count("next steps", outcome)

    def _step(self, rec: Entry) -> dict:
        self._fields(rec, {"title", "status"}, {"responsible", "responsible_text", "due", "done"})
        title_en, title_ru = self._names(rec, "title", required=True)
        text_en, text_ru = self._names(rec, "responsible_text")
        return {
            "title_en": title_en,
            "title_ru": title_ru,
            "responsible": self._ref(rec, "responsible", self.actors, "actor"),
            "responsible_text_en": text_en,
            "responsible_text_ru": text_ru,
            "status": self._choice(rec, "status", NextStep.Status.values),
            "due": self._date(rec, "due"),
            "done": self._date(rec, "done"),
            **self._common(rec),
        }
