"""The regulatory sandbox: applications for controlled testing and the public register of what
was allowed, each entry with its dated history of decisions."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.text import fold

# "123/QĐ-UBND", "45/2026/QĐ-SKHCN": number, optional year, QĐ, issuing body.
DECISION_NUMBER = re.compile(r"^\d{1,5}(/\d{4})?/QĐ-[A-ZĐ0-9]+(-[A-ZĐ0-9]+)*$")


def validate_decision_number(value: str) -> None:
    if not DECISION_NUMBER.match(value or ""):
        raise ValidationError(
            _("Write the decision number as issued, for example 123/QĐ-UBND or 45/2026/QĐ-SKHCN."),
            code="decision_number",
        )


class Domain(models.TextChoices):
    FINTECH = "fintech", _("Fintech")
    TRANSPORT = "transport", _("Transport and autonomous vehicles")
    DRONES = "drones", _("Drones")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    ENERGY = "energy", _("Energy")
    E_GOVERNMENT = "e_government", _("E-government services")
    OTHER = "other", _("Other")


class Agency(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("Hanoi People's Committee")
    SCIENCE = "science", _("Department of Science and Technology")
    STATE_BANK = "state_bank", _("State Bank of Vietnam, Hanoi branch")
    CONSTRUCTION = "construction", _("Department of Construction (transport)")
    HEALTH = "health", _("Department of Health")
    EDUCATION = "education", _("Department of Education and Training")
    INDUSTRY = "industry", _("Department of Industry and Trade")
    POLICE = "police", _("City Police")


class TestSpace(models.TextChoices):
    PHYSICAL = "physical", _("A physical area in Hanoi")
    ONLINE = "online", _("Online")
    BOTH = "both", _("Physical area and online")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    INFO_REQUESTED = "info_requested", _("More information requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class TestingTerms(models.Model):
    """What is tested, where and within which limits: asked for in an application, granted (maybe
    narrowed) in a register entry."""

    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    test_space = models.CharField(_("test space"), max_length=10, choices=TestSpace.choices)
    test_area = models.CharField(
        _("area of the test"),
        max_length=255,
        blank=True,
        help_text=_("Where in Hanoi, for a physical test: wards, routes or sites."),
    )
    customer_cap = models.PositiveIntegerField(
        _("most customers"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    transaction_cap_vnd = models.PositiveBigIntegerField(
        _("largest transaction (VND)"), null=True, blank=True
    )

    class Meta:
        abstract = True

    def clean(self):
        if self.test_space in (TestSpace.PHYSICAL, TestSpace.BOTH) and not self.test_area.strip():
            raise ValidationError({"test_area": _("Say where in Hanoi the test takes place.")})


class Application(TestingTerms):
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sandbox_applications"
    )
    # Set when the participant is a startup of the registry.
    startup = models.ForeignKey(
        "startups.Startup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sandbox_applications",
        verbose_name=_("registered startup"),
    )
    organisation_name = models.CharField(_("organisation"), max_length=200)
    enterprise_code = models.CharField(_("enterprise code"), max_length=14)
    title = models.CharField(_("what is tested"), max_length=200)
    technology = models.TextField(_("the technology or business model"))
    regulation_to_relax = models.TextField(_("the regulation to be relaxed, and why"))
    duration_months = models.PositiveSmallIntegerField(
        _("proposed duration (months)"), validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    risk_measures = models.TextField(_("risks and how they are controlled"))
    consumer_protection = models.TextField(_("consumer protection"))
    exit_plan = models.TextField(_("exit plan"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sandbox application")
        verbose_name_plural = _("sandbox applications")

    def __str__(self) -> str:
        return f"{self.organisation_name}: {self.title}"


class ApplicationStep(models.Model):
    """One step of an application: who moved it, from what to what, and what they said."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application}: {self.from_status} → {self.to_status}"


