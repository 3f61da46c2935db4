import json
import logging

from linli.core.logs import JsonFormatter, redact


def test_healthz_reports_each_dependency(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {body["checks"][k] for k in ("database", "cache", "tasks")} == {"ok"}


def test_metrics_count_requests_for_the_private_network(client, db):
    client.get("/healthz")
    text = client.get("/metrics").content.decode()
    assert 'linli_http_requests_total{method="GET",route="healthz",status="200"}' in text
    assert "linli_http_request_duration_seconds_bucket" in text


def test_metrics_refused_to_the_public_without_operator_rights(client, db):
    response = client.get("/metrics", REMOTE_ADDR="8.8.8.8")
    assert response.status_code == 403


def test_logs_are_json_and_never_carry_id_or_phone_numbers():
    record = logging.makeLogRecord(
        {"msg": "lookup %s by %s", "args": ("210102199001011234", "13812345678"), "levelname": "INFO", "name": "t"}
    )
    line = json.loads(JsonFormatter().format(record))
    assert "210102199001011234" not in line["message"] and "13812345678" not in line["message"]
    assert redact("call 13812345678 now") == "call 138****5678 now"


def test_forwarded_address_is_ignored_unless_a_proxy_is_trusted(client, db, settings):
    forged = {"REMOTE_ADDR": "8.8.8.8", "HTTP_X_FORWARDED_FOR": "127.0.0.1"}
    assert client.get("/metrics", **forged).status_code == 403
    settings.LINLI_TRUST_X_FORWARDED_FOR = True
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="8.8.8.8").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="8.8.8.8, 10.0.0.7").status_code == 200


def test_labelled_job_gauges_have_one_valid_type_line(client, db):
    from django.core.management import call_command

    call_command("tick", verbosity=0)
    text = client.get("/metrics").content.decode()
    assert text.count("# TYPE linli_job_last_run_age_seconds gauge") == 1
    assert 'linli_job_last_run_age_seconds{job="tokens_prune"}' in text
    assert not any(line.startswith("# TYPE") and "{" in line for line in text.splitlines())
