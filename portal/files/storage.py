from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files here have no public address: they are served only by the permission-checked
    download view, so asking for a URL is a programming error."""

    def url(self, name):
        raise NotImplementedError("Private files are served by the download view only.")
