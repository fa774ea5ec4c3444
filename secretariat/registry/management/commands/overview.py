"""secretariat overview [--at DATE] [--json]: the organization as of a date."""

import json

from django.core.management.base import BaseCommand

from secretariat.core.commands import day_option, require_migrated
from secretariat.registry.answers import OverviewOut
from secretariat.registry.selectors import overview_at


class Command(BaseCommand):
    help = "Members, observers, partners, chair, troika and head of the Secretariat on a date."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="YYYY-MM-DD (default: today).")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, at: str | None, json: bool, **options):
        day = day_option(at)
        require_migrated()
        data = OverviewOut.build(overview_at(day))
        if json:
            self.stdout.write(_dumps(data))
            return
        self.stdout.write(f"As of {data['at']}")
        for group in ("members", "observers", "partners"):
            block = data[group]
            extra = f" (+{block['uncertain']} uncertain)" if block["uncertain"] else ""
            names = ", ".join(i["name"] for i in block["items"])
            self.stdout.write(f"{group.capitalize()}: {block['count']}{extra}: {names}")
        for label, key in (("Chair", "chair"), ("Head of the Secretariat", "head")):
            holders = data[key]
            text = "; ".join(h["name"] + ("" if h["certain"] else " (uncertain)") for h in holders)
            self.stdout.write(f"{label}: {text or 'none on record'}")
        troika = data["troika"]
        names = [
            (troika["previous"] or {}).get("name", "-"),
            " / ".join(h["name"] for h in troika["current"]) or "-",
            (troika["next"] or {}).get("name", "-"),
        ]
        self.stdout.write("Troika (previous, current, next): " + ", ".join(names))


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
