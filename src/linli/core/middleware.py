"""Request logging and request metrics, measured around the whole Django stack."""

from __future__ import annotations

import logging
import time

from linli.core import metrics

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
                    "status": response.status_code,
                    "ms": round(elapsed * 1000, 1),
                },
            )
        return response
