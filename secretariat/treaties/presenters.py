"""Plain-data views of treaty status, for the API, the CSV and the CLI."""

from __future__ import annotations

import csv
import io
from typing import Any

from secretariat.checklists.presenters import checklist_dict
from secretariat.checklists.selectors import checklist
from secretariat.core.partial_dates import Certainty
from secretariat.core.presenters import partial, sources
from secretariat.figures.answers import ReportedFigureOut, label_of
from secretariat.figures.compare import Comparison
from secretariat.registry.presenters import actor_ref, meeting_ref

from . import engine
from .models import Treaty, TreatyAction
from .selectors import TreatyStatus

CSV_HEADER = [
    "Participant",
    "Signature",
    engine.CONSENT_HEADING,
    "Denunciation (effective)",
    "Entry into force for the participant",
]


def document_ref(treaty: Treaty) -> dict[str, Any]:
    document = treaty.document
    return {
        "key": document.key,
        "id": document.pk,
        "symbol": document.symbol,
        "title": document.title_en,
        "type": document.type,
        "access": document.access,
    }


def day_range(value: engine.DayRange | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "earliest": value.earliest,
        "latest": value.latest,
        "certain": value.exact,
        "display": value.display(),
    }


def figure(value: engine.Figure | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "value": value.value,
        "uncertain": value.uncertain,
        "low": value.low,
        "high": value.high,
    }


def consent_cell(row: engine.Row) -> str:
    """ "8 Jun 2010 a": the instrument's date and its UN Treaty Collection marker."""
    if row.consent is None:
        return ""
    return f"{row.consent.date.display()} {row.marker}".strip()


def denunciation_cell(row: engine.Row) -> str:
    if row.denunciation is None:
        return ""
    act = row.denunciation
    return f"{act.date.display()} (effective {act.takes_effect.display()})"


def action_dict(act: engine.Act) -> dict[str, Any]:
    action: TreatyAction = act.ref
    return {
        "id": action.pk,
        "kind": action.kind,
        "label": action.get_kind_display(),
        "date": partial(action.date),
        "effective": partial(action.effective),
        "domestic_act": action.domestic_act_en or None,
        "domestic_act_ru": action.domestic_act_ru or None,
        "domestic_act_date": partial(action.domestic_act_date),
        "statement": action.statement or None,
    }


def row_dict(row: engine.Row, actors: dict) -> dict[str, Any]:
    return {
        "participant": actor_ref(actors[row.actor]),
        "signature": partial(row.signature.date) if row.signature else None,
        "signature_withdrawn": partial(row.signature_withdrawal.date)
        if row.signature_withdrawal
        else None,
        "instrument": action_dict(row.consent) if row.consent else None,
        "marker": row.marker or None,
        "instrument_display": consent_cell(row) or None,
        "denunciation": action_dict(row.denunciation) if row.denunciation else None,
        "signed": row.signed.value,
        "party": row.party.value,
        "entry_into_force": day_range(row.entry_into_force),
        "statements": [action_dict(a) for a in row.statements],
    }


def entry_into_force_dict(status: engine.Status) -> dict[str, Any]:
    rule = status.rule
    in_force = status.in_force
    if not rule.instruments:
        text = "No entry-into-force rule on record."
    elif status.entry_into_force is None:
        text = "Not in force."
    elif in_force is Certainty.YES:
        text = f"In force since {status.entry_into_force.display()}."
    elif in_force is Certainty.UNCERTAIN:
        text = f"Possibly in force: enters into force {status.entry_into_force.display()}."
    else:
        text = f"Not yet in force: enters into force on {status.entry_into_force.display()}."
    return {
        "in_force": in_force.value,
        "date": day_range(status.entry_into_force),
        "instrument_deposited": day_range(status.trigger),
        "display": text,
    }


def rule_dict(treaty: Treaty) -> dict[str, Any]:
    return {
        "instruments": treaty.eif_instruments,
        "kinds": list(treaty.eif_kinds or []),
        "delay_days": treaty.eif_delay_days,
        "later_delay_days": treaty.eif_later_delay_days,
        "text": treaty.eif_text or None,
    }


def comparison_dict(item: Comparison) -> dict[str, Any]:
    """A figure beside the computed one (figures.answers), its measure also as `metric`."""
    data = ReportedFigureOut.build(item)
    return {**data, "metric": item.measure, "label": label_of_metric(item.measure)}


def label_of_metric(metric: str) -> str:
    return label_of(metric)


def treaty_summary(state: TreatyStatus) -> dict[str, Any]:
    treaty, status = state.treaty, state.status
    return {
        "id": treaty.pk,
        "document": document_ref(treaty),
        "depositary": treaty.depositary_en or None,
        "opened": partial(treaty.opened),
        "parties_may_be": treaty.parties,
        "at": status.at,
        "counts": {k: figure(v) for k, v in status.counts.items() if k != "instruments_required"},
        "instruments_required": figure(status.instruments_required),
        "entry_into_force": entry_into_force_dict(status),
        "reported_differs": any(c.differs for c in state.comparisons),
    }


def treaty_status_dict(state: TreatyStatus) -> dict[str, Any]:
    treaty, status = state.treaty, state.status
    actors = state.actors
    return {
        **treaty_summary(state),
        "depositary_ru": treaty.depositary_ru or None,
        "opened_place": treaty.opened_place_en or None,
        "opened_place_ru": treaty.opened_place_ru or None,
        "opened_at": meeting_ref(treaty.opened_at),
        "rule": rule_dict(treaty),
        "table": [row_dict(r, actors) for r in status.rows],
        "denunciations": [
            {
                "participant": actor_ref(actors[r.actor]),
                "date": partial(r.denunciation.date),
                "effective": partial(r.denunciation.takes_effect),
                "party": r.party.value,
            }
            for r in status.denunciations
        ],
        "reported": [comparison_dict(c) for c in state.comparisons],
        "next_steps": checklist_dict(checklist(treaty.document)),
        "note": treaty.note or None,
        "sources": sources(treaty),
    }


def csv_rows(state: TreatyStatus) -> list[list[str]]:
    actors = state.actors
    rows = [CSV_HEADER]
    for row in state.status.rows:
        signature = row.signature.date.display() if row.signature else ""
        if row.signature_withdrawal:
            signature += f" (withdrawn {row.signature_withdrawal.date.display()})"
        eif = row.entry_into_force.display() if row.entry_into_force else ""
        rows.append(
            [actors[row.actor].name_en, signature, consent_cell(row), denunciation_cell(row), eif]
        )
    return rows


def csv_text(state: TreatyStatus) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(csv_rows(state))
    return out.getvalue()
