"""`Idempotency-Key` for creating endpoints: a retried request gets the first answer again
instead of creating a second case, event, facility, household, member or visit.

The store is the database (`core.IdempotencyKey`), so it holds with any number of processes and
servers and needs no other service. One row per (owner, method, path, key), where the owner is
the user (or the API token, or for an anonymous caller the client address):

1. A transaction opens and the row is INSERTed first, inside a savepoint, before the work.
2. A second request with the same key that arrives meanwhile blocks on the unique constraint
   (PostgreSQL: its INSERT waits for the first transaction; SQLite: its `BEGIN IMMEDIATE` waits
   for the database's write lock). When the first commits, the INSERT fails and the stored answer
   is read and replayed; when the first failed and rolled back, the second does the work itself.
   A wait longer than `WAIT_SECONDS` answers 409 "in progress" rather than hanging.
3. The work runs; its status, JSON body and the headers it set are written to the row and commit
   together with the objects it created, so a row is never seen half-done.

A replay carries `Idempotent-Replayed: true`. The same key with a different body is a 422 naming
the header. Failures (any DomainError) roll the row back with the work, so a client may fix its
request and retry with the same key. Rows expire after 24 hours; `linli tick` deletes them
(`core.services.idempotency_keys_prune`), and an expired row still present is replaced by a fresh run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction
from django.http.request import RawPostDataException
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder

from linli.core.errors import FieldError, Msg, conflict, validation_failed
from linli.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL = timedelta(hours=24)
WAIT_SECONDS = 30  # how long a retry waits for the first request with its key before a 409
MAX_KEY_LENGTH = 255
MAX_PATH_LENGTH = 500
# headers of the first answer that are replayed (the body's type and length are set afresh)
KEPT_HEADERS = ("Location",)


def idempotent(request, create: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
    """Run `create` (which returns `(status, json_safe_body)`) once per Idempotency-Key.

    Without the header this simply calls `create`. The body is passed through the API's JSON
    encoder before it is stored and returned, so that a replay is the same answer.
    """
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return create()
    if len(key) > MAX_KEY_LENGTH:
        raise validation_failed(
            [FieldError(HEADER, Msg("幂等键最多 255 个字符", "Idempotency-Key is at most 255 characters"))]
        )
    identity = {
        "owner": _owner(request),
        "method": request.method or "",
        "path": _bounded_path(request.path),
        "key_digest": hashlib.sha256(key.encode()).hexdigest(),
    }
    fingerprint = _fingerprint(request)
    working = False
    try:
        with transaction.atomic():
            row, stored = _claim(identity, fingerprint)
            if stored is not None:
                return _replay(request, stored, fingerprint)
            working = True
            status, body = create()  # a DomainError propagates and rolls the row back with the work
            body = _json_safe(body)
            _keep(request, row, status, body)
    except OperationalError:
        if working:
            raise
        raise _in_progress() from None
    return status, body


def _claim(identity: dict, fingerprint: str) -> tuple[IdempotencyKey | None, IdempotencyKey | None]:
    """Insert the row for this key, or return the committed row of an earlier request.

    Returns `(new_row, None)` when this request does the work, `(None, stored)` to replay."""
    for _attempt in range(3):
        now = timezone.now()
        try:
            with transaction.atomic():  # a savepoint: a failed INSERT must not spoil the transaction
                _limit_lock_wait()
                row = IdempotencyKey.objects.create(
                    **identity, fingerprint=fingerprint, created_at=now, expires_at=now + TTL
                )
            _reset_lock_wait()
            return row, None
        except IntegrityError:
            stored = IdempotencyKey.objects.filter(**identity).first()
            if stored is None:  # removed by the prune job in between: try again
                continue
            if stored.expires_at > now:
                return None, stored
            IdempotencyKey.objects.filter(pk=stored.pk, expires_at__lte=now).delete()  # expired: run again
    raise _in_progress()


def _limit_lock_wait() -> None:
    """On PostgreSQL an INSERT waiting on another transaction's row waits for ever; bound it so a
    retry behind a stuck first request gets a 409 (SQLite's wait is its `timeout` option)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{WAIT_SECONDS}s'")


def _reset_lock_wait() -> None:
    """The work that follows keeps the server's usual lock wait."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout TO DEFAULT")


def _json_safe(body: Any) -> Any:
    """The body as it will be stored, so the first answer and every replay are the same (a UUID,
    date or Decimal becomes the text the API's renderer would have written)."""
    return json.loads(json.dumps(body, cls=NinjaJSONEncoder))


def _keep(request, row: IdempotencyKey, status: int, body: Any) -> None:
    response = getattr(request, "linli_response", None)  # set by core.apitools for API views
    headers = {name: response[name] for name in KEPT_HEADERS if response is not None and name in response}
    row.status_code, row.body, row.headers = status, body, headers
    row.save(update_fields=["status_code", "body", "headers"])


def _replay(request, stored: IdempotencyKey, fingerprint: str) -> tuple[int, Any]:
    if stored.fingerprint != fingerprint:
        raise validation_failed(
            [
                FieldError(
                    HEADER,
                    Msg(
                        "此幂等键已用于另一个内容不同的请求，请换一个新的幂等键",
                        "This Idempotency-Key was already used for a request with a different body; use a new key",
                    ),
                )
            ]
        )
    if stored.status_code is None:  # only a row left by a crash between INSERT and commit could be here
        raise _in_progress()
    response = getattr(request, "linli_response", None)
    if response is not None:
        for name, value in stored.headers.items():
            response[name] = value
        response[REPLAYED_HEADER] = "true"
    return stored.status_code, stored.body


def _in_progress():
    return conflict(
        Msg(
            "相同幂等键的请求正在处理，请稍后重试",
            "A request with this Idempotency-Key is still in progress; retry shortly",
        )
    )


def _owner(request) -> str:
    """Whose keys these are: two users (or two anonymous callers) never share an answer."""
    actor = getattr(request, "actor", None)
    if getattr(actor, "user_id", None):
        return f"u:{actor.user_id}"
    if getattr(actor, "token_id", None):
        return f"t:{actor.token_id}"
    address = getattr(actor, "client_address", "") or request.META.get("REMOTE_ADDR", "")
    return f"a:{address}"[:80]


def _bounded_path(path: str) -> str:
    """Our creating routes are short; an absurd path is hashed rather than refused."""
    if len(path) <= MAX_PATH_LENGTH:
        return path
    return "sha256:" + hashlib.sha256(path.encode()).hexdigest()


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
