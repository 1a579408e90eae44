"""Server-side timings and query counts of the portal's pages and of discovery.

Runs against the database the settings name (SQLite by default, PostgreSQL with DATABASE_URL —
the budgets are for PostgreSQL), migrating and seeding it first. The search and registry suites
load the 10× dataset (benchmarks/dataset.py: 50,000 real startup rows plus listing and sandbox
documents) once and reuse it; `--reload` indexes it again and reports the time. The import suite
times a 5,000-row import. The dashboard suite adds 10,000 fund applications and a year of weekly
snapshots, and times the dashboard, the indicators API and the CSV downloads, warm and right
after a write, and the background refresh of the dashboard's figures. Prints a table and
writes benchmarks/results.json.

    make bench                     # or: .venv/bin/python -m benchmarks.run --suite search
"""

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import django

RESULTS = Path(__file__).resolve().parent / "results.json"

# (name, path, signed-in demo account or None, budget for p95 in milliseconds)
PAGES = [
    ("home (vi)", "/", None, 150),
    ("home (en)", "/en/", None, 150),
    ("news index", "/tin-tuc/", None, 150),
    ("sign-in form", "/accounts/login/", None, 150),
    ("workspace", "/me/", "founder@example.org", 150),
    ("inbox", "/me/inbox/", "founder@example.org", 150),
    ("health check", "/healthz", None, 50),
]

SEARCHES = [
    ("search: two words", "/search/?q=cong+nghe", 150),
    ("search: no diacritics", "/search/?q=nong+nghiep+thong+minh", 150),
    ("search: typo", "/search/?q=cong+ngeh+so", 150),
    ("search: type + facets", "/search/?q=du+lieu&type=startups&sector=ai&stage=seed", 150),
    ("search: browse, page 40", "/search/?type=bench_technologies&page=40", 150),
    ("search: sandbox type", "/search/?q=cong+nghe&type=sandbox", 150),
    ("api: search", "/api/v1/search?q=thanh+toan&type=startups&filter=sector:fintech", 150),
    ("autocomplete", "/search/suggest/?q=nang+luong+x", 150),
]
# The startup directory and its API on the 50,000-startup dataset (issue: startup registry).
REGISTRY = [
    ("directory", "/startups/", 150),
    ("directory: no diacritics", "/startups/?q=nong+nghiep", 150),
    ("directory: 3 facets", "/startups/?sector=fintech&stage=seed&verification=current", 150),
    ("directory: page 40", "/startups/?page=40&sort=title", 150),
    ("directory: CSV export", "/startups/export/?format=csv&sector=ai&stage=seed", 1000),
    ("api: startups", "/api/v1/startups", 150),
    ("api: startups filtered", "/api/v1/startups?q=du+lieu&sector=ai&page_size=50", 150),
    ("profile", "/startups/{slug}/", 150),
    ("sandbox register", "/sandbox/", 150),
    ("sandbox: 2 facets", "/sandbox/?domain=fintech&status=testing", 150),
    ("sandbox: check a firm", "/sandbox/?firm=cong+nghe", 150),
    ("api: sandbox", "/api/v1/sandbox?q=nong+nghiep", 150),
]
# The ecosystem dashboard, the indicators API and the CSV downloads on the 10× dataset with a year
# of weekly snapshots (issue: ecosystem dashboard).
DASHBOARD = [
    ("dashboard (vi)", "/dashboard/", 300),
    ("dashboard (en)", "/en/dashboard/", 300),
    ("api: indicators", "/api/v1/indicators", 300),
    ("api: indicators (en)", "/api/v1/indicators?lang=en", 300),
    ("api: one indicator", "/api/v1/indicators/startups", 300),
    ("api: snapshots", "/api/v1/indicators/startups/snapshots", 300),
    ("api: snapshots, 100 a page", "/api/v1/indicators/fund-size/snapshots?page_size=100", 300),
    ("csv: indicators", "/dashboard/data/indicators.csv", 300),
    ("csv: snapshots", "/dashboard/data/indicators/startups/snapshots.csv", 300),
]
REBUILD_BUDGET_SECONDS = 120
# One client asks thousands of times: the per-visitor limit of the open-data API would refuse it.
BENCHMARK_API_RATE = "1000000/m"


