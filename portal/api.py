"""The open-data API root: `/api/v1/`, its OpenAPI schema and its documentation page, and the
limit on anonymous use."""

import math
import time
from functools import lru_cache

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import Throttled
from ninja.throttling import BaseThrottle, SimpleRateThrottle

from portal.dashboard.api import router as indicators_router
from sandbox.api import router as sandbox_router
from search.api import router as search_router
from startups.api import router as startups_router
from tech_exchange.api import router as technologies_router


@lru_cache
def _parse_rate(rate: str) -> tuple[int, int]:
    parsed = SimpleRateThrottle(rate)  # django-ninja's rate syntax: "60/m", "1000/d", "5/10s"
    return parsed.num_requests, parsed.duration


def anonymous_rate() -> tuple[int, int]:
    """(requests, seconds) allowed to one visitor who is not signed in (setting API_ANON_RATE)."""
    return _parse_rate(settings.API_ANON_RATE)


class AnonymousUseThrottle(BaseThrottle):
    """Counts a visitor's requests per fixed window in the shared cache (Redis in production),
    one atomic increment per request, so every app server sees the same count; signed-in users
    are not limited. The client address is the one django-allauth's login limits use, so one
    proxy setting (ALLAUTH_TRUSTED_PROXY_COUNT) serves both."""

    def allow_request(self, request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        limit, seconds = anonymous_rate()
        window = int(time.time() // seconds)
        key = f"api-anon:{seconds}:{window}:{get_adapter().get_client_ip(request)}"
        cache.add(key, 0, timeout=seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between add and incr
            cache.set(key, 1, timeout=seconds)
            count = 1
        return count <= limit

    def wait(self) -> float:
        _limit, seconds = anonymous_rate()
        return seconds - time.time() % seconds


api = NinjaAPI(
    title="Hanoi Innovation Portal open data",
    version="1",
    description=(
        "Read-only public data of the Hanoi Innovation Portal: the startup directory, the "
        "technology exchange, the sandbox register, and the ecosystem's indicators with their "
        "weekly snapshots. Vietnamese text throughout; the indicators also in English with "
        "`lang=en`. Anonymous use is limited per client address: past the limit the answer is "
        "429 with a Retry-After header; signed-in users are not limited."
    ),
    urls_namespace="api",
    # The docs page loads Swagger UI from django-ninja's static files; without a validator URL
    # it never asks an outside service to check the schema either.
    docs=Swagger(settings={"validatorUrl": None}),
    throttle=[AnonymousUseThrottle()],
)


@api.exception_handler(Throttled)
def too_many_requests(request: HttpRequest, exc: Throttled) -> HttpResponse:
    limit, seconds = anonymous_rate()
    wait = max(math.ceil(exc.wait or seconds), 1)
    response = api.create_response(
        request,
        {
            "detail": _(
                "Too many requests: without signing in, the open-data API answers "
                "%(limit)s requests every %(seconds)s seconds from one address. Try again in "
                "%(wait)s seconds, or sign in."
            )
            % {"limit": limit, "seconds": seconds, "wait": wait},
            "retry_after": wait,
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


api.add_router("/", search_router)
api.add_router("/startups", startups_router)
api.add_router("/sandbox", sandbox_router)
api.add_router("/technologies", technologies_router)
api.add_router("/indicators", indicators_router)
