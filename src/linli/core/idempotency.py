"""`Idempotency-Key` for creating endpoints: a retried request gets the first answer again
instead of creating a second household, member or visit.

The first successful answer (status and JSON body) is kept in Django's cache for 24 hours under
(user, path, key). A retry with the same key and the same body replays it; the same key with a
different body, or while the first request is still running, is a conflict (409). Failures are
not kept, so a client may retry after fixing its request.

The cache must be shared by every server answering the API: with more than one process or
machine that means Redis (`LINLI_REDIS_URL`, see settings); the per-process memory cache used by
default only protects retries that reach the same process. Keys are hashed, so any text a client
sends is safe as a cache key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http.request import RawPostDataException

from linli.core.errors import FieldError, Msg, conflict, validation_failed

HEADER = "Idempotency-Key"
TTL_SECONDS = 24 * 3600
RUNNING_SECONDS = 60  # how long a first request may hold its key before a retry may run again
MAX_KEY_LENGTH = 255


def _cache_key(user_id: int | None, path: str, key: str) -> str:
    digest = hashlib.sha256(f"{user_id}\x1f{path}\x1f{key}".encode()).hexdigest()
    return f"linli:idem:{digest}"


def idempotent(request, create: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
    """Run `create` (which returns `(status, json_safe_body)`) once per Idempotency-Key.

    Without the header this simply calls `create`. The body must be JSON-safe (dicts, lists,
    strings, numbers), e.g. `Schema.model_dump(mode="json")`, so that a replay is byte-for-byte
    the same answer.
    """
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return create()
    if len(key) > MAX_KEY_LENGTH:
        raise validation_failed(
            [FieldError(HEADER, Msg("幂等键最多 255 个字符", "Idempotency-Key is at most 255 characters"))]
        )
    actor = getattr(request, "actor", None)
    base = _cache_key(getattr(actor, "user_id", None), request.path, key)
    fingerprint = _fingerprint(request)
    stored = cache.get(base)
    if stored is not None:
        return _replay(stored, fingerprint)
    if not cache.add(f"{base}:running", fingerprint, RUNNING_SECONDS):
        raise conflict(
            Msg("相同幂等键的请求正在处理，请稍后重试", "A request with this Idempotency-Key is in progress")
        )
    try:
        status, body = create()  # a DomainError propagates and nothing is kept
    finally:
        cache.delete(f"{base}:running")
    cache.set(base, {"fingerprint": fingerprint, "status": status, "body": body}, TTL_SECONDS)
    return status, body


def _fingerprint(request) -> str:
    """A digest of what the client sent. A multipart body (photos) has been streamed into
    POST/FILES and is gone, so it is the fields and the files' contents that are hashed."""
    try:
        return hashlib.sha256(request.body or b"").hexdigest()
    except RawPostDataException:
        digest = hashlib.sha256()
        for name in sorted(request.POST):
            digest.update(f"{name}={request.POST.getlist(name)}\x1f".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
        return digest.hexdigest()


def _replay(stored: dict, fingerprint: str) -> tuple[int, Any]:
    if stored["fingerprint"] != fingerprint:
        raise conflict(
            Msg("此幂等键已用于另一个不同的请求", "This Idempotency-Key was already used for a different request")
        )
    return stored["status"], stored["body"]
