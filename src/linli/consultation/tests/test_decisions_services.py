# ruff: noqa: F811 (the stage's fixtures are imported from voting_support)
"""Stage decisions: publish, tasks, progress, done, evaluation, completion — and what is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.consultation.models import (
    BoardNotice,
    Consultation,
    ConsultationStep,
    Decision,
    Evaluation,
    ImplementationTask,
    TaskProgress,
)
from linli.consultation.services.decisions import (
    consultation_complete,
    decision_evaluate,
    decision_publish,
    task_add,
    task_done,
    task_progress,
)
from linli.consultation.tests.decisions_support import council_with_minutes, counted
from linli.consultation.tests.voting_support import TODAY, clock, discussing, world  # noqa: F401 (fixtures)
from linli.core.errors import DomainError
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _error(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def _fields(error: DomainError) -> list[str]:
    return [f.field for f in error.fields]


def _published(world, consultation=None) -> Decision:
    return decision_publish(
        actor=world.actors["community_worker"], consultation=consultation or counted(), text="按方案划设车位"
    )


def _implementing(world) -> tuple[Decision, ImplementationTask]:
    decision = _published(world)
    task = task_add(
        actor=world.actors["community_worker"],
        decision=decision,
        what="划设停车位",
        who="物业公司",
        due_on=TODAY + dt.timedelta(days=10),
    )
    return decision, task


# ---- publish -----------------------------------------------------------------------------------


def test_publish_takes_the_winner_and_goes_on_the_board(world):
    consultation = counted()
    decision = _published(world, consultation)
    consultation.refresh_from_db()
    assert consultation.state == "decided"
    assert decision.option.key == "A"
    assert decision.text == "表决结果：“同意”获得通过（投票 6 / 名册 10）。\n按方案划设车位"
    assert decision.decided_on == TODAY
    notice = BoardNotice.objects.get()
    assert (notice.kind, notice.source_type, notice.source_ref) == ("decision", "decision", str(decision.public_id))
    assert notice.path == consultation.path
    step = ConsultationStep.objects.get(consultation=consultation)
    assert (step.from_state, step.to_state) == ("counted", "decided")
    assert AuditEntry.objects.filter(action="consultation.decision_publish").count() == 1


def test_publish_without_quorum_says_so_and_carries_no_option(world):
    decision = _published(world, counted(quorum_met=False))
    assert decision.option is None
    assert decision.text.startswith("表决未达到规定的参与人数（投票 6 / 名册 10），没有选项获得通过。")


def test_publish_without_a_winner_says_so(world):
    decision = _published(world, counted(winner=None))
    assert decision.option is None
    assert decision.text.startswith("没有选项获得规定的多数")


def test_a_council_without_options_is_decided_after_its_minutes(world):
    decision = _published(world, council_with_minutes())
    assert decision.option is None
    assert decision.text.startswith("经协商会议讨论（见会议纪要）")
    assert Consultation.objects.get(pk=decision.consultation_id).state == "decided"


def test_publish_refused_before_the_count_and_twice(world):
    still_discussing = discussing()
    error = _error(lambda: _published(world, still_discussing))
    assert error.status == 409
    consultation = counted()
    _published(world, consultation)
    assert _error(lambda: _published(world, consultation)).status == 409
    assert Decision.objects.count() == 1
    assert BoardNotice.objects.count() == 1


def test_publish_refused_for_others_and_bad_input(world):
    consultation = counted()
    assert (
        _error(
            lambda: decision_publish(actor=world.actors["other_community_worker"], consultation=consultation, text="x")
        ).status
        == 404
    )
    assert _error(
        lambda: decision_publish(actor=world.actors["resident"], consultation=consultation, text="x")
    ).status in (403, 404)
    error = _error(
        lambda: decision_publish(
            actor=world.actors["community_worker"],
            consultation=consultation,
            text=" ",
            decided_on=TODAY + dt.timedelta(days=1),
        )
    )
    assert _fields(error) == ["text", "decided_on"]
    consultation.refresh_from_db()
    assert consultation.state == "counted"
    assert Decision.objects.count() == 0
    assert BoardNotice.objects.count() == 0


# ---- tasks -------------------------------------------------------------------------------------


def test_the_first_task_starts_the_implementation(world):
    decision, task = _implementing(world)
    assert Consultation.objects.get(pk=decision.consultation_id).state == "implementing"
    assert (task.state, task.percent) == ("open", 0)
    task_add(actor=world.actors["community_worker"], decision=decision, what="安装标识", who="社区", due_on=TODAY)
    assert ImplementationTask.objects.count() == 2
    assert ConsultationStep.objects.filter(to_state="implementing").count() == 1


def test_a_task_due_in_the_past_is_refused(world):
    decision = _published(world)
    error = _error(
        lambda: task_add(
            actor=world.actors["community_worker"],
            decision=decision,
            what="划设",
            who="",
            due_on=TODAY - dt.timedelta(days=1),
        )
    )
    assert _fields(error) == ["who", "due_on"]
    assert ImplementationTask.objects.count() == 0
    assert Consultation.objects.get(pk=decision.consultation_id).state == "decided"


def test_progress_moves_forward_only(world):
    _decision, task = _implementing(world)
    worker = world.actors["community_worker"]
    task_progress(actor=worker, task=task, note="已完成测量", percent=40)
    for bad in (30, 101):
        error = _error(lambda bad=bad: task_progress(actor=worker, task=task, note="回退", percent=bad))
        assert _fields(error) == ["percent"]
    task.refresh_from_db()
    assert task.percent == 40
    assert list(TaskProgress.objects.values_list("percent", flat=True)) == [40]


def test_the_last_task_done_publishes_the_result(world):
    decision, task = _implementing(world)
    worker = world.actors["community_worker"]
    second = task_add(actor=worker, decision=decision, what="安装标识", who="社区", due_on=TODAY)
    task_done(actor=worker, task=task)
    assert BoardNotice.objects.filter(kind="result").count() == 0
    task_done(actor=worker, task=second, note="标识已安装")
    notice = BoardNotice.objects.get(kind="result")
    assert notice.source_ref == str(decision.public_id)
    assert "划设停车位（物业公司）：已完成" in notice.body
    assert _error(lambda: task_done(actor=worker, task=second)).status == 409
    assert BoardNotice.objects.filter(kind="result").count() == 1


# ---- evaluation and completion -----------------------------------------------------------------


def test_participants_evaluate_once_while_open(world, clock):
    decision, task = _implementing(world)
    assert _error(lambda: decision_evaluate(actor=world.actors["resident"], decision=decision, rating=5)).status == 409
    task_done(actor=world.actors["community_worker"], task=task)
    decision_evaluate(actor=world.actors["resident"], decision=decision, rating=5, comment="很好")
    assert _error(lambda: decision_evaluate(actor=world.actors["resident"], decision=decision, rating=4)).status == 409
    assert _fields(_error(lambda: decision_evaluate(actor=world.actors["resident3"], decision=decision, rating=6))) == [
        "rating"
    ]
    assert (
        _error(lambda: decision_evaluate(actor=world.actors["far_resident"], decision=decision, rating=3)).status == 404
    )
    assert (
        _error(lambda: decision_evaluate(actor=world.actors["community_worker"], decision=decision, rating=3)).status
        == 404
    )
    clock.shift(dt.timedelta(days=30))
    assert _error(lambda: decision_evaluate(actor=world.actors["resident3"], decision=decision, rating=3)).status == 409
    assert list(Evaluation.objects.values_list("rating", flat=True)) == [5]


def test_complete_after_every_task_is_done(world):
    decision, task = _implementing(world)
    worker = world.actors["community_worker"]
    consultation = decision.consultation
    assert _error(lambda: consultation_complete(actor=worker, consultation=consultation)).status == 409
    assert Consultation.objects.get(pk=consultation.pk).state == "implementing"
    task_done(actor=worker, task=task)
    assert (
        _error(
            lambda: consultation_complete(actor=world.actors["other_community_worker"], consultation=consultation)
        ).status
        == 404
    )
    done = consultation_complete(actor=worker, consultation=consultation)
    assert done.state == "completed"
    assert Decision.objects.get(pk=decision.pk).completed_at is not None
    assert AuditEntry.objects.filter(action="consultation.consultation_complete").count() == 1
