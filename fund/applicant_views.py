"""The applicant's side of the fund at /fund/applications/: start an application to an open
call, fill in the draft with its documents, submit it, follow it through the pipeline, answer the
fund's requests, withdraw it and, once approved, send evidence for the tranches.

Only members of the applying startup see an application; anyone else is told it does not exist.
Views parse input, call a service and say what happened; a refused action shows the service's
message and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.core.exceptions import PortalError
from portal.core.forms import refusal_text, show_refusal
from portal.core.views import label_actors

from . import permissions, selectors, services, workflow
from .forms import (
    AnswerForm,
    ApplicationForm,
    AttachmentForm,
    EvidenceForm,
    StartForm,
    WithdrawForm,
    co_investor_formset,
    co_investors_from,
)
from .models import (
    PIPELINE,
    Application,
    ApplicationStatus,
    CallPage,
    Tranche,
    TrancheStatus,
)

STATUS_EXPLANATIONS = {
    ApplicationStatus.DRAFT: gettext_lazy(
        "Only your startup's team sees this draft. Complete it, attach your pitch deck, then "
        "submit it before the call closes: its content is then locked."
    ),
    ApplicationStatus.SUBMITTED: gettext_lazy(
        "The application is submitted and its content is locked. The fund starts screening it "
        "by the deadline below."
    ),
    ApplicationStatus.SCREENING: gettext_lazy(
        "The fund checks that the application fits the call's thesis and eligibility rules."
    ),
    ApplicationStatus.DUE_DILIGENCE: gettext_lazy(
        "Reviewers assigned by the fund examine the startup in depth and score it."
    ),
    ApplicationStatus.COMMITTEE: gettext_lazy(
        "The fund's investment committee is deciding on the application."
    ),
    ApplicationStatus.INFO_REQUESTED: gettext_lazy(
        "The fund needs more information before going on. Answer below by the deadline; you "
        "may also update the application and its documents first. Your answer sends the "
        "application back to the stage it was in."
    ),
    ApplicationStatus.APPROVED: gettext_lazy(
        "The investment committee approved an investment. Its terms and the tranches in which "
        "it is paid are below."
    ),
    ApplicationStatus.REJECTED: gettext_lazy(
        "The fund will not invest through this call, for the reason below."
    ),
    ApplicationStatus.WITHDRAWN: gettext_lazy(
        "This application was withdrawn. The startup may apply to the call again while it is open."
    ),
}
STATUS_BADGES = {
    ApplicationStatus.DRAFT: "neutral",
    ApplicationStatus.SUBMITTED: "info",
    ApplicationStatus.SCREENING: "info",
    ApplicationStatus.DUE_DILIGENCE: "info",
    ApplicationStatus.COMMITTEE: "info",
    ApplicationStatus.INFO_REQUESTED: "warn",
    ApplicationStatus.APPROVED: "ok",
    ApplicationStatus.REJECTED: "error",
    ApplicationStatus.WITHDRAWN: "neutral",
}
TRANCHE_BADGES = {
    TrancheStatus.PLANNED: "info",
    TrancheStatus.REQUIREMENTS_MET: "ok",
    TrancheStatus.DISBURSED: "ok",
    TrancheStatus.HELD: "warn",
}
# What the completeness check names that is not a field of the application.
CHECK_LABELS = {
    "answers": gettext_lazy("The call's questions"),
    "attachments": gettext_lazy("Documents"),
}


def _application(request, pk: int) -> Application:
    application = selectors.application_for_applicant(request.user, pk)
    if application is None:
        raise Http404
    return application


def _detail(application: Application):
    return redirect("fund_applications:detail", pk=application.pk)


def _can_withdraw(application: Application) -> bool:
    return ApplicationStatus.WITHDRAWN in workflow.applicant_steps_from(application.status)


# --- my applications -------------------------------------------------------------------------


@login_required
def my_applications(request):
    applications = list(selectors.applications_of(request.user))
    for application in applications:
        application.badge = STATUS_BADGES[application.status]
    return render(
        request,
        "fund/applicant/list.html",
        {
            "applications": applications,
            "open_calls": list(selectors.open_calls().public().order_by("closes_on")),
            "fund_index_url": selectors.fund_index_url(request),
        },
    )


@login_required
def application_new(request, call_id: int):
    """Which of the user's verified startups applies; the draft is then filled in on its edit
    page."""
    call = get_object_or_404(CallPage.objects.live().public(), pk=call_id)
    user = request.user
    choices = selectors.apply_choices(user, call)
    eligible = [startup for startup in choices.startups if startup.pk not in choices.applied]
    form = StartForm(
        request.POST if request.method == "POST" else None,
        startups=choices.startups,
        # The call page's "Apply for <startup>" button preselects that startup.
        initial={"startup": request.GET.get("startup")},
    )
    if request.method == "POST" and form.is_valid():
        startup = form.cleaned_data["startup"]
        try:
            application = services.application_create(user=user, call=call, startup=startup)
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _(
                    "The application of %(startup)s to “%(call)s” is saved as a draft. Fill it "
                    "in, attach your documents, then submit it."
                )
                % {"startup": startup.name, "call": call.title},
            )
            return redirect("fund_applications:edit", pk=application.pk)
    return render(
        request,
        "fund/applicant/new.html",
        {"call": call, "apply": choices, "eligible": eligible, "form": form},
    )


# --- one application -------------------------------------------------------------------------


def _steps(application: Application) -> list:
    return label_actors(
        application.steps.all(),
        own_ids=set(application.startup.memberships.values_list("user_id", flat=True)),
        staff_label=application.call.fund.name,
    )


def _pipeline(application: Application, steps: list) -> list[dict]:
    """The stages of the pipeline, each reached, current or ahead."""
    reached = {step.to_status for step in steps}
    current = application.status
    if current == ApplicationStatus.INFO_REQUESTED:
        current = application.returns_to
    stages = []
    for status in PIPELINE:
        if status == current:
            state = "current"
        elif status in reached:
            state = "done"
        else:
            state = "ahead"
        stages.append({"label": ApplicationStatus(status).label, "state": state})
    return stages


def _labelled(error: ValidationError) -> list[tuple[str, list[str]]]:
    """A service's ValidationError as (what it is about, messages), for the page."""
    rows = []
    for name, texts in error.message_dict.items():
        if name in CHECK_LABELS:
            label = CHECK_LABELS[name]
        elif name == "__all__":
            label = _("The application")
        else:
            label = capfirst(Application._meta.get_field(name).verbose_name)
        rows.append((str(label), texts))
    return rows


