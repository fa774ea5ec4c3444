"""A treaty's status table as CSV rows (the API's status.csv, the exports and the CLI);
its answers are in treaties.answers."""

from __future__ import annotations

import csv
import io

from . import engine
from .selectors import TreatyStatus

CSV_HEADER = [
    "Participant",
    "Signature",
    engine.CONSENT_HEADING,
    "Denunciation (effective)",
    "Entry into force for the participant",
]


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
