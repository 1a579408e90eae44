from django.http import Http404


def my_applications(request):
    raise Http404
