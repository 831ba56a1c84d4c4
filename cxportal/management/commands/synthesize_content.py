"""Multiply the imported content N times, for measuring how page cost grows with data (ADR 0028).

Each synthetic copy k (1 to N-1) is a whole second set of the content, wired to itself: its own
HISPs with their services, quarterly reports, surveys, survey results, mean scores and
documents; its own priority areas with their leaders, success metrics, strategies, goals, progress
updates, highlights and milestones; its own life experiences with their stats, projects and
milestones. So every detail page of a copy looks like the real one, and every list, count, search,
feed, sitemap and download of the site holds N times as much. The agencies, the A-11 CX measures
and the reporting periods are shared: the government has the departments it has, and OMB fixes
the measures and the quarters, whatever the amount of content (so the copies' providers and
leaders belong to the real agencies, which list N times as many). Old performance.gov addresses
(LegacyPath) are not copied.

Copies keep their original's status and dates, and have distinct names ("… (synthetic 7)"),
slugs ("…-synthetic-7"), source ids ("synthetic:7:…") and Touchpoints ids. Everything is written
in one transaction with bulk_create, so no history is recorded: this is benchmark data, never for
a real site. A database that already holds synthetic rows is refused.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from hisps.models import (
    Document,
    Hisp,
    LegacyScore,
    QuarterlyReport,
    Service,
    ServiceSurvey,
    SurveyResult,
)
from milestones.models import Milestone, MilestoneUpdate
from priorities.models import (
    Goal,
    Highlight,
    Leader,
    LifeExperience,
    LifeExperienceProject,
    LifeExperienceStat,
    PriorityArea,
    ProgressUpdate,
    Strategy,
    SuccessMetric,
)

# In dependency order: a model's parents come before it. Each with the text fields that name it,
# which get " (synthetic k)" so that the copies read apart in lists and search.
COPIED = [
    (Hisp, ["name"]),
    (Service, ["name"]),
    (QuarterlyReport, []),
    (ServiceSurvey, []),
    (SurveyResult, []),
    (LegacyScore, []),
    (Document, ["title"]),
    (PriorityArea, ["title", "short_title"]),
    (SuccessMetric, []),
    (Leader, []),
    (Strategy, []),
    (Goal, []),
    (ProgressUpdate, []),
    (Highlight, ["title"]),
    (LifeExperience, ["name"]),
    (LifeExperienceStat, []),
    (LifeExperienceProject, ["name"]),
    (Milestone, []),
    (MilestoneUpdate, []),
]
SYNTHETIC = "synthetic:"
BATCH = 5000


class Command(BaseCommand):
    help = (
        "Add N-1 synthetic copies of the imported content, so that the site holds N times as much "
        "(for benchmarks only). Run once, after import_performance_gov; a second run is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--factor", type=int, required=True, help="How many times the real content, e.g. 100."
        )

    def handle(self, *args, factor, **options):
        if factor < 2:
            raise CommandError("--factor must be 2 or more: 1 is the real content alone.")
        if not PriorityArea.objects.exists():
            raise CommandError("The database holds no content: run import_performance_gov first.")
        if any(
            model.objects.filter(external_id__startswith=SYNTHETIC).exists() for model, _ in COPIED
        ):
            raise CommandError(
                "This database already holds synthetic content; it was not changed. "
                "Start from a fresh import to synthesize again (make clean-db, or a new database)."
            )
        started = time.monotonic()
        with transaction.atomic():
            # new_ids[model][k][old pk] = the pk of copy k of that row.
            new_ids: dict = {}
            for model, names in COPIED:
                made = self.copy(model, names, factor, new_ids)
                self.stdout.write(f"{model._meta.verbose_name_plural:<32} {made:>9} added")
            self.copy_many_to_many(Hisp, "earlier_designations", factor, new_ids)
            self.copy_many_to_many(Highlight, "priority_areas", factor, new_ids)
        self.stdout.write(
            f"Synthesized {factor}× the content in {time.monotonic() - started:.1f} s."
        )

    def copy(self, model, names, factor, new_ids) -> int:
        """Copies 1 to factor-1 of every row of `model`, parents first where it nests in itself
        (none does today; kept so that adding such a model stays correct)."""
        rows = list(model.objects.order_by("pk"))
        self_parent = next(
            (f for f in model._meta.concrete_fields if f.is_relation and f.related_model is model),
            None,
        )
        # Rows that hang from a row of their own model go after it (agencies: departments first).
        levels = [rows]
        if self_parent:
            levels = [
                [r for r in rows if getattr(r, self_parent.attname) is None],
                [r for r in rows if getattr(r, self_parent.attname) is not None],
            ]
        new_ids[model] = {k: {} for k in range(1, factor)}
        made = 0
        for level in levels:
            for k in range(1, factor):
                copies = [self.copy_row(row, k, names, new_ids) for row in level]
                for start in range(0, len(copies), BATCH):
                    model.objects.bulk_create(copies[start : start + BATCH])
                for row, new in zip(level, copies, strict=True):
                    new_ids[model][k][row.pk] = new.pk
                made += len(copies)
        return made

    def copy_row(self, row, k, names, new_ids):
        model = type(row)
        copy = model()
        for field in model._meta.concrete_fields:
            value = getattr(row, field.attname)
            if field.primary_key or field.generated:
                continue  # a new id; the search vector is the database's
            if field.is_relation and value is not None and field.related_model in new_ids:
                value = new_ids[field.related_model][k][value]
            elif field.name == "external_id":
                value = f"{SYNTHETIC}{k}:{model._meta.model_name}:{row.pk}"
            elif field.name in names and value:
                value = _fit(value, field.max_length, f" (synthetic {k})")
            elif isinstance(field, models.SlugField) and field.unique:
                value = _fit(value, field.max_length, f"-synthetic-{k}")
            elif field.unique and isinstance(field, models.IntegerField) and value is not None:
                value = value + k * 1_000_000
            elif model is PriorityArea and field.name == "number":
                value = value + k * 100  # unique within its agenda
            setattr(copy, field.attname, value)
        return copy

    def copy_many_to_many(self, model, name, factor, new_ids):
        relation = model._meta.get_field(name)
        through = relation.remote_field.through
        source = relation.m2m_field_name()
        target = relation.m2m_reverse_field_name()
        pairs = list(through.objects.values_list(f"{source}_id", f"{target}_id"))
        links = [
            through(
                **{
                    f"{source}_id": new_ids[model][k][a],
                    f"{target}_id": new_ids[relation.related_model][k][b],
                }
            )
            for k in range(1, factor)
            for a, b in pairs
        ]
        through.objects.bulk_create(links, batch_size=BATCH)


def _fit(value: str, max_length: int | None, tail: str = "") -> str:
    """`value` followed by `tail`, the value cut so that both fit in `max_length`."""
    if max_length is None:
        return value + tail
    if tail:
        return value[: max_length - len(tail)] + tail
    return value[:max_length]
