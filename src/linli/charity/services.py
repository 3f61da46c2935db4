"""Writes of charity and micro-funds: one transaction each, validated and audited.

Needs and offers are checked whole before anything is written (every problem named by its field);
a match locks the need, then the offer, and re-reads both, so two people confirming at once
cannot give away more than either has; a payment locks the fund row and the database refuses a
negative balance as a last line. The ledger and the need's timeline are append-only."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from linli.accounts.domain import CHARITY_MANAGE, CHARITY_OFFER, Role
from linli.accounts.selectors import home_path
from linli.areas.selectors import org_unit_by_path
from linli.charity.domain import (
    CATEGORY_BY_CODE,
    MAX_AMOUNT,
    OPEN_NEED_STATES,
    DonorType,
    EntryKind,
    Kind,
    MatchState,
    NeedState,
    OfferState,
    Reach,
    RequestState,
    money_parse,
    needs_decision,
    personal_number_problem,
    state_after_allocation,
    state_after_delivery,
    transition_for,
    yuan,
)
from linli.charity.models import CharityNeed, CharityOffer, FundEntry, Match, MicroFund, NeedStep, PaymentRequest
from linli.charity.selectors import manages, need_list, offer_get, org_brief, org_ids_for
from linli.core.actor import Actor
from linli.core.crypto import seal, unseal
from linli.core.errors import FieldError, Msg, conflict, not_found, permission_denied, validation_failed
from linli.core.notify import notify
from linli.core.services import audit_record

NOTE_CONTEXT = "charity.need_note"
CONTACT_CONTEXT = "charity.donor_contact"
COMMUNITY_KINDS = ("community", "village")
TEXT_MAX = 2000


def _required(problems: list[FieldError], name: str, value: str, zh: str, en: str) -> None:
    if not (value or "").strip():
        problems.append(FieldError(name, Msg(f"请填写{zh}", f"{en} is required")))


def _public(problems: list[FieldError], name: str, value: str) -> None:
    problem = personal_number_problem(value)
    if problem is not None:
        problems.append(FieldError(name, problem))


def _quantity(problems: list[FieldError], value) -> int:
    try:
        quantity = int(value)
    except (TypeError, ValueError):
        quantity = 0
    if not (1 <= quantity <= 10_000_000):
        problems.append(FieldError("quantity", Msg("数量应为 1 至 10000000 的整数", "Quantity is a whole number ≥ 1")))
    return quantity


def _kind_category(problems: list[FieldError], kind: str, category: str) -> None:
    if kind not in Kind.values:
        problems.append(FieldError("kind", Msg("请选择类型", "Choose a kind")))
    elif category and (category not in CATEGORY_BY_CODE or CATEGORY_BY_CODE[category].kind != kind):
        problems.append(FieldError("category", Msg("分类与类型不符", "The category does not belong to the kind")))


def _community(actor: Actor, path: str) -> str | None:
    """A community or village the actor manages; None otherwise."""
    unit = org_unit_by_path(path) if path.isdigit() else None
    if unit is None or unit.kind not in COMMUNITY_KINDS or not actor.sees_path(unit.path):
        return None
    return unit.path


def _step(need: CharityNeed, actor: Actor, action: str, from_state: str, *, now, note="", details=None) -> NeedStep:
    return NeedStep.objects.create(
        need=need,
        action=action,
        from_state=from_state,
        to_state=need.state,
        actor_id=actor.user_id,
        actor_name=actor.shown_name,
        note=note.strip(),
        details=details or {},
        at=now,
    )


def _audit(actor: Actor, action: str, object_type: str, object_id, path: str, reason: str = "", **details) -> None:
    audit_record(
        actor=actor,
        action=f"charity.{action}",
        object_type=object_type,
        object_id=object_id,
        org_path=path,
        reason=reason[:200],
        details={k: str(v) for k, v in details.items()},
    )


# ================================================================ needs


@dataclass
class NeedInput:
    kind: str
    title: str
    quantity: int
    unit: str
    beneficiary: str
    community: str = ""  # a community path; empty: the actor's own community
    category: str = ""
    description: str = ""
    needed_by: dt.date | None = None
    note: str = ""  # internal, sealed


def need_post(*, actor: Actor, data: NeedInput) -> CharityNeed:
    """A community worker posts a need. Public text with a full ID or phone number is refused,
    naming the field; the internal note is sealed."""
    if not actor.has_perm(CHARITY_MANAGE):
        raise permission_denied()
    problems: list[FieldError] = []
    _kind_category(problems, data.kind, data.category)
    _required(problems, "title", data.title, "标题", "Title")
    _required(problems, "beneficiary", data.beneficiary, "受助对象（如「王女士，独居老人」）", "Beneficiary")
    _required(problems, "unit", data.unit, "单位", "Unit")
    quantity = _quantity(problems, data.quantity)
    for name in ("title", "description", "beneficiary"):
        _public(problems, name, getattr(data, name))
    if len(data.title.strip()) > 60:
        problems.append(FieldError("title", Msg("标题不能超过 60 字", "At most 60 characters")))
    if len(data.beneficiary.strip()) > 40:
        problems.append(FieldError("beneficiary", Msg("不能超过 40 字", "At most 40 characters")))
    if len(data.description) > TEXT_MAX or len(data.note) > TEXT_MAX:
        problems.append(FieldError("description", Msg("不能超过 2000 字", "At most 2,000 characters")))
    if data.needed_by is not None and data.needed_by < timezone.localdate():
        problems.append(FieldError("needed_by", Msg("需要日期不能早于今天", "The date cannot be in the past")))
    path = data.community or (actor.scope_paths[0] if len(actor.scope_paths) == 1 else "")
    community = _community(actor, path)
    if community is None:
        problems.append(FieldError("community", Msg("请选择您负责的社区", "Choose a community of your area")))
    if problems:
        raise validation_failed(problems)
    assert community is not None
    now = timezone.now()
    with transaction.atomic():
        need = CharityNeed.objects.create(
            kind=data.kind,
            category=data.category,
            title=data.title.strip(),
            description=data.description.strip(),
            quantity=quantity,
            unit=data.unit.strip()[:8],
            needed_by=data.needed_by,
            community_path=community,
            beneficiary=data.beneficiary.strip(),
            note_sealed=seal(data.note.strip(), context=NOTE_CONTEXT),
            created_by_id=actor.user_id,
            created_by_name=actor.shown_name,
            created_at=now,
            state_changed_at=now,
        )
        _step(need, actor, "post", "", now=now)
        _audit(actor, "need_post", "charity_need", need.public_id, community, kind=data.kind)
    return need


def need_note(*, actor: Actor, need: CharityNeed) -> str:
    """The internal note, for CHARITY_MANAGE in the need's area only; each reading is audited."""
    if not need.note_sealed or not manages(actor) or not actor.sees_path(need.community_path):
        return ""
    _audit(actor, "need_note_read", "charity_need", need.public_id, need.community_path)
    return unseal(need.note_sealed, context=NOTE_CONTEXT)


