"""The registry: validation (every bad field named), GCJ-02 at input, the nearest community,
updates, spreadsheet import (good rows saved, bad rows listed), export, and who sees what."""

from decimal import Decimal

import pytest

from linli.core.errors import DomainError
from linli.core.geo import gcj02_to_wgs84
from linli.core.models import AuditEntry
from linli.facilities.domain import REGISTRY_COLUMNS, hours_per_day
from linli.facilities.exports import registry_xlsx, template_xlsx
from linli.facilities.imports import facilities_import
from linli.facilities.selectors import facility_get, facility_list
from linli.facilities.services import FacilityInput, facility_save
from linli.facilities.tests.conftest import LAT, LNG

GOOD = {
    "kind": "kindergarten",
    "name": "水源地幼儿园",
    "unit": "210102001002",
    "lat": LAT,
    "lng": LNG,
    "floor_area_m2": "1800",
    "opening_hours": "07:30-17:30",
    "capacity": "180",
}


def _save(actor, **changes):
    return facility_save(actor=actor, data=FacilityInput(**{**GOOD, **changes}))


def _fields(caught) -> list[str]:
    return [f.field for f in caught.value.fields]


def test_a_facility_is_saved_with_its_hours_and_audited(town):
    saved = _save(town["actors"]["planner"])
    assert (saved.path, saved.floor_area_m2, saved.hours_per_day, saved.capacity) == (
        "210102001002",
        Decimal("1800.00"),
        10.0,
        180,
    )
    assert AuditEntry.objects.filter(action="facility.create", object_id=str(saved.public_id)).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"floor_area_m2": "-5"}, "floor_area_m2"),
        ({"floor_area_m2": ""}, "floor_area_m2"),
        ({"floor_area_m2": "0"}, "floor_area_m2"),
        ({"floor_area_m2": "lots"}, "floor_area_m2"),
        ({"lat": 39.9, "lng": 116.4}, "lat"),  # Beijing: outside the city
        ({"lat": "", "lng": ""}, "lat"),
        ({"kind": "spaceport"}, "kind"),
        ({"name": " "}, "name"),
        ({"unit": "999999999999"}, "unit"),
        ({"opening_hours": "mornings"}, "opening_hours"),
        ({"capacity": "-3"}, "capacity"),
        ({"status": "demolished"}, "status"),
        ({"coordinates": "bd09"}, "coordinates"),
    ],
)
def test_bad_input_is_refused_and_names_the_field(town, changes, field):
    before = facility_list(actor=town["actors"]["planner"]).count()
    with pytest.raises(DomainError) as caught:
        _save(town["actors"]["planner"], **changes)
    assert field in _fields(caught)
    assert all(f.message.zh and f.message.en for f in caught.value.fields)
    assert facility_list(actor=town["actors"]["planner"]).count() == before


def test_every_problem_of_a_row_is_named_at_once(town):
    with pytest.raises(DomainError) as caught:
        _save(town["actors"]["planner"], floor_area_m2="-1", kind="nope", name="")
    assert set(_fields(caught)) == {"floor_area_m2", "kind", "name"}


def test_gcj02_positions_are_stored_as_wgs84(town):
    saved = _save(town["actors"]["planner"], lat=41.752, lng=123.412, coordinates="gcj02")
    expected = gcj02_to_wgs84(41.752, 123.412)
    assert (saved.lat, saved.lng) == (round(expected[0], 7), round(expected[1], 7))
    assert abs(saved.lng - 123.412) > 0.004  # a few hundred metres: the shift is real


def test_without_a_unit_the_nearest_community_holds_it(town):
    saved = _save(town["actors"]["planner"], unit="", lat=LAT, lng=LNG + 0.0001)
    assert saved.path == "210102001002"  # 水源地社区's buildings stand there (its centre is unknown)


def test_a_division_code_names_a_street_or_district(town):
    assert _save(town["actors"]["planner"], unit="210102001000").path == "210102001"
    assert _save(town["actors"]["planner"], unit="210102000000").path == "210102"


def test_scope_decides_where_one_may_register_and_what_one_sees(town):
    actors = town["actors"]
    with pytest.raises(DomainError) as caught:
        _save(actors["district_planner"], unit="210103001001")  # 沈河区, not theirs
    assert _fields(caught) == ["unit"]
    for name in ("street_officer", "community_worker", "resident", "anonymous", "auditor"):
        with pytest.raises(DomainError) as caught:
            _save(actors[name])
        assert caught.value.status == 403
    seen = {
        name: sorted(f.path for f in facility_list(actor=actors[name]))
        for name in (
            "planner",
            "district_planner",
            "street_officer",
            "other_district_admin",
            "community_worker",
            "resident",
            "anonymous",
            "department_officer",
        )
    }
    assert len(seen["planner"]) == 6
    assert seen["district_planner"] == ["210102001", "210102001002", "210102001002", "210102001003"]
    assert seen["street_officer"] == seen["district_planner"]  # the street holds all of 和平's facilities here
    assert seen["other_district_admin"] == ["210103001001", "210103001201"]
    assert seen["community_worker"] == seen["resident"] == seen["anonymous"] == seen["department_officer"] == []


