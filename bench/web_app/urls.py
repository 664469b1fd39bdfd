"""The application's URL map plus `/bench/bare/`, a signed-in page that does no work of its own."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ketenwijs.web.urls import handler403, handler404, handler500
from ketenwijs.web.urls import urlpatterns as app_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    """Answer with four bytes: what is left is Django, the middleware and the session lookup."""
    return HttpResponse("bare", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *app_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