def _locked_need(actor: Actor, need_id: int) -> CharityNeed:
    need = need_list(actor=actor).select_for_update().filter(pk=need_id).first()
    if need is None:
        raise not_found("需求", "Need")
    return need


def need_act(*, actor: Actor, need: CharityNeed, action: str, note: str = "") -> CharityNeed:
    """Acknowledge (on the beneficiary's behalf) or close a need; the state is re-read under a row
    lock, so of two people acting at once the second is told it is no longer allowed."""
    transition = transition_for(action)
    if transition is None or action not in {"acknowledge", "close"}:
        raise not_found("操作", "Action")
    if not actor.has_perm(transition.permission):
        raise permission_denied()
    if transition.needs_reason and not note.strip():
        raise validation_failed([FieldError("note", Msg("请填写原因", "A reason is required"))])
    _public_note(note)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_need(actor, need.pk)
        if locked.state not in transition.sources:
            raise conflict(
                Msg(
                    f"需求当前状态为「{NeedState(locked.state).label}」，不能「{transition.label.zh}」",
                    f"The need is {locked.state}; '{transition.label.en}' is not allowed now",
                )
            )
        if action == "close" and locked.matches.filter(state=MatchState.CONFIRMED).exists():
            raise conflict(
                Msg("还有待送达的对接，请先登记送达或取消对接", "Deliver or cancel the pending matches first")
            )
        from_state = locked.state
        locked.state = transition.target
        locked.state_changed_at = now
        locked.save(update_fields=["state", "state_changed_at"])
        if action == "acknowledge":
            locked.matches.filter(state=MatchState.DELIVERED).update(state=MatchState.ACKNOWLEDGED, acknowledged_at=now)
        _step(locked, actor, action, from_state, now=now, note=note)
        _audit(actor, f"need_{action}", "charity_need", locked.public_id, locked.community_path, note, to=locked.state)
    if action == "acknowledge":
        _notify_donors(locked, Msg(f"受助方已确认收到「{locked.title}」，谢谢您！", f"'{locked.title}' was received"))
    return locked


