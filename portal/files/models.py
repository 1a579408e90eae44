import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _


def private_storage():
    return storages["private"]


def private_upload_to(instance, filename: str) -> str:
    # The stored name never carries the user's filename: it is kept only as `original_name`.
    return f"{instance.created_at:%Y/%m}/{instance.id.hex}.{instance.extension}"


class PrivateFile(models.Model):
    """An uploaded file that is never publicly reachable: it is served only by the
    permission-checked download view."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="private_files"
    )
    file = models.FileField(storage=private_storage, upload_to=private_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("uploaded at"))
    attached_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attached_id = models.CharField(max_length=64, blank=True)
    attached_to = GenericForeignKey("attached_type", "attached_id")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("private file")
        verbose_name_plural = _("private files")
        indexes = [models.Index(fields=["attached_type", "attached_id"])]

    def __str__(self) -> str:
        return self.original_name
