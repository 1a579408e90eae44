from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone, translation

from portal.accounts.models import User
from portal.accounts.roles import ROLE_GROUP_NAMES, Role

from .models import Notification
from .tasks import email_notification


@transaction.atomic
def notification_send(
    *, recipient: User, subject: str, body: str, url: str = "", email: bool = True
) -> Notification:
    """Puts a message in the recipient's inbox and, after commit, emails it in their language.

    Callers pass text already rendered in the recipient's language (`translation.override`).
    """
    notification = Notification(recipient=recipient, subject=subject, body=body, url=url)
    notification.full_clean()
    notification.save()
    if email:
        transaction.on_commit(lambda: email_notification.enqueue(notification.pk))
    return notification


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, recipient: User) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notify_each(
    recipients: Iterable[User],
    subject: Callable[[], str],
    body: Callable[[], str],
    *,
    url: str = "",
) -> None:
    """Sends to each recipient, rendering `subject` and `body` in the recipient's language."""
    for recipient in recipients:
        with translation.override(recipient.language):
            notification_send(
                recipient=recipient, subject=str(subject()), body=str(body()), url=url
            )


def role_holders(role: Role):
    """Active users holding `role`, for notifications addressed to a role."""
    return User.objects.filter(is_active=True, groups__name=ROLE_GROUP_NAMES[role]).distinct()
