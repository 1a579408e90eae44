from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from portal.notifications.selectors import inbox_for

from .permissions import has_mfa, requires_mfa, user_roles


@login_required
def workspace(request):
    user = request.user
    return render(
        request,
        "accounts/workspace.html",
        {
            "roles": sorted(user_roles(user), key=lambda role: role.label),
            "mfa_required": requires_mfa(user),
            "mfa_enabled": has_mfa(user),
            "latest_notifications": inbox_for(user)[:5],
        },
    )