class EntryStatus(models.TextChoices):
    APPROVED = "approved", _("Approved")
    TESTING = "testing", _("Testing")
    EXTENDED = "extended", _("Extended")
    SUSPENDED = "suspended", _("Suspended")
    EXITED = "exited", _("Exited")
    GRADUATED = "graduated", _("Graduated")
    REVOKED = "revoked", _("Revoked")


# A test is under way in these; the others have ended for good.
ACTIVE_STATUSES = frozenset(
    {EntryStatus.APPROVED, EntryStatus.TESTING, EntryStatus.EXTENDED, EntryStatus.SUSPENDED}
)


class Entry(TestingTerms):
    """A public register entry, created by an approval decision."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="entry"
    )
    startup = models.ForeignKey(
        "startups.Startup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sandbox_entries",
        verbose_name=_("registered startup"),
    )
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    participant = models.CharField(_("participant"), max_length=200)
    participant_folded = models.CharField(max_length=200, db_index=True, editable=False)
    enterprise_code = models.CharField(_("enterprise code"), max_length=14, db_index=True)
    title = models.CharField(_("what is tested"), max_length=200)
    decision_number = models.CharField(
        _("decision number"), max_length=40, unique=True, validators=[validate_decision_number]
    )
    decision_date = models.DateField(_("decision date"))
    agency = models.CharField(_("supervising agency"), max_length=30, choices=Agency.choices)
    scope = models.TextField(_("scope"))
    exemptions = models.TextField(_("exemptions granted"))
    conditions = models.TextField(_("conditions"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EntryStatus.choices,
        default=EntryStatus.APPROVED,
        db_index=True,
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outcome_report = models.TextField(_("outcome report"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    # The smallest "days before the end" reminder already sent to staff (60, 30, then 7).
    reminder_sent_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-decision_date", "-pk"]
        verbose_name = _("sandbox register entry")
        verbose_name_plural = _("sandbox register entries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")),
                name="sandbox_entry_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} · {self.participant}"

    def save(self, *args, **kwargs):
        self.participant_folded = fold(self.participant)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("sandbox:entry", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The end date must come after the start date.")})
        if self.decision_date and self.start_date and self.start_date < self.decision_date:
            raise ValidationError(
                {"start_date": _("A test cannot start before the decision allowing it.")}
            )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class AmendmentKind(models.TextChoices):
    APPROVAL = "approval", _("Approval")
    START = "start", _("Testing started")
    EXTENSION = "extension", _("Extension")
    SUSPENSION = "suspension", _("Suspension")
    RESUMPTION = "resumption", _("Resumption")
    EXIT = "exit", _("Exit")
    GRADUATION = "graduation", _("Graduation")
    REVOCATION = "revocation", _("Revocation")
    EXPIRY = "expiry", _("End of the test period")


class Amendment(models.Model):
    """A dated item of an entry's public history, with the decision behind it."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="amendments")
    kind = models.CharField(_("kind"), max_length=20, choices=AmendmentKind.choices)
    effective_on = models.DateField(_("effective on"))
    decision_number = models.CharField(_("decision number"), max_length=40, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    # Decision documents are public: the register publishes them.
    document = models.FileField(
        _("decision document"), upload_to="sandbox/decisions/%Y/", blank=True
    )
    from_status = models.CharField(max_length=20, choices=EntryStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=EntryStatus.choices)
    previous_end_date = models.DateField(null=True, blank=True)
    new_end_date = models.DateField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "pk"]

    def __str__(self) -> str:
        return f"{self.entry}: {self.get_kind_display()} ({self.effective_on})"


class Concern(models.Model):
    """A report from the public about a sandbox participant, for staff to look into."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="concerns")
    name = models.CharField(_("your name"), max_length=120)
    email = models.EmailField(_("your email"))
    message = models.TextField(_("what happened"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("concern about a participant")
        verbose_name_plural = _("concerns about participants")

    def __str__(self) -> str:
        return f"{self.entry} · {self.created_at:%Y-%m-%d}"
