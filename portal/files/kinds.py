"""File kinds the portal accepts, recognised by their content, never by name or browser claim."""

from enum import Enum

import filetype


class FileKind(Enum):
    PDF = ("pdf", "application/pdf")
    XLSX = ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    PNG = ("png", "image/png")
    JPEG = ("jpg", "image/jpeg")
    WEBP = ("webp", "image/webp")
    # Plain UTF-8 text with no binary signature: accepted only where a caller allows CSV
    # (e.g. the startup import), which then parses it as a table.
    CSV = ("csv", "text/csv")

    def __init__(self, extension: str, mime: str):
        self.extension = extension
        self.mime = mime


DOCUMENTS = (FileKind.PDF, FileKind.XLSX)
IMAGES = (FileKind.PNG, FileKind.JPEG, FileKind.WEBP)
SPREADSHEETS = (FileKind.CSV, FileKind.XLSX)

_BY_MIME = {kind.mime: kind for kind in FileKind}
# The longest UTF-8 sequence is 4 bytes: a cut at the end of the sniffed head is not an error.
_UTF8_TAIL = 3


def is_utf8_text(head: bytes) -> bool:
    """No NUL byte and valid UTF-8 (a character cut by the end of `head` is allowed)."""
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.reason == "unexpected end of data" and error.start >= len(head) - _UTF8_TAIL
    return True


def detect_kind(head: bytes) -> FileKind | None:
    guess = filetype.guess(head)
    if guess:
        return _BY_MIME.get(guess.mime)
    return FileKind.CSV if is_utf8_text(head) else None
