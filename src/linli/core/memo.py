"""A per-process memo with a time limit, for reference data that changes by import or admin
edit only (org units, departments, catalogue versions, the work calendar): read on every request,
written rarely. Each process keeps its copy for `seconds`; the process that made an edit clears
its copy at once (`forget()`), the others follow within the limit."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

_MEMOS: list[dict] = []


def memo(seconds: float) -> Callable:
    def decorate(function: Callable) -> Callable:
        store: dict[Any, tuple[float, Any]] = {}
        _MEMOS.append(store)

        @wraps(function)
        def wrapper(*args):
            now = time.monotonic()
            hit = store.get(args)
            if hit is not None and now - hit[0] < seconds:
                return hit[1]
            value = function(*args)
            store[args] = (now, value)
            return value

        wrapper.forget = store.clear  # type: ignore[attr-defined]
        return wrapper

    return decorate


def forget_all() -> None:
    """Clear every memo of this process (tests, and after bulk imports)."""
    for store in _MEMOS:
        store.clear()
