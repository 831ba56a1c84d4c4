"""Start the production web server: refuse unsafe settings, optionally migrate, exec gunicorn with
the top-level gunicorn.conf.py (workers, threads, timeouts, graceful shutdown, JSON logs).

This is the container's start-up step (the Dockerfile's CMD), kept here so that tests run it.
"""

import io
import logging
import os
import runpy
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections


class Command(BaseCommand):
    help = "Run check --deploy, optionally migrate, then exec gunicorn with gunicorn.conf.py."

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
            # Its "no issues" goes to the log as JSON, like every other line the container writes.
            call_command("check", deploy=True, fail_level="WARNING", stdout=io.StringIO())
        except CommandError as exc:  # SystemCheckError lists every failing check
            raise CommandError(f"Refusing to start with unsafe settings.\n{exc}") from exc

        logging.getLogger("cxportal.serve").info("check --deploy: no issues")
        if migrate:
            call_command("migrate", interactive=False)

        # gunicorn reads its settings from gunicorn.conf.py; read it here first, so that a bad
        # value (WEB_CONCURRENCY=lots) stops the start with a plain message.
        config_file = settings.BASE_DIR / "gunicorn.conf.py"
        try:
            config = runpy.run_path(str(config_file))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        # `python -m gunicorn` with this interpreter: no reliance on PATH finding the right one.
        argv = [sys.executable, "-m", "gunicorn", f"--config={config_file}", config["wsgi_app"]]
        if dry_run:
            self.stdout.write(" ".join(argv))
            shown = ["bind", "workers", "threads", "timeout", "graceful_timeout", "keepalive"]
            shown += ["max_requests", "max_requests_jitter", "worker_tmp_dir", "accesslog"]
            shown += ["forwarded_allow_ips"]
            self.stdout.write(" ".join(f"{name}={config[name]}" for name in shown))
            return

        connections.close_all()  # don't hand open database sockets to gunicorn
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(argv[0], argv)  # noqa: S606 - fixed argv, no shell, replaces this process
