from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.translation import gettext as _

from .services import admin_language_sync


class PortalAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # New accounts keep the language they signed up in for emails and notifications.
        language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        user.language = language if language in dict(settings.LANGUAGES) else "vi"
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            admin_language_sync(user=user)
        return user

    def format_email_subject(self, subject):
        return f"[{_('Hanoi Innovation Portal')}] {subject}"

    def send_mail(self, template_prefix, email, context):
        context = {**context, "portal_base_url": settings.PORTAL_BASE_URL}
        return super().send_mail(template_prefix, email, context)
