"""The Hanoi venture fund: its capital, its calls (CMS pages), the applications startups send,
the conflict-checked reviews, the investment committee's decisions and the tranches disbursed."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.core.models import StatusStep
from startups.models import Sector

from .page_forms import CallPageForm

# The city's target for the fund (CONTEXT.md): at least 1,000 billion VND.
FUND_TARGET_VND = 1_000_000_000_000


class CapitalSource(models.TextChoices):
    CITY_BUDGET = "city_budget", _("City budget")
    PRIVATE_INVESTOR = "private_investor", _("Private investor")


class Fund(ClusterableModel):
    """The fund (a snippet): its capital by source and the service deadline of each stage."""

    name = models.CharField(_("name"), max_length=200)
    target_vnd = models.PositiveBigIntegerField(_("target capital (VND)"), default=FUND_TARGET_VND)
    submitted_days = models.PositiveSmallIntegerField(
        _("days to start screening a submitted application"), default=5
    )
    screening_days = models.PositiveSmallIntegerField(_("days for screening"), default=10)
    due_diligence_days = models.PositiveSmallIntegerField(_("days for due diligence"), default=30)
    committee_days = models.PositiveSmallIntegerField(
        _("days for the investment committee"), default=14
    )
    info_response_days = models.PositiveSmallIntegerField(
        _("days for the applicant to answer a request for information"), default=14
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("target_vnd"),
        InlinePanel("commitments", label=_("Committed capital")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("submitted_days"), FieldPanel("screening_days")]),
                FieldRowPanel([FieldPanel("due_diligence_days"), FieldPanel("committee_days")]),
                FieldPanel("info_response_days"),
            ],
            heading=_("Service deadlines"),
        ),
    ]

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self) -> str:
        return self.name

    def stage_days(self, status: str) -> int | None:
        return {
            ApplicationStatus.SUBMITTED: self.submitted_days,
            ApplicationStatus.SCREENING: self.screening_days,
            ApplicationStatus.DUE_DILIGENCE: self.due_diligence_days,
            ApplicationStatus.COMMITTEE: self.committee_days,
            ApplicationStatus.INFO_REQUESTED: self.info_response_days,
        }.get(status)


class CapitalCommitment(Orderable):
    fund = ParentalKey(Fund, on_delete=models.CASCADE, related_name="commitments")
    source = models.CharField(_("source"), max_length=20, choices=CapitalSource.choices)
    investor = models.CharField(
        _("investor"), max_length=200, help_text=_("The city, or the private investor's name.")
    )
    amount_vnd = models.PositiveBigIntegerField(
        _("amount (VND)"), validators=[MinValueValidator(1)]
    )
    committed_on = models.DateField(_("committed on"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("source"), FieldPanel("investor")]),
        FieldRowPanel([FieldPanel("amount_vnd"), FieldPanel("committed_on")]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("capital commitment")
        verbose_name_plural = _("capital commitments")

    def __str__(self) -> str:
        return f"{self.investor}: {self.amount_vnd:,} VND"


# --- calls (CMS pages) -----------------------------------------------------------------------


class FundIndexPage(Page):
    """`/fund/`: the fund's landing page, listing its calls."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["fund.CallPage"]
    max_count = 1

    class Meta:
        verbose_name = _("venture fund index")

    def get_context(self, request, *args, **kwargs):
        from .selectors import calls_by_phase

        context = super().get_context(request, *args, **kwargs)
        context["calls"] = calls_by_phase(self)
        return context


