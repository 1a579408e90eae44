from django.http import Http404


def my_startups(request):
    raise Http404
