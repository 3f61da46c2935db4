"""The `linli` command: Django's manage.py under our own name.

Commands are spelled with hyphens on the command line (``linli import-divisions``) and live in
modules with underscores (``import_divisions.py``); both spellings work.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.config.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)
