import base64

import pytest

from linli.config import env
from linli.config.settings import database_from_url


@pytest.fixture
def fresh(monkeypatch):
    env.load.cache_clear()
    yield monkeypatch
    env.load.cache_clear()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LINLI_DATA_KEYS", "garbage"),
        ("LINLI_DATA_KEYS", "1:" + base64.b64encode(b"short").decode()),
        ("LINLI_DATABASE_URL", "mysql://x/y"),
        ("LINLI_SECRET_KEY", "too-short"),
        ("LINLI_DEBUG", "perhaps"),
        ("LINLI_TASK_BACKEND", "celery"),
        ("LINLI_REDIS_URL", "http://x"),
        ("LINLI_WELFARE_DESK_ITEMS", "SQ001"),
        ("LINLI_WELFARE_DESK_ITEMS", "SQ001:dibaoo"),
    ],
)
def test_bad_values_fail_loudly_naming_the_variable(fresh, name, value):
    fresh.setenv(name, value)
    with pytest.raises(env.ConfigurationError) as caught:
        env.load()
    assert name in str(caught.value)


def test_key_id_must_be_in_the_keyring(fresh):
    fresh.setenv("LINLI_DATA_KEY_ID", "9")
    with pytest.raises(env.ConfigurationError, match="LINLI_DATA_KEY_ID"):
        env.load()


def test_database_urls(tmp_path):
    assert database_from_url("", tmp_path)["NAME"] == tmp_path / "linli.sqlite3"
    pg = database_from_url("postgres://linli:p%40ss@db.internal:6432/linli", tmp_path)
    assert (pg["ENGINE"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "django.db.backends.postgresql",
        "linli",
        "p@ss",
        "db.internal",
        "6432",
        "linli",
    )
    assert str(database_from_url("sqlite:////srv/linli/db.sqlite3", tmp_path)["NAME"]) == "/srv/linli/db.sqlite3"
