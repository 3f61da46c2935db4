# ruff: noqa: F811 (the stage's fixtures are imported from topics_support)
"""The workbench section (topics awaiting the committees, one aggregate + one row query), the grid
event hand-off and the micro-fund link."""

from __future__ import annotations

from linli.charity.decision_routes import decision_links
from linli.consultation.tests.topics_support import SHUIYUANDI, TODAY, clock, proposal, put, world  # noqa: F401
from linli.consultation.workbench.topics import topics_today
from linli.grid_events.handoffs import handoff_links


def test_the_committees_see_topics_awaiting_their_decision(world, django_assert_num_queries):
    put(world)
    worker = world.actors["community_worker"]
    with django_assert_num_queries(2):
        section = topics_today(worker, TODAY)
    assert [c.count for c in section.counts] == [1]
    assert [r.title for r in section.rows] == ["加装电梯"]


def test_nothing_for_an_actor_with_nothing_to_do(world):
    proposal(world)
    assert topics_today(world.actors["community_worker"], TODAY) is None
    put(world)
    assert topics_today(world.actors["other_community_worker"], TODAY) is None
    assert topics_today(world.actors["resident"], TODAY) is None


def test_the_grid_event_link_names_the_topic_once_made(world):
    worker = world.actors["community_worker"]
    [link] = [h for h in handoff_links(worker, "SJ0001") if "topics" in h.url]
    assert link.url.endswith("/topics/new/?event=SJ0001") and not link.done
    topic = put(world, source="grid_event", source_ref="SJ0001")
    [link] = [h for h in handoff_links(worker, "SJ0001") if "topics" in h.url]
    assert link.done and topic.number in link.label
    assert [h for h in handoff_links(world.actors["resident"], "SJ0001") if "topics" in h.url] == []


class Waiting:
    public_id = "0190a000-0000-7000-8000-000000000001"


def test_the_micro_fund_link_goes_to_a_new_topic_then_names_it(world):
    worker = world.actors["community_worker"]
    [link] = decision_links(worker, Waiting())
    assert link.url.endswith(f"?payment={Waiting.public_id}") and not link.done
    topic = put(world, source="micro_fund", source_ref=Waiting.public_id)
    [link] = decision_links(worker, Waiting())
    assert link.done and topic.number in link.label
