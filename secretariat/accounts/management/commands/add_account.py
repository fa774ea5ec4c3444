"""secretariat add-account USERNAME --role ROLE [--actor SLUG] [--focal-point]: a new user
with a role."""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from secretariat.accounts.models import Role
from secretariat.accounts.services import account_create
from secretariat.core.acting import acting_as
from secretariat.registry.models import Actor


class Command(BaseCommand):
    help = (
        "Create a user with a role: administrator, officer, delegate (with --actor, the state "
        "or organization represented) or public. The password is read from the "
        "SECRETARIAT_PASSWORD environment variable, else asked for."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--actor", help="Slug of the state or organization (delegates).")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--focal-point",
            action="store_true",
            help="A delegate who adds and removes the delegates of its own delegation.",
        )

    def handle(self, *args, username, role, actor, email, focal_point, **options):
        if focal_point and role != Role.DELEGATE:
            raise CommandError("Only a delegate is a delegation's focal point (--role delegate).")
        represented = None
        if actor:
            represented = Actor.objects.filter(slug=actor).first()
            if represented is None:
                raise CommandError(f"No state or organization '{actor}'.")
        password = os.environ.get("SECRETARIAT_PASSWORD") or getpass.getpass("Password: ")
        try:
            with acting_as(via="command", reason=f"add-account {username}"):
                account = account_create(
                    username=username, password=password, role=role, actor=represented,
                    email=email, focal_point=focal_point,
                )  # fmt: skip
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Created {account}."))
