"""Backup and restore of a whole site: the database, the files and the keys that open them.

A backup is a folder:

    manifest.json      engine, time, row count of every table, a sealed probe per data key
    database.sqlite3   SQLite: a consistent copy made with the online backup API (the site runs on)
    database.dump      PostgreSQL: `pg_dump -Fc`, counted inside the snapshot the dump reads
    files/uploads/     MEDIA_ROOT (import files);  files/desk-files/: sealed case materials
    keys.env           LINLI_DATA_KEYS, LINLI_DATA_KEY_ID, LINLI_INDEX_KEY, LINLI_SECRET_KEY (mode 600)

A restore goes into an empty database and data folder only, and checks everything before it
writes anything: the configured keys must open the backup's probe (so sealed ID numbers, phones
and files will decrypt) and the blind-index key must be the same (or lookups find nothing).
Afterwards every table's row count is compared with the manifest.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from linli.core.crypto import DecryptionError, blind_index, seal, unseal
from linli.core.errors import Msg

FORMAT = 1
MANIFEST = "manifest.json"
KEYS_FILE = "keys.env"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"


def _file_folders() -> dict[str, Path]:
    """The folders of files a site keeps beside its database, by their name in a backup."""
    return {"uploads": Path(settings.MEDIA_ROOT), "desk-files": Path(settings.DATA_DIR) / "desk-files"}


PROBE = "linli-backup-probe"
PROBE_CONTEXT = "backup.probe"


class BackupError(Exception):
    def __init__(self, message: Msg):
        super().__init__(message.both())
        self.message = message


@dataclass(frozen=True)
class Outcome:
    folder: Path
    tables: int
    rows: int


# ---- backup --------------------------------------------------------------------------------------


def backup(dest: Path, *, keys_file: Path | None = None) -> Outcome:
    dest = dest.resolve()
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(Msg(f"目标文件夹 {dest} 不是空的", f"the destination {dest} is not empty"))
    dest.mkdir(parents=True, exist_ok=True)
    sqlite = connection.vendor == "sqlite"
    counts = _backup_sqlite(dest / SQLITE_FILE) if sqlite else _backup_postgres(dest / PG_FILE)
    copied = _copy_files(dest / "files")
    _write_keys(keys_file or dest / KEYS_FILE)
    manifest = {
        "format": FORMAT,
        "engine": connection.vendor,
        "created_at": timezone.now().isoformat(),
        "counts": counts,
        "files": copied,
        "probe": _probe(),
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return Outcome(dest, len(counts), sum(counts.values()))


def _backup_sqlite(target: Path) -> dict[str, int]:
    """SQLite's online backup copies a consistent state while the site keeps running (WAL);
    the counts are read from the copy, so they describe exactly what was saved."""
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
        return _sqlite_counts(copy)


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}  # noqa: S608


def _backup_postgres(target: Path) -> dict[str, int]:
    """Count every table inside an exported snapshot and let pg_dump read that same snapshot,
    so the counts match the dump even while the site keeps writing."""
    with connection.cursor() as cursor:
        connection.set_autocommit(False)
        try:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _postgres_counts(cursor)
            _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "-f", str(target)])
        finally:
            connection.rollback()
            connection.set_autocommit(True)
    return counts


def _postgres_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from the catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


def _copy_files(target: Path) -> list[str]:
    copied = []
    for name, folder in _file_folders().items():
        if folder.is_dir():
            shutil.copytree(folder, target / name)
            copied.append(name)
    return copied


def _write_keys(path: Path) -> None:
    keys = ",".join(f"{key_id}:{base64.b64encode(key).decode()}" for key_id, key in settings.LINLI_DATA_KEYS.items())
    text = (
        "# Linli keys of this backup: without them its sealed fields and files cannot be read.\n"
        "# Keep this file apart from the database backup (备份的密钥：请与数据库备份分开保管).\n"
        f"LINLI_DATA_KEYS={keys}\n"
        f"LINLI_DATA_KEY_ID={settings.LINLI_DATA_KEY_ID}\n"
        f"LINLI_INDEX_KEY={base64.b64encode(settings.LINLI_INDEX_KEY).decode()}\n"
        f"LINLI_SECRET_KEY={settings.SECRET_KEY}\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)


def _probe() -> dict:
    """A sealed probe per data key and the blind index of the probe: a restore checks the keys
    it is configured with against these before it changes anything."""
    sealed = {str(key_id): seal(PROBE, context=PROBE_CONTEXT, key_id=key_id) for key_id in settings.LINLI_DATA_KEYS}
    return {"sealed": sealed, "index": blind_index(PROBE, context=PROBE_CONTEXT)}


# ---- restore -------------------------------------------------------------------------------------


def restore(source: Path) -> Outcome:
    source = source.resolve()
    manifest = _manifest(source)
    _check_keys(source, manifest)
    _check_empty_target(manifest)
    folders = _file_folders()
    for name in manifest["files"]:
        if folders[name].exists() and any(folders[name].iterdir()):
            raise BackupError(
                Msg(f"数据文件夹 {folders[name]} 不是空的", f"the data folder {folders[name]} is not empty")
            )
    if manifest["engine"] == "sqlite":
        _restore_sqlite(source / SQLITE_FILE)
    else:
        _restore_postgres(source / PG_FILE)
    for name in manifest["files"]:
        shutil.copytree(source / "files" / name, folders[name], dirs_exist_ok=True)
    counts = _counts()
    expected = manifest["counts"]
    wrong = {
        t: (expected.get(t), counts.get(t)) for t in expected.keys() | counts.keys() if expected.get(t) != counts.get(t)
    }
    if wrong:
        raise BackupError(
            Msg(f"恢复后的行数与备份不符：{wrong}", f"row counts after the restore differ from the backup: {wrong}")
        )
    return Outcome(source, len(counts), sum(counts.values()))


def _manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(
            Msg(f"{source} 不是 Linli 备份（缺少 {MANIFEST}）", f"{source} is not a Linli backup (no {MANIFEST})")
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(Msg("不支持的备份格式", f"unsupported backup format {manifest.get('format')!r}"))
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            Msg(
                f"备份来自 {manifest['engine']}，当前数据库是 {connection.vendor}",
                f"the backup is of {manifest['engine']}, this database is {connection.vendor}",
            )
        )
    return manifest


def _check_keys(source: Path, manifest: dict) -> None:
    """The keys this installation is configured with must be the backup's keys."""
    hint_zh = hint_en = ""
    if (source / KEYS_FILE).exists():
        hint_zh = f"请先把 {source / KEYS_FILE} 中的密钥配置给所有进程（LINLI_DATA_KEYS 等）再恢复"
        hint_en = f"configure every process with the keys in {source / KEYS_FILE} (LINLI_DATA_KEYS …) first"
    else:
        hint_zh = "备份中没有密钥文件 keys.env：请找到与备份分开保管的密钥并配置后再恢复"
        hint_en = "the backup has no keys.env: find the keys kept apart from it and configure them first"
    probe = manifest["probe"]
    for key_id, sealed in probe["sealed"].items():
        try:
            opened = unseal(sealed, context=PROBE_CONTEXT)
        except DecryptionError:
            opened = None
        if opened != PROBE:
            raise BackupError(
                Msg(
                    f"缺少备份的数据密钥 {key_id} 或密钥不符，加密字段将无法解密，未做任何更改。{hint_zh}",
                    f"data key {key_id} of the backup is missing or wrong: its sealed fields would not "
                    f"decrypt; nothing was changed. {hint_en}",
                )
            )
    if blind_index(PROBE, context=PROBE_CONTEXT) != probe["index"]:
        raise BackupError(
            Msg(
                f"索引密钥（LINLI_INDEX_KEY）与备份不同，按身份证号或电话的查找将失效，未做任何更改。{hint_zh}",
                f"the index key (LINLI_INDEX_KEY) differs from the backup's: lookups by ID number or phone "
                f"would find nothing; nothing was changed. {hint_en}",
            )
        )


