"""The pool's CarePerson selectors care services reads people through (residents/selectors.py):
scoped where they say so, unscoped by reference, never a clear ID number."""

from __future__ import annotations

import pytest

from linli.care.tests import entitlements_support as support
from linli.care.tests.entitlements_support import HUNHEWAN, SHUIYUANDI, TODAY, elder
from linli.residents.selectors import (
    care_group_counts_under,
    care_household_people,
    care_people_by_refs,
    care_people_in_groups,
    care_people_search,
    care_person,
    care_person_by_ref,
    care_person_for_user,
)

pytestmark = pytest.mark.django_db
clock = support.clock


def test_care_person_is_scoped_and_by_ref_is_not(people, actors, clock):
    mother = elder(SHUIYUANDI, "101", "王秀英", 82, kinds=["elderly_alone"], disability="2")
    assert care_person(actor=actors["community_worker"], public_id=mother.public_id).name == "王秀英"
    assert care_person(actor=actors["street_officer"], public_id=mother.public_id) is not None
    assert care_person(actor=actors["other_community_worker"], public_id=mother.public_id) is None
    assert care_person(actor=actors["community_worker"], public_id="not-a-uuid") is None
    assert care_person_by_ref("not-a-uuid") is None
    found = care_person_by_ref(mother.public_id)
    assert (found.age_on(TODAY), found.care_kinds, found.disability, found.path[:12]) == (
        82,
        ("elderly_alone",),
        "2",
        SHUIYUANDI,
    )
    assert "*" in found.id_number_masked and len(found.id_number_masked) == 18
    assert found.address


def test_for_user_household_and_refs(people, clock):
    me = elder(HUNHEWAN, "201", "陈建国", 40, user=people["resident"])
    mother = elder(SHUIYUANDI, "101", "王秀英", 82)
    assert care_person_for_user(people["resident"].pk).public_id == me.public_id
    assert care_person_for_user(None) is None
    assert [p.name for p in care_household_people(me.household_ref)] == ["陈建国"]
    assert care_household_people("nope") == []
    assert set(care_people_by_refs([me.public_id, mother.public_id, ""])) == {me.public_id, mother.public_id}
    assert care_people_by_refs(["bad"]) == {}


def test_groups_search_and_counts(people, actors, clock):
    elder(SHUIYUANDI, "101", "王秀英", 82, kinds=["elderly_alone"])
    elder(SHUIYUANDI, "102", "刘桂兰", 75, kinds=["empty_nest"])
    elder(HUNHEWAN, "201", "赵淑珍", 70, kinds=["elderly_alone"])
    worker = actors["community_worker"]
    assert {p.name for p in care_people_in_groups(actor=worker, kinds=["elderly_alone", "empty_nest"])} == {
        "王秀英",
        "刘桂兰",
    }
    assert [p.name for p in care_people_in_groups(actor=actors["street_officer"], kinds=["elderly_alone"])] == [
        "王秀英",
        "赵淑珍",
    ]
    assert [p.name for p in care_people_search(actor=worker, q="秀英")] == ["王秀英"]
    assert care_people_search(actor=worker, q="赵淑珍") == []
    assert care_people_search(actor=worker, q="  ") == []
    counts = care_group_counts_under(parent_path="210102001", child_length=12, kinds=["elderly_alone"])
    assert counts == {SHUIYUANDI: 1, HUNHEWAN: 1}
