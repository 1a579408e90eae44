"""Who may download a private file.

The owner and administrators always may. An app that attaches files to its records registers
one rule per model, e.g. `register_file_access(Application, can_view_application_files)`; the
rule gets `(user, attached_object)` and decides alone. Department staff may download files
attached to nothing with a rule. Everything else is refused.
"""

from collections.abc import Callable

from django.db.models import Model

from portal.accounts.permissions import has_role
from portal.accounts.roles import Role

from .models import PrivateFile

_RULES: dict[type[Model], Callable[[object, Model], bool]] = {}


def register_file_access(model: type[Model], rule: Callable[[object, Model], bool]) -> None:
    _RULES[model] = rule


def can_download_file(user, private_file: PrivateFile) -> bool:
    """The owner and administrators may; a file attached to a record with a registered rule is
    governed by that rule (fund applications are not the department's to read); department staff
    may download the rest."""
    if not user.is_authenticated or not user.is_active:
        return False
    if private_file.owner_id == user.pk or has_role(user, Role.ADMINISTRATOR):
        return True
    attached = private_file.attached_to
    rule = _RULES.get(type(attached)) if attached is not None else None
    if rule is not None:
        return bool(rule(user, attached))
    return has_role(user, Role.DEPARTMENT_STAFF)