class CallPage(Page):
    """A call for applications. Applications are accepted from `opens_on` to the end of
    `closes_on` (Hanoi time) while the page is live."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="calls"
    )
    summary = models.TextField(_("summary"), max_length=400)
    thesis = RichTextField(_("investment thesis"))
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    ticket_min_vnd = models.PositiveBigIntegerField(_("smallest ticket (VND)"))
    ticket_max_vnd = models.PositiveBigIntegerField(_("largest ticket (VND)"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    eligibility = RichTextField(_("eligibility rules"))

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("thesis"),
        index.SearchField("eligibility"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("fund"),
        FieldPanel("summary"),
        FieldPanel("thesis"),
        FieldPanel("sectors"),
        FieldRowPanel([FieldPanel("ticket_min_vnd"), FieldPanel("ticket_max_vnd")]),
        FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
        FieldPanel("eligibility"),
        InlinePanel("questions", label=_("Application questions")),
    ]
    base_form_class = CallPageForm
    parent_page_types = ["fund.FundIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.ticket_min_vnd
            and self.ticket_max_vnd
            and self.ticket_max_vnd < self.ticket_min_vnd
        ):
            errors["ticket_max_vnd"] = _("The largest ticket cannot be below the smallest.")
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("A call cannot close before it opens.")
        unknown = set(self.sectors or []) - set(Sector.values)
        if unknown:
            errors["sectors"] = _("Unknown sectors: %(codes)s.") % {"codes": ", ".join(unknown)}
        if errors:
            raise ValidationError(errors)

    def sector_labels(self) -> list[str]:
        labels = dict(Sector.choices)
        return [str(labels[code]) for code in self.sectors if code in labels]

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.live and self.opens_on <= today <= self.closes_on

    def phase(self, today=None) -> str:
        today = today or timezone.localdate()
        if today < self.opens_on:
            return "upcoming"
        return "open" if today <= self.closes_on else "closed"

    def get_context(self, request, *args, **kwargs):
        from .selectors import apply_choices

        context = super().get_context(request, *args, **kwargs)
        context["apply"] = apply_choices(request.user, self)
        return context


class CallQuestion(Orderable):
    call = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("guidance"), max_length=300, blank=True)
    required = models.BooleanField(_("an answer is required"), default=True)

    panels = [FieldPanel("text"), FieldPanel("help_text"), FieldPanel("required")]

    def __str__(self) -> str:
        return self.text


# --- applications ----------------------------------------------------------------------------


class Instrument(models.TextChoices):
    EQUITY = "equity", _("Equity")
    CONVERTIBLE_NOTE = "convertible_note", _("Convertible note")
    SAFE = "safe", _("SAFE-style agreement")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Screening")
    DUE_DILIGENCE = "due_diligence", _("Due diligence")
    COMMITTEE = "committee", _("Investment committee")
    INFO_REQUESTED = "info_requested", _("More information requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The pipeline a submitted application goes through, in order (the funnel).
PIPELINE = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SCREENING,
    ApplicationStatus.DUE_DILIGENCE,
    ApplicationStatus.COMMITTEE,
    ApplicationStatus.APPROVED,
)
REVIEW_STAGES = frozenset(
    {ApplicationStatus.SCREENING, ApplicationStatus.DUE_DILIGENCE, ApplicationStatus.COMMITTEE}
)
# Waiting for someone to act, against a service deadline.
OPEN_STATUSES = frozenset(
    {ApplicationStatus.SUBMITTED, ApplicationStatus.INFO_REQUESTED} | REVIEW_STAGES
)
CLOSED_STATUSES = frozenset(
    {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}
)


class Application(models.Model):
    call = models.ForeignKey(
        CallPage, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    startup = models.ForeignKey(
        "startups.Startup",
        verbose_name=_("startup"),
        on_delete=models.PROTECT,
        related_name="fund_applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fund_applications"
    )
    amount_requested_vnd = models.PositiveBigIntegerField(
        _("amount requested (VND)"), null=True, blank=True
    )
    instrument = models.CharField(
        _("instrument"), max_length=20, choices=Instrument.choices, blank=True
    )
    pre_money_valuation_vnd = models.PositiveBigIntegerField(
        _("pre-money valuation (VND)"), null=True, blank=True
    )
    use_of_funds = models.TextField(_("use of funds"), blank=True)
    traction = models.TextField(_("traction"), blank=True)
    team = models.TextField(_("team"), blank=True)
    # {str(question id): answer}; the questions' texts are frozen into `questions_asked` at
    # submission, so a later edit of the call never changes what was answered.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    questions_asked = models.JSONField(default=list, blank=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    # The stage an information request returns to once the applicant answers.
    returns_to = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, blank=True, editable=False
    )
    stage_started_at = models.DateTimeField(_("in this stage since"), null=True, blank=True)
    stage_due_at = models.DateTimeField(_("service deadline"), null=True, blank=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("fund application")
        verbose_name_plural = _("fund applications")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "startup"],
                condition=~Q(status="withdrawn"),
                name="fund_one_application_per_call",
            )
        ]
        indexes = [models.Index(fields=["status", "stage_started_at"])]

    def __str__(self) -> str:
        return f"{self.startup} · {self.call}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in OPEN_STATUSES
            and self.stage_due_at is not None
            and self.stage_due_at < timezone.now()
        )

    def co_investment_vnd(self) -> int:
        return sum(co.amount_vnd for co in self.co_investors.all())


class CoInvestor(models.Model):
    """An investor already committed alongside the fund; counted toward its matching target."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="co_investors"
    )
    name = models.CharField(_("co-investor"), max_length=200)
    amount_vnd = models.PositiveBigIntegerField(
        _("amount (VND)"), validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("co-investor")
        verbose_name_plural = _("co-investors")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount_vnd:,} VND"


class AttachmentKind(models.TextChoices):
    PITCH_DECK = "pitch_deck", _("Pitch deck")
    FINANCIAL_STATEMENTS = "financial_statements", _("Financial statements")
    CAP_TABLE = "cap_table", _("Cap table")
    OTHER = "other", _("Other document")


class Attachment(models.Model):
    """A private file of an application (PDF/XLSX); served only by the permission-checked
    download view."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=AttachmentKind.choices)
    file = models.OneToOneField(
        "files.PrivateFile", on_delete=models.PROTECT, related_name="fund_attachment"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file}"


class ApplicationStep(StatusStep):
    """One step of an application: who moved it, from what to what, and what they said."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    statuses = ApplicationStatus

    def __str__(self) -> str:
        return f"{self.application}: {self.from_status} → {self.to_status}"