def _public_note(note: str) -> None:
    problem = personal_number_problem(note)
    if problem is not None:
        raise validation_failed([FieldError("note", problem)])


# ================================================================ offers


@dataclass
class OfferInput:
    kind: str
    title: str
    quantity: int
    unit: str
    category: str = ""
    description: str = ""
    reach: str = Reach.COMMUNITY
    available_until: dt.date | None = None
    anonymous: bool = False
    for_need: uuid.UUID | None = None  # "I can help" on this need
    org: uuid.UUID | None = None  # an organisation the organiser speaks for
    donor_name: str = ""  # a walk-in donor (staff record)
    donor_contact: str = ""  # a walk-in donor's phone, sealed
    community: str = ""  # where a staff-recorded offer is based


def offer_post(*, actor: Actor, data: OfferInput) -> CharityOffer:
    """A resident (from the phone), an organisation's account, or staff for a walk-in donor.
    The donor's name is always kept; `anonymous` keeps it off every public page."""
    problems: list[FieldError] = []
    _kind_category(problems, data.kind, data.category)
    _required(problems, "title", data.title, "内容", "Title")
    _required(problems, "unit", data.unit, "单位", "Unit")
    quantity = _quantity(problems, data.quantity)
    for name in ("title", "description"):
        _public(problems, name, getattr(data, name))
    if len(data.title.strip()) > 60:
        problems.append(FieldError("title", Msg("不能超过 60 字", "At most 60 characters")))
    if len(data.description) > TEXT_MAX:
        problems.append(FieldError("description", Msg("不能超过 2000 字", "At most 2,000 characters")))
    if data.reach not in Reach.values:
        problems.append(FieldError("reach", Msg("请选择服务范围", "Choose the area served")))
    if data.available_until is not None and data.available_until < timezone.localdate():
        problems.append(FieldError("available_until", Msg("日期不能早于今天", "The date cannot be in the past")))
    need = None
    if data.for_need is not None:
        need = CharityNeed.objects.filter(public_id=data.for_need, state=NeedState.OPEN).first()
        if need is None:
            problems.append(FieldError("for_need", Msg("该需求已不再开放", "That need is no longer open")))
    donor = _donor(actor, data, need, problems)
    if problems:
        raise validation_failed(problems)
    now = timezone.now()
    with transaction.atomic():
        offer = CharityOffer.objects.create(
            kind=data.kind,
            category=data.category,
            title=data.title.strip(),
            description=data.description.strip(),
            quantity=quantity,
            unit=data.unit.strip()[:8],
            reach=data.reach,
            available_until=data.available_until,
            anonymous=data.anonymous,
            for_need=need,
            recorded_by_id=actor.user_id,
            created_at=now,
            **donor,
        )
        _audit(actor, "offer_post", "charity_offer", offer.public_id, offer.path, donor=offer.donor_type)
    return offer


