"""The one table of the shared machinery: files uploaded in the admin, between preview and save."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

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
