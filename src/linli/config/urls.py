from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from linli.config.api import api
from linli.core.apitools import error_payload
from linli.core.errors import DomainError, Msg, not_found
from linli.core.ops import healthz, metrics_view
from linli.core.outage import database_unavailable, unavailable_response

urlpatterns = [
    path("api/v1/", api.urls),
    path("open311/v2/", include("linli.grid_events.open311")),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("staff/admin/", admin.site.urls),
    path("", include("linli.portal.web.urls")),
]


def _api_or_page(request, error: DomainError, template: str, status: int):
    if request.path.startswith("/api/"):
        return JsonResponse(error_payload(error), status=status, json_dumps_params={"ensure_ascii": False})
    from django.shortcuts import render

    return render(request, template, {"error": error}, status=status)


def handler404(request, exception=None):
    return _api_or_page(request, not_found("页面", "Page"), "portal/error.html", 404)


def handler500(request):
    if database_unavailable():  # a restart or fail-over: 503 "try again shortly", never a 500
        return unavailable_response(request)
    error = DomainError(
        Msg("服务器内部错误，已记录，请稍后再试", "Internal error; it has been logged"),
        code="internal_error",
        status=500,
    )
    return _api_or_page(request, error, "portal/error.html", 500)
