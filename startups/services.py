"""Every write to the registry. Each function checks permission and state, validates, records
the change in the audit log and tells the people concerned."""

import secrets
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.models import User
from portal.accounts.permissions import has_role
from portal.accounts.roles import Role
from portal.accounts.services import user_grant_role
from portal.core.audit import audit_log
from portal.core.exceptions import PortalError
from portal.core.text import unique_slug
from portal.core.validators import normalize_enterprise_code
from portal.files.models import PrivateFile
from portal.files.services import private_file_delete
from portal.notifications.services import notification_send, notify_each

from . import permissions, workflow
from .models import (
    Claim,
    ClaimMethod,
    ClaimStatus,
    Invitation,
    MemberRole,
    Membership,
    PastMembership,
    Revision,
    Sector,
    Startup,
    StartupSector,
    Status,
    Transition,
)

# The fields a profile form edits; status and bookkeeping are changed only by transitions.
PROFILE_FIELDS = (
    "name",
    "english_name",
    "enterprise_code",
    "legal_form",
    "founded_on",
    "commune",
    "address",
    "stage",
    "team_size",
    "website",
    "logo",
    "pitch",
    "description",
    "products",
    "funding_raised_vnd",
    "revenue_vnd",
    "revenue_year",
    "revenue_source",
    "ip_held",
    "support_received",
    "contact_name",
    "contact_email",
    "contact_phone",
)
CONFIRMATION_PERIOD = timedelta(days=365)
REMINDER_DAYS = (30, 7)
INVITATION_LIFETIME = timedelta(days=14)
CLAIM_CODE_LIFETIME = timedelta(minutes=30)
CLAIM_CODE_ATTEMPTS = 5


# --- profile ---------------------------------------------------------------------------------


def _validated_sectors(sectors: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(sectors))
    unknown = [s for s in chosen if s not in Sector.values]
    if unknown:
        raise ValidationError({"sectors": _("Unknown sector: %s.") % ", ".join(unknown)})
    if not chosen:
        raise ValidationError({"sectors": _("Choose at least one sector.")})
    return chosen


def _apply(startup: Startup, fields: dict) -> None:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        if name == "enterprise_code":
            value = normalize_enterprise_code(value)
        setattr(startup, name, value)


def _save_sectors(startup: Startup, sectors: list[str]) -> None:
    current = set(startup.sector_links.values_list("sector", flat=True))
    startup.sector_links.exclude(sector__in=sectors).delete()
    StartupSector.objects.bulk_create(
        [StartupSector(startup=startup, sector=s) for s in sectors if s not in current]
    )
    startup.__dict__.get("_prefetched_objects_cache", {}).pop("sector_links", None)


def profile_snapshot(startup: Startup) -> dict:
    """The profile as plain values, to keep as a revision and compare later."""
    data = {}
    for name in PROFILE_FIELDS:
        value = getattr(startup, name)
        if name == "commune":
            value = str(value) if value else ""
        elif name == "logo":
            value = value.name if value else ""
        elif isinstance(value, date):
            value = value.isoformat()
        data[name] = value
    data["sectors"] = sorted(startup.sector_codes)
    return data


def _record_revision(startup: Startup, author: User | None, *, verified: bool = False) -> None:
    Revision.objects.create(
        startup=startup, data=profile_snapshot(startup), author=author, is_verified_state=verified
    )


@transaction.atomic
def startup_create(*, user: User, fields: dict, sectors: Iterable[str]) -> Startup:
    """A draft profile owned by `user`, who becomes a founder if not one already."""
    startup = Startup(status=Status.DRAFT)
    _apply(startup, fields)
    startup.slug = unique_slug(startup.name, taken=Startup.objects, fallback="startup")
    sectors = _validated_sectors(sectors)
    startup.full_clean()
    startup.save()
    _save_sectors(startup, sectors)
    Membership.objects.create(startup=startup, user=user, role=MemberRole.OWNER)
    if not has_role(user, Role.FOUNDER):
        user_grant_role(user=user, role=Role.FOUNDER)
    audit_log(startup, "wagtail.create", user=user)
    return startup


