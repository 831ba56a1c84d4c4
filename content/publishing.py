"""What the public may see, defined once.

Every public model inherits `ContentModel`. Its manager's `published()` is the only test of
visibility: status is published and `publish_at` has come. Pages, lists, counts, search, feeds,
sitemaps and downloads all start from `Model.objects.published()`. Scheduled publishing needs no
cron job, because the test compares with the clock at the time of the query.
"""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class PublishedQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published, and its time has come."""
        return self.filter(status=Status.PUBLISHED, publish_at__lte=timezone.now())


class ContentModel(models.Model):
    """Publishing fields, provenance of imported content, and history, for every public model."""

    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Only published items whose publish time has come are shown to the public.",
    )
    publish_at = models.DateTimeField(
        default=timezone.now,
        db_index=True,
        help_text="The public sees a published item from this time on. Set a future time to schedule it.",
    )
    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the item was first published."
    )
    updated_at = models.DateTimeField(auto_now=True)
    external_id = models.CharField(
        "source id",
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="The record's id in the performance.gov data files; the importer matches on it.",
    )
    sources = models.JSONField(default=list, blank=True, help_text="Where the content came from.")
    secondary_source = models.BooleanField(
        default=False,
        help_text="Some facts come from a press article or other secondary source. Check before relying on them.",
    )
    incomplete = models.BooleanField(
        default=False,
        help_text="The stored copy this came from was cut off; the text may be incomplete.",
    )
    source_note = models.TextField(blank=True, help_text="Notes on the source of this record.")

    objects = PublishedQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = (
                max(self.publish_at, timezone.now()) if self.publish_at else timezone.now()
            )
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.publish_at <= timezone.now()
