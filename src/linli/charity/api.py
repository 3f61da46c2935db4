"""Charity over JSON: needs (staff list, create with an Idempotency-Key, read, proposals), offers
(create with an Idempotency-Key, a donor's own), matches (confirm, deliver), micro-funds and
their ledger entries; and without log-in, like Open311's public list, the open needs and every
fund's public ledger — personal data never in them (no note, no donor of an anonymous gift, no
name of who recorded an entry). Parse → actor → one service or selector → schema."""

import datetime as dt
from decimal import Decimal
from uuid import UUID

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from linli.charity.domain import CENT, PLACE_LABELS, EntryKind
from linli.charity.selectors import (
    community_names,
    fund_entries,
    fund_get,
    fund_list,
    fund_totals,
    match_get,
    my_offers,
    need_get,
    need_list,
    need_proposals,
    public_fund_get,
    public_funds,
    public_need_get,
    public_needs,
)
from linli.charity.services import (
    DonationInput,
    NeedInput,
    OfferInput,
    PaymentInput,
    donation_record,
    match_confirm,
    match_deliver,
    need_post,
    offer_post,
    payment_record,
)
from linli.core.apitools import ErrorOut, MappedRows, Page
from linli.core.idempotency import idempotent
from linli.core.masking import mask_personal_numbers