def _donor(actor: Actor, data: OfferInput, need: CharityNeed | None, problems: list[FieldError]) -> dict:
    """Who gives and where the offer is based, by the kind of account posting it."""
    need_path = need.community_path if need is not None else ""
    if data.org is not None:
        brief = org_brief(data.org)
        if not actor.has_perm(CHARITY_OFFER) or data.org not in org_ids_for(actor) or brief is None:
            problems.append(FieldError("org", Msg("您不能代表该组织", "You do not speak for that organisation")))
            return {}
        path = "2101" if brief.citywide else (need_path or brief.unit_path)
        return {
            "donor_type": DonorType.ORGANISATION,
            "org_id": data.org,
            "donor_name": brief.name[:100],
            "donor_user_id": actor.user_id,
            "path": path[:12] or need_path,
        }
    if manages(actor) and (data.donor_name.strip() or not actor.has_role(Role.RESIDENT)):
        _required(problems, "donor_name", data.donor_name, "捐赠人姓名或单位", "Donor's name")
        _public(problems, "donor_name", data.donor_name)
        path = need_path or data.community or (actor.scope_paths[0] if len(actor.scope_paths) == 1 else "")
        if not path or not actor.sees_path(path) or org_unit_by_path(path) is None:
            problems.append(FieldError("community", Msg("请选择您负责的社区", "Choose a community of your area")))
        if data.donor_contact and len(data.donor_contact) > 40:
            problems.append(FieldError("donor_contact", Msg("联系方式太长", "Contact is too long")))
        return {
            "donor_type": DonorType.WALK_IN,
            "donor_name": data.donor_name.strip()[:100],
            "donor_contact_sealed": seal(data.donor_contact.strip(), context=CONTACT_CONTEXT),
            "path": path,
        }
    if actor.has_perm(CHARITY_OFFER) and actor.user_id:
        path = need_path or home_path(actor.user_id)
        if not path:
            problems.append(
                FieldError("for_need", Msg("请从一条需求点「我能帮」，或先登记所在社区", "Choose a need to help"))
            )
        return {
            "donor_type": DonorType.RESIDENT,
            "donor_user_id": actor.user_id,
            "donor_name": (actor.display_name or actor.username)[:100],
            "path": path,
        }
    raise permission_denied()


def offer_withdraw(*, actor: Actor, offer: CharityOffer, reason: str = "") -> CharityOffer:
    """The donor (or staff) withdraws what is not yet given, with a reason; confirmed matches stand."""
    if not reason.strip():
        raise validation_failed([FieldError("reason", Msg("请填写撤回原因", "Give a reason"))])
    with transaction.atomic():
        locked = offer_get(actor=actor, public_id=offer.public_id)
        locked = CharityOffer.objects.select_for_update().get(pk=locked.pk)
        if locked.state != OfferState.OPEN:
            raise conflict(Msg("该捐赠意向已撤回", "The offer is already withdrawn"))
        locked.state = OfferState.WITHDRAWN
        locked.save(update_fields=["state"])
        _audit(actor, "offer_withdraw", "charity_offer", locked.public_id, locked.path, reason)
    return locked


def offer_contact(*, actor: Actor, offer: CharityOffer, reason: str) -> str:
    """A walk-in donor's contact, for staff of the area with a reason; audited."""
    if not manages(actor):
        raise permission_denied()
    if not reason.strip():
        raise validation_failed([FieldError("reason", Msg("请填写查看原因", "Give a reason"))])
    _audit(actor, "offer_contact_read", "charity_offer", offer.public_id, offer.path, reason)
    return unseal(offer.donor_contact_sealed, context=CONTACT_CONTEXT)


# ================================================================ matches


