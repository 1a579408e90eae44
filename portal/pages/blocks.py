from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class LinkValue(blocks.StructValue):
    def href(self) -> str:
        page = self.get("page")
        return page.localized.url if page else self.get("url") or ""


class LinkBlock(blocks.StructBlock):
    """A link to a CMS page (followed to its translation) or to any address."""

    label = blocks.CharBlock(label=_("Label"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.CharBlock(
        label=_("Address"),
        required=False,
        max_length=300,
        help_text=_("Used when no page is chosen"),
    )

    class Meta:
        icon = "link"
        value_class = LinkValue
        template = "components/link_block.html"


class EntryPointBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=80)
    text = blocks.TextBlock(label=_("Text"), max_length=240)
    link = LinkBlock(label=_("Link"))

    class Meta:
        icon = "doc-full"
        template = "components/entry_point_block.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link"])
    link = LinkBlock(label=_("Button"))

    class Meta:
        icon = "pick"
        template = "components/call_to_action_block.html"


class ContentBlocks(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), form_classname="title", template="components/heading_block.html"
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link", "hr"],
    )
    image = ImageBlock(label=_("Image"), template="components/image_block.html")
    quote = blocks.BlockQuoteBlock(label=_("Quote"))
    entry_points = blocks.ListBlock(
        EntryPointBlock(), label=_("Entry points"), template="components/entry_points_block.html"
    )
    call_to_action = CallToActionBlock(label=_("Call to action"))
