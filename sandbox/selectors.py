"""Reads of the sandbox that more than one place needs."""

from django.db.models import Prefetch, QuerySet

from portal.core.text import fold
from portal.core.validators import ENTERPRISE_CODE, normalize_enterprise_code

from .models import Amendment, Application, Entry


def register_entries() -> QuerySet:
    """The public register: every entry, whatever its status (ended tests stay on record)."""
    return Entry.objects.all()


def with_history(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch("amendments", queryset=Amendment.objects.order_by("effective_on", "pk"))
    )


def entries_by_ids(ids) -> list[Entry]:
    """Entries in the order of `ids` (a page of search hits), in one query."""
    entries = Entry.objects.in_bulk([int(pk) for pk in ids])
    return [entries[int(pk)] for pk in ids if int(pk) in entries]


def entries_of_firm(text: str) -> QuerySet:
    """The "check a firm" lookup: by enterprise code, or by name with or without diacritics."""
    code = normalize_enterprise_code(text)
    if ENTERPRISE_CODE.match(code):
        return register_entries().filter(enterprise_code=code)
    folded = fold(text).strip()
    if not folded:
        return register_entries().none()
    return register_entries().filter(participant_folded__contains=folded)


def applications_of(user) -> QuerySet:
    return Application.objects.filter(applicant=user).select_related("entry")
