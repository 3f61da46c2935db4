"""The database going away (a PostgreSQL restart): /healthz says 503 with a short reason, and a
request that hits the database then gets 503 "service temporarily unavailable" in Chinese and
English — no 500, no stack trace. Simulated by making every new connection fail the way a
refused connection does."""

import sqlite3

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client

from linli.core.outage import database_unavailable


@pytest.fixture
def database_down(monkeypatch, db):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    monkeypatch.setattr(connection, "_cursor", refuse)
    yield
    monkeypatch.undo()


def test_healthz_answers_503_with_the_failing_part_and_no_traceback(database_down):
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["checks"]["database"]) == ("error", "error: OperationalError")
    assert "Traceback" not in response.content.decode() and "5432" not in response.content.decode()


@pytest.fixture
def logged_in(db):
    from django.contrib.auth import get_user_model

    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.create_user(username="outage-reader", password="x" * 12))
    return client


def test_an_api_request_answers_503_in_both_languages(logged_in, database_down):
    response = logged_in.get("/api/v1/me", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    error = response.json()["error"]
    assert error["code"] == "service_unavailable"
    assert error["message"].startswith("服务暂时不可用") or error["message"].startswith("Service temporarily")


def test_an_api_view_that_meets_the_outage_answers_503_not_the_api_500(database_down):
    """Here the failure happens inside the API (its token check), whose own handler of unexpected
    errors answered 500 before; the drill (`bench pg-restart`) caught it."""
    response = Client(raise_request_exception=False).get("/api/v1/me", headers={"Authorization": "Bearer abc"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"


def test_a_page_answers_503_without_touching_the_database(logged_in, database_down):
    response = logged_in.get("/staff/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "服务暂时不可用" in page and "Service temporarily unavailable" in page
    assert "Traceback" not in page and "OperationalError" not in page


def test_the_app_recovers_by_itself_when_the_database_is_back(database_down, monkeypatch):
    assert Client().get("/healthz").status_code == 503
    monkeypatch.undo()
    assert Client().get("/healthz").status_code == 200


def test_only_connection_failures_count_as_an_outage():
    from django.db import IntegrityError, ProgrammingError

    assert database_unavailable(OperationalError("server closed the connection unexpectedly"))
    assert not database_unavailable(ProgrammingError("syntax error"))
    assert not database_unavailable(IntegrityError("duplicate key"))
    assert not database_unavailable(ValueError("a bug"))
    assert database_unavailable(_wrapped(sqlite3.OperationalError("database is locked")))
    assert not database_unavailable(_wrapped(sqlite3.OperationalError("no such column: x")))


def _wrapped(cause: Exception) -> OperationalError:
    """As Django's wrap_database_errors raises it: its own class, the driver's error as the cause."""
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


def test_another_error_still_answers_the_500_page(rf, db):
    from django.urls import get_resolver

    handler500 = get_resolver().resolve_error_handler(500)
    request = rf.get("/api/v1/me")
    try:
        raise ZeroDivisionError
    except ZeroDivisionError:
        assert handler500(request).status_code == 500
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        assert handler500(request).status_code == 503


def test_open311_answers_503_in_its_own_error_format_not_a_general_error(database_down):
    response = Client(raise_request_exception=False).get("/open311/v2/requests.json")
    assert response.status_code == 503 and response["Retry-After"]
    [error] = response.json()
    assert int(error["code"]) == 503 and "数据库" in error["description"] and "database" in error["description"]
    assert "General service error" not in error["description"]
