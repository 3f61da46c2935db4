"""The service desk over JSON: the public catalogue and item guides, applicant lookup, intake
(window, proxy, home, online), case queues, case pages with timeline and the actions open to
you, workflow steps, the one-time notice, rectifications and figures.
Every endpoint is parse → actor → one service or selector → schema; outside your scope a case
is a 404, as if it did not exist."""

from datetime import date, datetime
from urllib.parse import quote
from uuid import UUID

from django.http import HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.areas.selectors import org_unit_get
from linli.core.apitools import ErrorOut, IsoDate, MappedRows, Page
from linli.core.errors import FieldError, Msg, not_found, validation_failed
from linli.core.idempotency import idempotent
from linli.residents.services import applicant_lookup
from linli.service_desk.domain import RESIDENT_CHANNELS, UPLOAD_MAX_BYTES
from linli.service_desk.exports import case_file_export
from linli.service_desk.selectors import (
    QUEUES,
    case_actions,
    case_get,
    case_handoffs,
    case_material_get,
    case_materials,
    case_queue,
    case_timeline,
    checklist_lines,
    desk_figures_of_unit,
    item_get,
    item_list,
    item_versions,
    one_time_notice,
    rectification_get,
    rectification_list,
)
from linli.service_desk.services import (
    IntakeInput,
    ItemInput,
    ProxyInput,
    TransitionInput,
    case_intake,
    case_submit,
    case_transition,
    file_handoff_record,
    follow_up_record,
    item_version_save,
    material_read,
    material_upload,
    rectification_close,
)

