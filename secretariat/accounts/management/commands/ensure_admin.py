"""secretariat ensure-admin: create the local administrator on first run."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from secretariat.accounts.models import Role
from secretariat.accounts.services import account_create
from secretariat.core.acting import acting_as


class Command(BaseCommand):
    help = (
        "Create the local administrator 'admin' if no superuser exists; its random password "
        "is printed once and kept in var/admin-password (mode 0600)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An administrator exists already.")
            return
        password = secrets.token_urlsafe(18)
        with acting_as(via="command", reason="ensure-admin: the first administrator"):
            account_create(username=username, password=password, role=Role.ADMINISTRATOR)
        path = settings.VAR_DIR / "admin-password"
        settings.VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(f"{username}\n{password}\n")
        os.chmod(path, 0o600)
        self.stdout.write(
            self.style.SUCCESS(f"Administrator '{username}' created, password: {password}")
        )
        self.stdout.write(f"(kept in {path}, readable by you only)")
