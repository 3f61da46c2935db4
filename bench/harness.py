"""Shared machinery: a throw-away data dir (SQLite or PostgreSQL), a granian server, the load generator."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from linli.core.server import granian_command

REPO_ROOT = Path(__file__).resolve().parent.parent
LUA_SCRIPT = Path(__file__).resolve().parent / "wrk" / "bearer.lua"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def add_postgres_argument(parser) -> None:
    parser.add_argument(
        "--postgres",
        default=DEFAULT_POSTGRES_URL,
        metavar="URL",
        help="PostgreSQL server: a fresh database is created and dropped (default: %(default)s)",
    )


def add_load_arguments(parser, *, residents: int) -> None:
    """The options every HTTP load benchmark shares: rounds, server and load-generator shape,
    the demo's size, and whether to keep the data folder."""
    cores = os.cpu_count() or 2
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds per endpoint (default 3)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per round (default 10)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds per endpoint (default 3)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument("--workers", type=int, default=cores, help=f"granian worker processes (default {cores})")
    parser.add_argument("--blocking-threads", type=int, default=1, help="granian threads per worker (default 1)")
    parser.add_argument("--backpressure", type=int, default=None, help="granian --backpressure (default: its own)")
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument(
        "--pin-loadgen", type=int, default=None, metavar="CPU", help="pin the load generator to this CPU"
    )
    parser.add_argument("--residents", type=int, default=residents, help=f"demo residents (default {residents:,})")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- data --------------------------------------------------------------------------------------


