"""Load the performance.gov content in one transaction: all of it, or nothing."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction

from content.importing import DataDir, Upserter
from hisps import importer as hisps_importer
from milestones import importer as milestones_importer
from priorities import importer as priorities_importer
from priorities.models import PriorityArea

DEFAULT_DIR = settings.BASE_DIR / "data" / "performance_gov"


class Command(BaseCommand):
    help = (
        "Import the performance.gov content (JSON and CSV) from DIR. Rows are matched on their source ids, "
        "so running it again changes only what changed in the files. Any fault leaves the database as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "dir", nargs="?", default=str(DEFAULT_DIR), help=f"Default: {DEFAULT_DIR}"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already holds priority areas.",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and PriorityArea.objects.exists():
            self.stdout.write(
                "The database already holds content; not importing "
                "(run without --if-empty to update it)."
            )
            return
        data = DataDir(Path(options["dir"]))
        started = time.monotonic()
        up = Upserter()
        try:
            with transaction.atomic():
                self.step("agencies, HISPs, services, quarterly reports, survey results, documents")
                agencies = hisps_importer.Agencies(up)
                hisps_importer.load(data, up, agencies, self.note)
                self.step(
                    "priority areas, leaders, strategies, goals, updates, highlights, life experiences"
                )
                loaded = priorities_importer.load(data, up, agencies, self.note)
                self.step("milestones")
                milestones_importer.load(data, up, loaded["strategies"], loaded["goals"])
        except DatabaseError as error:
            raise CommandError(
                f"The database refused the import, and nothing was changed: {error}"
            ) from None
        except CommandError as error:
            raise CommandError(
                f"{error}\nNothing was imported: the database is as it was."
            ) from None
        # Fresh planner statistics: without them the first queries over new rows can take seconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.report(up, time.monotonic() - started)

    def step(self, what):
        self.stdout.write(f"Loading {what}…")
        self.stdout.flush()

    def note(self, message):
        self.stdout.write(self.style.WARNING(message))

    def report(self, up, seconds):
        width = max(len(name) for name in up.counts)
        self.stdout.write("")
        self.stdout.write(
            f"{'':{width}}  {'total':>6}  {'created':>7}  {'updated':>7}  {'unchanged':>9}"
        )
        for name, counter in sorted(up.counts.items()):
            total = sum(counter.values())
            self.stdout.write(
                f"{name:{width}}  {total:>6}  {counter['created']:>7}  {counter['updated']:>7}  "
                f"{counter['unchanged']:>9}"
            )
        self.stdout.write(self.style.SUCCESS(f"Import finished in {seconds:.1f} s."))
