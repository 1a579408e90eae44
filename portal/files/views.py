from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404

from .models import PrivateFile
from .permissions import can_download_file


def private_file_response(private_file: PrivateFile) -> FileResponse:
    """The download of a private file, never cached, sniffed or run as a page: for every view
    that serves one after its own permission check."""
    response = FileResponse(
        private_file.file.open("rb"),
        as_attachment=True,
        filename=private_file.original_name,
        content_type=private_file.mime_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def private_file_download(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    private_file = get_object_or_404(PrivateFile, pk=pk)
    if not can_download_file(request.user, private_file):
        raise PermissionDenied
    return private_file_response(private_file)
