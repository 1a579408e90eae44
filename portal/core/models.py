from django.db import models
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