def match_confirm(*, actor: Actor, need: CharityNeed, offer_id: uuid.UUID, quantity: int) -> Match:
    """Give `quantity` of an offer to a need. Both rows are locked (need first) and re-read; more
    than either has left is refused and nothing is written."""
    if not actor.has_perm(CHARITY_MANAGE):
        raise permission_denied()
    problems: list[FieldError] = []
    quantity = _quantity(problems, quantity)
    if problems:
        raise validation_failed(problems)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_need(actor, need.pk)
        offer = CharityOffer.objects.select_for_update().filter(public_id=offer_id).first()
        if offer is None or not _reaches(offer, locked):
            raise not_found("捐赠意向", "Offer")
        if locked.state not in OPEN_NEED_STATES:
            raise conflict(Msg("该需求已不再开放对接", "The need is no longer open for matching"))
        if offer.state != OfferState.OPEN:
            raise conflict(Msg("该捐赠意向已撤回", "The offer was withdrawn"))
        if quantity > locked.remaining:
            raise validation_failed(
                [
                    FieldError(
                        "quantity",
                        Msg(
                            f"超出需求尚缺的数量（还差 {locked.remaining}{locked.unit}）",
                            f"More than the need still lacks ({locked.remaining} {locked.unit})",
                        ),
                    )
                ]
            )
        if quantity > offer.remaining:
            raise validation_failed(
                [
                    FieldError(
                        "quantity",
                        Msg(
                            f"超出捐赠意向剩余的数量（剩 {offer.remaining}{offer.unit}）",
                            f"More than the offer has left ({offer.remaining} {offer.unit})",
                        ),
                    )
                ]
            )
        match = Match.objects.create(
            need=locked, offer=offer, quantity=quantity, confirmed_by_name=actor.shown_name, confirmed_at=now
        )
        CharityOffer.objects.filter(pk=offer.pk).update(allocated=F("allocated") + quantity)
        from_state = locked.state
        locked.allocated += quantity
        locked.state = state_after_allocation(locked.state, locked.quantity, locked.allocated)
        if locked.state != from_state:
            locked.state_changed_at = now
        locked.save(update_fields=["allocated", "state", "state_changed_at"])
        _step(
            locked,
            actor,
            "match_confirmed" if locked.state == from_state else "match",
            from_state,
            now=now,
            details={"match": str(match.public_id), "quantity": quantity},
        )
        _audit(actor, "match_confirm", "charity_match", match.public_id, locked.community_path, quantity=quantity)
    _notify_offer(
        offer,
        Msg(f"您的捐赠「{offer.title}」已对接到一户需要的人家", f"Your offer '{offer.title}' was matched to a need"),
    )
    return match


def _reaches(offer: CharityOffer, need: CharityNeed) -> bool:
    from linli.charity.domain import kind_rank, reaches

    return kind_rank(need.kind, offer.kind) is not None and reaches(offer.path, offer.reach, need.community_path)


def _locked_match(actor: Actor, match: Match) -> tuple[Match, CharityNeed]:
    need = _locked_need(actor, match.need_id)
    locked = Match.objects.select_for_update().select_related("offer").get(pk=match.pk)
    return locked, need


def match_deliver(*, actor: Actor, match: Match, note: str = "") -> Match:
    """Record that the match was handed over; the need is delivered when all of it is."""
    if not actor.has_perm(CHARITY_MANAGE):
        raise permission_denied()
    _public_note(note)
    now = timezone.now()
    with transaction.atomic():
        locked, need = _locked_match(actor, match)
        if locked.state != MatchState.CONFIRMED:
            raise conflict(Msg("该对接已送达或已取消", "The match is already delivered or cancelled"))
        locked.state, locked.delivered_at, locked.delivery_note = MatchState.DELIVERED, now, note.strip()[:200]
        locked.save(update_fields=["state", "delivered_at", "delivery_note"])
        from_state = need.state
        need.delivered += locked.quantity
        need.state = state_after_delivery(need.state, need.quantity, need.delivered)
        if need.state != from_state:
            need.state_changed_at = now
        need.save(update_fields=["delivered", "state", "state_changed_at"])
        _step(
            need,
            actor,
            "deliver" if need.state != from_state else "match_delivered",
            from_state,
            now=now,
            note=note,
            details={"match": str(locked.public_id), "quantity": locked.quantity},
        )
        _audit(actor, "match_deliver", "charity_match", locked.public_id, need.community_path)
    title = locked.offer.title
    _notify_offer(locked.offer, Msg(f"您的捐赠「{title}」已送达", f"Your gift '{title}' was delivered"))
    return locked


