"""Writes of grid events: categories, reports (with the duplicate check and the router's
suggestion), every workflow step, the whistle and its check-ins, supervision, photos, Open311
keys and the deadline job. Each write is one transaction that locks the event row first."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from linli.accounts.domain import GRID_CATEGORY_EDIT, GRID_REPORT, GRID_ROUTE_EDIT, GRID_SUPERVISE, Role
from linli.accounts.selectors import posted_user_ids
from linli.areas.domain import DepartmentKind
from linli.areas.selectors import (
    building_get_by_public_id,
    community_nearest,
    department_by_id,
    grid_at,
    inside_city,
    org_unit_by_path,
)
from linli.core.actor import Actor
from linli.core.crypto import seal, seal_bytes, unseal_bytes
from linli.core.errors import DomainError, FieldError, Msg, conflict, not_found, permission_denied, validation_failed
from linli.core.files import sniffed_type
from linli.core.geo import gcj02_to_wgs84, valid_lat_lng
from linli.core.notify import notify
from linli.core.services import audit_record, heartbeat_record
from linli.grid_events.domain import (
    DEFAULT_LIMITS,
    DESCRIPTION_MAX,
    ENDED_STATES,
    OPEN_STATES,
    PHOTO_MAX_BYTES,
    PHOTO_TYPES,
    PHOTOS_PER_STEP,
    PUBLIC_CHANNELS,
    AssignmentRole,
    AssignmentState,
    CategoryKind,
    Channel,
    EventState,
    PhotoStage,
    SupervisionLevel,
    Urgency,
    default_department_kind,
    default_handle_minutes,
    event_number,
    parse_category_table,
    transition_for,
)
from linli.grid_events.models import (
    Assignment,
    CategoryRoute,
    EventCategory,
    EventPhoto,
    EventStep,
    GridEvent,
    Open311Key,
    Response,
    Supervision,
    Whistle,
)
from linli.grid_events.selectors import (
    categories_by_code,
    category_get,
    category_route_department,
    category_routes_forget,
    deadline_after,
    duplicates_near,
    event_list,
    holds,
    is_reporter,
    lead_assignment,
    may_act,
    may_publish,
    owns,
    router_suggestion,
)
from linli.service_desk.services import number_next

if TYPE_CHECKING:  # for annotations only: the places a report lands in
    from linli.areas.models import Building, Grid

# ================================================================ categories


@dataclass
class CategoryImportResult:
    created: int = 0
    kept: int = 0
    skipped: list = field(default_factory=list)


def category_defaults(code: str) -> dict:
    """Editable defaults of a new category (see the sources in domain)."""
    return {
        "department_kind": default_department_kind(code),
        "register_minutes": DEFAULT_LIMITS.register,
        "dispatch_minutes": DEFAULT_LIMITS.dispatch,
        "accept_minutes": DEFAULT_LIMITS.accept,
        "handle_minutes": default_handle_minutes(code),
        "handle_urgent_minutes": DEFAULT_LIMITS.handle_urgent,
        "verify_minutes": DEFAULT_LIMITS.verify,
    }


def category_import(*, actor: Actor, text: str) -> CategoryImportResult:
    """Load an event or component class table. New codes are created with default limits; known
    ones are kept as the city edited them (an import never undoes an edit)."""
    _require(actor, GRID_CATEGORY_EDIT)
    try:
        rows, skipped = parse_category_table(text)
    except ValueError:
        raise validation_failed(
            [
                FieldError(
                    "file",
                    Msg(
                        "不是事件或部件分类表（表头应含 major_name, minor_name 和 full_code 列）",
                        "Not an event or component class table (the header needs major_name, minor_name, full_code)",
                    ),
                )
            ]
        ) from None
    result = CategoryImportResult(skipped=skipped)
    with transaction.atomic():
        known = set(EventCategory.objects.values_list("code", flat=True))
        new = [
            EventCategory(
                code=r.code,
                kind=r.kind,
                major_code=r.major_code,
                major_name=r.major_name,
                name=r.name,
                **category_defaults(r.code),
            )
            for r in rows
            if r.code not in known
        ]
        EventCategory.objects.bulk_create(new)
        result.created, result.kept = len(new), len(rows) - len(new)
        audit_record(
            actor=actor, action="grid.category_import", object_type="event_category", details={"created": len(new)}
        )
    categories_by_code.forget()
    return result


@dataclass
class CategoryInput:
    code: str
    name: str = ""
    major_name: str = ""
    department_kind: str = ""
    register_minutes: int | None = None
    dispatch_minutes: int | None = None
    accept_minutes: int | None = None
    handle_minutes: int | None = None
    handle_urgent_minutes: int | None = None
    verify_minutes: int | None = None
    is_active: bool = True


LIMIT_FIELDS = (
    "register_minutes",
    "dispatch_minutes",
    "accept_minutes",
    "handle_minutes",
    "handle_urgent_minutes",
    "verify_minutes",
)
MAX_LIMIT_MINUTES = 365 * 24 * 60


def category_save(*, actor: Actor, data: CategoryInput) -> EventCategory:
    """Edit a category's department kind, limits and activity, or create a city-defined one
    (a code starting with X)."""
    _require(actor, GRID_CATEGORY_EDIT)
    code = data.code.strip().upper()
    problems = []
    for name in LIMIT_FIELDS:
        value = getattr(data, name)
        if value is not None and not (1 <= value <= MAX_LIMIT_MINUTES):
            problems.append(FieldError(name, Msg("时限应为 1 至 525600 分钟", "A limit must be 1–525,600 minutes")))
    if data.department_kind and data.department_kind not in DepartmentKind.values:
        problems.append(FieldError("department_kind", Msg("未知的部门类型", "Unknown department kind")))
    with transaction.atomic():
        category = EventCategory.objects.select_for_update().filter(code=code).first()
        if category is None:
            if not code.startswith("X") or not (2 <= len(code) <= 16) or not code[1:].isalnum():
                problems.append(
                    FieldError(
                        "code",
                        Msg(
                            "自定义分类的编码应以 X 开头（2–16 位字母数字）",
                            "A city-defined code starts with X (2–16 chars)",
                        ),
                    )
                )
            if not data.name.strip():
                problems.append(FieldError("name", Msg("请填写名称", "Name is required")))
            if problems:
                raise validation_failed(problems)
            category = EventCategory(
                code=code,
                kind=CategoryKind.CITY,
                major_code="X",
                major_name=data.major_name.strip() or "城市自定义",
                name=data.name.strip()[:60],
                **category_defaults(code),
            )
        elif problems:
            raise validation_failed(problems)
        if data.name.strip() and category.kind == CategoryKind.CITY:
            category.name = data.name.strip()[:60]
        if data.department_kind:
            category.department_kind = data.department_kind
        for name in LIMIT_FIELDS:
            if getattr(data, name) is not None:
                setattr(category, name, getattr(data, name))
        category.is_active = data.is_active
        category.save()
        audit_record(
            actor=actor,
            action="grid.category_save",
            object_type="event_category",
            object_id=code,
            details={"active": data.is_active},
        )
    categories_by_code.forget()
    return category


def category_route_set(*, actor: Actor, code: str, district_path: str, department_id: int | None) -> None:
    """A district names its own department for a category (None: back to the kind's default)."""
    _require(actor, GRID_ROUTE_EDIT)
    category = category_get(code)
    district = org_unit_by_path(district_path)
    if category is None:
        raise not_found("分类", "Category")
    if district is None or district.kind != "district" or not actor.sees_path(district_path):
        raise not_found("区县", "District")
    with transaction.atomic():
        CategoryRoute.objects.filter(category=category, district=district).delete()
        if department_id is not None:
            department = department_by_id(department_id)
            if department is None or (not department.path.startswith(district_path[:6]) and len(department.path) > 4):
                raise validation_failed([FieldError("department", Msg("部门不在该区县", "Department not in district"))])
            CategoryRoute.objects.create(category=category, district=district, department=department)
        audit_record(
            actor=actor,
            action="grid.category_route",
            object_type="event_category",
            object_id=code,
            details={"district": district_path},
        )
    category_routes_forget()


# ================================================================ reporting


@dataclass
class PhotoUpload:
    filename: str
    data: bytes


@dataclass
class ReportInput:
    description: str
    lat: float | None = None
    lng: float | None = None
    coordinates: str = "wgs84"  # or "gcj02" (what Chinese map pickers give)
    category_code: str = ""
    urgency: str = Urgency.NORMAL
    address: str = ""
    building_id: str = ""
    channel: str = Channel.GRID_PATROL
    photos: list[PhotoUpload] = field(default_factory=list)
    not_duplicate: bool = False  # the reporter saw the proposed duplicates and says it is new
    hold_photos: bool = False  # on proposing duplicates, keep the photos for the next submit (a form)
    held_photos: str = ""  # the key of photos kept from the previous submit (`photos_hold`)
    reporter_name: str = ""
    contact: dict = field(default_factory=dict)  # Open311 email/phone/name; sealed
    open311_token: uuid.UUID | None = None


@dataclass(frozen=True)
class Place:
    lat: float
    lng: float
    community_path: str
    path: str
    building: Building | None
    grid: Grid | None


def _place_for(data: ReportInput) -> tuple[Place | None, list[FieldError]]:
    building = None
    if data.building_id:
        try:
            building = building_get_by_public_id(uuid.UUID(str(data.building_id)))
        except ValueError:
            building = None
        if building is None:
            return None, [FieldError("building_id", Msg("找不到该楼院", "Unknown building"))]
    lat, lng = data.lat, data.lng
    if lat is None or lng is None:
        if building is None or building.lat is None or building.lng is None:
            return None, [
                FieldError("lat", Msg("请在地图上选择位置或选择楼院", "Pick a location on the map or a building"))
            ]
        lat, lng = building.lat, building.lng
    elif data.coordinates == "gcj02":
        lat, lng = gcj02_to_wgs84(lat, lng)
    elif data.coordinates != "wgs84":
        return None, [FieldError("coordinates", Msg("坐标系应为 wgs84 或 gcj02", "Coordinates must be wgs84 or gcj02"))]
    if not valid_lat_lng(lat, lng) or not inside_city(lat, lng):
        return None, [FieldError("lat", Msg("位置不在本市范围内", "The location is outside the city"))]
    grid = building.grid if building is not None else grid_at(lat=lat, lng=lng)
    if grid is not None:
        community_path = grid.path[:12]
    else:
        community = community_nearest(lat=lat, lng=lng)
        if community is None:
            return None, [FieldError("lat", Msg("无法确定所属社区（尚无社区位置）", "No community position known"))]
        community_path = community.path
    return Place(lat, lng, community_path, grid.path if grid else community_path, building, grid), []


def _photo_problem(photo: PhotoUpload) -> Msg | None:
    if not photo.data:
        return Msg(f"照片「{photo.filename}」是空的", f"Photo '{photo.filename}' is empty")
    if len(photo.data) > PHOTO_MAX_BYTES:
        return Msg(f"照片「{photo.filename}」超过 10 MB", f"Photo '{photo.filename}' is larger than 10 MB")
    if sniffed_type(photo.data, PHOTO_TYPES) is None:
        return Msg(
            f"「{photo.filename}」不是 JPG、PNG 或 WebP 图片", f"'{photo.filename}' is not a JPG, PNG or WebP image"
        )
    return None


def photo_problems(photos: list[PhotoUpload], field_name: str = "photos") -> list[FieldError]:
    problems = [FieldError(field_name, p) for p in (_photo_problem(ph) for ph in photos) if p]
    if len(photos) > PHOTOS_PER_STEP:
        problems.append(
            FieldError(field_name, Msg(f"每次最多 {PHOTOS_PER_STEP} 张照片", f"At most {PHOTOS_PER_STEP} photos"))
        )
    return problems


def report_problems(data: ReportInput) -> tuple[Place | None, EventCategory | None, list[FieldError]]:
    problems: list[FieldError] = []
    description = data.description.strip()
    if not description:
        problems.append(FieldError("description", Msg("请描述问题", "Describe the problem")))
    elif len(description) > DESCRIPTION_MAX:
        problems.append(FieldError("description", Msg("描述不能超过 4000 字", "At most 4,000 characters")))
    category = None
    if data.category_code:
        category = category_get(data.category_code)
        if category is None or not category.is_active:
            problems.append(
                FieldError(
                    "category",
                    Msg(f"未知的事件分类「{data.category_code}」", f"Unknown category '{data.category_code}'"),
                )
            )
    if data.urgency not in Urgency.values:
        problems.append(FieldError("urgency", Msg("紧急程度应为 normal 或 urgent", "Urgency must be normal or urgent")))
    if data.channel not in Channel.values:
        problems.append(FieldError("channel", Msg("未知的上报渠道", "Unknown channel")))
    place, place_problems = _place_for(data)
    problems += place_problems + photo_problems(data.photos)
    return place, category, problems


def event_report(*, actor: Actor, data: ReportInput) -> GridEvent:
    """A problem reported from the street, the portal or Open311. Proposes duplicates first (a
    409 listing them unless `not_duplicate`), then saves the event held by its community, with
    the router's suggestion when no category was chosen."""
    if not actor.has_perm(GRID_REPORT) and not actor.is_system:
        raise permission_denied()
    added = bool(data.photos)
    if data.held_photos:
        data = replace(data, photos=photos_held(actor=actor, key=data.held_photos) + data.photos)
    place, category, problems = report_problems(data)
    if problems:
        raise validation_failed(problems)
    assert place is not None  # no problems: the place was found
    suggestion, confidence = _suggest(data.description) if category is None else (None, None)
    if not data.not_duplicate:
        near = duplicates_near(
            lat=place.lat,
            lng=place.lng,
            category_code=category.code if category else "",
            text=data.description,
            likely_category=suggestion.code if suggestion else "",
        )
        if near:
            raise _duplicates_error(near, held=_photos_keep(actor, data, added) if data.hold_photos else None)
    if (
        category is None
        and suggestion is not None
        and confidence is not None
        and confidence >= settings.LINLI_ROUTER_MIN_CONFIDENCE
    ):
        category = suggestion
    now = timezone.now()
    urgent = data.urgency == Urgency.URGENT
    register_minutes = _limit(category, "register_minutes", urgent)
    today = timezone.localdate(now)  # the number carries the local date, not UTC's
    with _photo_files() as written, transaction.atomic():
        event = GridEvent(
            category=category,
            suggested_category=suggestion,
            suggestion_confidence=confidence,
            description=data.description.strip(),
            urgency=data.urgency,
            channel=data.channel,
            lat=place.lat,
            lng=place.lng,
            address=data.address.strip()[:200],
            building=place.building,
            grid=place.grid,
            community_path=place.community_path,
            path=place.path,
            holder_path=place.community_path,
            reporter_id=actor.user_id,
            reporter_name=(data.reporter_name or actor.shown_name)[:60],
            reporter_contact_sealed=seal(json.dumps(data.contact), context="grid.contact") if data.contact else "",
            open311_token=data.open311_token,
            is_public=data.channel in PUBLIC_CHANNELS,
            reported_at=now,
        )
        event.register_due_at = event.stage_due_at = deadline_after(now, register_minutes, urgent=urgent)
        event.number = event_number(
            place.community_path[:6], today, number_next(f"GE{place.community_path[:6]}{today:%Y%m%d}")
        )
        event.save()
        event.new_photos = _photos_save(event, actor, PhotoStage.REPORT, data.photos, now, written)
        event.new_steps = [
            _step(
                event, actor, "report", "", "", _unit(place.community_path), now=now, details=_suggestion_details(event)
            )
        ]
        event_audit(actor, "report", event, details={"channel": data.channel})
        notify(
            user_ids=posted_user_ids(roles={Role.COMMUNITY_WORKER}, scope_path=place.community_path),
            kind="grid.reported",
            text=Msg(f"新上报事件 {event.number}：{event.description[:40]}", f"New event {event.number} reported"),
            link=_link(event),
        )
    if data.held_photos:
        photos_release(actor=actor, key=data.held_photos)
    return event


def _duplicates_error(near: list[GridEvent], held: tuple[str, list[str]] | None = None) -> DomainError:
    listed = "、".join(e.number for e in near[:5])
    error = conflict(
        Msg(
            f"附近已有相似事件：{listed}。确认不是同一问题后再提交。",
            f"Similar events nearby: {listed}. Confirm this is a different problem to submit it.",
        )
    )
    error.code = "duplicates_proposed"
    error.details = {
        "duplicates": [
            {
                "number": e.number,
                "category": e.category.name if e.category else "",
                "state": e.state,
                "distance_m": round(e.distance),
                "reported_at": e.reported_at.isoformat(),
            }
            for e in near[:10]
        ]
    }
    if held:
        error.details["held_photos"], error.details["held_names"] = held
    return error


def _suggest(text: str) -> tuple[EventCategory | None, float | None]:
    suggestion = router_suggestion(text)
    if suggestion is None:
        return None, None
    label, confidence = suggestion
    category = category_get(label)
    return (category, confidence) if category and category.is_active else (None, None)


def _suggestion_details(event: GridEvent) -> dict:
    if event.suggested_category is None:
        return {}
    return {"suggested": event.suggested_category.code, "confidence": round(event.suggestion_confidence or 0, 3)}


def _limit(category: EventCategory | None, name: str, urgent: bool) -> int:
    urgent_names = {
        "register_minutes": DEFAULT_LIMITS.urgent_register,
        "dispatch_minutes": DEFAULT_LIMITS.urgent_dispatch,
    }
    if urgent and name in urgent_names:
        return min(urgent_names[name], getattr(category, name, urgent_names[name]))
    if urgent and name == "handle_minutes":
        return category.handle_urgent_minutes if category else DEFAULT_LIMITS.handle_urgent
    return getattr(category, name) if category else getattr(DEFAULT_LIMITS, name.removesuffix("_minutes"))


# ================================================================ the workflow


@dataclass
class StepInput:
    note: str = ""
    category_code: str = ""
    urgency: str = ""
    department_id: int | None = None
    duplicate_of: str = ""
    departments: list[int] = field(default_factory=list)  # whistle: lead first
    score: int | None = None
    photos: list[PhotoUpload] = field(default_factory=list)


def _locked(event_id: int) -> GridEvent:
    return GridEvent.objects.select_for_update(of=("self",)).select_related("category").get(pk=event_id)


def event_transition(*, actor: Actor, event: GridEvent, action: str, data: StepInput | None = None) -> GridEvent:
    """Take one workflow step. The row is locked and its state re-read, so of two people acting at
    once the second is told the step is no longer allowed (409) and nothing changes."""
    data = data or StepInput()
    transition = transition_for(action)
    if transition is None:
        raise not_found("操作", "Action")
    problems = photo_problems(data.photos)
    if transition.needs_reason and not data.note.strip():
        problems.append(FieldError("note", Msg("请填写原因", "A reason is required")))
    if problems:
        raise validation_failed(problems)
    with _photo_files() as written, transaction.atomic():
        locked = _locked(event.pk)
        if not may_act(actor, locked, transition):
            if event_list(actor=actor).filter(pk=locked.pk).exists():
                raise permission_denied()
            raise not_found("事件", "Event")
        if locked.state not in transition.sources:
            raise conflict(
                Msg(
                    f"事件当前状态为「{EventState(locked.state).label}」，不能「{transition.label.zh}」",
                    f"The event is {locked.state}; '{transition.label.en}' is not allowed now",
                )
            )
        from_state, from_holder, now = locked.state, _holder(locked), timezone.now()
        details = HANDLERS[action](locked, actor, data, now) or {}
        locked.state = transition.target
        locked.save()
        _photos_save(locked, actor, _photo_stage(action), data.photos, now, written)
        _step(locked, actor, action, from_state, from_holder, _holder(locked), now=now, note=data.note, details=details)
        event_audit(
            actor,
            action,
            locked,
            details={"from": from_state, "to": locked.state},
            reason=data.note.strip()[:200],
        )
    _after_step(locked, action)
    return locked


def _photo_stage(action: str) -> str:
    if action in {"verify_pass", "verify_fail"}:
        return PhotoStage.VERIFICATION
    return PhotoStage.HANDLING if action == "report_handled" else PhotoStage.REPORT


def _on_register(event: GridEvent, actor: Actor, data: StepInput, now: datetime) -> dict:
    category = _chosen_category(event, data)
    event.category = category
    if data.urgency:
        if data.urgency not in Urgency.values:
            raise validation_failed([FieldError("urgency", Msg("紧急程度无效", "Invalid urgency"))])
        event.urgency = data.urgency
    event.registered_at = now
    event.stage_due_at = deadline_after(
        now, _limit(category, "dispatch_minutes", _urgent(event)), urgent=_urgent(event)
    )
    return {"category": category.code}


def _chosen_category(event: GridEvent, data: StepInput) -> EventCategory:
    if data.category_code:
        category = category_get(data.category_code)
        if category is None or not category.is_active:
            raise validation_failed(
                [
                    FieldError(
                        "category",
                        Msg(f"未知的事件分类「{data.category_code}」", f"Unknown category '{data.category_code}'"),
                    )
                ]
            )
        return category
    if event.category is None:
        raise validation_failed([FieldError("category", Msg("立案须确定事件分类", "Choose a category to register"))])
    return event.category


def _urgent(event: GridEvent) -> bool:
    return event.urgency == Urgency.URGENT


def _on_reject(event: GridEvent, actor: Actor, data: StepInput, now: datetime) -> dict:
    event.registered_at = now
    event.stage_due_at = None
    return {}


def _on_merge(event: GridEvent, actor: Actor, data: StepInput, now: datetime) -> dict:
    original = event_list(actor=actor).filter(number=data.duplicate_of.strip().upper()).first()
    if original is None or original.pk == event.pk:
        raise validation_failed([FieldError("duplicate_of", Msg("找不到要合并到的原事件", "Original event not found"))])
    if original.state == EventState.MERGED:
        raise validation_failed(
            [FieldError("duplicate_of", Msg("原事件本身已被合并，请选其原事件", "That event was merged itself"))]
        )
    event.duplicate_of = original
    event.registered_at = event.registered_at or now
    event.stage_due_at = None
    _step(original, actor, "merged_in", original.state, "", "", now=now, details={"duplicate": event.number})
    return {"original": original.number}


def _on_self_handle(event: GridEvent, actor: Actor, data: StepInput, now: datetime) -> dict:
    event.handle_due_at = deadline_after(
        now, _limit(event.category, "handle_minutes", _urgent(event)), urgent=_urgent(event)
    )
    event.stage_due_at = event.handle_due_at
    return {}


def _on_dispatch(event: GridEvent, actor: Actor, data: StepInput, now: datetime) -> dict:
    department = _target_department(event, data.department_id)
    _assign(event, department, AssignmentRole.LEAD, now)
    return {"department": department.pk}


def _target_department(event: GridEvent, department_id: int | None):
    """The chosen department, or the category's default for the event's district."""
    if department_id is not None:
        department = department_by_id(department_id)
        if department is None:
            raise validation_failed([FieldError("department", Msg("找不到该部门", "Unknown department"))])
        return department
    if event.category is None:  # only a registered event has a category to route by
        raise validation_failed([FieldError("category", Msg("请先立案确定分类", "Register the event first"))])
    department = category_route_department(event.category, event.community_path[:6])
    if department is None:
        raise validation_failed(
            [
                FieldError(
                    "department",
                    Msg("该区未配置此分类的责任部门，请选择部门", "No default department here: choose one"),
                )
            ]
        )
    return department


def _assign(event: GridEvent, department, role: str, now: datetime) -> Assignment:
    """A task for a department; the lead one takes the event (holder) and starts the clocks."""
    urgent = _urgent(event)
    accept_due = deadline_after(now, _limit(event.category, "accept_minutes", urgent), urgent=urgent)
    handle_due = deadline_after(now, _limit(event.category, "handle_minutes", urgent), urgent=urgent)
    assignment = Assignment.objects.create(
        event=event, department=department, role=role, assigned_at=now, accept_due_at=accept_due, due_at=handle_due
    )
    if role == AssignmentRole.LEAD:
        event.holder_department, event.holder_path = department, ""
        event.handle_due_at = handle_due
        event.stage_due_at = accept_due
    return assignment


def _holder_task(event: GridEvent) -> Assignment:
    task = lead_assignment(event)
    if task is None or task.department_id != event.holder_department_id:
        raise conflict(Msg("该事件没有待办的部门任务", "The event has no open department task"))
    return task


def _answer(task: Assignment, now: datetime, state: str) -> None:
    if task.answered_at is None:
        task.answered_at = now
        task.answered_on_time = now <= task.accept_due_at
    task.state = state


def _on_accept(event: GridEvent, actor: Actor, data: StepInput, now: datetime) -> dict:
    task = _holder_task(event)
    _answer(task, now, AssignmentState.ACCEPTED)
    task.save(update_fields=["answered_at", "answered_on_time", "state"])
    event.stage_due_at = task.due_at
    return {"department": task.department_id}


def _on_return(event: GridEvent, actor: Actor, data: StepInput, now: datetime) -> dict:
    """Not ours: the task closes (its clock stops, the return counts as an answer) and the event
    goes back to its community for re-dispatch; assisting tasks are withdrawn with it."""
    task = _holder_task(event)
    _answer(task, now, AssignmentState.RETURNED)
    task.return_reason = data.note.strip()[:500]
    task.save(update_fields=["answered_at", "answered_on_time", "state", "return_reason"])
    Assignment.objects.filter(event=event, state__in=[AssignmentState.PENDING, AssignmentState.ACCEPTED]).update(
        state=AssignmentState.CANCELLED
    )
    event.holder_department, event.holder_path = None, event.community_path
    event.handle_due_at = None
    event.stage_due_at = deadline_after(
        now, _limit(event.category, "dispatch_minutes", _urgent(event)), urgent=_urgent(event)
    )
    return {"department": task.department_id}


def _on_whistle(event: GridEvent, actor: Actor, data: StepInput, now: datetime) -> dict:
    """吹哨: summon departments (lead first). The lead takes the event; departments already on it
    keep their task, others' live tasks are withdrawn. Each must check in within the limit."""
    departments = _whistle_departments(data.departments)
    if event.category is None:
        raise validation_failed([FieldError("category", Msg("请先立案确定分类", "Register the event first"))])
    live = {
        t.department_id: t
        for t in Assignment.objects.filter(event=event, state__in=[AssignmentState.PENDING, AssignmentState.ACCEPTED])
    }
    for department_id, task in live.items():
        if department_id not in {d.pk for d in departments}:
            task.state = AssignmentState.CANCELLED
            task.save(update_fields=["state"])
    urgent = _urgent(event)
    check_in_minutes = DEFAULT_LIMITS.check_in_urgent if urgent else DEFAULT_LIMITS.check_in
    whistle = Whistle.objects.create(
        event=event,
        blown_by_id=actor.user_id,
        blown_by_name=actor.shown_name,
        unit_path=_acting_unit(actor, event),
        reason=data.note.strip(),
        created_at=now,
        check_in_due_at=deadline_after(now, check_in_minutes, urgent=urgent),
    )
    for index, department in enumerate(departments):
        role = AssignmentRole.LEAD if index == 0 else AssignmentRole.ASSIST
        held = live.get(department.pk)
        if held is None:
            _assign(event, department, role, now)
        elif held.role != role:
            held.role = role
            held.save(update_fields=["role"])
        Response.objects.create(whistle=whistle, department=department, is_lead=index == 0)
    lead = departments[0]
    event.holder_department, event.holder_path = lead, ""
    event.stage_due_at = whistle.check_in_due_at
    _reopen_lead(event, lead)
    return {"whistle": str(whistle.public_id), "departments": [d.pk for d in departments]}


def _reopen_lead(event: GridEvent, lead) -> None:
    """After a whistle the lead must check in again (报到 = accepting the joint task)."""
    Assignment.objects.filter(event=event, department=lead).exclude(
        state__in=[AssignmentState.RETURNED, AssignmentState.CANCELLED]
    ).update(state=AssignmentState.PENDING, role=AssignmentRole.LEAD)


def _whistle_departments(ids: list[int]) -> list:
    unique = list(dict.fromkeys(ids))
    departments = [department_by_id(i) for i in unique]
    if not unique or any(d is None for d in departments):
        raise validation_failed(
            [
                FieldError(
                    "departments",
                    Msg("请选择要召集的部门（第一个为牵头部门）", "Choose the departments to summon (lead first)"),
                )
            ]
        )
    return departments


def _acting_unit(actor: Actor, event: GridEvent) -> str:
    """The most specific unit of the actor's scope that covers the event's place."""
    covering = [p for p in actor.scope_paths if event.community_path.startswith(p[:12])]
    return max(covering, key=len)[:12] if covering else event.community_path


def _on_report_handled(event: GridEvent, actor: Actor, data: StepInput, now: datetime) -> dict:
    details = {}
    if event.holder_department_id:
        task = _holder_task(event)
        if task.state != AssignmentState.ACCEPTED:
            raise conflict(Msg("请先签收再反馈处置结果", "Accept the task before reporting handling"))
        task.state, task.handled_at = AssignmentState.HANDLED, now
        task.save(update_fields=["state", "handled_at"])
        details["department"] = task.department_id
    if not data.note.strip() and not data.photos:
        raise validation_failed(
            [FieldError("note", Msg("请说明处置情况或附照片", "Describe the handling or add a photo"))]
        )
    event.handled_at = now
    event.holder_department, event.holder_path = None, event.community_path
    event.stage_due_at = deadline_after(now, _verify_minutes(event), urgent=False)
    return details


def _verify_minutes(event: GridEvent) -> int:
    community = org_unit_by_path(event.community_path)
    rural = community is not None and community.urban_rural == "rural"
    minutes = event.category.verify_minutes if event.category else DEFAULT_LIMITS.verify
    return max(minutes, DEFAULT_LIMITS.verify_rural) if rural else minutes


def _need_photo(data: StepInput) -> None:
    if not data.photos:
        raise validation_failed(
            [FieldError("photos", Msg("核查须附现场照片", "Verification needs a photo from the site"))]
        )


def _on_verify_pass(event: GridEvent, actor: Actor, data: StepInput, now: datetime) -> dict:
    _need_photo(data)
    event.closed_at = now
    event.closed_on_time = event.handle_due_at is None or (
        event.handled_at is not None and event.handled_at <= event.handle_due_at
    )
    event.stage_due_at = None
    live = list(
        Assignment.objects.filter(
            event=event, state__in=[AssignmentState.PENDING, AssignmentState.ACCEPTED, AssignmentState.HANDLED]
        )
    )
    for task in tasks_close(live):
        task.save(update_fields=["state", "handled_at", "solved", "solved_on_time"])
    return {}


def tasks_close(tasks: list[Assignment]) -> list[Assignment]:
    """The fix passed verification: the lead's task is solved (on time if handled by its due
    time); assisting departments that checked in solved it with the lead; those that never
    checked in are withdrawn (their missed check-in still counts in the response rate)."""
    lead = next((t for t in tasks if t.role == AssignmentRole.LEAD and t.state == AssignmentState.HANDLED), None)
    for task in tasks:
        if task is lead:
            task.solved = True
            task.solved_on_time = task.due_at is None or (
                task.handled_at is not None and task.handled_at <= task.due_at
            )
        elif task.role == AssignmentRole.ASSIST and task.state == AssignmentState.ACCEPTED and lead is not None:
            task.state, task.handled_at = AssignmentState.HANDLED, lead.handled_at
            task.solved, task.solved_on_time = True, lead.solved_on_time
        elif task.state == AssignmentState.PENDING:
            task.state = AssignmentState.CANCELLED
    return tasks


def _on_verify_fail(event: GridEvent, actor: Actor, data: StepInput, now: datetime) -> dict:
    """返工: back to whoever handled it, with a fresh handling limit from now."""
    _need_photo(data)
    event.rework_count += 1
    urgent = _urgent(event)
    due = deadline_after(now, _limit(event.category, "handle_minutes", urgent), urgent=urgent)
    task = lead_assignment(event)
    if task is not None and task.state == AssignmentState.HANDLED:
        task.state, task.handled_at, task.due_at = AssignmentState.ACCEPTED, None, due
        task.save(update_fields=["state", "handled_at", "due_at"])
        event.holder_department, event.holder_path = task.department, ""
    event.handled_at = None
    event.handle_due_at = event.stage_due_at = due
    return {"rework": event.rework_count}


def _on_rate(event: GridEvent, actor: Actor, data: StepInput, now: datetime) -> dict:
    if data.score not in {1, 2, 3, 4, 5}:
        raise validation_failed([FieldError("score", Msg("评分应为 1 到 5", "The score must be 1–5"))])
    event.rating, event.rating_comment = data.score, data.note.strip()[:500]
    Assignment.objects.filter(event=event, solved=True).update(rating=data.score)
    return {"score": data.score}


HANDLERS = {
    "register": _on_register,
    "reject": _on_reject,
    "merge": _on_merge,
    "self_handle": _on_self_handle,
    "dispatch": _on_dispatch,
    "accept": _on_accept,
    "return": _on_return,
    "whistle": _on_whistle,
    "report_handled": _on_report_handled,
    "verify_pass": _on_verify_pass,
    "verify_fail": _on_verify_fail,
    "rate": _on_rate,
}


def _after_step(event: GridEvent, action: str) -> None:
    """Tell whoever must act next: the department a task arrived at, the reporter when it closed."""
    if event.holder_department_id and action in {"dispatch", "whistle", "verify_fail"}:
        notify(
            user_ids=posted_user_ids(roles={Role.DEPARTMENT_OFFICER}, department_id=event.holder_department_id),
            kind=f"grid.{action}",
            text=Msg(f"事件 {event.number} 待贵单位处理", f"Event {event.number} is waiting for your department"),
            link=_link(event),
        )
    if action in {"verify_pass", "reject", "merge"} and event.reporter_id:
        notify(
            user_ids=[event.reporter_id],
            kind=f"grid.{action}",
            text=Msg(
                f"您上报的事件 {event.number} 已{EventState(event.state).label}",
                f"Your report {event.number} is now {event.state}",
            ),
            link=f"/my/events/{event.number}/",
        )


# ================================================================ the whistle: check-in (报到)


def whistle_check_in(*, actor: Actor, response: Response, note: str = "") -> Response:
    """A summoned department reports for duty. The lead's check-in also accepts its task."""
    if response.department_id not in actor.department_ids:
        raise not_found("吹哨报到", "Whistle summons")
    with transaction.atomic():
        event = _locked(response.whistle.event_id)
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.checked_in_at is not None:
            raise conflict(Msg("已经报到过了", "Already checked in"))
        if event.state in ENDED_STATES:
            raise conflict(Msg("事件已结束，无需报到", "The event has ended"))
        now = timezone.now()
        locked.checked_in_at, locked.checked_in_by_id = now, actor.user_id
        locked.checked_in_by_name, locked.note = actor.shown_name, note.strip()[:500]
        locked.save()
        task = Assignment.objects.filter(
            event=event, department_id=locked.department_id, state=AssignmentState.PENDING
        ).first()
        if task is not None:
            _answer(task, now, AssignmentState.ACCEPTED)
            task.save(update_fields=["answered_at", "answered_on_time", "state"])
        from_state = event.state
        if (
            locked.is_lead
            and event.state == EventState.DISPATCHED
            and event.holder_department_id == locked.department_id
        ):
            event.state = EventState.HANDLING
            event.stage_due_at = task.due_at if task else event.handle_due_at
            event.save()
        late = now > locked.whistle.check_in_due_at
        _step(
            event,
            actor,
            "check_in",
            from_state,
            "",
            "",
            now=now,
            note=note,
            details={"department": locked.department_id, "late": late},
        )
        event_audit(actor, "check_in", event, details={"late": late})
    return locked


# ================================================================ supervision (督办)


def supervision_issue(*, actor: Actor, event: GridEvent, level: int, note: str, due_minutes: int = 0) -> Supervision:
    """A supervisor's notice to whoever holds the event now; the event keeps its highest level."""
    if not actor.has_perm(GRID_SUPERVISE) or not owns(actor, event):
        raise not_found("事件", "Event")
    problems = []
    if level not in SupervisionLevel.values:
        problems.append(FieldError("level", Msg("督办级别应为 1、2 或 3", "Level must be 1, 2 or 3")))
    if not note.strip():
        problems.append(FieldError("note", Msg("请写明督办要求", "State what is required")))
    if not (0 <= due_minutes <= MAX_LIMIT_MINUTES):
        problems.append(FieldError("due_minutes", Msg("期限无效", "Invalid time limit")))
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        locked = _locked(event.pk)
        if locked.state in ENDED_STATES:
            raise conflict(Msg("事件已结束，不能督办", "The event has ended"))
        now = timezone.now()
        due = deadline_after(now, due_minutes, urgent=False) if due_minutes else (locked.stage_due_at or now)
        supervision = Supervision.objects.create(
            event=locked,
            level=level,
            issued_by_id=actor.user_id,
            issued_by_name=actor.shown_name,
            issuer_path=_acting_unit(actor, locked),
            target_path=locked.holder_path,
            target_department_id=locked.holder_department_id,
            note=note.strip(),
            created_at=now,
            due_at=due,
        )
        locked.supervision_level = max(locked.supervision_level, level)
        locked.save(update_fields=["supervision_level", "updated_at"])
        _step(locked, actor, "supervise", locked.state, "", "", now=now, note=note, details={"level": level})
        event_audit(actor, "supervise", locked, details={"level": level})
        recipients = (
            posted_user_ids(roles={Role.DEPARTMENT_OFFICER}, department_id=locked.holder_department_id)
            if locked.holder_department_id
            else posted_user_ids(roles={Role.COMMUNITY_WORKER, Role.STREET_OFFICER}, scope_path=locked.holder_path)
        )
        notify(
            user_ids=recipients,
            kind="grid.supervise",
            text=Msg(
                f"事件 {locked.number} 被督办（{level} 级）",
                f"Event {locked.number}: supervision notice, level {level}",
            ),
            link=_link(locked),
        )
    return supervision


def supervision_answer(*, actor: Actor, supervision: Supervision, answer: str) -> Supervision:
    if not answer.strip():
        raise validation_failed([FieldError("answer", Msg("请填写回复", "Write an answer"))])
    with transaction.atomic():
        locked = Supervision.objects.select_for_update(of=("self",)).select_related("event").get(pk=supervision.pk)
        targeted = (
            locked.target_department_id in actor.department_ids
            if locked.target_department_id
            else (actor.sees_path(locked.target_path) and holds(actor, locked.event)) or owns(actor, locked.event)
        )
        if not targeted:
            raise permission_denied()
        if locked.answered_at is not None:
            raise conflict(Msg("该督办已回复", "Already answered"))
        locked.answered_at, locked.answer = timezone.now(), answer.strip()
        locked.save(update_fields=["answered_at", "answer"])
        _step(
            locked.event, actor, "supervision_answer", locked.event.state, "", "", now=locked.answered_at, note=answer
        )
        event_audit(actor, "supervision_answer", locked.event)
    return locked


# ================================================================ the public list (Open311)

PUBLIC_REASON_MAX = 500


def event_publication_set(*, actor: Actor, event: GridEvent, public: bool, reason: str = "") -> GridEvent:
    """Show an event on the public Open311 list or hide it from there (decision 0014). Staff of
    the event's place who may register events decide; hiding needs a reason. The step and the
    audit log record who did it and why; the public answers never show the reason."""
    if not may_publish(actor, event):
        raise permission_denied()
    reason = reason.strip()
    if not public and not reason:
        raise validation_failed([FieldError("reason", Msg("请写明不公开的原因", "Give the reason for hiding it"))])
    if len(reason) > PUBLIC_REASON_MAX:
        raise validation_failed([FieldError("reason", Msg("原因不能超过 500 字", "At most 500 characters"))])
    with transaction.atomic():
        locked = _locked(event.pk)
        if locked.is_public == public:
            already = Msg("该事件已公开", "Already public") if public else Msg("该事件已不公开", "Already hidden")
            raise conflict(already)
        locked.is_public, locked.public_reason = public, reason
        locked.save(update_fields=["is_public", "public_reason", "updated_at"])
        action = "publish" if public else "unpublish"
        _step(locked, actor, action, locked.state, "", "", now=timezone.now(), note=reason)
        event_audit(actor, action, locked, reason=reason)
    return locked


# ================================================================ photos


def grid_photos_dir() -> Path:
    return Path(settings.DATA_DIR) / "grid-photos"


@contextmanager
def _photo_files():
    """Collects the photo files a write creates and deletes them if the write fails, so a refused
    step leaves neither a row nor a file behind."""
    written: list[Path] = []
    try:
        yield written
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def _photos_save(
    event, actor: Actor, stage: str, photos: list[PhotoUpload], now: datetime, written: list
) -> list[EventPhoto]:
    """Sealed (AES-GCM) before touching the disk: street photos show faces and number plates."""
    rows: list[EventPhoto] = []
    if not photos:
        return rows
    folder = grid_photos_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for photo in photos:
        row = EventPhoto.objects.create(
            event=event,
            stage=stage,
            content_type=sniffed_type(photo.data, PHOTO_TYPES) or "application/octet-stream",  # checked on upload
            size=len(photo.data),
            sha256=hashlib.sha256(photo.data).hexdigest(),
            uploaded_by_id=actor.user_id,
            uploaded_at=now,
        )
        target = folder / f"{row.public_id}.bin"
        written.append(target)
        target.write_bytes(seal_bytes(photo.data, context=f"grid.photo:{row.public_id}"))
        rows.append(row)
    return rows


def photo_read(*, actor: Actor, event: GridEvent, photo: EventPhoto) -> bytes:
    """The photo's bytes for someone who may see the event; every read is audited."""
    if not (is_reporter(actor, event) or event_list(actor=actor).filter(pk=event.pk).exists()):
        raise not_found("照片", "Photo")
    data = unseal_bytes(
        (grid_photos_dir() / f"{photo.public_id}.bin").read_bytes(), context=f"grid.photo:{photo.public_id}"
    )
    event_audit(actor, "photo_read", event, details={"photo": str(photo.public_id)})
    return data


# ---------------------------------------------------------------- photos kept across the duplicate step

HELD_PHOTOS_HOURS = 24
HELD_KEY = re.compile(r"^[0-9a-f]{32}$")


def held_photos_dir() -> Path:
    return grid_photos_dir() / "held"


def _photos_keep(actor: Actor, data: ReportInput, added: bool) -> tuple[str, list[str]] | None:
    """Keep the photos of a report while its reporter looks at the similar events proposed: a
    browser cannot put files back into a form. The previous key stands when nothing was added."""
    if not data.photos or actor.user_id is None:
        return None
    if data.held_photos and not added:
        return data.held_photos, [p.filename for p in data.photos]
    key = photos_hold(actor=actor, photos=data.photos)
    if data.held_photos:
        photos_release(actor=actor, key=data.held_photos)
    return key, [p.filename for p in data.photos]


def photos_hold(*, actor: Actor, photos: list[PhotoUpload]) -> str:
    """Sealed in a folder of their own for a day; the key works for this account only. Folders
    older than a day are swept here, so a report never finished leaves nothing for long."""
    _held_sweep()
    key = secrets.token_hex(16)
    folder = held_photos_dir() / f"{actor.user_id}-{key}"
    folder.mkdir(parents=True)
    for i, photo in enumerate(photos):
        (folder / f"{i}.bin").write_bytes(seal_bytes(photo.data, context=f"grid.held:{folder.name}:{i}"))
    (folder / "names.json").write_text(json.dumps([p.filename for p in photos]), encoding="utf-8")
    return key


def photos_held(*, actor: Actor, key: str) -> list[PhotoUpload]:
    """The photos kept under `key` for this account; a key that expired (or is another
    account's) is refused on the photos field."""
    folder = _held_folder(actor, key)
    if folder is None:
        raise validation_failed(
            [
                FieldError(
                    "photos",
                    Msg("之前添加的照片已过期，请重新添加", "The photos added before have expired: add them again"),
                )
            ]
        )
    names = json.loads((folder / "names.json").read_text(encoding="utf-8"))
    return [
        PhotoUpload(name, unseal_bytes((folder / f"{i}.bin").read_bytes(), context=f"grid.held:{folder.name}:{i}"))
        for i, name in enumerate(names)
    ]


def photos_release(*, actor: Actor, key: str) -> None:
    folder = _held_folder(actor, key)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _held_folder(actor: Actor, key: str) -> Path | None:
    if actor.user_id is None or not HELD_KEY.match(key or ""):
        return None
    folder = held_photos_dir() / f"{actor.user_id}-{key}"
    return folder if (folder / "names.json").is_file() else None


def _held_sweep() -> None:
    folder = held_photos_dir()
    if not folder.is_dir():
        return
    cutoff = timezone.now().timestamp() - HELD_PHOTOS_HOURS * 3600
    for held in folder.iterdir():
        if held.stat().st_mtime < cutoff:
            shutil.rmtree(held, ignore_errors=True)


# ================================================================ Open311 keys


def open311_key_create(*, actor: Actor, name: str) -> str:
    """A new api_key for an Open311 client; only its hash is kept, the key is shown once."""
    _require(actor, GRID_CATEGORY_EDIT)
    if not name.strip():
        raise validation_failed([FieldError("name", Msg("请填写客户端名称", "Name the client"))])
    raw = secrets.token_urlsafe(24)
    Open311Key.objects.create(name=name.strip()[:100], key_hash=hashlib.sha256(raw.encode()).hexdigest())
    audit_record(actor=actor, action="grid.open311_key", object_type="open311_key", object_id=name.strip()[:100])
    return raw


def open311_key_revoke(*, actor: Actor, name: str) -> int:
    """Stop every active key of a client; returns how many. Unknown name: a clear refusal."""
    _require(actor, GRID_CATEGORY_EDIT)
    stopped = Open311Key.objects.filter(name=name.strip(), is_active=True).update(is_active=False)
    if not stopped:
        raise validation_failed([FieldError("name", Msg("没有该客户端的有效密钥", "No active key for that client"))])
    audit_record(actor=actor, action="grid.open311_key_revoke", object_type="open311_key", object_id=name.strip()[:100])
    return stopped


# ================================================================ the deadline job


def grid_deadlines_check(now: datetime | None = None) -> str:
    """Periodic job: tell the holder of each open event once per stage that it is overdue. The
    claim is a conditional UPDATE on the stage's due time, so two schedulers send one notice and
    a new stage (new due time) warns again."""
    now = now or timezone.now()
    overdue = GridEvent.objects.filter(state__in=OPEN_STATES, stage_due_at__lt=now).exclude(
        overdue_notified_for=F("stage_due_at")
    )
    sent = 0
    for event in overdue.only("pk", "number", "stage_due_at", "holder_path", "holder_department_id")[:5000]:
        claimed = GridEvent.objects.filter(pk=event.pk, stage_due_at=event.stage_due_at).exclude(
            overdue_notified_for=event.stage_due_at
        )
        if claimed.update(overdue_notified_for=event.stage_due_at):
            notify(
                user_ids=_holder_people(event),
                kind="grid.overdue",
                text=Msg(f"事件 {event.number} 已超期，请尽快处理", f"Event {event.number} is overdue"),
                link=_link(event),
            )
            sent += 1
    heartbeat_record(name="grid_deadlines_check", result=f"{sent} overdue notified")
    return f"{sent} overdue notified"


def _holder_people(event: GridEvent) -> list[int]:
    if event.holder_department_id:
        return posted_user_ids(roles={Role.DEPARTMENT_OFFICER}, department_id=event.holder_department_id)
    return posted_user_ids(roles={Role.COMMUNITY_WORKER}, scope_path=event.holder_path)


# ================================================================ helpers


def _require(actor: Actor, permission: str) -> None:
    if not actor.has_perm(permission):
        raise permission_denied()


def _unit(path: str) -> str:
    return f"unit:{path}"


def _holder(event: GridEvent) -> str:
    return f"dept:{event.holder_department_id}" if event.holder_department_id else _unit(event.holder_path)


def event_audit(actor: Actor, action: str, event: GridEvent, details: dict | None = None, reason: str = "") -> None:
    """One audit line for an action on an event, filed under its number and community."""
    audit_record(
        actor=actor,
        action=f"grid.{action}",
        object_type="grid_event",
        object_id=event.number,
        org_path=event.community_path,
        details=details,
        reason=reason,
    )


def _step(event, actor: Actor, action, from_state, from_holder, to_holder, *, now, note="", details=None) -> EventStep:
    return EventStep.objects.create(
        event=event,
        action=action,
        from_state=from_state,
        to_state=event.state,
        from_holder=from_holder,
        to_holder=to_holder,
        actor_id=actor.user_id,
        actor_name=actor.shown_name,
        note=note.strip(),
        details=details or {},
        at=now,
    )


def _link(event: GridEvent) -> str:
    return f"/staff/grid/events/{event.number}/"
