"""Care services, stage orders: writes (one transaction, checks, audit). Providers and their
accounts, the elder's card and family links, orders (placed, approved, accepted, assigned) and the
visits that deliver them (check-in, check-out, verification, rating, the community's answer to a
bad rating, missed visits). Check-in, check-out and verification work for a visit of an order and
of a family care bed alike."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from linli.accounts.domain import CARE_MANAGE, CARE_ORDER, CARE_PROVIDE, CARE_VISIT, Role
from linli.accounts.selectors import posted_user_ids
from linli.accounts.services import posting_add, posting_end, user_create
from linli.areas.selectors import org_unit_by_path
from linli.care.domain.orders import (
    APPROVAL_WORKING_DAYS,
    BAD_RATING,
    CARD_ATTEMPT_MINUTES,
    CARD_ATTEMPTS,
    CARD_CODE_LENGTH,
    MISSED_AFTER_MINUTES,
    SLOT_HOURS,
    CheckInMethod,
    MemberKind,
    OrderState,
    ProviderKind,
    RatingLevel,
    VisitState,
    check_in_time_problem,
    distance_problem,
    haversine_m,
    is_late,
    slot_problem,
)
from linli.care.domain.photos import PhotoUpload
from linli.care.models import (
    CardAttempt,
    ElderCard,
    FamilyLink,
    Order,
    OrderStep,
    Provider,
    ProviderArea,
    ProviderMember,
    RatingAnswer,
    Visit,
    VisitPhoto,
)
from linli.care.selectors.entitlements import entitlement_check, list_in_force
from linli.care.selectors.orders import people_i_care_for, provider_serves
from linli.care.services.locks import elder_lock
from linli.core.actor import Actor
from linli.core.crypto import seal, seal_bytes, unseal, unseal_bytes
from linli.core.errors import DomainError, FieldError, Msg, conflict, field_error, not_found, validation_failed
from linli.core.files import sniffed_type
from linli.core.notify import notify
from linli.core.services import audit_record
from linli.partners.domain import credit_code_problem, normalise_credit_code
from linli.residents.selectors import CarePerson, care_person, care_person_by_id_number, care_person_by_ref
from linli.service_desk.services import number_next
from linli.workdays.selectors import work_calendar

NEEDS_CONTEXT = "care.order.needs"
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTOS_PER_VISIT = 6
PHOTO_TYPES: dict[str, tuple] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (((0, b"RIFF"), (8, b"WEBP")),),
}
COMMUNITY_ROLES: set[str] = {Role.COMMUNITY_WORKER}


def _not_serving() -> FieldError:
    return field_error("provider", "该服务商不服务老人所在社区", "That provider does not serve the elder's community")


def _require(actor: Actor, permission: str, path: str = "") -> None:
    """Refused like a missing object: who may not act on a record learns nothing about it."""
    if not actor.has_perm(permission) or (path and not actor.sees_path(path)):
        raise not_found("记录", "Record")


def _audit(actor: Actor, action: str, obj, path: str, reason: str = "", **details) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=getattr(obj, "public_id", obj.pk),
        org_path=path[:12],
        reason=reason,
        details=details,
    )


def _community_users(path: str) -> list[int]:
    return posted_user_ids(roles=COMMUNITY_ROLES, scope_path=path[:12])


def _dispatchers(provider_id: int) -> list[int]:
    return list(
        ProviderMember.objects.filter(provider_id=provider_id, kind=MemberKind.DISPATCHER, active=True).values_list(
            "user_id", flat=True
        )
    )


# ================================================================ providers and their accounts


@dataclass
class ProviderInput:
    name: str
    kind: str
    path: str
    uscc: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    checkin_radius_m: int | str = 200
    contract_from: date | None = None
    contract_to: date | None = None


def _provider_problems(data: ProviderInput) -> list[FieldError]:
    problems = []
    if not data.name.strip():
        problems.append(field_error("name", "请填写服务商名称", "Give the provider's name"))
    if data.kind not in ProviderKind.values:
        problems.append(field_error("kind", "请选择服务商类型", "Choose the provider's kind"))
    if data.uscc:
        problem = credit_code_problem(data.uscc)
        if problem:
            problems.append(FieldError("uscc", problem))
    try:
        radius = int(data.checkin_radius_m)
        if not 50 <= radius <= 2000:
            raise ValueError
    except (TypeError, ValueError):
        problems.append(field_error("checkin_radius_m", "签到半径应为 50–2000 米", "The radius must be 50–2000 m"))
    if data.contract_from and data.contract_to and data.contract_to < data.contract_from:
        problems.append(field_error("contract_to", "合同结束日期早于开始日期", "The contract ends before it starts"))
    return problems


@transaction.atomic
def provider_register(*, actor: Actor, data: ProviderInput) -> Provider:
    """A street (CARE_MANAGE) or the district's civil-affairs officer registers a provider based
    in their scope."""
    _require(actor, CARE_MANAGE)
    problems = _provider_problems(data)
    if not data.path or not actor.sees_path(data.path) or org_unit_by_path(data.path) is None:
        problems.append(field_error("path", "请选择您辖区内的所在地", "Choose a place in your area"))
    if problems:
        raise validation_failed(problems)
    provider = Provider.objects.create(
        name=data.name.strip(),
        kind=data.kind,
        path=data.path[:12],
        uscc=normalise_credit_code(data.uscc) if data.uscc else "",
        contact_name=data.contact_name.strip(),
        contact_phone=data.contact_phone.strip(),
        checkin_radius_m=int(data.checkin_radius_m),
        contract_from=data.contract_from,
        contract_to=data.contract_to,
    )
    _audit(actor, "care.provider_register", provider, provider.path)
    return provider


@transaction.atomic
def provider_area_add(*, actor: Actor, provider: Provider, community_path: str, since: date) -> ProviderArea:
    """A community the provider serves under the government's purchase of home care."""
    _require(actor, CARE_MANAGE, provider.path)
    if len(community_path) != 12 or not actor.sees_path(community_path):
        raise validation_failed([field_error("community", "请选择您辖区内的社区", "Choose a community in your area")])
    if ProviderArea.objects.filter(provider=provider, path=community_path, until__isnull=True).exists():
        raise validation_failed([field_error("community", "已在服务该社区", "Already serving that community")])
    area = ProviderArea.objects.create(provider=provider, path=community_path, since=since)
    _audit(actor, "care.provider_area_add", provider, community_path, community=community_path)
    return area


