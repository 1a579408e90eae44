"""Server-side timings and query counts of the portal's pages and of discovery.

Runs against the database the settings name (SQLite by default, PostgreSQL with DATABASE_URL —
the budgets are for PostgreSQL), migrating and seeding it first. The search suite loads the
10× dataset (benchmarks/dataset.py) once and reuses it; `--reload` loads it again and reports
the indexing time. Prints a table and writes benchmarks/results.json.

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
    ("search: type + facets", "/search/?q=du+lieu&type=bench_startups&sector=ai&stage=seed", 150),
    ("search: browse, page 40", "/search/?type=bench_technologies&page=40", 150),
    ("api: search", "/api/v1/search?q=thanh+toan&type=bench_startups&filter=sector:fintech", 150),
    ("autocomplete", "/search/suggest/?q=nang+luong+x", 150),
]
REBUILD_BUDGET_SECONDS = 120


def measure(client, path: str, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        client.get(path)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "queries": len(queries),
    }


def load_search_dataset(reload: bool) -> dict | None:
    """Indexes the 10× dataset unless it is already there; returns the timing when it loads."""
    from benchmarks.dataset import ADAPTERS, SIZES, documents, register_adapters
    from search.engines import get_engine
    from search.models import SearchDocument

    register_adapters()
    present = SearchDocument.objects.filter(doc_type__in=SIZES).count()
    if present == sum(SIZES.values()) and not reload:
        return None
    engine = get_engine()
    started = time.perf_counter()
    for adapter in ADAPTERS:
        engine.delete(adapter, [str(n) for n in range(1, SIZES[adapter.name] + 1)])
        engine.index(adapter, documents(adapter.name, SIZES[adapter.name]))
    engine.analyze()
    seconds = round(time.perf_counter() - started, 1)
    return {
        "documents": sum(SIZES.values()),
        "seconds": seconds,
        "budget_seconds": REBUILD_BUDGET_SECONDS,
        "within_budget": seconds <= REBUILD_BUDGET_SECONDS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--suite", choices=["pages", "search", "import", "all"], default="all")
    parser.add_argument("--reload", action="store_true", help="index the search dataset again")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from portal.accounts.models import User

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    loading = None
    importing = None
    targets = []
    if args.suite in ("import", "all"):
        from benchmarks.imports import run_import_benchmark

        importing = run_import_benchmark()
    if args.suite in ("pages", "all"):
        targets += PAGES
    if args.suite in ("search", "all"):
        loading = load_search_dataset(args.reload)
        targets += [(name, path, None, budget) for name, path, budget in SEARCHES]

    rows = []
    for name, path, account, budget in targets:
        client = Client(HTTP_HOST="127.0.0.1")
        if account:
            client.force_login(User.objects.get(email=account))
        result = measure(client, path, args.requests)
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
    if importing:
        flag = "" if importing["within_budget"] else "  OVER"
        print(
            f"Imported {importing['rows']} rows in {importing['seconds']} s "
            f"(budget {importing['budget_seconds']} s){flag}; again, all unchanged, in "
            f"{importing['rerun_seconds']} s; their index refresh (background task) "
            f"{importing['index_seconds']} s\n"
        )
    header = f"{'page':<24} {'p50 ms':>8} {'p95 ms':>8} {'budget':>7} {'queries':>8}  path"
    print(header)
    print("-" * len(header))
    for row in rows:
        flag = "" if row["within_budget"] else "  OVER"
        print(
            f"{row['page']:<16} {row['path']:<20} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['budget_p95_ms']:>7} {row['queries']:>8}{flag}"
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
