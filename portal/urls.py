from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.api import api
from portal.core import views as core_views
from portal.files import views as file_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("files/<uuid:pk>/", file_views.private_file_download, name="private_file_download"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    # Stripe posts here: outside the language prefixes, never redirected.
    path("payments/stripe/", include("tech_exchange.webhook_urls")),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("me/searches/", include("search.saved_urls")),
    path("me/startups/", include("startups.workspace_urls")),
    path("me/sandbox/", include("sandbox.applicant_urls")),
    path("me/technologies/", include("tech_exchange.workspace_urls")),
    path("me/orders/", include("tech_exchange.order_urls")),
    path("me/", include("portal.accounts.urls")),
    path("search/", include("search.urls")),
    path("startups/", include("startups.urls")),
    path("sandbox/", include("sandbox.urls")),
    path("technologies/", include("tech_exchange.urls")),
    path("payments/", include("tech_exchange.payment_urls")),
    path("dashboard/data/", include("portal.dashboard.data_urls")),
    path("dashboard/", include("portal.dashboard.urls")),
    path("fund/applications/", include("fund.applicant_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
