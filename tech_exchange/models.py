"""The technology exchange: offers and requests, enquiries with a service deadline and a
recorded NDA, the deals they end in, and the Stripe orders that pay for licences, deals and
featured listings."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.models import StatusStep
from portal.core.text import fold
from startups.models import Sector


class Kind(models.TextChoices):
    OFFER = "offer", _("Technology offer")
    REQUEST = "request", _("Technology request")


# What each technology readiness level means.
TRL_LABELS = {
    1: _("TRL 1: basic principles observed"),
    2: _("TRL 2: technology concept formulated"),
    3: _("TRL 3: experimental proof of concept"),
    4: _("TRL 4: technology validated in the lab"),
    5: _("TRL 5: technology validated in a relevant environment"),
    6: _("TRL 6: technology demonstrated in a relevant environment"),
    7: _("TRL 7: system prototype demonstrated in an operational environment"),
    8: _("TRL 8: system complete and qualified"),
    9: _("TRL 9: actual system proven in operation"),
}


class IPStatus(models.TextChoices):
    PATENT = "patent", _("Patent")
    UTILITY_SOLUTION = "utility_solution", _("Utility solution")
    PATENT_PENDING = "patent_pending", _("Patent application filed")
    KNOW_HOW = "know_how", _("Know-how")
    NONE = "none", _("None")


# These IP statuses are registered titles: they carry a number, a jurisdiction and dates.
REGISTERED_IP = frozenset({IPStatus.PATENT, IPStatus.UTILITY_SOLUTION, IPStatus.PATENT_PENDING})


class LicensingModel(models.TextChoices):
    EXCLUSIVE = "exclusive", _("Exclusive licence")
    NON_EXCLUSIVE = "non_exclusive", _("Non-exclusive licence")
    ASSIGNMENT = "assignment", _("Assignment / transfer")
    CO_DEVELOPMENT = "co_development", _("Co-development")
    RESEARCH = "research", _("Research licence")


# Licences that can be sold to many buyers at a fixed price, straight through Stripe Checkout.
PURCHASABLE_LICENCES = frozenset({LicensingModel.NON_EXCLUSIVE, LicensingModel.RESEARCH})


class PriceType(models.TextChoices):
    FIXED = "fixed", _("Fixed price")
    NEGOTIABLE = "negotiable", _("Negotiable")


class OwnerType(models.TextChoices):
    UNIVERSITY = "university", _("University")
    INSTITUTE = "institute", _("Research institute")
    ENTERPRISE = "enterprise", _("Enterprise")
    STARTUP = "startup", _("Startup")
    INDIVIDUAL = "individual", _("Individual inventor")


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNDER_REVIEW = "under_review", _("Under review")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")


LISTING_LIFETIME = timedelta(days=365)
FEATURE_DAYS = 30


class Listing(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="technology_listings"
    )
    owner_organisation = models.CharField(_("owner organisation"), max_length=200)
    owner_type = models.CharField(_("type of owner"), max_length=20, choices=OwnerType.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.TextField(
        _("summary (not confidential)"),
        max_length=1000,
        help_text=_("Public: say what the technology does without confidential details."),
    )
    description = models.TextField(_("description"))
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level (TRL)"),
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("1: basic principles observed … 9: proven in operation."),
    )
    ip_status = models.CharField(_("IP status"), max_length=20, choices=IPStatus.choices)
    ip_number = models.CharField(_("patent / utility solution number"), max_length=60, blank=True)
    ip_jurisdiction = models.CharField(_("jurisdiction"), max_length=60, blank=True)
    ip_filed_on = models.DateField(_("filing date"), null=True, blank=True)
    ip_expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    licensing_model = models.CharField(
        _("licensing model"), max_length=20, choices=LicensingModel.choices
    )
    price_type = models.CharField(_("price"), max_length=12, choices=PriceType.choices)
    price_vnd = models.PositiveBigIntegerField(_("price (VND)"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ListingStatus.choices,
        default=ListingStatus.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)
    expiry_reminder_sent_on = models.DateField(null=True, blank=True, editable=False)
    featured_until = models.DateField(_("featured until"), null=True, blank=True)
    title_folded = models.CharField(max_length=200, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("technology listing")
        verbose_name_plural = _("technology listings")
        constraints = [
            models.CheckConstraint(condition=Q(trl__gte=1, trl__lte=9), name="listing_trl_1_to_9"),
            models.CheckConstraint(
                condition=~Q(price_type="fixed") | Q(price_vnd__gt=0),
                name="listing_fixed_price_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title_folded = fold(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("tech_exchange:listing", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        if self.ip_status in REGISTERED_IP:
            if not self.ip_number.strip():
                errors["ip_number"] = _("Give the number of the patent or application.")
            if not self.ip_jurisdiction.strip():
                errors["ip_jurisdiction"] = _("Say where the title is registered (e.g. Vietnam).")
            if not self.ip_filed_on:
                errors["ip_filed_on"] = _("Give the filing date.")
        if self.ip_filed_on and self.ip_expires_on and self.ip_expires_on <= self.ip_filed_on:
            errors["ip_expires_on"] = _("The title must expire after it was filed.")
        if self.price_type == PriceType.FIXED and not self.price_vnd:
            errors["price_vnd"] = _("Give the price, or make it negotiable.")
        if self.price_type == PriceType.NEGOTIABLE and self.price_vnd:
            errors["price_vnd"] = _("A negotiable listing has no fixed price.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return self.status == ListingStatus.PUBLISHED

    @property
    def is_featured(self) -> bool:
        return bool(self.featured_until and self.featured_until >= timezone.localdate())

    @property
    def can_be_bought(self) -> bool:
        """A fixed-price licence that many can buy, straight through Checkout."""
        return (
            self.kind == Kind.OFFER
            and self.is_public
            and self.price_type == PriceType.FIXED
            and self.licensing_model in PURCHASABLE_LICENCES
        )


class ListingImage(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="technologies/images/%Y/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class ListingDocument(models.Model):
    """A document of a listing, stored privately and served by the exchange's own view: public
    ones to anyone while the listing is published, confidential ones only after the NDA."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    confidential = models.BooleanField(
        _("confidential"), default=False, help_text=_("Shown only to users who accepted the NDA.")
    )
    file = models.OneToOneField(
        "files.PrivateFile", on_delete=models.PROTECT, related_name="listing_document"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["confidential", "pk"]

    def __str__(self) -> str:
        return self.title


class ListingStep(StatusStep):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="steps")
    statuses = ListingStatus

    def __str__(self) -> str:
        return f"{self.listing}: {self.from_status} → {self.to_status}"


