# ruff: noqa: F811 (the stage's fixtures are imported from topics_support)
"""Topics: proposing, putting, supporting (once, not one's own, the threshold submits), deciding
with a public reason, withdrawing, lapsing. A refused action changes nothing."""

import datetime as dt

import pytest
import time_machine

from linli.consultation.models import Topic, TopicStep, TopicSupport
from linli.consultation.services.topics import (
    topic_decide,
    topic_support,
    topic_withdraw,
    topics_lapse_tick,
)
from linli.consultation.tests.topics_support import (  # noqa: F401 (fixtures)
    NOW,
    SHUIYUANDI,
    TODAY,
    clock,
    proposal,
    put,
    world,
)
from linli.core.errors import DomainError
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_resident_proposes_for_their_own_community(world):
    topic = proposal(world, concerns="building")
    assert topic.path == SHUIYUANDI
    assert topic.concerns_path == f"{SHUIYUANDI}001001"
    assert topic.state == "gathering"
    assert topic.source == "resident"
    assert topic.gathering_until == TODAY + dt.timedelta(days=30)
    assert topic.supporters_needed == 10
    assert topic.proposer_shown == "张*国"
    assert topic.number == f"YT{SHUIYUANDI}20261200001"
    assert list(TopicStep.objects.values_list("action", "to_state")) == [("propose", "gathering")]
    assert AuditEntry.objects.filter(action="consultation.topic_propose").count() == 1


def test_a_proposal_needs_a_title_and_a_body(world):
    with pytest.raises(DomainError) as refused:
        proposal(world, title=" ", body="")
    assert refused.value.status == 422
    assert [f.field for f in refused.value.fields] == ["title", "body"]
    assert Topic.objects.count() == 0


def test_staff_cannot_propose_as_a_resident(world):
    with pytest.raises(DomainError) as refused:
        proposal(world, "community_worker")
    assert refused.value.status == 403
    assert Topic.objects.count() == 0


def test_the_committees_put_a_topic_straight_to_themselves(world):
    topic = put(world, source="department", source_ref="区住建局")
    assert topic.state == "submitted"
    assert topic.proposer_shown == "区住建局"
    assert topic.supporters_needed == 0
    assert topic.concerns_path == SHUIYUANDI


@pytest.mark.parametrize("who", ["other_community_worker", "resident", "department_officer"])
def test_only_the_committees_in_scope_put_topics(world, who):
    with pytest.raises(DomainError) as refused:
        put(world, who)
    assert refused.value.status in (403, 404)
    assert Topic.objects.count() == 0


def test_one_topic_per_grid_event(world):
    first = put(world, source="grid_event", source_ref="SJ0001")
    with pytest.raises(DomainError) as refused:
        put(world, source="grid_event", source_ref="SJ0001")
    assert refused.value.status == 409
    assert first.number in str(refused.value.message)
    assert Topic.objects.count() == 1


def test_a_neighbour_supports_once(world):
    topic = proposal(world)
    topic = topic_support(actor=world.actors["resident3"], public_id=topic.public_id)
    assert topic.supporter_count == 1
    with pytest.raises(DomainError) as refused:
        topic_support(actor=world.actors["resident3"], public_id=topic.public_id)
    assert refused.value.status == 409
    topic.refresh_from_db()
    assert topic.supporter_count == 1
    assert TopicSupport.objects.count() == 1


def test_the_proposer_cannot_support_their_own(world):
    topic = proposal(world)
    with pytest.raises(DomainError) as refused:
        topic_support(actor=world.actors["resident"], public_id=topic.public_id)
    assert refused.value.status == 409
    assert TopicSupport.objects.count() == 0


def test_another_community_cannot_support(world):
    topic = proposal(world)
    with pytest.raises(DomainError) as refused:
        topic_support(actor=world.actors["far_resident"], public_id=topic.public_id)
    assert refused.value.status == 404
    assert TopicSupport.objects.count() == 0


def test_reaching_the_threshold_submits_the_topic(world):
    topic = proposal(world)
    Topic.objects.filter(pk=topic.pk).update(supporters_needed=2)
    topic_support(actor=world.actors["resident2"], public_id=topic.public_id)
    topic = topic_support(actor=world.actors["resident3"], public_id=topic.public_id)
    assert topic.state == "submitted"
    assert topic.supporter_count == 2
    assert list(topic.steps.values_list("action", flat=True)) == ["propose", "threshold"]


def test_the_committees_decide_with_a_public_reason(world):
    topic = put(world)
    with pytest.raises(DomainError) as refused:
        topic_decide(actor=world.actors["community_worker"], public_id=topic.public_id, accept=True, reason=" ")
    assert refused.value.fields[0].field == "reason"
    topic.refresh_from_db()
    assert topic.state == "submitted"
    topic = topic_decide(
        actor=world.actors["community_worker"], public_id=topic.public_id, accept=False, reason="已列入明年计划"
    )
    assert (topic.state, topic.decision_reason) == ("declined", "已列入明年计划")
    with pytest.raises(DomainError) as again:
        topic_decide(actor=world.actors["community_worker"], public_id=topic.public_id, accept=True, reason="再议")
    assert again.value.status == 409


@pytest.mark.parametrize("who", ["other_community_worker", "resident", "street_officer"])
def test_deciding_outside_the_committees_is_refused(world, who):
    topic = put(world)
    with pytest.raises(DomainError):
        topic_decide(actor=world.actors[who], public_id=topic.public_id, accept=True, reason="同意")
    topic.refresh_from_db()
    assert topic.state == "submitted"


def test_the_proposer_withdraws_with_a_reason(world):
    topic = proposal(world)
    with pytest.raises(DomainError) as stranger:
        topic_withdraw(actor=world.actors["resident3"], public_id=topic.public_id, reason="不要了")
    assert stranger.value.status == 404
    topic = topic_withdraw(actor=world.actors["resident"], public_id=topic.public_id, reason="已解决")
    assert topic.state == "withdrawn"
    assert topic.steps.last().note == "已解决"


def test_proposals_past_their_period_lapse(world):
    kept = proposal(world)
    old = proposal(world, title="垃圾分类")
    Topic.objects.filter(pk=old.pk).update(gathering_until=TODAY - dt.timedelta(days=1))
    assert topics_lapse_tick() == "1 lapsed"
    old.refresh_from_db()
    kept.refresh_from_db()
    assert (old.state, kept.state) == ("lapsed", "gathering")
    assert old.steps.last().by_name == ""
    assert topics_lapse_tick() == "0 lapsed"


def test_the_period_ends_after_thirty_days(world):
    topic = proposal(world)
    with time_machine.travel(NOW + dt.timedelta(days=31), tick=False):
        assert topics_lapse_tick() == "1 lapsed"
    topic.refresh_from_db()
    assert topic.state == "lapsed"
