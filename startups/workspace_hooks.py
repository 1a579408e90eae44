"""The founder's startups on the /me/ workspace overview."""

from wagtail import hooks

from .selectors import memberships_of, pending_invitations_for
from .workspace_views import STATUS_BADGES


@hooks.register("portal_workspace_panels")
def my_startups_panel(request):
    memberships = list(memberships_of(request.user))
    for membership in memberships:
        membership.badge = STATUS_BADGES[membership.startup.status]
    return [
        {
            "template": "startups/workspace/panel.html",
            "memberships": memberships,
            "invitation_count": pending_invitations_for(request.user).count(),
        }
    ]
