"""Vietnamese-aware text folding: one function used wherever text is compared or indexed."""

import re
import unicodedata

_NON_DECOMPOSING = str.maketrans({"đ": "d", "Đ": "d"})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-cases, strips diacritics (`Hà Nội` → `ha noi`, `đ` → `d`) and collapses spaces."""
    decomposed = unicodedata.normalize("NFD", text.translate(_NON_DECOMPOSING))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()
