"""`secretariat serve`: the web server with a background worker beside it (`make run`).

The worker is huey's own consumer (`run_huey`), started as a child process with the
periodic schedule; it stops when the server stops. At scale, run web servers and
workers apart (docs/deploy.md).
"""

from __future__ import annotations

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site and run the background worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.HUEY.get("consumer", {}).get("workers", 2),
            help="Worker threads for background jobs.",
        )

    def handle(self, *args, addrport: str, workers: int, **options):
        command = [sys.executable, "-m", "secretariat", "run_huey", "--workers", str(workers)]
        worker = subprocess.Popen(command)
        # Stopped by a service manager (SIGTERM), stop the worker too, as on Ctrl-C.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        self.stdout.write(f"Background worker started (pid {worker.pid}, {workers} threads).")
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            self.stdout.write(f"Mail is written to {settings.EMAIL_FILE_PATH}/")
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
