"""Highlighting for the database engine: matches are found on folded words, so "ha noi"
marks "Hà Nội" in the original text."""

import re

from django.utils.html import escape

from portal.core.text import fold

_WORD = re.compile(r"\w+", re.UNICODE)


def _matches(word: str, terms: tuple[str, ...]) -> bool:
    folded = fold(word)
    return any(folded.startswith(term) for term in terms)


def highlight(text: str, terms: tuple[str, ...]) -> str:
    """`text` escaped, with every word that starts with a query term wrapped in <mark>."""
    pieces, position = [], 0
    for match in _WORD.finditer(text):
        if terms and _matches(match.group(), terms):
            pieces.append(escape(text[position : match.start()]))
            pieces.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
    pieces.append(escape(text[position:]))
    return "".join(pieces)


def snippet(text: str, terms: tuple[str, ...], width: int = 160) -> str:
    """About `width` characters of `text` around its first match, highlighted."""
    first = next((m for m in _WORD.finditer(text) if terms and _matches(m.group(), terms)), None)
    start = 0 if first is None else max(0, first.start() - width // 3)
    if start:
        start = text.rfind(" ", 0, start) + 1
    end = start + width
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    fragment = highlight(text[start:end], terms)
    return ("…" if start else "") + fragment + ("…" if end < len(text) else "")
