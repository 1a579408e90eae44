"""The applicant's sandbox applications on the /me/ workspace overview."""

from wagtail import hooks

from portal.core.views import panel_records
from startups.selectors import memberships_of

from .applicant_views import STATUS_BADGES
from .selectors import applications_of


@hooks.register("portal_workspace_panels")
def my_sandbox_applications_panel(request):
    """The latest applications; founders who have none are invited to apply. Other accounts see
    no panel (the side menu still leads to /me/sandbox/)."""
    user = request.user
    applications, more = panel_records(applications_of(user), STATUS_BADGES)
    if not applications and not memberships_of(user).exists():
        return []
    return [
        {
            "template": "sandbox/applicant/panel.html",
            "applications": applications,
            "more": more,
        }
    ]
