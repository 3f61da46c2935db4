"""`linli demo --no-serve`: the real division tree, a synthetic population, one account per role,
idempotent on a second run; each demo account sees only its own part of the city."""

import json

import pytest
from django.core.management import call_command

from linli.accounts.domain import Role
from linli.areas.selectors import org_unit_list
from linli.consultation.demo_village import VILLAGE_TOP_UP
from linli.core.actor import Actor


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("demo", no_serve=True, residents=120, verbosity=0)
    return json.loads((tmp_path / "demo-accounts.json").read_text())


def _counts():
    from linli.areas.models import Building, Grid, OrgUnit
    from linli.residents.selectors import resident_total
    from linli.testing import SYSTEM

    return OrgUnit.objects.count(), Grid.objects.count(), Building.objects.count(), resident_total(actor=SYSTEM)


def check_idempotent(demo, settings, capsys):
    units, grids, buildings, residents = _counts()
    # the village procedure's demo gives its village a roll when the pool has too few there
    assert (units, residents) == (2907, 120 + VILLAGE_TOP_UP)
    assert grids > 2703 and buildings > grids
    call_command("demo", no_serve=True, residents=120)
    assert _counts() == (units, grids, buildings, residents)
    assert json.loads((settings.DATA_DIR / "demo-accounts.json").read_text()) == demo
    printed = capsys.readouterr().out
    assert all(f"demo_{role}" in printed and demo[f"demo_{role}"] in printed for role in Role)


EXPECTED_TOP = {
    Role.RESIDENT: [],
    Role.GRID_WORKER: [],
    Role.COMMUNITY_WORKER: ["水源地社区"],
    Role.STREET_OFFICER: ["浑河湾街道"],
    Role.DEPARTMENT_OFFICER: ["和平区"],
    Role.DISTRICT_ADMIN: ["和平区"],
    Role.CITY_ADMIN: ["沈阳市"],
    Role.AUDITOR: ["沈阳市"],
    Role.OPERATOR: ["沈阳市"],
    Role.PLANNER: ["沈阳市"],
    Role.CIVIL_AFFAIRS_OFFICER: ["和平区"],
    Role.ORGANISER: ["水源地社区"],  # posted where its organisation is based
    Role.CARE_PROVIDER: ["浑河湾街道"],  # posted where its provider is based
    Role.CARER: ["浑河湾街道"],
    Role.MEDIATOR: ["水源地社区"],  # the showcase community's committee mediator
    Role.JUDICIAL_OFFICER: ["浑河湾街道"],  # the street's judicial office
    Role.POLICE_OFFICER: ["和平区"],  # a police department posting; `mediation` narrows it to the beat
    Role.REASONER: [],  # a resident role: no data scope
}


def test_each_demo_account_sees_only_its_part_of_the_city(client, demo, settings, capsys):
    # one demo build for every check: building the city is the slow part
    check_idempotent(demo, settings, capsys)
    for role in Role:
        response = client.post(
            "/api/v1/auth/token",
            {"username": f"demo_{role}", "password": demo[f"demo_{role}"]},
            content_type="application/json",
        )
        assert response.status_code == 201, role
        auth = {"Authorization": f"Bearer {response.json()['token']}"}
        top = client.get("/api/v1/org-units", headers=auth).json()["items"]
        assert [u["name"] for u in top] == EXPECTED_TOP[role], role
        me = client.get("/api/v1/me", headers=auth).json()
        assert me["roles"] == [role]
        visible = org_unit_list(actor=Actor(user_id=1, scope_paths=tuple(me["scope_paths"])))
        assert all(unit.path.startswith(tuple(me["scope_paths"])) for unit in visible)
    check_facilities(client, demo)


def check_facilities(client, demo):
    """The demo's synthetic streets, registry and finished city run, read as the planner."""
    token = client.post(
        "/api/v1/auth/token",
        {"username": "demo_planner", "password": demo["demo_planner"]},
        content_type="application/json",
    ).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    network = client.get("/api/v1/facilities/networks", headers=auth).json()[0]
    assert network["source"] == "synthetic" and network["nodes"] > 10_000
    assert client.get("/api/v1/facilities/facilities?limit=1", headers=auth).json()["count"] > 5_000
    runs = client.get("/api/v1/facilities/runs", headers=auth).json()["items"]
    assert [(r["status"], r["area"]) for r in runs] == [("done", "2101")]
    figures = client.get(f"/api/v1/facilities/runs/{runs[0]['id']}", headers=auth).json()["figures"]
    assert figures["residents"] == 120
    assert 0 < figures["coverage"]["convenience_store"]["covered_at_circle"] <= 120
    assert figures["siting"]["kind"] == "home_care_station" and figures["siting"]["method"] in ("milp", "none")
    assert len(figures["compliance"]) == 2703
