"""Writes of stage voting: one transaction each, checked, audited.

Opening the vote freezes the roll (one entry per adult or per household with an adult, from the
resident pool on that day) and the rule with it. A vote is one row keyed one-to-one on its roll
entry, so the database — not a check before the insert — decides that a voter votes once: a
concurrent or retried second vote fails on the key and is answered 409 with the time of the
first. A vote holds the consultation's row in KEY SHARE (votes never wait for each other) while
closing takes it FOR UPDATE, so a vote is either counted or refused as late, never lost between
the count and the close."""

from __future__ import annotations

import uuid
from contextlib import nullcontext
from dataclasses import replace
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART
from linli.consultation.domain.consultations import ConsultationState
from linli.consultation.domain.voting import VoteChannel, VoteUnit
from linli.consultation.models import Consultation, ConsultationOption, RollEntry, SignIn, Vote
from linli.consultation.selectors.voting import live_tally, voter_ref
from linli.consultation.services.common import audit, consultation_step
from linli.core.actor import Actor
from linli.core.errors import DomainError, Msg, conflict, field_error, not_found, permission_denied, validation_failed
from linli.residents.selectors import RollVoter, roll_voters, voter_for_user

ROLL_BATCH = 5000
MIN_OPTIONS = 2
REASON_MIN = 4
OBJECT = "consultation"


def _manager(actor: Actor, consultation: Consultation) -> None:
    """Runs this consultation: manages deliberation and sees its community (else one 404)."""
    if not actor.sees_path(consultation.path):
        raise not_found("协商", "Consultation")
    if not actor.has_perm(CONSULT_MANAGE):
        raise permission_denied()


def _step(actor: Actor, consultation: Consultation, action: str, from_state: str, note: str = "") -> None:
    consultation_step(actor, consultation, action, from_state, note, at=consultation.updated_at)


# ---- opening: the roll frozen --------------------------------------------------------------------


def _roll_rows(consultation: Consultation, voters) -> list[RollEntry]:
    """One entry per adult, or per household that has an adult (named by its building and room);
    an adult the pool puts in no household has no household vote."""
    rows: list[RollEntry] = []
    households: set = set()
    for voter in voters:
        if consultation.vote_unit == VoteUnit.HOUSEHOLD:
            if voter.household_ref is None or voter.household_ref in households:
                continue
            households.add(voter.household_ref)
            rows.append(_entry(consultation, voter, voter.household_ref, voter.household_label or voter.name_masked))
        else:
            rows.append(_entry(consultation, voter, voter.resident_ref, voter.name_masked))
    return rows


def _entry(consultation: Consultation, voter: RollVoter, ref, shown: str) -> RollEntry:
    return RollEntry(
        consultation=consultation,
        voter_ref=ref,
        household_ref=voter.household_ref,
        path=voter.path,
        name_shown=shown[:60],
    )


def voting_open(*, actor: Actor, consultation: Consultation, voting_until: datetime | None = None) -> Consultation:
    """DISCUSSING → VOTING: at least two options, a closing time ahead, and a roll that is not
    empty, frozen from the pool today (`roll_size`, `roll_frozen_at`). The rule cannot change after."""
    _manager(actor, consultation)
    now = timezone.now()
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.state != ConsultationState.DISCUSSING:
            raise conflict(
                Msg("只有正在征集意见的协商才能开始投票", "Only a consultation open for comments can open voting")
            )
        until = voting_until or locked.voting_until
        problems = []
        if ConsultationOption.objects.filter(consultation=locked).count() < MIN_OPTIONS:
            problems.append(field_error("options", "投票至少需要两个选项", "a vote needs at least two options"))
        if until is None or until <= now:
            problems.append(field_error("voting_until", "请设定晚于现在的投票截止时间", "set a closing time after now"))
        if problems:
            raise validation_failed(problems)
        rows = _roll_rows(locked, roll_voters(under=locked.scope_path, on=timezone.localdate()))
        if not rows:
            raise validation_failed(
                [
                    field_error(
                        "roll",
                        "参与范围内没有年满十八周岁的居民，无法投票",
                        "no adult lives where the voters are drawn from",
                    )
                ]
            )
        RollEntry.objects.bulk_create(rows, batch_size=ROLL_BATCH)
        from_state = locked.state
        locked.state, locked.voting_until, locked.roll_size = ConsultationState.VOTING, until, len(rows)
        locked.roll_frozen_at = locked.updated_at = now
        locked.save(update_fields=["state", "voting_until", "roll_size", "roll_frozen_at", "updated_at"])
        _step(actor, locked, "voting_open", from_state)
        audit(actor, "voting_open", OBJECT, locked.public_id, locked.path, roll_size=len(rows), unit=locked.vote_unit)
    return locked