def _member_may_manage(actor: Actor, provider: Provider, kind: str) -> bool:
    """Staff of the provider's area manage every account; a dispatcher manages its own carers."""
    if actor.has_perm(CARE_MANAGE) and actor.sees_path(provider.path):
        return True
    return (
        kind == MemberKind.CARER
        and actor.has_perm(CARE_PROVIDE)
        and actor.user_id is not None
        and ProviderMember.objects.filter(
            provider=provider, user_id=actor.user_id, kind=MemberKind.DISPATCHER, active=True
        ).exists()
    )


MEMBER_ROLE: dict[str, Role] = {MemberKind.DISPATCHER: Role.CARE_PROVIDER, MemberKind.CARER: Role.CARER}


@transaction.atomic
def member_link(*, actor: Actor, provider: Provider, user, kind: str, name: str = "") -> ProviderMember:
    """Link an account posted as care provider or carer to the provider."""
    if kind not in MemberKind.values:
        raise validation_failed([field_error("kind", "请选择账号类型", "Choose dispatcher or carer")])
    if not _member_may_manage(actor, provider, kind):
        raise not_found("服务商", "Provider")
    if not _has_role(user, kind):
        raise validation_failed(
            [field_error("username", "该账号没有服务商或护理员岗位", "That account has no provider or carer posting")]
        )
    member, created = ProviderMember.objects.get_or_create(
        provider=provider,
        user=user,
        defaults={"kind": kind, "name": name or user.display_name or user.username, "since": timezone.localdate()},
    )
    if not created:
        member.kind, member.active = kind, True
        member.save(update_fields=["kind", "active"])
    _audit(actor, "care.member_link", provider, provider.path, member=member.pk, kind=kind)
    return member


def _has_role(user, kind: str) -> bool:
    from linli.accounts.selectors import actor_for_user

    return MEMBER_ROLE[kind] in actor_for_user(user).roles


def _provider_unit(provider: Provider):
    """The org unit the provider is based in, where its accounts are posted."""
    place = org_unit_by_path(provider.path)
    if place is None:
        raise validation_failed(
            [field_error("path", "服务商所在地不在区划中，请联系管理员", "The provider's place is not in the tree")]
        )
    return place


@transaction.atomic
def member_create(*, actor: Actor, provider: Provider, username: str, name: str, kind: str):
    """A new account for the provider (posted at the provider's unit) and its membership; the
    temporary password is returned once, to hand over."""
    if not _member_may_manage(actor, provider, kind):
        raise not_found("服务商", "Provider")
    problems = []
    if not username.strip():
        problems.append(field_error("username", "请填写用户名", "Give a username"))
    if not name.strip():
        problems.append(field_error("name", "请填写姓名", "Give the person's name"))
    if problems:
        raise validation_failed(problems)
    place = _provider_unit(provider)
    password = secrets.token_urlsafe(9)
    user = user_create(username=username.strip(), password=password, display_name=name.strip())
    posting_add(actor=actor, user=user, role=MEMBER_ROLE[kind], place=place)
    user.password_change_required = True
    user.save(update_fields=["password_change_required"])
    member = member_link(actor=actor, provider=provider, user=user, kind=kind, name=name.strip())
    return member, password


@transaction.atomic
def member_end(*, actor: Actor, member: ProviderMember, reason: str, successor_id=None) -> int:
    """End an account's membership (a carer who left, a dispatcher replaced), with the reason. A
    carer's visits not yet started go to `successor_id` (another active carer of the provider);
    without one, ending is refused while such visits exist, naming how many. The account's posting
    at the provider ends with its last membership of that kind, so it can no longer log in to
    the provider's pages. Returns how many visits moved."""
    member = ProviderMember.objects.select_for_update().select_related("provider", "user").get(pk=member.pk)
    if not member.active or not _member_may_manage(actor, member.provider, member.kind):
        raise not_found("账号", "Account")
    if member.user_id == actor.user_id:
        raise validation_failed([field_error("member", "不能停用自己的账号", "You cannot end your own account")])
    reason = _reason_required(reason)
    moved = _visits_hand_over(member, successor_id)
    member.active = False
    member.save(update_fields=["active"])
    if not ProviderMember.objects.filter(user_id=member.user_id, kind=member.kind, active=True).exists():
        posting_end(actor=actor, user=member.user, role=MEMBER_ROLE[member.kind], place=_provider_unit(member.provider))
    _audit(
        actor, "care.member_end", member.provider, member.provider.path, reason=reason, member=member.pk, moved=moved
    )
    return moved


def _visits_hand_over(member: ProviderMember, successor_id) -> int:
    open_visits = Visit.objects.filter(carer=member, state=VisitState.SCHEDULED)
    count = open_visits.count()
    if not count:
        return 0
    if successor_id in (None, ""):
        raise validation_failed(
            [
                field_error(
                    "successor",
                    f"{member.name}还有 {count} 次未开始的服务：请选择接手的护理员",
                    f"{member.name} has {count} visits not yet started: choose the carer who takes them over",
                )
            ]
        )
    successor = _carer_of(member.provider_id, successor_id)
    if successor.pk == member.pk or successor.kind != MemberKind.CARER:
        raise validation_failed([field_error("successor", "请选择另一位护理员", "Choose another carer")])
    order_ids = set(open_visits.exclude(order__isnull=True).values_list("order_id", flat=True))
    moved = open_visits.update(carer=successor)
    Order.objects.filter(pk__in=order_ids, carer=member).update(carer=successor)
    notify(
        user_ids=[successor.user_id],
        kind="care.visit",
        text=Msg(f"您接手了{member.name}的 {moved} 次服务", f"You took over {moved} visits from {member.name}"),
        link="/provider/today/",
    )
    return moved


