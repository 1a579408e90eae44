from django.urls import path

from . import data_views

app_name = "dashboard_data"

urlpatterns = [
    path("indicators.csv", data_views.indicators_csv, name="indicators_csv"),
    path("indicators/<slug:code>/snapshots.csv", data_views.snapshots_csv, name="snapshots_csv"),
]
