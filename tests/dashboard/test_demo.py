import pytest

from portal.dashboard.models import Indicator, Method, Snapshot, SnapshotValue, ValueStatus
from portal.dashboard.selectors import figures


@pytest.mark.django_db
def test_seed_demo_loads_the_targets_values_and_history(seeded):
    assert Indicator.objects.get(code="startups").target_value == 5_000
    assert Indicator.objects.get(code="fund-size").target_value == 1_000_000_000_000
    manual = Indicator.objects.filter(method=Method.MANUAL)
    assert all(i.values.filter(status=ValueStatus.APPROVED).exists() for i in manual)
    assert Snapshot.objects.count() == 13
    latest = Snapshot.objects.first()
    startups = SnapshotValue.objects.get(snapshot=latest, indicator__code="startups")
    assert startups.value > 0
    shown = {figure.indicator.code: figure for figure in figures()}
    assert shown["startups"].trajectory.status in {"on_track", "at_risk", "off_track"}
    assert shown["startups"].reading.value == startups.value
