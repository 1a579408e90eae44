from django.urls import path

from . import public_views

app_name = "tech_exchange"

urlpatterns = [
    path("", public_views.exchange, name="exchange"),
    path("<slug:slug>/", public_views.listing, name="listing"),
    path("<slug:slug>/nda/", public_views.nda, name="nda"),
    path("<slug:slug>/documents/<int:pk>/", public_views.document, name="document"),
    path("<slug:slug>/enquire/", public_views.enquire, name="enquire"),
]
