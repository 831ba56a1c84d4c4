"""Start the production web server: refuse unsafe settings, optionally migrate, exec gunicorn.

This is the container's start-up step (the Dockerfile's CMD), kept here so that tests run it.
"""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections


class Command(BaseCommand):
    help = "Run check --deploy, optionally migrate, then exec gunicorn on settings.PORT."

    def add_arguments(self, parser):
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="Run migrate --noinput before starting (single-container deployments only).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the gunicorn command line instead of running it.",
        )

    def handle(self, *args, migrate=False, dry_run=False, **options):
        try:
            call_command("check", deploy=True, fail_level="WARNING")
        except CommandError as exc:  # SystemCheckError lists every failing check
            raise CommandError(f"Refusing to start with unsafe settings.\n{exc}") from exc

        if migrate:
            call_command("migrate", interactive=False)

        workers = settings.WEB_CONCURRENCY or "2"
        if not workers.isdigit() or int(workers) < 1:
            raise CommandError(f"WEB_CONCURRENCY must be a positive integer, not {workers!r}.")

        # `python -m gunicorn` with this interpreter: no reliance on PATH finding the right one.
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "cxportal.wsgi:application",
            f"--bind=0.0.0.0:{settings.PORT}",
            f"--workers={workers}",
            "--access-logfile=-",
            "--forwarded-allow-ips=*",
        ]
        if dry_run:
            self.stdout.write(" ".join(argv))
            return

        connections.close_all()  # don't hand open database sockets to gunicorn
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(argv[0], argv)  # noqa: S606 - fixed argv, no shell, replaces this process