# ---- a vote ------------------------------------------------------------------------------------

# One statement casts a vote: the consultation's row held in KEY SHARE (votes never wait for each
# other; a close takes it FOR UPDATE, so a vote waits for the close and then finds it closed, or the
# close waits for the vote and counts it), the voter's roll entry and the option joined in, and the
# one-to-one key on the roll entry deciding a second vote (IntegrityError). Nothing is checked
# before: when no row comes back, the reason is read afterwards (`_refusal`). Two round trips a
# vote (the voter, the insert): the benchmark's 300 votes/s on two cores needs that.
_CAST = """
INSERT INTO {vote} (consultation_id, roll_entry_id, option_id, channel, cast_by_id, cast_at)
SELECT c.id, e.id, o.id, %s, %s, %s
FROM {consultation} c
JOIN {roll} e ON e.consultation_id = c.id AND e.voter_ref = %s
JOIN {option} o ON o.consultation_id = c.id AND o.key = %s
WHERE c.id = %s AND c.state = %s AND c.voting_until > %s
{lock}
RETURNING id, roll_entry_id, option_id
"""


def _cast_sql() -> str:
    return _CAST.format(
        vote=Vote._meta.db_table,
        consultation=Consultation._meta.db_table,
        roll=RollEntry._meta.db_table,
        option=ConsultationOption._meta.db_table,
        lock="FOR KEY SHARE OF c" if connection.vendor == "postgresql" else "",  # SQLite: one writer anyway
    )


def _still_open(state: str, until: datetime | None, now: datetime) -> None:
    if state in (ConsultationState.DRAFT, ConsultationState.DISCUSSING):
        raise conflict(Msg("投票尚未开始", "Voting has not opened yet"))
    if state != ConsultationState.VOTING or (until is not None and now >= until):
        raise DomainError(Msg("投票已经结束", "Voting has closed"), code="voting_closed", status=409)


def _refusal(consultation: Consultation, ref, option_key: str, now: datetime) -> DomainError:
    """Why no vote was written: voting not open or closed, the voter not on the frozen roll, or
    an option not of this consultation."""
    state, until = Consultation.objects.filter(pk=consultation.pk).values_list("state", "voting_until").get()
    try:
        _still_open(state, until, now)
    except DomainError as error:
        return error
    on_roll = ref is not None and RollEntry.objects.filter(consultation_id=consultation.pk, voter_ref=ref).exists()
    if not on_roll:
        return DomainError(
            Msg(
                "您不在本次投票的名册上（名册在投票开始时确定）",
                "You are not on this vote's roll (fixed when voting opened)",
            ),
            code="not_on_roll",
            status=403,
        )
    return validation_failed([field_error("option", "请选择一个选项", "choose one of the options")])


def _already_voted(consultation: Consultation, ref) -> DomainError:
    """The one-to-one key refused a second vote: answered with the first's time, never its option."""
    first = (
        RollEntry.objects.filter(consultation_id=consultation.pk, voter_ref=ref)
        .values_list("vote__cast_at", flat=True)
        .first()
    )
    when = timezone.localtime(first).strftime("%Y-%m-%d %H:%M") if first else ""
    return DomainError(
        Msg(f"已于 {when} 投过票，每位投票人只能投一票", f"Already voted at {when}; one vote per voter"),
        code="already_voted",
        status=409,
        details={"voted_at": first.isoformat() if first else None},
    )


def _cast(consultation: Consultation, ref, option_key: str, channel: str, by_id, now: datetime) -> Vote:
    """The vote's one statement; inside a caller's transaction (the API's idempotency, the meeting's
    audit) in a savepoint, so that a refused second vote leaves that transaction usable."""
    prep = RollEntry._meta.get_field("voter_ref").get_db_prep_value
    at = Vote._meta.get_field("cast_at").get_db_prep_value(now, connection)
    params = [channel, by_id, at, prep(ref, connection), option_key, consultation.pk, ConsultationState.VOTING, at]
    guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
    row = None
    if ref is not None:
        try:
            with guard, connection.cursor() as cursor:
                cursor.execute(_cast_sql(), params)
                row = cursor.fetchone()
        except IntegrityError:
            raise _already_voted(consultation, ref) from None
    if row is None:
        raise _refusal(consultation, ref, option_key, now)
    return Vote(
        pk=row[0],
        consultation_id=consultation.pk,
        roll_entry_id=row[1],
        option_id=row[2],
        channel=channel,
        cast_by_id=by_id,
        cast_at=now,
    )


