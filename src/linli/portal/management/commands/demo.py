"""`linli demo`: prepare the demo city and serve it (granian WSGI + task worker + minute ticks)."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from linli.areas.services import demo_boundaries_generate
from linli.core.actor import Actor
from linli.core.server import demo_serving_threads, granian_command
from linli.portal.services import (
    demo_accounts_ensure,
    demo_care_prepare,
    demo_city_prepare,
    demo_consultation_prepare,
    demo_desk_prepare,
    demo_facilities_prepare,
    demo_grid_prepare,
    demo_linkage_prepare,
    demo_mediation_prepare,
    demo_welfare_prepare,
)

TICK_SECONDS = 60


class Command(BaseCommand):
    help = "Start the demo city (演示城市): migrate, load Shenyang, synthesise residents, serve."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--residents", type=int, default=20_000)
        parser.add_argument("--reset", action="store_true", help="delete the demo database and start over")
        parser.add_argument("--no-serve", action="store_true", help="prepare the data, print accounts, exit")

    def _router_ensure(self) -> None:
        """Routing works out of the box: a model trained on synthetic descriptions of the shipped
        categories, unless one is there already (a city's own, trained on its history)."""
        folder = settings.LINLI_ROUTER_DIR
        if folder.is_dir() and any(folder.glob("router-*.joblib")):
            return
        self.stdout.write("路由模型 router model: training on synthetic reports …")
        call_command("router", "train", "--synthetic", "--per-category", "30", stdout=self.stdout)

    def handle(self, *args, port, host, residents, reset, no_serve, **options):
        if residents < 0:
            raise CommandError("--residents 不能为负数 (must not be negative)")
        if not 0 < port < 65536:
            raise CommandError("--port 应在 1–65535 之间 (must be 1–65535)")
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        if reset:
            self._reset()
        call_command("migrate", interactive=False, verbosity=0)
        demo_city_prepare(residents=residents, log=self.stdout.write)
        accounts = demo_accounts_ensure(data_dir=settings.DATA_DIR)
        demo_desk_prepare(log=self.stdout.write)
        demo_grid_prepare(log=self.stdout.write)
        demo_facilities_prepare(log=self.stdout.write)
        demo_linkage_prepare(log=self.stdout.write)
        demo_welfare_prepare(log=self.stdout.write)
        demo_care_prepare(log=self.stdout.write)
        demo_mediation_prepare(log=self.stdout.write)
        demo_consultation_prepare(log=self.stdout.write)
        if outlines := demo_boundaries_generate(actor=Actor.system("demo")):
            self.stdout.write(f"示意社区范围 approximate community outlines: {outlines}")
        self._router_ensure()
        # the periodic jobs once now, so the demo's inboxes hold their due-soon and overdue notices
        # at once (idempotent: a notice already sent is not sent again)
        logging.disable(logging.INFO)  # the jobs' own log lines would bury the accounts printed next
        try:
            call_command("tick", verbosity=0)
        finally:
            logging.disable(logging.NOTSET)
        self._print_accounts(accounts, host, port)
        if not no_serve:
            self._serve(host, port)

    def _reset(self) -> None:
        database = settings.DATABASES["default"]
        if not database["ENGINE"].endswith("sqlite3"):
            raise CommandError("--reset 只用于内置 SQLite 演示库 (only for the embedded SQLite demo database)")
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            path = f"{database['NAME']}{suffix}"
            if os.path.exists(path):
                os.remove(path)
        (settings.DATA_DIR / "demo-accounts.json").unlink(missing_ok=True)
        self.stdout.write("已清空演示数据 (demo data removed)")

    def _print_accounts(self, accounts, host, port) -> None:
        self.stdout.write("\n演示账号 Demo accounts (also in %s):" % (settings.DATA_DIR / "demo-accounts.json"))
        width = max(len(a.username) for a in accounts)
        for a in accounts:
            self.stdout.write(f"  {a.username:<{width}}  {a.password:<14} {a.role} · {a.place}")
        self.stdout.write(f"\n居民门户 Resident portal:  http://{host}:{port}/")
        self.stdout.write(f"工作台   Staff workbench:  http://{host}:{port}/staff/")
        self.stdout.write(f"接口     API docs:         http://{host}:{port}/api/v1/docs\n")

    def _serve(self, host: str, port: int) -> None:
        """Run granian (WSGI) and the database task worker as children; tick every minute."""
        linli = shutil.which("linli") or sys.argv[0]
        threads = demo_serving_threads()
        server = subprocess.Popen(granian_command(host=host, port=port, workers=1, blocking_threads=threads))
        worker = subprocess.Popen([linli, "worker"])
        children = [server, worker]
        # Stop the children on `kill` as well as on Ctrl-C, so no orphan keeps the port.
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            while all(child.poll() is None for child in children):
                call_command("tick", verbosity=0)
                for _ in range(TICK_SECONDS):
                    if any(child.poll() is not None for child in children):
                        break
                    time.sleep(1)
        except KeyboardInterrupt:
            self.stdout.write("\n正在停止 (stopping)…")
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [c.args[2] if len(c.args) > 2 else c.args for c in children if c.returncode not in (0, -15, None)]
        if failed:
            raise CommandError(f"子进程异常退出 (a child process failed): {failed}")


def _interrupt(signum, frame):
    raise KeyboardInterrupt