def match_cancel(*, actor: Actor, match: Match, reason: str) -> Match:
    """Undo a confirmed match before delivery (with a reason): both sides get the quantity back."""
    if not actor.has_perm(CHARITY_MANAGE):
        raise permission_denied()
    if not reason.strip():
        raise validation_failed([FieldError("reason", Msg("请填写原因", "A reason is required"))])
    _public_note(reason)
    now = timezone.now()
    with transaction.atomic():
        locked, need = _locked_match(actor, match)
        if locked.state != MatchState.CONFIRMED:
            raise conflict(Msg("只能取消尚未送达的对接", "Only a match not yet delivered can be cancelled"))
        CharityOffer.objects.select_for_update().filter(pk=locked.offer_id).update(
            allocated=F("allocated") - locked.quantity
        )
        locked.state = MatchState.CANCELLED
        locked.save(update_fields=["state"])
        from_state = need.state
        need.allocated -= locked.quantity
        need.state = state_after_allocation(need.state, need.quantity, need.allocated)
        if need.state != from_state:
            need.state_changed_at = now
        need.save(update_fields=["allocated", "state", "state_changed_at"])
        _step(
            need,
            actor,
            "unmatch" if need.state != from_state else "match_cancelled",
            from_state,
            now=now,
            note=reason,
            details={"match": str(locked.public_id)},
        )
        _audit(actor, "match_cancel", "charity_match", locked.public_id, need.community_path, reason)
    return locked


def _notify_offer(offer: CharityOffer, text: Msg) -> None:
    notify(user_ids=[offer.donor_user_id], kind="charity.offer", text=text, link="/giving/my/")


def _notify_donors(need: CharityNeed, text: Msg) -> None:
    users = need.matches.exclude(state=MatchState.CANCELLED).values_list("offer__donor_user_id", flat=True)
    notify(user_ids=list(users), kind="charity.offer", text=text, link="/giving/my/")


# ================================================================ micro-funds


@dataclass
class FundInput:
    name: str
    community: str = ""
    purpose: str = ""
    threshold: Decimal | str | None = None


def fund_save(*, actor: Actor, data: FundInput, fund: MicroFund | None = None) -> MicroFund:
    """Open a community's fund, or edit its name, purpose and decision threshold (¥5,000 by
    default). The balance is never edited: only ledger entries move it."""
    if not manages(actor):
        raise permission_denied()
    problems: list[FieldError] = []
    _required(problems, "name", data.name, "名称", "Name")
    _public(problems, "purpose", data.purpose)
    threshold = money_parse(data.threshold) if data.threshold not in (None, "") else None
    if data.threshold not in (None, "") and threshold is None:
        problems.append(
            FieldError("threshold", Msg("门槛应为大于 0 的金额（元，最多两位小数）", "A positive amount in yuan"))
        )
    community = fund.community_path if fund else _community(actor, data.community or _only_scope(actor))
    if community is None:
        problems.append(FieldError("community", Msg("请选择您负责的社区", "Choose a community of your area")))
    if problems:
        raise validation_failed(problems)
    assert community is not None
    with transaction.atomic():
        if fund is None:
            fund = MicroFund(community_path=community, created_at=timezone.now())
        else:
            fund = MicroFund.objects.select_for_update().get(pk=fund.pk)
        fund.name, fund.purpose = data.name.strip()[:60], data.purpose.strip()
        if threshold is not None:
            fund.threshold = threshold
        fund.save()
        _audit(actor, "fund_save", "micro_fund", fund.public_id, community, threshold=fund.threshold)
    return fund


def _only_scope(actor: Actor) -> str:
    return actor.scope_paths[0] if len(actor.scope_paths) == 1 else ""


def _locked_fund(actor: Actor, fund: MicroFund) -> MicroFund:
    if not manages(actor) or not actor.sees_path(fund.community_path):
        raise not_found("微基金", "Micro-fund")
    return MicroFund.objects.select_for_update().get(pk=fund.pk)


def _amount(problems: list[FieldError], value, name: str = "amount") -> Decimal:
    amount = money_parse(value)
    if amount is None:
        problems.append(
            FieldError(name, Msg("金额应大于 0，以元为单位，最多两位小数", "A positive amount in yuan, two decimals"))
        )
        return Decimal("0.00")
    return amount


def _date(problems: list[FieldError], value: dt.date | None, name: str = "on") -> dt.date:
    if value is None:
        problems.append(FieldError(name, Msg("请填写日期", "Date is required")))
        return timezone.localdate()
    if value > timezone.localdate():
        problems.append(FieldError(name, Msg("日期不能晚于今天", "The date cannot be in the future")))
    return value


@dataclass
class DonationInput:
    amount: Decimal | str
    on: dt.date | None
    receipt: str = ""
    donor_name: str = ""
    anonymous: bool = False


