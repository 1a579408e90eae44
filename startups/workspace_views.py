"""The founder's side of the registry at /me/startups/: register, edit, submit, re-confirm,
invite members, upload documents and claim an existing record.

Views parse input, call a service and say what happened; a refused action shows the service's
message and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.core.exceptions import PortalError
from portal.core.forms import refusal_text, show_refusal
from portal.core.views import label_actors
from portal.files.kinds import DOCUMENTS
from portal.files.services import private_file_create

from . import permissions, services
from .forms import (
    ClaimCodeForm,
    ClaimFindForm,
    ClaimReviewForm,
    DocumentForm,
    InvitationForm,
    StartupProfileForm,
)
from .models import Claim, ClaimMethod, ClaimStatus, Invitation, Membership, Startup, Status
from .selectors import memberships_of, pending_claims_of, pending_invitations_for
from .workflow import Actor, allowed

STATUS_EXPLANATIONS = {
    Status.DRAFT: gettext_lazy(
        "Only your team sees this profile. Complete it, then submit it for verification: the "
        "department checks it against the national business register."
    ),
    Status.SUBMITTED: gettext_lazy(
        "The department is checking the profile. You get a message when it decides; the "
        "profile cannot be edited meanwhile."
    ),
    Status.CHANGES_REQUESTED: gettext_lazy(
        "The department asks you to change the profile before verifying it. Edit it as asked "
        "below, then submit it again."
    ),
    Status.VERIFIED: gettext_lazy(
        "The startup is listed in the public directory and counted towards the city's targets. "
        "Keep the profile current and re-confirm it once a year."
    ),
    Status.REJECTED: gettext_lazy(
        "The department could not verify the startup for the reasons below. Write to the "
        "department if you think this is a mistake."
    ),
}
STATUS_BADGES = {
    Status.DRAFT: "neutral",
    Status.SUBMITTED: "info",
    Status.CHANGES_REQUESTED: "warn",
    Status.VERIFIED: "ok",
    Status.REJECTED: "error",
}
REMINDER_WINDOW_DAYS = 30


def mask_email(email: str) -> str:
    """`lienhe@example.org` → `l***@example.org`: enough to recognise, not to harvest."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def _workspace_startup(request, pk: int) -> Startup:
    """The startup, for its members and registry staff; anyone else is told it does not exist."""
    startup = get_object_or_404(Startup.objects.select_related("commune"), pk=pk)
    user = request.user
    if not (permissions.is_member(user, startup) or permissions.is_department_staff(user)):
        raise Http404
    return startup


def _detail(startup: Startup):
    return redirect("startup_workspace:detail", pk=startup.pk)


# --- my startups -----------------------------------------------------------------------------


@login_required
def my_startups(request):
    memberships = list(memberships_of(request.user))
    for membership in memberships:
        membership.badge = STATUS_BADGES[membership.startup.status]
    return render(
        request,
        "startups/workspace/list.html",
        {
            "memberships": memberships,
            "invitations": pending_invitations_for(request.user),
            "claims": pending_claims_of(request.user),
        },
    )


@login_required
def startup_new(request):
    if request.method == "POST":
        form = StartupProfileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                startup = services.startup_create(
                    user=request.user,
                    fields=form.profile_fields(),
                    sectors=form.cleaned_data["sectors"],
                )
            except (ValidationError, PortalError) as error:
                show_refusal(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s is saved as a draft. Add documents and invite your team, then "
                        "submit it for verification."
                    )
                    % {"name": startup.name},
                )
                return _detail(startup)
    else:
        form = StartupProfileForm()
    return render(request, "startups/workspace/form.html", {"form": form, "startup": None})


# --- one startup -----------------------------------------------------------------------------


