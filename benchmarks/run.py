"""Server-side timings and query counts of the portal's pages.

Runs against the database the settings name (SQLite by default, PostgreSQL with DATABASE_URL),
migrating and seeding it first. Prints a table and writes benchmarks/results.json.

    make bench                     # or: .venv/bin/python -m benchmarks.run --requests 100
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from portal.accounts.models import User

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    rows = []
    for name, path, account, budget in PAGES:
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

    header = f"{'page':<16} {'path':<20} {'p50 ms':>8} {'p95 ms':>8} {'budget':>7} {'queries':>8}"
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
            {"database": connection.vendor, "requests": args.requests, "pages": rows},
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    main()