class NdaAcceptance(models.Model):
    """A click-through NDA accepted by an account for a listing: who, when and which text."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="nda_acceptances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nda_acceptances"
    )
    nda_version = models.CharField(max_length=20)
    accepted_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "user"], name="nda_once_per_listing")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.listing} ({self.accepted_at:%Y-%m-%d %H:%M})"


# --- enquiries ---------------------------------------------------------------------------------


class EnquiryStatus(models.TextChoices):
    OPEN = "open", _("Awaiting the owner's answer")
    NEGOTIATING = "negotiating", _("In negotiation")
    DEAL = "deal", _("Deal")
    DECLINED = "declined", _("Declined")


class DeclineReason(models.TextChoices):
    TOO_EARLY = "too_early", _("Too early stage")
    BENEFIT_UNCLEAR = "benefit_unclear", _("Benefit unclear")
    PRICE = "price", _("Price")
    IP_RISK = "ip_risk", _("IP risk")
    OTHER = "other", _("Other")


class Enquiry(models.Model):
    """An expression of interest in a listing. The owner must answer by `answer_due_at`."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="enquiries")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="technology_enquiries"
    )
    organisation = models.CharField(_("your organisation"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=5000)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnquiryStatus.choices,
        default=EnquiryStatus.OPEN,
        db_index=True,
    )
    answer_due_at = models.DateTimeField(_("answer due by"), db_index=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)
    decline_reason = models.CharField(
        _("reason"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    agreed_amount_vnd = models.PositiveBigIntegerField(
        _("agreed amount (VND)"), null=True, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")

    def __str__(self) -> str:
        return f"{self.sender} → {self.listing}"

    @property
    def is_overdue(self) -> bool:
        return self.status == EnquiryStatus.OPEN and self.answer_due_at < timezone.now()


class EnquiryMessage(models.Model):
    """The conversation of an enquiry, between its sender and the listing's owner."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.enquiry} · {self.created_at:%Y-%m-%d %H:%M}"


class EnquiryStep(StatusStep):
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="steps")
    statuses = EnquiryStatus

    def __str__(self) -> str:
        return f"{self.enquiry}: {self.from_status} → {self.to_status}"


# --- deals and payments ------------------------------------------------------------------------


class DealSource(models.TextChoices):
    NEGOTIATED = "negotiated", _("Negotiated deal")
    PURCHASE = "purchase", _("Licence bought at the listed price")


class Deal(models.Model):
    """A concluded technology transaction: a negotiated enquiry or a paid licence purchase.
    Sector and TRL are copied so the outcomes stay as they were when the deal was made."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="deals")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="technology_deals"
    )
    source = models.CharField(_("source"), max_length=20, choices=DealSource.choices)
    enquiry = models.OneToOneField(
        Enquiry, on_delete=models.PROTECT, null=True, blank=True, related_name="deal"
    )
    amount_vnd = models.PositiveBigIntegerField(_("value (VND)"))
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    trl = models.PositiveSmallIntegerField(_("TRL"))
    licensing_model = models.CharField(
        _("licensing model"), max_length=20, choices=LicensingModel.choices
    )
    concluded_at = models.DateTimeField(_("concluded at"), default=timezone.now)

    class Meta:
        ordering = ["-concluded_at", "-pk"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")

    def __str__(self) -> str:
        return f"{self.listing}: {self.amount_vnd:,} VND"


class OrderKind(models.TextChoices):
    LICENCE = "licence", _("Licence purchase")
    DEAL = "deal", _("Payment of a negotiated deal")
    FEATURE = "feature", _("Featured listing for 30 days")


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    PROCESSING = "processing", _("Payment processing")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Payment failed")
    EXPIRED = "expired", _("Checkout expired")
    REFUNDED = "refunded", _("Refunded")
    MISMATCH = "mismatch", _("Amount mismatch: held for staff")


class Order(models.Model):
    """What someone pays for through Stripe Checkout. Only verified webhooks change its status
    after checkout starts."""

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=OrderKind.choices)
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="orders")
    enquiry = models.ForeignKey(
        Enquiry, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="technology_orders"
    )
    # Whoever receives the money: the listing's owner, or nobody (the portal) for featuring.
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="technology_sales",
    )
    # The deal a paid licence purchase made (removed again if the payment is refunded).
    deal = models.OneToOneField(
        Deal, on_delete=models.SET_NULL, null=True, blank=True, related_name="order"
    )
    description = models.CharField(_("description"), max_length=255)
    amount_vnd = models.PositiveBigIntegerField(
        _("amount (VND)"), validators=[MinValueValidator(1)]
    )
    currency = models.CharField(max_length=3, default="vnd", editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=OrderStatus.choices,
        default=OrderStatus.PENDING,
        db_index=True,
    )
    stripe_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_payment_intent = models.CharField(max_length=255, blank=True, db_index=True)
    checkout_url = models.URLField(max_length=1000, blank=True)
    paid_amount = models.BigIntegerField(null=True, blank=True)
    paid_currency = models.CharField(max_length=3, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    problem = models.TextField(_("problem"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.listing} · {self.amount_vnd:,} VND"

    @property
    def idempotency_key(self) -> str:
        """Stripe replays the first Session for a repeated create with the same key."""
        return f"checkout-{self.reference}"


class StripeEvent(models.Model):
    """Each Stripe event, stored once, with what processing it did."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField()
    order = models.ForeignKey(
        Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="stripe_events"
    )
    outcome = models.CharField(max_length=40, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.event_id} ({self.type})"
