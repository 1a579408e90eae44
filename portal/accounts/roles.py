"""The portal's roles. Each role is a Django group (created by a migration); a user may hold
several. Staff roles must use two-factor authentication."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FOUNDER = "founder", _("Founder")
    PROVIDER = "provider", _("Technology provider")
    REVIEWER = "reviewer", _("Reviewer")
    FUND_MANAGER = "fund_manager", _("Fund manager")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    ADMINISTRATOR = "administrator", _("Administrator")

    @property
    def group_name(self) -> str:
        return ROLE_GROUP_NAMES[self]


# Group names are stable identifiers (English, untranslated); labels above are for people.
ROLE_GROUP_NAMES = {
    Role.FOUNDER: "Founder",
    Role.PROVIDER: "Provider",
    Role.REVIEWER: "Reviewer",
    Role.FUND_MANAGER: "Fund manager",
    Role.DEPARTMENT_STAFF: "Department staff",
    Role.ADMINISTRATOR: "Administrator",
}

STAFF_ROLES = frozenset(
    {Role.REVIEWER, Role.FUND_MANAGER, Role.DEPARTMENT_STAFF, Role.ADMINISTRATOR}
)
