"""Who reads a 慧评理 case: the matrix (anonymous, a stranger resident, the two sides, a reasoner
of another community and of this one, the community's mediator, staff in and out of the area),
staff reading the posts only with a reason (audited), the commenters' and staff lists."""

from __future__ import annotations

import pytest

from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.mediation.selectors.reasoning import (
    case_rights,
    my_reasoning_cases,
    reasoning_case_get,
    reasoning_for_commenter,
    reasoning_staff_list,
    reasoning_waiting,
)
from linli.mediation.services.reasoning import reasoning_post, reasoning_posts_read
from linli.mediation.tests.reasoning_support import opened, reasoning_clock, rp, started

__all__ = ["reasoning_clock", "rp"]


def _opens(actor: Actor, case) -> bool:
    try:
        reasoning_case_get(actor=actor, public_id=case.public_id)
    except DomainError as error:
        assert error.code == "not_found"
        return False
    return True


def test_the_reading_matrix_of_an_open_case(rp):
    case = opened(rp)
    a = rp.actors
    expected = {
        "anonymous": (a["anonymous"], False),
        "stranger resident": (rp.stranger, False),
        "starter": (rp.starter, True),
        "other side": (rp.other, True),
        "reasoner of another community": (rp.other_reasoner, False),
        "reasoner of this community": (rp.reasoner, True),
        "mediator of this community": (rp.mediator, True),
        "staff of another community": (a["other_community_worker"], False),
        "staff of another district": (a["other_district_admin"], False),
        "staff of the community": (a["community_worker"], True),
        "staff of the street (ancestor)": (a["street_officer"], True),
    }
    assert {name: _opens(actor, case) for name, (actor, _) in expected.items()} == {
        name: allowed for name, (_, allowed) in expected.items()
    }


def test_an_invitation_is_read_by_its_starter_and_area_staff_only(rp):
    case = started(rp)
    assert [_opens(x, case) for x in (rp.starter, rp.other, rp.reasoner, rp.mediator)] == [True, False, False, False]
    assert _opens(rp.actors["community_worker"], case) is True


def test_a_bad_public_id_is_the_same_404(rp):
    with pytest.raises(DomainError) as caught:
        reasoning_case_get(actor=rp.starter, public_id="not-a-uuid")
    assert caught.value.code == "not_found"


def test_rights_name_the_side_and_the_commenter(rp):
    case = opened(rp)
    rights = {
        name: (r.side, r.commenter, r.staff)
        for name, r in {
            "starter": case_rights(rp.starter, case),
            "other": case_rights(rp.other, case),
            "reasoner": case_rights(rp.reasoner, case),
            "mediator": case_rights(rp.mediator, case),
            "staff": case_rights(rp.actors["community_worker"], case),
        }.items()
    }
    assert rights == {
        "starter": ("starter", "", False),
        "other": ("other", "", False),
        "reasoner": ("", "reasoner", False),
        "mediator": ("", "mediator", False),
        "staff": ("", "", True),
    }


def test_staff_read_the_posts_only_with_a_reason(rp):
    case = opened(rp)
    worker = rp.actors["community_worker"]
    with pytest.raises(DomainError) as caught:
        reasoning_posts_read(actor=worker, case=case, reason="")
    assert caught.value.code == "validation_failed"
    assert AuditEntry.objects.filter(action="mediation.reasoning_read").count() == 0
    posts = reasoning_posts_read(actor=worker, case=case, reason="核实矛盾纠纷排查")
    assert [p.role for p in posts] == ["starter", "other"]
    entry = AuditEntry.objects.get(action="mediation.reasoning_read")
    assert (entry.reason, entry.actor_user_id) == ("核实矛盾纠纷排查", worker.user_id)
    with pytest.raises(DomainError) as caught:
        reasoning_posts_read(actor=rp.actors["other_community_worker"], case=case, reason="看看而已")
    assert caught.value.code == "not_found"


def test_lists_of_each_reader(rp):
    case, invited = opened(rp), started(rp, "另一件事")
    assert list(my_reasoning_cases(actor=rp.starter)) == [invited, case]
    assert list(my_reasoning_cases(actor=rp.other)) == [case]
    assert list(my_reasoning_cases(actor=rp.stranger)) == []
    assert list(reasoning_for_commenter(actor=rp.reasoner)) == [case]
    assert list(reasoning_for_commenter(actor=rp.other_reasoner)) == []
    assert list(reasoning_staff_list(actor=rp.actors["community_worker"])) == [invited, case]
    assert list(reasoning_staff_list(actor=rp.actors["other_community_worker"])) == []
    assert list(reasoning_staff_list(actor=rp.reasoner)) == []


def test_waiting_cases_are_those_a_side_spoke_last_in(rp):
    case = opened(rp)
    assert list(reasoning_waiting(actor=rp.reasoner)) == [case]
    reasoning_post(actor=rp.mediator, case=case, text="请双方各退一步")
    assert list(reasoning_waiting(actor=rp.reasoner)) == []
    reasoning_post(actor=rp.other, case=case, text="好的")
    assert list(reasoning_waiting(actor=rp.mediator)) == [case]


def test_the_workbench_section_for_commenters(rp, django_assert_num_queries):
    from linli.mediation.tests.reasoning_support import TODAY
    from linli.mediation.workbench.reasoning import reasoning_today

    case = opened(rp)
    assert reasoning_today(rp.actors["community_worker"], TODAY) is None
    with django_assert_num_queries(2):  # the count and the first rows
        section = reasoning_today(rp.mediator, TODAY)
    with django_assert_num_queries(3):  # and the reasoner's communities
        assert reasoning_today(rp.reasoner, TODAY) == section
    assert section is not None
    assert ([c.count for c in section.counts], [r.title for r in section.rows]) == ([1], [case.title])