def _check_empty_target(manifest: dict) -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            Msg(
                f"目标数据库不是空的（已有 {len(tables)} 张表）：请恢复到新建的空数据库",
                f"the target database is not empty ({len(tables)} tables): restore into a new, empty database",
            )
        )


def _restore_sqlite(copy: Path) -> None:
    connection.ensure_connection()
    with sqlite3.connect(copy) as source:
        source.backup(connection.connection)


def _restore_postgres(dump: Path) -> None:
    """One transaction: a failed restore leaves the database empty, as it was."""
    connection.close()
    _run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "-d", "", str(dump)]
    )


def _counts() -> dict[str, int]:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return _sqlite_counts(connection.connection)
    with connection.cursor() as cursor:
        return _postgres_counts(cursor)


def _run(argv: list[str]) -> None:
    """pg_dump / pg_restore with the connection of the `default` database (libpq variables; the
    password never appears on a command line)."""
    db = connection.settings_dict
    env = os.environ | {
        "PGHOST": db["HOST"] or "",
        "PGPORT": str(db["PORT"] or ""),
        "PGUSER": db["USER"] or "",
        "PGPASSWORD": db["PASSWORD"] or "",
        "PGDATABASE": db["NAME"],
    }
    if "-d" in argv:
        argv[argv.index("-d") + 1] = db["NAME"]
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(
            Msg(f"{argv[0]} 失败：{done.stderr.strip()[-500:]}", f"{argv[0]} failed: {done.stderr.strip()[-500:]}")
        )