def _reconfirmation(startup: Startup) -> dict | None:
    if startup.status != Status.VERIFIED or not startup.confirmation_due_on:
        return None
    days_left = (startup.confirmation_due_on - timezone.localdate()).days
    return {
        "due_on": startup.confirmation_due_on,
        "days_left": days_left,
        "overdue": days_left < 0,
        "due_soon": 0 <= days_left <= REMINDER_WINDOW_DAYS,
        "stale": startup.is_stale,
    }


def _history(startup: Startup, member_ids: set[int]) -> list:
    return label_actors(
        startup.transitions.select_related("actor"),
        own_ids=member_ids,
        staff_label=_("Department of Science and Technology"),
    )


def _render_detail(request, startup, *, invite_form=None, document_form=None):
    user = request.user
    memberships = list(startup.memberships.select_related("user"))
    member_ids = {membership.user_id for membership in memberships}
    history = _history(startup, member_ids)
    decision = None
    if startup.status in (Status.CHANGES_REQUESTED, Status.REJECTED):
        decision = next((t for t in history if t.to_status == startup.status), None)
    can_manage = permissions.can_manage_members(user, startup)
    return render(
        request,
        "startups/workspace/detail.html",
        {
            "startup": startup,
            "badge": STATUS_BADGES[startup.status],
            "explanation": STATUS_EXPLANATIONS[startup.status],
            "is_member": user.pk in member_ids,
            "can_edit": permissions.can_edit_startup(user, startup),
            "can_submit": allowed(startup.status, Status.SUBMITTED) == Actor.MEMBER,
            "can_reconfirm": startup.status == Status.VERIFIED,
            "can_manage": can_manage,
            "reconfirmation": _reconfirmation(startup),
            "decision": decision,
            "history": history,
            "memberships": memberships,
            "invitations": startup.invitations.filter(
                accepted_at__isnull=True, expires_at__gt=timezone.now()
            ).select_related("invited_by"),
            "documents": startup.documents.select_related("owner"),
            "invite_form": invite_form or (InvitationForm() if can_manage else None),
            "document_form": document_form or DocumentForm(),
        },
    )


@login_required
def startup_detail(request, pk: int):
    return _render_detail(request, _workspace_startup(request, pk))


@login_required
def startup_edit(request, pk: int):
    startup = _workspace_startup(request, pk)
    user = request.user
    if not permissions.can_edit_startup(user, startup):
        messages.error(
            request,
            _("A startup that is “%(status)s” cannot be edited.")
            % {"status": startup.get_status_display()},
        )
        return _detail(startup)
    lock_code = startup.status == Status.VERIFIED and not permissions.is_department_staff(user)
    # Validating a model form writes into its instance: give it a copy, not the page's startup.
    editable = Startup.objects.get(pk=startup.pk)
    if request.method == "POST":
        form = StartupProfileForm(
            request.POST, request.FILES, instance=editable, lock_enterprise_code=lock_code
        )
        if form.is_valid():
            try:
                startup = services.startup_update(
                    user=user,
                    startup=startup,
                    fields=form.profile_fields(),
                    sectors=form.cleaned_data["sectors"],
                )
            except (ValidationError, PortalError) as error:
                show_refusal(form, error)
            else:
                if startup.status == Status.CHANGES_REQUESTED:
                    text = _("Changes saved. Submit the profile again when it is ready.")
                elif startup.status == Status.VERIFIED:
                    text = _(
                        "Changes saved and published. The department sees what changed since "
                        "it verified the profile."
                    )
                else:
                    text = _("Changes saved.")
                messages.success(request, text)
                return _detail(startup)
    else:
        form = StartupProfileForm(instance=editable, lock_enterprise_code=lock_code)
    return render(request, "startups/workspace/form.html", {"form": form, "startup": startup})


@login_required
@require_POST
def startup_submit(request, pk: int):
    startup = _workspace_startup(request, pk)
    try:
        startup = services.startup_submit(user=request.user, startup=startup)
    except (ValidationError, PortalError) as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(
            request,
            _(
                "%(name)s is submitted for verification. The department will tell you when it "
                "has decided."
            )
            % {"name": startup.name},
        )
    return _detail(startup)


