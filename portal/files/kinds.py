"""File kinds the portal accepts, recognised by their content, never by name or browser claim."""

from enum import Enum

import filetype


class FileKind(Enum):
    PDF = ("pdf", "application/pdf")
    XLSX = ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    PNG = ("png", "image/png")
    JPEG = ("jpg", "image/jpeg")
    WEBP = ("webp", "image/webp")

    def __init__(self, extension: str, mime: str):
        self.extension = extension
        self.mime = mime


DOCUMENTS = (FileKind.PDF, FileKind.XLSX)
IMAGES = (FileKind.PNG, FileKind.JPEG, FileKind.WEBP)

_BY_MIME = {kind.mime: kind for kind in FileKind}


def detect_kind(head: bytes) -> FileKind | None:
    guess = filetype.guess(head)
    return _BY_MIME.get(guess.mime) if guess else None