def vote_cast(*, actor: Actor, consultation: Consultation, option_key: str) -> Vote:
    """A resident's own vote online: the voter their account stands for (themselves, or their
    household under a household rule) must be on the frozen roll; before the close."""
    if not actor.has_perm(CONSULT_TAKE_PART):
        raise permission_denied()
    ref = voter_ref(consultation, voter_for_user(actor.user_id))
    return _cast(consultation, ref, option_key or "", VoteChannel.ONLINE, actor.user_id, timezone.now())


def vote_record(*, actor: Actor, consultation: Consultation, resident_ref: str, option_key: str) -> Vote:
    """A manager records, at the meeting, the vote of a resident signed in at one of this
    consultation's meetings (channel meeting). The same rules as online; the audit names the
    voter's roll entry, never the option."""
    _manager(actor, consultation)
    attendee = (
        SignIn.objects.filter(meeting__consultation=consultation, resident_ref=resident_ref or None)
        .values_list("resident_ref", "household_ref")
        .first()
        if _is_uuid(resident_ref)
        else None
    )
    if attendee is None:
        raise validation_failed(
            [
                field_error(
                    "resident",
                    "只能登记已在本次协商会议签到的居民的投票",
                    "only a resident signed in at this consultation's meeting",
                )
            ]
        )
    ref = attendee[1] if consultation.vote_unit == VoteUnit.HOUSEHOLD else attendee[0]
    with transaction.atomic():
        vote = _cast(consultation, ref, option_key or "", VoteChannel.MEETING, actor.user_id, timezone.now())
        audit(actor, "vote_record", OBJECT, consultation.public_id, consultation.path, roll_entry=vote.roll_entry_id)
    return vote


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# ---- closing and counting ----------------------------------------------------------------------


def voting_close(*, actor: Actor, consultation: Consultation, reason: str = "") -> Consultation:
    """VOTING → COUNTED: the tally written as `result` (counts per option key, cast, roll size,
    quorum met, winner key or null). Closing before the set time needs a reason."""
    _manager(actor, consultation)
    now = timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.state != ConsultationState.VOTING:
            raise conflict(Msg("只有正在投票的协商才能结束计票", "Only a consultation in its vote can be closed"))
        early = locked.voting_until is not None and now < locked.voting_until
        if early and len(reason) < REASON_MIN:
            raise validation_failed(
                [
                    field_error(
                        "reason",
                        "提前结束投票须写明理由（至少4个字）",
                        "closing early needs a reason (at least 4 characters)",
                    )
                ]
            )
        result = live_tally(locked)
        locked.result = {
            "counts": result.counts,
            "cast": result.cast,
            "roll_size": result.roll_size,
            "quorum_met": result.quorum_met,
            "winner": result.winner,
        }
        from_state, locked.state, locked.updated_at = locked.state, ConsultationState.COUNTED, now
        locked.save(update_fields=["result", "state", "updated_at"])
        _step(actor, locked, "voting_close", from_state, reason)
        audit(actor, "voting_close", OBJECT, locked.public_id, locked.path, reason=reason, cast=result.cast)
    return locked


def voting_close_tick() -> str:
    """`linli tick`'s entry (LINLI_TICK_JOBS): close and count the consultations past `voting_until`."""
    due = Consultation.objects.filter(state=ConsultationState.VOTING, voting_until__lte=timezone.now())
    closed = 0
    for consultation in due.order_by("voting_until", "pk"):
        tick = replace(
            Actor.system("voting-tick", permissions=frozenset({CONSULT_MANAGE}), root_path=consultation.path),
            display_name=gettext("Counted automatically at the closing time"),  # the timeline's "by"
        )
        try:
            voting_close(actor=tick, consultation=consultation)
            closed += 1
        except DomainError:  # closed by a manager meanwhile
            continue
    return f"{closed} closed"