def measure(client, path: str, requests: int, forget=None) -> dict:
    """p50/p95 of `requests` warm requests; with `forget`, also the p95 when every request comes
    right after `forget()` empties a cache (the search engine's counts, the dashboard's
    figures), as right after a write."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fetch():
        response = client.get(path)
        if response.streaming:  # an export is produced while it is read
            b"".join(response.streaming_content)
        return response

    for _ in range(3):
        fetch()
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = fetch()
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        fetch()
    result = {**_percentiles(timings), "queries": len(queries)}
    if forget:
        cold_timings = []
        for _ in range(requests):
            forget()
            started = time.perf_counter()
            fetch()
            cold_timings.append((time.perf_counter() - started) * 1000)
        result["cold_p95_ms"] = _percentiles(cold_timings)["p95_ms"]
    return result


def _percentiles(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
    }


def load_search_dataset(reload: bool) -> dict | None:
    """Loads and indexes the 10× dataset unless it is already there; returns the indexing time
    when it (re)indexes."""
    from benchmarks.dataset import (
        ADAPTERS,
        SANDBOX_ENTRIES,
        SIZES,
        STARTUPS,
        documents,
        load_sandbox_entries,
        load_startups,
        register_adapters,
    )
    from search import registry
    from search.engines import get_engine
    from search.models import SearchDocument

    register_adapters()
    inserted = load_startups() + load_sandbox_entries()
    real = [registry.adapter("startups"), registry.adapter("sandbox")]
    total = sum(SIZES.values()) + STARTUPS + SANDBOX_ENTRIES
    indexed = SearchDocument.objects.filter(doc_type__in=[*SIZES, "startups", "sandbox"]).count()
    if not (reload or inserted) and indexed >= total:
        return None
    engine = get_engine()
    started = time.perf_counter()
    for adapter in real:
        engine.index(adapter, registry.public_documents(adapter))
    for adapter in ADAPTERS:
        engine.delete(adapter, [str(n) for n in range(1, SIZES[adapter.name] + 1)])
        engine.index(adapter, documents(adapter.name, SIZES[adapter.name]))
    engine.analyze()
    seconds = round(time.perf_counter() - started, 1)
    vacuum()
    return {
        "documents": total,
        "seconds": seconds,
        "budget_seconds": REBUILD_BUDGET_SECONDS,
        "within_budget": seconds <= REBUILD_BUDGET_SECONDS,
    }


def load_dashboard_dataset() -> dict:
    """The startups, 10,000 fund applications and a year of weekly snapshots (once; the startups
    are indexed by the search suite when it runs)."""
    from benchmarks.dataset import load_fund_applications, load_indicator_history, load_startups
    from fund.models import Application
    from portal.dashboard.models import Indicator, Snapshot

    load_startups()
    load_fund_applications()
    load_indicator_history()
    vacuum()
    return {
        "fund_applications": Application.objects.count(),
        "snapshots": Snapshot.objects.count(),
        "indicators": Indicator.objects.count(),
    }


def time_dashboard_refresh(times: int = 10) -> dict:
    """The task that reads the dashboard again after a write: off the request, but timed."""
    from portal.dashboard.selectors import refresh_reads

    timings = []
    for _ in range(times):
        started = time.perf_counter()
        refresh_reads()
        timings.append((time.perf_counter() - started) * 1000)
    return _percentiles(timings)


def vacuum() -> None:
    """After a bulk load, what autovacuum does in a running system: without it, index scans
    wade through the dead rows of the documents the load replaced."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "search_searchdocument",
                "search_searchmatch",
                "search_searchfacet",
                "startups_startup",
                "sandbox_entry",
                "fund_application",
                "fund_applicationstep",
                "dashboard_snapshotvalue",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")  # noqa: S608 -- fixed table names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument(
        "--suite",
        choices=["pages", "search", "registry", "import", "dashboard", "all"],
        default="all",
    )
    parser.add_argument("--reload", action="store_true", help="index the search dataset again")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    django.setup()
    from django.core.management import call_command
    from django.test import Client, override_settings

    from portal.accounts.models import User
    from portal.dashboard.selectors import forget_cached_figures
    from search.engines.database import forget_cached_counts

    override_settings(API_ANON_RATE=BENCHMARK_API_RATE).enable()

    call_command("migrate", verbosity=0)
    # Seeding re-indexes every type, the 50,000 benchmark startups included: only when needed.
    if not User.objects.filter(email="founder@example.org").exists():
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    loading = None
    importing = None
    dashboard_data = None
    targets = []
    forgetting = {}  # path: the cache it is also measured without
    if args.suite in ("import", "all"):
        from benchmarks.imports import run_import_benchmark

        importing = run_import_benchmark()
    if args.suite in ("pages", "all"):
        targets += PAGES
    if args.suite in ("search", "registry", "all"):
        loading = load_search_dataset(args.reload)
    if args.suite in ("search", "all"):
        targets += [(name, path, None, budget) for name, path, budget in SEARCHES]
        forgetting |= dict.fromkeys((path for _, path, _ in SEARCHES), forget_cached_counts)
    if args.suite in ("registry", "all"):
        from startups.models import Startup

        slug = Startup.objects.filter(status="verified").order_by("pk").values("slug")[:1]
        registry = [
            (name, path.format(slug=slug[0]["slug"]), None, budget)
            for name, path, budget in REGISTRY
        ]
        targets += registry
        forgetting |= dict.fromkeys((path for _, path, _, _ in registry), forget_cached_counts)
    if args.suite in ("dashboard", "all"):
        dashboard_data = load_dashboard_dataset()
        targets += [(name, path, None, budget) for name, path, budget in DASHBOARD]
        forgetting |= dict.fromkeys((path for _, path, _ in DASHBOARD), forget_cached_figures)

    rows = []
    for name, path, account, budget in targets:
        client = Client(HTTP_HOST="127.0.0.1")
        if account:
            client.force_login(User.objects.get(email=account))
        result = measure(client, path, args.requests, forget=forgetting.get(path))
        rows.append(
            {
                "page": name,
                "path": path,
                "budget_p95_ms": budget,
                **result,
                "within_budget": result["p95_ms"] <= budget,
            }
        )

    if loading:
        print(
            f"Indexed {loading['documents']} documents in {loading['seconds']} s "
            f"(budget {loading['budget_seconds']} s)\n"
        )
    if dashboard_data:
        refresh = time_dashboard_refresh()
        print(
            f"Dashboard dataset: {dashboard_data['fund_applications']} fund applications, "
            f"{dashboard_data['snapshots']} weekly snapshots of "
            f"{dashboard_data['indicators']} indicators; the background refresh of its figures "
            f"and charts (both languages) takes p50 {refresh['p50_ms']} ms, p95 "
            f"{refresh['p95_ms']} ms\n"
        )
    if importing:
        flag = "" if importing["within_budget"] else "  OVER"
        print(
            f"Imported {importing['rows']} rows in {importing['seconds']} s "
            f"(budget {importing['budget_seconds']} s){flag}; again, all unchanged, in "
            f"{importing['rerun_seconds']} s; their index refresh (background task) "
            f"{importing['index_seconds']} s\n"
        )
    header = (
        f"{'page':<28} {'p50 ms':>8} {'p95 ms':>8} {'cold p95':>9} {'budget':>7} {'queries':>8}"
        "  path"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        flag = "" if row["within_budget"] else "  OVER"
        print(
            f"{row['page']:<28} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row.get('cold_p95_ms', ''):>9} {row['budget_p95_ms']:>7} {row['queries']:>8}  "
            f"{row['path']}{flag}"
        )
    from django.db import connection

    RESULTS.write_text(
        json.dumps(
            {
                "database": connection.vendor,
                "requests": args.requests,
                "pages": rows,
                **({"import": importing} if importing else {}),
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    main()