@transaction.atomic
def startup_update(
    *, user: User | None, startup: Startup, fields: dict, sectors: Iterable[str] | None = None
) -> Startup:
    """Edits a profile. Changes to a listed profile are kept as revisions for staff to review;
    the enterprise code of a verified startup is changed only by staff."""
    startup = Startup.objects.select_for_update().get(pk=startup.pk)
    staff = user is None or permissions.is_department_staff(user)
    if not staff and not permissions.can_edit_startup(user, startup):
        raise PortalError(_("You cannot edit this startup."), code="forbidden", status_code=403)
    code = fields.get("enterprise_code")
    if (
        not staff
        and startup.status == Status.VERIFIED
        and code is not None
        and normalize_enterprise_code(code) != startup.enterprise_code
    ):
        raise ValidationError(
            {
                "enterprise_code": _(
                    "The enterprise code of a verified startup can only be changed by the "
                    "department; write to them."
                )
            }
        )
    before = profile_snapshot(startup)
    _apply(startup, fields)
    if "name" in fields and startup.name != before["name"]:
        startup.slug = unique_slug(
            startup.name, taken=Startup.objects.exclude(pk=startup.pk), fallback="startup"
        )
    sectors = _validated_sectors(sectors) if sectors is not None else None
    startup.full_clean()
    startup.save()
    if sectors is not None:
        _save_sectors(startup, sectors)
    after = profile_snapshot(startup)
    changed = sorted(name for name in after if after[name] != before[name])
    if changed:
        if startup.status == Status.VERIFIED:
            _record_revision(startup, user)
        audit_log(startup, "wagtail.edit", user=user, data={"fields": changed})
    return startup


# --- lifecycle -------------------------------------------------------------------------------


def _transition(
    startup: Startup,
    to_status: str,
    *,
    user: User | None,
    reason_codes: Iterable[str] = (),
    note: str = "",
) -> Transition:
    actor = workflow.allowed(startup.status, to_status)
    if actor is None:
        raise PortalError(
            _("A startup that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": Status(startup.status).label,
                "target": Status(to_status).label,
            },
            code="invalid_transition",
            status_code=409,
        )
    allowed_user = (
        user is None  # the system: imports, scheduled jobs
        or (actor == workflow.Actor.STAFF and permissions.can_verify_startups(user))
        or (actor == workflow.Actor.MEMBER and permissions.is_member(user, startup))
    )
    if not allowed_user:
        raise PortalError(
            _("You are not allowed to do this to this startup."),
            code="forbidden",
            status_code=403,
        )
    record = Transition.objects.create(
        startup=startup,
        from_status=startup.status,
        to_status=to_status,
        actor=user,
        reason_codes=list(reason_codes),
        note=note,
    )
    startup.status = to_status
    return record


def _check_reasons(reason_codes: Iterable[str], note: str) -> list[str]:
    codes = list(dict.fromkeys(reason_codes))
    if not codes:
        raise ValidationError({"reason_codes": _("Choose at least one reason.")})
    unknown = [c for c in codes if c not in workflow.ReasonCode.values]
    if unknown:
        raise ValidationError({"reason_codes": _("Unknown reason: %s.") % ", ".join(unknown)})
    if workflow.ReasonCode.OTHER in codes and not note.strip():
        raise ValidationError({"note": _("Explain the “other” reason in the note.")})
    return codes


def _locked(startup: Startup) -> Startup:
    return Startup.objects.select_for_update().get(pk=startup.pk)


@transaction.atomic
def startup_submit(*, user: User, startup: Startup) -> Startup:
    startup = _locked(startup)
    _transition(startup, Status.SUBMITTED, user=user)
    startup.submitted_at = timezone.now()
    startup.full_clean()
    startup.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_log(startup, "startups.submit", user=user)
    return startup


def _start_confirmation_period(startup: Startup) -> None:
    startup.confirmation_due_on = timezone.localdate() + CONFIRMATION_PERIOD
    startup.is_stale = False
    startup.reminder_sent_days = None


