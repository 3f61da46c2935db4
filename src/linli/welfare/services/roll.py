"""Writes of the roll, its reviews and the monthly payroll: one transaction each, checked, then
written, audited and notified, with the recipient's or payroll's row locked.

- `roll_enrol` puts a decided household on the roll (the applications stage calls it at the
  county's decision); a household already on the roll is determined again, not enrolled twice.
- Every change to the roll is an append-only `RecipientChange` with its reason and a notice to
  the household (the inbox when a member has an account, a printed notice otherwise); stopping
  needs a reason and a confirmation and keeps the row.
- `review_recompute` re-determines every household in a scope in one vectorised call of the rules
  and writes the proposals in bulk; nothing on the roll changes until `review_confirm`.
- A payroll is generated from the roll, approved (frozen: the service and database triggers
  refuse any later edit), and corrected only by new lines in a supplementary payroll."""

from __future__ import annotations

import gc
import time
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from linli.accounts.domain import WELFARE_DECIDE, WELFARE_INTAKE, WELFARE_REVEAL, WELFARE_REVIEW
from linli.core.actor import Actor
from linli.core.crypto import seal, unseal
from linli.core.errors import FieldError, Msg, conflict, field_error, permission_denied, validation_failed
from linli.core.ids import uuid7
from linli.core.notify import notify
from linli.core.paths import under_path
from linli.core.services import audit_record
from linli.welfare.domain.classes import PAID_CLASSES, AssistanceClass
from linli.welfare.domain.roll import (
    CENT,
    COUNTY_APPROVED,
    COUNTY_REDETERMINED,
    GRADUAL_EXIT_PARAMETER,
    OUTCOME_CHANGE,
    REVIEW_INTERVAL_PARAMETER,
    ChangeKind,
    Outcome,
    PayrollKind,
    PayrollState,
    RecipientState,
    ReviewState,
    account_problem,
    add_months,
    is_paid,
    mask_account,
    month_start,
    paid_from_after,
    review_outcome,
)
from linli.welfare.models import Determination, Payroll, PayrollLine, Recipient, RecipientChange, Review, ReviewRun
from linli.welfare.rules.engine import yuan
from linli.welfare.rules.facts import Household, facts_from_json, facts_to_json
from linli.welfare.selectors.roll import rules_determine_many, rules_parameter_int, sees_district, sees_roll

FACTS_CONTEXT = "welfare.facts"
ACCOUNT_CONTEXT = "welfare.account"
REASON_MAX = 300
BULK = 5000


def _audit(actor: Actor, action: str, object_type: str, object_id, path: str, reason: str = "", **details) -> None:
    audit_record(
        actor=actor,
        action=f"welfare.{action}",
        object_type=object_type,
        object_id=object_id,
        org_path=path,
        reason=reason[:200],
        details={k: str(v) for k, v in details.items()},
    )


