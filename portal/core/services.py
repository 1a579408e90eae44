import csv
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from .models import Commune, CommuneKind
from .text import fold

COMMUNES_CSV = Path(__file__).resolve().parent / "data" / "hanoi_communes.csv"


@transaction.atomic
def communes_load(*, path: Path = COMMUNES_CSV, model=Commune) -> tuple[int, int]:
    """Creates or updates the communes listed in `path`; returns (created, updated).

    `model` is the historical model when a migration loads the reference data."""
    created = updated = 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            kind = CommuneKind(row["kind"].strip())
            full_name = row["full_name"].strip()
            _, was_created = model.objects.update_or_create(
                full_name=full_name,
                defaults={
                    "kind": kind,
                    "name": row["name"].strip(),
                    "folded_name": fold(row["name"].strip()),
                    "slug": slugify(fold(full_name)),
                },
            )
            created += was_created
            updated += not was_created
    return created, updated
