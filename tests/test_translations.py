"""The compiled catalogues are committed (a fresh machine has no gettext): they must match."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = sorted(
    po for root in settings.LOCALE_PATHS for po in Path(root).glob("*/LC_MESSAGES/django.po")
)


def _entries(catalogue):
    return {
        (entry.msgctxt, entry.msgid): (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
        for entry in catalogue
        if entry.msgid and (entry.msgstr or entry.msgstr_plural)
    }


@pytest.mark.parametrize("po_path", CATALOGUES, ids=str)
def test_compiled_catalogue_matches_its_source(po_path):
    po = [entry for entry in polib.pofile(str(po_path)) if entry.translated()]
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    assert _entries(po) == _entries(mo), "run `make messages` to recompile"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=str)
def test_every_vietnamese_string_is_translated(po_path):
    po = polib.pofile(str(po_path))
    missing = [entry.msgid for entry in po.untranslated_entries() + po.fuzzy_entries()]
    assert not missing


def test_both_catalogues_exist():
    assert len(CATALOGUES) == 2
