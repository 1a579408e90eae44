from django.http import Http404


def export_directory(request):
    raise Http404