def _reason(problems: list[FieldError], reason: str, name: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        problems.append(field_error(name, "请填写变更理由", "Give the reason for the change"))
    elif len(reason) > REASON_MAX:
        problems.append(field_error(name, "理由不能超过 300 字", "At most 300 characters"))
    return reason


def _may_act(actor: Actor, path: str, *permissions: str) -> None:
    if not any(actor.has_perm(p) for p in permissions) or not actor.sees_path(path):
        raise permission_denied()


def _locked(recipient: Recipient) -> Recipient:
    return Recipient.objects.select_for_update().get(pk=recipient.pk)


def _account_user(facts_sealed: str) -> int | None:
    """The account of a member of the household in the pool (the first found), for inbox notices."""
    from linli.residents.selectors import applicant_by_ref

    if not facts_sealed:
        return None
    household = facts_from_json(unseal(facts_sealed, context=FACTS_CONTEXT))
    for member in household.members:
        if member.ref.startswith("outside"):
            continue
        card = applicant_by_ref(member.ref)
        if card is not None and card.user_id:
            return card.user_id
    return None


CHANGE_TEXT = {
    ChangeKind.START: ("已纳入社会救助名册", "has been put on the assistance roll"),
    ChangeKind.INCREASE: ("救助金增发", "the monthly amount rises"),
    ChangeKind.DECREASE: ("救助金减发", "the monthly amount falls"),
    ChangeKind.CLASS_CHANGE: ("救助类别变更", "the assistance class changes"),
    ChangeKind.PHASE_OUT: ("进入渐退期", "gradual exit begins"),
    ChangeKind.STOP: ("停发救助金", "assistance stops"),
    ChangeKind.RESUME: ("恢复发放", "assistance resumes"),
    ChangeKind.REVIEWED: ("复核结果：维持不变", "reviewed, unchanged"),
    ChangeKind.REDETERMINED: ("重新认定", "determined again"),
    ChangeKind.ACCOUNT: ("收款账户已变更", "the payee account changed"),
}


def _change(
    recipient: Recipient,
    actor: Actor,
    *,
    kind: str,
    before: dict,
    effective_from: date,
    reason: str,
    determination: Determination | None = None,
    now=None,
) -> RecipientChange:
    """Write one change row (the recipient row already changed and saved) and notify."""
    now = now or timezone.now()
    n = RecipientChange.objects.filter(recipient=recipient).count() + 1
    change = RecipientChange.objects.create(
        recipient=recipient,
        kind=kind,
        from_class=before.get("assistance_class", ""),
        to_class=recipient.assistance_class,
        from_amount=before.get("monthly_amount", Decimal("0")),
        to_amount=recipient.monthly_amount,
        from_state=before.get("state", ""),
        to_state=recipient.state,
        effective_from=effective_from,
        reason=reason[:REASON_MAX],
        determination=determination,
        notice_number=f"BG{recipient.path[:6]}{effective_from:%Y%m}{recipient.pk:07d}{n:02d}"[:32],
        notified_in_app=bool(recipient.account_user_id),
        actor_id=actor.user_id,
        actor_name=actor.shown_name,
        path=recipient.path,
        at=now,
    )
    if kind != ChangeKind.ACCOUNT:
        zh, en = CHANGE_TEXT[ChangeKind(kind)]
        notify(
            user_ids=[recipient.account_user_id],
            kind="welfare.roll_change",
            text=Msg(
                f"社会救助：{zh}，自 {effective_from:%Y年%m月%d日} 起每月 {yuan(recipient.monthly_amount)}。"
                f"理由：{reason[:100]}。如有异议可向社区或街道提出。",
                f"Social assistance: {en}, from {effective_from:%Y-%m-%d} "
                f"{yuan(recipient.monthly_amount)} a month. Reason: {reason[:100]}.",
            ),
        )
    return change


def _snapshot(recipient: Recipient) -> dict:
    return {
        "assistance_class": recipient.assistance_class,
        "monthly_amount": recipient.monthly_amount,
        "state": recipient.state,
    }


def _next_review(assistance_class: str, after: date) -> date:
    months = rules_parameter_int(REVIEW_INTERVAL_PARAMETER.format(assistance_class), after)
    return add_months(after, max(months, 1))


# ================================================================ enrolment


def roll_enrol(*, actor: Actor, determination: Determination, head_name: str, decided_on: date) -> Recipient:
    """Put a household decided by the county on the roll, paid from the first day of the month
    after `decided_on`, next review after the class's interval. A household already on the roll
    is determined again (class, amount, facts and next review follow the new determination; one
    change row), never enrolled twice. The pool's 低保/特困 care groups of the members follow.
    Called inside the county's decision's transaction."""
    if not actor.has_perm(WELFARE_DECIDE) or not actor.sees_path(determination.path):
        raise permission_denied()
    if determination.assistance_class not in AssistanceClass.values or (
        determination.assistance_class == AssistanceClass.NONE
    ):
        raise conflict(Msg("该认定结果不符合救助条件，不能纳入名册", "A not-eligible determination is not enrolled"))
    head_name = (head_name or "").strip()
    if not head_name:
        raise validation_failed([field_error("head_name", "请填写户主姓名", "Give the household head's name")])
    paid_from = paid_from_after(decided_on)
    next_review = _next_review(determination.assistance_class, paid_from)
    amount = determination.monthly_amount if determination.assistance_class in PAID_CLASSES else Decimal("0")
    now = timezone.now()
    with transaction.atomic():
        current = (
            Recipient.objects.select_for_update()
            .filter(household_ref=determination.household_ref)
            .exclude(state=RecipientState.STOPPED)
            .first()
        )
        if current is not None:
            before, before_facts = _snapshot(current), current.facts_sealed
            current.head_name = head_name[:50]
            current.path = determination.path
            current.area = determination.area
            current.assistance_class = determination.assistance_class
            current.monthly_amount = amount
            current.members = determination.members
            current.state = RecipientState.ACTIVE
            current.phase_out_until = None
            current.determination = determination
            current.facts_sealed = determination.facts_sealed
            current.next_review_on = next_review
            current.save()
            if before["assistance_class"] != current.assistance_class:
                _care_groups(actor, before_facts, before["assistance_class"], decided_on, member=False)
            _care_groups(actor, current.facts_sealed, current.assistance_class, decided_on, member=True)
            _change(
                current,
                actor,
                kind=ChangeKind.REDETERMINED,
                before=before,
                effective_from=paid_from,
                reason=COUNTY_REDETERMINED.zh,
                determination=determination,
                now=now,
            )
            _audit(actor, "roll_redetermine", "welfare_recipient", current.public_id, current.path)
            return current
        recipient = Recipient.objects.create(
            household_ref=determination.household_ref,
            path=determination.path,
            head_name=head_name[:50],
            area=determination.area,
            assistance_class=determination.assistance_class,
            monthly_amount=amount,
            members=determination.members,
            determination=determination,
            paid_from=paid_from,
            next_review_on=next_review,
            facts_sealed=determination.facts_sealed,
            account_user_id=_account_user(determination.facts_sealed),
        )
        # the pool's 低保/特困 care groups follow the roll from the decision
        _care_groups(actor, recipient.facts_sealed, recipient.assistance_class, decided_on, member=True)
        _change(
            recipient,
            actor,
            kind=ChangeKind.START,
            before={},
            effective_from=paid_from,
            reason=COUNTY_APPROVED.zh,
            determination=determination,
            now=now,
        )
        _audit(
            actor,
            "roll_enrol",
            "welfare_recipient",
            recipient.public_id,
            recipient.path,
            assistance_class=recipient.assistance_class,
            amount=recipient.monthly_amount,
        )
    return recipient


# ================================================================ facts, account, stop


def recipient_facts(*, actor: Actor, recipient: Recipient) -> Household | None:
    """The household's latest facts, for the roles that decide assistance in its area; each
    reading is audited."""
    if not sees_roll(actor) or not actor.sees_path(recipient.path) or not recipient.facts_sealed:
        return None
    _audit(actor, "roll_facts_read", "welfare_recipient", recipient.public_id, recipient.path)
    return facts_from_json(unseal(recipient.facts_sealed, context=FACTS_CONTEXT))


def recipient_facts_update(*, actor: Actor, recipient: Recipient, household: Household, reason: str) -> Recipient:
    """Record the household's changed facts (e.g. a member found work) before a re-determination.
    The roll's class and amount do not change here: a review proposes, a confirmation changes."""
    _may_act(actor, recipient.path, WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE)
    problems: list[FieldError] = []
    reason = _reason(problems, reason)
    for i, member in enumerate(household.members, start=1):
        for income in member.incomes:
            if income.monthly < 0:
                problems.append(
                    field_error(
                        f"members.{i}.{income.source}", f"第{i}位成员的收入不能为负数", "Income cannot be negative"
                    )
                )
    if not household.members:
        problems.append(field_error("members", "家庭至少有一位成员", "A household has at least one member"))
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        row = _locked(recipient)
        if row.state == RecipientState.STOPPED:
            raise conflict(Msg("该户已停发，请走新的申请", "Assistance has stopped; a new application is needed"))
        row.facts_sealed = seal(facts_to_json(household), context=FACTS_CONTEXT)
        row.save(update_fields=["facts_sealed", "updated_at"])
        _audit(actor, "roll_facts_update", "welfare_recipient", row.public_id, row.path, reason)
    return row


def recipient_account_set(
    *, actor: Actor, recipient: Recipient, bank_name: str, account_number: str, reason: str
) -> Recipient:
    """Record the payee's bank and account (sealed; a masked copy for lists and files)."""
    _may_act(actor, recipient.path, WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE)
    problems: list[FieldError] = []
    reason = _reason(problems, reason)
    bank_name = (bank_name or "").strip()
    number = (account_number or "").replace(" ", "")
    if not bank_name or len(bank_name) > 60:
        problems.append(
            field_error("bank_name", "请填写开户银行（60 字以内）", "Give the bank (60 characters at most)")
        )
    problem = account_problem(number)
    if problem is not None:
        problems.append(FieldError("account_number", problem))
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        row = _locked(recipient)
        row.bank_name = bank_name
        row.account_sealed = seal(number, context=ACCOUNT_CONTEXT)
        row.account_masked = mask_account(number)
        row.save(update_fields=["bank_name", "account_sealed", "account_masked", "updated_at"])
        _change(
            row,
            actor,
            kind=ChangeKind.ACCOUNT,
            before=_snapshot(row),
            effective_from=timezone.localdate(),
            reason=reason,
        )
        _audit(actor, "roll_account_set", "welfare_recipient", row.public_id, row.path, reason)
    return row


def recipient_account_reveal(*, actor: Actor, recipient: Recipient, reason: str) -> str:
    """The full account number, with WELFARE_REVEAL and a reason; audited."""
    _may_act(actor, recipient.path, WELFARE_REVEAL)
    problems: list[FieldError] = []
    reason = _reason(problems, reason)
    if problems:
        raise validation_failed(problems)
    if not recipient.account_sealed:
        return ""
    _audit(actor, "roll_account_reveal", "welfare_recipient", recipient.public_id, recipient.path, reason)
    return unseal(recipient.account_sealed, context=ACCOUNT_CONTEXT)


def recipient_stop(
    *, actor: Actor, recipient: Recipient, reason: str, confirm: bool, on: date | None = None
) -> Recipient:
    """Stop a household's assistance (the county): a reason and a confirmation, from the first
    day of next month; the row stays (state stopped), a change row and a notice are written, the
    care groups in the pool end."""
    _may_act(actor, recipient.path, WELFARE_DECIDE)
    problems: list[FieldError] = []
    reason = _reason(problems, reason)
    if not confirm:
        problems.append(
            field_error("confirm", "停发不可撤销，请勾选确认", "Stopping cannot be undone; tick to confirm")
        )
    if problems:
        raise validation_failed(problems)
    today = on or timezone.localdate()
    with transaction.atomic():
        row = _locked(recipient)
        if row.state == RecipientState.STOPPED:
            raise conflict(Msg("该户已停发", "Assistance has already stopped"))
        _apply(
            row,
            actor,
            Outcome.STOP,
            proposed_class=row.assistance_class,
            proposed_amount=row.monthly_amount,
            reason=reason,
            today=today,
        )
    return row


CARE_KINDS: dict[str, str] = {AssistanceClass.DIBAO.value: "dibao", AssistanceClass.TEKUN.value: "tekun"}


def _care_groups(actor: Actor, facts_sealed: str, assistance_class: str, on: date, *, member: bool) -> None:
    """The pool's 低保/特困 care groups follow the roll (`residents.services.care_membership_determined`,
    the members named in the household's facts; outsiders are skipped)."""
    from linli.residents.services import care_membership_determined

    kind = CARE_KINDS.get(assistance_class)
    if kind is None or not facts_sealed:
        return
    household = facts_from_json(unseal(facts_sealed, context=FACTS_CONTEXT))
    refs = [m.ref for m in household.members if not m.ref.startswith("outside")]
    care_membership_determined(actor=actor, resident_refs=refs, kind=kind, on=on, member=member, source="welfare.roll")


def _apply(
    row: Recipient,
    actor: Actor,
    outcome: str,
    *,
    proposed_class: str,
    proposed_amount: Decimal,
    reason: str,
    today: date,
    determination: Determination | None = None,
) -> RecipientChange:
    """Change a locked recipient row as `outcome` says, from the first day of next month."""
    before = _snapshot(row)
    effective = paid_from_after(today)
    if outcome == Outcome.STOP:
        row.state = RecipientState.STOPPED
        row.stopped_on = effective
    elif outcome == Outcome.PHASE_OUT:
        months = rules_parameter_int(GRADUAL_EXIT_PARAMETER, today)
        row.state = RecipientState.PHASING_OUT
        row.phase_out_until = add_months(effective, months) - timedelta(days=1)
        row.next_review_on = row.phase_out_until + timedelta(days=1)
    elif outcome in (Outcome.INCREASE, Outcome.DECREASE, Outcome.CLASS_CHANGE, Outcome.RESUME):
        row.assistance_class = proposed_class
        row.monthly_amount = proposed_amount if is_paid(proposed_class) else Decimal("0")
        row.state = RecipientState.ACTIVE
        row.phase_out_until = None
    if determination is not None:
        row.determination = determination
    if outcome not in (Outcome.STOP, Outcome.PHASE_OUT):
        row.next_review_on = _next_review(row.assistance_class, effective)
    row.save()
    change = _change(
        row,
        actor,
        kind=OUTCOME_CHANGE[Outcome(outcome)],
        before=before,
        effective_from=effective,
        reason=reason,
        determination=determination,
    )
    _audit(actor, "roll_change", "welfare_recipient", row.public_id, row.path, reason, outcome=outcome)
    if outcome == Outcome.STOP or before["assistance_class"] != row.assistance_class:
        _care_groups(actor, row.facts_sealed, before["assistance_class"], effective, member=False)
        if outcome != Outcome.STOP:
            _care_groups(actor, row.facts_sealed, row.assistance_class, effective, member=True)
    return change


# ================================================================ reviews


def _household_for(recipient_facts: str, assistance_class: str, amount: Decimal) -> Household:
    """The household's latest facts as the rules read them (the rules decide on facts alone: the
    class and amount it receives now are compared afterwards, not fed in)."""
    return facts_from_json(unseal(recipient_facts, context=FACTS_CONTEXT))


REVIEW_COLUMNS = (
    "public_id",
    "run_id",
    "recipient_id",
    "path",
    "on",
    "current_class",
    "current_amount",
    "proposed_class",
    "proposed_amount",
    "per_capita_income",
    "outcome",
    "state",
    "parameters_digest",
    "confirmed_by_name",
    "reason",
)


def _reviews_write(run: ReviewRun, on: date, lines: list[tuple]) -> None:
    """Write the proposals in bulk: PostgreSQL's COPY (200,000 rows in seconds, no model objects),
    `bulk_create` elsewhere. The same rows either way."""
    if connection.vendor == "postgresql":
        columns = ", ".join(f'"{c}"' for c in REVIEW_COLUMNS)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY welfare_review ({columns}) FROM STDIN") as copy:
            for pk, path, cls, amount, proposed, proposed_amount, income, outcome, digest in lines:
                copy.write_row(
                    (
                        uuid7(),
                        run.pk,
                        pk,
                        path,
                        on,
                        cls,
                        amount,
                        proposed,
                        proposed_amount,
                        income,
                        outcome,
                        ReviewState.PROPOSED,
                        digest,
                        "",
                        "",
                    )
                )
        return
    Review.objects.bulk_create(
        [
            Review(
                run=run,
                recipient_id=pk,
                path=path,
                on=on,
                current_class=cls,
                current_amount=amount,
                proposed_class=proposed,
                proposed_amount=proposed_amount,
                per_capita_income=income,
                outcome=outcome,
                parameters_digest=digest,
            )
            for pk, path, cls, amount, proposed, proposed_amount, income, outcome, digest in lines
        ],
        batch_size=BULK,
    )


def review_recompute(
    *, actor: Actor, scope: str, on: date, exit_months: int | None = None, timings: dict | None = None
) -> ReviewRun:
    """Re-determine every household on the roll under `scope` with the rules of `on`, in one
    vectorised call, and write a proposal per household (a household's earlier open proposal is
    replaced). Nothing on the roll changes until a proposal is confirmed. The yearly review and
    the recompute after a change of the standard; `bench/welfare.py` times this function (its
    phases in `timings`, seconds: read, compute, write)."""
    timings = {} if timings is None else timings
    if not sees_roll(actor) or not scope.isdigit() or not actor.sees_path(scope):
        raise permission_denied()
    started = time.perf_counter()
    if exit_months is None:
        exit_months = rules_parameter_int(GRADUAL_EXIT_PARAMETER, on)
    # hundreds of thousands of small objects: the cyclic collector would walk them again and
    # again while they are made (none of them is garbage), so it waits until the end
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _recompute(actor, scope, on, exit_months, timings, started)
    finally:
        if collecting:
            gc.enable()


def _recompute(actor: Actor, scope: str, on: date, exit_months: int, timings: dict, started: float) -> ReviewRun:
    rows = list(
        Recipient.objects.filter(under_path("path", scope))
        .exclude(state=RecipientState.STOPPED)
        .exclude(facts_sealed="")
        .order_by("pk")
        .values_list("pk", "path", "facts_sealed", "assistance_class", "monthly_amount", "state", "phase_out_until")
    )
    households = [_household_for(r[2], r[3], r[4]) for r in rows]
    timings["read"] = time.perf_counter() - started
    results = rules_determine_many(households, on) if households else []
    timings["compute"] = time.perf_counter() - started - timings["read"]
    now = timezone.now()
    with transaction.atomic():
        run = ReviewRun.objects.create(
            scope_path=scope,
            on=on,
            households=len(rows),
            parameters_digest=results[0].parameters_digest if results else "",
            rules_version=results[0].rules_version if results else "",
            made_by_id=actor.user_id,
            made_by_name=actor.shown_name,
            made_at=now,
        )
        Review.objects.filter(under_path("path", scope), state=ReviewState.PROPOSED).update(
            state=ReviewState.SUPERSEDED
        )
        lines = []
        differences = 0
        for (pk, path, _facts, cls, amount, state, until), result in zip(rows, results, strict=True):
            proposed_amount = result.monthly_amount if result.assistance_class in PAID_CLASSES else Decimal("0")
            outcome = review_outcome(
                state=state,
                current_class=cls,
                current_amount=amount,
                proposed_class=result.assistance_class,
                proposed_amount=proposed_amount,
                exit_months=exit_months,
                exit_over=until is not None and until < on,
            )
            differences += outcome != Outcome.UNCHANGED
            lines.append(
                (
                    pk,
                    path,
                    cls,
                    amount,
                    result.assistance_class,
                    proposed_amount.quantize(CENT),
                    result.per_capita_income.quantize(CENT),
                    outcome,
                    result.parameters_digest,
                )
            )
        _reviews_write(run, on, lines)
        run.differences = differences
        run.seconds = round(time.perf_counter() - started, 3)
        run.save(update_fields=["differences", "seconds"])
        timings["write"] = time.perf_counter() - started - timings["read"] - timings["compute"]
        _audit(
            actor,
            "review_recompute",
            "welfare_review_run",
            run.public_id,
            scope,
            households=len(rows),
            differences=differences,
            on=on,
        )
    return run


def review_household(*, actor: Actor, recipient: Recipient, on: date | None = None) -> Review:
    """Re-determine one household (after its facts were updated): the same path as the recompute."""
    on = on or timezone.localdate()
    _may_act(actor, recipient.path, WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE)
    exit_months = rules_parameter_int(GRADUAL_EXIT_PARAMETER, on)
    with transaction.atomic():
        row = _locked(recipient)
        if row.state == RecipientState.STOPPED:
            raise conflict(Msg("该户已停发", "Assistance has already stopped"))
        [result] = rules_determine_many(
            [_household_for(row.facts_sealed, row.assistance_class, row.monthly_amount)], on
        )
        proposed_amount = result.monthly_amount if result.assistance_class in PAID_CLASSES else Decimal("0")
        outcome = review_outcome(
            state=row.state,
            current_class=row.assistance_class,
            current_amount=row.monthly_amount,
            proposed_class=result.assistance_class,
            proposed_amount=proposed_amount,
            exit_months=exit_months,
            exit_over=row.phase_out_until is not None and row.phase_out_until < on,
        )
        Review.objects.filter(recipient=row, state=ReviewState.PROPOSED).update(state=ReviewState.SUPERSEDED)
        review = Review.objects.create(
            recipient=row,
            path=row.path,
            on=on,
            current_class=row.assistance_class,
            current_amount=row.monthly_amount,
            proposed_class=result.assistance_class,
            proposed_amount=proposed_amount.quantize(CENT),
            per_capita_income=result.per_capita_income.quantize(CENT),
            outcome=outcome,
            parameters_digest=result.parameters_digest,
        )
        _audit(actor, "review_household", "welfare_review", review.public_id, row.path, outcome=outcome, on=on)
    return review


def _determination_for(actor: Actor, row: Recipient, on: date) -> Determination:
    """The confirmed review's determination, with the trace (one household, the rules' own
    `determine`)."""
    from linli.welfare.selectors.rules import rules_determine

    household = _household_for(row.facts_sealed, row.assistance_class, row.monthly_amount)
    result = rules_determine(household, on)
    return Determination.objects.create(
        household_ref=row.household_ref,
        path=row.path,
        area=household.area,
        on=on,
        assistance_class=result.assistance_class,
        monthly_amount=result.monthly_amount,
        members=result.members,
        facts_sealed=row.facts_sealed,
        trace_sealed=seal(result.trace_json(), context="welfare.trace"),
        parameters_digest=result.parameters_digest,
        rules_version=result.rules_version,
        made_by_id=actor.user_id,
    )


def review_confirm(*, actor: Actor, review: Review, reason: str, confirm: bool = False) -> RecipientChange:
    """Confirm one proposal with a reason: the roll changes as it says, from the first day of
    next month, with a determination (trace) behind it, a change row and a notice. A stop also
    needs the confirmation tick (it cannot be undone)."""
    _may_act(actor, review.path, WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE)
    problems: list[FieldError] = []
    reason = _reason(problems, reason)
    if review.outcome == Outcome.STOP and not confirm:
        problems.append(
            field_error("confirm", "停发不可撤销，请勾选确认", "Stopping cannot be undone; tick to confirm")
        )
    if problems:
        raise validation_failed(problems)
    today = timezone.localdate()
    with transaction.atomic():
        row = _locked(review.recipient)
        locked = Review.objects.select_for_update().get(pk=review.pk)
        if locked.state != ReviewState.PROPOSED:
            raise conflict(Msg("该复核已确认或已被新的计算取代", "This review was confirmed or replaced already"))
        if row.state == RecipientState.STOPPED:
            raise conflict(Msg("该户已停发", "Assistance has already stopped"))
        determination = _determination_for(actor, row, locked.on)
        change = _apply(
            row,
            actor,
            locked.outcome,
            proposed_class=locked.proposed_class,
            proposed_amount=locked.proposed_amount,
            reason=reason,
            today=today,
            determination=determination,
        )
        locked.state = ReviewState.CONFIRMED
        locked.confirmed_by_name = actor.shown_name
        locked.confirmed_at = timezone.now()
        locked.reason = reason
        locked.save(update_fields=["state", "confirmed_by_name", "confirmed_at", "reason"])
        _audit(actor, "review_confirm", "welfare_review", locked.public_id, locked.path, reason, outcome=locked.outcome)
    return change


def review_confirm_unchanged(*, actor: Actor, under: str, reason: str) -> int:
    """Confirm every open "unchanged" proposal in the actor's area under `under` at once: the
    next review moves on by the class's interval; one change row ("reviewed") per household."""
    problems: list[FieldError] = []
    reason = _reason(problems, reason)
    if problems:
        raise validation_failed(problems)
    if not sees_roll(actor) or not under.isdigit() or not actor.sees_path(under):
        raise permission_denied()
    today = timezone.localdate()
    now = timezone.now()
    done = 0
    with transaction.atomic():
        reviews = list(
            Review.objects.select_for_update()
            .filter(under_path("path", under), state=ReviewState.PROPOSED, outcome=Outcome.UNCHANGED)
            .select_related("recipient")
        )
        for review in reviews:
            row = review.recipient
            if row.state == RecipientState.STOPPED:
                continue
            row.next_review_on = _next_review(row.assistance_class, paid_from_after(today))
            row.save(update_fields=["next_review_on", "updated_at"])
            _change(
                row,
                actor,
                kind=ChangeKind.REVIEWED,
                before=_snapshot(row),
                effective_from=paid_from_after(today),
                reason=reason,
                now=now,
            )
            review.state = ReviewState.CONFIRMED
            review.confirmed_by_name = actor.shown_name
            review.confirmed_at = now
            review.reason = reason
            done += 1
        Review.objects.bulk_update(reviews, ["state", "confirmed_by_name", "confirmed_at", "reason"], batch_size=BULK)
        _audit(actor, "review_confirm", "welfare_review_batch", under, under, reason, outcome="unchanged", count=done)
    return done


# ================================================================ payroll


def _district(actor: Actor, district_path: str) -> str:
    if not actor.has_perm(WELFARE_DECIDE):
        raise permission_denied()
    if len(district_path) != 6 or not district_path.isdigit():
        raise validation_failed([field_error("district", "请选择区县", "Choose a district")])
    if not actor.sees_path(district_path):
        raise permission_denied()
    return district_path


def _payroll_lines_for(payroll: Payroll) -> list[PayrollLine]:
    month = payroll.month
    next_month = add_months(month, 1)
    paying = (
        Q(state=RecipientState.ACTIVE)
        | Q(state=RecipientState.PHASING_OUT, phase_out_until__gte=month)
        | Q(state=RecipientState.STOPPED, stopped_on__gte=next_month)
    )
    rows = (
        Recipient.objects.filter(under_path("path", payroll.district_path), paying)
        .filter(assistance_class__in=list(PAID_CLASSES), monthly_amount__gt=0, paid_from__lte=month)
        .order_by("path", "pk")
    )
    return [
        PayrollLine(
            payroll=payroll,
            recipient=r,
            path=r.path,
            head_name=r.head_name,
            assistance_class=r.assistance_class,
            members=r.members,
            amount=r.monthly_amount,
            bank_name=r.bank_name,
            account_masked=r.account_masked,
            account_sealed=r.account_sealed,
        )
        for r in rows
    ]


def _totals(payroll: Payroll) -> None:
    agg = PayrollLine.objects.filter(payroll=payroll).aggregate(n=Count("recipient", distinct=True), a=Sum("amount"))
    payroll.households = agg["n"] or 0
    payroll.total = (agg["a"] or Decimal("0")).quantize(CENT)


def payroll_generate(*, actor: Actor, district_path: str, month: date) -> Payroll:
    """The payroll of a district for a month from the roll: one line per household paid that
    month (receiving, in gradual exit until its end, stopped from a later month). A draft is
    generated again from the roll as it is now; an approved one is refused."""
    district_path = _district(actor, district_path)
    month = month_start(month)
    now = timezone.now()
    with transaction.atomic():
        payroll = (
            Payroll.objects.select_for_update()
            .filter(district_path=district_path, month=month, kind=PayrollKind.REGULAR)
            .first()
        )
        if payroll is not None and payroll.state == PayrollState.APPROVED:
            raise conflict(
                Msg("该月发放名册已审批冻结，更正请走补发", "This payroll is approved and frozen; add a correction")
            )
        if payroll is None:
            try:
                with transaction.atomic():
                    payroll = Payroll.objects.create(
                        number=f"FF{district_path}{month:%Y%m}",
                        district_path=district_path,
                        month=month,
                        generated_by_name=actor.shown_name,
                        generated_at=now,
                    )
            except IntegrityError:
                raise conflict(
                    Msg("该月发放名册正在生成，请稍后刷新", "This payroll is being generated; refresh")
                ) from None
        else:
            payroll.lines.all().delete()
            payroll.generated_by_name = actor.shown_name
            payroll.generated_at = now
        PayrollLine.objects.bulk_create(_payroll_lines_for(payroll), batch_size=BULK)
        _totals(payroll)
        payroll.save()
        _audit(
            actor,
            "payroll_generate",
            "welfare_payroll",
            payroll.public_id,
            district_path,
            month=month,
            households=payroll.households,
            total=payroll.total,
        )
    return payroll


def payroll_approve(*, actor: Actor, payroll: Payroll, note: str = "", confirm: bool = False) -> Payroll:
    """Approve and freeze a payroll: no line can change afterwards (service and database)."""
    _district(actor, payroll.district_path)
    if not confirm:
        raise validation_failed(
            [
                field_error(
                    "confirm",
                    "审批后名册冻结，不能再修改，请勾选确认",
                    "An approved payroll is frozen; tick to confirm",
                )
            ]
        )
    with transaction.atomic():
        row = Payroll.objects.select_for_update().get(pk=payroll.pk)
        if row.state == PayrollState.APPROVED:
            raise conflict(Msg("该发放名册已审批冻结", "This payroll is already approved and frozen"))
        if not row.lines.exists():
            raise conflict(Msg("名册没有发放行，不能审批", "The payroll has no lines to approve"))
        _totals(row)
        row.state = PayrollState.APPROVED
        row.approved_by_id = actor.user_id
        row.approved_by_name = actor.shown_name
        row.approved_at = timezone.now()
        row.approval_note = (note or "").strip()[:300]
        row.save()
        _audit(
            actor,
            "payroll_approve",
            "welfare_payroll",
            row.public_id,
            row.district_path,
            total=row.total,
            households=row.households,
        )
    return row


def payroll_line_edit(*, actor: Actor, line: PayrollLine, amount: Decimal) -> PayrollLine:
    """A draft's line may be set to another amount before approval; a frozen one never is."""
    _district(actor, line.payroll.district_path)
    with transaction.atomic():
        payroll = Payroll.objects.select_for_update().get(pk=line.payroll_id)
        if payroll.state == PayrollState.APPROVED:
            raise conflict(
                Msg("发放名册已冻结，不能修改；请添加更正行", "The payroll is frozen; add a correction line")
            )
        if amount < 0:
            raise validation_failed([field_error("amount", "金额不能为负数", "The amount cannot be negative")])
        PayrollLine.objects.filter(pk=line.pk).update(amount=amount.quantize(CENT))
        _totals(payroll)
        payroll.save(update_fields=["households", "total"])
    line.refresh_from_db()
    return line


def payroll_correct(*, actor: Actor, line: PayrollLine, difference: Decimal, reason: str) -> PayrollLine:
    """A correction of a frozen payroll's line: a new line of the difference (a back payment when
    positive, a deduction when negative) in the month's supplementary payroll (a draft, approved
    like any payroll), referring to the original line. The original is never edited."""
    payroll = Payroll.objects.get(pk=line.payroll_id)
    _district(actor, payroll.district_path)
    problems: list[FieldError] = []
    reason = _reason(problems, reason)
    try:
        difference = Decimal(difference).quantize(CENT)
    except (ArithmeticError, TypeError, ValueError):
        difference = Decimal("0")
    if difference == 0 or abs(difference) > Decimal("100000"):
        problems.append(
            field_error("difference", "请填写补发（正数）或扣减（负数）的金额", "Give the amount to add or deduct")
        )
    elif line.amount + difference < 0:
        problems.append(
            field_error("difference", "扣减不能超过原发放金额", "A deduction cannot exceed the amount paid")
        )
    if payroll.state != PayrollState.APPROVED:
        problems.append(
            field_error("line", "名册尚未冻结，可直接重新生成", "The payroll is a draft; generate it again")
        )
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        supplementary = (
            Payroll.objects.select_for_update()
            .filter(
                district_path=payroll.district_path,
                month=payroll.month,
                kind=PayrollKind.SUPPLEMENTARY,
                state=PayrollState.DRAFT,
            )
            .first()
        )
        if supplementary is None:
            n = (
                Payroll.objects.filter(
                    district_path=payroll.district_path, month=payroll.month, kind=PayrollKind.SUPPLEMENTARY
                ).count()
                + 1
            )
            supplementary = Payroll.objects.create(
                number=f"FF{payroll.district_path}{payroll.month:%Y%m}-B{n}",
                district_path=payroll.district_path,
                month=payroll.month,
                kind=PayrollKind.SUPPLEMENTARY,
                generated_by_name=actor.shown_name,
                generated_at=timezone.now(),
            )
        correction = PayrollLine.objects.create(
            payroll=supplementary,
            recipient_id=line.recipient_id,
            path=line.path,
            head_name=line.head_name,
            assistance_class=line.assistance_class,
            members=line.members,
            amount=difference,
            bank_name=line.bank_name,
            account_masked=line.account_masked,
            account_sealed=line.account_sealed,
            corrects=line,
            note=reason,
        )
        _totals(supplementary)
        supplementary.save(update_fields=["households", "total"])
        _audit(
            actor,
            "payroll_correct",
            "welfare_payroll",
            supplementary.public_id,
            line.path,
            reason,
            corrects=payroll.number,
            difference=difference,
        )
    return correction


def payroll_export(
    *, actor: Actor, payroll: Payroll, file_format: str, reveal: bool = False, reason: str = ""
) -> tuple[bytes, str, str]:
    """The bank file (XLSX or CSV, layout in docs/assistance.md): masked account numbers, or the
    full ones with WELFARE_REVEAL and a reason. Every export is audited. Returns (content,
    filename, content type)."""
    from linli.welfare.roll_exports import payroll_file

    if not sees_roll(actor) or not sees_district(actor, payroll.district_path):
        raise permission_denied()
    problems: list[FieldError] = []
    if file_format not in ("xlsx", "csv"):
        problems.append(field_error("format", "请选择 XLSX 或 CSV", "Choose XLSX or CSV"))
    if reveal:
        if not actor.has_perm(WELFARE_REVEAL):
            raise permission_denied()
        reason = _reason(problems, reason)
    if problems:
        raise validation_failed(problems)
    lines = list(actor.scoped(payroll.lines.all()).select_related("corrects__payroll").order_by("path", "pk"))
    accounts = (
        {line.pk: unseal(line.account_sealed, context=ACCOUNT_CONTEXT) for line in lines if line.account_sealed}
        if reveal
        else {}
    )
    content, filename, content_type = payroll_file(payroll, lines, accounts, file_format)
    _audit(
        actor,
        "payroll_export",
        "welfare_payroll",
        payroll.public_id,
        payroll.district_path,
        reason,
        format=file_format,
        revealed=reveal,
        lines=len(lines),
    )
    return content, filename, content_type
