"""The applicant's sandbox applications on the /me/ workspace overview."""

from wagtail import hooks

from startups.selectors import memberships_of

from .applicant_views import STATUS_BADGES
from .selectors import applications_of

PANEL_SIZE = 5


@hooks.register("portal_workspace_panels")
def my_sandbox_applications_panel(request):
    """The latest applications; founders who have none are invited to apply. Other accounts see
    no panel (the side menu still leads to /me/sandbox/)."""
    user = request.user
    applications = list(applications_of(user)[: PANEL_SIZE + 1])
    if not applications and not memberships_of(user).exists():
        return []
    for application in applications:
        application.badge = STATUS_BADGES[application.status]
    return [
        {
            "template": "sandbox/applicant/panel.html",
            "applications": applications[:PANEL_SIZE],
            "more": len(applications) > PANEL_SIZE,
        }
    ]
