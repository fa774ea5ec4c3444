"""Loading treaties.yaml: depositary facts, treaty actions and reported figures (the same
figures as figures.yaml gives with `treaty:`, kept here beside the treaty they count of)."""

from __future__ import annotations

from secretariat.figures.models import SUBJECT_MEASURES
from secretariat.treaties import services as treaties
from secretariat.treaties.models import Treaty, TreatyAction

from .yamlfile import DatasetError, Entry

RULE_FIELDS = {"instruments", "kinds", "delay_days", "later_delay_days", "text"}


class TreatyRecords:
    """The Loader's handler for treaties.yaml (it provides the field readers)."""

    def _treaty(self, rec: Entry) -> None:
        self._fields(
            rec,
            {"document"},
            {"depositary", "opened", "opened_place", "opened_at", "parties", "entry_into_force",
             "actions", "reported"},
        )  # fmt: skip
        document = self._ref(rec, "document", self.documents, "document")
        depositary_en, depositary_ru = self._names(rec, "depositary")
        place_en, place_ru = self._names(rec, "opened_place")
        rule = rec.get("entry_into_force") or {}
        if not isinstance(rule, dict) or set(rule) - RULE_FIELDS:
            raise DatasetError(
                rec.file,
                rec.line_of("entry_into_force"),
                f"'entry_into_force' takes: {', '.join(sorted(RULE_FIELDS))}",
            )
        kinds = rule.get("kinds") or []
        if not isinstance(kinds, list):
            raise DatasetError(rec.file, rec.line_of("entry_into_force"), "'kinds' is a list")
        treaty, outcome = treaties.treaty_upsert(
            document=document,
            depositary_en=depositary_en,
            depositary_ru=depositary_ru,
            opened=self._date(rec, "opened"),
            opened_place_en=place_en,
            opened_place_ru=place_ru,
            opened_at=self._ref(rec, "opened_at", self.meetings, "meeting"),
            parties=self._choice(rec, "parties", Treaty.Parties.values, "member_states"),
            eif_instruments=rule.get("instruments"),
            eif_kinds=[str(k) for k in kinds],
            eif_delay_days=rule.get("delay_days") or 0,
            eif_later_delay_days=rule.get("later_delay_days"),
            eif_text=str(rule.get("text") or "").strip(),
            **self._common(rec),
        )
        self._count("treaties", outcome)
        for item in self._list(rec, "actions"):
            self._guarded(item, self._treaty_action, treaty)
        for item in self._list(rec, "reported"):
            self._guarded(item, self._reported_figure, treaty)

    def _treaty_action(self, rec: Entry, treaty) -> None:
        self._fields(
            rec,
            {"actor", "kind", "date"},
            {"effective", "domestic_act", "domestic_act_date", "statement"},
        )
        act_en, act_ru = self._names(rec, "domestic_act")
        _, outcome = treaties.treaty_action_upsert(
            treaty=treaty,
            actor=self._ref(rec, "actor", self.actors, "actor"),
            kind=self._choice(rec, "kind", TreatyAction.Kind.values),
            date=self._date(rec, "date"),
            effective=self._date(rec, "effective"),
            domestic_act_en=act_en,
            domestic_act_ru=act_ru,
            domestic_act_date=self._date(rec, "domestic_act_date"),
            statement=self._text(rec, "statement"),
            **self._common(rec),
        )
        self._count("treaty actions", outcome)

    def _reported_figure(self, rec: Entry, treaty) -> None:
        self._fields(rec, {"as_of", "metric", "value"}, set())
        value = rec.get("value")
        if not isinstance(value, int) or value < 0:
            raise DatasetError(rec.file, rec.line_of("value"), "'value' must be a whole number")
        _, outcome = treaties.reported_figure_upsert(
            treaty=treaty,
            metric=self._choice(rec, "metric", SUBJECT_MEASURES["treaties.treaty"]),
            as_of=self._date(rec, "as_of"),
            value=value,
            **self._common(rec),
        )
        self._count("reported figures", outcome)
