"""One tranche of an investment: its conditions and evidence, its steps, and what a fund manager
does with it (change it while planned or held, approve its requirements, disburse, hold,
resume, add evidence)."""

from django.db.models import Q, Sum
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import services, workflow
from ..admin_forms import DisburseForm, EvidenceForm, HoldForm, TrancheForm, TrancheNoteForm
from ..models import Tranche, TrancheStatus
from .pages import ActionPageView

EDITABLE = frozenset({TrancheStatus.PLANNED, TrancheStatus.HELD})


class TrancheManageView(ActionPageView):
    template_name = "fund/admin/tranche.html"
    header_icon = "date"
    actions = {
        "edit": TrancheForm,
        "requirements": TrancheNoteForm,
        "disburse": DisburseForm,
        "hold": HoldForm,
        "resume": TrancheNoteForm,
        "evidence": EvidenceForm,
    }
    # The step each action takes, from the tranche's lifecycle.
    STEPS = {
        "requirements": TrancheStatus.REQUIREMENTS_MET,
        "disburse": TrancheStatus.DISBURSED,
        "hold": TrancheStatus.HELD,
        "resume": TrancheStatus.PLANNED,
    }

    def setup_object(self, pk):
        self.tranche = get_object_or_404(
            Tranche.objects.select_related(
                "investment__application__startup", "investment__application__call"
            ).prefetch_related("evidence__file", "evidence__uploaded_by", "steps__actor"),
            pk=pk,
        )
        self.application = self.tranche.investment.application

    def form_kwargs(self, name):
        if name == "edit":
            tranche = self.tranche
            return {
                "initial": {
                    "amount_vnd": tranche.amount_vnd,
                    "planned_on": tranche.planned_on,
                    "conditions": tranche.conditions,
                }
            }
        return {}

    def available_actions(self):
        status = self.tranche.status
        available = {
            name
            for name, target in self.STEPS.items()
            if (status, target) in workflow.TRANCHE_STEPS
        }
        if status in EDITABLE:
            available.add("edit")
        if status != TrancheStatus.DISBURSED:
            available.add("evidence")
        return available

    def get_page_title(self):
        return _("Tranche %(number)d: %(startup)s") % {
            "number": self.tranche.number,
            "startup": self.application.startup.name,
        }

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("fund_admin_tranches:index"), "label": _("Tranches")},
            {
                "url": reverse("fund_admin_application", args=[self.application.pk]),
                "label": self.application.startup.name,
            },
            {"url": "", "label": _("Tranche %(number)d") % {"number": self.tranche.number}},
        ]

    def get_context_data(self, **kwargs):
        tranche = self.tranche
        investment = tranche.investment
        totals = investment.tranches.aggregate(
            planned=Sum("amount_vnd"),
            disbursed=Sum("amount_vnd", filter=Q(status=TrancheStatus.DISBURSED)),
        )
        return super().get_context_data(
            tranche=tranche,
            investment=investment,
            application=self.application,
            planned_total=totals["planned"] or 0,
            disbursed_total=totals["disbursed"] or 0,
            evidence=tranche.evidence.all(),
            steps=tranche.steps.all(),
            **kwargs,
        )

    def _done(self, tranche: Tranche) -> str:
        return _("Tranche %(number)d: %(status)s.") % {
            "number": tranche.number,
            "status": tranche.get_status_display(),
        }

    def _step_with_note(self, service, form) -> str:
        return self._done(
            service(user=self.request.user, tranche=self.tranche, note=form.cleaned_data["note"])
        )

    # --- the actions ----------------------------------------------------------------------------

    def run_edit(self, form):
        tranche = services.tranche_update(
            user=self.request.user, tranche=self.tranche, **form.values()
        )
        return _("Tranche %(number)d is changed.") % {"number": tranche.number}

    def run_requirements(self, form):
        return self._step_with_note(services.tranche_approve_requirements, form)

    def run_disburse(self, form):
        return self._done(
            services.tranche_disburse(
                user=self.request.user,
                tranche=self.tranche,
                disbursed_on=form.cleaned_data["disbursed_on"],
            )
        )

    def run_hold(self, form):
        return self._step_with_note(services.tranche_hold, form)

    def run_resume(self, form):
        return self._step_with_note(services.tranche_resume, form)

    def run_evidence(self, form):
        evidence = services.tranche_evidence_add(
            user=self.request.user,
            tranche=self.tranche,
            upload=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
        )
        return _("Evidence added: %(file)s.") % {"file": evidence.file.original_name}
