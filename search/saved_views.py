from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.exceptions import PortalError

from . import services
from .forms import SearchForm
from .models import SavedSearch
from .selectors import saved_searches_of


@login_required
@require_POST
def save_search(request):
    form = SearchForm(request.POST)
    try:
        saved = services.saved_search_create(user=request.user, request=form.to_request())
    except PortalError as error:
        messages.error(request, error.message)
        return redirect(_back_to_search(request))
    messages.success(
        request,
        _("Search saved. We will tell you when new items match “%(search)s”.")
        % {"search": str(saved)},
    )
    return redirect(services.saved_search_url(saved))


@login_required
def saved_searches(request):
    rows = [(saved, services.saved_search_url(saved)) for saved in saved_searches_of(request.user)]
    return render(request, "search/saved_searches.html", {"rows": rows})


@login_required
@require_POST
def delete_saved_search(request, pk: int):
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    services.saved_search_delete(user=request.user, saved_search=saved)
    messages.success(request, _("Saved search deleted."))
    return redirect("saved_searches")


def _back_to_search(request) -> str:
    params = request.POST.copy()
    params.pop("csrfmiddlewaretoken", None)
    return f"{reverse('search')}?{params.urlencode()}"
