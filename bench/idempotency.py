"""`idempotency`: one `Idempotency-Key` against the production shape (granian with several worker
processes, PostgreSQL, no Redis): N simultaneous case intakes with one key, then M sequential
retries with another key. Each must create exactly one case; every other answer is the same case,
marked `Idempotent-Replayed: true`.

Before the store moved to the database (issue 13), 4 workers gave 4 cases for 20 simultaneous
requests and 4 for 8 sequential retries: each process kept its own answers.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import urllib.error
import urllib.request

from bench import harness
from bench.desk_intake import ACCOUNT, CASES_PATH, ITEM, prepare


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, default=4, help="granian worker processes (default 4)")
    parser.add_argument("--simultaneous", type=int, default=20, help="requests sent at once with one key")
    parser.add_argument("--sequential", type=int, default=8, help="retries sent one after another with one key")
    parser.add_argument("--residents", type=int, default=300, help="demo residents (default 300)")
    harness.add_postgres_argument(parser)
    parser.add_argument("--keep", action="store_true", help="keep the data folder")


def post(url: str, body: dict, token: str, key: str) -> tuple[int, str, str]:
    """One intake; returns (status, Idempotent-Replayed, case number)."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")  # noqa: S310 (loopback)
    for name, value in {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Authorization": f"Bearer {token}",
        "Idempotency-Key": key,
    }.items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
            answer = json.loads(response.read())
            return response.status, response.headers.get("Idempotent-Replayed", ""), answer.get("number", "")
    except urllib.error.HTTPError as exc:
        return exc.code, "", exc.read().decode()[:200]


def at_once(count: int, url: str, body: dict, token: str, key: str) -> list[tuple[int, str, str]]:
    barrier = threading.Barrier(count)
    answers: list[tuple[int, str, str]] = []

    def send() -> None:
        barrier.wait(timeout=30)
        answers.append(post(url, body, token, key))

    threads = [threading.Thread(target=send) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def cases() -> int:
    from django.db import connection

    from linli.service_desk.models import ServiceCase

    connection.close()  # a fresh snapshot
    return ServiceCase.objects.count()


def judge(name: str, answers: list[tuple[int, str, str]], created: int) -> bool:
    statuses = sorted({status for status, _, _ in answers})
    replayed = sum(1 for _, flag, _ in answers if flag == "true")
    numbers = {number for status, _, number in answers if status == 201}
    ok = created == 1 and statuses == [201] and replayed == len(answers) - 1 and len(numbers) == 1
    print(
        f"{name}: {len(answers)} requests, answers {statuses}, {replayed} replayed, "
        f"{len(numbers)} distinct case number(s), cases created: {created} — {'OK' if ok else 'FAILED'}"
    )
    return ok


def main(args: argparse.Namespace) -> int:
    config = harness.ServerConfig(args.workers, 1, None)
    with harness.demo_environment(residents=args.residents, postgres_url=args.postgres, keep=args.keep) as env:
        env["LINLI_TASK_BACKEND"] = "database"
        env.pop("LINLI_REDIS_URL", None)  # no shared cache: the database alone must hold
        os.environ.update({k: v for k, v in env.items() if k.startswith("LINLI_")})
        os.environ["DJANGO_SETTINGS_MODULE"] = "linli.config.settings"
        import django

        django.setup()
        args.applicants = 2
        applicants, checklist = prepare(args)
        bodies = [{"item_code": ITEM, "channel": "window", "applicant": a, "checklist": checklist} for a in applicants]
        with harness.granian_server(env, config) as server:
            url, token = server.base + CASES_PATH, harness.demo_token(server.base, env, ACCOUNT)
            print(f"idempotency — PostgreSQL, {config.describe()}, no Redis")
            before = cases()
            together = at_once(args.simultaneous, url, bodies[0], token, "bench-simultaneous")
            ok = judge(f"{args.simultaneous} simultaneous, one key", together, cases() - before)
            before = cases()
            one_by_one = [post(url, bodies[1], token, "bench-sequential") for _ in range(args.sequential)]
            ok = judge(f"{args.sequential} sequential, one key", one_by_one, cases() - before) and ok
    return 0 if ok else 1
