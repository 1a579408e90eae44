"""Who gets into the fund managers' admin: fund managers and administrators, nobody else."""

from django.core.exceptions import PermissionDenied

from portal.accounts.roles import Role
from portal.core.admin import RolePolicy

from ..permissions import is_fund_manager

FUND_MANAGER_ROLES = (Role.FUND_MANAGER, Role.ADMINISTRATOR)


class FundManagerPolicy(RolePolicy):
    roles = FUND_MANAGER_ROLES

    def holds_role(self, user) -> bool:
        return is_fund_manager(user)


class FundManagerRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_fund_manager(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
