from django.urls import path

from . import register_views

app_name = "sandbox"

urlpatterns = [
    path("", register_views.register, name="register"),
    # Before the entries' own forms: "export" is never an entry's slug (those join the
    # participant and the title with hyphens).
    path("export.json", register_views.export_json, name="export_json"),
    path("export.csv", register_views.export_csv, name="export_csv"),
    path("<slug:slug>/", register_views.entry, name="entry"),
    path("<slug:slug>/concern/", register_views.concern, name="concern"),
    path("<slug:slug>.json", register_views.entry_json, name="entry_json"),
    path("<slug:slug>.csv", register_views.entry_csv_view, name="entry_csv"),
]