# ================================================================ elder's card and family links


def _card_digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def card_issue(*, actor: Actor, person_ref: str) -> str:
    """A new elder's service card; its 6-digit code is returned once (to print). The old card ends."""
    _require(actor, CARE_MANAGE)
    person = care_person(actor=actor, public_id=person_ref)
    if person is None:
        raise not_found("居民", "Resident")
    now = timezone.now()
    ElderCard.objects.select_for_update().filter(person_ref=person.public_id, ended_at__isnull=True).update(
        ended_at=now
    )
    code = f"{secrets.randbelow(10**CARD_CODE_LENGTH):0{CARD_CODE_LENGTH}d}"
    card = ElderCard.objects.create(
        person_ref=person.public_id,
        path=person.path,
        code_digest=_card_digest(code),
        issued_at=now,
        issued_by_name=actor.shown_name,
    )
    _audit(actor, "care.card_issue", card, person.path)
    return code


def card_matches(person_ref: str, code: str) -> bool:
    digest = (
        ElderCard.objects.filter(person_ref=person_ref, ended_at__isnull=True)
        .values_list("code_digest", flat=True)
        .first()
    )
    if not digest:
        return False
    return hmac.compare_digest(digest, _card_digest(code.strip()))


def _card_attempts_left(user_id: int) -> int:
    since = timezone.now() - timedelta(minutes=CARD_ATTEMPT_MINUTES)
    return CARD_ATTEMPTS - CardAttempt.objects.filter(user_id=user_id, at__gte=since).count()


def family_link_by_card(*, actor: Actor, id_number: str, code: str, relation: str) -> FamilyLink:
    """A resident links an elder with the elder's ID number and card code. Wrong answers are
    counted (like log-ins) and audited; the answer never says which of the two was wrong."""
    _require(actor, CARE_ORDER)
    user_id = actor.user_id
    if user_id is None:  # a link belongs to an account: refused like _require refuses
        raise not_found("记录", "Record")
    if not relation.strip():
        raise validation_failed([field_error("relation", "请填写与老人的关系", "Say how you are related")])
    if _card_attempts_left(user_id) <= 0:
        raise DomainError(
            Msg(
                f"尝试次数过多，请 {CARD_ATTEMPT_MINUTES} 分钟后再试",
                f"Too many tries; try again in {CARD_ATTEMPT_MINUTES} minutes",
            ),
            code="throttled",
            status=429,
        )
    person = care_person_by_id_number(id_number)
    if person is None or not card_matches(person.public_id, code):
        with transaction.atomic():
            CardAttempt.objects.create(user_id=user_id, at=timezone.now())
            audit_record(actor=actor, action="care.family_link_refused", object_type="familylink")
        raise validation_failed(
            [field_error("code", "身份证号或服务卡号不正确", "The ID number or the card code is wrong")]
        )
    return _family_link(actor, user_id, person, relation, how="card")


def family_link_at_window(*, actor: Actor, username: str, person_ref: str, relation: str) -> FamilyLink:
    """The community worker links a resident's account (the name they log in with) to an elder
    of the worker's community, for a family member who came to the window."""
    from linli.accounts.selectors import actor_for_user, user_by_username

    _require(actor, CARE_MANAGE)
    person = care_person(actor=actor, public_id=person_ref)
    if person is None:
        raise not_found("居民", "Resident")
    problems = []
    user = user_by_username(username.strip()) if username.strip() else None
    if user is None or not user.is_active or not actor_for_user(user).has_perm(CARE_ORDER):
        problems.append(
            field_error("username", "没有这个居民账号，请核对登录名", "No resident account by that name; check it")
        )
    if not relation.strip():
        problems.append(field_error("relation", "请填写与老人的关系", "Say how they are related"))
    if problems:
        raise validation_failed(problems)
    assert user is not None  # a missing account is reported above
    return _family_link(actor, user.pk, person, relation, how="window")


@transaction.atomic
def family_link_end(*, actor: Actor, link_id, reason: str) -> FamilyLink:
    """End a family link (made by mistake, or the family asks), with the reason: the account no
    longer sees, orders or rates for the elder. The link is kept, ended."""
    _require(actor, CARE_MANAGE)
    link = None
    if _uuidish(str(link_id)):
        link = FamilyLink.objects.select_for_update().filter(public_id=str(link_id), ended_at__isnull=True).first()
    if link is None or not actor.sees_path(link.path):
        raise not_found("家属关联", "Family link")
    reason = _reason_required(reason)
    link.ended_at = timezone.now()
    link.save(update_fields=["ended_at"])
    _audit(actor, "care.family_link_end", link, link.path, reason=reason)
    return link


@transaction.atomic
def _family_link(actor: Actor, user_id: int, person: CarePerson, relation: str, *, how: str) -> FamilyLink:
    existing = FamilyLink.objects.filter(user_id=user_id, person_ref=person.public_id, ended_at__isnull=True).first()
    if existing:
        return existing
    link = FamilyLink.objects.create(
        user_id=user_id,
        person_ref=person.public_id,
        path=person.path,
        relation=relation.strip()[:20],
        how=how,
        linked_at=timezone.now(),
        linked_by_name=actor.shown_name,
    )
    _audit(actor, "care.family_link", link, person.path, how=how)
    return link


# ================================================================ orders