router = Router(tags=["charity"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
READ_ERRORS = {404: ErrorOut}


# ---------------------------------------------------------------- needs


class PublicNeedOut(Schema):
    id: UUID
    kind: str
    category: str
    title: str
    description: str
    beneficiary: str
    quantity: int
    still_needed: int
    unit: str
    needed_by: dt.date | None
    community: str
    community_name: str
    state: str


class NeedOut(PublicNeedOut):
    matched: int
    delivered: int
    created_at: dt.datetime
    created_by: str


def _public_need(need, names: dict[str, str] | None = None) -> dict:
    names = names if names is not None else community_names([need.community_path])
    return {
        "id": need.public_id,
        "kind": need.kind,
        "category": need.category,
        "title": need.title,
        "description": mask_personal_numbers(need.description),
        "beneficiary": need.beneficiary,
        "quantity": need.quantity,
        "still_needed": need.remaining,
        "unit": need.unit,
        "needed_by": need.needed_by,
        "community": need.community_path,
        "community_name": names.get(need.community_path, ""),
        "state": need.state,
    }


def _need(need, names: dict[str, str] | None = None) -> dict:
    return _public_need(need, names) | {
        "description": need.description,
        "matched": need.allocated,
        "delivered": need.delivered,
        "created_at": need.created_at,
        "created_by": need.created_by_name,
    }


class NamedRows(MappedRows):
    """Rows of one page with their community names read once for the page."""

    def __getitem__(self, window: slice) -> list[dict]:
        rows = list(self.queryset[window])
        names = community_names({r.community_path for r in rows})
        return [self.convert(row, names) for row in rows]  # type: ignore[call-arg]


class NeedFilter(Schema):
    state: str = Field("", description="open, matched, delivered, acknowledged, closed; empty: all")
    kind: str = ""
    under: str = Field("", description="a unit path inside your area")
    q: str = ""


@router.get("/needs", response=list[NeedOut])
@paginate(Page)
def needs(request, filters: Query[NeedFilter]):
    """Needs of your area (charity staff)."""
    return NamedRows(need_list(actor=request.actor, **filters.dict()), _need)


class NeedIn(Schema):
    kind: str = Field(description="goods, money, service, tutoring or other")
    category: str = ""
    title: str
    quantity: int
    unit: str
    beneficiary: str = Field(description="a form of address and a short situation, e.g. 王女士，独居老人")
    description: str = ""
    needed_by: dt.date | None = None
    community: str = Field("", description="community path; empty: your own community")
    note: str = Field("", description="internal note, sealed; never in any answer")


@router.post("/needs", response={201: NeedOut, **ERRORS})
def need_create(request, payload: NeedIn):
    """Post a need. A full ID or phone number in the public text is refused (422, naming the
    field). Accepts an `Idempotency-Key` header."""

    def create():
        need = need_post(actor=request.actor, data=NeedInput(**payload.dict()))
        return 201, NeedOut(**_need(need)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/needs/{uuid:public_id}", response={200: NeedOut, **ERRORS})
def need(request, public_id: UUID):
    return _need(need_get(actor=request.actor, public_id=public_id))


class ProposalOut(Schema):
    offer: UUID
    title: str
    donor: str
    kind: str
    remaining: int
    unit: str
    place: str
    quantity: int
    covers_all: bool


@router.get("/needs/{uuid:public_id}/proposals", response={200: list[ProposalOut], **ERRORS})
def proposals(request, public_id: UUID):
    """Offers that may serve the need, best first (kind, category, place, quantity)."""
    found = need_get(actor=request.actor, public_id=public_id)
    return [
        {
            "offer": row.offer.public_id,
            "title": row.offer.title,
            "donor": "" if row.offer.anonymous else row.offer.donor_name,
            "kind": row.offer.kind,
            "remaining": row.offer.remaining,
            "unit": row.offer.unit,
            "place": str(PLACE_LABELS[row.proposal.place_rank]),
            "quantity": row.proposal.quantity,
            "covers_all": row.proposal.covers_all,
        }
        for row in need_proposals(need=found)
    ]


@router.get("/public/needs", auth=None, response=list[PublicNeedOut])
@paginate(Page)
def needs_public(request, kind: str = "", under: str = ""):
    """Open needs of the city, without log-in: no note, no ID or phone number."""
    return NamedRows(public_needs(kind=kind, under=under), _public_need)


@router.get("/public/needs/{uuid:public_id}", auth=None, response={200: PublicNeedOut, **READ_ERRORS})
def need_public(request, public_id: UUID):
    return _public_need(public_need_get(public_id))


# ---------------------------------------------------------------- offers


class OfferIn(Schema):
    kind: str
    title: str
    quantity: int
    unit: str
    category: str = ""
    description: str = ""
    reach: str = Field("community", description="community, street or city")
    available_until: dt.date | None = None
    anonymous: bool = False
    for_need: UUID | None = Field(None, description='the need this offer answers ("I can help")')
    org: UUID | None = Field(None, description="an organisation you speak for")
    donor_name: str = Field("", description="a walk-in donor (charity staff)")
    donor_contact: str = Field("", description="a walk-in donor's phone, sealed")
    community: str = ""


class MatchBrief(Schema):
    id: UUID
    need_title: str
    quantity: int
    state: str
    delivered_at: dt.datetime | None


class OfferOut(Schema):
    id: UUID
    kind: str
    title: str
    quantity: int
    given: int
    unit: str
    reach: str
    anonymous: bool
    state: str
    created_at: dt.datetime
    matches: list[MatchBrief] = []


def _offer(offer, matches=None) -> dict:
    return {
        "id": offer.public_id,
        "kind": offer.kind,
        "title": offer.title,
        "quantity": offer.quantity,
        "given": offer.allocated,
        "unit": offer.unit,
        "reach": offer.reach,
        "anonymous": offer.anonymous,
        "state": offer.state,
        "created_at": offer.created_at,
        "matches": [
            {
                "id": m.public_id,
                "need_title": m.need.title,
                "quantity": m.quantity,
                "state": m.state,
                "delivered_at": m.delivered_at,
            }
            for m in (matches or [])
        ],
    }


@router.post("/offers", response={201: OfferOut, **ERRORS})
def offer_create(request, payload: OfferIn):
    """Offer goods, money or help (a resident, an organisation's account, or charity staff for a
    walk-in donor). Accepts an `Idempotency-Key` header."""

    def create():
        offer = offer_post(actor=request.actor, data=OfferInput(**payload.dict()))
        return 201, OfferOut(**_offer(offer)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.get("/offers/mine", response=list[OfferOut])
def offers_mine(request):
    """Your own offers and what became of each (matched, delivered, received)."""
    return [_offer(o, list(o.matches.all())) for o in my_offers(actor=request.actor)]


# ---------------------------------------------------------------- matches


class MatchIn(Schema):
    need: UUID
    offer: UUID
    quantity: int


class MatchOut(Schema):
    id: UUID
    need: UUID
    offer: UUID
    quantity: int
    state: str
    confirmed_at: dt.datetime
    delivered_at: dt.datetime | None


def _match(m) -> dict:
    return {
        "id": m.public_id,
        "need": m.need.public_id,
        "offer": m.offer.public_id,
        "quantity": m.quantity,
        "state": m.state,
        "confirmed_at": m.confirmed_at,
        "delivered_at": m.delivered_at,
    }


@router.post("/matches", response={201: MatchOut, **ERRORS})
def match_create(request, payload: MatchIn):
    """Confirm a match (a part of the quantity is fine; more than either side has is a 422).
    Accepts an `Idempotency-Key` header."""

    def create():
        found = need_get(actor=request.actor, public_id=payload.need)
        match = match_confirm(actor=request.actor, need=found, offer_id=payload.offer, quantity=payload.quantity)
        return 201, MatchOut(**_match(match)).model_dump(mode="json")

    return Status(*idempotent(request, create))


class NoteIn(Schema):
    note: str = ""


@router.post("/matches/{uuid:public_id}/deliver", response={200: MatchOut, **ERRORS})
def match_delivered(request, public_id: UUID, payload: NoteIn):
    match = match_get(actor=request.actor, public_id=public_id)
    return _match(match_deliver(actor=request.actor, match=match, note=payload.note))


# ---------------------------------------------------------------- funds


class FundOut(Schema):
    id: UUID
    name: str
    community: str
    community_name: str
    purpose: str
    threshold: Decimal
    balance: Decimal


def _money(value: Decimal | None) -> Decimal | None:
    """Two places always (SQLite hands back 8500 for 8500.00)."""
    return None if value is None else Decimal(value).quantize(CENT)


def _fund(fund, names: dict[str, str]) -> dict:
    return {
        "id": fund.public_id,
        "name": fund.name,
        "community": fund.community_path,
        "community_name": names.get(fund.community_path, ""),
        "purpose": fund.purpose,
        "threshold": _money(fund.threshold),
        "balance": _money(fund.balance),
    }


@router.get("/funds", auth=None, response=list[FundOut])
def funds(request):
    """Every active micro-fund with its balance (public, no log-in)."""
    rows = list(public_funds())
    names = community_names({f.community_path for f in rows})
    return [_fund(f, names) for f in rows]


@router.get("/funds/mine", response=list[FundOut])
def funds_mine(request):
    """The funds of your area (charity staff), active or not."""
    rows = list(fund_list(actor=request.actor))
    names = community_names({f.community_path for f in rows})
    return [_fund(f, names) for f in rows]


class EntryOut(Schema):
    id: UUID
    on: dt.date
    kind: str
    income: Decimal | None
    spending: Decimal | None
    balance: Decimal
    receipt: str
    donor: str = Field(description="empty for an anonymous donation (shown as anonymous)")
    anonymous: bool
    purpose: str
    payee: str
    decision: str
    decision_on: dt.date | None
    decision_ref: str
    corrects: UUID | None
    reason: str


class LedgerOut(FundOut):
    income: Decimal
    spending: Decimal
    entries: list[EntryOut]


def _entry(e) -> dict:
    return {
        "id": e.public_id,
        "on": e.on,
        "kind": e.kind,
        "income": _money(e.amount) if e.amount > 0 else None,
        "spending": _money(e.spending),
        "balance": _money(e.balance_after),
        "receipt": e.receipt,
        "donor": "" if e.anonymous or e.kind != EntryKind.DONATION else e.donor_name,
        "anonymous": e.anonymous,
        "purpose": e.purpose,
        "payee": e.payee,
        "decision": e.decision_text,
        "decision_on": e.decision_on,
        "decision_ref": e.decision_ref,
        "corrects": e.corrects.public_id if e.corrects else None,
        "reason": e.reason,
    }


@router.get("/funds/{uuid:public_id}/ledger", auth=None, response={200: LedgerOut, **READ_ERRORS})
def ledger(request, public_id: UUID):
    """A fund's public ledger (no log-in): income, spending, balance, every entry with its receipt
    and, above the threshold, the residents' decision."""
    fund = public_fund_get(public_id)
    totals = fund_totals(fund)
    names = community_names([fund.community_path])
    return _fund(fund, names) | {
        "income": _money(totals.income),
        "spending": _money(totals.spending),
        "entries": [_entry(e) for e in fund_entries(fund)],
    }


class DonationIn(Schema):
    amount: Decimal
    on: dt.date
    receipt: str
    donor_name: str = ""
    anonymous: bool = False


class PaymentIn(Schema):
    amount: Decimal
    on: dt.date
    purpose: str
    payee: str
    receipt: str
    decision_text: str = Field("", description="required above the fund's threshold")
    decision_on: dt.date | None = None
    decision_ref: str = Field("", description="meeting or reference; required above the threshold")


@router.post("/funds/{uuid:public_id}/donations", response={201: EntryOut, **ERRORS})
def donation_create(request, public_id: UUID, payload: DonationIn):
    """Record a donation (charity staff). Accepts an `Idempotency-Key` header."""

    def create():
        fund = fund_get(actor=request.actor, public_id=public_id)
        entry = donation_record(actor=request.actor, fund=fund, data=DonationInput(**payload.dict()))
        return 201, EntryOut(**_entry(entry)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@router.post("/funds/{uuid:public_id}/payments", response={201: EntryOut, **ERRORS})
def payment_create(request, public_id: UUID, payload: PaymentIn):
    """Record a payment (charity staff): more than the balance, or above the threshold without the
    decision, is a 422 naming the fields. Accepts an `Idempotency-Key` header."""

    def create():
        fund = fund_get(actor=request.actor, public_id=public_id)
        entry = payment_record(actor=request.actor, fund=fund, data=PaymentInput(**payload.dict()))
        return 201, EntryOut(**_entry(entry)).model_dump(mode="json")

    return Status(*idempotent(request, create))