@transaction.atomic
def startup_verify(*, user: User | None, startup: Startup, note: str = "") -> Startup:
    startup = _locked(startup)
    _transition(startup, Status.VERIFIED, user=user, note=note)
    startup.verified_at = timezone.now()
    _start_confirmation_period(startup)
    startup.save()
    _record_revision(startup, user, verified=True)
    audit_log(startup, "startups.verify", user=user, data={"note": note})
    _notify_members(
        startup,
        lambda: _("Your startup %(name)s is verified") % {"name": startup.name},
        lambda: (
            _(
                "The Department of Science and Technology has verified %(name)s. It is now "
                "listed in the public startup directory. Re-confirm its data before %(due)s "
                "each year."
            )
            % {"name": startup.name, "due": startup.confirmation_due_on.strftime("%d/%m/%Y")}
        ),
    )
    return startup


def startup_request_changes(
    *, user: User, startup: Startup, reason_codes: Iterable[str], note: str
) -> Startup:
    return _decide_with_reasons(
        user=user,
        startup=startup,
        to_status=Status.CHANGES_REQUESTED,
        action="startups.request_changes",
        reason_codes=reason_codes,
        note=note,
        subject=gettext_lazy("Changes requested for %(name)s"),
        lead=gettext_lazy("The department asks you to change your profile before verifying it."),
    )


def startup_reject(
    *, user: User, startup: Startup, reason_codes: Iterable[str], note: str = ""
) -> Startup:
    return _decide_with_reasons(
        user=user,
        startup=startup,
        to_status=Status.REJECTED,
        action="startups.reject",
        reason_codes=reason_codes,
        note=note,
        subject=gettext_lazy("%(name)s was not verified"),
        lead=gettext_lazy("The department could not verify your startup."),
    )


@transaction.atomic
def _decide_with_reasons(
    *, user, startup, to_status, action, reason_codes, note, subject, lead
) -> Startup:
    """A decision that sends the profile back or turns it down: it needs reasons, which the
    members read in their own language."""
    codes = _check_reasons(reason_codes, note)
    startup = _locked(startup)
    _transition(startup, to_status, user=user, reason_codes=codes, note=note)
    startup.save(update_fields=["status", "updated_at"])
    audit_log(startup, action, user=user, data={"reasons": codes, "note": note})
    _notify_decision(
        startup, codes, note, lambda: str(subject) % {"name": startup.name}, lambda: lead
    )
    return startup


@transaction.atomic
def startup_reconfirm(*, user: User, startup: Startup) -> Startup:
    """A member confirms the listed data is still current; the startup stops being stale."""
    startup = _locked(startup)
    if not (permissions.is_member(user, startup) or permissions.is_department_staff(user)):
        raise PortalError(
            _("Only the startup's members can re-confirm its data."),
            code="forbidden",
            status_code=403,
        )
    if startup.status != Status.VERIFIED:
        raise PortalError(
            _("Only a verified startup is re-confirmed."),
            code="invalid_transition",
            status_code=409,
        )
    was_stale = startup.is_stale
    _start_confirmation_period(startup)
    startup.save(
        update_fields=["confirmation_due_on", "is_stale", "reminder_sent_days", "updated_at"]
    )
    audit_log(startup, "startups.reconfirm", user=user, data={"was_stale": was_stale})
    return startup


