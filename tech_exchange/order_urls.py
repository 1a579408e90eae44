from django.urls import path

from . import payment_views as views

app_name = "orders"

urlpatterns = [
    path("", views.my_orders, name="list"),
    path("<uuid:reference>/", views.receipt, name="receipt"),
]
