"""Schemathesis over /api/v1/openapi.json (issue 13): every operation, a bounded and reproducible
number of generated requests, each sent with a city admin's, a community worker's and a resident's
bearer token to the Django WSGI app in-process (no server). An answer must not be a 5xx, its
status must be declared for that operation, and its body and content type must match the schema.

The city is small but real (the shared tree and accounts, the catalogue, two residents with
households, a desk case, a grid event and a facility), and every operation whose path names one
of those objects is sent a second time with the real key in the path, so the fuzzed query and body
reach real rows and not only 404s.

Run it with `uv run pytest -m fuzz tests/api` (docs/api-fuzzing.md). Not in the default run: it
takes a few minutes, and CI runs it as its own step.
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

pytestmark = pytest.mark.fuzz

# Bounded for CI (docs/api-fuzzing.md has the figures); raise it locally for a deeper run.
MAX_EXAMPLES = int(os.environ.get("LINLI_FUZZ_EXAMPLES", "25"))
ROLES = ("city_admin", "community_worker", "resident")

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

# What every answer must satisfy, whoever asked and whatever was sent.
CONFORMANCE = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
# Whether a request the schema forbids is refused, and whether the answer to a request without
# the token is a 401: only meaningful for the request exactly as generated (the real-key replay
# changes the path after generation). `positive_data_acceptance` is left out on purpose: a request
# the schema allows may still break a rule of the domain (an unknown item code, an ID number whose
# check digit is wrong, a position outside the city) and is rightly answered 422 naming the field.
GENERATED = [*CONFORMANCE, checks.negative_data_rejection, checks.ignored_auth]


def _real_keys(city) -> dict[tuple[str, str], str]:
    """(path template, parameter) → the key of a real object of the small city."""
    v1 = "/api/v1"
    return {
        (f"{v1}/auth/tokens/{{token_id}}", "token_id"): city["spare_token"],
        (f"{v1}/org-units/{{code}}", "code"): "210102001002",
        (f"{v1}/org-units/{{code}}/children", "code"): "210102001000",
        (f"{v1}/residents/{{public_id}}", "public_id"): city["resident"],
        (f"{v1}/residents/{{public_id}}/reveal", "public_id"): city["resident"],
        (f"{v1}/residents/{{public_id}}/move", "public_id"): city["resident"],
        (f"{v1}/residents/households/{{public_id}}", "public_id"): city["household"],
        (f"{v1}/residents/households/{{public_id}}/members", "public_id"): city["household"],
        (f"{v1}/residents/households/{{public_id}}/visits", "public_id"): city["household"],
        (f"{v1}/desk/items/{{code}}", "code"): "SQ001",
        (f"{v1}/desk/items/{{code}}/versions", "code"): "SQ001",
        (f"{v1}/desk/cases/{{key}}", "key"): city["case"],
        (f"{v1}/desk/cases/{{key}}/actions/{{action}}", "key"): city["case"],
        (f"{v1}/desk/cases/{{key}}/materials", "key"): city["case"],
        (f"{v1}/desk/cases/{{key}}/materials/{{material_id}}", "key"): city["case"],
        (f"{v1}/desk/cases/{{key}}/handoffs", "key"): city["case"],
        (f"{v1}/desk/cases/{{key}}/export.{{kind}}", "key"): city["case"],
        (f"{v1}/desk/calendar/{{year}}", "year"): "2026",
        (f"{v1}/desk/figures/{{code}}", "code"): "210102",
        (f"{v1}/grid/categories/{{code}}", "code"): "C0102",
        (f"{v1}/grid/categories/{{code}}/routes/{{district}}", "code"): "C0102",
        (f"{v1}/grid/events/{{key}}", "key"): city["event"],
        (f"{v1}/grid/events/{{key}}/actions/{{action}}", "key"): city["event"],
        (f"{v1}/grid/events/{{key}}/photos/{{photo_id}}", "key"): city["event"],
        (f"{v1}/grid/events/{{key}}/supervisions", "key"): city["event"],
        (f"{v1}/facilities/facilities/{{public_id}}", "public_id"): city["facility"],
    }


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker, tmp_path_factory):
    """The small city, built once for the module inside a transaction that is rolled back at the
    end; each test (one operation) runs in a savepoint within it, so its writes are undone too."""
    folder = tmp_path_factory.mktemp("fuzz")
    # Schemathesis calls the plain WSGI handler, whose request signals close the connection after
    # each request when it is not in autocommit, as inside these transactions: Django's test
    # client disconnects them for its requests, and so does this module (on PostgreSQL the next
    # request would find the connection closed; SQLite keeps an in-memory database open).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # no trained router (events are routed by hand), and files under a temporary folder
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(LINLI_ROUTER_DIR=folder / "router", DATA_DIR=folder),
            transaction.atomic(),
        ):
            yield _build_city()
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _build_city() -> dict:
    from linli.accounts.domain import FACILITY_EDIT
    from linli.accounts.selectors import actor_for_user
    from linli.accounts.services import token_issue
    from linli.areas.models import Building, OrgUnit
    from linli.core.actor import Actor
    from linli.core.memo import forget_all
    from linli.facilities.services import FacilityInput, facility_save
    from linli.grid_events.services import ReportInput, event_report
    from linli.grid_events.tests.conftest import POSITIONS, SHUIYUANDI
    from linli.residents.services import applicant_lookup
    from linli.service_desk.management.commands.import_catalogue import SHIPPED
    from linli.service_desk.services import catalogue_import
    from linli.service_desk.tests.conftest import CATALOGUE_ADMIN, ZHANG_ID, _resident
    from linli.service_desk.tests.test_cases import window_intake
    from linli.testing import small_people, small_tree

    cache.clear()  # log-in throttles and memoised rows of an earlier test
    people = small_people(small_tree())
    for path, (lat, lng) in POSITIONS.items():
        OrgUnit.objects.filter(path=path).update(lat=lat, lng=lng)
    Building.objects.filter(grid__community__path="210102001002").update(lat=SHUIYUANDI[0], lng=SHUIYUANDI[1])
    forget_all()
    catalogue_import(actor=CATALOGUE_ADMIN, text=SHIPPED.read_text(encoding="utf-8"))
    zhang = _resident("210102001002001001", "1-101", "张建国", ZHANG_ID, date(1948, 3, 4), "male", people["resident"])
    worker = actor_for_user(people["community_worker"])
    case = window_intake(worker, applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理").public_id)
    event = event_report(
        actor=actor_for_user(people["grid_worker"]),
        data=ReportInput(
            description="路口井盖缺失，行人容易踩空", lat=SHUIYUANDI[0], lng=SHUIYUANDI[1], category_code="C0102"
        ),
    )
    facility = facility_save(
        actor=Actor.system("fuzz", permissions=frozenset({FACILITY_EDIT}), root_path="2101"),
        data=FacilityInput(
            kind="community_service_centre",
            name="水源地社区服务站",
            unit="210102001002",
            lat=SHUIYUANDI[0],
            lng=SHUIYUANDI[1],
            floor_area_m2=Decimal("650"),
        ),
    )
    tokens = {role: token_issue(user=people[role], client_address="127.0.0.1")[1] for role in ROLES}
    spare, _ = token_issue(user=people["city_admin"], client_address="127.0.0.1", name="spare")
    return {
        "tokens": tokens,
        "spare_token": str(spare.public_id),
        "resident": str(zhang.public_id),
        "household": str(zhang.household.public_id),
        "case": case.number,
        "event": event.number,
        "facility": str(facility.public_id),
    }


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,  # the same cases on every run: a failure in CI reproduces locally
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_says(case, city, db, fuzz_stats):
    stats, operations = fuzz_stats
    operations.add(case.operation.label)
    stats["cases"] += 1
    real = {
        name: value
        for (template, name), value in _real_keys(city).items()
        if template == case.operation.path and name in (case.path_parameters or {})
    }
    # One role per case, in turn: each sees a third of the cases, and the run stays in CI's budget.
    role = ROLES[stats["cases"] % len(ROLES)]
    headers = {"Authorization": f"Bearer {city['tokens'][role]}"}
    _count(stats, case, case.call_and_validate(headers=headers, checks=GENERATED))
    if real:
        replay = case.operation.Case(
            path_parameters={**case.path_parameters, **real},
            query=case.query,
            headers=case.headers,
            body=case.body,
            media_type=case.media_type,
        )
        _count(stats, replay, replay.call_and_validate(headers=headers, checks=CONFORMANCE))
        stats["replays"] += 1


def _count(stats, case, response) -> None:
    stats["requests"] += 1
    stats[f"status {response.status_code}"] += 1
    if os.environ.get("LINLI_FUZZ_TRACE"):
        stats[f"trace {case.operation.label} {response.status_code}"] += 1


def test_each_role_is_logged_in_by_its_token(city, db, client):
    """The fuzzing is worth something only if the tokens work: each one is its role, and the city
    admin's carries a permission that needs a second factor at log-in (the token was issued
    without the log-in, as a test may)."""
    for role in ROLES:
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {city['tokens'][role]}"})
        assert me.status_code == 200 and me.json()["roles"] == [role]
        assert ("desk.catalogue_edit" in me.json()["permissions"]) == (role == "city_admin")
