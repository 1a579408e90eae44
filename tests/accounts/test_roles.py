import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from portal.accounts.permissions import has_role, requires_mfa, user_roles
from portal.accounts.roles import ROLE_GROUP_NAMES, STAFF_ROLES, Role
from portal.accounts.services import user_grant_role, user_revoke_role
from tests.factories import make_user


@pytest.mark.django_db
def test_every_role_is_a_group_created_by_migration():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_GROUP_NAMES.values())


@pytest.mark.django_db
def test_staff_role_groups_can_reach_the_admin_and_public_roles_cannot():
    for role in Role:
        group = Group.objects.get(name=role.group_name)
        can_access = group.permissions.filter(codename="access_admin").exists()
        assert can_access == (role in STAFF_ROLES), role


@pytest.mark.django_db
def test_a_user_can_hold_several_roles():
    user = make_user(Role.FOUNDER, Role.REVIEWER)
    assert user_roles(user) == {Role.FOUNDER, Role.REVIEWER}
    assert requires_mfa(user)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_mfa_is_required_exactly_for_staff_roles(role):
    assert requires_mfa(make_user(role)) == (role in STAFF_ROLES)


@pytest.mark.django_db
def test_granting_and_revoking_a_role_is_audited():
    admin = make_user(Role.ADMINISTRATOR)
    user = make_user()

    user_grant_role(user=user, role=Role.FUND_MANAGER, actor=admin)
    user_revoke_role(user=user, role=Role.FUND_MANAGER, actor=admin)

    entries = ModelLogEntry.objects.for_instance(user).order_by("timestamp", "id")
    assert [(e.action, e.user_id, e.data["role"]) for e in entries] == [
        ("accounts.role_granted", admin.pk, "fund_manager"),
        ("accounts.role_revoked", admin.pk, "fund_manager"),
    ]
    user.refresh_from_db()
    assert not has_role(user, Role.FUND_MANAGER)


@pytest.mark.django_db
@pytest.mark.parametrize("actor_role", [Role.FOUNDER, Role.DEPARTMENT_STAFF, Role.FUND_MANAGER])
def test_only_administrators_grant_roles(actor_role):
    actor, user = make_user(actor_role), make_user()
    with pytest.raises(PermissionDenied):
        user_grant_role(user=user, role=Role.ADMINISTRATOR, actor=actor)
    user.refresh_from_db()
    assert not user.is_superuser and not user.groups.exists()


@pytest.mark.django_db
def test_administrator_role_makes_and_unmakes_a_superuser():
    user = make_user(Role.ADMINISTRATOR)
    assert user.is_superuser and user.is_staff
    user_revoke_role(user=user, role=Role.ADMINISTRATOR)
    user.refresh_from_db()
    assert not user.is_superuser and not user.is_staff


@pytest.mark.django_db
def test_email_is_unique_regardless_of_case():
    from django.core.exceptions import ValidationError

    make_user(email="case@example.org")
    with pytest.raises(ValidationError):
        make_user(email="CASE@example.org")


@pytest.mark.django_db
def test_full_name_is_in_vietnamese_order():
    assert str(make_user(first_name="An", last_name="Nguyễn Văn")) == "Nguyễn Văn An"