router = Router(tags=["service desk"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# ---------------------------------------------------------------- catalogue


class MaterialOut(Schema):
    key: str
    name: str
    required: bool
    original: bool
    pool_held: bool = Field(description="免提交: the government already holds it")
    deferrable: bool = Field(description="容缺: may be promised for later")
    name_en: str = Field("", description="English name (pages in English show it)")


class StepIO(Schema):
    name: str = Field(max_length=200)
    name_en: str = Field("", max_length=200)


class QuestionIO(Schema):
    q: str = Field(max_length=1000, description="常见问题: the question")
    a: str = Field(max_length=1000, description="its answer")
    q_en: str = Field("", max_length=1000)
    a_en: str = Field("", max_length=1000)


class FormIO(Schema):
    name: str = Field(max_length=100)
    name_en: str = Field("", max_length=100)
    file: str = Field(description="a shipped form's file name, or upload/<sha256>.<ext> of an uploaded one")


class ItemOut(Schema):
    code: str
    version: int
    name: str
    item_type: str
    deciding_level: str
    department_kind: str
    promised_days: int = Field(description="Working days; 0 = decided the same day (即办)")
    legal_days: int | None
    limits_verified: bool
    channels: list[str]
    citywide: bool
    name_en: str
    category: str = Field(description="theme: social_assistance, elderly, disability, employment, …")


class ItemGuideOut(ItemOut):
    conditions: str
    materials: list[MaterialOut]
    allows_deferral: bool
    fee: str
    retention_years: int
    source: str
    is_active: bool
    keywords: str
    steps: list[StepIO] = Field(description="办理流程")
    legal_basis: str = Field(description="设定依据")
    faq: list[QuestionIO]
    phone: str
    forms: list[FormIO] = Field(description="blank or sample forms; download from /services/<code>/forms/<n>/")


def _item(item, guide: bool = False) -> dict:
    version = item.current
    data = {
        "code": item.code,
        "version": version.version,
        "name": version.name,
        "item_type": version.item_type,
        "deciding_level": version.deciding_level,
        "department_kind": version.department_kind,
        "promised_days": version.promised_days,
        "legal_days": version.legal_days,
        "limits_verified": version.limits_verified,
        "channels": version.channels,
        "citywide": version.citywide,
        "name_en": version.name_en,
        "category": version.category,
    }
    if guide:
        data |= {
            "conditions": version.conditions,
            "materials": version.materials,
            "allows_deferral": version.allows_deferral,
            "fee": version.fee,
            "retention_years": version.retention_years,
            "source": version.source,
            "is_active": item.is_active,
            **{name: getattr(version, name) for name in ("keywords", "steps", "legal_basis", "faq", "phone", "forms")},
        }
    return data


@router.get("/items", auth=None, response=list[ItemOut])
@paginate(Page)
def items(request, q: str = Query("", max_length=50, description="Part of a name, or an item code")):
    """The community service catalogue (public)."""
    return MappedRows(item_list(q=q), _item)


@router.get("/items/{code}", auth=None, response={200: ItemGuideOut, 404: ErrorOut})
def item_guide(request, code: str):
    """An item's guide: conditions, materials, time limits, channels, where it is decided."""
    return _item(item_get(code=code), guide=True)


class ItemIn(Schema):
    name: str = Field(max_length=200)
    item_type: str = Field("20", max_length=4)
    deciding_level: str = Field("district", description="community, street, district or city")
    department_kind: str = Field("", description="Required for district and city items")
    promised_days: int = Field(ge=0, le=365)
    legal_days: int | None = Field(None, ge=0, le=365)
    limits_verified: bool = False
    conditions: str = Field("", max_length=5000)
    materials: list[MaterialOut] = []
    channels: list[str] = ["window", "online", "proxy", "home", "self_service"]
    citywide: bool = True
    allows_deferral: bool = True
    fee: str = Field("", max_length=100)
    retention_years: int = Field(10, ge=1, le=100)
    source: str = Field("", max_length=2000)
    name_en: str = Field("", max_length=200)
    category: str = Field("", max_length=32)
    keywords: str = Field("", max_length=500)
    steps: list[StepIO] = []
    legal_basis: str = Field("", max_length=1000)
    faq: list[QuestionIO] = []
    phone: str = Field("", max_length=40)
    forms: list[FormIO] = []


class ItemVersionOut(Schema):
    code: str
    version: int
    created: bool = Field(description="False when the content was unchanged (no new version)")


@router.put("/items/{code}", response={200: ItemVersionOut, **ERRORS})
def item_save(request, code: str, payload: ItemIn):
    """Create an item or its next version (catalogue admins). Cases keep the version they began with."""
    data = ItemInput(code=code, **payload.model_dump())
    version, created = item_version_save(actor=request.actor, data=data)
    return {"code": code, "version": version.version, "created": created}


@router.get("/items/{code}/versions", auth=None, response={200: list[ItemVersionOut], 404: ErrorOut})
def versions(request, code: str):
    item = item_get(code=code, include_inactive=True)
    return [{"code": code, "version": v.version, "created": True} for v in item_versions(item)]


# ---------------------------------------------------------------- applicants and notices


class LookupIn(Schema):
    id_number: str = Field(max_length=20)
    purpose: str = Field("受理", max_length=80, description="Why you look the person up; audited")


class ApplicantOut(Schema):
    public_id: str
    name: str
    gender: str
    age: int
    id_number_masked: str
    phone_masked: str
    home_path: str
    address: str


@router.post("/applicants/lookup", response={200: ApplicantOut, **ERRORS})
def lookup(request, payload: LookupIn):
    """Find an applicant anywhere in the city by exact ID number (全市通办); audited, masked."""
    return applicant_lookup(actor=request.actor, id_number=payload.id_number, purpose=payload.purpose)


class NoticeIn(Schema):
    item_code: str = Field(max_length=32)
    checklist: dict[str, str] = {}


class NoticeOut(Schema):
    item_code: str
    item_name: str
    missing: list[MaterialOut]


@router.post("/notice", auth=None, response={200: NoticeOut, **ERRORS})
def notice(request, payload: NoticeIn):
    """一次性告知: every required material still missing for this checklist, all at once."""
    item = item_get(code=payload.item_code)
    missing = one_time_notice(item.current, payload.checklist)
    return {"item_code": item.code, "item_name": item.current.name, "missing": [m.as_dict() for m in missing]}


# ---------------------------------------------------------------- cases


class ProxyIn(Schema):
    method: str = Field(description="signed, fingerprint or recorded")
    reason: str = Field(max_length=200)
    valid_until: IsoDate


class CaseIn(Schema):
    item_code: str = Field(max_length=32)
    channel: str = Field(description="Staff: window, proxy or home. Residents: online or self_service")
    applicant: str = Field("", description="Applicant public id from /applicants/lookup (staff only)")
    desk: str = Field("", max_length=12, description="Path of the accepting community, if you serve several")
    checklist: dict[str, str] = Field({}, description="material key → provided, deferred (容缺) or missing")
    deferred_until: IsoDate | None = None
    answers: dict[str, str] = {}
    proxy: ProxyIn | None = None
    home_visit_at: datetime | None = None


class EventOut(Schema):
    at: datetime
    action: str
    from_state: str
    to_state: str
    actor_name: str
    note: str
    details: dict


class CaseFields(Schema):
    number: str
    public_id: UUID
    item_code: str
    item_name: str
    item_version: int
    state: str
    decision: str
    channel: str
    applicant_name: str
    applicant_id_masked: str
    accepted_path: str
    handling_path: str
    handling_department_id: int | None
    submitted_at: datetime
    accepted_at: datetime | None
    due_on: date | None
    legal_due_on: date | None
    calendar_provisional: bool
    paused_on: date | None
    paused_days: int
    decided_at: datetime | None
    finished_on_time: bool | None


class CaseOut(CaseFields):
    """A row of a queue, read straight from the case and its item version."""

    item_code: str = Field(alias="item.code")
    item_name: str = Field(alias="item_version.name")
    item_version: int = Field(alias="item_version.version")


class ChecklistLineOut(Schema):
    material: MaterialOut
    status: str


class CaseDetailOut(CaseFields):
    answers: dict
    checklist: list[ChecklistLineOut]
    deferred_until: date | None
    decision_note: str
    delivery_method: str
    actions: list[str] = Field(description="The workflow steps you may take now")
    timeline: list[EventOut]


def _case_detail(actor, case) -> dict:
    data = CaseOut.from_orm(case).model_dump()
    data |= {
        "answers": case.answers,
        "checklist": [
            {"material": line.material.as_dict(), "status": line.status}
            for line in checklist_lines(case.item_version, case.checklist)
        ],
        "deferred_until": case.deferred_until,
        "decision_note": case.decision_note,
        "delivery_method": case.delivery_method,
        "actions": case_actions(actor=actor, case=case),
        "timeline": [EventOut.from_orm(e).model_dump() for e in case_timeline(case)],
    }
    return CaseDetailOut(**data).model_dump(mode="json")


@router.post("/cases", response={201: CaseDetailOut, **ERRORS})
def case_create(request, payload: CaseIn):
    """Staff accept a case at a window, by proxy or at home; a resident applies online as
    themself. Accepts an `Idempotency-Key` header: a retried request gets the first case back."""

    def create():
        data = IntakeInput(
            item_code=payload.item_code,
            channel=payload.channel,
            applicant_ref=payload.applicant,
            desk_path=payload.desk,
            checklist=payload.checklist,
            deferred_until=payload.deferred_until,
            answers=payload.answers,
            proxy=ProxyInput(**payload.proxy.model_dump()) if payload.proxy else None,
            home_visit_at=payload.home_visit_at,
        )
        service = case_submit if payload.channel in RESIDENT_CHANNELS else case_intake
        # the actor has just created it: no need to read it back through the scope filter
        return 201, _case_detail(request.actor, service(actor=request.actor, data=data))

    return Status(*idempotent(request, create))


@router.get("/cases", response=list[CaseOut])
@paginate(Page)
def cases(
    request,
    queue: str = Query("all", description=f"One of {', '.join(QUEUES)}"),
    q: str = Query("", max_length=50, description="Case number, applicant name or item name"),
):
    """Your queues: mine, intake (online applications waiting), unit, due_soon, overdue, finished, all."""
    if queue not in QUEUES:
        raise validation_failed([FieldError("queue", Msg("未知的队列", "Unknown queue"))])
    return case_queue(actor=request.actor, queue=queue, q=q).select_related("item")


@router.get("/cases/{key}", response={200: CaseDetailOut, 404: ErrorOut})
def case_detail(request, key: str):
    """A case by number or public id, with its checklist, timeline and the steps open to you."""
    return _case_detail(request.actor, case_get(actor=request.actor, key=key))


class StepIn(Schema):
    note: str = Field("", max_length=2000)
    decision: str = Field("", description="decide: approved or denied")
    delivery_method: str = Field("", description="deliver: pickup, post, online or home")
    checklist: dict[str, str] = {}
    deferred_until: IsoDate | None = None
    score: int | None = Field(None, description="rate: 1–5 (5 = very satisfied)")
    rating_channel: str = ""


@router.post("/cases/{key}/actions/{action}", response={200: CaseDetailOut, **ERRORS})
def case_step(request, key: str, action: str, payload: StepIn):
    """Take a workflow step: accept, refuse, start_review, request_supplement, supply, decide,
    deliver, close, rate, withdraw. A step not allowed from the case's state answers 409."""
    case = case_get(actor=request.actor, key=key)
    case = case_transition(actor=request.actor, case=case, action=action, data=TransitionInput(**payload.model_dump()))
    return _case_detail(request.actor, case)


class MaterialFileOut(Schema):
    public_id: UUID
    material_key: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploaded_by: str


@router.post("/cases/{key}/materials", response={201: MaterialFileOut, **ERRORS})
def material_add(request, key: str, material_key: Form[str], file: File[UploadedFile]):
    """Attach a photo or scan (JPG, PNG or PDF, ≤ 10 MB) of one material; encrypted at rest."""
    case = case_get(actor=request.actor, key=key)
    data = file.read(UPLOAD_MAX_BYTES + 1)
    return Status(
        201,
        material_upload(actor=request.actor, case=case, material_key=material_key, filename=file.name or "", data=data),
    )


@router.get("/cases/{key}/materials", response={200: list[MaterialFileOut], 404: ErrorOut})
def materials(request, key: str):
    return list(case_materials(case_get(actor=request.actor, key=key)))


@router.get("/cases/{key}/materials/{uuid:material_id}", response={404: ErrorOut})
def material_file(request, key: str, material_id: UUID):
    """The file's bytes; every read goes to the audit log."""
    case = case_get(actor=request.actor, key=key)
    material = case_material_get(case, material_id)
    response = HttpResponse(material_read(actor=request.actor, material=material), content_type=material.content_type)
    response["Cache-Control"] = "no-store"
    return response


class HandoffIn(Schema):
    step: str = Field(description="received, sent, arrived, returned or handed_over — in that order")
    note: str = Field("", max_length=200)


class HandoffOut(Schema):
    step: str
    at: datetime
    holder_path: str
    holder_name: str
    note: str


@router.post("/cases/{key}/handoffs", response={201: HandoffOut, **ERRORS})
def handoff_add(request, key: str, payload: HandoffIn):
    """The paper file's next step (收件 → 流转 → 签收 → 出件 → 交付) and who holds it now."""
    case = case_get(actor=request.actor, key=key)
    return Status(201, file_handoff_record(actor=request.actor, case=case, step=payload.step, note=payload.note))


@router.get("/cases/{key}/handoffs", response={200: list[HandoffOut], 404: ErrorOut})
def handoffs(request, key: str):
    return list(case_handoffs(case_get(actor=request.actor, key=key)))


@router.get("/cases/{key}/export.{kind}", response={404: ErrorOut})
def export(request, key: str, kind: str):
    """The case file as `pdf` or `zip` (PDF, case.json, timeline.csv, materials); audited."""
    if kind not in {"pdf", "zip"}:
        raise not_found("格式", "Format")
    case = case_get(actor=request.actor, key=key)
    data, content_type, filename = case_file_export(actor=request.actor, case=case, kind=kind)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# ---------------------------------------------------------------- rectifications


class FollowUpOut(Schema):
    at: datetime
    method: str
    summary: str
    resident_satisfied: bool | None
    by_name: str


class RectificationOut(Schema):
    id: int
    case_number: str = Field(alias="case.number")
    score: int = Field(alias="rating.score")
    comment: str = Field(alias="rating.comment")
    state: str
    due_on: date
    verdict: str
    summary: str
    opened_at: datetime
    closed_at: datetime | None


@router.get("/rectifications", response=list[RectificationOut])
@paginate(Page)
def rectifications(request, open_only: bool = True):
    """Bad ratings awaiting (or past) rectification in your scope, earliest deadline first."""
    return rectification_list(actor=request.actor, open_only=open_only)


class FollowUpIn(Schema):
    method: str = Field(description="call, visit or message")
    summary: str = Field(max_length=2000)
    resident_satisfied: bool | None = None


@router.post("/rectifications/{int:pk}/follow-ups", response={201: FollowUpOut, **ERRORS})
def follow_up(request, pk: int, payload: FollowUpIn):
    rectification = rectification_get(actor=request.actor, pk=pk)
    return Status(201, follow_up_record(actor=request.actor, rectification=rectification, **payload.model_dump()))


class CloseIn(Schema):
    verdict: str = Field(description="rectified, explained or mistaken")
    summary: str = Field(max_length=2000)


@router.post("/rectifications/{int:pk}/close", response={200: RectificationOut, **ERRORS})
def rectification_done(request, pk: int, payload: CloseIn):
    rectification = rectification_get(actor=request.actor, pk=pk)
    return rectification_close(actor=request.actor, rectification=rectification, **payload.model_dump())


# ---------------------------------------------------------------- figures
# (the work calendar's endpoints moved to linli.workdays.api; its old /desk/calendar paths are
# deprecated aliases mounted from there)


class FiguresOut(Schema):
    path: str
    name: str
    decided: int
    on_time: int
    on_time_rate: float | None
    open: int
    overdue: int
    rated: int
    bad: int
    satisfaction: float | None


@router.get("/figures/{code}", response={200: list[FiguresOut], 404: ErrorOut})
def figures(request, code: str, since: IsoDate | None = None, until: IsoDate | None = None):
    """On-time rate, open and overdue cases and satisfaction per child unit of `code`, for cases
    decided (and ratings given) in [since, until); default: this calendar year so far."""
    unit = org_unit_get(actor=request.actor, code=code)
    rows = desk_figures_of_unit(actor=request.actor, unit=unit, since=since, until=until).rows
    return [row.__dict__ | {"on_time_rate": row.on_time_rate} for row in rows]
