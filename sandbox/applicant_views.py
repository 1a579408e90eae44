"""The applicant's side of the sandbox at /me/sandbox/: apply for controlled testing, edit the
draft, submit it, answer the department's questions and follow the decision.

Views parse input, call a service and say what happened; a refused action shows the service's
message and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.core.exceptions import PortalError
from portal.core.forms import refusal_text, show_refusal
from portal.core.views import label_actors

from . import permissions, services, workflow
from .forms import ApplicationForm
from .models import Application, ApplicationStatus
from .selectors import applications_of

STATUS_EXPLANATIONS = {
    ApplicationStatus.DRAFT: gettext_lazy(
        "Only you see this application. Complete it, then submit it: the Department of Science "
        "and Technology assesses it and may ask you for more information."
    ),
    ApplicationStatus.SUBMITTED: gettext_lazy(
        "The department is assessing the application. You get a message when it asks for more "
        "information or decides; the application cannot be edited meanwhile."
    ),
    ApplicationStatus.INFO_REQUESTED: gettext_lazy(
        "The department needs more information before deciding. Edit the application as asked "
        "below, then submit it again."
    ),
    ApplicationStatus.APPROVED: gettext_lazy(
        "A decision allows the test. Its terms, dates and every later change are published in "
        "the public sandbox register."
    ),
    ApplicationStatus.REJECTED: gettext_lazy(
        "The department did not approve the test, for the reason below. You may apply again "
        "with a new application."
    ),
}
STATUS_BADGES = {
    ApplicationStatus.DRAFT: "neutral",
    ApplicationStatus.SUBMITTED: "info",
    ApplicationStatus.INFO_REQUESTED: "warn",
    ApplicationStatus.APPROVED: "ok",
    ApplicationStatus.REJECTED: "error",
}


def _visible_application(request, pk: int) -> Application:
    """The application, for its applicant and sandbox staff; anyone else is told it does not
    exist."""
    application = get_object_or_404(
        Application.objects.select_related("applicant", "startup", "entry"), pk=pk
    )
    if not permissions.can_view_application(request.user, application):
        raise Http404
    return application


def _detail(application: Application):
    return redirect("sandbox_applications:detail", pk=application.pk)


def _can_submit(user, application: Application) -> bool:
    step = workflow.APPLICATION_STEPS.get((application.status, ApplicationStatus.SUBMITTED))
    return step == workflow.APPLICANT and application.applicant_id == user.pk


# --- my applications -------------------------------------------------------------------------


@login_required
def my_applications(request):
    applications = list(applications_of(request.user))
    for application in applications:
        application.badge = STATUS_BADGES[application.status]
        application.register_entry = getattr(application, "entry", None)
    return render(request, "sandbox/applicant/list.html", {"applications": applications})


@login_required
def application_new(request):
    user = request.user
    if request.method == "POST":
        form = ApplicationForm(request.POST, user=user)
        if form.is_valid():
            try:
                application = services.application_create(
                    user=user, fields=form.application_fields()
                )
            except (ValidationError, PortalError) as error:
                show_refusal(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Your application “%(title)s” is saved as a draft. Check it, then submit "
                        "it to the department."
                    )
                    % {"title": application.title},
                )
                return _detail(application)
    else:
        form = ApplicationForm(user=user)
    return render(request, "sandbox/applicant/form.html", {"form": form, "application": None})


# --- one application -------------------------------------------------------------------------


def _steps(application: Application) -> list:
    return label_actors(
        application.steps.select_related("actor"),
        own_ids={application.applicant_id},
        staff_label=_("Department of Science and Technology"),
    )


@login_required
def application_detail(request, pk: int):
    application = _visible_application(request, pk)
    user = request.user
    steps = _steps(application)
    decision = None
    if application.status in (ApplicationStatus.INFO_REQUESTED, ApplicationStatus.REJECTED):
        # Steps come newest first: the one that brought the application where it is.
        decision = next((step for step in steps if step.to_status == application.status), None)
    return render(
        request,
        "sandbox/applicant/detail.html",
        {
            "application": application,
            "badge": STATUS_BADGES[application.status],
            "explanation": STATUS_EXPLANATIONS[application.status],
            "decision": decision,
            "steps": steps,
            "entry": getattr(application, "entry", None),
            "is_applicant": application.applicant_id == user.pk,
            "is_staff": permissions.is_department_staff(user),
            "can_edit": permissions.can_edit_application(user, application),
            "can_submit": _can_submit(user, application),
        },
    )


@login_required
def application_edit(request, pk: int):
    application = _visible_application(request, pk)
    user = request.user
    if not permissions.can_edit_application(user, application):
        messages.error(
            request,
            _("An application that is “%(status)s” cannot be edited.")
            % {"status": application.get_status_display()},
        )
        return _detail(application)
    # Validating a model form writes into its instance: give it a copy, not the page's one.
    editable = Application.objects.get(pk=application.pk)
    if request.method == "POST":
        form = ApplicationForm(request.POST, instance=editable, user=user)
        if form.is_valid():
            try:
                application = services.application_update(
                    user=user, application=application, fields=form.application_fields()
                )
            except (ValidationError, PortalError) as error:
                show_refusal(form, error)
            else:
                if application.status == ApplicationStatus.INFO_REQUESTED:
                    text = _("Changes saved. Submit the application again when it is ready.")
                else:
                    text = _("Changes saved.")
                messages.success(request, text)
                return _detail(application)
    else:
        form = ApplicationForm(instance=editable, user=user)
    return render(
        request, "sandbox/applicant/form.html", {"form": form, "application": application}
    )


@login_required
@require_POST
def application_submit(request, pk: int):
    application = _visible_application(request, pk)
    resubmission = application.status == ApplicationStatus.INFO_REQUESTED
    try:
        application = services.application_submit(user=request.user, application=application)
    except (ValidationError, PortalError) as error:
        current = Application.objects.get(pk=application.pk)
        if current.status == ApplicationStatus.SUBMITTED:
            messages.error(
                request,
                _(
                    "This application is already submitted; the department is assessing it. "
                    "You get a message when it asks for more information or decides."
                ),
            )
        else:
            messages.error(request, refusal_text(error))
    else:
        if resubmission:
            text = _(
                "“%(title)s” is submitted again with the information asked for. The department "
                "will tell you when it has decided."
            )
        else:
            text = _(
                "“%(title)s” is submitted to the department. It will tell you when it needs more "
                "information or has decided."
            )
        messages.success(request, text % {"title": application.title})
    return _detail(application)
