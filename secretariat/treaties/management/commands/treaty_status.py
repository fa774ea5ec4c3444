"""secretariat treaty-status <document key> [--at DATE] [--json]: a treaty's status table."""

import json

from django.core.management.base import BaseCommand, CommandError

from secretariat.accounts.policy import SYSTEM
from secretariat.core.commands import day_option, require_migrated
from secretariat.treaties.answers import TreatyStatusOut
from secretariat.treaties.selectors import treaty_get, treaty_status
from secretariat.treaties.status_table import csv_rows


class Command(BaseCommand):
    help = "A treaty's status table, counts and entry into force as of a date."

    def add_arguments(self, parser):
        parser.add_argument("key", help="The treaty's document key (or id).")
        parser.add_argument("--at", help="YYYY-MM-DD (default: today).")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, key: str, at: str | None, json: bool, **options):
        day = day_option(at)
        require_migrated()
        # The command is run by the Secretariat on its own server: it reads every level.
        treaty = treaty_get(key, user=SYSTEM)
        if treaty is None:
            raise CommandError(f"No treaty for document '{key}'.")
        state = treaty_status(treaty, at=day)
        data = TreatyStatusOut.build(state)
        if json:
            self.stdout.write(_dumps(data))
            return
        self.stdout.write(f"{data['document']['symbol']} {data['document']['title']}")
        self.stdout.write(f"As of {data['at']}: {data['entry_into_force']['display']}")
        rows = csv_rows(state)
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for row in rows:
            cells = (c.ljust(w) for c, w in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
        counts = data["counts"]
        parts = [f"{name.replace('_', ' ')}: {_figure(f)}" for name, f in counts.items()]
        if data["instruments_required"] is not None:
            parts.append(f"instruments still required: {_figure(data['instruments_required'])}")
        self.stdout.write("; ".join(parts))
        for item in data["reported"]:
            flag = "DIFFERS" if item["differs"] else "agrees"
            self.stdout.write(f"Reported {item['label']} ({flag}): {item['detail']}")


def _figure(value: dict) -> str:
    text = str(value["value"])
    return f"{text} ({value['uncertain']} uncertain)" if value["uncertain"] else text


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
