# ruff: noqa: F811 (the stage's fixtures are imported from topics_support)
"""The topic pages: staff list, new topic, topic page with the decision; the resident's list,
proposal, topic page with the support button, own topics and withdrawal; the role × scope matrix;
pinned query counts on the lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.consultation.models import Topic, TopicSupport
from linli.consultation.tests.topics_support import (  # noqa: F401 (fixtures)
    SHUIYUANDI,
    clock,
    proposal,
    put,
    world,
)
from linli.testing import log_in


def staff(name, *args):
    return reverse(f"portal:consultation:topics-{name}", args=args)


def mine(name, *args):
    return reverse(f"portal:consultation-resident:topics-{name}", args=args)


def test_the_staff_list_counts_and_filters(client, world):
    proposal(world)
    put(world)
    log_in(client, "community_worker")
    page = client.get(staff("list") + "?state=submitted").content.decode()
    assert "加装电梯" in page and "小区停车难" not in page
    assert "征集附议中: <strong>1</strong>" in page or "Gathering supporters: <strong>1</strong>" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("community_worker", 200),
        ("street_officer", 200),
        ("district_admin", 200),
        ("other_community_worker", 404),
        ("department_officer", 404),
        ("resident", 404),
    ],
)
def test_the_staff_page_by_role_and_scope(client, world, who, status):
    topic = put(world)
    log_in(client, who)
    assert client.get(staff("detail", topic.public_id)).status_code == status


def test_anonymous_goes_to_log_in(client, world):
    topic = put(world)
    assert client.get(staff("detail", topic.public_id)).status_code == 302
    assert client.get(mine("detail", topic.public_id)).status_code == 302


def test_the_committees_decide_on_the_page_and_a_reason_is_required(client, world):
    topic = put(world)
    log_in(client, "community_worker")
    refused = client.post(staff("decide", topic.public_id), {"decision": "accept", "reason": ""})
    assert refused.status_code == 422
    topic.refresh_from_db()
    assert topic.state == "submitted"
    client.post(staff("decide", topic.public_id), {"decision": "accept", "reason": "列入本季度协商"})
    topic.refresh_from_db()
    assert (topic.state, topic.decision_reason) == ("accepted", "列入本季度协商")
    page = client.get(staff("detail", topic.public_id)).content.decode()
    assert f"/staff/consultation/consultations/new/?topic={topic.public_id}" in page


def test_staff_put_a_topic_and_keep_the_input_on_error(client, world):
    log_in(client, "community_worker")
    form = {"community": SHUIYUANDI, "title": "雨污分流", "body": "", "source": "department", "source_ref": ""}
    refused = client.post(staff("new"), form)
    assert refused.status_code == 422 and "雨污分流" in refused.content.decode()
    assert Topic.objects.count() == 0
    client.post(staff("new"), form | {"body": "改造方案", "source_ref": "区住建局"})
    assert Topic.objects.get().proposer_shown == "区住建局"


def test_a_resident_proposes_and_a_neighbour_supports(client, world):
    log_in(client, "resident")
    client.post(mine("new"), {"title": "小区停车难", "body": "车位不够", "concerns": "grid"})
    topic = Topic.objects.get()
    assert topic.concerns_path == f"{SHUIYUANDI}001"
    own = client.get(mine("detail", topic.public_id)).content.decode()
    assert 'id="support-form"' not in own
    log_in(client, "resident3")
    client.post(mine("detail", topic.public_id))
    page = client.get(mine("detail", topic.public_id)).content.decode()
    assert 'id="topic-supported"' in page and "张*国" in page and "张建国" not in page
    assert TopicSupport.objects.count() == 1


def test_another_community_cannot_see_the_topic(client, world):
    topic = proposal(world)
    log_in(client, "far_resident")
    assert client.get(mine("detail", topic.public_id)).status_code == 404
    assert "小区停车难" not in client.get(mine("list")).content.decode()


def test_the_proposer_withdraws_with_a_reason(client, world):
    topic = proposal(world)
    log_in(client, "resident")
    refused = client.post(mine("withdraw", topic.public_id), {"reason": ""})
    assert refused.status_code == 422
    topic.refresh_from_db()
    assert topic.state == "gathering"
    client.post(mine("withdraw", topic.public_id), {"reason": "已解决"})
    topic.refresh_from_db()
    assert topic.state == "withdrawn"


def test_the_staff_list_query_count_is_pinned(client, world, django_assert_num_queries):
    for n in range(3):
        put(world, title=f"议题{n}")
    log_in(client, "community_worker")
    client.get(staff("list"))
    with django_assert_num_queries(7):
        assert client.get(staff("list")).status_code == 200


def test_the_resident_list_query_count_is_pinned(client, world, django_assert_num_queries):
    for n in range(3):
        proposal(world, title=f"议题{n}")
    log_in(client, "resident3")
    client.get(mine("list"))
    with django_assert_num_queries(6):
        assert client.get(mine("list")).status_code == 200