def donation_record(*, actor: Actor, fund: MicroFund, data: DonationInput) -> FundEntry:
    problems: list[FieldError] = []
    amount = _amount(problems, data.amount)
    on = _date(problems, data.on)
    _required(problems, "receipt", data.receipt, "收据号", "Receipt number")
    if not data.anonymous:
        _required(problems, "donor_name", data.donor_name, "捐赠人（或勾选匿名）", "Donor (or tick anonymous)")
    _public(problems, "donor_name", data.donor_name)
    _public(problems, "receipt", data.receipt)
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        locked = _locked_fund(actor, fund)
        entry = _entry(
            actor,
            locked,
            EntryKind.DONATION,
            amount,
            on=on,
            receipt=data.receipt.strip()[:40],
            donor_name=data.donor_name.strip()[:100],
            anonymous=data.anonymous,
        )
    return entry


@dataclass
class PaymentInput:
    amount: Decimal | str
    on: dt.date | None
    purpose: str
    payee: str
    receipt: str = ""
    decision_text: str = ""
    decision_on: dt.date | None = None
    decision_ref: str = ""
    request: uuid.UUID | None = None  # a payment waiting for its decision, now paid


def payment_record(*, actor: Actor, fund: MicroFund, data: PaymentInput) -> FundEntry:
    """Pay for a project residents decided. Above the fund's threshold the decision (text, date,
    meeting or reference) is required; more than the balance is refused. The balance is checked
    and moved under the fund's row lock, and the database refuses a negative balance."""
    problems: list[FieldError] = []
    amount = _amount(problems, data.amount)
    on = _date(problems, data.on)
    _required(problems, "purpose", data.purpose, "用途", "What it pays for")
    _required(problems, "payee", data.payee, "收款方", "Payee")
    _required(problems, "receipt", data.receipt, "票据号", "Receipt number")
    for name in ("purpose", "payee", "receipt", "decision_text", "decision_ref"):
        _public(problems, name, getattr(data, name))
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        locked = _locked_fund(actor, fund)
        request = None
        if data.request is not None:
            request = (
                PaymentRequest.objects.select_for_update()
                .filter(public_id=data.request, fund=locked, state=RequestState.WAITING)
                .first()
            )
            if request is None:
                raise conflict(Msg("该待决支出已处理", "That payment request was already handled"))
        if needs_decision(amount, locked.threshold):
            _decision_problems(problems, data, locked.threshold)
        if amount > locked.balance:
            problems.append(
                FieldError(
                    "amount",
                    Msg(
                        f"支出 {yuan(amount)} 超过基金余额 {yuan(locked.balance)}",
                        f"{yuan(amount)} is more than the balance of {yuan(locked.balance)}",
                    ),
                )
            )
        if problems:
            raise validation_failed(problems)
        entry = _entry(
            actor,
            locked,
            EntryKind.PAYMENT,
            -amount,
            on=on,
            receipt=data.receipt.strip()[:40],
            purpose=data.purpose.strip()[:200],
            payee=data.payee.strip()[:100],
            decision_text=data.decision_text.strip(),
            decision_on=data.decision_on,
            decision_ref=data.decision_ref.strip()[:100],
        )
        if request is not None:
            request.state, request.entry = RequestState.PAID, entry
            request.save(update_fields=["state", "entry"])
    return entry


def _decision_problems(problems: list[FieldError], data: PaymentInput, threshold: Decimal) -> None:
    why = (f"超过 {yuan(threshold)} 的支出须记录居民议事决定：", f"Above {yuan(threshold)} the residents' decision: ")
    if not data.decision_text.strip():
        problems.append(FieldError("decision_text", Msg(why[0] + "请填写决定内容", why[1] + "text is required")))
    if data.decision_on is None:
        problems.append(FieldError("decision_on", Msg(why[0] + "请填写决定日期", why[1] + "date is required")))
    elif data.decision_on > timezone.localdate():
        problems.append(FieldError("decision_on", Msg("决定日期不能晚于今天", "The decision date is in the future")))
    if not data.decision_ref.strip():
        problems.append(
            FieldError("decision_ref", Msg(why[0] + "请填写会议或文号", why[1] + "meeting or reference is required"))
        )


