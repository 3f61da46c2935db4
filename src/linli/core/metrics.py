"""Process-local Prometheus counters, rendered in the text exposition format at /metrics.

Each server process keeps its own counters (Prometheus sums them across scrape targets);
no external client library is needed for a handful of counters and a histogram.
"""

from __future__ import annotations

import threading
from collections import defaultdict

from linli.core.masking import mask_personal_numbers

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
_lock = threading.Lock()
_requests: dict[tuple[str, str, str], int] = defaultdict(int)
_bucket_counts: dict[str, list[int]] = defaultdict(lambda: [0] * (len(BUCKETS) + 1))
_duration_sum: dict[str, float] = defaultdict(float)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    with _lock:
        _requests[(method, route, str(status))] += 1
        counts = _bucket_counts[route]
        index = next((i for i, bound in enumerate(BUCKETS) if seconds <= bound), len(BUCKETS))
        counts[index] += 1
        _duration_sum[route] += seconds


def _label(value: str) -> str:
    """Labels are URL patterns, not paths; masked all the same, so that no route that ever
    carries a number of a person (a regex route, a fallback) can put one on /metrics."""
    value = mask_personal_numbers(value)
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def render(gauges: dict[str, float]) -> str:
    lines = ["# TYPE linli_http_requests_total counter"]
    with _lock:
        for (method, route, status), count in sorted(_requests.items()):
            lines.append(
                f'linli_http_requests_total{{method="{method}",route="{_label(route)}",status="{status}"}} {count}'
            )
        lines.append("# TYPE linli_http_request_duration_seconds histogram")
        for route, counts in sorted(_bucket_counts.items()):
            running = 0
            for bound, count in zip((*BUCKETS, float("inf")), counts, strict=True):
                running += count
                le = "+Inf" if bound == float("inf") else repr(bound)
                lines.append(
                    f'linli_http_request_duration_seconds_bucket{{route="{_label(route)}",le="{le}"}} {running}'
                )
            lines.append(
                f'linli_http_request_duration_seconds_sum{{route="{_label(route)}"}} {_duration_sum[route]:.6f}'
            )
            lines.append(f'linli_http_request_duration_seconds_count{{route="{_label(route)}"}} {running}')
    typed: set[str] = set()
    for series, value in sorted(gauges.items()):
        name = series.split("{", 1)[0]
        if name not in typed:  # one TYPE line per metric name, never per labelled series
            lines.append(f"# TYPE {name} gauge")
            typed.add(name)
        lines.append(f"{series} {value}")
    return "\n".join(lines) + "\n"
