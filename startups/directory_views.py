from django.http import Http404


def directory(request):
    raise Http404


def profile(request, slug):
    raise Http404
