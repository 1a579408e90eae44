from django.urls import path

from . import payment_views as views

app_name = "payments"

urlpatterns = [
    path("licence/<int:listing_pk>/", views.buy_licence, name="buy_licence"),
    path("feature/<int:listing_pk>/", views.feature, name="feature"),
    path("deal/<int:enquiry_pk>/", views.pay_deal, name="pay_deal"),
    path("orders/<uuid:reference>/done/", views.done, name="done"),
    path("orders/<uuid:reference>/cancelled/", views.cancelled, name="cancelled"),
]
