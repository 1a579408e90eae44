from django.http import JsonResponse
from django.shortcuts import render

from .exceptions import PortalError


def _wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


class PortalErrorMiddleware:
    """Turns an uncaught `PortalError` into a clear answer instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PortalError):
            return None
        if _wants_json(request):
            return JsonResponse(exception.as_dict(), status=exception.status_code)
        return render(
            request, "errors/domain_error.html", {"error": exception}, status=exception.status_code
        )
