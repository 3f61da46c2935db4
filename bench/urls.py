"""The production URLconf plus ``/bench/bare``: a plain ``JsonResponse`` behind the same middleware.

Only the bench settings (``bench.settings``) use this module; production never routes here.
"""

from django.http import JsonResponse
from django.urls import path

from linli.config.urls import handler404, handler500
from linli.config.urls import urlpatterns as linli_urlpatterns

BARE_PAYLOAD = {"status": "ok", "service": "linli", "items": [1, 2, 3]}


def bare(request):
    return JsonResponse(BARE_PAYLOAD)


urlpatterns = [path("bench/bare", bare, name="bench-bare"), *linli_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
