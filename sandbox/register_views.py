from django.http import Http404


def register(request):
    raise Http404


def entry(request, slug):
    raise Http404