def reconfirmation_sweep(*, today: date | None = None) -> tuple[int, int]:
    """The daily job: remind members 30 and 7 days before re-confirmation is due and mark
    startups past their date stale. Returns (reminders sent, startups marked stale)."""
    today = today or timezone.localdate()
    reminders = 0
    # Nearest deadline first: a startup first seen 5 days before gets one reminder, not two.
    for days in sorted(REMINDER_DAYS):
        due = Startup.objects.filter(
            status=Status.VERIFIED,
            is_stale=False,
            confirmation_due_on__gte=today,
            confirmation_due_on__lte=today + timedelta(days=days),
        ).exclude(reminder_sent_days__lte=days)
        for startup in due:
            with transaction.atomic():
                startup.reminder_sent_days = days
                startup.save(update_fields=["reminder_sent_days"])
                _notify_members(
                    startup,
                    lambda s=startup: (
                        _("Re-confirm %(name)s by %(due)s")
                        % {"name": s.name, "due": s.confirmation_due_on.strftime("%d/%m/%Y")}
                    ),
                    lambda s=startup: (
                        _(
                            "Each year a verified startup confirms its profile is current. Check "
                            "the profile of %(name)s and press “Re-confirm” before %(due)s, or it "
                            "will be marked stale in the directory."
                        )
                        % {"name": s.name, "due": s.confirmation_due_on.strftime("%d/%m/%Y")}
                    ),
                )
            reminders += 1
    stale = 0
    for startup in Startup.objects.filter(
        status=Status.VERIFIED, is_stale=False, confirmation_due_on__lt=today
    ):
        with transaction.atomic():
            startup.is_stale = True
            startup.save(update_fields=["is_stale", "updated_at"])
            audit_log(startup, "startups.stale", data={"due": str(startup.confirmation_due_on)})
            _notify_members(
                startup,
                lambda s=startup: _("%(name)s is marked stale") % {"name": s.name},
                lambda s=startup: (
                    _(
                        "%(name)s was not re-confirmed in time. It is shown as stale in the "
                        "directory and not counted towards the city's targets until a member "
                        "re-confirms it."
                    )
                    % {"name": s.name}
                ),
            )
        stale += 1
    return reminders, stale


# --- notifications ---------------------------------------------------------------------------


def workspace_path(startup: Startup) -> str:
    """Where members manage the startup; notifications link there in any language."""
    return f"/me/startups/{startup.pk}/"


def _notify_members(startup: Startup, subject, body) -> None:
    """`subject` and `body` are called in each member's language."""
    members = [membership.user for membership in startup.memberships.select_related("user")]
    notify_each(members, subject, body, url=workspace_path(startup))


def _notify_decision(startup: Startup, codes: list[str], note: str, subject, lead) -> None:
    def body():
        reasons = "\n".join(f"- {workflow.ReasonCode(code).label}" for code in codes)
        parts = [str(lead()), reasons]
        if note:
            parts.append(_("Note from the department: %(note)s") % {"note": note})
        return "\n\n".join(parts)

    _notify_members(startup, subject, body)


# --- members and invitations -----------------------------------------------------------------


