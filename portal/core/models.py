from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .text import fold


class CommuneKind(models.TextChoices):
    WARD = "ward", _("Ward")
    COMMUNE = "commune", _("Commune")


class Commune(models.Model):
    """One of Hanoi's 126 commune-level units (since 1 July 2025: 51 wards, 75 communes)."""

    kind = models.CharField(_("kind"), max_length=10, choices=CommuneKind.choices)
    name = models.CharField(_("name"), max_length=100)
    full_name = models.CharField(_("full name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    folded_name = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("commune / ward")
        verbose_name_plural = _("communes and wards")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="commune_unique_kind_name")
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.folded_name = fold(self.name)
        super().save(*args, **kwargs)


class ScheduledJobRun(models.Model):
    """When each scheduled job last ran; `run_scheduled` claims a due job by updating its row."""

    name = models.CharField(max_length=100, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_succeeded = models.BooleanField(null=True)
    last_message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("scheduled job run")
        verbose_name_plural = _("scheduled job runs")

    def __str__(self) -> str:
        return self.name


class StatusStep(models.Model):
    """One recorded step of a lifecycle: who moved the record, from which status to which, when,
    and what they said. Each concrete step names its record (a foreign key) and `statuses`, the
    record's status choices, which label the two statuses."""

    statuses: type[models.TextChoices]

    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"

    def _label(self, value: str) -> str:
        return str(self.statuses(value).label) if value in self.statuses.values else value

    def get_from_status_display(self) -> str:
        return self._label(self.from_status)

    def get_to_status_display(self) -> str:
        return self._label(self.to_status)