@dataclass
class OrderInput:
    person: str
    item: str  # the item's code in the list in force
    day: date | None
    slot: str  # the slot's start hour, "08"
    provider: str = ""  # the provider's public id; "" lets the community choose
    quantity: int | str = 1
    needs: str = ""
    own_cost_ok: bool = False  # the orderer saw and accepted the own-cost price


def _order_person(actor: Actor, ref: str, *, by_proxy: bool) -> CarePerson | None:
    if by_proxy:
        return care_person(actor=actor, public_id=ref)
    if any(p.public_id == ref for p in people_i_care_for(actor.user_id)):
        return care_person_by_ref(ref)
    return None


def _order_problems(actor: Actor, data: OrderInput, now: datetime, by_proxy: bool):
    problems: list[FieldError] = []
    person = _order_person(actor, data.person, by_proxy=by_proxy) if data.person else None
    if person is None:
        problems.append(field_error("person", "请选择为谁下单", "Choose who the service is for"))
    day = data.day
    item = None
    if day is None:
        problems.append(field_error("day", "请选择服务日期", "Choose the day"))
    else:
        service_list = list_in_force(day)
        item = service_list.items.filter(code=data.item).first() if service_list and data.item else None
        if item is None:
            problems.append(field_error("item", "请选择服务项目", "Choose the service"))
        try:
            problem = slot_problem(day, int(data.slot), timezone.localtime(now))
        except (TypeError, ValueError):
            problem = Msg("请选择一个服务时段", "Choose one of the time slots")
        if problem:
            problems.append(FieldError("slot", problem))
    try:
        quantity = int(data.quantity)
        if not 1 <= quantity <= 10:
            raise ValueError
    except (TypeError, ValueError):
        quantity = 0
        problems.append(field_error("quantity", "数量应为 1–10", "The quantity must be 1–10"))
    provider = None
    if data.provider:
        provider = Provider.objects.filter(public_id__in=[data.provider] if _uuidish(data.provider) else []).first()
        if provider is None or (person is not None and not provider_serves(provider, person.path, day or now.date())):
            problems.append(
                field_error(
                    "provider", "该服务商不服务老人所在社区", "That provider does not serve the elder's community"
                )
            )
    if len(data.needs) > 1000:
        problems.append(field_error("needs", "需求说明最多 1000 字", "At most 1000 characters"))
    return person, item, provider, quantity, problems


