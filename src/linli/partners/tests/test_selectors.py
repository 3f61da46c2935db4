"""The three selectors other apps call, and the register's scope, across the role × scope matrix."""

from __future__ import annotations

import uuid

import pytest

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.accounts.services import posting_add
from linli.partners.models import OrgMember
from linli.partners.selectors import (
    OrgBrief,
    org_ids_for,
    social_org_brief,
    social_org_choices,
    social_org_get,
    social_org_list,
)
from linli.testing import SYSTEM, make_user

pytestmark = pytest.mark.django_db


def names(rows) -> set[str]:
    return {row.name for row in rows}


def test_org_ids_for_an_organiser_is_their_own_active_organisation(actors, orgs):
    assert org_ids_for(actors["organiser"]) == frozenset({orgs["own"].public_id})


@pytest.mark.parametrize(
    "who", ["anonymous", "resident", "community_worker", "civil_affairs_officer", "city_admin", "street_officer"]
)
def test_org_ids_for_anyone_else_is_empty(actors, orgs, who):
    assert org_ids_for(actors[who]) == frozenset()


def test_org_ids_for_leaves_out_a_deregistered_organisation(actors, orgs, people):
    OrgMember.objects.create(user=people["organiser"], social_org=orgs["gone"], linked_by="test")
    assert org_ids_for(actors["organiser"]) == frozenset({orgs["own"].public_id})


def test_social_org_brief(orgs, tree):
    brief = social_org_brief(orgs["citywide"].public_id)
    assert brief == OrgBrief(
        public_id=orgs["citywide"].public_id,
        name="沈阳市社区公益联合会",
        name_en="",
        kind="charity",
        kind_label=brief.kind_label,
        unit_path="2101",
        unit_name="沈阳市",
        citywide=True,
        active=True,
    )
    assert str(brief.kind_label) in {"公益慈善类", "Public welfare and charity"}
    assert social_org_brief(orgs["gone"].public_id).active is False
    assert social_org_brief(uuid.uuid4()) is None
    assert social_org_brief("not-a-uuid") is None


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", set()),
        ("resident", set()),
        ("organiser", {"水源地互助会"}),
        ("community_worker", {"水源地互助会", "沈阳市社区公益联合会"}),
        ("other_community_worker", {"浑河湾助老队", "沈阳市社区公益联合会"}),
        ("street_officer", {"水源地互助会", "浑河湾助老队", "沈阳市社区公益联合会"}),
        ("civil_affairs_officer", {"水源地互助会", "浑河湾助老队", "沈阳市社区公益联合会"}),
        ("other_district_admin", {"滨河志愿服务队", "沈阳市社区公益联合会"}),
        ("city_admin", {"水源地互助会", "浑河湾助老队", "滨河志愿服务队", "沈阳市社区公益联合会"}),
    ],
)
def test_social_org_choices(actors, orgs, who, expected):
    assert names(social_org_choices(actors[who])) == expected


def test_organiser_of_another_organisation_picks_only_theirs(orgs, tree):
    user = make_user("other_organiser", Role.ORGANISER, tree["210102001002"])
    OrgMember.objects.create(user=user, social_org=orgs["sibling"], linked_by="test")
    actor = actor_for_user(user)
    assert names(social_org_choices(actor)) == {"浑河湾助老队"}
    assert org_ids_for(actor) == frozenset({orgs["sibling"].public_id})
    assert names(social_org_list(actor=actor)) == {"浑河湾助老队"}
    with pytest.raises(Exception, match="不存在或无权访问"):
        social_org_get(actor=actor, public_id=orgs["own"].public_id)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", set()),
        ("resident", set()),
        ("grid_worker", set()),  # no PARTNERS_VIEW
        ("organiser", {"水源地互助会"}),
        ("community_worker", {"水源地互助会", "沈阳市社区公益联合会"}),
        ("other_community_worker", {"浑河湾助老队", "沈阳市社区公益联合会"}),
        ("civil_affairs_officer", {"水源地互助会", "浑河湾助老队", "沈阳市社区公益联合会"}),
        ("other_district_admin", {"滨河志愿服务队", "沈阳市社区公益联合会"}),
        ("city_admin", {"水源地互助会", "浑河湾助老队", "滨河志愿服务队", "沈阳市社区公益联合会"}),
    ],
)
def test_register_scope(actors, orgs, who, expected):
    assert names(social_org_list(actor=actors[who])) == expected


