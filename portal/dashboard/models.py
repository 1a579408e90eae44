"""The ecosystem's indicators against the city's targets, the values staff enter for those the
portal cannot compute, and the weekly snapshots that freeze every figure as it was."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    COUNT = "count", _("Number")
    PERCENT = "percent", _("Percent")
    VND = "vnd", _("VND")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class Method(models.TextChoices):
    COMPUTED = "computed", _("Computed from the portal's records")
    MANUAL = "manual", _("Entered by department staff")


class Indicator(models.Model):
    """A figure the department tracks against a target and a deadline."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    # Activity figures (applications, deals) are tracked without a target.
    target_value = models.DecimalField(
        _("target"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    target_deadline = models.DateField(_("target deadline"), null=True, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    method = models.CharField(_("how the value is obtained"), max_length=10, choices=Method.choices)
    # A computed indicator reads a source registered by an app (`register_indicator_sources`).
    source_key = models.CharField(_("computed source"), max_length=60, blank=True)
    target_source = models.CharField(
        _("where the target comes from"),
        max_length=300,
        blank=True,
        help_text=_("The resolution or plan that sets the target."),
    )
    position = models.PositiveSmallIntegerField(_("order on the dashboard"), default=0)
    is_public = models.BooleanField(_("shown on the public dashboard"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.label

    def clean(self):
        if (self.target_value is None) != (self.target_deadline is None):
            raise ValidationError(
                {"target_deadline": _("A target needs a deadline, and a deadline a target.")}
            )
        if self.method == Method.COMPUTED and not self.source_key:
            raise ValidationError(
                {"source_key": _("Choose the source a computed indicator reads.")}
            )
        if self.method == Method.MANUAL and self.source_key:
            raise ValidationError(
                {"source_key": _("An indicator entered by staff has no computed source.")}
            )

    @property
    def label(self) -> str:
        """The name in the active language."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        return self.name_en if language.startswith("en") and self.name_en else self.name


class ValueStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a second approver")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class IndicatorValue(models.Model):
    """A value entered by staff, published only once a second member of staff approves it. A
    correction is a new value pointing at the one it corrects, with a note; nothing is edited."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    as_of = models.DateField(_("as of"))
    source = models.CharField(_("source"), max_length=300)
    evidence = models.OneToOneField(
        "files.PrivateFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_value",
        verbose_name=_("evidence"),
    )
    note = models.TextField(_("note"), blank=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ValueStatus.choices,
        default=ValueStatus.PENDING,
        db_index=True,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("approver's note"), blank=True)

    class Meta:
        ordering = ["-as_of", "-entered_at", "-pk"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")

    def __str__(self) -> str:
        return f"{self.indicator.code} = {self.value} ({self.as_of})"


class SnapshotTrigger(models.TextChoices):
    SCHEDULED = "scheduled", _("Weekly schedule")
    ON_DEMAND = "on_demand", _("Taken by staff")
    IMPORTED = "imported", _("Imported from earlier reports")


class Snapshot(models.Model):
    """Every indicator's figure at one moment, frozen: later changes to the data never alter it."""

    taken_at = models.DateTimeField(_("taken at"), db_index=True)
    trigger = models.CharField(_("trigger"), max_length=10, choices=SnapshotTrigger.choices)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-taken_at", "-pk"]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")

    def __str__(self) -> str:
        return timezone.localtime(self.taken_at).strftime("%Y-%m-%d %H:%M")

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A snapshot is frozen: it cannot be changed."))
        super().save(*args, **kwargs)


class SnapshotValue(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="snapshot_values"
    )
    # None: no data at the time (the dashboard says so rather than showing zero).
    value = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    as_of = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)
    verification = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["snapshot", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "indicator"], name="snapshot_value_once_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.snapshot}: {self.indicator.code} = {self.value}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A snapshot is frozen: its figures cannot be changed."))
        super().save(*args, **kwargs)


class WeeklyReport(models.Model):
    """The steering committee's weekly report (PDF and XLSX) built from one snapshot."""

    snapshot = models.OneToOneField(Snapshot, on_delete=models.PROTECT, related_name="report")
    pdf = models.OneToOneField(
        "files.PrivateFile", on_delete=models.PROTECT, related_name="+", null=True
    )
    xlsx = models.OneToOneField(
        "files.PrivateFile", on_delete=models.PROTECT, related_name="+", null=True
    )
    generated_at = models.DateTimeField(default=timezone.now)
    emailed_to = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-generated_at"]
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")

    def __str__(self) -> str:
        return f"{self.snapshot}"


class ReportSubscription(models.Model):
    """Staff who receive the weekly report by email."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscription"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.user)
