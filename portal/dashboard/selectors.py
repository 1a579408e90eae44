"""Reads of the dashboard: each indicator's current figure (from its source, or the latest
approved staff value), its history from the frozen snapshots, and its trajectory."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks.backends.immediate import ImmediateBackend

from .models import (
    Direction,
    Indicator,
    IndicatorValue,
    Method,
    Snapshot,
    SnapshotValue,
    ValueStatus,
)
from .sources import Reading, dashboard_charts, indicator_sources, one_reading_pass

# The history a trajectory's pace is read from.
PACE_WINDOW = timedelta(weeks=26)
# Projected progress over needed progress: at least 1 is on track, at least this is at risk.
AT_RISK_FROM = Decimal("0.75")
# The figures and charts are read again in the background after every write that changes them
# and when a read is older than this; requests show the previous read meanwhile.
CACHE_SECONDS = 300
_CACHE_VERSION_KEY = "dashboard:version"
_REFRESHING_KEY = "dashboard:refreshing"
_REFRESH_LOCK_SECONDS = 120
_READ_KEEP_SECONDS = 24 * 3600


def public_indicators() -> QuerySet:
    return Indicator.objects.filter(is_public=True)


def approved_values(indicator: Indicator) -> QuerySet:
    return indicator.values.filter(status=ValueStatus.APPROVED).order_by(
        "-as_of", "-decided_at", "-pk"
    )


def _no_data(indicator: Indicator) -> Reading:
    return Reading(
        value=None,
        as_of=timezone.localdate(),
        source="",
        verification=_("No data yet"),
    )


def _manual_reading(value: IndicatorValue | None, indicator: Indicator) -> Reading:
    if value is None:
        return _no_data(indicator)
    verification = _("Entered by department staff and approved by a second member of staff")
    if value.corrects_id:
        verification = _("%(verification)s; corrects an earlier value: %(note)s") % {
            "verification": verification,
            "note": value.note,
        }
    return Reading(
        value=value.value, as_of=value.as_of, source=value.source, verification=verification
    )


def current_reading(indicator: Indicator) -> Reading:
    if indicator.method == Method.COMPUTED:
        source = indicator_sources().get(indicator.source_key)
        return source.read() if source else _no_data(indicator)
    return _manual_reading(approved_values(indicator).first(), indicator)


@dataclass(frozen=True)
class Trajectory:
    """Where an indicator is heading: the weekly pace needed to reach the target by its deadline,
    the pace of its snapshot history, the value projected at that pace, and a verdict."""

    current: Decimal | None
    target: Decimal
    deadline: date
    weeks_left: Decimal
    required_pace: Decimal | None
    current_pace: Decimal | None
    projected: Decimal | None
    status: str  # reached | on_track | at_risk | off_track | unknown

    STATUS_LABELS = {
        "reached": gettext_lazy("Target reached"),
        "on_track": gettext_lazy("On track"),
        "at_risk": gettext_lazy("At risk"),
        "off_track": gettext_lazy("Off track"),
        "unknown": gettext_lazy("Not enough history"),
    }

    @property
    def status_label(self) -> str:
        return str(self.STATUS_LABELS[self.status])


def weekly_pace(history: list[tuple[date, Decimal]]) -> Decimal | None:
    """The least-squares slope of the history, per week; None with fewer than two dates."""
    points = [(day, value) for day, value in history if value is not None]
    if len({day for day, _ in points}) < 2:
        return None
    origin = points[0][0]
    xs = [Decimal((day - origin).days) / 7 for day, _ in points]
    ys = [Decimal(value) for _, value in points]
    mean_x = sum(xs) / len(xs)
    mean_y = sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def trajectory(
    indicator: Indicator,
    current: Decimal | None,
    history: list[tuple[date, Decimal]],
    *,
    today: date | None = None,
) -> Trajectory:
    today = today or timezone.localdate()
    target = indicator.target_value
    weeks_left = max(Decimal((indicator.target_deadline - today).days) / 7, Decimal(0))
    recent = [(day, value) for day, value in history if day >= today - PACE_WINDOW]
    pace = weekly_pace(recent)
    sign = 1 if indicator.direction == Direction.INCREASE else -1
    if current is None:
        return Trajectory(
            None, target, indicator.target_deadline, weeks_left, None, pace, None, "unknown"
        )
    gap = (target - current) * sign
    required = (target - current) / weeks_left if weeks_left else None
    projected = current + pace * weeks_left if pace is not None else None
    if gap <= 0:
        status = "reached"
    elif projected is None or not weeks_left:
        status = "unknown" if projected is None else "off_track"
    else:
        progress = (projected - current) * sign / gap
        status = (
            "on_track" if progress >= 1 else "at_risk" if progress >= AT_RISK_FROM else "off_track"
        )
    return Trajectory(
        current=current,
        target=target,
        deadline=indicator.target_deadline,
        weeks_left=weeks_left.quantize(Decimal("0.1")),
        required_pace=required,
        current_pace=pace,
        projected=projected,
        status=status,
    )


def history(indicator: Indicator) -> list[tuple[date, Decimal | None]]:
    """The indicator's figure in each snapshot, oldest first (by the snapshot's date)."""
    rows = (
        SnapshotValue.objects.filter(indicator=indicator)
        .select_related("snapshot")
        .order_by("snapshot__taken_at", "snapshot_id")
    )
    return [(timezone.localdate(row.snapshot.taken_at), row.value) for row in rows]


def snapshots_with_values() -> QuerySet:
    return Snapshot.objects.prefetch_related(
        Prefetch("values", queryset=SnapshotValue.objects.select_related("indicator"))
    )


def latest_snapshot() -> Snapshot | None:
    return snapshots_with_values().first()


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    reading: Reading
    history: list[tuple[date, Decimal | None]]
    trajectory: Trajectory | None
    change_since_last_snapshot: Decimal | None


def _histories(indicators: list[Indicator]) -> dict[int, list[tuple[date, Decimal | None]]]:
    rows = (
        SnapshotValue.objects.filter(indicator__in=indicators)
        .values_list("indicator_id", "snapshot__taken_at", "value")
        .order_by("snapshot__taken_at", "snapshot_id")
    )
    histories: dict[int, list] = {indicator.pk: [] for indicator in indicators}
    for indicator_id, taken_at, value in rows:
        histories[indicator_id].append((timezone.localdate(taken_at), value))
    return histories


@one_reading_pass()
def figures(indicators: QuerySet | None = None) -> list[Figure]:
    """Every indicator's current figure with its history and trajectory, in a fixed number of
    queries plus the reads of the computed sources (each app's figures read once per pass)."""
    indicators = list(public_indicators() if indicators is None else indicators)
    histories = _histories(indicators)
    result = []
    for indicator in indicators:
        reading = current_reading(indicator)
        past = histories[indicator.pk]
        last = next((value for _day, value in reversed(past) if value is not None), None)
        change = reading.value - last if reading.value is not None and last is not None else None
        result.append(
            Figure(
                indicator=indicator,
                reading=reading,
                history=past,
                trajectory=(
                    trajectory(indicator, reading.value, past)
                    if indicator.target_value is not None
                    else None
                ),
                change_since_last_snapshot=change,
            )
        )
    return result


def cache_version() -> int:
    return cache.get_or_set(_CACHE_VERSION_KEY, 1, timeout=None)


def forget_cached_figures() -> None:
    """Called after every write that changes a figure (values, snapshots): the figures are read
    again in the background; pages show the previous read until then."""
    try:
        cache.incr(_CACHE_VERSION_KEY)
    except ValueError:
        cache.set(_CACHE_VERSION_KEY, 2, timeout=None)
    # Without a worker the refresh would run right here, once per write of a transaction: the
    # next request reads again instead, once.
    if not _without_worker():
        _schedule_refresh()


def _refresh_task():
    from .tasks import refresh_dashboard_reads  # the task module imports this one

    return refresh_dashboard_reads


def _without_worker() -> bool:
    return isinstance(_refresh_task().get_backend(), ImmediateBackend)


def forget_cached_figures_on_commit(**kwargs) -> None:
    transaction.on_commit(forget_cached_figures)


def _schedule_refresh() -> None:
    # One refresh at a time: it stores what it read under the version it started from, so a
    # write during it is taken up by the next one.
    if cache.add(_REFRESHING_KEY, True, timeout=_REFRESH_LOCK_SECONDS):
        _refresh_task().enqueue()


def cached(name: str, compute, *, language: str):
    """`compute()` cached per language until the next write or for a few minutes, for reads
    cheap enough to make in the request (an indicator's frozen history)."""
    key = f"dashboard:{cache_version()}:{name}:{language}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


@dataclass(frozen=True)
class Read:
    """What was read and when: a cached read tells its own time, not the request's."""

    at: datetime
    items: list


_READS = {"figures": figures, "charts": dashboard_charts}


def _key(name: str, language: str) -> str:
    return f"dashboard:read:{name}:{language}"


@one_reading_pass()
def _store(name: str, language: str, version: int) -> Read:
    read = Read(timezone.now(), _READS[name]())
    cache.set(_key(name, language), (version, read), _READ_KEEP_SECONDS)
    return read


def refresh_reads() -> None:
    """Reads every figure and chart again, in every language (the background refresh)."""
    version = cache_version()
    try:
        for language, _name in settings.LANGUAGES:
            with translation.override(language), one_reading_pass():
                for name in _READS:
                    _store(name, language, version)
    finally:
        cache.delete(_REFRESHING_KEY)


def _read(name: str) -> Read:
    language = translation.get_language() or settings.LANGUAGE_CODE
    entry = cache.get(_key(name, language))
    if entry is None:  # never read yet: nothing to show meanwhile
        return _store(name, language, cache_version())
    version, read = entry
    if version == cache_version() and timezone.now() - read.at <= timedelta(seconds=CACHE_SECONDS):
        return read
    if _without_worker():  # development, tests: this request reads again, just what it shows
        return _store(name, language, cache_version())
    _schedule_refresh()
    return read


def read_figures() -> Read:
    """Every public figure, per language: the page, the home page, the API and the CSV downloads
    share this one read."""
    return _read("figures")


def read_charts() -> Read:
    return _read("charts")


def snapshot_values(
    indicator: Indicator, *, since: date | None = None, until: date | None = None
) -> QuerySet:
    """The indicator's frozen figures, newest first; `since` and `until` are Hanoi dates, both
    included."""
    rows = SnapshotValue.objects.filter(indicator=indicator).select_related("snapshot")
    if since is not None:
        rows = rows.filter(snapshot__taken_at__gte=_day_start(since))
    if until is not None:
        rows = rows.filter(snapshot__taken_at__lt=_day_start(until + timedelta(days=1)))
    return rows.order_by("-snapshot__taken_at", "-snapshot_id")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
