"""Shared by the `linli` commands."""

from pathlib import Path

from django.core.management.base import CommandError


def read_utf8(path: Path) -> str:
    """A text file the command was given, or a bilingual reason why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"文件不存在 (file not found): {path}") from None
    except UnicodeDecodeError as exc:
        raise CommandError(f"文件不是 UTF-8 编码 (file is not UTF-8): {path}, byte {exc.start}") from None
