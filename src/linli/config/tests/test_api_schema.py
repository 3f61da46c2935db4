"""The published OpenAPI schema tells the truth about errors (issue 13): every operation declares
the error answers the shared handlers can give it, no two API schemas share a component name
(one would silently replace the other in /api/v1/openapi.json), and a date is only YYYY-MM-DD."""

import inspect
import re
import sys
from collections import defaultdict

import pytest
from ninja import Schema

from linli.config.api import api
from linli.core.apitools import IsoDate

API = "/api/v1"


@pytest.fixture(scope="module")
def schema():
    return api.get_openapi_schema()


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_declares_the_shared_error_answers(schema):
    missing = []
    for label, operation in _operations(schema):
        declared = {int(status) for status in operation["responses"]}
        needed = set()
        if operation.get("parameters") or operation.get("requestBody"):
            needed.add(422)
        if operation.get("security"):
            needed |= {401, 403}
        if any(p["in"] == "path" for p in operation.get("parameters", [])):
            needed.add(404)
        missing += [f"{label} {status}" for status in sorted(needed - declared)]
    assert missing == []
    token = schema["paths"][f"{API}/auth/token"]["post"]["responses"]
    assert token[422]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}


def test_an_answer_an_operation_declares_itself_is_kept(schema):
    # the log-in declares its own 401 (bad credentials), not the shared "not authenticated" one
    assert schema["paths"][f"{API}/auth/token"]["post"]["responses"][401]["description"] != (
        "Not authenticated: no session, or a missing, expired or revoked bearer token"
    )


def test_no_two_api_schemas_share_a_component_name():
    # Ninja names a component after its class: a second `EventOut` replaced the desk's timeline
    # entries with the grid's events in the schema (schemathesis found the mismatch).
    owners = defaultdict(set)
    for module_name, module in list(sys.modules.items()):
        if re.fullmatch(r"linli\.\w+\.(api|audit_api)(\.\w+)?", module_name):
            for name, value in vars(module).items():
                if inspect.isclass(value) and issubclass(value, Schema) and value.__module__ == module_name:
                    owners[name].add(module_name)
    assert len(owners) > 50  # every router's module was looked at
    assert {name: sorted(m) for name, m in owners.items() if len(m) > 1} == {}


@pytest.mark.parametrize("value", ["0", "1700000000", "2026-1-1", "20261207"])
def test_a_date_in_a_query_is_iso_only(client, people, value):
    client.force_login(people["city_admin"])
    response = client.get(f"{API}/grid/rates/departments", {"since": value})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "since"
    assert client.get(f"{API}/grid/rates/departments", {"since": "2026-11-01"}).status_code == 200


def test_iso_date_type_reads_the_text_and_the_date():
    from datetime import date

    from pydantic import TypeAdapter, ValidationError

    adapter = TypeAdapter(IsoDate)
    assert adapter.validate_python("2026-12-07") == date(2026, 12, 7)
    assert adapter.validate_python(date(2026, 12, 7)) == date(2026, 12, 7)
    with pytest.raises(ValidationError):
        adapter.validate_python(0)


def test_a_body_that_is_not_json_is_a_422_naming_the_body(client, db):
    response = client.post(f"{API}/auth/token", b"`\xff\x19{", content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [{"field": "body", "message": "JSON 格式错误"}]
