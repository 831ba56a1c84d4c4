"""What every kind of content shares beyond its own table: share links for reviewers, the old
addresses of objects whose address changed, and files uploaded in the admin between preview and
save."""

import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone

SHARE_LINK_DAYS = 7
_SIGNER_SALT = "content.share-link"


def _in_a_week():
    return timezone.now() + datetime.timedelta(days=SHARE_LINK_DAYS)


class ShareLinkQuerySet(models.QuerySet):
    def working(self):
        """Links that still open their preview: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ShareLink(models.Model):
    """A link that lets a reviewer without an account preview one unpublished object.

    The address carries the link's key signed with the site's secret and the time it was made, so
    it cannot be guessed or altered, and it stops working after `SHARE_LINK_DAYS` even if the
    row were changed. Revoking it, or the week passing, makes it answer 410 Gone.
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=_in_a_week, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"Share link for {self.content_type.name} {self.object_id}"

    def get_absolute_url(self):
        return reverse("shared_preview", kwargs={"token": self.token})

    @property
    def token(self) -> str:
        return signing.TimestampSigner(salt=_SIGNER_SALT).sign(str(self.key))

    @property
    def working(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @classmethod
    def from_token(cls, token: str):
        """The link of `token`, or None when the signature is wrong. Raises
        `signing.SignatureExpired` when the signed time is more than a week old."""
        try:
            key = signing.TimestampSigner(salt=_SIGNER_SALT).unsign(
                token, max_age=datetime.timedelta(days=SHARE_LINK_DAYS)
            )
        except signing.SignatureExpired:
            raise
        except signing.BadSignature:
            return None
        try:
            return cls.objects.select_related("content_type").get(key=uuid.UUID(key))
        except (ValueError, cls.DoesNotExist):
            return None


class MovedPath(models.Model):
    """An address that a published object had before its slug (or date, or number) changed.

    A request for it, or for an address under it, that finds nothing gets a permanent redirect to
    the same place under `new_path`: links that agencies and the press made keep working.
    """

    old_path = models.CharField(max_length=300, unique=True)
    new_path = models.CharField(max_length=300)
    moved_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(old_path__startswith="/") & models.Q(new_path__startswith="/"),
                name="content_movedpath_paths_absolute",
            ),
        ]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"

    @classmethod
    def record(cls, old: str, new: str) -> None:
        """`old` now lives at `new`. Earlier moves that ended at `old` now end at `new`, in one
        hop; a move away from `new` is dropped, since `new` has an object again."""
        if old == new:
            return
        for moved in cls.objects.filter(new_path__startswith=old):
            moved.new_path = new + moved.new_path[len(old) :]
            if moved.new_path == moved.old_path:
                moved.delete()
            else:
                moved.save(update_fields=["new_path"])
        cls.objects.filter(old_path=new).delete()
        cls.objects.update_or_create(old_path=old, defaults={"new_path": new})

    @classmethod
    def redirect_for(cls, path: str) -> str | None:
        """Where `path` moved to: the longest recorded old address that is `path` or above it."""
        if "\x00" in path or len(path) > cls._meta.get_field("old_path").max_length:
            return None  # never an address of ours, and Postgres refuses NUL in text
        candidates = [path[: index + 1] for index, char in enumerate(path) if char == "/"]
        if not path.endswith("/"):
            candidates.append(path)
        moved = cls.objects.filter(old_path__in=candidates).order_by("-old_path").first()
        if moved is None:
            return None
        return moved.new_path + path[len(moved.old_path) :]


# How long an upload is kept: long enough to read a preview over lunch, short enough that no one
# keeps agencies' files here. Older ones are deleted whenever someone uploads a file.
KEPT_FOR = datetime.timedelta(days=2)


class Upload(models.Model):
    """A file an editor uploaded, waiting between its preview and its save; then what it saved.

    The preview reads the file and writes nothing. Its bytes wait here, not in the session (which
    every request of the editor would then load) nor on one server's disk (the save may reach
    another server, and the container cannot write its own folders). Only the user who uploaded it
    can use its token. Once saved, the bytes are dropped and `saved` keeps the ids of the rows the
    file wrote, for the result page and its "Submit these for review" step (ADR 0013).
    """

    token = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    data = models.BinaryField(default=bytes)
    created_at = models.DateTimeField(default=timezone.now)
    saved_at = models.DateTimeField(null=True, blank=True)
    # {"app_label.Model": [ids]} of the rows the file wrote.
    saved = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} ({self.user}, {self.created_at:%Y-%m-%d %H:%M})"

    @classmethod
    def forget_old(cls) -> None:
        cls.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
