"""Backup and restore drill, as an operator runs it: `linli backup` of a site with sealed
personal data and an uploaded file, `linli restore` in a fresh process into an empty database and
data folder; the row counts match and the sealed ID numbers decrypt with the backed-up keys.
With other keys, or onto a site that has data, the restore refuses with a message in both
languages and changes nothing."""

from __future__ import annotations

import base64
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from linli.core.crypto import unseal
from linli.residents.imports import import_job_run
from linli.residents.models import ImportJob, Resident
from linli.residents.tests.test_import import person, row, write_csv
from linli.testing import empty_append_only_tables

LINLI = "from linli.config.cli import main; main()"
OTHER_KEY = base64.b64encode(b"another-site-data-key-32-bytes!!").decode()


@pytest.fixture
def append_only_emptied(transactional_db):
    yield
    empty_append_only_tables()


@pytest.fixture
def site(append_only_emptied, people, tmp_path, settings):
    """Two residents imported from an uploaded file (kept under MEDIA_ROOT), committed."""
    settings.MEDIA_ROOT = tmp_path / "site" / "uploads"
    (settings.MEDIA_ROOT / "imports").mkdir(parents=True)
    write_csv(
        settings.MEDIA_ROOT / "imports" / "j.csv",
        [row(id_number=person(91)), row(room="1-102", id_number=person(92), phone="13900000002")],
    )
    job = ImportJob.objects.create(owner=people["community_worker"], file_name="j.csv", stored_path="imports/j.csv")
    assert import_job_run(job_id=job.pk).created == 2


class Target:
    """An empty place to restore into: a new data folder, and on PostgreSQL a new database."""

    def __init__(self, folder: Path, name: str):
        self.folder = folder
        self.pg_name = None
        if connection.vendor == "postgresql":
            self.pg_name = f"{connection.settings_dict['NAME']}_{name}"
            self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}"')
            self._admin(f'CREATE DATABASE "{self.pg_name}"')

    def _admin(self, sql: str) -> None:
        import psycopg

        s = connection.settings_dict
        with psycopg.connect(host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"], dbname="postgres") as admin:
            admin.autocommit = True
            admin.execute(sql)

    def drop(self) -> None:
        if self.pg_name:
            self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}"')

    def env(self, keys: dict[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LINLI_")} | keys
        env |= {"DJANGO_SETTINGS_MODULE": "linli.config.settings", "LINLI_DATA_DIR": str(self.folder)}
        if self.pg_name:
            s = connection.settings_dict
            env["LINLI_DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT'] or 5432}/{self.pg_name}"
        return env

    def restore(self, backup: Path, keys: dict[str, str]) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", LINLI, "restore", str(backup)],
            env=self.env(keys),
            capture_output=True,
            text=True,
            timeout=120,
        )

    def query(self, sql: str) -> list[tuple]:
        if self.pg_name:
            import psycopg

            s = connection.settings_dict
            with psycopg.connect(host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"], dbname=self.pg_name) as db:
                return db.execute(sql).fetchall()
        with sqlite3.connect(self.folder / "linli.sqlite3") as db:
            return db.execute(sql).fetchall()


def _keys(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#"))


@pytest.fixture
def targets(tmp_path):
    made = []

    def make(name: str) -> Target:
        made.append(Target(tmp_path / name, name))
        return made[-1]

    yield make
    for target in made:
        target.drop()


def test_a_backup_restores_into_an_empty_site_with_its_keys(site, tmp_path, targets):
    backup = tmp_path / "backup"
    call_command("backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    keys = _keys(backup / "keys.env")
    assert oct((backup / "keys.env").stat().st_mode & 0o777) == "0o600"
    expected = sorted(unseal(r.id_number_sealed, context="resident.id_number") for r in Resident.objects.all())
    assert expected == sorted([person(91), person(92)])

    fresh = targets("fresh")
    restored = fresh.restore(backup, keys)
    assert restored.returncode == 0, restored.stderr
    assert "row counts match the backup" in restored.stdout
    sealed = [value for (value,) in fresh.query("SELECT id_number_sealed FROM residents_resident")]
    assert sorted(unseal(value, context="resident.id_number") for value in sealed) == expected
    assert (fresh.folder / "uploads" / "imports" / "j.csv").read_text().count("\n") == 3


def test_a_restore_with_other_keys_or_onto_data_refuses_and_changes_nothing(site, tmp_path, settings):
    from django.core.management.base import CommandError

    backup = tmp_path / "backup"
    call_command("backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    with pytest.raises(CommandError) as onto_data:
        call_command("restore", str(backup))
    assert "restore into a new, empty database" in str(onto_data.value)

    settings.LINLI_DATA_KEYS = {1: base64.b64decode(OTHER_KEY)}
    with pytest.raises(CommandError) as other_keys:
        call_command("restore", str(backup))
    assert "缺少备份的数据密钥 1 或密钥不符" in str(other_keys.value)
    assert "its sealed fields would not decrypt; nothing was changed" in str(other_keys.value)
    assert f"configure every process with the keys in {backup / 'keys.env'}" in str(other_keys.value)
    assert Resident.objects.count() == 2

    settings.LINLI_DATA_KEYS = {1: base64.b64decode(_keys(backup / "keys.env")["LINLI_DATA_KEYS"][2:])}
    settings.LINLI_INDEX_KEY = b"x" * 32
    with pytest.raises(CommandError) as other_index:
        call_command("restore", str(backup))
    assert "LINLI_INDEX_KEY" in str(other_index.value)