@login_required
@require_POST
def startup_reconfirm(request, pk: int):
    startup = _workspace_startup(request, pk)
    try:
        startup = services.startup_reconfirm(user=request.user, startup=startup)
    except (ValidationError, PortalError) as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(
            request,
            _("Thank you: the data is confirmed as current until %(due)s.")
            % {"due": startup.confirmation_due_on.strftime("%d/%m/%Y")},
        )
    return _detail(startup)


@login_required
@require_POST
def member_invite(request, pk: int):
    startup = _workspace_startup(request, pk)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.member_invite(
                user=request.user,
                startup=startup,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. It is valid for 14 days.")
                % {"email": invitation.email},
            )
            return _detail(startup)
    return _render_detail(request, startup, invite_form=form)


@login_required
@require_POST
def member_remove(request, pk: int, membership_pk: int):
    startup = _workspace_startup(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "startup"), pk=membership_pk, startup=startup
    )
    leaving = membership.user_id == request.user.pk
    try:
        services.member_remove(user=request.user, membership=membership)
    except (ValidationError, PortalError) as error:
        messages.error(request, refusal_text(error))
        return _detail(startup)
    if leaving:
        messages.success(request, _("You left %(name)s.") % {"name": startup.name})
        if not permissions.is_department_staff(request.user):
            return redirect("startup_workspace:list")
    else:
        messages.success(
            request,
            _("%(person)s no longer belongs to %(name)s.")
            % {"person": membership.user, "name": startup.name},
        )
    return _detail(startup)


@login_required
@require_POST
def document_upload(request, pk: int):
    startup = _workspace_startup(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = private_file_create(
                owner=request.user,
                upload=form.cleaned_data["file"],
                allowed=DOCUMENTS,
                attach_to=startup,
            )
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("%(file)s is uploaded.") % {"file": document.original_name})
            return _detail(startup)
    return _render_detail(request, startup, document_form=form)


@login_required
@require_POST
def document_delete(request, pk: int, document_pk):
    startup = _workspace_startup(request, pk)
    document = get_object_or_404(startup.documents, pk=document_pk)
    try:
        services.document_delete(user=request.user, startup=startup, document=document)
    except PortalError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("%(file)s is removed.") % {"file": document.original_name})
    return _detail(startup)


@login_required
@require_POST
def invitation_withdraw(request, pk: int, invitation_pk: int):
    startup = _workspace_startup(request, pk)
    invitation = get_object_or_404(startup.invitations, pk=invitation_pk)
    try:
        services.invitation_withdraw(user=request.user, invitation=invitation)
    except PortalError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return _detail(startup)


# --- invitations -----------------------------------------------------------------------------


@login_required
def invitation_detail(request, token):
    invitation = get_object_or_404(
        Invitation.objects.select_related("startup", "invited_by"), token=token
    )
    user = request.user
    error = None
    if request.method == "POST":
        try:
            services.invitation_accept(user=user, invitation=invitation)
        except (ValidationError, PortalError) as refusal:
            error = refusal_text(refusal)
        else:
            messages.success(
                request,
                _("Welcome to %(name)s. You can now manage it with your team.")
                % {"name": invitation.startup.name},
            )
            return _detail(invitation.startup)
    return render(
        request,
        "startups/workspace/invitation.html",
        {
            "invitation": invitation,
            "error": error,
            "wrong_account": invitation.email.lower() != user.email.lower(),
            "masked_email": mask_email(invitation.email),
            "used": invitation.accepted_at is not None,
            "expired": invitation.expires_at <= timezone.now(),
            "is_member": permissions.is_member(user, invitation.startup),
        },
    )


# --- claims ----------------------------------------------------------------------------------