@transaction.atomic
def member_invite(*, user: User, startup: Startup, email: str, role: str) -> Invitation:
    if not permissions.can_manage_members(user, startup):
        raise PortalError(
            _("Only the startup's owners can invite members."), code="forbidden", status_code=403
        )
    email = User.objects.normalize_email(email).strip().lower()
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose owner or member.")})
    if startup.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    if startup.invitations.filter(
        email__iexact=email, accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).exists():
        raise ValidationError({"email": _("An invitation to this address is already pending.")})
    invitation = Invitation(
        startup=startup,
        email=email,
        role=role,
        invited_by=user,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    audit_log(startup, "startups.invite", user=user, data={"email": email, "role": role})
    path = f"/me/startups/invitations/{invitation.token}/"
    link = settings.PORTAL_BASE_URL + path
    invitee = User.objects.filter(email__iexact=email).first()
    language = invitee.language if invitee else translation.get_language() or "vi"
    with translation.override(language):
        subject = _("Join %(name)s on the Hanoi Innovation Portal") % {"name": startup.name}
        body = _(
            "%(inviter)s invites you to join %(name)s as %(role)s. Accept within 14 days: %(link)s"
        ) % {
            "inviter": user.email,
            "name": startup.name,
            "role": MemberRole(role).label,
            "link": link,
        }
    if invitee:
        notification_send(recipient=invitee, subject=subject, body=body, url=path)
    else:
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
        )
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, invitation: Invitation) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.email.lower() != user.email.lower():
        raise PortalError(
            _("This invitation was sent to another email address."),
            code="forbidden",
            status_code=403,
        )
    if invitation.accepted_at is not None:
        raise PortalError(_("This invitation has already been used."), code="used")
    if invitation.expires_at <= timezone.now():
        raise PortalError(_("This invitation has expired; ask for a new one."), code="expired")
    membership, _created = Membership.objects.get_or_create(
        startup=invitation.startup, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    if not has_role(user, Role.FOUNDER):
        user_grant_role(user=user, role=Role.FOUNDER)
    audit_log(invitation.startup, "startups.join", user=user, data={"role": invitation.role})
    return membership


@transaction.atomic
def invitation_withdraw(*, user: User, invitation: Invitation) -> None:
    startup = invitation.startup
    if not permissions.can_manage_members(user, startup):
        raise PortalError(
            _("Only the startup's owners can withdraw invitations."),
            code="forbidden",
            status_code=403,
        )
    if invitation.accepted_at is not None:
        raise PortalError(_("This invitation has already been accepted."), code="used")
    invitation.delete()
    audit_log(startup, "startups.invitation_withdrawn", user=user, data={"email": invitation.email})


@transaction.atomic
def document_delete(*, user: User, startup: Startup, document: PrivateFile) -> None:
    """Removes a supporting document; the stored file goes once the removal is committed."""
    if not (permissions.is_member(user, startup) or permissions.is_department_staff(user)):
        raise PortalError(
            _("Only the startup's members can remove its documents."),
            code="forbidden",
            status_code=403,
        )
    if document.attached_to != startup:
        raise PortalError(_("This document does not belong to this startup."), status_code=404)
    private_file_delete(document)
    audit_log(
        startup, "startups.document_deleted", user=user, data={"file": document.original_name}
    )


@transaction.atomic
def member_remove(*, user: User, membership: Membership) -> None:
    startup = membership.startup
    leaving_self = membership.user_id == user.pk
    if not (leaving_self or permissions.can_manage_members(user, startup)):
        raise PortalError(
            _("Only the startup's owners can remove members."), code="forbidden", status_code=403
        )
    if (
        membership.role == MemberRole.OWNER
        and startup.memberships.filter(role=MemberRole.OWNER).count() == 1
    ):
        raise PortalError(
            _("A startup needs at least one owner; make someone else owner first."),
            code="last_owner",
        )
    PastMembership.objects.create(
        startup=startup, user=membership.user, role=membership.role, joined_at=membership.created_at
    )
    membership.delete()
    audit_log(startup, "startups.leave", user=user, data={"email": membership.user.email})


# --- claims ----------------------------------------------------------------------------------


def _check_claimable(user: User, startup: Startup) -> None:
    if startup.memberships.exists():
        raise PortalError(
            _(
                "This startup already has members on the portal. Ask its owner to invite you, "
                "or write to the department."
            ),
            code="has_members",
        )
    # A code nobody typed in time must not block a new claim forever.
    startup.claims.filter(
        user=user,
        status=ClaimStatus.PENDING,
        method=ClaimMethod.EMAIL_CODE,
        expires_at__lte=timezone.now(),
    ).update(status=ClaimStatus.EXPIRED)
    if startup.claims.filter(user=user, status=ClaimStatus.PENDING).exists():
        raise PortalError(_("You already have a pending claim on this startup."), code="duplicate")


@transaction.atomic
def claim_send_code(*, user: User, startup: Startup) -> Claim:
    """Starts a claim by emailing a one-time code to the startup's registered contact email."""
    _check_claimable(user, startup)
    if not startup.contact_email:
        raise PortalError(
            _("This startup has no registered email; ask the department to review your claim."),
            code="no_email",
        )
    code = f"{secrets.randbelow(10**6):06d}"
    claim = Claim.objects.create(
        startup=startup,
        user=user,
        method=ClaimMethod.EMAIL_CODE,
        code_hash=make_password(code),
        expires_at=timezone.now() + CLAIM_CODE_LIFETIME,
    )
    audit_log(startup, "startups.claim", user=user, data={"method": ClaimMethod.EMAIL_CODE})
    with translation.override("vi"):
        subject = _("Code to claim %(name)s") % {"name": startup.name}
        body = _(
            "%(email)s asks to manage %(name)s on the Hanoi Innovation Portal. If this is "
            "right, give them this code, valid for 30 minutes: %(code)s"
        ) % {"email": user.email, "name": startup.name, "code": code}
    recipient = startup.contact_email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
    )
    return claim


