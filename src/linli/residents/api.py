"""The resident pool over JSON: search, cards, reveal, households, moves, care lists, the visit
plan, visits and rates. Every endpoint is parse → actor → one service or selector → schema;
scope and field sets are the selectors' (outside the scope: 404, as if it did not exist)."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import JsonResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.areas.selectors import org_unit_children, org_unit_get, org_unit_top
from linli.core.apitools import ErrorOut, IsoDate, Page, error_payload
from linli.core.errors import DomainError, FieldError, Msg, not_found
from linli.core.idempotency import idempotent
from linli.residents.domain import CareKind, exact_number_kind
from linli.residents.selectors import (
    PoolRates,
    care_list,
    household_get,
    household_list,
    household_members,
    household_timeline,
    pool_rates,
    pool_rates_by_child,
    resident_card,
    resident_cards,
    resident_get,
    resident_search,
    visit_plan,
)
from linli.residents.services import (
    ResidentInput,
    home_visit_record,
    household_register,
    resident_add,
    resident_move,
    resident_reveal,
    resident_search_audit,
)

router = Router(tags=["residents"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CardOut(Schema):
    public_id: str
    fields: dict[str, Any] = Field(description="Only the fields your role may see; sealed ones masked")
    revealable: list[str] = Field(description="Sealed fields you may reveal with a reason (audited)")


def _card(card) -> dict:
    return {"public_id": card.public_id, "fields": card.fields, "revealable": sorted(card.revealable)}


class Cards:
    """A lazy sequence for `Page`: the page of residents is read, then carded in one go."""

    def __init__(self, actor, residents):
        self.actor, self.residents = actor, residents

    def __getitem__(self, window: slice) -> list[dict]:
        return [_card(c) for c in resident_cards(actor=self.actor, residents=self.residents[window])]

    def count(self) -> int:
        return self.residents.count()


@router.get("/search", response={405: ErrorOut}, deprecated=True)
def search_by_get(request):
    """Gone: search with `POST /search` and the query in the body. A URL ends up in proxy and
    access logs, browser history and Referer headers, and an ID or phone number must not; the
    old GET answers 405 (with `Allow: POST`) whatever it is sent, and looks nothing up."""
    error = DomainError(
        Msg("请用 POST 提交查询，查询内容放在请求正文中", "Search with POST and the query in the body"),
        code="method_not_allowed",
        fields=[FieldError("q", Msg("不得放在网址中", "must not travel in the URL"))],
        status=405,
    )
    response = JsonResponse(error_payload(error), status=405)
    response["Allow"] = "POST"
    return response


class SearchIn(Schema):
    q: str = Field(max_length=50, description="Name, ID number, phone or address")


@router.post("/search", response=list[CardOut])
@paginate(Page)
def search_post(request, payload: SearchIn):
    """Residents in your scope by exact ID number or phone (audited), or part of a name or
    address. A POST so that the query, often an ID or phone number, never travels in a URL."""
    residents = resident_search(actor=request.actor, q=payload.q)
    if exact_number_kind(payload.q):
        # a look-up of a person, written down like the staff page's (at most one match matters)
        resident_search_audit(actor=request.actor, q=payload.q, found=list(residents[:2]))
    return Cards(request.actor, residents)


@router.get("/{uuid:public_id}", response={200: CardOut, 404: ErrorOut})
def resident_detail(request, public_id: UUID):
    resident = resident_get(actor=request.actor, public_id=public_id)
    return _card(resident_card(actor=request.actor, resident=resident))


class RevealIn(Schema):
    field: str = Field(max_length=20, description="id_number, phone or notes")
    reason: str = Field(max_length=500, description="Why you need the plaintext; audited")


class RevealOut(Schema):
    field: str
    value: str
    logged: bool = True


@router.post("/{uuid:public_id}/reveal", response={200: RevealOut, **ERRORS})
def reveal(request, public_id: UUID, payload: RevealIn):
    """The plaintext of one sealed field, once; the reveal and its reason go to the audit log."""
    resident = resident_get(actor=request.actor, public_id=public_id)
    value = resident_reveal(actor=request.actor, resident=resident, field_name=payload.field, reason=payload.reason)
    return {"field": payload.field, "value": value}


class MoveIn(Schema):
    kind: str = Field(description="move_in, move_out, death or deregister")
    on: IsoDate
    to_household: UUID | None = Field(None, description="For a move-in: the household moved into")
    reason: str = Field("", max_length=200, description="Required for a move-out, death or deregistration")


@router.post("/{uuid:public_id}/move", response={200: CardOut, **ERRORS})
def move(request, public_id: UUID, payload: MoveIn):
    actor = request.actor
    resident = resident_get(actor=actor, public_id=public_id)
    target = household_get(actor=actor, public_id=payload.to_household) if payload.to_household else None
    resident = resident_move(
        actor=actor, resident=resident, kind=payload.kind, on=payload.on, to_household=target, reason=payload.reason
    )
    return _card(resident_card(actor=actor, resident=resident))


# --- households ---------------------------------------------------------------------------


class HouseholdOut(Schema):
    public_id: UUID
    building_code: str = Field(alias="building.code")
    building_name: str = Field(alias="building.name")
    address: str = Field(alias="building.address")
    room: str
    residence_type: str
    head_name: str | None = Field(None, alias="head.name")
    path: str


class TimelineOut(Schema):
    at: date | datetime
    kind: str
    text: str


class HouseholdDetailOut(Schema):
    """The list's fields (built from a dict here, so without the dotted aliases) and more."""

    public_id: UUID
    building_code: str
    building_name: str
    address: str
    room: str
    residence_type: str
    head_name: str | None
    path: str
    members: list[CardOut]
    timeline: list[TimelineOut]


