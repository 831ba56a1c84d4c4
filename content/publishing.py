"""What the public may see, defined once.

The rule: an object is public when it is published, its `publish_at` has come, and every parent it
hangs from is public too. Each model names its parents in `public_parents` (field names, so an app
can name a parent in another app without importing it); `public_q` turns that into one filter, and
every model's `Model.objects.public()` applies it. Pages, lists, counts, search, feeds, sitemaps,
downloads and the API all start from `public()`. Scheduled publishing needs no cron job, because the
test compares with the clock at the time of the query.

A related row that is a label rather than a parent (a HISP's department) is shown only while it is
public itself: `shown` and `label` decide that, in the same query, for pages and downloads alike.
"""

from django.db import models
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


def public_q(model, prefix: str = "", now=None, _above=()) -> Q:
    """The rule, as a filter on the object of class `model` at `prefix` ("" for the object itself,
    "survey__report__" for a parent's parent): published, due, and every parent public.

    A parent that may be empty (a milestone's goal) passes when it is empty. A many-to-many parent
    (a highlight's priority areas) passes when at least one of its rows is public. A parent of the
    object's own model (a bureau's department) is checked one level up: the model keeps such trees
    one level deep.
    """
    now = now or timezone.now()
    rule = Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}publish_at__lte": now})
    if model in _above:
        return rule
    for name in model.public_parents:
        field = model._meta.get_field(name)
        parent = field.related_model
        if field.many_to_many:
            if prefix:
                raise ValueError(f"{model.__name__}.{name}: a many-to-many parent must be the last")
            linked = parent._base_manager.filter(
                public_q(parent, now=now), **{field.related_query_name(): OuterRef("pk")}
            )
            rule &= Q(Exists(linked))
            continue
        parent_rule = public_q(parent, f"{prefix}{name}__", now, (*_above, model))
        if field.null:
            parent_rule = Q(**{f"{prefix}{name}__isnull": True}) | parent_rule
        rule &= parent_rule
    return rule


def last_updated(*items):
    """The latest "Last updated" among the objects shown on a page (datetimes may be given too),
    or None when none of them has a known date: a page then says nothing rather than something
    untrue."""
    stamps = [getattr(item, "last_updated", item) for item in items if item]
    stamps = [stamp for stamp in stamps if stamp]
    return max(stamps) if stamps else None


def _related_model(model, relation: str):
    for name in relation.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def shown(model, relation: str) -> Exists:
    """True while the row that `model`'s `relation` ("agency", "report__hisp__agency") points to
    is public. For a label: a row that is not public is left out, never the object it labels."""
    related = _related_model(model, relation)
    return Exists(related._base_manager.filter(public_q(related), pk=OuterRef(relation)))


def label(model, relation: str, field: str) -> Case:
    """The related row's `field`, or "" while that row is missing or not public (see `shown`)."""
    return Case(
        When(shown(model, relation), then=F(f"{relation}__{field}")),
        default=Value(""),
        output_field=CharField(),
    )


class History(HistoricalRecords):
    """django-simple-history's records of the stored fields only: a relation read through other
    columns (a report's reporting period) has nothing of its own to record, and a generated column
    (the search vector, content.searching) is the database's, computed from fields that are
    recorded."""

    def fields_included(self, model):
        return [
            field
            for field in super().fields_included(model)
            if field.concrete and not field.generated
        ]


class PublishedQuerySet(models.QuerySet):
    def public(self):
        """What the public may see: the rule of `public_q`, applied to this model."""
        return self.filter(public_q(self.model))


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
    last_updated = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="What the public reads as “Last updated”: set when the item is published and each "
        "time a published item is saved. For imported items, the source's own date where it has one.",
    )
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

    # The fields of the parents this object hangs from: it is public only while they are.
    public_parents: tuple[str, ...] = ()
    # A field (a date or "YYYY-MM" text) that the page shows as "As of": set to the publishing day
    # when the item is first published with it empty; an editor may set it to another day.
    as_of_field: str = ""
    # The fields that make up the address of the object's own page (a slug, a month): when one
    # changes on an object that was ever published, its old address redirects to the new one.
    address_fields: tuple[str, ...] = ()

    objects = PublishedQuerySet.as_manager()
    history = History(inherit=True)

    class Meta:
        abstract = True
        # Django's four, and "publish_<model>": publish, unpublish and archive (OMB publishers only).
        default_permissions = ("add", "change", "delete", "view", "publish")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.address_fields and self.pk:
            self._record_move()
        if self.status == Status.PUBLISHED:
            # When the public sees this version: now, or the scheduled time if it is later.
            public_from = (
                max(self.publish_at, timezone.now()) if self.publish_at else timezone.now()
            )
            if self.published_at is None:
                self.published_at = public_from
                self._set_as_of(public_from)
            if not getattr(self, "_keep_last_updated", False):
                self.last_updated = public_from
                update_fields = kwargs.get("update_fields")
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "last_updated"}
        super().save(*args, **kwargs)

    def _set_as_of(self, moment):
        if not self.as_of_field or getattr(self, self.as_of_field):
            return
        day = timezone.localtime(moment).date()
        if isinstance(self._meta.get_field(self.as_of_field), models.DateField):
            setattr(self, self.as_of_field, day)
        else:
            setattr(self, self.as_of_field, day.strftime("%Y-%m"))

    def _record_move(self):
        """If this save changes the address of a page that was ever public, keep the old one
        answering with a permanent redirect (content.models.MovedPath)."""
        before = type(self)._base_manager.filter(pk=self.pk).first()
        if before is None or before.published_at is None:
            return
        columns = [self._meta.get_field(name).attname for name in self.address_fields]
        if all(getattr(before, column) == getattr(self, column) for column in columns):
            return
        old, new = (obj.get_absolute_url().split("#")[0] for obj in (before, self))
        if old != new and old.startswith("/") and new.startswith("/"):
            from content.models import MovedPath

            MovedPath.record(old, new)
