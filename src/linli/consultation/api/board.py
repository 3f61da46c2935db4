"""The public board and conventions over JSON, under `/api/v1/consultation/`: a community's or
village's board (no log-in), a convention's public versions (no log-in), and for staff their
area's notices and conventions, publishing (Idempotency-Key) and withdrawing with a reason.
Parse → actor → one service or selector → schema."""

import datetime as dt
from uuid import UUID

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from linli.consultation.domain.board import STAFF_NOTICE_KINDS
from linli.consultation.selectors import board as sel
from linli.consultation.services import board as svc
from linli.core.apitools import ErrorOut, IsoDate, Page
from linli.core.errors import field_error, validation_failed
from linli.core.idempotency import idempotent

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class BoardNoticeOut(Schema):
    id: UUID
    kind: str = Field(description="decision, result, village_resolution, village_result, finance, convention, notice")
    kind_label: str
    title: str
    body: str
    public_from: dt.date
    public_until: dt.date | None = Field(description="blank: until taken down")
    source_ref: str = Field(description="the decision's, village matter's or convention's id it publishes")


class BoardConventionOut(Schema):
    id: UUID
    kind: str = Field(description="residents, village or charter")
    title: str
    version: int
    adopted_on: dt.date | None
    text: str


class BoardOut(Schema):
    path: str
    name: str
    as_of: dt.date
    notices: list[BoardNoticeOut]
    conventions: list[BoardConventionOut]


def _notice(n) -> dict:
    return {
        "id": n.public_id,
        "kind": n.kind,
        "kind_label": str(n.get_kind_display()),
        "title": n.title,
        "body": n.body,
        "public_from": n.public_from,
        "public_until": n.public_until,
        "source_ref": n.source_ref,
    }


def _in_force(convention, version) -> dict:
    return {
        "id": convention.public_id,
        "kind": convention.kind,
        "title": convention.title,
        "version": version.version,
        "adopted_on": version.adopted_on,
        "text": version.text,
    }


@router.get("/board/{path}", auth=None, response={200: BoardOut, 404: ErrorOut})
def board(request, path: str):
    """A community's or village's public board today: its notices showing and its conventions in
    force. No log-in; no person's name."""
    today = timezone.localdate()
    found = sel.public_board(path, today)
    notices = [_notice(n) for _label, rows in found.groups for n in rows]
    conventions = [_in_force(c, v) for c, v in found.conventions]
    return {"path": found.path, "name": found.name, "as_of": today, "notices": notices, "conventions": conventions}


class BoardVersionOut(Schema):
    version: int
    state: str = Field(description="consulting, adopted (in force) or superseded")
    adopted_on: dt.date | None
    text: str


class BoardConventionVersionsOut(Schema):
    id: UUID
    path: str
    kind: str
    title: str
    versions: list[BoardVersionOut]


@router.get("/board/conventions/{uuid:public_id}", auth=None, response={200: BoardConventionVersionsOut, 404: ErrorOut})
def convention_versions(request, public_id: UUID):
    """A convention's public versions, newest first (a draft only once it is put to consultation)."""
    convention, versions = sel.public_convention(public_id)
    rows = [{"version": v.version, "state": v.state, "adopted_on": v.adopted_on, "text": v.text} for v in versions]
    return {
        "id": convention.public_id,
        "path": convention.path,
        "kind": convention.kind,
        "title": convention.title,
        "versions": rows,
    }


class BoardStaffNoticeOut(BoardNoticeOut):
    path: str
    published_by: str
    published_at: dt.datetime
    withdrawn_at: dt.datetime | None
    withdrawn_reason: str


def _staff_notice(n) -> dict:
    return _notice(n) | {
        "path": n.path,
        "published_by": n.published_by_name,
        "published_at": n.published_at,
        "withdrawn_at": n.withdrawn_at,
        "withdrawn_reason": n.withdrawn_reason,
    }


@router.get("/board-notices", response=list[BoardStaffNoticeOut])
@paginate(Page)
def notices(request, path: str = ""):
    """The notices of your area (CONSULT_VIEW), newest first, withdrawn ones with their reason."""
    return [_staff_notice(n) for n in sel.notice_list(actor=request.actor, path=path)]


class BoardNoticeIn(Schema):
    path: str = Field(description="the community's or village's division code")
    kind: str = Field("notice", description="notice or finance")
    title: str
    body: str
    public_from: IsoDate | None = Field(None, description="blank: today")
    public_until: IsoDate | None = Field(None, description="blank: until taken down")


@router.post("/board-notices", response={201: BoardStaffNoticeOut, **ERRORS})
def notice_create(request, payload: BoardNoticeIn):
    """Publish a notice or a finance notice on a board (CONSULT_MANAGE). Accepts an `Idempotency-Key`."""
    if payload.kind not in STAFF_NOTICE_KINDS:
        raise validation_failed([field_error("kind", "只能发布通知或财务公开", "Only a notice or finances")])

    def create():
        notice = svc.notice_publish(actor=request.actor, data=svc.NoticeInput(**payload.model_dump()))
        return 201, BoardStaffNoticeOut(**_staff_notice(notice)).model_dump(mode="json")

    return Status(*idempotent(request, create))


class BoardWithdrawIn(Schema):
    reason: str


@router.post("/board-notices/{uuid:public_id}/withdrawal", response={200: BoardStaffNoticeOut, **ERRORS})
def notice_withdraw(request, public_id: UUID, payload: BoardWithdrawIn):
    """Take a notice off the board with the reason (kept, audited); 409 when it is down already."""
    notice = sel.notice_get(actor=request.actor, public_id=public_id)
    return _staff_notice(svc.notice_withdraw(actor=request.actor, notice=notice, reason=payload.reason))


class BoardConventionSummaryOut(Schema):
    id: UUID
    path: str
    kind: str
    title: str
    in_force: int | None = Field(description="the version in force")
    adopted_on: dt.date | None
    draft: int | None = Field(description="the version being drafted or consulted on")
    draft_state: str


@router.get("/conventions", response=list[BoardConventionSummaryOut])
@paginate(Page)
def conventions(request, path: str = ""):
    """The conventions of your area (CONSULT_VIEW) with the version in force and the open draft."""
    rows = []
    for c in sel.convention_list(actor=request.actor, path=path):
        in_force, draft = sel.convention_in_force(c), sel.convention_open_version(c)
        rows.append(
            {
                "id": c.public_id,
                "path": c.path,
                "kind": c.kind,
                "title": c.title,
                "in_force": in_force.version if in_force else None,
                "adopted_on": in_force.adopted_on if in_force else None,
                "draft": draft.version if draft else None,
                "draft_state": draft.state if draft else "",
            }
        )
    return rows