def _household_detail(actor, household) -> dict:
    head = household.head
    data = {
        "public_id": household.public_id,
        "building_code": household.building.code,
        "building_name": household.building.name,
        "address": household.building.address,
        "room": household.room,
        "residence_type": household.residence_type,
        "head_name": head.name if head else None,
        "path": household.path,
    }
    data["members"] = [_card(c) for c in resident_cards(actor=actor, residents=household_members(household))]
    data["timeline"] = [TimelineOut.from_orm(e).model_dump(mode="json") for e in household_timeline(household)]
    return data


@router.get("/households", response=list[HouseholdOut])
@paginate(Page)
def households(
    request,
    grid: str = Query("", max_length=15, pattern=r"^\d*$", description="A grid's code (digits)"),
    building: str = Query("", max_length=20),
):
    """Households in your scope, optionally of one grid or one building (by code)."""
    return household_list(actor=request.actor, grid_path=grid, building_code=building)


@router.get("/households/{uuid:public_id}", response={200: HouseholdDetailOut, 404: ErrorOut})
def household_detail(request, public_id: UUID):
    return _household_detail(request.actor, household_get(actor=request.actor, public_id=public_id))


class HouseholdIn(Schema):
    building: str = Field(max_length=20, description="Building code")
    room: str = Field(max_length=20)
    residence_type: str = Field(description="registered, permanent or floating")


@router.post("/households", response={201: HouseholdDetailOut, **ERRORS})
def household_create(request, payload: HouseholdIn):
    """Register a household at a building and room. Accepts an `Idempotency-Key` header."""

    def create():
        household = household_register(
            actor=request.actor,
            building_code=payload.building,
            room=payload.room,
            residence_type=payload.residence_type,
        )
        household = household_get(actor=request.actor, public_id=household.public_id)
        return 201, _household_detail(request.actor, household)

    return Status(*idempotent(request, create))


class ResidentIn(Schema):
    name: str = Field(max_length=50)
    gender: str
    birth_date: IsoDate | None = None
    id_number: str = Field(max_length=20)
    phone: str = Field("", max_length=20)
    ethnicity: str = Field("", max_length=20)
    relation: str = "self"
    party_member: bool = False
    education: str = ""
    employment: str = ""
    disability: str = ""
    notes: str = Field("", max_length=2000)
    sensitive_consent: str = Field("", description="Consent method; required with a disability level")


@router.post("/households/{uuid:public_id}/members", response={201: CardOut, **ERRORS})
def member_add(request, public_id: UUID, payload: ResidentIn):
    """Add a person to a household. Accepts an `Idempotency-Key` header."""

    def create():
        household = household_get(actor=request.actor, public_id=public_id)
        resident = resident_add(actor=request.actor, household=household, data=ResidentInput(**payload.model_dump()))
        return 201, _card(resident_card(actor=request.actor, resident=resident))

    return Status(*idempotent(request, create))


