"""Health checks behind `/healthz`. Apps add theirs with the `register_health_check` hook:
a callable that returns nothing when healthy and raises when not."""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from wagtail import hooks

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value it was given")
    cache.delete(key)


def run_health_checks() -> dict[str, str]:
    checks = {"database": check_database, "cache": check_cache}
    for register in hooks.get_hooks("register_health_check"):
        checks.update(register())
    results = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:  # any failure of a dependency is an unhealthy answer, not a 500
            logger.warning("health check %s failed: %s", name, exc)
            results[name] = "error"
        else:
            results[name] = "ok"
    return results