def test_a_facility_outside_the_scope_is_not_found(town):
    binhe = town["facilities"]["centre_binhe"]
    with pytest.raises(DomainError) as caught:
        facility_get(actor=town["actors"]["street_officer"], public_id=binhe.public_id)
    assert caught.value.status == 404
    with pytest.raises(DomainError) as caught:
        facility_save(actor=town["actors"]["district_planner"], data=FacilityInput(**GOOD), public_id=binhe.public_id)
    assert caught.value.status == 404


def test_an_update_replaces_the_fields(town):
    health = town["facilities"]["health"]
    updated = facility_save(
        actor=town["actors"]["planner"], data=FacilityInput(**{**GOOD, "name": "改名"}), public_id=health.public_id
    )
    assert (updated.pk, updated.name, updated.kind.code) == (health.pk, "改名", "kindergarten")


def test_hours_are_read_in_the_usual_ways():
    assert hours_per_day("08:30-11:30,13:30-17:30") == 7.0
    assert hours_per_day("08:30-12:00，13:00-17:30") == 8.0
    assert hours_per_day("8:00～20:00") == 12.0
    assert hours_per_day("22:00-06:00") == 8.0
    assert hours_per_day("24小时") == hours_per_day("全天") == 24.0
    assert hours_per_day("") is None


def _xlsx(rows: list[list]) -> bytes:
    from linli.core.sheets import Sheet, workbook

    return workbook([Sheet("设施", [zh for _k, zh, _en in REGISTRY_COLUMNS], rows)])


def _row(**values) -> list:
    return [values.get(key, "") for key, _zh, _en in REGISTRY_COLUMNS]


def test_an_import_saves_the_good_rows_and_lists_every_bad_one(town):
    planner = town["actors"]["planner"]
    before = facility_list(actor=planner).count()
    data = _xlsx(
        [
            _row(
                kind="幼儿园", name="甲幼儿园", unit="210102001003", lat=LAT, lng=LNG, floor_area_m2=1500, status="在用"
            ),
            _row(kind="market", name="乙菜市场", unit="210102002001", lat=LAT, lng=LNG, floor_area_m2=-2),
            _row(kind="警务室", name="丙警务室", unit="210102001002", lat=30.0, lng=LNG, floor_area_m2=40),
            _row(
                kind="health_station",
                name="丁卫生站",
                unit="210102001002",
                lat=LAT,
                lng=LNG,
                floor_area_m2=150,
                coordinates="GCJ-02",
            ),
        ]
    )
    result = facilities_import(actor=planner, data=data)
    assert (result.created, result.updated, result.rejected_lines) == (2, 0, 2)
    assert [(p.line, p.column) for p in result.problems] == [(3, "建筑面积（平方米）"), (4, "纬度")]
    assert facility_list(actor=planner).count() == before + 2
    assert facility_list(actor=planner, q="丁卫生站").get().lat != LAT  # converted from GCJ-02


def test_an_exported_registry_imports_back_as_updates(town):
    planner = town["actors"]["planner"]
    exported = registry_xlsx(actor=planner)
    result = facilities_import(actor=planner, data=exported)
    assert (result.created, result.updated, result.problems) == (0, 6, [])


def test_an_import_with_a_foreign_id_or_a_bad_file_is_refused(town):
    planner = town["actors"]["planner"]
    result = facilities_import(
        actor=planner, data=_xlsx([_row(id="not-a-uuid", kind="幼儿园", name="x", lat=LAT, lng=LNG, floor_area_m2=9)])
    )
    assert [(p.line, p.column) for p in result.problems] == [(2, "设施编号")]
    with pytest.raises(DomainError) as caught:
        facilities_import(actor=planner, data=b"\x89PNG\r\n\x1a\n\x00\x00")
    assert caught.value.code == "bad_file"
    with pytest.raises(DomainError) as caught:
        facilities_import(actor=planner, data="名称,纬度\n甲,41.7\n".encode())
    assert "设施类型" in caught.value.message.zh and "Missing" in caught.value.message.en


def test_the_template_lists_the_kinds(town):
    from linli.core.sheets import read_rows

    header, rows = read_rows(template_xlsx())
    assert header == [zh for _k, zh, _en in REGISTRY_COLUMNS]
    assert len(list(rows)) == 1


def test_only_the_city_edits_kinds_and_distances(town, client):
    from linli.facilities.selectors import circle_distances
    from linli.facilities.services import KindInput, circle_distance_set, kind_save
    from linli.testing import log_in

    data = KindInput(
        name="幼儿园", name_en="Kindergarten", circle="10min", counts_for_area=False, is_shelter=False, min_open_hours=0
    )
    with pytest.raises(DomainError) as caught:
        kind_save(actor=town["actors"]["district_planner"], code="kindergarten", data=data)
    assert caught.value.status == 403
    assert kind_save(actor=town["actors"]["planner"], code="kindergarten", data=data).circle == "10min"
    circle_distance_set(actor=town["actors"]["planner"], key="15min", walk_distance_m=800)
    assert circle_distances()["15min"] == 800
    log_in(client, "district_planner")
    assert client.get("/staff/facilities/kinds/kindergarten/").status_code == 404
    assert "<form" not in client.get("/staff/facilities/kinds/").content.decode().split("</nav>")[-1]
