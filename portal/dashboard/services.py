"""Every write to the dashboard: staff-entered values with a second approver, corrections as new
annotated values, and snapshots (weekly, on demand, or imported from earlier reports) that
freeze each figure."""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.core.audit import audit_log
from portal.core.exceptions import PortalError
from portal.files.kinds import DOCUMENTS, IMAGES
from portal.files.services import private_file_create
from portal.notifications.services import notify_each, role_holders

from . import permissions, selectors
from .models import (
    Indicator,
    IndicatorValue,
    Method,
    Snapshot,
    SnapshotTrigger,
    SnapshotValue,
    ValueStatus,
)
from .sources import one_reading_pass

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def _forbidden(message: str) -> PortalError:
    return PortalError(message, code="forbidden", status_code=403)


def check_manager(user: User) -> None:
    if not permissions.can_manage_indicators(user):
        raise _forbidden(_("Only department staff manage the indicators."))


@transaction.atomic
def value_enter(
    *,
    user: User,
    indicator: Indicator,
    value: Decimal,
    as_of: date,
    source: str,
    evidence: UploadedFile | None = None,
    note: str = "",
    corrects: IndicatorValue | None = None,
) -> IndicatorValue:
    """A staff-entered value, pending until a second member of staff approves it. A correction
    names the approved value it corrects and says why; the corrected value stays on record."""
    check_manager(user)
    if indicator.method != Method.MANUAL:
        raise PortalError(
            _("“%(indicator)s” is computed from the portal's records; it takes no entered values.")
            % {"indicator": indicator.label},
            code="computed_indicator",
        )
    if corrects is not None:
        # What the caller holds may be stale: the correction is judged on the stored value.
        corrects = IndicatorValue.objects.select_for_update().get(pk=corrects.pk)
    errors = {}
    if as_of > timezone.localdate():
        errors["as_of"] = _("A value cannot be as of a future date.")
    if not source.strip():
        errors["source"] = _("Say where the value comes from.")
    if corrects is not None:
        if corrects.indicator_id != indicator.pk or corrects.status != ValueStatus.APPROVED:
            errors["corrects"] = _("Only an approved value of this indicator can be corrected.")
        if not note.strip():
            errors["note"] = _("Say what the correction changes and why.")
    if errors:
        raise ValidationError(errors)
    entered = IndicatorValue(
        indicator=indicator,
        value=value,
        as_of=as_of,
        source=source.strip(),
        note=note.strip(),
        corrects=corrects,
        entered_by=user,
    )
    entered.full_clean(exclude=["evidence"])
    if evidence is not None:
        entered.save()
        entered.evidence = private_file_create(
            owner=user,
            upload=evidence,
            allowed=(*DOCUMENTS, *IMAGES),
            max_bytes=EVIDENCE_MAX_BYTES,
            attach_to=entered,
        )
    entered.save()
    audit_log(
        indicator,
        "dashboard.value_entered",
        user=user,
        data={
            "value": str(value),
            "as_of": as_of.isoformat(),
            "corrects": corrects and corrects.pk,
        },
    )
    notify_each(
        role_holders(Role.DEPARTMENT_STAFF).exclude(pk=user.pk),
        lambda: _("A value awaits your approval: %(indicator)s") % {"indicator": indicator.label},
        lambda: (
            _("%(user)s entered %(value)s as of %(date)s (source: %(source)s).")
            % {
                "user": user,
                "value": value,
                "date": as_of.strftime("%d/%m/%Y"),
                "source": entered.source,
            }
        ),
        url="/admin/dashboard/values/",
    )
    return entered


