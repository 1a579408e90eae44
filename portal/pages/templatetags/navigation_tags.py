from django import template

from portal.pages.models import MenuSlot, NavigationMenu

register = template.Library()


@register.inclusion_tag("includes/main_navigation.html", takes_context=True)
def main_navigation(context):
    request = context["request"]
    menu = NavigationMenu.for_slot(MenuSlot.MAIN)
    items = [{"label": i.label, "url": i.href(request)} for i in menu.items.all()] if menu else []
    return {"items": items, "request": request}


@register.inclusion_tag("includes/footer_navigation.html", takes_context=True)
def footer_navigation(context):
    request = context["request"]
    menu = NavigationMenu.for_slot(MenuSlot.FOOTER)
    items = [{"label": i.label, "url": i.href(request)} for i in menu.items.all()] if menu else []
    return {"menu": menu, "items": items, "request": request}
