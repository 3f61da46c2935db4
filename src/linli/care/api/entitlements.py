"""Care services over JSON, stage entitlements (added to `/api/v1/care/` in `api/__init__.py`): the
service list in force, an elder's entitlements this month (scoped) and recording a capability
assessment (with an Idempotency-Key). The sealed answers never leave here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from linli.accounts.domain import CARE_ORDER
from linli.care.selectors.entitlements import (
    elder_get,
    entitlement_rows,
    items_in_force,
    list_in_force,
    may_read_list,
)
from linli.care.services.entitlements import assessment_record
from linli.core.apitools import ErrorOut, IsoDate, Page
from linli.core.errors import not_found
from linli.core.idempotency import idempotent

router = Router(tags=["care"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CareConditionOut(Schema):
    subsidy_share: int
    min_age: int = 0
    care_kinds: list[str] = []
    min_level: int | None = None
    disability_levels: list[str] = []


class CareServiceItemOut(Schema):
    code: str
    name: str
    name_en: str
    category: str
    unit: str
    unit_en: str
    unit_price: Decimal
    duration_minutes: int
    monthly_cap: int
    own_cost_allowed: bool
    needs_photo: bool
    for_beds: bool
    conditions: list[CareConditionOut]


class CareServiceListOut(Schema):
    version: int
    title: str
    effective_from: dt.date | None
    document: str
    items: list[CareServiceItemOut]


def _item(item) -> dict:
    fields = ("code", "name", "name_en", "category", "unit", "unit_en", "unit_price", "duration_minutes")
    flags = ("monthly_cap", "own_cost_allowed", "needs_photo", "for_beds")
    return {f: getattr(item, f) for f in (*fields, *flags)} | {"conditions": item.conditions or []}


@router.get("/service-list", response={200: CareServiceListOut, **ERRORS})
def service_list(request):
    """The basic elderly-care service list in force today, with who qualifies for each item."""
    actor = request.actor
    current = list_in_force(timezone.localdate())
    if current is None or not (may_read_list(actor) or actor.has_perm(CARE_ORDER)):
        raise not_found("清单", "List")
    return {
        "version": current.version,
        "title": current.title,
        "effective_from": current.effective_from,
        "document": current.document,
        "items": [_item(i) for i in current.items.order_by("order", "code")],
    }


class CareEntitlementOut(Schema):
    code: str
    name: str
    allowed: bool
    reason: str
    subsidy_share: int
    unit_price: Decimal
    government_pays: Decimal
    resident_pays: Decimal
    used: int
    cap: int
    remaining: int | None


@router.get("/elders/{person_ref}/entitlements", response={200: list[CareEntitlementOut], **ERRORS})
@paginate(Page)
def elder_entitlements(request, person_ref: str):
    """What an elder of the caller's area is entitled to this month, one unit of each item."""
    person = elder_get(actor=request.actor, person_ref=person_ref)
    today = timezone.localdate()
    return [
        {
            "code": r.item.code,
            "name": r.item.name,
            "allowed": r.allowed,
            "reason": str(r.entitlement.reason) if r.entitlement.reason else "",
            "subsidy_share": r.entitlement.subsidy_share,
            "unit_price": r.item.unit_price,
            "government_pays": r.government_per_unit,
            "resident_pays": r.resident_per_unit,
            "used": r.entitlement.used,
            "cap": r.item.monthly_cap,
            "remaining": r.remaining,
        }
        for r in entitlement_rows(person, today, items_in_force(today))
    ]


class CareAssessmentIn(Schema):
    person: str
    answers: dict[str, int]
    assessed_on: IsoDate
    second_assessor_name: str


class CareAssessmentOut(Schema):
    id: UUID
    person: UUID
    form: str
    score: int
    level: int
    assessed_on: dt.date
    valid_until: dt.date


@router.post("/assessments", response={201: CareAssessmentOut, **ERRORS})
def assessment_create(request, payload: CareAssessmentIn):
    """Record an elder's capability assessment (answers by question code). Accepts an
    `Idempotency-Key` header."""

    def create():
        assessment = assessment_record(
            actor=request.actor,
            person_ref=payload.person,
            answers=payload.answers,
            assessed_on=payload.assessed_on,
            second_assessor_name=payload.second_assessor_name,
        )
        out = CareAssessmentOut(
            id=assessment.public_id,
            person=assessment.person_ref,
            form=assessment.form_code,
            score=assessment.score,
            level=assessment.level,
            assessed_on=assessment.assessed_on,
            valid_until=assessment.valid_until,
        )
        return 201, out.model_dump(mode="json")

    return Status(*idempotent(request, create))