def claim_confirm_code(*, user: User, claim: Claim, code: str) -> Membership:
    with transaction.atomic():
        claim = Claim.objects.select_for_update().select_related("startup").get(pk=claim.pk)
        if claim.user_id != user.pk or claim.method != ClaimMethod.EMAIL_CODE:
            raise PortalError(_("This claim is not yours."), code="forbidden", status_code=404)
        if claim.status != ClaimStatus.PENDING:
            raise PortalError(_("This claim is closed."), code="closed")
        expired = claim.expires_at <= timezone.now() or claim.attempts >= CLAIM_CODE_ATTEMPTS
        if not expired and check_password(code.strip(), claim.code_hash):
            return _claim_grant(claim, decided_by=None)
        claim.attempts += 1
        if expired or claim.attempts >= CLAIM_CODE_ATTEMPTS:
            claim.status = ClaimStatus.EXPIRED
        claim.save(update_fields=["attempts", "status"])
    if claim.status == ClaimStatus.EXPIRED:
        raise PortalError(
            _("This code has expired or was mistyped too often; start the claim again."),
            code="expired",
        )
    raise PortalError(_("The code is not right; check the email and try again."), code="wrong")


@transaction.atomic
def claim_request_review(*, user: User, startup: Startup, evidence: str) -> Claim:
    _check_claimable(user, startup)
    if len(evidence.strip()) < 20:
        raise ValidationError(
            {
                "evidence": _(
                    "Tell the department who you are in the startup (20 characters or more)."
                )
            }
        )
    claim = Claim.objects.create(
        startup=startup, user=user, method=ClaimMethod.STAFF_REVIEW, evidence=evidence.strip()
    )
    audit_log(startup, "startups.claim", user=user, data={"method": ClaimMethod.STAFF_REVIEW})
    return claim


def _claim_grant(claim: Claim, *, decided_by: User | None) -> Membership:
    claim.status = ClaimStatus.APPROVED
    claim.decided_by = decided_by
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "decided_by", "decided_at"])
    membership = Membership.objects.create(
        startup=claim.startup, user=claim.user, role=MemberRole.OWNER
    )
    claim.startup.claims.filter(status=ClaimStatus.PENDING).exclude(pk=claim.pk).update(
        status=ClaimStatus.REJECTED, decided_at=timezone.now()
    )
    if not has_role(claim.user, Role.FOUNDER):
        user_grant_role(user=claim.user, role=Role.FOUNDER)
    audit_log(
        claim.startup,
        "startups.claim_approved",
        user=decided_by,
        data={"user": claim.user.email},
    )
    with translation.override(claim.user.language):
        notification_send(
            recipient=claim.user,
            subject=_("You now manage %(name)s") % {"name": claim.startup.name},
            body=_("Your claim on %(name)s was accepted. Check its profile and keep it current.")
            % {"name": claim.startup.name},
            url=workspace_path(claim.startup),
        )
    return membership


def _staff_claim(user: User, claim: Claim) -> Claim:
    if not permissions.is_department_staff(user):
        raise PermissionDenied
    claim = Claim.objects.select_for_update().select_related("startup", "user").get(pk=claim.pk)
    if claim.status != ClaimStatus.PENDING:
        raise PortalError(_("This claim is closed."), code="closed")
    return claim


@transaction.atomic
def claim_approve(*, user: User, claim: Claim, note: str = "") -> Membership:
    claim = _staff_claim(user, claim)
    if claim.startup.memberships.exists():
        raise PortalError(_("This startup already has members."), code="has_members")
    claim.decision_note = note
    return _claim_grant(claim, decided_by=user)


@transaction.atomic
def claim_reject(*, user: User, claim: Claim, note: str) -> Claim:
    claim = _staff_claim(user, claim)
    if not note.strip():
        raise ValidationError({"decision_note": _("Say why the claim is rejected.")})
    claim.status = ClaimStatus.REJECTED
    claim.decided_by = user
    claim.decided_at = timezone.now()
    claim.decision_note = note
    claim.save()
    audit_log(claim.startup, "startups.claim_rejected", user=user, data={"note": note})
    with translation.override(claim.user.language):
        notification_send(
            recipient=claim.user,
            subject=_("Your claim on %(name)s was not accepted") % {"name": claim.startup.name},
            body=note,
        )
    return claim