class VisitIn(Schema):
    visited_at: datetime | None = Field(None, description="Defaults to now")
    findings: str = Field("", max_length=4000)
    follow_up_needed: bool = False


class VisitOut(Schema):
    public_id: UUID
    household: UUID
    visited_at: datetime
    follow_up_needed: bool


@router.post("/households/{uuid:public_id}/visits", response={201: VisitOut, **ERRORS})
def visit_record(request, public_id: UUID, payload: VisitIn):
    """Record a door-to-door visit. Accepts an `Idempotency-Key` header."""

    def create():
        household = household_get(actor=request.actor, public_id=public_id)
        visit = home_visit_record(actor=request.actor, household=household, **payload.model_dump())
        body = {
            "public_id": visit.public_id,
            "household": household.public_id,
            "visited_at": visit.visited_at,
            "follow_up_needed": visit.follow_up_needed,
        }
        return 201, VisitOut(**body).model_dump(mode="json")

    return Status(*idempotent(request, create))


# --- care lists, visit plan, rates ----------------------------------------------------------


class CareRowOut(Schema):
    resident: UUID
    name: str
    household: UUID | None
    address: str
    kinds: list[str]
    interval_days: int | None
    last_visit: datetime | None
    due: date
    overdue: bool
    status: str = Field(description="overdue, due_today or upcoming (overdue only after the due day has passed)")


def _care_row(row) -> dict:
    household = row.resident.household
    return {
        "resident": row.resident.public_id,
        "name": row.resident.name,
        "household": household.public_id if household else None,
        "address": f"{household.building.address or household.building.name} {household.room}" if household else "",
        "kinds": row.kinds,
        "interval_days": row.interval_days,
        "last_visit": row.last_visit,
        "due": row.due,
        "overdue": row.overdue,
        "status": row.status,
    }


@router.get("/care", response=list[CareRowOut])
@paginate(Page)
def care(request, kind: str = Query("", max_length=32), overdue: bool = False):
    """Special-care residents in your scope with their strictest visit rule, last visit and due
    date; `kind` filters one group, `overdue=true` keeps only those due for a visit."""
    if kind and kind not in CareKind.values:
        return []
    return [_care_row(r) for r in care_list(actor=request.actor, kind=kind, overdue_only=overdue)]


class PlanItemOut(Schema):
    household: UUID = Field(alias="household.public_id")
    room: str = Field(alias="household.room")
    building_name: str = Field(alias="household.building.name")
    reason: str = Field(description="care (a special-care member is due) or awareness (no visit in a year)")
    due: date
    overdue: bool
    status: str = Field(description="overdue, due_today or upcoming")
    residents: list[str]


@router.get("/visit-plan", response=list[PlanItemOut])
@paginate(Page)
def plan(request):
    """The households you should visit: care members due within a week first, then households
    nobody has visited within a year."""
    return visit_plan(actor=request.actor)


class RatesOut(Schema):
    code: str
    name: str
    households: int
    residents: int
    awareness_rate: float | None
    care_awareness_rate: float | None
    electronic_record_rate: float | None


class UnitRatesOut(RatesOut):
    children: list[RatesOut]


def _rates(unit, rates: PoolRates) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "households": rates.households,
        "residents": rates.residents,
        "awareness_rate": rates.awareness_rate,
        "care_awareness_rate": rates.care_awareness_rate,
        "electronic_record_rate": rates.electronic_record_rate,
    }


@router.get("/rates", response={200: UnitRatesOut, 404: ErrorOut})
def rates(request, unit: str = Query("", max_length=12, description="Org unit code; default: your own unit")):
    """Awareness rate (百家情), special-care awareness rate and electronic record rate of a unit,
    and of each unit directly below a street (its communities)."""
    actor = request.actor
    found = org_unit_get(actor=actor, code=unit) if unit else org_unit_top(actor=actor).first()
    if found is None:
        raise not_found("单位", "Org unit")
    children = list(org_unit_children(actor=actor, code=found.code)) if found.kind == "street" else []
    by_child = pool_rates_by_child(actor=actor, path=found.path, child_length=len(children[0].path)) if children else {}
    return {
        **_rates(found, pool_rates(actor=actor, path=found.path)),
        "children": [_rates(child, by_child.get(child.path, PoolRates())) for child in children],
    }
