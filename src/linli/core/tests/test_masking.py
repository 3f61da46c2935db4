"""Personal numbers (ID numbers, mobiles, landlines) masked in free text, in the log lines of both
formats and in the request log's path and query, and never on /metrics."""

from __future__ import annotations

import json
import logging
import logging.config

import pytest
from django.conf import settings as django_settings

from linli.core import metrics, middleware
from linli.core.logs import JsonFormatter, RedactFilter
from linli.core.masking import mask_personal_numbers

ID_NUMBER = "110101199003070015"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"?q={ID_NUMBER}", "?q=110101********0015"),
        ("身份证11010119900307001X，", "身份证110101********001X，"),
        ("身份证11010119900307001x", "身份证110101********001x"),
        ("旧证110101900307001。", "旧证110101*****7001。"),
        ("电话13812345678", "电话138****5678"),
        ("138 1234 5678", "138******5678"),
        ("+86-13812345678", "+86********5678"),
        ("q=%2B8613812345678", "q=%2B861******5678"),
        ("座机024-87654321", "座机024*****4321"),
        ("(024)87654321", "(02******4321"),
        ("01062345678", "010****5678"),
    ],
)
def test_personal_numbers_are_masked_keeping_the_area_and_the_last_four(text, masked):
    assert mask_personal_numbers(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "GE210102-20261124-00001",  # an event number
        "210102001002",  # an org path
        "2026-11-24T09:00:00+08:00",
        "12345678",  # a local number without its area code cannot be told from a count
        "11234567890",  # 11 digits, but no mobile prefix
        "1101011990030700151",  # 19 digits: not an ID number
        "0190b3c2-7d4e-7000-8000-000000000000",
    ],
)
def test_other_numbers_are_left_alone(text):
    assert mask_personal_numbers(text) == text


def _record(**fields) -> logging.LogRecord:
    base = {"msg": "lookup %s", "args": (ID_NUMBER,), "levelname": "WARNING", "name": "t"}
    return logging.makeLogRecord(base | fields)


def test_json_lines_mask_message_arguments_extras_and_tracebacks():
    try:
        raise ValueError(f"bad id {ID_NUMBER}")
    except ValueError:
        import sys

        record = _record(path=f"/x?phone=13812345678&q={ID_NUMBER}", exc_info=sys.exc_info())
    line = JsonFormatter().format(record)
    assert ID_NUMBER not in line and "13812345678" not in line
    payload = json.loads(line)
    assert payload["message"] == "lookup 110101********0015"
    assert payload["path"] == "/x?phone=138****5678&q=110101********0015"
    assert "bad id 110101********0015" in payload["exception"]


def test_text_lines_mask_extras_and_tracebacks_through_the_filter():
    try:
        raise ValueError(f"bad id {ID_NUMBER}")
    except ValueError:
        import sys

        record = _record(exc_info=sys.exc_info())
    assert RedactFilter().filter(record)
    line = logging.Formatter("%(message)s").format(record)
    assert ID_NUMBER not in line
    assert "lookup 110101********0015" in line and "bad id 110101********0015" in line


@pytest.fixture
def slow_requests(monkeypatch):
    """Every request takes 2 s on the middleware's clock, so each one is logged."""
    ticks = iter(range(0, 10_000, 2))
    monkeypatch.setattr(middleware.time, "perf_counter", lambda: float(next(ticks)))


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_the_request_log_masks_numbers_in_the_query(client, db, capfd, slow_requests, log_format):
    config = {**django_settings.LOGGING}
    config["handlers"] = {"console": {**config["handlers"]["console"], "formatter": log_format}}
    logging.config.dictConfig(config)
    try:
        client.get(f"/healthz?q={ID_NUMBER}&phone=13812345678")
        err = capfd.readouterr().err
    finally:
        logging.config.dictConfig(django_settings.LOGGING)
    assert "slow or failed request" in err
    assert ID_NUMBER not in err and "13812345678" not in err
    if log_format == "json":
        line = json.loads(next(x for x in err.splitlines() if "slow or failed request" in x))
        assert line["path"] == "/healthz?q=110101********0015&phone=138****5678"


def test_metric_labels_never_carry_a_number_of_a_person(client, db):
    metrics.observe_request("GET", f"fallback/{ID_NUMBER}", 404, 0.01)
    text = client.get("/metrics").content.decode()
    assert ID_NUMBER not in text
    assert 'route="fallback/110101********0015"' in text