def _render_detail(
    request,
    application: Application,
    *,
    submit_errors=None,
    attachment_form=None,
    answer_form=None,
    evidence_forms=None,
):
    user = request.user
    steps = _steps(application)
    can_edit = permissions.can_edit_application(user, application)
    can_answer = application.status == ApplicationStatus.INFO_REQUESTED
    latest_note = None
    if application.status in (ApplicationStatus.INFO_REQUESTED, ApplicationStatus.REJECTED):
        latest_note = next(
            (step for step in reversed(steps) if step.to_status == application.status), None
        )
    investment = getattr(application, "investment", None)
    tranches = selectors.tranches_of(investment) if investment else []
    evidence_forms = evidence_forms or {}
    for tranche in tranches:
        tranche.badge = TRANCHE_BADGES[tranche.status]
        if tranche.status != TrancheStatus.DISBURSED and permissions.can_add_tranche_evidence(
            user, tranche
        ):
            tranche.evidence_form = evidence_forms.get(tranche.pk) or EvidenceForm(
                prefix=f"tranche-{tranche.pk}"
            )
    return render(
        request,
        "fund/applicant/detail.html",
        {
            "application": application,
            "badge": STATUS_BADGES[application.status],
            "explanation": STATUS_EXPLANATIONS[application.status],
            "steps": steps,
            "pipeline": _pipeline(application, steps),
            "queue_position": selectors.queue_position(application),
            "latest_note": latest_note,
            "answers": selectors.answered_questions(application),
            "co_investors": list(application.co_investors.all()),
            "attachments": list(application.attachments.all()),
            "can_edit": can_edit,
            "can_submit": ApplicationStatus.SUBMITTED
            in workflow.applicant_steps_from(application.status),
            "can_withdraw": _can_withdraw(application),
            "submit_errors": submit_errors,
            "attachment_form": (attachment_form or AttachmentForm()) if can_edit else None,
            "answer_form": (answer_form or AnswerForm()) if can_answer else None,
            "investment": investment,
            "tranches": tranches,
        },
    )


@login_required
def application_detail(request, pk: int):
    return _render_detail(request, _application(request, pk))


