from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from .blocks import ContentBlocks


class HomePage(Page):
    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = models.TextField(_("hero text"), max_length=400, blank=True)
    hero_link_label = models.CharField(_("hero button label"), max_length=60, blank=True)
    hero_link_page = models.ForeignKey(
        Page,
        verbose_name=_("hero button page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ContentBlocks(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_link_label"),
                PageChooserPanel("hero_link_page"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("body"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = (
            NewsPage.objects.live().public().filter(locale=self.locale).order_by("-date")[:3]
        )
        return context


class StandardPage(Page):
    intro = models.TextField(_("introduction"), max_length=500, blank=True)
    body = StreamField(ContentBlocks(), verbose_name=_("body"), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("standard page")


class NewsIndexPage(Page):
    intro = models.TextField(_("introduction"), max_length=500, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["pages.NewsPage"]
    page_size = 10

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.live().public().child_of(self).order_by("-date", "-pk")
        context["page_obj"] = Paginator(news, self.page_size).get_page(request.GET.get("page"))
        return context


class NewsPage(Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"), max_length=400)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ContentBlocks(), verbose_name=_("body"), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    parent_page_types = ["pages.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news article")


class MenuSlot(models.TextChoices):
    MAIN = "main", _("Main navigation")
    FOOTER = "footer", _("Footer")


class NavigationMenu(TranslatableMixin, ClusterableModel):
    """The header and footer menus, edited by staff as snippets, one per language."""

    slot = models.CharField(_("place"), max_length=10, choices=MenuSlot.choices)
    text = RichTextField(
        _("text"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown in the footer"),
    )

    panels = [FieldPanel("slot"), FieldPanel("text"), InlinePanel("items", label=_("Links"))]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("navigation menu")
        verbose_name_plural = _("navigation menus")
        constraints = [
            models.UniqueConstraint(fields=["slot", "locale"], name="navigation_menu_slot_locale")
        ]

    def __str__(self) -> str:
        return f"{self.get_slot_display()} ({self.locale})"

    @classmethod
    def for_slot(cls, slot: str):
        """The menu for `slot` in the active language, else in the default language."""
        items = models.Prefetch("items", queryset=NavigationItem.objects.select_related("page"))
        menus = (
            cls.objects.filter(
                slot=slot, locale__language_code__in={get_language(), settings.LANGUAGE_CODE}
            )
            .select_related("locale")
            .prefetch_related(items)
        )
        by_language = {menu.locale.language_code: menu for menu in menus}
        return by_language.get(get_language()) or by_language.get(settings.LANGUAGE_CODE)


class NavigationItem(Orderable):
    menu = ParentalKey(NavigationMenu, on_delete=models.CASCADE, related_name="items")
    label = models.CharField(_("label"), max_length=60)
    page = models.ForeignKey(
        Page,
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    url = models.CharField(_("address"), max_length=300, blank=True)

    panels = [FieldPanel("label"), PageChooserPanel("page"), FieldPanel("url")]

    def __str__(self) -> str:
        return self.label

    def clean(self):
        if not self.page and not self.url:
            raise ValidationError(_("Choose a page or enter an address."))

    def href(self, request=None) -> str:
        if not self.page_id:
            return self.url
        page = self.page if self.page.locale_id == self.menu.locale_id else self.page.localized
        return page.get_url(request) or ""
