"""Send one request from N operating-system processes at the same moment, each with its own
database connection, to prove what holds across processes (the `Idempotency-Key` store).

Used by the apps' PostgreSQL tests with `django_db(transaction=True)`: the data the test made is
committed, so the forked processes see it. Each process logs in with the Django test client
(the whole middleware and API stack, as under granian's worker processes), waits at a barrier,
posts, and reports its status, its `Idempotent-Replayed` header and the answer's JSON."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any

from django.db import connections

KEY = "one-key-for-every-process"


def post_at_once(
    processes: int, user, url: str, make_data: Callable[[], Any], *, content_type: str | None = None
) -> list[tuple[int, str | None, Any]]:
    connections.close_all()  # a forked child must not share the parent's database socket
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(processes)
    answers = context.Queue()
    workers = [
        context.Process(target=_post, args=(barrier, answers, user.pk, url, make_data, content_type))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    results = [answers.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    return results


def _post(barrier, answers, user_id: int, url: str, make_data, content_type: str | None) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    try:
        client = Client()
        client.force_login(get_user_model().objects.get(pk=user_id))
        extra = {"content_type": content_type} if content_type else {}
        barrier.wait(timeout=60)
        response = client.post(url, make_data(), headers={"Idempotency-Key": KEY}, **extra)
        body = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else None
        answers.put((response.status_code, response.headers.get("Idempotent-Replayed"), body))
    except Exception as error:  # reported to the test rather than lost in a child process
        answers.put((0, None, repr(error)))
    finally:
        connections.close_all()
