"""Vietnamese-aware text folding: one function used wherever text is compared or indexed."""

import re
import unicodedata

from django.utils.text import slugify

# Vietnamese marks all decompose into the Combining Diacritical Marks block; one regular
# expression strips those quickly, and only text still not ASCII afterwards needs the slow
# character-by-character test.
_LATIN_MARKS = re.compile("[\u0300-\u036f]+")


def fold(text: str) -> str:
    """Lower-cases, strips diacritics (`Hà Nội` → `ha noi`, `đ` → `d`) and collapses spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))
    stripped = _LATIN_MARKS.sub("", decomposed)
    if not stripped.isascii():
        stripped = "".join(ch for ch in stripped if not unicodedata.combining(ch))
    return " ".join(stripped.split()).lower()


def unique_slug(text: str, *, taken, fallback: str) -> str:
    """A readable URL slug of `text` (`Hà Nội` → `ha-noi`) that is not in `taken`, with `-2`,
    `-3`… added when needed. `taken` is a set of slugs in use, or a queryset of records with a
    `slug` field (only those starting like the new slug are read)."""
    base = slugify(fold(text))[:200] or fallback
    if not isinstance(taken, set):
        taken = set(taken.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
