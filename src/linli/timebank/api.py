"""The time bank over JSON: my balance (with hours and stars) and ledger, a holder's balance and
ledger for staff in scope, the service catalogue, exchanges (create with an `Idempotency-Key`,
list, one, its steps) and donations (with an `Idempotency-Key`). Parse → actor → one service
or selector → schema; outside your scope a holder or an exchange is a 404."""

from datetime import datetime
from uuid import UUID

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.core.apitools import ErrorOut, MappedRows, Page
from linli.core.errors import DomainError, not_found, permission_denied
from linli.core.idempotency import idempotent
from linli.timebank.selectors import (
    account_get,
    account_of,
    exchange_get,
    exchange_list,
    ledger,
    may_use,
    service_list,
    volunteer_lookup,
    volunteer_of_user,
)
from linli.timebank.services import (
    DonationInput,
    ExchangeInput,
    StepInput,
    donation_make,
    exchange_act,
    exchange_request,
)

router = Router(tags=["time bank"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class BalanceOut(Schema):
    holder: UUID
    balance_minutes: int
    held_minutes: int
    available_minutes: int
    total_service_minutes: int | None = Field(None, description="Approved service minutes (volunteers app)")
    star_level: int | None = None
    registered_unit: str = ""


class LedgerEntryOut(Schema):
    id: int
    kind: str
    minutes: int
    balance_after: int
    reference_type: str
    reference_id: str
    unit: str
    reason: str
    created_at: datetime


class ServiceOut(Schema):
    code: str
    name_zh: str
    name_en: str
    unit_zh: str
    unit_en: str
    minutes_per_unit: int


class ExchangeIn(Schema):
    service: str = Field(..., max_length=40)
    units: int = Field(1, ge=1, le=20)
    beneficiary: str = Field("self", max_length=16)
    note: str = Field("", max_length=500)
    holder: UUID | None = Field(None, description="staff only: a volunteer of your area with no phone (代办)")


class ExchangeOut(Schema):
    id: UUID
    service: str
    units: int
    minutes: int
    beneficiary: str
    state: str
    unit: str
    provider: UUID | None
    provider_name: str
    scheduled_for: datetime | None
    created_at: datetime
    updated_at: datetime


class ExchangeStepIn(Schema):
    action: str = Field(..., description="arrange | deliver | confirm | cancel")
    reason: str = Field("", max_length=500)
    provider: UUID | None = Field(None, description="arrange: the providing volunteer's public id")
    scheduled_for: datetime | None = None


class ExchangeFilter(Schema):
    state: str = Field("", description="open, or one state")
    mine: bool = Field(False, description="the exchanges I requested")


class MinuteDonationIn(Schema):
    minutes: int = Field(..., ge=1, le=100_000)
    reason: str = Field(..., min_length=1, max_length=500)
    to_pool: bool = False
    recipient: UUID | None = None
    confirmed: bool = Field(False, description="true: I know a donation cannot be taken back")


class DonationOut(Schema):
    id: UUID
    minutes: int
    to_pool: bool
    created_at: datetime


def _entry(e) -> dict:
    return {
        "id": e.pk,
        "kind": e.kind,
        "minutes": e.minutes,
        "balance_after": e.balance_after,
        "reference_type": e.reference_type,
        "reference_id": e.reference_id,
        "unit": e.path,
        "reason": e.reason,
        "created_at": e.created_at,
    }


def _exchange(x) -> dict:
    return {
        "id": x.public_id,
        "service": x.service.code,
        "units": x.units,
        "minutes": x.minutes,
        "beneficiary": x.beneficiary,
        "state": x.state,
        "unit": x.path,
        "provider": x.provider,
        "provider_name": x.provider_name,
        "scheduled_for": x.scheduled_for,
        "created_at": x.created_at,
        "updated_at": x.updated_at,
    }


def _me(request):
    if not may_use(request.actor):
        raise permission_denied()
    volunteer = volunteer_of_user(request.actor.user_id)
    if volunteer is None:
        raise not_found("志愿者", "Volunteer")
    return volunteer


@router.get("/me", response={200: BalanceOut, **ERRORS})
def my_balance(request):
    """My balance, hours and stars (404 when I am not a volunteer yet)."""
    volunteer = _me(request)
    account = account_of(UUID(str(volunteer.public_id)))
    balance, held = (account.balance, account.held) if account else (0, 0)
    return {
        "holder": volunteer.public_id,
        "balance_minutes": balance,
        "held_minutes": held,
        "available_minutes": balance - held,
        "total_service_minutes": volunteer.total_minutes,
        "star_level": volunteer.star_level,
        "registered_unit": volunteer.registered_path,
    }


@router.get("/me/ledger", response={200: list[LedgerEntryOut], **ERRORS})
@paginate(Page)
def my_ledger(request):
    volunteer = _me(request)
    return MappedRows(ledger(account_of(UUID(str(volunteer.public_id)))), _entry)


@router.get("/holders/{uuid:holder}", response={200: BalanceOut, **ERRORS})
def holder_balance(request, holder: UUID):
    """A volunteer's (or a community pool's) balance, for staff whose area holds the account."""
    account = account_get(actor=request.actor, holder=holder)
    out = {
        "holder": account.holder,
        "balance_minutes": account.balance,
        "held_minutes": account.held,
        "available_minutes": account.available,
        "registered_unit": account.path,
    }
    if account.kind == "volunteer":
        try:
            brief = volunteer_lookup(actor=request.actor, public_id=holder)
            out |= {"total_service_minutes": brief.total_minutes, "star_level": brief.star_level}
        except DomainError:  # the volunteers app keeps its own scope: the balance alone
            pass
    return out


@router.get("/holders/{uuid:holder}/ledger", response={200: list[LedgerEntryOut], **ERRORS})
@paginate(Page)
def holder_ledger(request, holder: UUID):
    return MappedRows(ledger(account_get(actor=request.actor, holder=holder)), _entry)


@router.get("/services", response=list[ServiceOut])
def services(request):
    """What stored hours can be exchanged for, and the price in minutes per unit."""
    return list(service_list())


@router.get("/exchanges", response=list[ExchangeOut])
@paginate(Page)
def exchanges(request, filters: Query[ExchangeFilter]):
    """Staff: the exchanges their communities arrange; `mine=true`: the ones I requested."""
    return MappedRows(exchange_list(actor=request.actor, state=filters.state, mine=filters.mine), _exchange)


@router.post("/exchanges", response={201: ExchangeOut, **ERRORS})
def exchange_create(request, payload: ExchangeIn):
    """Spend my stored hours on a service: the minutes are held now. Accepts an `Idempotency-Key`."""

    def create():
        exchange = exchange_request(actor=request.actor, data=ExchangeInput(**payload.dict()))
        return 201, ExchangeOut(**_exchange(exchange)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/exchanges/{uuid:public_id}", response={200: ExchangeOut, **ERRORS})
def exchange(request, public_id: UUID):
    return _exchange(exchange_get(actor=request.actor, public_id=public_id))


@router.post("/exchanges/{uuid:public_id}/actions", response={200: ExchangeOut, **ERRORS})
def exchange_step(request, public_id: UUID, payload: ExchangeStepIn):
    """arrange (staff: provider, scheduled_for), deliver, confirm (staff), cancel (staff or the
    requester, with a reason, until delivered)."""
    return _exchange(exchange_act(actor=request.actor, public_id=public_id, data=StepInput(**payload.dict())))


@router.post("/donations", response={201: DonationOut, **ERRORS})
def donation_create(request, payload: MinuteDonationIn):
    """Donate minutes to another volunteer or to my community's pool: irreversible, so
    `confirmed` must be true and a reason given. Accepts an `Idempotency-Key`."""

    def create():
        donation = donation_make(actor=request.actor, data=DonationInput(**payload.dict()))
        body = {
            "id": donation.public_id,
            "minutes": donation.minutes,
            "to_pool": payload.to_pool,
            "created_at": donation.created_at,
        }
        return 201, DonationOut(**body).model_dump(mode="json")

    return Status(*idempotent(request, create))
