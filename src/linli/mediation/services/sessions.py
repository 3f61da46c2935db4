"""Writes of a dispute's mediation, stage sessions: sessions with attendance and sealed minutes
(调解笔录), the time limit's one extension with every party's consent, the outcome (a written or
oral agreement, or failure with the route onward), judicial confirmation (司法确认, art. 33),
follow-up of performance (回访) and closing.

Every write is the assigned mediator's or the area's intake staff's (who enter paper records);
it locks the dispute's row, so two people acting at once leave one result (two agreements at
once: one). Minutes, terms and follow-up notes are sealed; reading them takes a reason and is
audited. Step notes carry no facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.core.actor import Actor
from linli.core.crypto import seal, unseal
from linli.core.errors import DomainError, Msg, conflict, field_error, not_found, permission_denied, validation_failed
from linli.mediation.domain.disputes import (
    EXTENSION_MAX_DAYS,
    TRANSITIONS,
    ConfirmationResult,
    Consent,
    DisputeState,
    OnwardRoute,
    OutcomeKind,
    Performance,
    SessionState,
    confirmation_deadline,
    due_date,
    transition_for,
)
from linli.mediation.models import (
    Dispute,
    DisputeFollowUp,
    DisputeParty,
    MediationAgreement,
    MediationSession,
)
from linli.mediation.selectors import sessions as sel
from linli.mediation.services.common import audit, dispute_locked, step_add
from linli.workdays.selectors import work_calendar

FACTS_CONTEXT = "mediation.facts"
CLAIM_CONTEXT = "mediation.claim"
MINUTES_CONTEXT = "mediation.minutes"
TERMS_CONTEXT = "mediation.terms"
FOLLOW_UP_CONTEXT = "mediation.follow_up"
ID_NUMBER_CONTEXT = "mediation.party_id_number"
LATE_ENTRY = timedelta(days=1)  # a session may be scheduled a day late (a paper record entered)
BACKFILL = timedelta(days=366)  # a session held, an outcome or a follow-up entered at most a year late
PLACE_MAX, MINUTES_MAX, TERMS_MAX, NOTE_MAX, COURT_MAX = 100, 10000, 5000, 2000, 100
REASON_MIN = 4


# ---- shared checks -------------------------------------------------------------------------------


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise validation_failed(
            [field_error(field, "请写明理由（至少4个字）", "give the reason (at least 4 characters)")]
        )
    return reason[:500]


def _handled(actor: Actor, dispute: Dispute, *states: str) -> Dispute:
    """The dispute's row, locked, after the checks every write makes: the actor may read it (else
    404), may act on it (the mediator, the area's intake staff), and it is in one of `states`."""
    visible = sel.dispute_visible(actor=actor, pk=dispute.pk)
    if not sel.may_handle(actor, visible):
        raise permission_denied()
    locked = dispute_locked(visible)
    if states and locked.state not in states:
        raise conflict(
            Msg(
                f"纠纷当前为“{DisputeState(locked.state).label}”，不能进行此操作",
                "The dispute is not in a state that allows this",
            )
        )
    return locked


def _not_future(day: date | None, field: str, today: date, *, label_zh: str, label_en: str) -> list:
    if day is None:
        return [field_error(field, f"请填写{label_zh}", f"give the {label_en}")]
    if day > today:
        return [field_error(field, f"{label_zh}不能晚于今天", f"the {label_en} cannot be in the future")]
    return []


def _aware(moment: datetime | None) -> datetime | None:
    """A time without a zone (an API client's) is the city's local time."""
    return timezone.make_aware(moment) if moment is not None and timezone.is_naive(moment) else moment


def _transition(dispute: Dispute, actor: Actor, action: str, note: str = "") -> None:
    transition = transition_for(action, dispute.state)
    if transition is None:  # guarded by _handled's states; the table has the last word
        raise conflict(TRANSITIONS[action].label)
    from_state = dispute.state
    dispute.state = transition.target
    dispute.updated_at = timezone.now()
    step_add(dispute, actor, action, from_state, note)


# ---- sessions ------------------------------------------------------------------------------------


def session_schedule(
    *, actor: Actor, dispute: Dispute, starts_at: datetime | None, place: str = "", facility_ref=None
) -> MediationSession:
    """Schedule a session of a dispute in mediation, in a mediation room of the registry or at a
    place written in words."""
    errors = []
    now, starts_at = timezone.now(), _aware(starts_at)
    if starts_at is None:
        errors.append(field_error("starts_at", "请填写调解会时间", "give the session's time"))
    elif starts_at < now - LATE_ENTRY:
        errors.append(
            field_error("starts_at", "调解会时间不能早于昨天", "a session cannot be entered more than a day late")
        )
    place = (place or "").strip()
    room = None
    if facility_ref:
        room = sel.room_name(dispute, facility_ref)
        if room is None:
            errors.append(field_error("facility_ref", "不是本街道的调解室", "not a mediation room of this street"))
    if not place and room:
        place = room
    if not place or len(place) > PLACE_MAX:
        errors.append(field_error("place", "地点必填，最多100字", "the place is required, at most 100 characters"))
    if errors:
        raise validation_failed(errors)
    assert starts_at is not None  # a missing time is among the errors raised above
    with transaction.atomic():
        locked = _handled(actor, dispute, DisputeState.MEDIATING)
        session = MediationSession.objects.create(
            dispute=locked,
            starts_at=starts_at,
            place=place,
            facility_ref=facility_ref or None,
            mediator_name=locked.mediator.name if locked.mediator else actor.shown_name,
        )
        step_add(locked, actor, "session_schedule", locked.state, f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M}")
        audit(actor, "session_schedule", "mediation_session", session.public_id, locked.path)
    return session


def session_record(*, actor: Actor, session: MediationSession, attended_party_ids, minutes: str) -> MediationSession:
    """Record a session as held: who came (at least one party) and the minutes (sealed)."""
    minutes = (minutes or "").strip()
    errors = []
    if not minutes or len(minutes) > MINUTES_MAX:
        errors.append(
            field_error("minutes", "调解笔录必填，最多10000字", "the minutes are required, at most 10,000 characters")
        )
    attended = _attended(attended_party_ids, errors)
    if errors:
        raise validation_failed(errors)
    with transaction.atomic():
        locked = _handled(actor, session.dispute, DisputeState.MEDIATING)
        row = MediationSession.objects.select_for_update().get(pk=session.pk, dispute=locked)
        if row.state != SessionState.SCHEDULED:
            raise conflict(Msg("该调解会已记录或已取消", "This session is already recorded or cancelled"))
        if timezone.localdate(row.starts_at) > timezone.localdate():
            raise validation_failed([field_error("minutes", "调解会尚未举行", "the session has not taken place yet")])
        _attended_are_parties(locked, attended)
        row.state, row.attended, row.recorded_at = SessionState.HELD, attended, timezone.now()
        row.minutes_sealed = seal(minutes, context=MINUTES_CONTEXT)
        row.save(update_fields=["state", "attended", "minutes_sealed", "recorded_at"])
        step_add(locked, actor, "session_record", locked.state)
        audit(actor, "session_record", "mediation_session", row.public_id, locked.path, attended=len(attended))
    return row


def session_held_record(
    *,
    actor: Actor,
    dispute: Dispute,
    held_at: datetime | None,
    place: str,
    attended_party_ids,
    minutes: str,
) -> MediationSession:
    """A session recorded as held without having been scheduled here: mediation on the spot
    (现场调解) or a paper record entered late, at most a year back and not before acceptance."""
    now, held_at = timezone.now(), _aware(held_at)
    place, minutes = (place or "").strip(), (minutes or "").strip()
    errors = []
    if held_at is None or held_at > now:
        errors.append(field_error("held_at", "请填写已举行的调解会时间", "give the time the session was held"))
    elif now - held_at > BACKFILL:
        errors.append(field_error("held_at", "只能补录一年内的调解会", "only sessions of the last twelve months"))
    if not place or len(place) > PLACE_MAX:
        errors.append(field_error("place", "地点必填，最多100字", "the place is required, at most 100 characters"))
    if not minutes or len(minutes) > MINUTES_MAX:
        errors.append(
            field_error("minutes", "调解笔录必填，最多10000字", "the minutes are required, at most 10,000 characters")
        )
    attended = _attended(attended_party_ids, errors)
    if errors:
        raise validation_failed(errors)
    assert held_at is not None  # a missing time is among the errors raised above
    with transaction.atomic():
        locked = _handled(actor, dispute, DisputeState.MEDIATING)
        if locked.accepted_on and timezone.localdate(held_at) < locked.accepted_on:
            raise validation_failed(
                [field_error("held_at", "调解会不能早于受理日期", "a session cannot precede the acceptance")]
            )
        _attended_are_parties(locked, attended)
        session = MediationSession.objects.create(
            dispute=locked,
            starts_at=held_at,
            place=place,
            state=SessionState.HELD,
            attended=attended,
            minutes_sealed=seal(minutes, context=MINUTES_CONTEXT),
            mediator_name=locked.mediator.name if locked.mediator else actor.shown_name,
            recorded_at=now,
        )
        step_add(locked, actor, "session_record", locked.state, f"{timezone.localtime(held_at):%Y-%m-%d %H:%M}")
        audit(actor, "session_record", "mediation_session", session.public_id, locked.path, attended=len(attended))
    return session


def _attended(attended_party_ids, errors: list) -> list[int]:
    try:
        attended = sorted({int(pk) for pk in attended_party_ids or []})
    except (TypeError, ValueError):
        attended = []
    if not attended:
        errors.append(field_error("attended", "至少一方当事人到场", "at least one party must be present"))
    return attended


def _attended_are_parties(dispute: Dispute, attended: list[int]) -> None:
    party_ids = set(DisputeParty.objects.filter(dispute=dispute).values_list("pk", flat=True))
    if not set(attended) <= party_ids:
        raise validation_failed([field_error("attended", "不是本纠纷的当事人", "not a party to this dispute")])


def session_cancel(*, actor: Actor, session: MediationSession, reason: str) -> MediationSession:
    reason = _reason(reason)
    with transaction.atomic():
        locked = _handled(actor, session.dispute)
        row = MediationSession.objects.select_for_update().get(pk=session.pk, dispute=locked)
        if row.state != SessionState.SCHEDULED:
            raise conflict(Msg("只能取消尚未举行的调解会", "Only a scheduled session can be cancelled"))
        row.state = SessionState.CANCELLED
        row.save(update_fields=["state"])
        step_add(locked, actor, "session_cancel", locked.state)
        audit(actor, "session_cancel", "mediation_session", row.public_id, locked.path, reason)
    return row


# ---- the time limit ------------------------------------------------------------------------------


def dispute_extend(*, actor: Actor, dispute: Dispute, days, reason: str, parties_agree: bool = True) -> Dispute:
    """Extend the time limit once, by at most `EXTENSION_MAX_DAYS` days, only when every party
    agreed to mediation and agrees to the extension."""
    errors = []
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= EXTENSION_MAX_DAYS:
        errors.append(
            field_error("days", f"延长天数应为1至{EXTENSION_MAX_DAYS}天", f"extend by 1 to {EXTENSION_MAX_DAYS} days")
        )
    if not parties_agree:
        errors.append(
            field_error("parties_agree", "延长期限须经各方当事人同意", "every party must agree to the extension")
        )
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        errors.append(field_error("reason", "请写明理由（至少4个字）", "give the reason (at least 4 characters)"))
    if errors:
        raise validation_failed(errors)
    with transaction.atomic():
        locked = _handled(actor, dispute, DisputeState.MEDIATING)
        if locked.extended:
            raise conflict(Msg("调解期限已延长过一次", "The time limit was already extended once"))
        if locked.due_on is None:
            raise conflict(Msg("该纠纷没有调解期限", "This dispute has no time limit"))
        consents = list(DisputeParty.objects.filter(dispute=locked).values_list("consent", flat=True))
        if not consents or any(consent != Consent.AGREED for consent in consents):
            raise validation_failed(
                [
                    field_error(
                        "parties_agree",
                        "并非每位当事人都已同意调解，不能延长",
                        "not every party's consent is recorded; no extension",
                    )
                ]
            )
        calendar = work_calendar()
        old = locked.due_on
        locked.due_on = due_date(old, days, lambda day: calendar.add_working_days(day, 0))
        locked.extended, locked.updated_at = True, timezone.now()
        locked.save(update_fields=["due_on", "extended", "updated_at"])
        step_add(locked, actor, "extend", locked.state, f"{old:%Y-%m-%d} → {locked.due_on:%Y-%m-%d}")
        audit(actor, "dispute_extend", "mediation_dispute", locked.public_id, locked.path, reason, days=days)
    return locked


# ---- the outcome --------------------------------------------------------------------------------


def agreement_record(
    *,
    actor: Actor,
    dispute: Dispute,
    kind: str,
    terms: str,
    signed_on: date | None,
    perform_by: date | None = None,
) -> MediationAgreement:
    """A written agreement (调解协议书, printed from the record) or an oral one recorded: the
    dispute is agreed. Refused with no terms, or before any session was held."""
    today = timezone.localdate()
    terms = (terms or "").strip()
    errors = []
    if kind not in (OutcomeKind.WRITTEN, OutcomeKind.ORAL):
        errors.append(field_error("kind", "请选择书面或口头协议", "choose a written or an oral agreement"))
    if not terms:
        errors.append(field_error("terms", "协议内容不能为空", "an agreement needs its terms"))
    elif len(terms) > TERMS_MAX:
        errors.append(field_error("terms", "协议内容最多5000字", "the terms are at most 5,000 characters"))
    errors += _not_future(signed_on, "signed_on", today, label_zh="达成协议日期", label_en="day of the agreement")
    if perform_by is not None and signed_on is not None and perform_by < signed_on:
        errors.append(
            field_error("perform_by", "履行期限不能早于协议日期", "performance cannot be due before the agreement")
        )
    if errors:
        raise validation_failed(errors)
    assert signed_on is not None  # a missing day is among the errors raised above
    with transaction.atomic():
        locked = _handled(actor, dispute, DisputeState.MEDIATING)
        if sel.held_session_count(locked) == 0:
            raise conflict(Msg("尚未举行调解会，不能达成协议", "No session was held; there can be no agreement yet"))
        if locked.accepted_on and signed_on < locked.accepted_on:
            raise validation_failed(
                [field_error("signed_on", "协议日期不能早于受理日期", "the agreement cannot precede the acceptance")]
            )
        try:
            with transaction.atomic():
                agreement = MediationAgreement.objects.create(
                    dispute=locked,
                    kind=kind,
                    terms_sealed=seal(terms, context=TERMS_CONTEXT),
                    signed_on=signed_on,
                    perform_by=perform_by,
                    recorded_by_name=actor.shown_name,
                    created_at=timezone.now(),
                )
        except IntegrityError as exc:  # the row lock makes this unreachable but for a bug
            raise conflict(Msg("该纠纷已有调解协议", "This dispute already has an agreement")) from exc
        locked.outcome, locked.ended_on = kind, signed_on
        _transition(locked, actor, "agree", str(OutcomeKind(kind).label))
        locked.save(update_fields=["state", "outcome", "ended_on", "updated_at"])
        audit(actor, "agreement_record", "mediation_dispute", locked.public_id, locked.path, kind=kind)
    return agreement


def dispute_fail(*, actor: Actor, dispute: Dispute, onward_route: str, reason: str, on: date | None = None) -> Dispute:
    """Mediation failed (on `on`, by default today): the parties are told the route onward (art. 26)."""
    today = timezone.localdate()
    on = on or today
    errors = _not_future(on, "on", today, label_zh="调解终止日期", label_en="day mediation ended")
    if onward_route not in OnwardRoute.values:
        errors.append(field_error("onward_route", "请选择告知当事人的其他途径", "choose the route onward"))
    if len((reason or "").strip()) < REASON_MIN:
        errors.append(field_error("reason", "请写明理由（至少4个字）", "give the reason (at least 4 characters)"))
    if errors:
        raise validation_failed(errors)
    with transaction.atomic():
        locked = _handled(actor, dispute, DisputeState.MEDIATING)
        if locked.accepted_on and on < locked.accepted_on:
            raise validation_failed([field_error("on", "不能早于受理日期", "cannot precede the acceptance")])
        locked.outcome, locked.onward_route, locked.ended_on = OutcomeKind.FAILED, onward_route, on
        _transition(locked, actor, "fail", str(OnwardRoute(onward_route).label))
        locked.save(update_fields=["state", "outcome", "onward_route", "ended_on", "updated_at"])
        audit(
            actor,
            "dispute_fail",
            "mediation_dispute",
            locked.public_id,
            locked.path,
            reason.strip(),
            route=onward_route,
        )
    return locked


# ---- judicial confirmation -----------------------------------------------------------------------


def _agreement_locked(locked: Dispute) -> MediationAgreement:
    agreement = MediationAgreement.objects.select_for_update().filter(dispute=locked).first()
    if agreement is None:
        raise not_found("调解协议", "Agreement")
    return agreement


def confirmation_record(*, actor: Actor, dispute: Dispute, applied_on: date | None, court: str) -> MediationAgreement:
    """A party applied to a court for judicial confirmation of a written agreement, within 30 days
    of it (art. 33)."""
    today = timezone.localdate()
    court = (court or "").strip()
    errors = _not_future(applied_on, "applied_on", today, label_zh="申请日期", label_en="day of the application")
    if not court or len(court) > COURT_MAX:
        errors.append(field_error("court", "请填写受理法院（最多100字）", "give the court (at most 100 characters)"))
    if errors:
        raise validation_failed(errors)
    assert applied_on is not None
    with transaction.atomic():
        locked = _handled(actor, dispute, DisputeState.AGREED, DisputeState.CLOSED)
        agreement = _agreement_locked(locked)
        if agreement.kind != OutcomeKind.WRITTEN:
            raise conflict(
                Msg("只有书面调解协议可以申请司法确认", "Only a written agreement can be confirmed by a court")
            )
        if agreement.confirmation_result:
            raise conflict(Msg("已记录司法确认申请", "The application is already recorded"))
        deadline = confirmation_deadline(agreement.signed_on)
        if applied_on < agreement.signed_on or applied_on > deadline:
            raise validation_failed(
                [
                    field_error(
                        "applied_on",
                        f"应在协议生效之日起30日内（{agreement.signed_on:%Y-%m-%d}至{deadline:%Y-%m-%d}）申请",
                        f"the application is due within 30 days of the agreement "
                        f"({agreement.signed_on:%Y-%m-%d} to {deadline:%Y-%m-%d})",
                    )
                ]
            )
        agreement.confirmation_applied_on, agreement.confirmation_court = applied_on, court
        agreement.confirmation_result = ConfirmationResult.PENDING
        agreement.save(update_fields=["confirmation_applied_on", "confirmation_court", "confirmation_result"])
        step_add(locked, actor, "confirmation_apply", locked.state, court)
        audit(actor, "confirmation_record", "mediation_dispute", locked.public_id, locked.path)
    return agreement


def confirmation_result(*, actor: Actor, dispute: Dispute, result: str, decided_on: date | None) -> MediationAgreement:
    """The court's ruling on an application recorded before."""
    today = timezone.localdate()
    errors = []
    if result not in (ConfirmationResult.CONFIRMED, ConfirmationResult.REJECTED):
        errors.append(field_error("result", "请选择法院的裁定结果", "choose the court's ruling"))
    errors += _not_future(decided_on, "decided_on", today, label_zh="裁定日期", label_en="day of the ruling")
    if errors:
        raise validation_failed(errors)
    assert decided_on is not None
    with transaction.atomic():
        locked = _handled(actor, dispute, DisputeState.AGREED, DisputeState.CLOSED)
        agreement = _agreement_locked(locked)
        if agreement.confirmation_result != ConfirmationResult.PENDING:
            raise conflict(Msg("没有待裁定的司法确认申请", "There is no application awaiting the court"))
        assert agreement.confirmation_applied_on is not None  # set with the pending result
        if decided_on < agreement.confirmation_applied_on:
            raise validation_failed(
                [field_error("decided_on", "裁定日期不能早于申请日期", "the ruling cannot precede the application")]
            )
        agreement.confirmation_result, agreement.confirmation_decided_on = result, decided_on
        agreement.save(update_fields=["confirmation_result", "confirmation_decided_on"])
        step_add(locked, actor, "confirmation_result", locked.state, str(ConfirmationResult(result).label))
        audit(actor, "confirmation_result", "mediation_dispute", locked.public_id, locked.path, result=result)
    return agreement


# ---- follow-up and closing -----------------------------------------------------------------------


def follow_up_record(
    *, actor: Actor, dispute: Dispute, on: date | None, performance: str, note: str = ""
) -> DisputeFollowUp:
    """A follow-up (回访) of an agreement's performance; the note is sealed."""
    today = timezone.localdate()
    note = (note or "").strip()
    errors = _not_future(on, "on", today, label_zh="回访日期", label_en="day of the follow-up")
    if performance not in Performance.values:
        errors.append(field_error("performance", "请选择履行情况", "choose how the agreement was performed"))
    if len(note) > NOTE_MAX:
        errors.append(field_error("note", "回访情况最多2000字", "the note is at most 2,000 characters"))
    if errors:
        raise validation_failed(errors)
    assert on is not None
    with transaction.atomic():
        locked = _handled(actor, dispute, DisputeState.AGREED)
        agreement = _agreement_locked(locked)
        if on < agreement.signed_on:
            raise validation_failed(
                [field_error("on", "回访日期不能早于协议日期", "a follow-up cannot precede the agreement")]
            )
        follow_up = DisputeFollowUp.objects.create(
            dispute=locked,
            on=on,
            performance=performance,
            note_sealed=seal(note, context=FOLLOW_UP_CONTEXT) if note else "",
            by_name=actor.shown_name,
            created_at=timezone.now(),
        )
        step_add(locked, actor, "follow_up", locked.state, str(Performance(performance).label))
        audit(actor, "follow_up", "mediation_dispute", locked.public_id, locked.path, performance=performance)
    return follow_up


def dispute_close(*, actor: Actor, dispute: Dispute, reason: str = "") -> Dispute:
    """Close an agreed dispute: after a follow-up found it performed in full, or with a reason
    (the mediator's judgement that nothing more is to follow)."""
    with transaction.atomic():
        locked = _handled(actor, dispute, DisputeState.AGREED)
        last = DisputeFollowUp.objects.filter(dispute=locked).order_by("-on", "-pk").first()
        performed = last is not None and last.performance == Performance.FULL
        if not performed:
            try:
                reason = _reason(reason)
            except DomainError as error:
                raise validation_failed(
                    [
                        field_error(
                            "reason",
                            "回访尚未确认全部履行，结案须写明理由（至少4个字）",
                            "no follow-up found it performed in full: give the reason for closing",
                        )
                    ]
                ) from error
        _transition(locked, actor, "close")
        locked.save(update_fields=["state", "updated_at"])
        audit(
            actor,
            "dispute_close",
            "mediation_dispute",
            locked.public_id,
            locked.path,
            (reason or "").strip(),
            performed=performed,
        )
    return locked


# ---- reading sealed texts ------------------------------------------------------------------------


def session_minutes_read(*, actor: Actor, session: MediationSession, reason: str) -> str:
    """A session's minutes in clear, for someone who may read the dispute, with a reason (audited)."""
    dispute = sel.dispute_visible(actor=actor, pk=session.dispute_id)
    reason = _reason(reason)
    if not session.minutes_sealed:
        raise not_found("调解笔录", "Minutes")
    audit(actor, "dispute_read", "mediation_session", session.public_id, dispute.path, reason, what="minutes")
    return unseal(session.minutes_sealed, context=MINUTES_CONTEXT)


def agreement_terms_read(*, actor: Actor, dispute: Dispute, reason: str) -> str:
    visible = sel.dispute_visible(actor=actor, pk=dispute.pk)
    reason = _reason(reason)
    agreement = sel.dispute_agreement(visible)
    if agreement is None:
        raise not_found("调解协议", "Agreement")
    audit(actor, "dispute_read", "mediation_dispute", visible.public_id, visible.path, reason, what="terms")
    return unseal(agreement.terms_sealed, context=TERMS_CONTEXT)


def follow_up_notes_read(*, actor: Actor, dispute: Dispute, reason: str) -> list[tuple[DisputeFollowUp, str]]:
    visible = sel.dispute_visible(actor=actor, pk=dispute.pk)
    reason = _reason(reason)
    rows = sel.dispute_follow_ups(visible)
    audit(actor, "dispute_read", "mediation_dispute", visible.public_id, visible.path, reason, what="follow_ups")
    return [(row, unseal(row.note_sealed, context=FOLLOW_UP_CONTEXT)) for row in rows]


# ---- the agreement for print ---------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedParty:
    name: str
    side: str  # applicant or respondent
    id_number: str  # masked unless revealed with a reason
    phone: str  # masked
    address: str


@dataclass(frozen=True)
class AgreementPaper:
    """What the 调解协议书 shows: opened for a handler of the dispute, audited."""

    committee: str
    number: str
    kind_name: str
    parties: list[PrintedParty]
    facts: str
    terms: str
    signed_on: date
    perform_by: date | None
    mediator_name: str
    written: bool


def agreement_paper(*, actor: Actor, dispute: Dispute, reveal_reason: str = "") -> AgreementPaper:
    """The agreement's contents for the PDF the parties sign: full names, the facts and terms in
    clear (the printing is audited); ID numbers masked unless revealed with a reason."""
    visible = sel.dispute_visible(actor=actor, pk=dispute.pk)
    if not sel.may_handle(actor, visible):
        raise permission_denied()
    agreement = sel.dispute_agreement(visible)
    if agreement is None:
        raise not_found("调解协议", "Agreement")
    reveal = (reveal_reason or "").strip()
    if reveal:
        reveal = _reason(reveal, "reveal_reason")
    parties = [
        PrintedParty(
            name=party.name,
            side=party.side,
            id_number=(
                unseal(party.id_number_sealed, context=ID_NUMBER_CONTEXT)
                if reveal and party.id_number_sealed
                else party.id_number_masked
            ),
            phone=party.phone_masked or "",
            address=party.address,
        )
        for party in sel.dispute_parties(visible)
    ]
    audit(
        actor,
        "agreement_print",
        "mediation_dispute",
        visible.public_id,
        visible.path,
        reveal,
        id_numbers=bool(reveal),
    )
    return AgreementPaper(
        committee=f"{sel.handling_unit_name(visible)}人民调解委员会",
        number=visible.number,
        kind_name=visible.kind.name_zh,
        parties=parties,
        facts=unseal(visible.facts_sealed, context=FACTS_CONTEXT) if visible.facts_sealed else "",
        terms=unseal(agreement.terms_sealed, context=TERMS_CONTEXT),
        signed_on=agreement.signed_on,
        perform_by=agreement.perform_by,
        mediator_name=visible.mediator.name if visible.mediator else "",
        written=agreement.kind == OutcomeKind.WRITTEN,
    )
