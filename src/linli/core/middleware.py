"""Request logging and request metrics, measured around the whole Django stack; CORS for the
public read-only paths."""

from __future__ import annotations

import logging
import time

from corsheaders.middleware import CorsMiddleware
from django.http import HttpRequest

from linli.core import metrics
from linli.core.masking import mask_personal_numbers

logger = logging.getLogger("linli.request")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        route = getattr(getattr(request, "resolver_match", None), "route", "") or "unmatched"
        metrics.observe_request(request.method, route, response.status_code, elapsed)
        if response.status_code >= 500 or elapsed > 1.0:
            logger.warning(
                "slow or failed request",
                extra={
                    "method": request.method,
                    "route": route,
                    # The path and query as asked, personal numbers masked (a search by ID number
                    # in a URL must not land in the log in full).
                    "path": mask_personal_numbers(request.get_full_path()),
                    "status": response.status_code,
                    "ms": round(elapsed * 1000, 1),
                },
            )
        return response


# Methods that read: the only ones a browser on another site may make on the public paths.
READ_METHODS = frozenset({"GET", "HEAD"})


class PublicReadCorsMiddleware(CorsMiddleware):
    """django-cors-headers, limited to reading: CORS headers only for GET/HEAD on the paths of
    CORS_URLS_REGEX (the public Open311 methods) and for the preflight that asks for one of them.
    A POST (Open311's filing, with its api_key) and every staff path get none, so a page on
    another site can never read their answers; credentials are never allowed (decision 0014)."""

    def is_enabled(self, request: HttpRequest) -> bool:
        method = request.method or ""
        if method == "OPTIONS":
            method = request.headers.get("access-control-request-method", "GET").upper()
        return method in READ_METHODS and super().is_enabled(request)
