from django.shortcuts import get_object_or_404

from .models import Notification


def inbox_for(user):
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_for_recipient(user, pk: int) -> Notification:
    """A user only ever sees their own notifications; anyone else's is simply not found."""
    return get_object_or_404(Notification, pk=pk, recipient=user)
