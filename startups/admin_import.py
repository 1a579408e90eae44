"""The startup import in the Wagtail admin: upload → preview → import → results.

The uploaded file is kept as a private file owned by the staff member between the preview and
the import, referenced by its id in the confirm form; both steps run `imports.import_startups`
(the preview with `commit=False`). Each step's report is stored as a private CSV the staff
member downloads through the permission-checked file view.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.core.exceptions import PortalError
from portal.files.kinds import SPREADSHEETS
from portal.files.models import PrivateFile
from portal.files.services import private_file_create

from . import imports, permissions

PREVIEW_ROWS = 200


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        help_text=gettext_lazy(
            "UTF-8 CSV (comma or semicolon) or an Excel workbook, at most 10 MB. The first row "
            "names the columns, in English or Vietnamese."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class ConfirmForm(forms.Form):
    upload = forms.UUIDField(widget=forms.HiddenInput)


def _store_report(user, report: imports.ImportReport, stem: str) -> PrivateFile:
    name = f"{stem}-{timezone.localtime():%Y%m%d-%H%M%S}.csv"
    return private_file_create(
        owner=user,
        upload=SimpleUploadedFile(name, report.to_csv(), content_type="text/csv"),
        allowed=SPREADSHEETS,
        max_bytes=imports.MAX_BYTES * 4,
    )


def _read(private_file: PrivateFile) -> bytes:
    with private_file.file.open("rb") as handle:
        return handle.read()


class ImportView(View):
    """GET: the upload form. POST with a file: the preview. POST with `upload`: the import."""

    template_upload = "startups/admin/import.html"
    template_preview = "startups/admin/import_preview.html"
    template_results = "startups/admin/import_results.html"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_import_startups(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _context(self, **extra) -> dict:
        return {
            "page_title": _("Import startups"),
            "header_title": _("Import startups"),
            "header_icon": "upload",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": reverse("startup_import"), "label": _("Import startups")},
            ],
            "columns": imports.COLUMNS,
            "max_mb": imports.MAX_BYTES // 1024 // 1024,
            **extra,
        }

    def get(self, request):
        return render(request, self.template_upload, self._context(form=UploadForm()))

    def post(self, request):
        if "upload" in request.POST:
            return self.commit(request)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_upload, self._context(form=form), status=400)
        upload = form.cleaned_data["file"]
        try:
            stored = private_file_create(
                owner=request.user,
                upload=upload,
                allowed=SPREADSHEETS,
                max_bytes=imports.MAX_BYTES,
            )
        except PortalError as error:
            form.add_error("file", error.message)
            return render(request, self.template_upload, self._context(form=form), status=400)
        try:
            report = imports.import_startups(
                data=_read(stored), user=request.user, commit=False, file_name=stored.original_name
            )
        except PortalError as error:
            stored.file.delete(save=False)
            stored.delete()
            form.add_error("file", error.message)
            return render(request, self.template_upload, self._context(form=form), status=400)
        report_file = _store_report(request.user, report, "import-preview")
        return render(
            request,
            self.template_preview,
            self._context(
                report=report,
                rows=report.results[:PREVIEW_ROWS],
                more_rows=max(0, report.total - PREVIEW_ROWS),
                confirm=ConfirmForm(initial={"upload": stored.pk}),
                stored=stored,
                report_url=reverse("private_file_download", args=[report_file.pk]),
            ),
        )

    def commit(self, request):
        form = ConfirmForm(request.POST)
        if not form.is_valid():
            return render(
                request, self.template_upload, self._context(form=UploadForm()), status=400
            )
        stored = get_object_or_404(
            PrivateFile, pk=form.cleaned_data["upload"], owner=request.user, attached_id=""
        )
        try:
            report = imports.import_startups(
                data=_read(stored), user=request.user, commit=True, file_name=stored.original_name
            )
        except PortalError as error:
            form = UploadForm()
            form.add_error(None, error.message)
            return render(request, self.template_upload, self._context(form=form), status=400)
        report_file = _store_report(request.user, report, "import-report")
        return render(
            request,
            self.template_results,
            self._context(
                report=report,
                rows=[r for r in report.results if r.outcome == imports.Outcome.REJECTED][
                    :PREVIEW_ROWS
                ],
                report_url=reverse("private_file_download", args=[report_file.pk]),
            ),
        )


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_import_startups(request.user)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("startups/import/", ImportView.as_view(), name="startup_import")]


def import_menu_item(order: int) -> ImportMenuItem:
    """The entry in the admin's "Startup registry" menu, beside the queues."""
    return ImportMenuItem(
        gettext_lazy("Import startups"),
        reverse("startup_import"),
        name="startup-import",
        icon_name="upload",
        order=order,
    )