def django_setup(database_url: str, data_dir: Path) -> None:
    """Django in this process on a benchmark's own database and data folder (fresh keys, quiet
    logs, tasks run at once), migrated: the in-process benchmarks' common start."""
    import base64

    os.environ.update(
        {
            "LINLI_DATABASE_URL": database_url,
            "LINLI_DATA_DIR": str(data_dir),
            "LINLI_LOG_LEVEL": "WARNING",
            "LINLI_TASK_BACKEND": "immediate",
            "LINLI_DATA_KEYS": "1:" + base64.b64encode(os.urandom(32)).decode(),
            "LINLI_DATA_KEY_ID": "1",
            "DJANGO_SETTINGS_MODULE": "linli.config.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"migrated in {time.perf_counter() - started:.0f} s")


def linli_command() -> list[str]:
    """The `linli` entry point of the running interpreter's environment."""
    script = Path(sys.executable).with_name("linli")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from linli.config.cli import main; main()"]


@contextlib.contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """Create a fresh database for the run on `server_url`'s server; drop it afterwards."""
    import psycopg

    name = f"linli_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_url)
    log(f"created PostgreSQL database {name}")
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    finally:
        with psycopg.connect(server_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        log(f"dropped PostgreSQL database {name}")


@contextlib.contextmanager
def demo_environment(*, residents: int, postgres_url: str | None, keep: bool) -> Iterator[dict[str, str]]:
    """A temp LINLI_DATA_DIR prepared with `linli demo --no-serve`; yields the server environment."""
    data_dir = Path(tempfile.mkdtemp(prefix="linli-bench-"))
    (data_dir / "static").mkdir()  # STATIC_ROOT; whitenoise warns on every start without it
    try:
        with contextlib.ExitStack() as stack:
            env = {
                **os.environ,
                "LINLI_DATA_DIR": str(data_dir),
                "LINLI_LOG_LEVEL": "WARNING",
                "LINLI_TASK_BACKEND": "immediate",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])),
            }
            env.pop("LINLI_DATABASE_URL", None)
            if postgres_url:
                env["LINLI_DATABASE_URL"] = stack.enter_context(postgres_database(postgres_url))
            log(f"preparing demo data in {data_dir} (linli demo --no-serve --residents {residents})")
            started = time.perf_counter()
            subprocess.run(
                [*linli_command(), "demo", "--no-serve", "--residents", str(residents)],
                env={**env, "DJANGO_SETTINGS_MODULE": "linli.config.settings"},
                check=True,
                stdout=subprocess.DEVNULL,
                cwd=REPO_ROOT,
            )
            log(f"demo data ready in {time.perf_counter() - started:.0f} s")
            env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
            yield env
    finally:
        if keep:
            log(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def demo_password(env: dict[str, str], username: str) -> str:
    accounts = json.loads((Path(env["LINLI_DATA_DIR"]) / "demo-accounts.json").read_text())
    return accounts[username]


def demo_code(username: str) -> str:
    """A demo account's current second-factor code (its key is public by construction, decision
    0015), computed as an authenticator app would."""
    from django_otp.oath import totp

    from linli.accounts.domain import demo_totp_key

    return f"{totp(bytes.fromhex(demo_totp_key(username))):06d}"


def demo_client(data_dir: Path, username: str):
    """A Django test client logged in as a demo account through the real log-in pages: the
    password, then the second-factor code when the account needs one."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    password = json.loads((data_dir / "demo-accounts.json").read_text())[username]
    client.post("/staff/login/", {"username": username, "password": password})
    gate = client.get("/staff/")  # an account that needs a second factor is sent to its code page
    if "second-factor" in gate.get("Location", ""):
        client.post(gate["Location"], {"code": demo_code(username)})
    if client.get("/staff/").status_code != 200:
        raise SystemExit(f"could not log in as {username}")
    return client


def demo_token(base: str, env: dict[str, str], username: str, name: str = "bench") -> str:
    """An API token for a demo account, giving its second-factor code when the account needs one."""
    login = {"username": username, "password": demo_password(env, username), "name": name}
    status, body = http_json("POST", base + "/api/v1/auth/token", body=login)
    if status != 201 and "second_factor" in str(body):
        status, body = http_json("POST", base + "/api/v1/auth/token", body=login | {"code": demo_code(username)})
    if status != 201:
        raise SystemExit(f"could not get a token for {username}: {status} {body}")
    return body["token"]


# --- server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServerConfig:
    workers: int
    blocking_threads: int
    backpressure: int | None = None

    def describe(self) -> str:
        text = f"granian --interface wsgi --workers {self.workers} --blocking-threads {self.blocking_threads}"
        if self.backpressure:
            text += f" --backpressure {self.backpressure}"
        return text


@dataclass
class Server:
    base: str
    pgid: int

    def cpu_seconds(self) -> float:
        """CPU time used so far by every process of the server (granian and its workers)."""
        return process_group_cpu(self.pgid)


def process_group_cpu(pgid: int) -> float:
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, ...; utime, stime at 11, 12
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def granian_server(env: dict[str, str], config: ServerConfig, *, ready_path: str = "/bench/bare") -> Iterator[Server]:
    """Serve `linli.config.wsgi:application` (with the bench settings) on a free loopback port."""
    port = free_port()
    extra = ("--log-level", "warning", "--working-dir", str(REPO_ROOT))
    if config.backpressure:
        extra += ("--backpressure", str(config.backpressure))
    command = granian_command(
        host="127.0.0.1", port=port, workers=config.workers, blocking_threads=config.blocking_threads, extra=extra
    )
    log(f"starting {config.describe()} on 127.0.0.1:{port}")
    server = subprocess.Popen(command, env=env, cwd=REPO_ROOT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"granian exited with {server.returncode}")
            try:
                with urllib.request.urlopen(base + ready_path, timeout=2) as response:  # noqa: S310 (loopback)
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("granian did not answer within 60 s")
            time.sleep(0.2)
        yield Server(base, server.pid)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def http_json(method: str, url: str, *, body: dict | None = None, token: str = "") -> tuple[int, object]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 (loopback)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


# --- load --------------------------------------------------------------------------------------


@dataclass
class RoundResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx answers plus socket errors
    loadgen_cpu_s: float = 0.0
    server_cpu_ms_per_request: float = 0.0


@dataclass
class Summary:
    name: str
    rounds: list[RoundResult] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return statistics.median(r.requests_per_second for r in self.rounds)

    @property
    def p99(self) -> float:
        return statistics.median(r.p99_ms for r in self.rounds)

    @property
    def p50(self) -> float:
        return statistics.median(r.p50_ms for r in self.rounds)

    @property
    def server_cpu_ms(self) -> float:
        return statistics.median(r.server_cpu_ms_per_request for r in self.rounds)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.rounds)

    @property
    def loadgen_cpu_share(self) -> float:
        """Median CPU seconds the load generator used per wall second (1.0 = one whole core)."""
        return statistics.median(r.loadgen_cpu_s for r in self.rounds)


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unreadable wrk latency {text!r}")
    return float(match[1]) * _UNITS_MS[match[2]]


def parse_wrk(output: str) -> RoundResult:
    """Read requests/s, the 50th and 99th latency percentiles and the error counts from `wrk --latency`."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M)[1])
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M)[1])
    requests = int(re.search(r"(\d+) requests in", output)[1])
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        errors += int(match[1])
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        errors += sum(int(n) for n in match.groups())
    return RoundResult(rps, p50, p99, requests, errors)


