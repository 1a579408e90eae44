"""Snapshots freeze every figure: later changes to the data (a startup verified, a correction
approved) never alter a snapshot already taken, the frozen rows refuse to be saved again, and
imported earlier reports are refused when dated in the future or naming unknown indicators."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.accounts.roles import Role
from portal.core.exceptions import PortalError
from portal.dashboard import services
from portal.dashboard.models import Snapshot, SnapshotTrigger, SnapshotValue
from portal.dashboard.selectors import current_reading, history
from startups.models import Status
from tests.dashboard.test_indicators import approved_value, make_indicator
from tests.factories import make_user
from tests.factories.startups import make_startup

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_user(Role.DEPARTMENT_STAFF)


def frozen(snapshot: Snapshot, indicator) -> SnapshotValue:
    return SnapshotValue.objects.get(snapshot=snapshot, indicator=indicator)


def test_a_snapshot_keeps_the_figures_it_froze(staff):
    startups = make_indicator("startups", source="startups.verified")
    budget = make_indicator("st-budget", unit="percent", target=4, deadline=date(2030, 12, 31))
    empty = make_indicator("broadband", unit="percent")
    make_startup(status=Status.VERIFIED, staff=staff)
    original = approved_value(budget, "2.3", date(2026, 3, 31), source="Sở Tài chính")
    first = services.snapshot_take(user=staff, note="Tuần 14")

    assert frozen(first, startups).value == 1
    frozen_budget = frozen(first, budget)
    assert (frozen_budget.value, frozen_budget.as_of, frozen_budget.source) == (
        Decimal("2.30"),
        date(2026, 3, 31),
        "Sở Tài chính",
    )
    assert frozen_budget.verification
    assert frozen(first, empty).value is None and frozen(first, empty).as_of is None

    # The data moves on: another startup is verified and the budget share is corrected.
    make_startup(status=Status.VERIFIED, staff=staff)
    approved_value(
        budget,
        "2.6",
        date(2026, 3, 31),
        source="Sở Tài chính (điều chỉnh)",
        corrects=original,
        note="Bổ sung khoản chi chưa hạch toán.",
    )
    assert current_reading(startups).value == 2
    assert current_reading(budget).value == Decimal("2.60")

    # The first snapshot still says what it said.
    assert frozen(first, startups).value == 1
    assert (frozen(first, budget).value, frozen(first, budget).source) == (
        Decimal("2.30"),
        "Sở Tài chính",
    )
    second = services.snapshot_take(user=staff)
    assert frozen(second, startups).value == 2
    assert frozen(second, budget).value == Decimal("2.60")
    # The correction says so from then on; the earlier figure's verification is as it was.
    assert "Bổ sung khoản chi chưa hạch toán." in frozen(second, budget).verification
    assert "Bổ sung" not in frozen(first, budget).verification
    assert [value for _day, value in history(startups)] == [1, 2]


def test_a_snapshot_covers_every_indicator_public_or_not(staff):
    make_indicator("public", source="exchange.deals")
    make_indicator("internal", source="sandbox.under_way", public=False)
    snapshot = services.snapshot_take(user=staff)
    assert snapshot.trigger == SnapshotTrigger.ON_DEMAND and snapshot.taken_by == staff
    assert set(snapshot.values.values_list("indicator__code", flat=True)) == {"public", "internal"}


def test_the_weekly_schedule_takes_snapshots_without_a_user():
    make_indicator("deals", source="exchange.deals")
    snapshot = services.snapshot_take(user=None, trigger=SnapshotTrigger.SCHEDULED)
    assert snapshot.taken_by is None and snapshot.values.get().value == 0


def test_only_department_staff_take_snapshots():
    make_indicator("deals", source="exchange.deals")
    for user in (make_user(), make_user(Role.FUND_MANAGER)):
        with pytest.raises(PortalError) as refused:
            services.snapshot_take(user=user)
        assert refused.value.status_code == 403
    assert not Snapshot.objects.exists()


def test_frozen_rows_refuse_to_be_saved_again(staff):
    indicator = make_indicator("deals", source="exchange.deals")
    snapshot = services.snapshot_take(user=staff)
    row = frozen(snapshot, indicator)

    row.value = Decimal(99)
    with pytest.raises(ValidationError):
        row.save()
    snapshot.note = "sửa lại"
    with pytest.raises(ValidationError):
        snapshot.save()
    snapshot.refresh_from_db()
    assert frozen(snapshot, indicator).value == 0 and snapshot.note == ""


# --- earlier reports ---------------------------------------------------------------------------


def test_an_earlier_report_is_imported_as_such(staff):
    startups = make_indicator("startups", source="startups.verified")
    budget = make_indicator("st-budget", unit="percent")
    taken_at = timezone.now() - timedelta(weeks=30)
    snapshot = services.snapshot_import(
        user=staff,
        taken_at=taken_at,
        values={"startups": Decimal(812), "st-budget": None},
        note="Báo cáo tuần 12/2025 của Sở",
    )
    assert snapshot.trigger == SnapshotTrigger.IMPORTED
    imported = frozen(snapshot, startups)
    assert imported.value == 812
    assert imported.as_of == timezone.localdate(taken_at)
    assert imported.source == "Báo cáo tuần 12/2025 của Sở"
    assert imported.verification
    assert frozen(snapshot, budget).as_of is None
    assert history(startups) == [(timezone.localdate(taken_at), Decimal(812))]


def test_an_earlier_report_cannot_be_dated_in_the_future(staff):
    make_indicator("startups", source="startups.verified")
    with pytest.raises(ValidationError) as refused:
        services.snapshot_import(
            user=staff,
            taken_at=timezone.now() + timedelta(hours=1),
            values={"startups": Decimal(10)},
            note="Báo cáo",
        )
    assert "taken_at" in refused.value.message_dict
    assert not Snapshot.objects.exists()


def test_an_earlier_report_naming_unknown_indicators_is_refused(staff):
    make_indicator("startups", source="startups.verified")
    with pytest.raises(ValidationError) as refused:
        services.snapshot_import(
            user=staff,
            taken_at=timezone.now() - timedelta(weeks=1),
            values={"startups": Decimal(10), "unicorns": Decimal(1), "gdp": Decimal(3)},
            note="Báo cáo",
        )
    assert "gdp, unicorns" in refused.value.message_dict["values"][0]
    assert not Snapshot.objects.exists()
    assert not SnapshotValue.objects.exists()


def test_only_department_staff_import_earlier_reports():
    make_indicator("startups", source="startups.verified")
    with pytest.raises(PortalError):
        services.snapshot_import(
            user=make_user(),
            taken_at=timezone.now() - timedelta(weeks=1),
            values={"startups": Decimal(10)},
            note="Báo cáo",
        )
    assert not Snapshot.objects.exists()
