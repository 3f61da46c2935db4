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
