"""The reviewers' pages in the Wagtail admin: their own "Reviews" menu and its URLs."""

from wagtail import hooks

from .review_views import review_urls, reviews_menu_item


@hooks.register("register_admin_urls")
def register_review_urls():
    return review_urls


@hooks.register("register_admin_menu_item")
def register_reviews_menu_item():
    return reviews_menu_item()
