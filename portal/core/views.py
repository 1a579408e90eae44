from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .health import run_health_checks


@never_cache
def healthz(request):
    results = run_health_checks()
    healthy = all(status == "ok" for status in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503
    )
