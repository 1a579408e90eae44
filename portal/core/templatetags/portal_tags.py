from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail import hooks
from wagtail.models import Locale, Page

from portal.core.formatting import format_vnd, format_vnd_compact

register = template.Library()

register.filter("vnd", format_vnd)
register.filter("vnd_compact", format_vnd_compact)


@register.simple_tag(takes_context=True)
def language_links(context):
    """For each language: its name and the address of this page in that language.

    A CMS page links to its own translation (slugs differ per language); any other view links
    to the same view under the other language's prefix.
    """
    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    links = []
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    for code, name in settings.LANGUAGES:
        if isinstance(page, Page):
            # A page without a live translation sends the reader to that language's home.
            translated = (
                page if code == current else page.get_translation_or_none(locales.get(code))
            )
            url = translated.get_url(request) if translated and translated.live else None
            url = url or translate_url("/", code)
        else:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.simple_tag(takes_context=True)
def portal_hook_items(context, hook_name):
    """Items that apps contribute to shared pages (home sections, headline figures, workspace);
    each hook gets the request."""
    items = []
    for fn in hooks.get_hooks(hook_name):
        items.extend(fn(context["request"]))
    return items
