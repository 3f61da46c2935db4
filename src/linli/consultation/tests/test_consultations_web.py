# ruff: noqa: F811 (the stage's fixtures are imported from consultations_support)
"""The consultation pages: staff list, form, page, meeting tablet; the resident's list and page;
the role × scope matrix; pinned query counts on the lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.consultation.models import Comment, Consultation, SignIn
from linli.consultation.services import consultations as svc
from linli.consultation.tests.consultations_support import (  # noqa: F401 (fixtures)
    NOW,
    SHUIYUANDI,
    clock,
    discussing,
    prepared,
    world,
)
from linli.testing import log_in


def staff(name, *args):
    return reverse(f"portal:consultation:consultations-{name}", args=args)


def mine(name, *args):
    return reverse(f"portal:consultation-resident:consultations-{name}", args=args)


def test_the_list_shows_counts_and_filters(client, world):
    discussing(world)
    prepared(world, title="广场舞时间与音量公约")
    log_in(client, "community_worker")
    page = client.get(staff("list") + "?state=draft").content.decode()
    assert "广场舞时间与音量公约" in page and "小区停车位规划方案" not in page
    assert "draft" not in page.replace('value="draft"', "").replace("?state=draft", "")


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
    c = discussing(world)
    log_in(client, who)
    assert client.get(staff("detail", c.public_id)).status_code == status


def test_anonymous_goes_to_log_in(client, world):
    c = discussing(world)
    assert client.get(staff("detail", c.public_id)).status_code == 302
    assert client.get(mine("detail", c.public_id)).status_code == 302


def test_the_new_form_keeps_input_on_error_and_creates(client, world):
    log_in(client, "community_worker")
    assert client.get(staff("new")).status_code == 200
    form = {
        "title": "3号楼加装电梯",
        "question": "",
        "form": "meeting",
        "scope_kind": "community",
        "vote_unit": "household",
        "quorum_percent": "50",
        "majority": "half",
        "option": ["同意", "不同意", ""],
    }
    refused = client.post(staff("new"), form)
    assert refused.status_code == 200 and Consultation.objects.count() == 0
    body = refused.content.decode()
    assert 'value="3号楼加装电梯"' in body and 'value="同意"' in body
    done = client.post(staff("new"), form | {"question": "是否加装电梯"})
    c = Consultation.objects.get()
    assert done.status_code == 302 and done["Location"] == staff("detail", c.public_id)
    assert [o.label for o in c.options.all()] == ["同意", "不同意"]


def test_open_then_moderate_from_the_page(client, world):
    c = prepared(world)
    log_in(client, "community_worker")
    assert client.post(staff("open", c.public_id)).status_code == 302
    assert Consultation.objects.get(pk=c.pk).state == "discussing"
    comment = svc.comment_add(actor=world.actors["resident"], consultation=c, body="建议增加充电桩")
    page = client.get(staff("detail", c.public_id)).content.decode()
    assert "建议增加充电桩" in page and "张建国" in page
    client.post(staff("moderate", c.public_id, comment.public_id), {"decision": "hide", "reason": ""})
    assert Comment.objects.get(pk=comment.pk).state == "pending"
    client.post(staff("moderate", c.public_id, comment.public_id), {"decision": "show"})
    assert Comment.objects.get(pk=comment.pk).state == "shown"


def test_cancel_asks_for_a_reason_and_confirmation(client, world):
    c = discussing(world)
    log_in(client, "community_worker")
    refused = client.post(staff("cancel", c.public_id), {"reason": "重新调研"})
    assert refused.status_code == 200 and Consultation.objects.get(pk=c.pk).state == "discussing"
    assert 'value="重新调研"' in refused.content.decode()
    client.post(staff("cancel", c.public_id), {"reason": "重新调研", "confirm": "on"})
    assert Consultation.objects.get(pk=c.pk).state == "cancelled"


def test_the_door_tablet_finds_by_name_and_signs_in_once(client, world, clock):
    c = discussing(world)
    meeting = svc.meeting_schedule(
        actor=world.actors["community_worker"], public_id=c.public_id, starts_at=NOW, place="社区会议室"
    )
    log_in(client, "community_worker")
    page = client.get(staff("meeting", meeting.public_id) + "?q=张建").content.decode()
    assert "张*国" in page and "张建国" not in page
    sign = staff("sign-in", meeting.public_id)
    assert client.post(sign, {"resident": str(world.zhang.public_id)}).status_code == 302
    again = client.post(sign, {"resident": str(world.zhang.public_id)}, follow=True).content.decode()
    assert "此人已签到" in again or "Already signed in" in again
    refused = client.post(sign, {"stakeholder": "物业公司", "name": ""})
    assert refused.status_code == 422 and 'value="物业公司"' in refused.content.decode()
    assert SignIn.objects.count() == 1
    client.post(staff("minutes", meeting.public_id), {"minutes": "同意方案一"})
    meeting.refresh_from_db()
    assert meeting.minutes == "同意方案一"


def test_the_resident_sees_masked_shown_comments_and_comments(client, world):
    c = discussing(world)
    other = svc.comment_add(actor=world.actors["resident3"], consultation=c, body="同意方案")
    svc.comment_moderate(actor=world.actors["community_worker"], public_id=other.public_id, show=True)
    log_in(client, "resident")
    assert "小区停车位规划方案" in client.get(mine("list")).content.decode()
    page = client.get(mine("detail", c.public_id)).content.decode()
    assert "李*" in page and "李明" not in page
    done = client.post(mine("detail", c.public_id), {"body": "建议增加充电桩"})
    assert done.status_code == 302 and Comment.objects.filter(author_shown="张*国").count() == 1


def test_a_resident_of_another_community_gets_the_one_404(client, world):
    c = discussing(world)
    log_in(client, "far_resident")
    assert client.get(mine("detail", c.public_id)).status_code == 404
    assert "小区停车位规划方案" not in client.get(mine("list")).content.decode()


def test_a_draft_is_not_shown_to_residents(client, world):
    c = prepared(world)
    log_in(client, "resident")
    assert client.get(mine("detail", c.public_id)).status_code == 404


def test_the_staff_list_query_count_is_pinned(client, world, django_assert_num_queries):
    for n in range(3):
        discussing(world, title=f"协商{n}")
    log_in(client, "community_worker")
    client.get(staff("list"))
    with django_assert_num_queries(7):
        assert client.get(staff("list")).status_code == 200


def test_the_page_in_every_early_state_shows_labels_not_codes(client, world):
    draft = prepared(world, title="草案协商")
    cancelled = discussing(world, title="取消的协商")
    svc.consultation_cancel(actor=world.actors["community_worker"], public_id=cancelled.public_id, reason="重新调研")
    log_in(client, "community_worker")
    for c, label in ((draft, "筹备中"), (cancelled, "重新调研")):
        page = client.get(staff("detail", c.public_id), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert label in page
        assert ">draft<" not in page and ">cancelled<" not in page and "system:" not in page
