"""What a request gets while the database is unreachable (a restart, a fail-over, a full
connection pool): 503 "service temporarily unavailable" in Chinese and English, never a 500 with
a stack trace. Rendered without the database, since templates and context processors would touch
it again."""

from __future__ import annotations

import sqlite3
import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape

from linli.core.apitools import error_payload
from linli.core.errors import DomainError, Msg

UNAVAILABLE = Msg(
    "服务暂时不可用：数据库无法连接，请稍后再试",
    "Service temporarily unavailable: the database cannot be reached; please try again shortly",
)
RETRY_AFTER_SECONDS = 10
# psycopg's connection-level errors reach Django as OperationalError or InterfaceError; the
# SQLite "database is locked" after its busy timeout is an OperationalError too.
OUTAGE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable(exc: BaseException | None = None) -> bool:
    """The exception being handled is the database going away (not a bug in a query)."""
    exc = exc if exc is not None else sys.exc_info()[1]
    while exc is not None:
        if isinstance(exc, OUTAGE_ERRORS):
            return not _sqlite_bug(exc)
        if isinstance(exc, DatabaseError):
            return False
        exc = exc.__cause__ or exc.__context__
    return False


def _sqlite_bug(exc: BaseException) -> bool:
    """SQLite reports a missing table or column as an OperationalError too: that is a bug (a
    migration not run), not an outage."""
    cause = exc.__cause__
    return isinstance(cause, sqlite3.OperationalError) and not any(
        word in str(cause) for word in ("locked", "unable to open", "disk I/O", "busy")
    )


def unavailable_response(request) -> HttpResponse:
    """JSON for API clients (the API error shape), a plain bilingual page for browsers."""
    path = request.path
    if path.startswith(("/api/", "/open311/")) or "json" in request.headers.get("Accept", ""):
        error = DomainError(UNAVAILABLE, code="service_unavailable", status=503)
        response = JsonResponse(error_payload(error), status=503, json_dumps_params={"ensure_ascii": False})
    else:
        page = (
            '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>503</title>'
            f'<h1>{escape(UNAVAILABLE.zh)}</h1><p lang="en">{escape(UNAVAILABLE.en)}</p></html>'
        )
        response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