def _uuidish(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _step(order: Order, actor: Actor, action: str, from_state: str, note: str = "", at: datetime | None = None):
    OrderStep.objects.create(
        order=order,
        action=action,
        from_state=from_state,
        to_state=order.state,
        by_id=actor.user_id,
        by_name=actor.shown_name,
        note=note[:500],
        at=at or timezone.now(),
    )


@transaction.atomic
def order_place(*, actor: Actor, data: OrderInput, by_proxy: bool = False, now: datetime | None = None) -> Order:
    """An order for one item in one slot, for someone the orderer cares for (or, by proxy, for a
    resident of the worker's scope). Subsidised orders wait for the community's approval; orders
    at the resident's own cost are approved at once. Beyond the cap or for someone not entitled:
    refused with the reason, unless the list allows own cost and the orderer accepted it."""
    _require(actor, CARE_MANAGE if by_proxy else CARE_ORDER)
    now = now or timezone.now()
    person, item, provider, quantity, problems = _order_problems(actor, data, now, by_proxy)
    if problems:
        raise validation_failed(problems)
    day = data.day
    assert day is not None  # _order_problems reports a missing day, so there is one here
    elder_lock(person.public_id)
    answer = entitlement_check(person=person, item=item, quantity=quantity, on=day)
    if not answer.allowed:
        assert answer.reason is not None  # entitlement_decide gives every refusal its reason
        raise validation_failed([FieldError("item", answer.reason)])
    if answer.own_cost_units and not data.own_cost_ok:
        raise validation_failed(
            [
                field_error(
                    "own_cost_ok",
                    f"超出补贴范围的 {answer.own_cost_units} 次需自费，共 {answer.resident_pays} 元，请确认",
                    f"{answer.own_cost_units} unit(s) at your own cost ({answer.resident_pays} yuan): confirm",
                )
            ]
        )
    start = datetime.combine(day, time(int(data.slot)), tzinfo=timezone.get_current_timezone())
    subsidised = answer.government_pays > 0
    order = Order.objects.create(
        number=_order_number(now),
        state=OrderState.PLACED if subsidised else OrderState.APPROVED,
        person_ref=person.public_id,
        household_ref=person.household_ref or None,
        person_name=person.name,
        path=person.path,
        address=person.address,
        home_lat=person.lat,
        home_lng=person.lng,
        item=item,
        provider=provider,
        quantity=quantity,
        month=day.replace(day=1),
        slot_start=start,
        slot_end=start + timedelta(hours=SLOT_HOURS),
        subsidy_share=answer.subsidy_share,
        unit_price=item.unit_price,
        government_pays=answer.government_pays,
        resident_pays=answer.resident_pays,
        needs_sealed=seal(data.needs.strip(), context=NEEDS_CONTEXT) if data.needs.strip() else "",
        by_proxy=by_proxy,
        ordered_by_id=actor.user_id,
        ordered_by_name=actor.shown_name,
        created_at=now,
        updated_at=now,
    )
    _step(order, actor, "place_proxy" if by_proxy else "place", "", at=now)
    if not subsidised:
        _step(order, actor, "auto_approve", OrderState.PLACED, at=now)
    _audit(actor, "care.order_place", order, order.path, by_proxy=by_proxy, item=item.code)
    if subsidised:
        notify(
            user_ids=_community_users(order.path),
            kind="care.order",
            text=Msg(f"有新的养老服务订单待审核：{order.number}", f"A care order waits for approval: {order.number}"),
            link=f"/staff/care/orders/{order.number}/",
        )
    elif provider:
        _tell_provider(order)
    return order


def _order_number(now: datetime) -> str:
    prefix = f"YL{timezone.localtime(now):%Y%m%d}"
    return f"{prefix}{number_next(prefix):05d}"


def _tell_provider(order: Order) -> None:
    assert order.provider_id is not None  # every caller tells a provider only once the order has one
    notify(
        user_ids=_dispatchers(order.provider_id),
        kind="care.order",
        text=Msg(f"有新的养老服务订单待接单：{order.number}", f"A care order waits for you: {order.number}"),
        link=f"/provider/orders/{order.number}/",
    )


def approval_due(order: Order) -> date:
    """The day the community must approve a subsidised order by (2 working days)."""
    return work_calendar().add_working_days(timezone.localtime(order.created_at).date(), APPROVAL_WORKING_DAYS)


def _move(order_id: int, action: str, from_states, to_state: str, actor: Actor, note: str = "", **changes) -> Order:
    """A conditional move: the order changes only if it is still in one of `from_states` (no
    check-then-act); otherwise a conflict naming its state."""
    now = timezone.now()
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.state not in from_states:
        raise conflict(
            Msg(f"订单当前为「{order.get_state_display()}」，不能这样操作", "The order has moved on; reload the page")
        )
    before = order.state
    order.state = to_state
    order.updated_at = now
    for name, value in changes.items():
        setattr(order, name, value)
    order.save()
    _step(order, actor, action, before, note=note, at=now)
    return order


@transaction.atomic
def order_approve(*, actor: Actor, order: Order, provider: Provider | None = None) -> Order:
    """The community approves a subsidised order, choosing the provider if the resident let it."""
    _require(actor, CARE_MANAGE, order.path)
    chosen = provider or order.provider
    if provider is not None and not provider_serves(provider, order.path, timezone.localdate()):
        raise validation_failed(
            [
                field_error(
                    "provider", "该服务商不服务老人所在社区", "That provider does not serve the elder's community"
                )
            ]
        )
    order = _move(order.pk, "approve", (OrderState.PLACED,), OrderState.APPROVED, actor, provider=chosen)
    _audit(actor, "care.order_approve", order, order.path)
    if order.provider_id:
        _tell_provider(order)
    _tell_family(
        order, Msg(f"您的养老服务订单已审核通过：{order.number}", f"Your care order is approved: {order.number}")
    )
    return order


def _tell_family(order: Order, text: Msg) -> None:
    users = {order.ordered_by_id} if order.ordered_by_id and not order.by_proxy else set()
    users |= set(
        FamilyLink.objects.filter(person_ref=order.person_ref, ended_at__isnull=True).values_list("user_id", flat=True)
    )
    notify(user_ids=users, kind="care.order", text=text, link=f"/my/care/orders/{order.number}/")


def _reason_required(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise validation_failed([field_error("reason", "请填写原因", "Give the reason")])
    return reason[:500]


@transaction.atomic
def order_refuse(*, actor: Actor, order: Order, reason: str) -> Order:
    _require(actor, CARE_MANAGE, order.path)
    reason = _reason_required(reason)
    order = _move(
        order.pk, "refuse", (OrderState.PLACED,), OrderState.REFUSED, actor, note=reason, refuse_reason=reason
    )
    _audit(actor, "care.order_refuse", order, order.path, reason=reason)
    _tell_family(order, Msg(f"您的养老服务订单未通过审核：{reason}", f"Your care order was not approved: {reason}"))
    return order


@transaction.atomic
def order_provider_choose(*, actor: Actor, order: Order, provider: Provider) -> Order:
    """The community gives an approved order without a provider (or one a provider declined) to
    a provider serving the community."""
    _require(actor, CARE_MANAGE, order.path)
    if not provider_serves(provider, order.path, timezone.localdate()):
        raise validation_failed(
            [
                field_error(
                    "provider", "该服务商不服务老人所在社区", "That provider does not serve the elder's community"
                )
            ]
        )
    order = _move(order.pk, "approve", (OrderState.APPROVED,), OrderState.APPROVED, actor, provider=provider)
    _audit(actor, "care.order_approve", order, order.path, provider=str(provider.public_id))
    _tell_provider(order)
    return order


def dispatcher_of(actor: Actor, provider_id: int) -> bool:
    return (
        actor.has_perm(CARE_PROVIDE)
        and actor.user_id is not None
        and ProviderMember.objects.filter(
            provider_id=provider_id, user_id=actor.user_id, kind=MemberKind.DISPATCHER, active=True
        ).exists()
    )


def _carer_of(provider_id: int, member_id) -> ProviderMember:
    member = ProviderMember.objects.filter(
        pk=member_id if str(member_id).isdigit() else 0, provider_id=provider_id, active=True
    ).first()
    if member is None:
        raise validation_failed([field_error("carer", "请选择本机构的护理员", "Choose one of your carers")])
    return member


@transaction.atomic
def order_accept(*, actor: Actor, order: Order, carer_id) -> Order:
    """The provider's dispatcher accepts an approved order and assigns a carer; the visit is
    created in the order's slot, carrying the order's amounts (a statement sums visits)."""
    if order.provider_id is None or not dispatcher_of(actor, order.provider_id):
        raise not_found("订单", "Order")
    carer = _carer_of(order.provider_id, carer_id)
    order = _move(order.pk, "accept", (OrderState.APPROVED,), OrderState.ACCEPTED, actor, carer=carer)
    if order.provider_id is None:  # declined meanwhile: a decline keeps the order approved, without a provider
        raise conflict(Msg("订单已退回社区，请刷新页面", "The order has moved on; reload the page"))
    # every order is placed with its slot (order_place); the columns are nullable, the rows are not
    assert order.slot_start is not None and order.slot_end is not None
    Visit.objects.create(
        order=order,
        provider_id=order.provider_id,
        carer=carer,
        person_ref=order.person_ref,
        path=order.path,
        slot_start=order.slot_start,
        slot_end=order.slot_end,
        month=timezone.localtime(order.slot_start).date().replace(day=1),
        government_pays=order.government_pays,
        resident_pays=order.resident_pays,
        created_at=timezone.now(),
    )
    _step(order, actor, "assign", OrderState.ACCEPTED, note=carer.name)
    _audit(actor, "care.order_accept", order, order.path, carer=carer.pk)
    notify(
        user_ids=[carer.user_id],
        kind="care.visit",
        text=Msg(f"新的上门服务：{order.person_name}", f"A new home visit: {order.person_name}"),
        link="/provider/today/",
    )
    return order


@transaction.atomic
def order_decline(*, actor: Actor, order: Order, reason: str) -> Order:
    """The provider declines: the order goes back to the community to choose another provider."""
    if order.provider_id is None or not dispatcher_of(actor, order.provider_id):
        raise not_found("订单", "Order")
    reason = _reason_required(reason)
    order = _move(order.pk, "decline", (OrderState.APPROVED,), OrderState.APPROVED, actor, note=reason, provider=None)
    _audit(actor, "care.order_decline", order, order.path, reason=reason)
    notify(
        user_ids=_community_users(order.path),
        kind="care.order",
        text=Msg(f"服务商拒单，请另选服务商：{order.number}", f"A provider declined; choose another: {order.number}"),
        link=f"/staff/care/orders/{order.number}/",
    )
    return order


@transaction.atomic
def order_assign(*, actor: Actor, order: Order, carer_id) -> Order:
    """Reassign the order's open visits to another of the provider's carers."""
    if order.provider_id is None or not dispatcher_of(actor, order.provider_id):
        raise not_found("订单", "Order")
    carer = _carer_of(order.provider_id, carer_id)
    order = _move(order.pk, "assign", (OrderState.ACCEPTED,), OrderState.ACCEPTED, actor, note=carer.name, carer=carer)
    order.visits.filter(state=VisitState.SCHEDULED).update(carer=carer)
    _audit(actor, "care.order_assign", order, order.path, carer=carer.pk)
    return order


def needs_read(*, actor: Actor, order: Order) -> str:
    """The elder's needs in clear for the assigned carer or the community (audited)."""
    if not order.needs_sealed:
        return ""
    text = unseal(order.needs_sealed, context=NEEDS_CONTEXT)
    _audit(actor, "care.needs_read", order, order.path)
    return text


# ================================================================ visits


# What a check-in reads: the visit's own state and slot, the home's position and the provider's
# radius, and what the answer shows (the order's number). Loading only these keeps the hottest
# write of a carer's day lean (issue 16's check-in benchmark: the ORM's column handling was a third
# of its time).
CHECK_IN_FIELDS = (
    *("id", "public_id", "state", "path", "person_ref", "slot_start", "slot_end", "late", "rating"),
    *("order_id", "bed_id", "provider_id", "carer_id", "checked_in_at", "check_in_method"),
    *("check_in_distance_m", "checked_out_at"),
    *("order__id", "order__number", "order__state", "order__home_lat", "order__home_lng"),
    *("bed__id", "bed__home_lat", "bed__home_lng", "provider__id", "provider__checkin_radius_m"),
)


def _carer_visit(actor: Actor, visit_id: int, fields: tuple[str, ...] = ()) -> Visit:
    """The visit, locked, if the actor is its assigned carer; else the same 404 as missing. With
    `fields`, only those columns are loaded."""
    if actor.user_id is None or not actor.has_perm(CARE_VISIT):  # only a carer's own account is assigned visits
        raise not_found("服务", "Visit")
    visits = (
        Visit.objects.select_for_update(of=("self",))
        .select_related("order", "bed", "provider")
        .filter(pk=visit_id, carer__user_id=actor.user_id, carer__active=True)
    )
    found = list((visits.only(*fields) if fields else visits).order_by()[:1])  # one row by key: no ORDER BY
    if not found:
        raise not_found("服务", "Visit")
    return found[0]


def _home(visit: Visit) -> tuple[float | None, float | None]:
    home = visit.order or visit.bed
    assert home is not None  # a visit is of an order or of a bed (constraint care_visit_order_or_bed)
    return home.home_lat, home.home_lng


@dataclass
class CheckIn:
    lat: float | str | None = None
    lng: float | str | None = None
    accuracy: float | str | None = None
    card_code: str = ""


def _float(value) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@transaction.atomic
def visit_check_in(*, actor: Actor, visit_id: int, data: CheckIn, now: datetime | None = None) -> Visit:
    """The carer checks in at the home: by position within the provider's radius of the home's
    building, or with the elder's card code; within the slot (from 30 minutes before); late after
    start + 15 minutes."""
    now = now or timezone.now()
    visit = _carer_visit(actor, visit_id, CHECK_IN_FIELDS)
    if visit.state != VisitState.SCHEDULED:
        raise conflict(Msg("这次服务已签到或已结束", "This visit is already checked in or closed"))
    problem = check_in_time_problem(visit.slot_start, visit.slot_end, now)
    if problem:
        raise validation_failed([FieldError("slot", problem)])
    method, distance = _check_in_method(visit, data)
    visit.state = VisitState.CHECKED_IN
    visit.checked_in_at = now
    visit.check_in_method = method
    visit.check_in_distance_m = distance
    visit.late = is_late(visit.slot_start, now)
    visit.save(update_fields=["state", "checked_in_at", "check_in_method", "check_in_distance_m", "late"])
    order = visit.order
    # Only the order's first check-in moves it into service (and says so in its history); later
    # visits of the same order leave the order as it is.
    if order is not None and Order.objects.filter(pk=order.pk, state=OrderState.ACCEPTED).update(
        state=OrderState.IN_SERVICE, updated_at=now
    ):
        order.state = OrderState.IN_SERVICE
        _step(order, actor, "check_in", OrderState.ACCEPTED, at=now)
    _audit(actor, "care.visit_check_in", visit, visit.path, method=method, late=visit.late)
    return visit


def _check_in_method(visit: Visit, data: CheckIn) -> tuple[str, int | None]:
    if data.card_code.strip():
        if not card_matches(str(visit.person_ref), data.card_code):
            raise validation_failed([field_error("card_code", "服务卡号不正确", "The card code is wrong")])
        return CheckInMethod.CARD, None
    lat, lng = _float(data.lat), _float(data.lng)
    if lat is None or lng is None:
        raise validation_failed(
            [
                field_error(
                    "lat",
                    "没有取得您的位置：请允许定位，或输入老人服务卡号",
                    "No position: allow location or enter the card code",
                )
            ]
        )
    home_lat, home_lng = _home(visit)
    if home_lat is None or home_lng is None:
        raise validation_failed(
            [field_error("lat", "老人家没有登记位置，请输入服务卡号", "The home has no position; enter the card code")]
        )
    distance = haversine_m(lat, lng, home_lat, home_lng)
    problem = distance_problem(distance, visit.provider.checkin_radius_m)
    if problem:
        raise validation_failed([FieldError("lat", problem)])
    return CheckInMethod.POSITION, round(distance)


def _photo_problems(photos: list[PhotoUpload]) -> list[FieldError]:
    problems = []
    for photo in photos:
        if not photo.data:
            problems.append(
                field_error("photos", f"照片「{photo.filename}」是空的", f"Photo '{photo.filename}' is empty")
            )
        elif len(photo.data) > PHOTO_MAX_BYTES:
            problems.append(
                field_error("photos", f"照片「{photo.filename}」超过 10 MB", f"Photo '{photo.filename}' is over 10 MB")
            )
        elif sniffed_type(photo.data, PHOTO_TYPES) is None:
            problems.append(
                field_error(
                    "photos",
                    f"「{photo.filename}」不是 JPG、PNG 或 WebP 图片",
                    f"'{photo.filename}' is not a JPG, PNG or WebP image",
                )
            )
    if len(photos) > PHOTOS_PER_VISIT:
        problems.append(field_error("photos", f"最多 {PHOTOS_PER_VISIT} 张照片", f"At most {PHOTOS_PER_VISIT} photos"))
    return problems


def visit_photos_dir() -> Path:
    return Path(settings.DATA_DIR) / "care-photos"


@contextmanager
def _photo_files():
    """Deletes the files a refused write created (no file without its row)."""
    written: list[Path] = []
    try:
        yield written
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def _needs_photo(visit: Visit) -> bool:
    if visit.order is not None:
        return visit.order.item.needs_photo
    assert visit.bed is not None  # a visit is of an order or of a bed (constraint care_visit_order_or_bed)
    return visit.bed.item.needs_photo


@transaction.atomic
def visit_check_out(
    *, actor: Actor, visit_id: int, record: str, photos: list[PhotoUpload] | None = None, now: datetime | None = None
) -> Visit:
    """The carer checks out: what was done, photos where the item needs them; the visit is done
    and waits for the community's verification."""
    now = now or timezone.now()
    photos = photos or []
    visit = _carer_visit(actor, visit_id)
    if visit.state != VisitState.CHECKED_IN:
        raise conflict(Msg("请先签到", "Check in first"))
    problems = _photo_problems(photos)
    if not record.strip():
        problems.append(field_error("record", "请填写服务内容", "Say what was done"))
    if _needs_photo(visit) and not photos:
        problems.append(field_error("photos", "该项目需要上传服务照片", "This service needs photos"))
    if problems:
        raise validation_failed(problems)
    with _photo_files() as written:
        _photos_save(visit, photos, now, written)
        visit.state = VisitState.DONE
        visit.checked_out_at = now
        visit.record = record.strip()[:2000]
        visit.photo_count = len(photos)
        visit.save(update_fields=["state", "checked_out_at", "record", "photo_count"])
        order = visit.order
        if order is not None:
            Order.objects.filter(pk=order.pk).update(state=OrderState.COMPLETED, updated_at=now)
            before, order.state = order.state, OrderState.COMPLETED
            _step(order, actor, "check_out", before, at=now)
            _tell_family(
                order,
                Msg(
                    f"上门服务已完成，请评价：{order.item.name}",
                    f"The home visit is done; please rate it: {order.item.name}",
                ),
            )
        _audit(actor, "care.visit_check_out", visit, visit.path, photos=len(photos))
    return visit


def _photos_save(visit: Visit, photos: list[PhotoUpload], now: datetime, written: list) -> None:
    """Sealed before touching the disk: photos show the inside of a home."""
    if not photos:
        return
    folder = visit_photos_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for photo in photos:
        row = VisitPhoto.objects.create(
            visit=visit,
            content_type=sniffed_type(photo.data, PHOTO_TYPES) or "application/octet-stream",
            size=len(photo.data),
            sha256=hashlib.sha256(photo.data).hexdigest(),
            uploaded_at=now,
        )
        target = folder / f"{row.public_id}.bin"
        written.append(target)
        target.write_bytes(seal_bytes(photo.data, context=f"care.photo:{row.public_id}"))


def photo_read(*, actor: Actor, photo: VisitPhoto) -> bytes:
    """A photo's bytes for whoever may already see its visit (the caller's selector checked it)."""
    data = unseal_bytes(
        (visit_photos_dir() / f"{photo.public_id}.bin").read_bytes(), context=f"care.photo:{photo.public_id}"
    )
    _audit(actor, "care.photo_read", photo.visit, photo.visit.path, photo=str(photo.public_id))
    return data


def verify_problems(visit: Visit) -> list[Msg]:
    """What a done visit lacks to be verified (each named)."""
    problems = []
    if visit.state != VisitState.DONE:
        problems.append(Msg("服务尚未完成", "The visit is not done"))
        return problems
    if not visit.checked_in_at or visit.check_in_method not in CheckInMethod.values:
        problems.append(Msg("没有签到记录", "No check-in by position or card"))
    if not visit.checked_out_at:
        problems.append(Msg("没有签退记录", "No check-out"))
    if not visit.record.strip():
        problems.append(Msg("没有服务内容记录", "No record of what was done"))
    if _needs_photo(visit) and not visit.photo_count:
        problems.append(Msg("缺少要求的服务照片", "The required photos are missing"))
    return problems


@transaction.atomic
def visit_verify(*, actor: Actor, visit_id: int) -> Visit:
    """The community verifies a done visit; only verified visits are paid."""
    visit = (
        actor.scoped(Visit.objects.select_for_update(of=("self",)).select_related("order__item", "bed__item"))
        .filter(pk=visit_id)
        .first()
    )
    if visit is None or not actor.has_perm(CARE_MANAGE):
        raise not_found("服务", "Visit")
    problems = verify_problems(visit)
    if problems:
        raise validation_failed([FieldError("visit", p) for p in problems])
    visit.state = VisitState.VERIFIED
    visit.verified_at = timezone.now()
    visit.verified_by_name = actor.shown_name
    visit.save(update_fields=["state", "verified_at", "verified_by_name"])
    _audit(actor, "care.visit_verify", visit, visit.path)
    return visit


def visits_verify_batch(*, actor: Actor, visit_ids: list[int]) -> tuple[int, list[tuple[int, Msg]]]:
    """Verify each visit on its own (one refused leaves the others verified): the count and the
    refused with their reasons."""
    done, refused = 0, []
    for visit_id in visit_ids:
        try:
            visit_verify(actor=actor, visit_id=visit_id)
            done += 1
        except DomainError as error:
            reason = error.fields[0].message if error.fields else error.message
            refused.append((visit_id, reason))
    return done, refused


def may_rate(actor: Actor, visit: Visit) -> bool:
    return actor.has_perm(CARE_ORDER) and any(
        p.public_id == str(visit.person_ref) for p in people_i_care_for(actor.user_id)
    )


@transaction.atomic
def visit_rate(*, actor: Actor, visit_id: int, rating, comment: str = "") -> Visit:
    """The elder or their family rates a done visit, once (好差评); a bad rating goes to the
    community's queue."""
    visit = Visit.objects.select_for_update().filter(pk=visit_id).first()
    if visit is None or not may_rate(actor, visit):
        raise not_found("服务", "Visit")
    try:
        rating = int(rating)
        RatingLevel(rating)
    except (TypeError, ValueError):
        raise validation_failed([field_error("rating", "请选择满意程度", "Choose how satisfied you are")]) from None
    if visit.state not in (VisitState.DONE, VisitState.VERIFIED):
        raise conflict(Msg("服务完成后才能评价", "Rate a visit once it is done"))
    if visit.rating is not None:
        raise conflict(Msg("这次服务已评价过", "This visit is already rated"))
    if rating <= BAD_RATING and not comment.strip():
        raise validation_failed([field_error("comment", "请说明不满意的原因", "Say what was wrong")])
    visit.rating = rating
    visit.rating_comment = comment.strip()[:500]
    visit.rated_at = timezone.now()
    visit.save(update_fields=["rating", "rating_comment", "rated_at"])
    _audit(actor, "care.visit_rate", visit, visit.path, rating=rating)
    if rating <= BAD_RATING:
        notify(
            user_ids=_community_users(visit.path),
            kind="care.rating",
            text=Msg("收到一条差评，请回复", "A bad rating waits for your answer"),
            link="/staff/care/ratings/",
        )
    return visit


@transaction.atomic
def rating_answer(*, actor: Actor, visit_id: int, text: str) -> RatingAnswer:
    """The community answers a bad rating (recorded once)."""
    visit = actor.scoped(Visit.objects.select_for_update()).filter(pk=visit_id, rating__lte=BAD_RATING).first()
    if visit is None or not actor.has_perm(CARE_MANAGE):
        raise not_found("评价", "Rating")
    if not text.strip():
        raise validation_failed([field_error("text", "请填写回复", "Write the answer")])
    if RatingAnswer.objects.filter(visit=visit).exists():
        raise conflict(Msg("这条差评已回复", "This rating is already answered"))
    answer = RatingAnswer.objects.create(
        visit=visit, text=text.strip()[:500], by_name=actor.shown_name, at=timezone.now()
    )
    _audit(actor, "care.rating_answer", visit, visit.path)
    return answer


def visits_mark_missed(now: datetime | None = None) -> str:
    """The periodic job: visits not checked in by the slot's end + 1 h are missed; the community
    and the provider are told. Conditional update: a check-in at the same moment wins."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=MISSED_AFTER_MINUTES)
    due = list(
        Visit.objects.filter(state=VisitState.SCHEDULED, slot_end__lt=cutoff).values_list("pk", "path", "provider_id")
    )
    marked = 0
    system = Actor.system("care.visits_missed")
    for pk, path, provider_id in due:
        with transaction.atomic():
            if not Visit.objects.filter(pk=pk, state=VisitState.SCHEDULED).update(state=VisitState.MISSED):
                continue
            marked += 1
            visit = Visit.objects.get(pk=pk)
            _audit(system, "care.visit_missed", visit, path)
            notify(
                user_ids=[*_community_users(path), *_dispatchers(provider_id)],
                kind="care.visit",
                text=Msg("有一次上门服务未到", "A home visit was missed"),
                link="/staff/care/visits/",
            )
    return f"missed {marked}"
