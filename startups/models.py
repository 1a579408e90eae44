"""The startup registry: profiles, their members, invitations, claims and lifecycle history."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.models import Commune
from portal.core.validators import validate_enterprise_code


class Sector(models.TextChoices):
    AI = "ai", _("Artificial intelligence")
    FINTECH = "fintech", _("Fintech")
    AGRITECH = "agritech", _("Agritech")
    EDTECH = "edtech", _("Edtech")
    HEALTHTECH = "healthtech", _("Healthtech")
    CLEANTECH = "cleantech", _("Cleantech")
    MOBILITY = "mobility", _("Mobility")
    ECOMMERCE = "ecommerce", _("E-commerce")
    DEEPTECH = "deeptech", _("Deep tech / semiconductors")
    BIOTECH = "biotech", _("Biotech")
    SMART_CITY = "smart_city", _("Smart city")
    MEDIA = "media", _("Media / creative")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PRE_SEED = "pre_seed", _("Pre-seed")
    SEED = "seed", _("Seed")
    SERIES_A = "series_a", _("Series A")
    SERIES_B_PLUS = "series_b_plus", _("Series B+")
    GROWTH = "growth", _("Growth")


class LegalForm(models.TextChoices):
    LLC = "llc", _("Limited liability company")
    JSC = "jsc", _("Joint-stock company")
    SOLE_PROPRIETORSHIP = "sole_proprietorship", _("Sole proprietorship")
    PARTNERSHIP = "partnership", _("Partnership")
    OTHER = "other", _("Other")


class RevenueSource(models.TextChoices):
    SELF_DECLARED = "self_declared", _("Self-declared")
    AUDITED = "audited", _("Audited statement")
    TAX_VERIFIED = "tax_verified", _("Verified by the tax authority")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for verification")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class Origin(models.TextChoices):
    REGISTERED = "registered", _("Registered by its founders")
    IMPORTED = "imported", _("Imported by the department")


class Startup(models.Model):
    name = models.CharField(_("name"), max_length=200)
    english_name = models.CharField(_("English name"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    enterprise_code = models.CharField(
        _("enterprise code"),
        max_length=14,
        unique=True,
        validators=[validate_enterprise_code],
        error_messages={
            "unique": _(
                "A startup with this enterprise code is already registered. If it is yours, "
                "claim it instead of registering it again."
            )
        },
        help_text=_("10 digits, or 13 with a branch suffix: 0101234567-001."),
    )
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="startups", verbose_name=_("ward/commune")
    )
    address = models.CharField(_("street address"), max_length=255, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    team_size = models.PositiveIntegerField(
        _("team size"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="startups/logos/%Y/", blank=True)
    pitch = models.CharField(_("short pitch"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    products = models.TextField(_("products and services"), blank=True)
    funding_raised_vnd = models.PositiveBigIntegerField(
        _("funding raised to date (VND)"), null=True, blank=True
    )
    revenue_vnd = models.PositiveBigIntegerField(_("annual revenue (VND)"), null=True, blank=True)
    revenue_year = models.PositiveSmallIntegerField(
        _("revenue year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    revenue_source = models.CharField(
        _("revenue source"), max_length=20, choices=RevenueSource.choices, blank=True
    )
    ip_held = models.TextField(_("intellectual property held"), blank=True)
    support_received = models.TextField(_("support received"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=16, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    origin = models.CharField(
        _("origin"), max_length=20, choices=Origin.choices, default=Origin.REGISTERED
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # A verified startup re-confirms its data yearly; past this date it is stale.
    confirmation_due_on = models.DateField(_("re-confirmation due on"), null=True, blank=True)
    is_stale = models.BooleanField(_("stale"), default=False, db_index=True)
    # The smallest "days before due" reminder already sent (30, then 7), so none is sent twice.
    reminder_sent_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="startups"
    )
    documents = GenericRelation(
        "files.PrivateFile", content_type_field="attached_type", object_id_field="attached_id"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("startup")
        verbose_name_plural = _("startups")
        indexes = [
            # The counts and breakdowns of listed startups (home page, targets, dashboard charts
            # by sector and ward) read only this index, not the wide rows.
            models.Index(
                fields=["status", "is_stale", "revenue_source", "revenue_vnd", "commune", "id"],
                name="startup_listed",
            ),
            models.Index(fields=["confirmation_due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(team_size__isnull=True) | models.Q(team_size__gte=1),
                name="startup_team_size_positive",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("startups:profile", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.founded_on and self.founded_on > today:
            errors["founded_on"] = _("The founding date cannot be in the future.")
        if self.revenue_year and self.revenue_year > today.year:
            errors["revenue_year"] = _("The revenue year cannot be in the future.")
        if self.revenue_vnd is not None and not self.revenue_year:
            errors["revenue_year"] = _("Say which year the revenue figure is for.")
        if self.revenue_vnd is not None and not self.revenue_source:
            errors["revenue_source"] = _("Say where the revenue figure comes from.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_listed(self) -> bool:
        return self.status == Status.VERIFIED

    @property
    def sector_codes(self) -> list[str]:
        return [link.sector for link in self.sector_links.all()]

    @property
    def sector_labels(self) -> list[str]:
        return [Sector(code).label for code in self.sector_codes]


class StartupSector(models.Model):
    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="sector_links")
    sector = models.CharField(max_length=20, choices=Sector.choices, db_index=True)

    class Meta:
        ordering = ["sector"]
        constraints = [
            models.UniqueConstraint(fields=["startup", "sector"], name="startup_sector_unique")
        ]

    def __str__(self) -> str:
        return self.get_sector_display()


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="startup_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["startup", "user"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.startup}"


class PastMembership(models.Model):
    """Someone who left a startup. Kept because a former member reviewing its fund application
    is a likely conflict of interest."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="past_memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="past_startup_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-left_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.startup} (left {self.left_at:%Y-%m-%d})"


class Invitation(models.Model):
    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.startup}"


class ClaimMethod(models.TextChoices):
    EMAIL_CODE = "email_code", _("Code sent to the registered contact email")
    STAFF_REVIEW = "staff_review", _("Review by department staff")


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


class Claim(models.Model):
    """A founder asking to take over a record they did not create (typically an imported one)."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="startup_claims"
    )
    method = models.CharField(_("method"), max_length=20, choices=ClaimMethod.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    evidence = models.TextField(_("why this startup is yours"), blank=True)
    code_hash = models.CharField(max_length=128, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ownership claim")
        verbose_name_plural = _("ownership claims")

    def __str__(self) -> str:
        return f"{self.user} → {self.startup}"


class Transition(models.Model):
    """One step of a startup's lifecycle, with who took it and why."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason_codes = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.startup}: {self.from_status} → {self.to_status}"

    @property
    def reason_labels(self) -> list[str]:
        from .workflow import ReasonCode

        return [ReasonCode(code).label for code in self.reason_codes if code in ReasonCode.values]


class Revision(models.Model):
    """A snapshot of a profile's fields after a change; the one taken at verification is what
    staff compare against next time."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="revisions")
    data = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_verified_state = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.startup} @ {self.created_at:%Y-%m-%d %H:%M}"
