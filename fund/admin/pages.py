"""A record's management page: everything about the record, and one form per action. Each form
posts its action's name; the page runs it through a service and, when the service refuses,
shows the refusal on that form and changes nothing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.core.exceptions import PortalError
from portal.core.forms import refusal_text, show_refusal

from .access import FundManagerRequiredMixin


class ActionPageView(FundManagerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """`actions` maps each action's name to its form class; `run_<name>(form)` performs it and
    returns the success message. Forms are prefixed with their action's name, so several live on
    one page without clashing."""

    actions: dict[str, type] = {}

    def setup_object(self, pk) -> None:
        raise NotImplementedError

    def get(self, request, pk):
        self.setup_object(pk)
        return super().get(request, pk)

    def form_kwargs(self, name: str) -> dict:
        return {}

    def make_form(self, name: str, data=None, files=None):
        return self.actions[name](data, files, prefix=name, **self.form_kwargs(name))

    def available_actions(self) -> set[str]:
        """The actions offered now (a refused one is shown again, with its refusal, anyway)."""
        return set(self.actions)

    def get_context_data(self, bound=None, **kwargs):
        available = self.available_actions()
        forms = {name: self.make_form(name) for name in available}
        if bound is not None:
            forms[bound.prefix] = bound
            available.add(bound.prefix)
        return super().get_context_data(forms=forms, available=available, **kwargs)

    def refused(self, form, error) -> None:
        show_refusal(form, error)

    def post(self, request, pk):
        self.setup_object(pk)
        name = request.POST.get("action")
        if name not in self.actions:
            return HttpResponseBadRequest(_("Unknown action."))
        form = self.make_form(name, request.POST, request.FILES)
        if form.is_valid():
            try:
                message = getattr(self, f"run_{name}")(form)
            except (ValidationError, PortalError) as error:
                self.refused(form, error)
                messages.error(request, _("Not done: %(reason)s") % {"reason": refusal_text(error)})
            else:
                messages.success(request, message)
                return redirect(self.success_url(name))
        return self.render_to_response(self.get_context_data(bound=form))

    def success_url(self, name: str) -> str:
        return self.request.path