def _child_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(url: str, *, token: str, connections: int, duration: int, threads: int, cpu: int | None) -> RoundResult:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(LUA_SCRIPT), url]
    if cpu is not None:
        command = ["taskset", "-c", str(cpu), *command]
    before = _child_cpu()
    result = subprocess.run(
        command, env={**os.environ, "BENCH_TOKEN": token}, capture_output=True, text=True, check=True
    )
    parsed = parse_wrk(result.stdout)
    parsed.loadgen_cpu_s = (_child_cpu() - before) / duration
    return parsed


def run_python_load(url: str, *, token: str, connections: int, duration: int, cpu: int | None) -> RoundResult:
    """Fallback when wrk is missing: asyncio keep-alive clients (slower; it eats a core itself)."""
    import asyncio

    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: application/json\r\n"
    if token:
        headers += f"Authorization: Bearer {token}\r\n"
    request = (headers + "\r\n").encode()
    latencies: list[float] = []
    errors = 0

    async def client(stop_at: float) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                writer.write(request)
                status_line = await reader.readline()
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - started)
                if not status_line.split(b" ")[1].startswith(b"2"):
                    errors += 1
        finally:
            writer.close()

    async def main() -> float:
        started = time.perf_counter()
        await asyncio.gather(*(client(started + duration) for _ in range(connections)))
        return time.perf_counter() - started

    affinity = os.sched_getaffinity(0)
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
    try:
        cpu_before = time.process_time()
        elapsed = asyncio.run(main())
        cpu_share = (time.process_time() - cpu_before) / elapsed
    finally:
        os.sched_setaffinity(0, affinity)
    latencies.sort()
    return RoundResult(
        requests_per_second=len(latencies) / elapsed,
        p50_ms=latencies[len(latencies) // 2] * 1000,
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        requests=len(latencies),
        errors=errors,
        loadgen_cpu_s=cpu_share,
    )


def timed_ms(fn, repeat: int, *, warm_up: bool = True) -> list[float]:
    """Milliseconds of each of `repeat` calls, after one unmeasured call (connection, plan, cache)."""
    if warm_up:
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def explain(name: str, fn) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every SELECT the call runs (PostgreSQL)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    for query in captured.captured_queries:
        if not query["sql"].lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\n--- {name}: {query['sql'][:300]}…\n{plan}")


def client_median_ms(client, url: str, repeat: int) -> tuple[float, float, int]:
    """The first request (cold caches in this process) and the median of the next `repeat`."""
    started = time.perf_counter()
    response = client.get(url)
    first = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return first, statistics.median(times), len(response.content)


def demo_in_process(*, residents: int) -> Path:
    """The demo city in `LINLI_DATA_DIR` (default `var/`), built by `linli demo --no-serve` when
    it is not there yet and reused otherwise, with Django set up on it in this process (for
    benchmarks that time pages through the test client)."""
    data_dir = Path(os.environ.get("LINLI_DATA_DIR", REPO_ROOT / "var"))
    env = {**os.environ, "LINLI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "linli.config.settings"}
    log(f"demo data in {data_dir} (linli demo --no-serve --residents {residents})")
    subprocess.run(
        [*linli_command(), "demo", "--no-serve", "--residents", str(residents)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=REPO_ROOT,
    )
    os.environ.update({"LINLI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "linli.config.settings"})
    import django

    django.setup()
    return data_dir
