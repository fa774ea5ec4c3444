"""API tokens' digests and prefixes never leave the accounts app: entries written before
the trail withheld them (audit.trail.withheld) lose them here. Each entry still says
that a token was made, revoked or deleted, and for whom."""

import re

from django.conf import settings
from django.db import migrations

KIND = ("accounts", "apitoken")
WITHHELD = ("prefix", "digest")
OLD_REPR = re.compile(r"^(?P<name>.*) \([^()]*…\)$", re.DOTALL)


def scrub(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    ApiToken = apps.get_model("accounts", "ApiToken")
    kind = ContentType.objects.filter(app_label=KIND[0], model=KIND[1]).first()
    if kind is None:
        return  # no token was ever made here
    names = dict(User.objects.values_list("pk", "username"))
    owners = dict(ApiToken.objects.values_list("pk", "user_id"))
    for entry in AuditEntry.objects.filter(content_type=kind).iterator():
        changes = {k: v for k, v in (entry.changes or {}).items() if k not in WITHHELD}
        snapshot = entry.snapshot
        if snapshot and isinstance(snapshot.get("fields"), dict):
            fields = {k: v for k, v in snapshot["fields"].items() if k not in WITHHELD}
            snapshot = {**snapshot, "fields": fields}
        owner = owners.get(entry.object_id)
        if owner is None and snapshot:
            owner = snapshot.get("fields", {}).get("user_id")
        if owner is None and isinstance(changes.get("user"), list):
            owner = next((v for v in changes["user"] if v is not None), None)
        found = OLD_REPR.match(entry.object_repr)
        name = found.group("name") if found else entry.object_repr
        whose = names.get(owner)
        described = f"{name} (API token of {whose})" if whose else f"{name} (API token)"
        entry.object_repr = described[:300]
        entry.changes, entry.snapshot = changes, snapshot
        entry.save(update_fields=["changes", "snapshot", "object_repr"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_act"),
        ("accounts", "0004_password_reset_requests"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # What was scrubbed is not brought back: reversing leaves the entries as they are.
    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