# --- reviews ---------------------------------------------------------------------------------


class Criterion(models.TextChoices):
    TEAM = "team", _("Team")
    MARKET = "market", _("Market")
    PRODUCT = "product", _("Product / technology")
    TRACTION = "traction", _("Traction")
    FINANCIALS = "financials", _("Financials")
    IMPACT = "impact", _("Impact on Hanoi")


class Recommendation(models.TextChoices):
    INVEST = "invest", _("Invest")
    INVEST_WITH_CONDITIONS = "invest_with_conditions", _("Invest with conditions")
    DO_NOT_INVEST = "do_not_invest", _("Do not invest")


class Assignment(models.Model):
    """A reviewer assigned to an application. The reviewer sees nothing of it until they declare
    no conflict of interest; declaring a conflict recuses them."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fund_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    # Likely conflicts found when assigning, and the fund manager's reason to assign anyway.
    conflict_flags = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(_("reason to assign despite the flags"), blank=True)
    declared_at = models.DateTimeField(_("declared no conflict at"), null=True, blank=True)
    recused_at = models.DateTimeField(_("declared a conflict at"), null=True, blank=True)
    recusal_note = models.TextField(_("the conflict declared"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=30, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("review submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="fund_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.application}"

    @property
    def is_cleared(self) -> bool:
        """Declared no conflict: may see the application."""
        return self.declared_at is not None and self.recused_at is None

    @property
    def is_active(self) -> bool:
        return self.recused_at is None

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def average_score(self) -> float | None:
        scores = [score.score for score in self.scores.all()]
        return sum(scores) / len(scores) if scores else None


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(_("criterion"), max_length=20, choices=Criterion.choices)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="fund_score_unique"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="fund_score_from_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.score}"


class Affiliation(models.Model):
    """A reviewer's declared tie to a startup (adviser, investor, relative...): assigning them to
    its applications is flagged as a likely conflict."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fund_affiliations"
    )
    startup = models.ForeignKey(
        "startups.Startup", on_delete=models.CASCADE, related_name="reviewer_affiliations"
    )
    note = models.CharField(_("the tie"), max_length=300)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-declared_at"]
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "startup"], name="fund_affiliation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.startup}"


# --- decisions and disbursement ---------------------------------------------------------------


class Investment(models.Model):
    """The investment committee's approval of an application, with its terms."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="investment"
    )
    amount_vnd = models.PositiveBigIntegerField(
        _("amount approved (VND)"), validators=[MinValueValidator(1)]
    )
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices)
    pre_money_valuation_vnd = models.PositiveBigIntegerField(
        _("pre-money valuation (VND)"), validators=[MinValueValidator(1)]
    )
    conditions = models.TextField(_("conditions"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_on = models.DateField(_("committee decision date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("investment")
        verbose_name_plural = _("investments")

    def __str__(self) -> str:
        return f"{self.application.startup}: {self.amount_vnd:,} VND"


class TrancheStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    REQUIREMENTS_MET = "requirements_met", _("Requirements met")
    DISBURSED = "disbursed", _("Disbursed")
    HELD = "held", _("Held")


class Tranche(models.Model):
    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("tranche"))
    amount_vnd = models.PositiveBigIntegerField(
        _("amount (VND)"), validators=[MinValueValidator(1)]
    )
    planned_on = models.DateField(_("planned date"))
    conditions = models.TextField(
        _("conditions and milestones"),
        blank=True,
        help_text=_("What must be shown, with evidence, before this tranche is paid."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TrancheStatus.choices,
        default=TrancheStatus.PLANNED,
        db_index=True,
    )
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["investment", "number"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [
            models.UniqueConstraint(fields=["investment", "number"], name="fund_tranche_number"),
            models.CheckConstraint(
                condition=Q(status="disbursed", disbursed_on__isnull=False)
                | (~Q(status="disbursed") & Q(disbursed_on__isnull=True)),
                name="fund_tranche_disbursed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.investment.application.startup} · #{self.number}"

    @property
    def is_overdue(self) -> bool:
        return self.status != TrancheStatus.DISBURSED and self.planned_on < timezone.localdate()

    def days_late(self, today=None) -> int:
        today = today or timezone.localdate()
        reference = self.disbursed_on or today
        return max((reference - self.planned_on) // timedelta(days=1), 0)


class TrancheEvidence(models.Model):
    tranche = models.ForeignKey(Tranche, on_delete=models.CASCADE, related_name="evidence")
    file = models.OneToOneField(
        "files.PrivateFile", on_delete=models.PROTECT, related_name="fund_evidence"
    )
    note = models.CharField(_("what it shows"), max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.note


class TrancheStep(StatusStep):
    tranche = models.ForeignKey(Tranche, on_delete=models.CASCADE, related_name="steps")
    statuses = TrancheStatus

    def __str__(self) -> str:
        return f"{self.tranche}: {self.from_status} → {self.to_status}"
