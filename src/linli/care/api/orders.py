"""Care services over JSON, stage orders (added to `/api/v1/care/` in `api/__init__.py`): orders
(staff list and read, create for someone you care for or by proxy with an Idempotency-Key, the
community's approval, the provider's accept and decline), a carer's visits today, check-in,
check-out, verification and rating. Parse → actor → one service or selector → schema. The elder's
needs and ID number never leave here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from linli.care.selectors.orders import (
    carer_visit_get,
    carer_visits,
    my_order_get,
    order_get,
    order_list,
    provider_order_get,
    visit_by_public_id,
    visit_get,
)
from linli.care.services.orders import (
    CheckIn,
    OrderInput,
    order_accept,
    order_approve,
    order_decline,
    order_place,
    order_refuse,
    visit_check_in,
    visit_check_out,
    visit_rate,
    visit_verify,
)
from linli.core.apitools import ErrorOut, IsoDate, MappedRows, Page
from linli.core.errors import not_found
from linli.core.idempotency import idempotent

router = Router(tags=["care"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class CareOrderOut(Schema):
    number: str
    state: str
    person_name: str
    item: str
    provider: str
    carer: str
    quantity: int
    slot_start: dt.datetime | None
    slot_end: dt.datetime | None
    government_pays: Decimal
    resident_pays: Decimal
    by_proxy: bool
    created_at: dt.datetime


def _order(order) -> dict:
    return {
        "number": order.number,
        "state": order.state,
        "person_name": order.person_name,
        "item": order.item.code,
        "provider": str(order.provider.public_id) if order.provider_id else "",
        "carer": order.carer.name if order.carer_id else "",
        "quantity": order.quantity,
        "slot_start": order.slot_start,
        "slot_end": order.slot_end,
        "government_pays": order.government_pays,
        "resident_pays": order.resident_pays,
        "by_proxy": order.by_proxy,
        "created_at": order.created_at,
    }


class CareVisitOut(Schema):
    id: UUID
    state: str
    order: str
    slot_start: dt.datetime
    slot_end: dt.datetime
    checked_in_at: dt.datetime | None
    check_in_method: str
    checked_out_at: dt.datetime | None
    late: bool
    rating: int | None


def _visit(visit) -> dict:
    return {
        "id": visit.public_id,
        "state": visit.state,
        "order": visit.order.number if visit.order_id else "",
        "slot_start": visit.slot_start,
        "slot_end": visit.slot_end,
        "checked_in_at": visit.checked_in_at,
        "check_in_method": visit.check_in_method,
        "checked_out_at": visit.checked_out_at,
        "late": visit.late,
        "rating": visit.rating,
    }


@router.get("/orders", response=list[CareOrderOut])
@paginate(Page)
def orders(request, state: str = ""):
    """Care orders in your area (staff)."""
    return MappedRows(order_list(actor=request.actor, state=state), _order)


class CareOrderIn(Schema):
    person: str = Field(description="the elder's public id (someone you care for, or in your area by proxy)")
    item: str = Field(description="the item's code in the list in force")
    day: IsoDate | None = None
    slot: str = Field(description="the slot's start hour: 08, 10, 12, 14 or 16")
    provider: str = Field("", description="a provider's public id; empty: the community chooses")
    quantity: int = 1
    needs: str = Field("", description="sealed; never in any answer")
    own_cost_ok: bool = False
    by_proxy: bool = Field(False, description="a worker ordering for a resident (代下单)")


@router.post("/orders", response={201: CareOrderOut, **ERRORS})
def order_create(request, payload: CareOrderIn):
    """Order a service. Accepts an `Idempotency-Key` header."""

    def create():
        values = payload.dict()
        by_proxy = values.pop("by_proxy")
        order = order_place(actor=request.actor, data=OrderInput(**values), by_proxy=by_proxy)
        return 201, CareOrderOut(**_order(order)).model_dump(mode="json")

    return Status(*idempotent(request, create))


def _any_order(request, number: str):
    order = (
        order_get(actor=request.actor, number=number)
        or my_order_get(actor=request.actor, number=number)
        or provider_order_get(actor=request.actor, number=number)
    )
    if order is None:
        raise not_found("订单", "Order")
    return order


@router.get("/orders/{number}", response={200: CareOrderOut, **ERRORS})
def order_read(request, number: str):
    return _order(_any_order(request, number))


class CareOrderActIn(Schema):
    reason: str = Field("", description="refuse, decline: the reason")
    carer: int | None = Field(None, description="accept: the carer's membership id")


@router.post("/orders/{number}/{action}", response={200: CareOrderOut, **ERRORS})
def order_act(request, number: str, action: str, payload: CareOrderActIn):
    """approve / refuse (the community), accept / decline (the provider's dispatcher)."""
    order = _any_order(request, number)
    actor = request.actor
    if action == "approve":
        order = order_approve(actor=actor, order=order)
    elif action == "refuse":
        order = order_refuse(actor=actor, order=order, reason=payload.reason)
    elif action == "accept":
        order = order_accept(actor=actor, order=order, carer_id=payload.carer)
    elif action == "decline":
        order = order_decline(actor=actor, order=order, reason=payload.reason)
    else:
        raise not_found("操作", "Action")
    return _order(order)


@router.get("/visits/today", response=list[CareVisitOut])
def visits_today(request):
    """The carer's visits today."""
    return [_visit(v) for v in carer_visits(actor=request.actor, day=timezone.localdate())]


class CareCheckInIn(Schema):
    lat: float | None = None
    lng: float | None = None
    accuracy: float | None = None
    card_code: str = ""


def _mine(request, public_id: UUID):
    visit = carer_visit_get(actor=request.actor, public_id=public_id)
    if visit is None:
        raise not_found("服务", "Visit")
    return visit


@router.post("/visits/{uuid:public_id}/check-in", response={200: CareVisitOut, **ERRORS})
def check_in(request, public_id: UUID, payload: CareCheckInIn):
    visit = _mine(request, public_id)
    return _visit(visit_check_in(actor=request.actor, visit_id=visit.pk, data=CheckIn(**payload.dict())))


class CareCheckOutIn(Schema):
    record: str


@router.post("/visits/{uuid:public_id}/check-out", response={200: CareVisitOut, **ERRORS})
def check_out(request, public_id: UUID, payload: CareCheckOutIn):
    """Check out with the record (an item that needs photos: use the page, which uploads them)."""
    visit = _mine(request, public_id)
    return _visit(visit_check_out(actor=request.actor, visit_id=visit.pk, record=payload.record))


@router.post("/visits/{uuid:public_id}/verify", response={200: CareVisitOut, **ERRORS})
def verify(request, public_id: UUID):
    visit = visit_get(actor=request.actor, public_id=public_id)
    if visit is None:
        raise not_found("服务", "Visit")
    return _visit(visit_verify(actor=request.actor, visit_id=visit.pk))


class CareRatingIn(Schema):
    rating: int = Field(description="5 very satisfied … 1 very dissatisfied")
    comment: str = ""


@router.post("/visits/{uuid:public_id}/rating", response={200: CareVisitOut, **ERRORS})
def rate(request, public_id: UUID, payload: CareRatingIn):
    visit_id = visit_by_public_id(public_id)
    return _visit(visit_rate(actor=request.actor, visit_id=visit_id, rating=payload.rating, comment=payload.comment))