@login_required
def claim_find(request):
    """Find the record to claim by its enterprise code."""
    form = ClaimFindForm(request.GET or None)
    if form.is_bound and form.is_valid():
        startup = Startup.objects.filter(
            enterprise_code=form.cleaned_data["enterprise_code"]
        ).first()
        if startup is None:
            form.add_error(
                "enterprise_code",
                _("No startup with this enterprise code is in the registry; register it instead."),
            )
        elif _claim_page_visible(request.user, startup):
            return redirect("startup_workspace:claim_startup", slug=startup.slug)
        else:
            form.add_error(
                "enterprise_code",
                _(
                    "This startup already has members on the portal. Ask its owner to invite "
                    "you, or write to the department."
                ),
            )
    return render(request, "startups/workspace/claim_find.html", {"form": form})


def _claim_page_visible(user, startup: Startup) -> bool:
    # A record nobody manages yet can be claimed; a founder's unlisted draft stays invisible.
    return permissions.can_view_startup(user, startup) or not startup.memberships.exists()


def _render_claim(request, startup, *, review_form=None, error=None):
    user = request.user
    return render(
        request,
        "startups/workspace/claim.html",
        {
            "startup": startup,
            "is_member": permissions.is_member(user, startup),
            "has_members": startup.memberships.exists(),
            "masked_email": mask_email(startup.contact_email) if startup.contact_email else "",
            "open_claim": pending_claims_of(user).filter(startup=startup).first(),
            "review_form": review_form or ClaimReviewForm(),
            "error": error,
        },
    )


def _claimable_startup(request, slug: str) -> Startup:
    startup = get_object_or_404(Startup.objects.select_related("commune"), slug=slug)
    if not _claim_page_visible(request.user, startup):
        raise Http404
    return startup


@login_required
def claim_startup(request, slug: str):
    return _render_claim(request, _claimable_startup(request, slug))


@login_required
@require_POST
def claim_send_code(request, slug: str):
    startup = _claimable_startup(request, slug)
    try:
        claim = services.claim_send_code(user=request.user, startup=startup)
    except (ValidationError, PortalError) as error:
        return _render_claim(request, startup, error=refusal_text(error))
    messages.success(
        request,
        _("We emailed a code to %(email)s. Ask the person who reads it to give it to you.")
        % {"email": mask_email(startup.contact_email)},
    )
    return redirect("startup_workspace:claim_confirm", pk=claim.pk)


@login_required
@require_POST
def claim_review(request, slug: str):
    startup = _claimable_startup(request, slug)
    form = ClaimReviewForm(request.POST)
    if form.is_valid():
        try:
            services.claim_request_review(
                user=request.user, startup=startup, evidence=form.cleaned_data["evidence"]
            )
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your claim on %(name)s is sent to the department. You get a message when "
                    "they have decided."
                )
                % {"name": startup.name},
            )
            return redirect("startup_workspace:list")
    return _render_claim(request, startup, review_form=form)


@login_required
def claim_confirm(request, pk: int):
    claim = get_object_or_404(
        Claim.objects.select_related("startup"),
        pk=pk,
        user=request.user,
        method=ClaimMethod.EMAIL_CODE,
    )
    form = ClaimCodeForm(request.POST or None)
    if request.method == "POST" and claim.status == ClaimStatus.PENDING and form.is_valid():
        try:
            services.claim_confirm_code(
                user=request.user, claim=claim, code=form.cleaned_data["code"]
            )
        except (ValidationError, PortalError) as error:
            show_refusal(form, error)
            claim.refresh_from_db()
        else:
            messages.success(
                request,
                _("You now manage %(name)s. Check its profile and keep it current.")
                % {"name": claim.startup.name},
            )
            return _detail(claim.startup)
    return render(
        request,
        "startups/workspace/claim_confirm.html",
        {
            "claim": claim,
            "form": form,
            "masked_email": mask_email(claim.startup.contact_email),
            "code_expired": claim.status == ClaimStatus.PENDING
            and claim.expires_at <= timezone.now(),
        },
    )