def test_an_organiser_who_is_also_community_staff_sees_both(orgs, people, tree):
    posting_add(actor=SYSTEM, user=people["organiser"], role=Role.COMMUNITY_WORKER, place=tree["210102001003"])
    actor = actor_for_user(people["organiser"])
    assert names(social_org_list(actor=actor)) == {"水源地互助会", "浑河湾助老队", "沈阳市社区公益联合会"}


@pytest.fixture
def places(orgs):
    from datetime import date

    from linli.partners.models import Premises, SocialWorker, SocialWorkStation

    stations = {
        path: SocialWorkStation.objects.create(street_path=path, name=f"{path}站")
        for path in ("210102001", "210102002", "210103001")
    }
    for station in stations.values():
        SocialWorker.objects.create(station=station, name="赵敏")
    for path in ("210102001002", "210102001003", "210103001001"):
        Premises.objects.create(
            offerer="沈阳地铁",
            address="一号",
            area_m2=50,
            term_from=date(2026, 1, 1),
            term_to=date(2027, 1, 1),
            path=path,
        )
    return stations


@pytest.mark.parametrize(
    ("who", "stations", "premises"),
    [
        ("anonymous", set(), set()),
        ("resident", set(), set()),
        ("community_worker", {"210102001"}, {"210102001002"}),  # the station of their street
        ("other_community_worker", {"210102001"}, {"210102001003"}),
        ("street_officer", {"210102001"}, {"210102001002", "210102001003"}),
        ("civil_affairs_officer", {"210102001", "210102002"}, {"210102001002", "210102001003"}),
        ("other_district_admin", {"210103001"}, {"210103001001"}),
        ("city_admin", {"210102001", "210102002", "210103001"}, {"210102001002", "210102001003", "210103001001"}),
    ],
)
def test_stations_workers_and_premises_scope(actors, places, who, stations, premises):
    from linli.partners.selectors import premises_list, station_list, worker_list

    actor = actors[who]
    assert set(station_list(actor=actor).values_list("street_path", flat=True)) == stations
    assert {w.station.street_path for w in worker_list(actor=actor)} == stations
    assert set(premises_list(actor=actor).values_list("path", flat=True)) == premises


@pytest.mark.parametrize("who", ["anonymous", "resident", "organiser"])
def test_figures_are_for_staff_only(actors, places, who):
    from linli.partners.selectors import partner_figures

    with pytest.raises(Exception, match="不存在或无权访问"):
        partner_figures(actor=actors[who])


def test_figures_of_a_district_per_street(actors, places):
    from linli.partners.selectors import partner_figures

    figures = partner_figures(actor=actors["civil_affairs_officer"])
    rows = {row.name: row for row in figures.rows}
    assert figures.root_path == "210102" and set(rows) == {"浑河湾街道", "集贤街道"}
    assert rows["浑河湾街道"].orgs == 2  # the deregistered one is not counted
    assert rows["浑河湾街道"].by_kind["relief"] == 1 and rows["浑河湾街道"].by_kind["mutual_aid"] == 1
    assert (figures.total.streets, figures.total.streets_with_station) == (2, 2)
    assert figures.total.social_workers == 2 and figures.total.premises_in_use == 0
    assert figures.citywide_orgs == 0
    city = partner_figures(actor=actors["city_admin"])
    assert city.citywide_orgs == 1 and city.total.orgs == 3
