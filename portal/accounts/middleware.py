from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from .permissions import has_mfa, requires_mfa

# Views a staff user without MFA may still reach: the MFA set-up itself, re-authentication
# (which set-up can ask for), logout, the health check and static assets.
_ALLOWED_URL_NAMES = {"account_logout", "account_reauthenticate", "healthz", "set_language"}


def _is_allowed(path: str) -> bool:
    if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name in _ALLOWED_URL_NAMES or (match.url_name or "").startswith("mfa_")


class RequireStaffMFAMiddleware:
    """Sends a reviewer, fund manager, department staff or administrator without two-factor
    authentication to set it up; nothing else is reachable until they have."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if requires_mfa(user) and not _is_allowed(request.path_info) and not has_mfa(user):
            messages.warning(
                request,
                _(
                    "Your role requires two-factor authentication. Set up an authenticator app "
                    "to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
