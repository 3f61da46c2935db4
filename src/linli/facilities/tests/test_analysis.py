"""Compliance, coverage and suggested sites on the `town` (see conftest: every figure by hand),
and the analysis run as a background task."""

from decimal import Decimal

import pytest

from linli.core.errors import DomainError
from linli.facilities.domain import RunStatus
from linli.facilities.selectors import (
    compliance_rows,
    run_building_points,
    run_figures,
    run_get,
    shelter_rows,
    short_hours_rows,
)
from linli.facilities.services import RunInput, facility_analysis_run
from linli.facilities.tasks import analysis_queue
from linli.facilities.tests.conftest import LAT, facility, node_lng


def _run(town, django_capture_on_commit_callbacks, actor="planner", **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        run = analysis_queue(actor=town["actors"][actor], data=RunInput(**kwargs))
    run.refresh_from_db()
    return run


def test_area_compliance_by_hand(town):
    rows = {r.path: r for r in compliance_rows(scope_path="2101")}
    shuiyuandi, hunhewan, jixian, binhe, qianjin = (
        rows[p] for p in ("210102001002", "210102001003", "210102002001", "210103001001", "210103001201")
    )
    assert (shuiyuandi.households, shuiyuandi.area_m2, shuiyuandi.required_m2, shuiyuandi.rating) == (
        3,
        Decimal("650.00"),
        Decimal(600),
        "green",
    )
    assert (hunhewan.area_m2, hunhewan.shortfall_m2, hunhewan.rating) == (Decimal("500.00"), Decimal(100), "amber")
    assert (jixian.facilities, jixian.area_m2, jixian.shortfall_m2, jixian.rating) == (0, 0, Decimal(600), "red")
    assert binhe.rating == "green"
    # the village is judged by the rural rule: 350 m², so 400 m² passes (the urban 600 would fail it)
    assert (qianjin.urban_rural, qianjin.minimum_m2, qianjin.required_m2, qianjin.rating) == (
        "rural",
        350,
        Decimal(350),
        "green",
    )
    assert rows["210102001002"].street == "浑河湾街道"


def test_a_closed_facility_or_another_kind_does_not_count_towards_the_area(town):
    facility("community_service_centre", "210102002001", 6, 700, status="closed")
    facility("library", "210102002001", 6, 900)
    assert {r.path: r for r in compliance_rows(scope_path="210102002")}["210102002001"].rating == "red"
    facility("community_service_centre", "210102002001", 6, 700)
    assert {r.path: r for r in compliance_rows(scope_path="210102002")}["210102002001"].rating == "green"


def test_shelter_per_resident_by_street_and_district(town):
    rows = {r.path: r for r in shelter_rows(scope_path="210102")}
    street, district = rows["210102001"], rows["210102"]
    assert (street.residents, street.area_m2, street.per_resident_m2, street.required_m2) == (
        10,
        Decimal(10),
        Decimal("1.00"),
        Decimal("15.0"),
    )
    assert (street.shortfall_m2, street.rating) == (Decimal("5.0"), "red")
    assert (district.residents, district.rating) == (10, "red")
    assert rows["210102002"].rating == "none"  # 集贤街道: nobody on record
    assert "210103" not in rows  # another district is not in the table of 和平区


def test_facilities_open_fewer_than_eight_hours(town):
    short = short_hours_rows(scope_path="2101")
    # 水源地's centre opens 08:30-11:30 + 13:30-17:30 = 7 h; shelters have no minimum
    assert [f.name for f in short] == ["community_service_centre@1"]
    assert short[0].hours_per_day == 7.0


def test_coverage_run_by_hand(town, django_capture_on_commit_callbacks):
    run = _run(town, django_capture_on_commit_callbacks, site_kind="health_station", sites=1)
    assert (run.status, run.progress, run.message) == (RunStatus.DONE, 100, "")
    health = run.figures["coverage"]["health_station"]
    # B1 200 m, B2 300 m (the boundary counts), B3 1,000 m, B4 1,700 m
    assert health["circle_m"] == 300
    assert health["covered"] == {"300": 5, "500": 5, "1000": 9}
    assert health["by_unit"]["210102001002"] == [5, 5]
    assert health["by_unit"]["210102001003"] == [0, 5]
    assert run.figures["residents"] == 10
    # no kindergarten anywhere: nobody is covered
    assert run.figures["coverage"]["kindergarten"]["covered"] == {"300": 0, "500": 0, "1000": 0}
    siting = run.figures["siting"]
    # beyond 300 m: B3 (4 residents, node 12) and B4 (1, node 19), 700 m apart, so one site reaches
    # one of them; the best is B3's
    assert (siting["demand_points"], siting["uncovered_residents"], siting["candidates"]) == (2, 5, 2)
    assert (siting["method"], siting["gap"], siting["newly_covered"]) == ("milp", 0.0, 4)
    assert [(s["lat"], s["lng"]) for s in siting["sites"]] == [(LAT, round(node_lng(12), 6))]


def test_two_sites_cover_both_and_more_than_the_street_corners_suggests_them_all(
    town, django_capture_on_commit_callbacks
):
    run = _run(town, django_capture_on_commit_callbacks, site_kind="health_station", sites=2)
    assert run.figures["siting"]["newly_covered"] == 5
    # how many street corners there are is known only once the coverage is: all of them, said so
    more = _run(town, django_capture_on_commit_callbacks, site_kind="health_station", sites=3)
    siting = more.figures["siting"]
    assert (more.status, more.message) == (RunStatus.DONE, "")
    assert (siting["k"], siting["k_asked"], siting["candidates"], siting["newly_covered"]) == (2, 3, 2, 5)
    assert len(siting["sites"]) == 2


def test_registered_candidate_sites_are_offered_instead(town, django_capture_on_commit_callbacks):
    facility("health_station", "210102001003", 14, 100, status="candidate", name="备选地块")
    facility("health_station", "210102001003", 17, 100, status="candidate", name="另一地块")
    run = _run(town, django_capture_on_commit_callbacks, site_kind="health_station", sites=1, candidates="registered")
    siting = run.figures["siting"]
    # node 14 reaches B3 (200 m); node 17 reaches B4 (200 m) but not B3 (500 m)
    assert (siting["candidate_source"], siting["candidates"], siting["newly_covered"]) == ("registered", 2, 4)
    assert siting["sites"][0]["lng"] == round(node_lng(14), 6)


def test_buildings_for_the_map_are_coloured_and_cut_to_the_reader(town, django_capture_on_commit_callbacks):
    run = _run(town, django_capture_on_commit_callbacks)
    points = run_building_points(actor=town["actors"]["planner"], run=run, kind="health_station")
    # B4's 1,700 m lies beyond the longest distance searched (1,000 m): unknown, not covered
    walks = sorted(((p["walk_m"] or 10**9), p["covered"]) for p in points)
    assert walks == [(200, True), (300, True), (1000, False), (10**9, False)]
    assert sorted((p["walk_m"] or 10**9, p["residents"]) for p in points) == [(200, 3), (300, 2), (1000, 4), (10**9, 1)]
    officer = town["actors"]["street_officer"]
    assert len(run_building_points(actor=officer, run=run, kind="health_station")) == 4
    other = town["actors"]["other_district_admin"]
    assert run_building_points(actor=other, run=run, kind="health_station") == []


def test_a_street_officer_reads_a_city_run_cut_to_their_street(town, django_capture_on_commit_callbacks):
    run = _run(town, django_capture_on_commit_callbacks, site_kind="health_station", sites=1)
    officer = town["actors"]["street_officer"]
    figures = run_figures(actor=officer, run=run_get(actor=officer, public_id=run.public_id))
    assert {r["path"] for r in figures["compliance"]} == {"210102001002", "210102001003"}
    assert figures["coverage"]["health_station"]["rate"] == 0.5  # 5 of the street's 10
    assert "siting" not in figures  # sites were chosen for the city, not for the street
    with pytest.raises(DomainError):  # no facility permission: the run does not exist for them
        run_get(actor=town["actors"]["community_worker"], public_id=run.public_id)


def test_starting_a_run_checks_its_input(town):
    planner = town["actors"]["district_planner"]
    for data, field in [
        (RunInput(scope_path="210103"), "scope_path"),  # another district
        (RunInput(site_kind="shelter"), "site_kind"),  # no life circle
        (RunInput(site_kind="nope"), "site_kind"),
        (RunInput(site_kind="health_station", sites=0), "sites"),
        (RunInput(site_kind="health_station", sites=51), "sites"),
        (RunInput(candidates="anything"), "candidates"),
    ]:
        with pytest.raises(DomainError) as caught:
            analysis_queue(actor=planner, data=data)
        assert [f.field for f in caught.value.fields] == [field]
    with pytest.raises(DomainError) as caught:
        analysis_queue(actor=town["actors"]["street_officer"], data=RunInput())
    assert caught.value.status == 403


def test_a_run_is_run_once(town, django_capture_on_commit_callbacks):
    run = _run(town, django_capture_on_commit_callbacks)
    finished = run.finished_at
    again = facility_analysis_run(run_id=run.pk)
    assert (again.status, again.finished_at) == (RunStatus.DONE, finished)


def test_a_street_reads_its_district_row_with_every_shelter_of_the_district(town):
    facility("shelter", "210102002", 6, 1000)  # in 集贤街道, another street of 和平区
    street_view = {r.path: r for r in shelter_rows(scope_path="210102001")}
    district_view = {r.path: r for r in shelter_rows(scope_path="210102")}
    assert street_view["210102"].area_m2 == district_view["210102"].area_m2 == Decimal(1010)
    assert street_view["210102001"].area_m2 == Decimal(10)
    assert "210102002" not in street_view


def test_registered_candidates_fewer_than_k_are_refused_at_the_start(town):
    facility("health_station", "210102001003", 14, 100, status="candidate")
    with pytest.raises(DomainError) as caught:
        analysis_queue(
            actor=town["actors"]["planner"],
            data=RunInput(site_kind="health_station", sites=2, candidates="registered"),
        )
    assert [f.field for f in caught.value.fields] == ["sites"]
    assert caught.value.fields[0].message.zh.startswith("新增站点数 K=2 大于已登记的备选址数 1")


def test_no_registered_candidates_is_refused_on_the_candidates_field(town):
    with pytest.raises(DomainError) as caught:
        analysis_queue(
            actor=town["actors"]["planner"],
            data=RunInput(site_kind="health_station", sites=1, candidates="registered"),
        )
    assert [f.field for f in caught.value.fields] == ["candidates"]


def test_plan_targets_count_centres_and_villages_with_a_cemetery(town):
    from linli.facilities.selectors import plan_targets

    before = plan_targets(scope_path="2101")
    assert (before.party_mass_centres, before.villages, before.villages_with_cemetery) == (0, 1, 0)
    facility("village_cemetery", "210103001201", 9, 3000)
    facility("party_mass_centre", "210102001", 7, 900)
    facility("party_mass_centre", "210102001", 7, 900, status="building")
    after = plan_targets(scope_path="2101")
    assert (after.party_mass_centres, after.villages_with_cemetery, after.party_mass_target) == (1, 1, 150)
    assert plan_targets(scope_path="210102").villages == 0


def test_elderly_care_next_to_health_care(town, django_capture_on_commit_callbacks):
    facility("home_care_station", "210102001002", 2, 200)  # beside the health station (node 2)
    facility("home_care_station", "210102001002", 4, 200)  # 200 m from it
    run = _run(town, django_capture_on_commit_callbacks)
    assert run.figures["care_next_to_health"] == {"within_m": 100, "facilities": 2, "next_to_health": 1}
