from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.core.exceptions import PortalError

from .kinds import FileKind, detect_kind
from .models import PrivateFile

_SNIFF_BYTES = 8192


def check_upload(upload: UploadedFile, allowed: Iterable[FileKind], max_bytes: int) -> FileKind:
    allowed = tuple(allowed)
    if upload.size == 0:
        raise PortalError(_("The file is empty."), code="file_empty")
    if upload.size > max_bytes:
        raise PortalError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="file_too_large",
        )
    upload.seek(0)
    kind = detect_kind(upload.read(_SNIFF_BYTES))
    upload.seek(0)
    if kind not in allowed:
        raise PortalError(
            _("This file's content is not an accepted type. Accepted: %(types)s.")
            % {"types": ", ".join(k.extension.upper() for k in allowed)},
            code="file_type",
        )
    return kind


@transaction.atomic
def private_file_create(
    *,
    owner: User,
    upload: UploadedFile,
    allowed: Iterable[FileKind],
    max_bytes: int | None = None,
    attach_to: Model | None = None,
) -> PrivateFile:
    """Stores `upload` privately after checking its type by content and its size."""
    kind = check_upload(upload, allowed, max_bytes or settings.PRIVATE_FILE_MAX_BYTES)
    private_file = PrivateFile(
        owner=owner,
        original_name=(upload.name or "file").rsplit("/", 1)[-1][:255],
        mime_type=kind.mime,
        extension=kind.extension,
        size=upload.size,
        created_at=timezone.now(),
    )
    if attach_to is not None:
        private_file.attached_type = ContentType.objects.get_for_model(attach_to)
        private_file.attached_id = str(attach_to.pk)
    private_file.file.save(private_file.original_name, upload, save=False)
    try:
        private_file.save()
    except Exception:
        # The stored bytes must not outlive a row that could not be written.
        private_file.file.delete(save=False)
        raise
    return private_file


def private_file_delete(private_file: PrivateFile, *, link: Model | None = None) -> None:
    """Deletes `private_file`, after `link` (the record that points to it) when there is one.
    The stored bytes go only once the transaction commits, so a rollback leaves them in place."""
    stored, name = private_file.file.storage, private_file.file.name
    if link is not None:
        link.delete()
    private_file.delete()
    transaction.on_commit(lambda: stored.delete(name))
