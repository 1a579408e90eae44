"""The fund's daily job: each fund manager gets one inbox message listing the applications past
their stage's service deadline and the tranches past their planned date, when there are any."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.accounts.roles import Role
from portal.core.formatting import format_vnd
from portal.notifications.services import notify_each, role_holders

from . import selectors

OVERDUE_DIGEST = "fund.overdue_digest"


def _application_line(application) -> str:
    return _("%(startup)s · %(call)s: “%(stage)s”, due %(due)s") % {
        "startup": application.startup.name,
        "call": application.call.title,
        "stage": application.get_status_display(),
        "due": timezone.localtime(application.stage_due_at).strftime("%d/%m/%Y %H:%M"),
    }


def _tranche_line(tranche, today) -> str:
    return _(
        "%(startup)s · tranche %(number)d: %(amount)s planned on %(date)s (%(days)d days late)"
    ) % {
        "startup": tranche.investment.application.startup.name,
        "number": tranche.number,
        "amount": format_vnd(tranche.amount_vnd),
        "date": tranche.planned_on.strftime("%d/%m/%Y"),
        "days": tranche.days_late(today),
    }


def overdue_digest(previous_run) -> str:
    applications = list(selectors.overdue_applications())
    tranches = list(selectors.overdue_tranches())
    if not applications and not tranches:
        return "nothing overdue"
    today = timezone.localdate()

    def subject():
        return _("Venture fund: %(applications)s and %(tranches)s overdue") % {
            "applications": ngettext(
                "%(count)d application", "%(count)d applications", len(applications)
            )
            % {"count": len(applications)},
            "tranches": ngettext("%(count)d tranche", "%(count)d tranches", len(tranches))
            % {"count": len(tranches)},
        }

    def body():
        sections = []
        if applications:
            sections.append(
                "\n".join(
                    [_("Applications past their service deadline:")]
                    + [f"- {_application_line(application)}" for application in applications]
                )
            )
        if tranches:
            sections.append(
                "\n".join(
                    [_("Tranches past their planned date:")]
                    + [f"- {_tranche_line(tranche, today)}" for tranche in tranches]
                )
            )
        return "\n\n".join(sections)

    managers = list(role_holders(Role.FUND_MANAGER))
    notify_each(managers, subject, body, url=reverse("fund_admin_dashboard"))
    return (
        f"{len(applications)} overdue applications and {len(tranches)} overdue tranches "
        f"sent to {len(managers)} fund managers"
    )
