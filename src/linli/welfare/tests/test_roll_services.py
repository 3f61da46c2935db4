"""The roll's changes, reviews (渐退, stop with reasons), the payroll (generate, approve, frozen
against the service and the database, corrections) and the bank file (masked or revealed)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction

from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.welfare.domain.roll import ChangeKind, Outcome, PayrollState, RecipientState, ReviewState
from linli.welfare.models import Payroll, PayrollLine, Recipient, RecipientChange, Review
from linli.welfare.rules.facts import WAGE, Income
from linli.welfare.services.roll import (
    payroll_approve,
    payroll_correct,
    payroll_export,
    payroll_generate,
    payroll_line_edit,
    recipient_account_reveal,
    recipient_account_set,
    recipient_facts,
    recipient_facts_update,
    recipient_stop,
    review_confirm,
    review_confirm_unchanged,
    review_household,
    review_recompute,
)
from linli.welfare.tests.roll_support import (  # noqa: F401
    HUNHEWAN,
    OTHER_BUILDING,
    SHUIYUANDI,
    TODAY,
    clock,
    enrol,
    facts,
    rules_api,
)

pytestmark = pytest.mark.usefixtures("rules_api", "clock")
JANUARY = dt.date(2027, 1, 1)


def _income_rose(actors, recipient, wage="2000"):
    household = recipient_facts(actor=actors["community_worker"], recipient=recipient)
    first = dataclasses.replace(household.members[0], employed=True, incomes=(Income(WAGE, Decimal(wage)),))
    changed = dataclasses.replace(household, members=(first, *household.members[1:]))
    return recipient_facts_update(
        actor=actors["community_worker"], recipient=recipient, household=changed, reason="长子已就业，月薪2000元"
    )


# ---------------------------------------------------------------- reviews


def test_income_rose_moves_a_dibao_household_to_gradual_exit_when_confirmed(actors):
    recipient = enrol(actors, facts(wage="0"))
    before = recipient.monthly_amount
    _income_rose(actors, recipient)
    review = review_household(actor=actors["community_worker"], recipient=recipient)
    assert (review.current_class, review.proposed_class, review.outcome) == ("dibao", "edge", Outcome.PHASE_OUT)
    recipient.refresh_from_db()
    assert recipient.state == RecipientState.ACTIVE  # nothing changes before the confirmation
    change = review_confirm(actor=actors["community_worker"], review=review, reason="收入超过低保标准，进入渐退")
    recipient.refresh_from_db()
    assert change.kind == ChangeKind.PHASE_OUT and change.reason == "收入超过低保标准，进入渐退"
    assert recipient.state == RecipientState.PHASING_OUT
    assert recipient.monthly_amount == before  # paid as before during the exit
    assert recipient.phase_out_until == dt.date(2027, 6, 30)  # 6 months (example value) from January
    assert recipient.determination.assistance_class == "edge"  # the confirmation's determination, with its trace
    review.refresh_from_db()
    assert review.state == ReviewState.CONFIRMED


def test_gradual_exit_ends_in_a_stop_that_keeps_the_row(actors, clock):  # noqa: F811
    recipient = enrol(actors, facts(wage="0"))
    _income_rose(actors, recipient)
    review_confirm(
        actor=actors["community_worker"],
        review=review_household(actor=actors["community_worker"], recipient=recipient),
        reason="进入渐退",
    )
    clock.move_to(dt.datetime(2027, 7, 2, 10, 0))
    review = review_household(actor=actors["community_worker"], recipient=recipient)
    assert review.outcome == Outcome.STOP
    with pytest.raises(DomainError) as refused:
        review_confirm(actor=actors["community_worker"], review=review, reason="渐退期满")
    assert refused.value.fields[0].field == "confirm"
    recipient.refresh_from_db()
    assert recipient.state == RecipientState.PHASING_OUT
    review_confirm(actor=actors["community_worker"], review=review, reason="渐退期满", confirm=True)
    recipient.refresh_from_db()
    assert recipient.state == RecipientState.STOPPED and recipient.stopped_on == dt.date(2027, 8, 1)
    kinds = list(recipient.changes.order_by("pk").values_list("kind", flat=True))
    assert kinds == [ChangeKind.START, ChangeKind.PHASE_OUT, ChangeKind.STOP]


def test_a_stop_needs_a_reason_and_a_confirmation_and_keeps_the_row(actors):
    recipient = enrol(actors, facts(wage="0"))
    with pytest.raises(DomainError) as refused:
        recipient_stop(actor=actors["civil_affairs_officer"], recipient=recipient, reason=" ", confirm=False)
    assert {f.field for f in refused.value.fields} == {"reason", "confirm"}
    assert Recipient.objects.get(pk=recipient.pk).state == RecipientState.ACTIVE
    assert recipient.changes.count() == 1
    recipient_stop(actor=actors["civil_affairs_officer"], recipient=recipient, reason="迁出本市", confirm=True)
    recipient.refresh_from_db()
    assert recipient.state == RecipientState.STOPPED
    stop = recipient.changes.get(kind=ChangeKind.STOP)
    assert stop.reason == "迁出本市" and stop.from_amount == recipient.monthly_amount
    assert stop.notice_number.startswith("BG210102") and not stop.notified_in_app  # printed notice
    assert AuditEntry.objects.filter(action="welfare.roll_change", reason="迁出本市").exists()


def test_a_worker_may_not_stop_by_hand(actors):
    recipient = enrol(actors, facts(wage="0"))
    with pytest.raises(DomainError):
        recipient_stop(actor=actors["community_worker"], recipient=recipient, reason="迁出", confirm=True)
    assert Recipient.objects.get(pk=recipient.pk).state == RecipientState.ACTIVE


def test_recompute_lists_differences_without_changing_anything(actors):
    same = enrol(actors, facts(wage="0"), head="李四")
    rose = enrol(actors, facts(wage="0"), head="王五")
    _income_rose(actors, rose)
    run = review_recompute(actor=actors["street_officer"], scope="210102001", on=TODAY)
    assert (run.households, run.differences) == (2, 1)
    outcomes = dict(Review.objects.filter(run=run).values_list("recipient_id", "outcome"))
    assert outcomes == {same.pk: Outcome.UNCHANGED, rose.pk: Outcome.PHASE_OUT}
    assert set(Recipient.objects.values_list("state", flat=True)) == {RecipientState.ACTIVE}
    # a second run replaces the open proposals, it does not add to them
    again = review_recompute(actor=actors["street_officer"], scope="210102001", on=TODAY)
    assert Review.objects.filter(state=ReviewState.PROPOSED).count() == 2
    assert set(Review.objects.filter(state=ReviewState.PROPOSED).values_list("run", flat=True)) == {again.pk}


def test_batch_confirm_of_unchanged_moves_the_next_review(actors):
    same = enrol(actors, facts(wage="0"))
    rose = enrol(actors, facts(wage="0"))
    _income_rose(actors, rose)
    review_recompute(actor=actors["community_worker"], scope=SHUIYUANDI, on=TODAY)
    with pytest.raises(DomainError):
        review_confirm_unchanged(actor=actors["community_worker"], under=SHUIYUANDI, reason="")
    done = review_confirm_unchanged(actor=actors["community_worker"], under=SHUIYUANDI, reason="年度复核，情况未变")
    assert done == 1
    same.refresh_from_db()
    assert same.next_review_on == dt.date(2028, 1, 1)
    assert same.changes.filter(kind=ChangeKind.REVIEWED).count() == 1
    assert Review.objects.get(recipient=rose, state=ReviewState.PROPOSED).outcome == Outcome.PHASE_OUT


def test_negative_income_in_the_facts_is_refused_naming_the_member(actors):
    recipient = enrol(actors, facts(wage="0"))
    household = recipient_facts(actor=actors["community_worker"], recipient=recipient)
    bad = dataclasses.replace(household.members[1], incomes=(Income(WAGE, Decimal("-5")),))
    with pytest.raises(DomainError) as refused:
        recipient_facts_update(
            actor=actors["community_worker"],
            recipient=recipient,
            household=dataclasses.replace(household, members=(household.members[0], bad)),
            reason="更正",
        )
    assert refused.value.fields[0].field == "members.2.wage"
    assert Recipient.objects.get(pk=recipient.pk).facts_sealed == recipient.facts_sealed


def test_the_other_community_cannot_touch_the_household(actors):
    recipient = enrol(actors, facts(wage="0"))
    with pytest.raises(DomainError):
        recipient_facts_update(
            actor=actors["other_community_worker"], recipient=recipient, household=facts(wage="3000"), reason="x"
        )
    assert recipient_facts(actor=actors["other_community_worker"], recipient=recipient) is None
    with pytest.raises(DomainError):
        review_recompute(actor=actors["other_community_worker"], scope=SHUIYUANDI, on=TODAY)
    assert not Review.objects.exists()


# ---------------------------------------------------------------- payroll


def _roll(actors):
    a = enrol(actors, facts(wage="0"), head="张三明")
    b = enrol(actors, facts(wage="0", members=3), head="李小红", path=OTHER_BUILDING)
    recipient_account_set(
        actor=actors["community_worker"],
        recipient=a,
        bank_name="沈阳农商银行",
        account_number="6217 0000 1234 5678",
        reason="户主提供存折",
    )
    return a, b


def test_payroll_generate_approve_freeze(actors):
    a, b = _roll(actors)
    officer = actors["civil_affairs_officer"]
    with pytest.raises(DomainError):
        payroll_generate(actor=actors["street_officer"], district_path="210102", month=JANUARY)
    payroll = payroll_generate(actor=officer, district_path="210102", month=JANUARY)
    assert payroll.households == 2 and payroll.total == a.monthly_amount + b.monthly_amount
    assert payroll.number == "FF210102202701"
    # December: they start to be paid from January
    assert payroll_generate(actor=officer, district_path="210102", month=dt.date(2026, 12, 1)).households == 0
    with pytest.raises(DomainError) as refused:
        payroll_approve(actor=officer, payroll=payroll)
    assert refused.value.fields[0].field == "confirm"
    payroll_approve(actor=officer, payroll=payroll, confirm=True, note="核对无误")
    payroll.refresh_from_db()
    assert payroll.state == PayrollState.APPROVED and payroll.approved_by_name == "civil_affairs_officer"
    line = payroll.lines.get(recipient=a)
    with pytest.raises(DomainError) as refused:
        payroll_line_edit(actor=officer, line=line, amount=Decimal("1"))
    assert refused.value.code == "conflict"
    with pytest.raises(DomainError):
        payroll_generate(actor=officer, district_path="210102", month=JANUARY)
    with pytest.raises(DomainError):
        payroll_approve(actor=officer, payroll=payroll, confirm=True)
    assert PayrollLine.objects.get(pk=line.pk).amount == a.monthly_amount


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE welfare_payrollline SET amount = 1 WHERE payroll_id = %s",
        "DELETE FROM welfare_payrollline WHERE payroll_id = %s",
        "UPDATE welfare_payroll SET total = 1 WHERE id = %s",
        "DELETE FROM welfare_payroll WHERE id = %s",
    ],
)
def test_the_database_refuses_to_edit_a_frozen_payroll(actors, statement):
    _roll(actors)
    payroll = payroll_generate(actor=actors["civil_affairs_officer"], district_path="210102", month=JANUARY)
    payroll_approve(actor=actors["civil_affairs_officer"], payroll=payroll, confirm=True)
    total = Payroll.objects.get(pk=payroll.pk).total
    from django.db import connection

    with pytest.raises(DatabaseError, match="frozen"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [payroll.pk])
    assert Payroll.objects.get(pk=payroll.pk).total == total
    assert PayrollLine.objects.filter(payroll=payroll).count() == 2


def test_the_database_refuses_a_new_line_in_a_frozen_payroll_and_edits_of_changes(actors):
    a, _ = _roll(actors)
    payroll = payroll_generate(actor=actors["civil_affairs_officer"], district_path="210102", month=JANUARY)
    payroll_approve(actor=actors["civil_affairs_officer"], payroll=payroll, confirm=True)
    line = payroll.lines.first()
    with pytest.raises(DatabaseError, match="frozen"), transaction.atomic():
        PayrollLine.objects.create(
            payroll=payroll, recipient=a, path=a.path, head_name="x", assistance_class="dibao", members=1, amount=1
        )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        RecipientChange.objects.filter(recipient=a).update(reason="改写")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        RecipientChange.objects.filter(recipient=a).delete()
    assert PayrollLine.objects.filter(payroll=payroll).count() == 2 and line.amount == a.monthly_amount


def test_a_correction_is_a_new_line_in_a_supplementary_payroll(actors):
    a, _ = _roll(actors)
    officer = actors["civil_affairs_officer"]
    payroll = payroll_generate(actor=officer, district_path="210102", month=JANUARY)
    line = payroll.lines.get(recipient=a)
    with pytest.raises(DomainError):  # a draft is generated again, not corrected
        payroll_correct(actor=officer, line=line, difference=Decimal("50"), reason="漏发")
    payroll_approve(actor=officer, payroll=payroll, confirm=True)
    with pytest.raises(DomainError) as refused:
        payroll_correct(actor=officer, line=line, difference=-(line.amount + 1), reason="多发")
    assert refused.value.fields[0].field == "difference"
    correction = payroll_correct(actor=officer, line=line, difference=Decimal("50"), reason="12月漏发加发部分")
    assert correction.corrects_id == line.pk and correction.amount == Decimal("50.00")
    assert correction.payroll.kind == "supplementary" and correction.payroll.number == "FF210102202701-B1"
    assert correction.payroll.total == Decimal("50.00")
    assert PayrollLine.objects.get(pk=line.pk).amount == a.monthly_amount


def test_phasing_out_and_stopped_households_in_the_payroll(actors, clock):  # noqa: F811
    a, b = _roll(actors)
    _income_rose(actors, a)
    review_confirm(
        actor=actors["community_worker"],
        review=review_household(actor=actors["community_worker"], recipient=a),
        reason="渐退",
    )
    recipient_stop(actor=actors["civil_affairs_officer"], recipient=b, reason="死亡注销", confirm=True)
    officer = actors["civil_affairs_officer"]
    january = payroll_generate(actor=officer, district_path="210102", month=JANUARY)
    assert list(january.lines.values_list("recipient_id", flat=True)) == [a.pk]  # b stopped from January
    july = payroll_generate(actor=officer, district_path="210102", month=dt.date(2027, 7, 1))
    assert july.households == 0  # the exit ended with June


def test_export_masked_by_default_revealed_with_a_reason(actors):
    _roll(actors)
    officer = actors["civil_affairs_officer"]
    payroll = payroll_generate(actor=officer, district_path="210102", month=JANUARY)
    content, name, _ = payroll_export(actor=officer, payroll=payroll, file_format="csv")
    text = content.decode("utf-8-sig")
    assert "****5678" in text and "6217000012345678" not in text and name.endswith("-masked.csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "序号 No." and len(rows) == 4  # header, two lines, total
    assert rows[-1][11] == f"{payroll.total:.2f}"
    with pytest.raises(DomainError) as refused:
        payroll_export(actor=officer, payroll=payroll, file_format="csv", reveal=True, reason="")
    assert refused.value.fields[0].field == "reason"
    content, name, _ = payroll_export(
        actor=officer, payroll=payroll, file_format="xlsx", reveal=True, reason="报送银行"
    )
    assert content[:2] == b"PK" and name == "FF210102202701.xlsx"
    audit = AuditEntry.objects.filter(action="welfare.payroll_export").order_by("pk")
    assert [e.details["revealed"] for e in audit] == ["False", "True"] and audit.last().reason == "报送银行"


def test_the_worker_sees_only_her_communitys_lines_in_the_file(actors):
    _roll(actors)
    payroll = payroll_generate(actor=actors["civil_affairs_officer"], district_path="210102", month=JANUARY)
    content, _, _ = payroll_export(actor=actors["community_worker"], payroll=payroll, file_format="csv")
    text = content.decode("utf-8-sig")
    assert "张三明" in text and "李小红" not in text
    with pytest.raises(DomainError):
        payroll_export(actor=actors["resident"], payroll=payroll, file_format="csv")


def test_account_reveal_is_audited_and_needs_a_reason(actors):
    a, _ = _roll(actors)
    a.refresh_from_db()
    assert a.account_masked == "****5678"
    with pytest.raises(DomainError):
        recipient_account_reveal(actor=actors["community_worker"], recipient=a, reason="")
    number = recipient_account_reveal(actor=actors["community_worker"], recipient=a, reason="核对账户")
    assert number == "6217000012345678"
    assert AuditEntry.objects.filter(action="welfare.roll_account_reveal", reason="核对账户").count() == 1
    with pytest.raises(DomainError):
        recipient_account_reveal(actor=actors["other_community_worker"], recipient=a, reason="核对")


def test_the_pools_care_groups_follow_a_stop(actors):
    """A stopped 低保 household's members leave the pool's 低保 group (welfare's own call)."""
    from linli.residents.selectors import resident_care_kinds
    from linli.residents.services import care_membership_determined
    from linli.welfare.tests.relief_support import Person, build_household, years_ago

    household, residents = build_household(SHUIYUANDI, "301", [Person("赵大明", years_ago(50))])
    officer = actors["civil_affairs_officer"]
    made = facts(wage="0", members=1)
    made = dataclasses.replace(made, members=(dataclasses.replace(made.members[0], ref=str(residents[0].public_id)),))
    recipient = enrol(actors, made, path=household.path)
    care_membership_determined(
        actor=officer, resident_refs=[str(residents[0].public_id)], kind="dibao", on=TODAY, member=True
    )
    assert "dibao" in resident_care_kinds(residents[0])
    recipient_stop(actor=officer, recipient=recipient, reason="收入稳定，申请退出", confirm=True)
    residents[0].refresh_from_db()
    assert "dibao" not in resident_care_kinds(residents[0])


def test_the_review_command_computes_without_changing_the_roll(actors):
    from io import StringIO

    from django.core.management import CommandError, call_command

    enrol(actors, facts(wage="0"))
    out = StringIO()
    call_command("welfare_review", scope="2101", on=str(TODAY), stdout=out)
    assert "1 households under 2101" in out.getvalue()
    assert Review.objects.filter(state=ReviewState.PROPOSED).count() == 1
    with pytest.raises(CommandError):
        call_command("welfare_review", scope="2101", on="2019-01-01")  # no parameter that early
    with pytest.raises(CommandError):
        call_command("welfare_review", scope="x", on=str(TODAY))