@login_required
def application_edit(request, pk: int):
    application = _application(request, pk)
    user = request.user
    if not permissions.can_edit_application(user, application):
        messages.error(
            request,
            _("An application that is “%(status)s” is locked: it can no longer be edited.")
            % {"status": application.get_status_display()},
        )
        return _detail(application)
    data = request.POST if request.method == "POST" else None
    # Validating a model form writes into its instance: give it a copy, not the page's one.
    editable = Application.objects.get(pk=application.pk)
    form = ApplicationForm(data, instance=editable, call=application.call)
    formset = co_investor_formset(application, data)
    # Both are checked so that every mistake shows at once.
    if data is not None and all([form.is_valid(), formset.is_valid()]):
        try:
            services.application_update(
                user=user,
                application=application,
                fields=form.application_fields(),
                answers=form.answers(),
                co_investors=co_investors_from(formset),
            )
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return _detail(application)
    return render(
        request,
        "fund/applicant/form.html",
        {"application": application, "form": form, "formset": formset},
    )


@login_required
@require_POST
def application_submit(request, pk: int):
    application = _application(request, pk)
    try:
        application = services.application_submit(user=request.user, application=application)
    except ValidationError as error:
        return _render_detail(request, application, submit_errors=_labelled(error))
    except PortalError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(
            request,
            _(
                "The application is submitted to the fund and its content is now locked. You get "
                "a message at every step."
            ),
        )
    return _detail(application)


@login_required
def application_withdraw(request, pk: int):
    application = _application(request, pk)
    if not _can_withdraw(application):
        messages.error(
            request,
            _("An application that is “%(status)s” cannot be withdrawn.")
            % {"status": application.get_status_display()},
        )
        return _detail(application)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                user=request.user, application=application, note=form.cleaned_data["reason"]
            )
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The application is withdrawn."))
            return _detail(application)
    return render(
        request, "fund/applicant/withdraw.html", {"application": application, "form": form}
    )


@login_required
@require_POST
def application_answer(request, pk: int):
    application = _application(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            application = services.application_answer(
                user=request.user, application=application, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        except PortalError as error:
            messages.error(request, refusal_text(error))
            return _detail(application)
        else:
            messages.success(
                request,
                _("Your answer is sent. The application is back at “%(stage)s”.")
                % {"stage": application.get_status_display()},
            )
            return _detail(application)
    if application.status != ApplicationStatus.INFO_REQUESTED:
        messages.error(request, _("The fund has not asked this application for information."))
        return _detail(application)
    return _render_detail(request, application, answer_form=form)


# --- documents -------------------------------------------------------------------------------


@login_required
@require_POST
def attachment_add(request, pk: int):
    application = _application(request, pk)
    if not permissions.can_edit_application(request.user, application):
        messages.error(request, _("This application is locked: it can no longer be edited."))
        return _detail(application)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.attachment_add(
                user=request.user,
                application=application,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("%(file)s is attached as %(kind)s.")
                % {
                    "file": attachment.file.original_name,
                    "kind": attachment.get_kind_display().lower(),
                },
            )
            return _detail(application)
    return _render_detail(request, application, attachment_form=form)


@login_required
@require_POST
def attachment_remove(request, pk: int, attachment_pk: int):
    application = _application(request, pk)
    attachment = get_object_or_404(application.attachments.select_related("file"), pk=attachment_pk)
    name = attachment.file.original_name
    try:
        services.attachment_remove(user=request.user, attachment=attachment)
    except PortalError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("%(file)s is removed.") % {"file": name})
    return _detail(application)


@login_required
@require_POST
def tranche_evidence_add(request, pk: int, tranche_pk: int):
    application = _application(request, pk)
    tranche = get_object_or_404(
        Tranche.objects.select_related("investment"),
        pk=tranche_pk,
        investment__application=application,
    )
    form = EvidenceForm(request.POST, request.FILES, prefix=f"tranche-{tranche.pk}")
    if form.is_valid():
        try:
            services.tranche_evidence_add(
                user=request.user,
                tranche=tranche,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PortalError) as error:
            if isinstance(error, PortalError) and error.code == "invalid_transition":
                # A disbursed tranche shows no evidence form to put the message on.
                messages.error(request, refusal_text(error))
                return _detail(application)
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("The evidence for tranche %(number)d is sent to the fund.")
                % {"number": tranche.number},
            )
            return _detail(application)
    return _render_detail(request, application, evidence_forms={tranche.pk: form})
