"""`.env.example` documents every setting, and the settings fail loudly and pass `check --deploy`.

The configuration is read once per process, so each case runs `django check` in a subprocess
with a clean environment.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from linli.config.env import LinliSettings

ENV_EXAMPLE = Path(__file__).resolve().parents[4] / ".env.example"
ASSIGNMENT = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")


def example_values() -> dict[str, str]:
    values: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = ASSIGNMENT.match(line.strip())
        if match:
            assert match[1] not in values, f"{match[1]} is set twice in .env.example"
            values[match[1]] = match[2]
    return values


def random_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def production_secrets() -> dict[str, str]:
    return {
        "LINLI_SECRET_KEY": secrets.token_urlsafe(50),
        "LINLI_DATA_KEYS": f"1:{random_key()}",
        "LINLI_INDEX_KEY": random_key(),
    }


def run_check(tmp_path: Path, variables: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`django check` with only `variables` as configuration, in an empty working directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINLI_") and k != "DJANGO_SETTINGS_MODULE"}
    env |= {"DJANGO_SETTINGS_MODULE": "linli.config.settings", "LINLI_DATA_DIR": str(tmp_path / "var")}
    env |= variables
    return subprocess.run(
        [sys.executable, "-m", "django", "check", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_env_example_lists_exactly_the_settings():
    expected = {"LINLI_" + name.upper() for name in LinliSettings.model_fields}
    assert set(example_values()) == expected


def test_env_example_comments_every_setting():
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if ASSIGNMENT.match(line):
            assert number > 0 and lines[number - 1].startswith("#"), f"{line.split('=')[0]} has no comment"


def test_env_example_refuses_to_start_until_the_secrets_are_set(tmp_path):
    result = run_check(tmp_path, example_values())
    assert result.returncode != 0
    for name in ("LINLI_SECRET_KEY", "LINLI_DATA_KEYS", "LINLI_INDEX_KEY"):
        assert name in result.stderr


def test_production_configuration_passes_check_deploy(tmp_path):
    variables = {
        "LINLI_SECURE_HTTPS": "true",
        "LINLI_DEBUG": "false",
        # check does not connect to PostgreSQL, so no server is needed here.
        "LINLI_DATABASE_URL": "postgres://u@127.0.0.1:5432/x",
        "LINLI_ALLOWED_HOSTS": "linli.example.gov.cn",
        **production_secrets(),
    }
    result = run_check(tmp_path, variables, "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "no issues" in result.stdout


def test_env_example_with_secrets_filled_in_passes_check_deploy(tmp_path):
    variables = example_values() | production_secrets()
    variables["LINLI_DATA_DIR"] = str(tmp_path / "var")
    result = run_check(tmp_path, variables, "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output


def test_development_defaults_fail_check_deploy(tmp_path):
    (tmp_path / "var").mkdir()
    result = run_check(tmp_path, {}, "--deploy")
    assert result.returncode != 0
    for code in ("linli.E001", "linli.E002", "linli.E003", "linli.E004"):
        assert code in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LINLI_DATA_KEYS", "garbage"),
        ("LINLI_DATA_KEYS", "1:c2hvcnQ="),
        ("LINLI_DATA_KEY_ID", "7"),
        ("LINLI_INDEX_KEY", "not base64!"),
        ("LINLI_DATABASE_URL", "mysql://x"),
        ("LINLI_REDIS_URL", "http://x"),
        ("LINLI_SECRET_KEY", "short"),
        ("LINLI_TASK_BACKEND", "celery"),
        ("LINLI_TOKEN_TTL_HOURS", "0"),
        ("LINLI_DEBUG", "maybe"),
    ],
)
def test_bad_value_fails_loudly_with_the_variable_name(tmp_path, name, value):
    result = run_check(tmp_path, {name: value})
    assert result.returncode != 0
    assert name in result.stderr
    assert "Traceback" not in result.stderr
