"""People's mediation, stage disputes: intake, the parties' consent, assignment and recusal.

A dispute is registered by staff (window, phone, a grid event, a petition, …) or applied for by a
resident on the portal. Mediation starts only when every party agreed (自愿, art. 3 and 17): the
dispute is then accepted and its time limit runs on the work calendar; one refusal ends it. A
mediator is assigned from the candidates of the dispute's place and kind, never one who is a party
and never one a party asked to recuse (回避, art. 20). Facts and claims are sealed at rest and read
with a reason; phones and ID numbers of outsiders are sealed and kept masked for lists."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from linli.accounts.domain import MEDIATION_APPLY, MEDIATION_INTAKE, MEDIATION_MANAGE, MEDIATION_VIEW
from linli.areas.selectors import org_unit_by_path
from linli.core.actor import Actor
from linli.core.crypto import mask_id_number, mask_phone, seal, unseal
from linli.core.errors import DomainError, Msg, conflict, field_error, not_found, permission_denied, validation_failed
from linli.core.notify import notify
from linli.grid_events.selectors import event_get
from linli.mediation.domain.disputes import (
    LIMIT_DAYS,
    Consent,
    DisputeLevel,
    DisputeSource,
    DisputeState,
    PartySide,
    due_date,
    number_for,
    transition_for,
)
from linli.mediation.domain.mediators import COMMUNITY_LEN, STREET_LEN, MediatorKind
from linli.mediation.domain.mediators import PHONE_CONTEXT as MEDIATOR_PHONE_CONTEXT
from linli.mediation.models import Dispute, DisputeKind, DisputeParty, Mediator
from linli.mediation.selectors.disputes import dispute_scope_q
from linli.mediation.selectors.mediators import mediator_candidates
from linli.mediation.services.common import audit, dispute_locked, step_add
from linli.mediation.services.safety import four_zero_follow
from linli.residents.domain import id_number_normalise, id_number_problem, phone_problem
from linli.residents.selectors import applicant_by_ref, applicant_for_user
from linli.workdays.selectors import work_calendar

FACTS_CONTEXT, CLAIM_CONTEXT = "mediation.facts", "mediation.claim"
PHONE_CONTEXT, ID_CONTEXT = "mediation.party_phone", "mediation.party_id_number"
TITLE_MAX, FACTS_MAX, CLAIM_MAX, NOTE_MAX = 60, 4000, 2000, 200
REASON_MIN = 4
BACKFILL_DAYS = 366  # a paper record may be entered late, at most a year after it
NUMBER_TRIES = 5  # two registrations of one unit and day at once: the loser takes the next serial
OPEN = (DisputeState.CONSENT, DisputeState.ACCEPTED, DisputeState.MEDIATING)


# ---- small helpers ---------------------------------------------------------------------------


def next_workday(day: date) -> date:
    """The first working day on or after `day` (the work calendar's holidays and 调休 included)."""
    calendar = work_calendar()
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def _reason(reason: str, name: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise validation_failed(
            [field_error(name, "请写明理由（至少4个字）", "give the reason (at least 4 characters)")]
        )
    return reason[:300]


def _may_intake(actor: Actor) -> None:
    if not actor.has_perm(MEDIATION_INTAKE):
        raise permission_denied()


def _in_scope(actor: Actor, dispute: Dispute) -> Dispute:
    """The dispute, if a staff actor may act on it (the same 404 for missing and forbidden)."""
    if not Dispute.objects.filter(dispute_scope_q(actor), pk=dispute.pk).exists():
        raise not_found("纠纷", "Dispute")
    return dispute


def _transition(dispute: Dispute, action: str, message: Msg) -> str:
    """Move the locked dispute by the table (or refuse with `message`); returns the former state."""
    transition = transition_for(action, dispute.state)
    if transition is None:
        raise conflict(message)
    before = dispute.state
    dispute.state = transition.target
    return before


def _touch(dispute: Dispute, *fields: str) -> None:
    dispute.updated_at = timezone.now()
    dispute.save(update_fields=[*fields, "updated_at"])


# ---- registration ----------------------------------------------------------------------------


@dataclass
class PartyInput:
    """A party: a resident of the pool by public id (`person_ref`), or an outsider by name."""

    side: str
    person_ref: str = ""
    name: str = ""
    phone: str = ""
    id_number: str = ""
    address: str = ""


@dataclass
class DisputeInput:
    kind: str
    facts: str
    parties: list[PartyInput] = field(default_factory=list)
    title: str = ""
    claim: str = ""
    level: str = ""  # empty: the kind's level
    source: str = DisputeSource.WINDOW
    source_ref: str = ""  # the grid event's number for source grid_event
    community: str = ""  # the community's path; empty: the actor's own community
    registered_on: date | None = None  # a paper record entered late; empty: today


def _kind_check(code: str, errors: list) -> DisputeKind | None:
    kind = DisputeKind.objects.filter(code=(code or "").strip(), active=True).first()
    if kind is None:
        errors.append(field_error("kind", "请选择纠纷类型", "choose the kind of dispute"))
    return kind


def _texts_check(data: DisputeInput, errors: list) -> None:
    if not (data.facts or "").strip():
        errors.append(field_error("facts", "请写明纠纷事实", "describe the facts of the dispute"))
    elif len(data.facts.strip()) > FACTS_MAX:
        errors.append(
            field_error("facts", f"纠纷事实最多{FACTS_MAX}字", f"the facts take at most {FACTS_MAX} characters")
        )
    if len((data.claim or "").strip()) > CLAIM_MAX:
        errors.append(
            field_error("claim", f"请求事项最多{CLAIM_MAX}字", f"the claim takes at most {CLAIM_MAX} characters")
        )
    if len((data.title or "").strip()) > TITLE_MAX:
        errors.append(
            field_error("title", f"摘要最多{TITLE_MAX}字", f"the summary takes at most {TITLE_MAX} characters")
        )


def _day_check(day: date | None, today: date, errors: list) -> date:
    if day is None:
        return today
    if day > today:
        errors.append(
            field_error("registered_on", "登记日期不能晚于今天", "the registration day cannot be in the future")
        )
    elif (today - day).days > BACKFILL_DAYS:
        errors.append(
            field_error(
                "registered_on", "只能补录一年内的纠纷", "only disputes of the last twelve months can be entered"
            )
        )
    return day


def _community_for(actor: Actor, community: str, errors: list) -> str:
    """The dispute's community: the one given, in the actor's scope; else the actor's own."""
    path = (community or "").strip()
    if not path:
        own = {p[:COMMUNITY_LEN] for p in actor.scope_paths if len(p) >= COMMUNITY_LEN}
        if len(own) == 1:
            path = own.pop()
    unit = org_unit_by_path(path) if len(path) == COMMUNITY_LEN else None
    if unit is None or unit.kind not in ("community", "village") or not actor.sees_path(path):
        errors.append(field_error("community", "请选择辖区内的社区", "choose a community of your area"))
        return ""
    return path


def _party_values(actor: Actor, party: PartyInput, index: int, errors: list, *, scoped: bool = True) -> dict:
    """The row values of one party: masked values of a pool resident, or an outsider's sealed ones."""
    name_field = f"parties-{index}-name"
    if party.side not in PartySide.values:
        errors.append(field_error(f"parties-{index}-side", "请选择申请人或被申请人", "choose applicant or respondent"))
    values: dict = {"side": party.side, "address": (party.address or "").strip()[:120]}
    if party.person_ref:
        card = applicant_by_ref(party.person_ref)
        if card is None or (scoped and not actor.sees_path(card.home_path)):
            errors.append(
                field_error(
                    f"parties-{index}-person_ref", "所选居民不在您的辖区", "the chosen resident is not in your area"
                )
            )
            return values
        return values | {
            "name": card.name,
            "person_ref": uuid.UUID(card.public_id),
            "user_id": card.user_id,
            "phone_masked": card.phone_masked,
            "id_number_masked": card.id_number_masked,
            "address": values["address"] or card.address[:120],
        }
    name = (party.name or "").strip()
    if not name or len(name) > 50:
        errors.append(
            field_error(name_field, "当事人姓名必填，最多50字", "the party's name is required, at most 50 characters")
        )
    values["name"] = name
    phone = re.sub(r"\s", "", party.phone or "")
    if phone:
        problem = phone_problem(phone)
        if problem:
            errors.append(field_error(f"parties-{index}-phone", *problem))
        else:
            values |= {"phone_sealed": seal(phone, context=PHONE_CONTEXT), "phone_masked": mask_phone(phone)}
    id_number = id_number_normalise(party.id_number or "")
    if id_number:
        problem = id_number_problem(id_number)
        if problem:
            errors.append(field_error(f"parties-{index}-id_number", *problem))
        else:
            values |= {
                "id_number_sealed": seal(id_number, context=ID_CONTEXT),
                "id_number_masked": mask_id_number(id_number),
            }
    return values


def _parties_check(actor: Actor, parties: list[PartyInput], errors: list, *, scoped: bool = True) -> list[dict]:
    rows = [_party_values(actor, party, i, errors, scoped=scoped) for i, party in enumerate(parties)]
    sides = {party.side for party in parties}
    if not {PartySide.APPLICANT, PartySide.RESPONDENT} <= sides:
        errors.append(
            field_error(
                "parties", "至少要有一名申请人和一名被申请人", "at least one applicant and one respondent are needed"
            )
        )
    return rows


def _event_check(actor: Actor, data: DisputeInput, errors: list) -> str:
    """A grid event handed on: the actor must see it, and it may become one dispute only."""
    if data.source != DisputeSource.GRID_EVENT:
        return (data.source_ref or "").strip()[:40]
    try:
        event = event_get(actor=actor, key=data.source_ref)
    except DomainError:
        errors.append(field_error("source_ref", "找不到该网格事件", "no such grid event in your area"))
        return ""
    _one_per_event(event.number)
    return event.number


def _one_per_event(number: str) -> None:
    first = Dispute.objects.filter(source=DisputeSource.GRID_EVENT, source_ref=number).values_list("number", flat=True)
    if first:
        raise DomainError(
            Msg(
                f"该网格事件已转为人民调解 {first[0]}，不能重复登记",
                f"This grid event is already the dispute {first[0]}; it cannot be registered twice",
            ),
            code="conflict",
            status=409,
            details={"dispute": first[0]},
        )


def _numbered_create(values: dict, unit_code: str, day: date) -> Dispute:
    """Create the dispute with the next serial of its unit and day; a number taken at the same
    moment by another registration is retried with the next one (the unique constraint decides)."""
    prefix = number_for(unit_code, day, 0)[:-5]
    for _attempt in range(NUMBER_TRIES):
        serial = Dispute.objects.filter(number__startswith=prefix).count() + 1
        try:
            with transaction.atomic():
                return Dispute.objects.create(number=number_for(unit_code, day, serial), **values)
        except IntegrityError as error:
            if "one_per_event" in str(error) or values.get("source") == DisputeSource.GRID_EVENT:
                _one_per_event(values["source_ref"])
            continue
    raise conflict(Msg("案件编号冲突，请重试", "The case number was taken at the same moment; try again"))


def _create(actor: Actor, *, values: dict, parties: list[dict], path: str, day: date, note: str = "") -> Dispute:
    now = timezone.now()
    values |= {
        "path": path,
        "registered_on": day,
        "registered_by_id": actor.user_id,
        "registered_by_name": actor.shown_name,
        "created_at": now,
        "updated_at": now,
    }
    dispute = _numbered_create(values, path, day)
    DisputeParty.objects.bulk_create([DisputeParty(dispute=dispute, **row) for row in parties])
    step_add(dispute, actor, "register", "", note)
    audit(actor, "dispute_register", "mediation_dispute", dispute.number, path, source=dispute.source)
    _parties_tell(actor, dispute, parties)
    return dispute


def _parties_tell(actor: Actor, dispute: Dispute, parties: list[dict]) -> None:
    """A party with an account (other than whoever registered it) is asked in their inbox, so they
    can answer themself whether they agree to mediation."""
    user_ids = sorted({row["user_id"] for row in parties if row.get("user_id") and row["user_id"] != actor.user_id})
    if not user_ids or dispute.source == DisputeSource.REASONING:  # 慧评理 tells the other side itself
        return
    notify(
        user_ids=user_ids,
        kind="mediation.registered",
        text=Msg(
            f"人民调解：社区已登记纠纷 {dispute.number}，请告诉我们您是否同意调解。",
            f"People's mediation: the community registered dispute {dispute.number}; "
            "please tell us whether you agree to mediation.",
        ),
        link=reverse("portal:mediation-resident:dispute", args=[dispute.number]),
    )


def dispute_register(*, actor: Actor, data: DisputeInput) -> Dispute:
    """Register a dispute at the window, by phone, from a grid event, …: it awaits the parties'
    consent. Refused with every field's problem at once."""
    _may_intake(actor)
    errors: list = []
    kind = _kind_check(data.kind, errors)
    _texts_check(data, errors)
    if data.level and data.level not in DisputeLevel.values:
        errors.append(field_error("level", "请选择调解层级", "choose the level"))
    if data.source not in DisputeSource.values or data.source == DisputeSource.PORTAL:
        errors.append(field_error("source", "请选择纠纷来源", "choose where the dispute came from"))
    day = _day_check(data.registered_on, timezone.localdate(), errors)
    path = _community_for(actor, data.community, errors)
    parties = _parties_check(actor, data.parties, errors)
    source_ref = _event_check(actor, data, errors) if data.source in DisputeSource.values else ""
    if errors:
        raise validation_failed(errors)
    assert kind is not None  # _kind_check named a missing kind, raised above
    values = {
        "kind": kind,
        "level": data.level or kind.level,
        "source": data.source,
        "source_ref": source_ref,
        "title": (data.title or "").strip() or kind.name_zh,
        "facts_sealed": seal(data.facts.strip(), context=FACTS_CONTEXT),
        "claim_sealed": seal(data.claim.strip(), context=CLAIM_CONTEXT) if (data.claim or "").strip() else "",
    }
    with transaction.atomic():
        return _create(actor, values=values, parties=parties, path=path, day=day)


@dataclass
class ApplyInput:
    """A resident's own application: the other side by name (and phone, if known)."""

    kind: str
    facts: str
    respondent_name: str
    respondent_phone: str = ""
    claim: str = ""
    title: str = ""
    community: str = ""  # only when the account is not linked to the pool
    # a 慧评理 case taken to mediation names where it came from and the other side's account
    source: str = DisputeSource.PORTAL
    source_ref: str = ""
    respondent_user_id: int | None = None


APPLY_SOURCES = frozenset({DisputeSource.PORTAL, DisputeSource.REASONING})


def dispute_apply(*, actor: Actor, data: ApplyInput) -> Dispute:
    """A resident applies for mediation on the portal: they are the applicant (their consent is
    recorded at once: they applied), the respondent is named; the community is their home's."""
    if actor.user_id is None or not actor.has_perm(MEDIATION_APPLY):
        raise permission_denied()
    errors: list = []
    kind = _kind_check(data.kind, errors)
    texts = DisputeInput(kind=data.kind, facts=data.facts, claim=data.claim, title=data.title)
    _texts_check(texts, errors)
    me = applicant_for_user(actor.user_id)
    path = me.home_path[:COMMUNITY_LEN] if me else (data.community or "").strip()
    unit = org_unit_by_path(path) if len(path) == COMMUNITY_LEN else None
    if unit is None or unit.kind not in ("community", "village"):
        errors.append(field_error("community", "请选择您所在的社区", "choose your community"))
    respondent = PartyInput(side=PartySide.RESPONDENT, name=data.respondent_name, phone=data.respondent_phone)
    rows = _parties_check(actor, [respondent], errors, scoped=False)
    rows[0]["side"] = PartySide.RESPONDENT
    if data.respondent_user_id is not None:
        rows[0]["user_id"] = data.respondent_user_id
    if data.source not in APPLY_SOURCES:
        errors.append(field_error("source", "请选择纠纷来源", "choose where the dispute came from"))
    if errors and any(e.field == "parties" for e in errors):  # the applicant is the actor: never missing
        errors = [e for e in errors if e.field != "parties"]
    if errors:
        raise validation_failed([_respondent_field(e) for e in errors])
    assert kind is not None
    today = timezone.localdate()
    applicant = {
        "side": PartySide.APPLICANT,
        "name": me.name if me else actor.shown_name[:50],
        "person_ref": uuid.UUID(me.public_id) if me else None,
        "user_id": actor.user_id,
        "phone_masked": me.phone_masked if me else "",
        "id_number_masked": me.id_number_masked if me else "",
        "address": me.address[:120] if me else "",
        "consent": Consent.AGREED,
        "consent_on": today,
    }
    values = {
        "kind": kind,
        "level": kind.level,
        "source": data.source,
        "source_ref": data.source_ref[:40],
        "title": (data.title or "").strip() or kind.name_zh,
        "facts_sealed": seal(data.facts.strip(), context=FACTS_CONTEXT),
        "claim_sealed": seal(data.claim.strip(), context=CLAIM_CONTEXT) if (data.claim or "").strip() else "",
    }
    with transaction.atomic():
        return _create(actor, values=values, parties=[applicant, rows[0]], path=path, day=today)


def _respondent_field(error):
    """The application form names the respondent's fields plainly."""
    renames = {"parties-0-name": "respondent_name", "parties-0-phone": "respondent_phone"}
    return type(error)(renames.get(error.field, error.field), error.message)


# ---- consent and withdrawal ------------------------------------------------------------------


def _party_of(dispute: Dispute, party_id) -> DisputeParty:
    try:
        return DisputeParty.objects.select_for_update().get(dispute=dispute, pk=int(party_id))
    except (DisputeParty.DoesNotExist, TypeError, ValueError):
        raise not_found("当事人", "Party") from None


def party_consent(
    *, actor: Actor, dispute: Dispute, party_id=None, consent: str, note: str = "", on: date | None = None
):
    """Record one party's will to be mediated: by intake staff of the area naming the party, or by
    a resident party themself (their own will only, today). Every party agreed → accepted, the
    time limit runs from `on`; one party refused → not mediated (ended on `on`)."""
    today = timezone.localdate()
    own = _own_party(actor, dispute) if not actor.has_perm(MEDIATION_INTAKE) else None
    if own is not None:
        party_id, on = own.pk, today
    else:
        _may_intake(actor)
        _in_scope(actor, dispute)
    on = on or today
    errors = []
    if consent not in (Consent.AGREED, Consent.REFUSED):
        errors.append(field_error("consent", "请选择同意或不同意调解", "choose agrees or refuses"))
    if on > today:
        errors.append(field_error("on", "日期不能晚于今天", "the day cannot be in the future"))
    elif on < dispute.registered_on:
        errors.append(field_error("on", "日期不能早于登记日期", "the day cannot precede the registration"))
    if len((note or "").strip()) > NOTE_MAX:
        errors.append(field_error("note", f"说明最多{NOTE_MAX}字", f"the note takes at most {NOTE_MAX} characters"))
    if errors:
        raise validation_failed(errors)
    with transaction.atomic():
        dispute = dispute_locked(dispute)
        if dispute.state != DisputeState.CONSENT:
            raise conflict(Msg("该纠纷已不在征求意愿阶段", "This dispute no longer awaits the parties' consent"))
        party = _party_of(dispute, party_id)
        party.consent, party.consent_on, party.consent_note = consent, on, (note or "").strip()
        party.save(update_fields=["consent", "consent_on", "consent_note"])
        audit(
            actor, "dispute_consent", "mediation_dispute", dispute.number, dispute.path, party=party.pk, consent=consent
        )
        _consent_outcome(actor, dispute, on)
    return dispute


def _consent_outcome(actor: Actor, dispute: Dispute, on: date) -> None:
    """Accept once every party agreed; refuse once one refused; otherwise keep waiting."""
    consents = set(dispute.parties.values_list("consent", flat=True))
    if Consent.REFUSED in consents:
        before = _transition(dispute, "refuse", Msg("无法结束", "Cannot end"))
        dispute.ended_on = on
        _touch(dispute, "state", "ended_on")
    elif consents == {Consent.AGREED}:
        before = _transition(dispute, "accept", Msg("无法受理", "Cannot accept"))
        dispute.accepted_on = on
        dispute.due_on = due_date(on, LIMIT_DAYS, next_workday)
        _touch(dispute, "state", "accepted_on", "due_on")
    else:
        return
    step_add(dispute, actor, "accept" if dispute.state == DisputeState.ACCEPTED else "refuse", before)
    audit(actor, "dispute_transition", "mediation_dispute", dispute.number, dispute.path, to=dispute.state)


def _own_party(actor: Actor, dispute: Dispute) -> DisputeParty | None:
    if actor.user_id is None:
        return None
    return DisputeParty.objects.filter(dispute=dispute, user_id=actor.user_id).order_by("pk").first()


def dispute_withdraw(*, actor: Actor, dispute: Dispute, reason: str, party_id=None) -> Dispute:
    """A party withdraws from mediation (any time before an agreement): the resident themself, or
    staff recording which party withdrew. The dispute ends as withdrawn."""
    reason = _reason(reason)
    own = _own_party(actor, dispute)
    if own is None:
        _may_intake(actor)
        _in_scope(actor, dispute)
    with transaction.atomic():
        dispute = dispute_locked(dispute)
        party = _party_of(dispute, own.pk if own is not None else party_id)
        before = _transition(
            dispute, "withdraw", Msg("该纠纷已结束，不能撤回", "This dispute has ended; it cannot be withdrawn")
        )
        party.consent, party.consent_on, party.consent_note = Consent.WITHDRAWN, timezone.localdate(), reason[:200]
        party.save(update_fields=["consent", "consent_on", "consent_note"])
        dispute.ended_on = timezone.localdate()
        _touch(dispute, "state", "ended_on")
        step_add(dispute, actor, "withdraw", before)
        audit(actor, "dispute_withdraw", "mediation_dispute", dispute.number, dispute.path, reason, party=party.pk)
    return dispute


# ---- assignment and recusal ------------------------------------------------------------------


def _mediator_by_id(mediator_id) -> Mediator | None:
    """A mediator by public id (or row id, for the demo's and other stages' callers)."""
    if isinstance(mediator_id, Mediator):
        return mediator_id
    text = str(mediator_id or "").strip()
    if text.isdigit():
        return Mediator.objects.filter(pk=int(text)).first()
    try:
        return Mediator.objects.filter(public_id=uuid.UUID(text)).first()
    except ValueError:
        return None


def _phone_of(sealed: str) -> str:
    return unseal(sealed, context=PHONE_CONTEXT) if sealed else ""


def mediator_is_party(mediator: Mediator, parties) -> bool:
    """A mediator cannot mediate their own dispute: the same pool resident, the same account, or
    (for an outsider) the same name and phone."""
    mediator_phone = ""
    for party in parties:
        if mediator.person_ref and party.person_ref == mediator.person_ref:
            return True
        if mediator.user_id and party.user_id == mediator.user_id:
            return True
        if party.name == mediator.name and party.phone_sealed and mediator.phone_sealed:
            mediator_phone = mediator_phone or unseal(mediator.phone_sealed, context=MEDIATOR_PHONE_CONTEXT)
            if _phone_of(party.phone_sealed) == mediator_phone:
                return True
    return False


def level_for(mediator: Mediator) -> str:
    """The level follows the mediator: a committee member mediates in the community, a full-time
    mediator at the street, an expert as expert (a volunteer by the unit they serve)."""
    if mediator.kind == MediatorKind.COMMITTEE:
        return DisputeLevel.COMMUNITY
    if mediator.kind == MediatorKind.FULL_TIME:
        return DisputeLevel.STREET
    if mediator.kind == MediatorKind.EXPERT:
        return DisputeLevel.EXPERT
    return {COMMUNITY_LEN: DisputeLevel.COMMUNITY, STREET_LEN: DisputeLevel.STREET}.get(
        len(mediator.path), DisputeLevel.EXPERT
    )


def _assign_check(dispute: Dispute, mediator: Mediator | None) -> Mediator:
    if dispute.state == DisputeState.CONSENT:
        raise conflict(
            Msg(
                "当事人尚未全部同意调解，不能指派调解员",
                "Not every party has agreed to mediation; no mediator can be assigned",
            )
        )
    if transition_for("assign", dispute.state) is None:
        raise conflict(Msg("该纠纷已结束，不能指派调解员", "This dispute has ended; no mediator can be assigned"))
    candidates = {m.pk for m in mediator_candidates(dispute_path=dispute.path, kind_code=dispute.kind.code)}
    if mediator is None or mediator.pk not in candidates:
        raise validation_failed(
            [
                field_error(
                    "mediator", "该调解员不能承办本纠纷（辖区或类型不符）", "this mediator cannot take this dispute"
                )
            ]
        )
    if mediator_is_party(mediator, dispute.parties.all()):
        raise validation_failed(
            [field_error("mediator", "该调解员是本纠纷的当事人，应当回避", "this mediator is a party to the dispute")]
        )
    if str(mediator.public_id) in dispute.excluded_mediators:
        raise validation_failed(
            [field_error("mediator", "当事人已申请该调解员回避", "a party asked this mediator to step aside")]
        )
    if dispute.mediator_id == mediator.pk:
        raise conflict(Msg("该调解员已承办本纠纷", "This mediator already has the dispute"))
    return mediator


def dispute_assign(*, actor: Actor, dispute: Dispute, mediator_id, reason: str = "") -> Dispute:
    """Assign (or reassign) the dispute's mediator; the former stays in the timeline. The mediator
    is told in their inbox."""
    _may_intake(actor)
    _in_scope(actor, dispute)
    with transaction.atomic():
        dispute = dispute_locked(dispute)
        mediator = _assign_check(dispute, _mediator_by_id(mediator_id))
        reassigned = dispute.mediator_id is not None
        if reassigned:
            reason = _reason(reason)
        before = _transition(dispute, "assign", Msg("不能指派", "Cannot assign"))
        dispute.mediator, dispute.level = mediator, level_for(mediator)
        _touch(dispute, "state", "mediator", "level")
        step_add(dispute, actor, "reassign" if reassigned else "assign", before, f"{mediator.name}")
        audit(
            actor,
            "dispute_assign",
            "mediation_dispute",
            dispute.number,
            dispute.path,
            reason,
            mediator=str(mediator.public_id),
        )
        notify(
            user_ids=[mediator.user_id],
            kind="mediation.assigned",
            text=Msg(
                f"人民调解：纠纷 {dispute.number} 已指派给您承办。",
                f"People's mediation: dispute {dispute.number} is assigned to you.",
            ),
            link=reverse("portal:mediation:dispute", args=[dispute.number]),
        )
    return dispute


def dispute_recusal(*, actor: Actor, dispute: Dispute, reason: str, party_id=None) -> Dispute:
    """A party asks for another mediator (回避, art. 20): the current mediator is removed and never
    assigned to this dispute again; the dispute waits for another mediator. Asked by the party
    themself, or recorded by staff naming the party."""
    reason = _reason(reason)
    own = _own_party(actor, dispute)
    if own is None:
        _may_intake(actor)
        _in_scope(actor, dispute)
    with transaction.atomic():
        dispute = dispute_locked(dispute)
        party = _party_of(dispute, own.pk if own is not None else party_id)
        if dispute.mediator_id is None:
            raise conflict(Msg("该纠纷尚未指派调解员", "No mediator is assigned to this dispute"))
        before = _transition(
            dispute, "recuse", Msg("该纠纷不在调解中，不能申请回避", "This dispute is not in mediation")
        )
        mediator = dispute.mediator
        assert mediator is not None
        dispute.excluded_mediators = [*dispute.excluded_mediators, str(mediator.public_id)]
        dispute.mediator = None
        _touch(dispute, "state", "mediator", "excluded_mediators")
        step_add(dispute, actor, "recuse", before, mediator.name)
        audit(
            actor,
            "dispute_recusal",
            "mediation_dispute",
            dispute.number,
            dispute.path,
            reason,
            party=party.pk,
            mediator=str(mediator.public_id),
        )
        notify(
            user_ids=[mediator.user_id],
            kind="mediation.recused",
            text=Msg(
                f"人民调解：当事人申请您回避，纠纷 {dispute.number} 将另行指派。",
                f"People's mediation: a party asked you to step aside; dispute {dispute.number} "
                "goes to another mediator.",
            ),
        )
    return dispute


# ---- escalation and reading -----------------------------------------------------------------


def dispute_escalate(*, actor: Actor, dispute: Dispute, reason: str) -> Dispute:
    """Mark a dispute taken beyond the street (上访): the four-zero community's petitions count it."""
    _may_intake(actor)
    _in_scope(actor, dispute)
    reason = _reason(reason)
    with transaction.atomic():
        dispute = dispute_locked(dispute)
        if dispute.escalated:
            raise conflict(Msg("该纠纷已标记为越级上访", "This dispute is already marked escalated"))
        dispute.escalated = True
        _touch(dispute, "escalated")
        step_add(dispute, actor, "escalate", dispute.state)
        audit(actor, "dispute_escalate", "mediation_dispute", dispute.number, dispute.path, reason)
        # the four-zero's petitions count escalated disputes of the month they were registered in
        four_zero_follow(dispute.path[:COMMUNITY_LEN], dispute.registered_on)
    return dispute


@dataclass(frozen=True)
class DisputeTexts:
    facts: str
    claim: str


def dispute_facts_reveal(*, actor: Actor, dispute: Dispute, reason: str) -> DisputeTexts:
    """The facts and claim in clear, for a reader of the dispute who gives a reason (audited)."""
    if not (actor.has_perm(MEDIATION_VIEW) or actor.has_perm(MEDIATION_MANAGE)):
        raise not_found("纠纷", "Dispute")
    _in_scope(actor, dispute)
    reason = _reason(reason)
    audit(actor, "dispute_read", "mediation_dispute", dispute.number, dispute.path, reason, what="facts")
    return DisputeTexts(
        facts=unseal(dispute.facts_sealed, context=FACTS_CONTEXT),
        claim=unseal(dispute.claim_sealed, context=CLAIM_CONTEXT) if dispute.claim_sealed else "",
    )


def party_phone_reveal(*, actor: Actor, dispute: Dispute, party_id, reason: str) -> str:
    """An outsider party's phone in clear, with a reason (audited)."""
    if not actor.has_perm(MEDIATION_VIEW):
        raise not_found("纠纷", "Dispute")
    _in_scope(actor, dispute)
    reason = _reason(reason)
    party = DisputeParty.objects.filter(dispute=dispute, pk=party_id).first() if str(party_id).isdigit() else None
    if party is None or not party.phone_sealed:
        raise not_found("当事人", "Party")
    audit(
        actor, "dispute_read", "mediation_dispute", dispute.number, dispute.path, reason, what="phone", party=party.pk
    )
    return _phone_of(party.phone_sealed)
