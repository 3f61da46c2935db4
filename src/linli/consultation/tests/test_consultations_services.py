# ruff: noqa: F811 (the stage's fixtures are imported from consultations_support)
"""The consultation's writes: preparing, editing only while a draft, opening (the topic follows),
cancelling with a reason, comments by participants only, moderation, meetings and sign-in."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.consultation.models import Comment, Consultation, ConsultationStep, SignIn
from linli.consultation.services import consultations as svc
from linli.consultation.services.voting import voting_open
from linli.consultation.tests.consultations_support import (  # noqa: F401 (fixtures)
    JIXIAN,
    NOW,
    SHUIYUANDI,
    clock,
    data,
    discussing,
    prepared,
    world,
)
from linli.core.errors import DomainError
from linli.core.models import AuditEntry


def test_preparing_numbers_the_consultation_keys_its_options_and_writes_a_step(world):
    c = prepared(world, options=["方案一", " ", "方案二", "方案三"])
    assert c.number == f"XS{SHUIYUANDI}20261200001"
    assert (c.state, c.scope_path, c.stakeholders) == ("draft", SHUIYUANDI, ["物业公司", "业主委员会"])
    assert [(o.key, o.label) for o in c.options.all()] == [("a", "方案一"), ("b", "方案二"), ("c", "方案三")]
    assert list(ConsultationStep.objects.values_list("action", "to_state")) == [("create", "draft")]
    assert AuditEntry.objects.filter(action="consultation.consultation_save").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"options": ["同意"]}, "options"),
        ({"title": ""}, "title"),
        ({"quorum_percent": 101}, "quorum_percent"),
        ({"scope_kind": "grid", "scope_path": "210102001003001"}, "scope_path"),
        ({"scope_kind": "building", "scope_path": "210102001002009001"}, "scope_path"),
    ],
)
def test_preparing_refuses_bad_input_and_writes_nothing(world, changes, field):
    with pytest.raises(DomainError) as refused:
        prepared(world, **changes)
    assert [f.field for f in refused.value.fields] == [field]
    assert Consultation.objects.count() == 0


def test_a_council_without_choices_opens_but_cannot_vote(world):
    """No choices: decided at the meeting by consensus (a council); one choice is never a vote."""
    c = prepared(world, form="council", options=[])
    opened = svc.consultation_open(actor=world.actors["community_worker"], public_id=c.public_id)
    assert opened.state == "discussing" and opened.options.count() == 0
    with pytest.raises(DomainError) as refused:
        voting_open(
            actor=world.actors["community_worker"], consultation=opened, voting_until=NOW + dt.timedelta(days=3)
        )
    assert "options" in [f.field for f in refused.value.fields]
    assert Consultation.objects.get(pk=c.pk).state == "discussing"


def test_a_building_inside_the_community_is_accepted(world):
    c = prepared(world, scope_kind="building", scope_path=f"{SHUIYUANDI}001001")
    assert c.scope_path == f"{SHUIYUANDI}001001"


def test_outside_the_scope_or_without_the_permission_is_refused(world):
    for name, code in (("other_community_worker", "not_found"), ("resident", "not_found"), ("auditor", "not_found")):
        with pytest.raises(DomainError) as refused:
            svc.consultation_create(actor=world.actors[name], data=data())
        assert refused.value.code in (code, "permission_denied")
    assert Consultation.objects.count() == 0


def test_editing_only_while_a_draft(world):
    c = prepared(world)
    svc.consultation_edit(
        actor=world.actors["community_worker"], public_id=c.public_id, data=data(title="新标题", quorum_percent=60)
    )
    c.refresh_from_db()
    assert (c.title, c.quorum_percent) == ("新标题", 60)
    svc.consultation_open(actor=world.actors["community_worker"], public_id=c.public_id)
    with pytest.raises(DomainError) as refused:
        svc.consultation_edit(
            actor=world.actors["community_worker"], public_id=c.public_id, data=data(quorum_percent=10)
        )
    assert refused.value.code == "conflict"
    c.refresh_from_db()
    assert (c.quorum_percent, c.state) == (60, "discussing")


def test_cancelling_needs_a_reason_and_is_final(world):
    c = discussing(world)
    worker = world.actors["community_worker"]
    with pytest.raises(DomainError):
        svc.consultation_cancel(actor=worker, public_id=c.public_id, reason=" ")
    assert Consultation.objects.get(pk=c.pk).state == "discussing"
    svc.consultation_cancel(actor=worker, public_id=c.public_id, reason="方案需重新调研")
    c.refresh_from_db()
    assert (c.state, c.cancel_reason) == ("cancelled", "方案需重新调研")
    with pytest.raises(DomainError) as again:
        svc.consultation_cancel(actor=worker, public_id=c.public_id, reason="再次")
    assert again.value.code == "conflict"


def test_a_participant_comments_while_open_masked_and_pending(world):
    c = prepared(world)
    resident = world.actors["resident"]
    with pytest.raises(DomainError) as closed:
        svc.comment_add(actor=resident, consultation=c, body="建议增加充电桩")
    assert closed.value.code == "conflict" and Comment.objects.count() == 0
    svc.consultation_open(actor=world.actors["community_worker"], public_id=c.public_id)
    comment = svc.comment_add(actor=resident, consultation=c, body="建议增加充电桩")
    assert (comment.author_name, comment.author_shown, comment.state) == ("张建国", "张*国", "pending")


def test_a_resident_outside_the_scope_cannot_comment(world):
    c = discussing(world, scope_kind="grid", scope_path=f"{SHUIYUANDI}002")
    with pytest.raises(DomainError) as refused:
        svc.comment_add(actor=world.actors["resident"], consultation=c, body="意见")
    assert refused.value.code == "not_participant"
    with pytest.raises(DomainError):
        svc.comment_add(actor=world.actors["far_resident"], consultation=discussing(world), body="意见")
    assert Comment.objects.count() == 0


def test_a_too_long_comment_is_refused(world):
    c = discussing(world)
    with pytest.raises(DomainError) as refused:
        svc.comment_add(actor=world.actors["resident"], consultation=c, body="长" * 1001)
    assert [f.field for f in refused.value.fields] == ["body"] and Comment.objects.count() == 0


def test_moderation_shows_or_hides_with_a_reason(world):
    c = discussing(world)
    comment = svc.comment_add(actor=world.actors["resident"], consultation=c, body="意见")
    worker = world.actors["community_worker"]
    with pytest.raises(DomainError):
        svc.comment_moderate(actor=worker, public_id=comment.public_id, show=False)
    assert Comment.objects.get(pk=comment.pk).state == "pending"
    with pytest.raises(DomainError) as foreign:
        svc.comment_moderate(actor=world.actors["other_community_worker"], public_id=comment.public_id, show=True)
    assert foreign.value.code == "not_found" and Comment.objects.get(pk=comment.pk).state == "pending"
    svc.comment_moderate(actor=worker, public_id=comment.public_id, show=False, reason="含个人信息")
    comment.refresh_from_db()
    assert (comment.state, comment.moderation_reason) == ("hidden", "含个人信息")


def test_sign_in_once_per_resident_and_stakeholders_by_unit(world, clock):
    c = discussing(world)
    worker = world.actors["community_worker"]
    meeting = svc.meeting_schedule(actor=worker, public_id=c.public_id, starts_at=NOW, place="社区会议室")
    row = svc.meeting_sign_in(actor=worker, meeting_id=meeting.public_id, resident_ref=str(world.zhang.public_id))
    assert (row.name_shown, row.household_ref) == ("张*国", world.zhang.household.public_id)
    with pytest.raises(DomainError) as again:
        svc.meeting_sign_in(actor=worker, meeting_id=meeting.public_id, resident_ref=str(world.zhang.public_id))
    assert again.value.code == "conflict" and str(again.value.message.en) == "Already signed in"
    with pytest.raises(DomainError) as outsider:
        svc.meeting_sign_in(actor=worker, meeting_id=meeting.public_id, resident_ref=str(world.sun.public_id))
    assert [f.field for f in outsider.value.fields] == ["resident"]
    svc.meeting_sign_in(actor=worker, meeting_id=meeting.public_id, stakeholder="物业公司", name="王经理")
    assert list(SignIn.objects.values_list("name_shown", "stakeholder")) == [("张*国", ""), ("王经理", "物业公司")]


def test_minutes_only_after_the_meeting_started(world, clock):
    c = discussing(world)
    worker = world.actors["community_worker"]
    later = svc.meeting_schedule(
        actor=worker, public_id=c.public_id, starts_at=NOW + dt.timedelta(hours=2), place="会议室"
    )
    with pytest.raises(DomainError) as early:
        svc.meeting_minutes(actor=worker, meeting_id=later.public_id, minutes="纪要")
    assert early.value.code == "conflict"
    later.refresh_from_db()
    assert later.minutes == ""
    clock.shift(dt.timedelta(hours=3))
    svc.meeting_minutes(actor=worker, meeting_id=later.public_id, minutes="与会居民同意方案一")
    later.refresh_from_db()
    assert later.minutes == "与会居民同意方案一"


def test_a_malformed_or_unaccepted_topic_is_refused(world):
    with pytest.raises(DomainError) as refused:
        prepared(world, topic_id="not-a-uuid")
    assert refused.value.code == "not_found" and Consultation.objects.count() == 0
