from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.core.audit import register_audit_actions

from . import (
    admin_hooks,  # noqa: F401
    dashboard_hooks,  # noqa: F401 -- figures and charts for the ecosystem dashboard
    home_hooks,  # noqa: F401 -- the home page's figure and section
    review_hooks,  # noqa: F401
    workspace_hooks,  # noqa: F401
)
from .demo import seed_demo_fund


@hooks.register("register_log_actions")
def register_fund_actions(actions):
    register_audit_actions(
        actions,
        {
            "fund.attachment_added": (_("Attach a document"), _("Document attached")),
            "fund.attachment_removed": (_("Remove a document"), _("Document removed")),
            "fund.submit": (_("Submit application"), _("Application submitted")),
            "fund.screening": (_("Start screening"), _("Moved to screening")),
            "fund.due_diligence": (_("Start due diligence"), _("Moved to due diligence")),
            "fund.committee": (
                _("Send to the investment committee"),
                _("Moved to the investment committee"),
            ),
            "fund.request_info": (_("Request information"), _("More information requested")),
            "fund.answer": (_("Answer a request"), _("Information provided by the applicant")),
            "fund.withdraw": (_("Withdraw application"), _("Application withdrawn")),
            "fund.reject": (_("Reject application"), _("Application rejected")),
            "fund.approve": (_("Approve investment"), _("Investment approved by the committee")),
            "fund.assign": (_("Assign reviewer"), _("Reviewer assigned")),
            "fund.unassign": (_("Unassign reviewer"), _("Reviewer unassigned")),
            "fund.declare": (_("Declare no conflict"), _("Reviewer declared no conflict")),
            "fund.recuse": (_("Declare a conflict"), _("Reviewer declared a conflict")),
            "fund.review": (_("Submit review"), _("Review submitted")),
            "fund.affiliation": (_("Declare affiliation"), _("Reviewer affiliation declared")),
            "fund.tranche_add": (_("Plan tranche"), _("Tranche planned")),
            "fund.tranche_update": (_("Change tranche"), _("Tranche changed")),
            "fund.tranche_evidence": (_("Add evidence"), _("Tranche evidence added")),
            "fund.requirements_met": (
                _("Approve requirements"),
                _("Tranche requirements approved"),
            ),
            "fund.disburse": (_("Disburse tranche"), _("Tranche disbursed")),
            "fund.hold": (_("Hold tranche"), _("Tranche held")),
            "fund.resume": (_("Resume tranche"), _("Tranche resumed")),
        },
    )


# After the registry's demo startups (applicants must be verified startups).
hooks.register("register_demo_seeder", seed_demo_fund, order=35)
