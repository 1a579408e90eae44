"""The user's fund applications on the /me/ workspace overview."""

from wagtail import hooks

from portal.core.views import WORKSPACE_PANEL_SIZE, panel_records
from startups.selectors import memberships_of

from .applicant_views import STATUS_BADGES
from .selectors import applications_of, open_calls


@hooks.register("portal_workspace_panels")
def my_fund_applications_panel(request):
    """The latest applications of the user's startups; members of a startup that has none are
    pointed to the open calls. Other accounts see no panel."""
    user = request.user
    applications, more = panel_records(applications_of(user), STATUS_BADGES)
    if not applications and not memberships_of(user).exists():
        return []
    calls = (
        [] if applications else open_calls().public().order_by("closes_on")[:WORKSPACE_PANEL_SIZE]
    )
    return [
        {
            "template": "fund/applicant/panel.html",
            "applications": applications,
            "more": more,
            "open_calls": list(calls),
        }
    ]
