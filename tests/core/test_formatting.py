from decimal import Decimal

import pytest
from django.utils import translation

from portal.core.formatting import format_vnd, format_vnd_compact
from portal.core.text import fold


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(1_500_000, "1.500.000 ₫"), (0, "0 ₫"), (Decimal("999.6"), "1.000 ₫"), (-25_000, "-25.000 ₫")],
)
def test_vnd_is_written_the_vietnamese_way(amount, expected):
    assert format_vnd(amount) == expected


def test_large_sums_in_billions_in_both_languages():
    with translation.override("vi"):
        assert format_vnd_compact(600_000_000_000) == "600 tỷ đồng"
        assert format_vnd_compact(1_250_000_000_000) == "1.250 tỷ đồng"
        assert format_vnd_compact(2_500_000_000) == "2,5 tỷ đồng"
        assert format_vnd_compact(15_000_000) == "15 triệu đồng"
    with translation.override("en"):
        assert format_vnd_compact(1_250_000_000_000) == "1,250 billion VND"
        assert format_vnd_compact(2_500_000_000) == "2.5 billion VND"
    assert format_vnd_compact(500_000) == "500.000 ₫"
    assert format_vnd_compact(None) == "—"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Công nghệ Hà Nội", "cong nghe ha noi"),
        ("Đống Đa", "dong da"),
        ("  Xã  Sóc   Sơn ", "xa soc son"),
        ("ĐƯỜNG\tỨNG DỤNG", "duong ung dung"),
        # Marks outside the Latin block are stripped too; other scripts stay as they are.
        ("Señor Ö x\u20d0y", "senor o xy"),
        ("東京 Hà Nội", "東京 ha noi"),
    ],
)
def test_fold_removes_diacritics_and_d_stroke(text, folded):
    assert fold(text) == folded