@dataclass
class CorrectionInput:
    corrects: uuid.UUID
    amount: Decimal | str  # signed: added to the balance
    reason: str
    on: dt.date | None = None


def correction_record(*, actor: Actor, fund: MicroFund, data: CorrectionInput) -> FundEntry:
    """Entries are never edited: a mistake is put right by a new entry naming the one it corrects
    and why. A correction may not take the balance below zero."""
    problems: list[FieldError] = []
    raw = str(data.amount).strip()
    negative = raw.startswith("-")
    magnitude = _amount(problems, raw.lstrip("-+"))
    _required(problems, "reason", data.reason, "更正原因", "Reason")
    _public(problems, "reason", data.reason)
    on = _date(problems, data.on or timezone.localdate())
    if problems:
        raise validation_failed(problems)
    amount = -magnitude if negative else magnitude
    with transaction.atomic():
        locked = _locked_fund(actor, fund)
        original = FundEntry.objects.filter(public_id=data.corrects, fund=locked).first()
        if original is None:
            raise validation_failed([FieldError("corrects", Msg("找不到要更正的记录", "Unknown entry to correct"))])
        if locked.balance + amount < 0:
            raise validation_failed(
                [FieldError("amount", Msg("更正后余额将为负数", "The correction would make the balance negative"))]
            )
        reason = data.reason.strip()[:200]
        entry = _entry(actor, locked, EntryKind.CORRECTION, amount, on=on, corrects=original, reason=reason)
    return entry


def _entry(actor: Actor, fund: MicroFund, kind: str, amount: Decimal, **fields) -> FundEntry:
    """Append one ledger line and move the balance, inside the caller's transaction and lock."""
    balance = fund.balance + amount
    if balance < 0 or abs(amount) > MAX_AMOUNT:
        raise validation_failed([FieldError("amount", Msg("余额不足", "Not enough in the fund"))])
    fund.balance = balance
    fund.save(update_fields=["balance"])
    entry = FundEntry.objects.create(
        fund=fund,
        kind=kind,
        amount=amount,
        balance_after=balance,
        recorded_by_id=actor.user_id,
        recorded_by_name=actor.shown_name,
        recorded_at=timezone.now(),
        **fields,
    )
    _audit(actor, f"fund_{kind}", "fund_entry", entry.public_id, fund.community_path, amount=amount)
    return entry


@dataclass
class RequestInput:
    purpose: str
    payee: str
    amount: Decimal | str


def payment_request(*, actor: Actor, fund: MicroFund, data: RequestInput) -> PaymentRequest:
    """Plan a payment above the threshold: it waits (on the workbench) until the residents decide
    and it is paid with the decision recorded, or withdrawn."""
    problems: list[FieldError] = []
    amount = _amount(problems, data.amount)
    _required(problems, "purpose", data.purpose, "用途", "What it pays for")
    _required(problems, "payee", data.payee, "收款方", "Payee")
    for name in ("purpose", "payee"):
        _public(problems, name, getattr(data, name))
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        locked = _locked_fund(actor, fund)
        request = PaymentRequest.objects.create(
            fund=locked,
            purpose=data.purpose.strip()[:200],
            payee=data.payee.strip()[:100],
            amount=amount,
            requested_by_name=actor.shown_name,
            requested_at=timezone.now(),
        )
        _audit(actor, "payment_request", "payment_request", request.public_id, locked.community_path, amount=amount)
    return request


def request_withdraw(*, actor: Actor, request: PaymentRequest, reason: str) -> PaymentRequest:
    if not reason.strip():
        raise validation_failed([FieldError("reason", Msg("请填写原因", "A reason is required"))])
    with transaction.atomic():
        _locked_fund(actor, request.fund)
        locked = PaymentRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state != RequestState.WAITING:
            raise conflict(Msg("该待决支出已处理", "That payment request was already handled"))
        locked.state = RequestState.WITHDRAWN
        locked.save(update_fields=["state"])
        _audit(actor, "request_withdraw", "payment_request", locked.public_id, request.fund.community_path, reason)
    return locked
