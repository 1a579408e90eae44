from django.urls import path

from . import payment_views as views

app_name = "stripe"

urlpatterns = [
    path("webhook/", views.stripe_webhook, name="webhook"),
]
