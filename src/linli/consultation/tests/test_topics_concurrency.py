# ruff: noqa: F811 (the stage's fixtures are imported from topics_support)
"""Support at the same moment (PostgreSQL): one account's two supports make one row; two neighbours
reaching the threshold together submit the topic once, with both counted."""

from __future__ import annotations

import pytest

from linli.consultation.models import Topic, TopicStep, TopicSupport
from linli.consultation.services.topics import topic_support
from linli.consultation.tests.topics_support import clock, proposal, world  # noqa: F401 (fixtures)
from linli.testing import empty_append_only_tables, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clean():
    yield
    empty_append_only_tables()


def test_two_supports_by_one_account_make_one(clean, world):
    topic = proposal(world)

    def support(i):
        topic_support(actor=world.actors["resident3"], public_id=topic.public_id)

    assert sorted(run_at_once(2, support)) == ["conflict", "ok"]
    assert TopicSupport.objects.filter(topic=topic).count() == 1
    assert Topic.objects.get(pk=topic.pk).supporter_count == 1


def test_two_neighbours_at_the_threshold_submit_it_once(clean, world):
    topic = proposal(world)
    Topic.objects.filter(pk=topic.pk).update(supporters_needed=2)
    who = ["resident2", "resident3"]

    def support(i):
        topic_support(actor=world.actors[who[i]], public_id=topic.public_id)

    assert run_at_once(2, support) == ["ok", "ok"]
    topic.refresh_from_db()
    assert (topic.state, topic.supporter_count) == ("submitted", 2)
    assert TopicStep.objects.filter(topic=topic, action="threshold").count() == 1
