# ruff: noqa: F811 (the stage's fixtures are imported from consultations_support)
"""The workbench section: comments awaiting moderation and today's meetings, in two queries;
nothing for an actor with nothing to do."""

from __future__ import annotations

from linli.consultation.services import consultations as svc
from linli.consultation.tests.consultations_support import NOW, TODAY, clock, discussing, world  # noqa: F401
from linli.consultation.workbench.consultations import consultations_today


def test_pending_comments_and_meetings_today(world, django_assert_num_queries):
    c = discussing(world)
    worker = world.actors["community_worker"]
    assert consultations_today(worker, TODAY) is None
    svc.comment_add(actor=world.actors["resident"], consultation=c, body="意见")
    svc.meeting_schedule(actor=worker, public_id=c.public_id, starts_at=NOW, place="社区会议室")
    with django_assert_num_queries(2):
        section = consultations_today(worker, TODAY)
    assert [(n.key, n.count) for n in section.counts] == [("consultations.pending", 1), ("consultations.meetings", 1)]
    assert [r.title for r in section.rows] == ["小区停车位规划方案"]
    assert consultations_today(world.actors["other_community_worker"], TODAY) is None
    assert consultations_today(world.actors["resident"], TODAY) is None