def _decide(user: User, value: IndicatorValue, status: str, note: str) -> IndicatorValue:
    value = IndicatorValue.objects.select_for_update().get(pk=value.pk)
    if value.status != ValueStatus.PENDING:
        raise PortalError(
            _("This value was already decided: %(status)s.")
            % {"status": ValueStatus(value.status).label},
            code="invalid_transition",
            status_code=409,
        )
    if not permissions.can_approve_value(user, value):
        raise _forbidden(
            _("A second member of department staff must decide; not the person who entered it.")
        )
    value.status = status
    value.decided_by = user
    value.decided_at = timezone.now()
    value.decision_note = note.strip()
    value.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    transaction.on_commit(selectors.forget_cached_figures)
    return value


@transaction.atomic
def value_approve(*, user: User, value: IndicatorValue, note: str = "") -> IndicatorValue:
    value = _decide(user, value, ValueStatus.APPROVED, note)
    audit_log(value.indicator, "dashboard.value_approved", user=user, data={"value": value.pk})
    return value


@transaction.atomic
def value_reject(*, user: User, value: IndicatorValue, note: str) -> IndicatorValue:
    if not note.strip():
        raise ValidationError({"note": _("Say why the value is rejected.")})
    value = _decide(user, value, ValueStatus.REJECTED, note)
    audit_log(
        value.indicator,
        "dashboard.value_rejected",
        user=user,
        data={"value": value.pk, "note": note},
    )
    notify_each(
        [value.entered_by],
        lambda: _("Value rejected: %(indicator)s") % {"indicator": value.indicator.label},
        lambda: note.strip(),
        url="/admin/dashboard/values/",
    )
    return value


@transaction.atomic
def snapshot_take(
    *, user: User | None, trigger: str = SnapshotTrigger.ON_DEMAND, note: str = ""
) -> Snapshot:
    """Freezes every indicator's current figure. `user` None is the weekly schedule."""
    if user is not None:
        check_manager(user)
    elif trigger != SnapshotTrigger.SCHEDULED:
        raise ValueError("only the schedule takes snapshots without a user")
    snapshot = Snapshot.objects.create(
        taken_at=timezone.now(), trigger=trigger, taken_by=user, note=note.strip()[:300]
    )
    with one_reading_pass():
        readings = [
            (indicator, selectors.current_reading(indicator))
            for indicator in Indicator.objects.all()
        ]
    SnapshotValue.objects.bulk_create(
        SnapshotValue(
            snapshot=snapshot,
            indicator=indicator,
            value=reading.value,
            as_of=reading.as_of if reading.value is not None else None,
            source=str(reading.source)[:300],
            verification=str(reading.verification)[:300],
        )
        for indicator, reading in readings
    )
    audit_log(snapshot, "dashboard.snapshot", user=user, data={"trigger": trigger})
    transaction.on_commit(selectors.forget_cached_figures)
    return snapshot


@transaction.atomic
def snapshot_import(
    *, user: User | None, taken_at: datetime, values: Mapping[str, Decimal | None], note: str
) -> Snapshot:
    """Records the figures of an earlier weekly report (before the portal kept them), so the
    trajectories start from the city's real history. Marked as imported, never as measured."""
    if user is not None:
        check_manager(user)
    if taken_at > timezone.now():
        raise ValidationError({"taken_at": _("An earlier report cannot be dated in the future.")})
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    unknown = set(values) - set(indicators)
    if unknown:
        raise ValidationError(
            {"values": _("Unknown indicators: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}}
        )
    snapshot = Snapshot.objects.create(
        taken_at=taken_at, trigger=SnapshotTrigger.IMPORTED, taken_by=user, note=note.strip()[:300]
    )
    SnapshotValue.objects.bulk_create(
        SnapshotValue(
            snapshot=snapshot,
            indicator=indicators[code],
            value=value,
            as_of=timezone.localdate(taken_at) if value is not None else None,
            source=note.strip()[:300],
            verification=_("Imported from an earlier weekly report"),
        )
        for code, value in values.items()
    )
    audit_log(snapshot, "dashboard.snapshot", user=user, data={"trigger": "imported"})
    transaction.on_commit(selectors.forget_cached_figures)
    return snapshot
