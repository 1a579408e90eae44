"""Where computed figures come from. The dashboard knows no domain app: each app registers its
sources and charts with the `register_indicator_sources` and `register_dashboard_charts` hooks
(in its `dashboard_hooks.py`), reading its own selectors.
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.functional import Promise
from wagtail import hooks


@dataclass(frozen=True)
class Reading:
    """A figure as a source gives it: `value` None when there is no data yet."""

    value: Decimal | None
    as_of: date
    source: str
    verification: str
    url: str = ""


@dataclass(frozen=True)
class IndicatorSource:
    key: str
    label: Promise | str
    unit: str
    read: Callable[[], Reading]


@dataclass(frozen=True)
class ChartRow:
    label: str
    value: Decimal | int
    url: str = ""


@dataclass(frozen=True)
class Chart:
    """A breakdown for the dashboard: rows drawn as bars, always with a table beside them."""

    key: str
    title: str
    unit: str
    source: str
    rows: list[ChartRow] = field(default_factory=list)
    funnel: bool = False


@dataclass(frozen=True)
class OverdueRow:
    """One late item for the weekly report: `due` is when it was (or is) due, `url` the admin
    page where staff act on it."""

    text: str
    due: date | None
    url: str = ""


@dataclass(frozen=True)
class OverdueSection:
    """A kind of late item an app reports with the `register_overdue_items` hook (see
    `portal.dashboard.reports`)."""

    key: str
    title: str
    rows: list[OverdueRow] = field(default_factory=list)


def indicator_sources() -> dict[str, IndicatorSource]:
    return {
        source.key: source
        for register in hooks.get_hooks("register_indicator_sources")
        for source in register()
    }


def source_choices() -> list[tuple[str, str]]:
    return [(key, str(source.label)) for key, source in sorted(indicator_sources().items())]


def dashboard_charts() -> list[Chart]:
    return [
        chart for register in hooks.get_hooks("register_dashboard_charts") for chart in register()
    ]


_pass_memo: ContextVar[dict | None] = ContextVar("dashboard_reading_pass", default=None)


@contextmanager
def one_reading_pass():
    """While it is active, `shared()` computes each named read once: one page's figures read an
    app's aggregates once, however many of its sources they show. Usable as a decorator."""
    if _pass_memo.get() is not None:
        yield
        return
    token = _pass_memo.set({})
    try:
        yield
    finally:
        _pass_memo.reset(token)


def shared(name: str, compute: Callable):
    """`compute()`, once per reading pass (every call, outside one)."""
    memo = _pass_memo.get()
    if memo is None:
        return compute()
    if name not in memo:
        memo[name] = compute()
    return memo[name]
