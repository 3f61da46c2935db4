"""Operational endpoints: /healthz for load balancers, /metrics for Prometheus."""

from __future__ import annotations

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.tasks import task_backends
from django.utils import timezone

from linli.core import metrics
from linli.core.net import client_address
from linli.core.selectors import heartbeat_list

OPS_VIEW = "ops.view"


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _check_cache() -> str:
    key = "healthz:probe"
    cache.set(key, "1", 10)
    return "ok" if cache.get(key) == "1" else "cache did not return the value"


def _check_tasks() -> str:
    backend = task_backends["default"]
    if type(backend).__name__ == "DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()
    return "ok"


def healthz(request):
    """200 when the database, the cache and the task backend answer; 503 with the reason if not."""
    checks: dict[str, str] = {}
    for name, check in (("database", _check_database), ("cache", _check_cache), ("tasks", _check_tasks)):
        started = time.perf_counter()
        try:
            checks[name] = check()
        except Exception as exc:  # a health check reports every failure, whatever its type
            checks[name] = f"error: {type(exc).__name__}"
        checks[f"{name}_ms"] = f"{(time.perf_counter() - started) * 1000:.1f}"
    healthy = all(checks[n] == "ok" for n in ("database", "cache", "tasks"))
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


def _is_private(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private


def metrics_view(request):
    """Prometheus text format; open to the server's private network and to operators."""
    if not (_is_private(client_address(request)) or request.actor.has_perm(OPS_VIEW)):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    now = timezone.now()
    gauges = {"linli_up": 1.0, "linli_debug": float(settings.DEBUG)}
    for beat in heartbeat_list():
        gauges[f'linli_job_last_run_age_seconds{{job="{beat.name}"}}'] = round(
            (now - beat.last_run_at).total_seconds(), 1
        )
    return HttpResponse(metrics.render(gauges), content_type="text/plain; version=0.0.4; charset=utf-8")
