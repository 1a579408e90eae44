from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services


@login_required
def inbox(request):
    page = Paginator(selectors.inbox_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page_obj": page})


@login_required
def notification_detail(request, pk: int):
    notification = selectors.notification_for_recipient(request.user, pk)
    services.notification_mark_read(notification=notification)
    return render(request, "notifications/detail.html", {"notification": notification})


@login_required
@require_POST
def inbox_mark_all_read(request):
    count = services.notifications_mark_all_read(recipient=request.user)
    messages.success(request, _("%(count)d messages marked as read.") % {"count": count})
    return redirect("inbox")
