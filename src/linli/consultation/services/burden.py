"""Writes of stage burden: one transaction each, checked, audited.

A district keeps its certificate list (never a certificate on the national no-issue list,
民发〔2020〕20号) and decides departments' requests to add community tasks (no funds, no task:
费随事转). A community issues only what its district's list names that day, and records an
unlisted ask it refused, counted against the department."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from linli.accounts.domain import BURDEN_CERTIFY, BURDEN_MANAGE, BURDEN_REQUEST
from linli.areas.models import Department
from linli.consultation.domain.burden import (
    CERTIFICATE_PREFIX,
    COMMUNITY_LEN,
    FORBIDDEN_SOURCE,
    REQUEST_PREFIX,
    RequestState,
    district_of,
    is_forbidden,
)
from linli.consultation.models import Certificate, CertificateKind, CommunityTask, TaskEntryRequest, TaskRefusal
from linli.consultation.selectors import burden as sel
from linli.consultation.services.common import audit, numbered_create
from linli.core.actor import Actor
from linli.core.crypto import mask_name
from linli.core.errors import (
    DomainError,
    FieldError,
    Msg,
    conflict,
    field_error,
    not_found,
    permission_denied,
    validation_failed,
)
from linli.residents.selectors import resident_get

REASON_MAX = 300


def _needed(problems: list[FieldError], values: dict[str, str]) -> None:
    for name, value in values.items():
        if not (value or "").strip():
            problems.append(field_error(name, "必填", "Required"))


def _check(problems: list[FieldError]) -> None:
    if problems:
        raise validation_failed(problems)


# ---------------------------------------------------------------- the certificate list


@dataclass
class KindInput:
    path: str  # the district (6) or "" for the city's rows
    code: str
    name: str
    legal_basis: str
    since: date | None = None  # today when blank


def certificate_kind_save(*, actor: Actor, data: KindInput, kind: CertificateKind | None = None) -> CertificateKind:
    """Add a certificate to a district's list, or correct one (its name, legal basis, since)."""
    path = kind.path if kind else data.path
    if not actor.has_perm(BURDEN_MANAGE):
        raise permission_denied()
    if not sel.may_edit_list(actor, path):
        raise not_found("区县", "District")
    problems: list[FieldError] = []
    _needed(problems, {"code": data.code, "name": data.name, "legal_basis": data.legal_basis})
    if is_forbidden(data.name):
        problems.append(
            field_error(
                "name",
                f"{FORBIDDEN_SOURCE}规定居（村）委会不得出具此证明，不能列入清单",
                f"Under {FORBIDDEN_SOURCE} a community may not issue this certificate; it cannot be listed",
            )
        )
    taken = CertificateKind.objects.filter(path=path, code=data.code.strip())
    if kind is not None:
        taken = taken.exclude(pk=kind.pk)
    if data.code.strip() and taken.exists():
        problems.append(field_error("code", "清单中已有此编码", "This code is on the list already"))
    _check(problems)
    values = {"code": data.code.strip(), "name": data.name.strip(), "legal_basis": data.legal_basis.strip()}
    with transaction.atomic():
        if kind is None:
            kind = CertificateKind.objects.create(path=path, since=data.since or timezone.localdate(), **values)
        else:
            CertificateKind.objects.filter(pk=kind.pk).update(since=data.since or kind.since, **values)
            kind.refresh_from_db()
        audit(actor, "certificate_kind_save", "consultation_certificate_kind", kind.pk, path, name=kind.name)
    return kind


def certificate_kind_end(*, actor: Actor, kind: CertificateKind, reason: str) -> CertificateKind:
    """Take a certificate off the list from today: `until` set, the row and its certificates kept."""
    if not sel.may_edit_list(actor, kind.path):
        raise not_found("证明事项", "Certificate kind")
    problems: list[FieldError] = []
    _needed(problems, {"reason": reason})
    _check(problems)
    today = timezone.localdate()
    with transaction.atomic():
        ended = CertificateKind.objects.filter(pk=kind.pk, until__isnull=True).update(until=today)
        if not ended:
            raise conflict(Msg("此证明事项已移出清单", "This certificate is off the list already"))
        audit(actor, "certificate_kind_save", "consultation_certificate_kind", kind.pk, kind.path, reason[:300])
    kind.refresh_from_db()
    return kind


# ---------------------------------------------------------------- certificates


@dataclass
class CertificateInput:
    path: str  # the community (12)
    kind_id: int | None
    purpose: str
    subject_ref: str = ""  # a resident of the community, by public id
    subject_name: str = ""  # or a typed name (kept masked only)


def certificate_issue(*, actor: Actor, data: CertificateInput) -> Certificate:
    """Issue a numbered certificate of a kind on the community's district list today."""
    if not actor.has_perm(BURDEN_CERTIFY):
        raise permission_denied()
    if len(data.path) != COMMUNITY_LEN or not actor.sees_path(data.path):
        raise not_found("社区", "Community")
    today = timezone.localdate()
    problems: list[FieldError] = []
    kind = _listed_kind(data.kind_id, data.path, today, problems)
    _needed(problems, {"purpose": data.purpose})
    subject_ref, shown = _subject(actor, data, problems)
    _check(problems)
    assert kind is not None  # _check raised otherwise
    with transaction.atomic():
        certificate = numbered_create(
            Certificate,
            CERTIFICATE_PREFIX,
            data.path,
            today,
            path=data.path,
            kind=kind,
            subject_ref=subject_ref,
            subject_shown=shown,
            purpose=data.purpose.strip()[:200],
            issued_on=today,
            issued_by_id=actor.user_id,
            issued_by_name=actor.shown_name,
        )
        audit(actor, "certificate_issue", "consultation_certificate", certificate.public_id, data.path, kind=kind.code)
    return certificate


def _listed_kind(kind_id, path: str, today: date, problems: list[FieldError]) -> CertificateKind | None:
    kind = CertificateKind.objects.filter(pk=kind_id).first() if kind_id else None
    if kind is None:
        problems.append(field_error("kind_id", "请选择清单中的证明事项", "Choose a certificate on the list"))
        return None
    if not sel.kinds_in_force(district_of(path), today).filter(pk=kind.pk).exists():
        problems.append(
            field_error(
                "kind_id",
                f"“{kind.name}”不在本区证明事项清单内，不能出具",
                f"“{kind.name}” is not on the district's list; it cannot be issued",
            )
        )
    return kind


def _subject(actor: Actor, data: CertificateInput, problems: list[FieldError]) -> tuple[UUID | None, str]:
    """The resident by public id (the pool's scoped read, in this community), else a typed name."""
    if data.subject_ref:
        try:
            resident = resident_get(actor=actor, public_id=data.subject_ref)
        except (DomainError, ValidationError):  # not found, not a UUID, not allowed: the same answer
            resident = None
        if resident is None or not resident.path.startswith(data.path):
            problems.append(field_error("subject_ref", "本社区没有这位居民", "No such resident in this community"))
            return None, ""
        return resident.public_id, mask_name(resident.name)
    if not data.subject_name.strip():
        problems.append(field_error("subject_name", "请填写证明对象", "Name the person the certificate is for"))
        return None, ""
    return None, mask_name(data.subject_name.strip()[:40])


def certificate_void(*, actor: Actor, certificate: Certificate, reason: str) -> Certificate:
    """Void an issued certificate with the reason (kept, never deleted)."""
    if not actor.has_perm(BURDEN_CERTIFY) or not actor.sees_path(certificate.path):
        raise not_found("证明", "Certificate")
    problems: list[FieldError] = []
    _needed(problems, {"reason": reason})
    _check(problems)
    with transaction.atomic():
        done = Certificate.objects.filter(pk=certificate.pk, voided_at__isnull=True).update(
            voided_at=timezone.now(), void_reason=reason.strip()[:REASON_MAX]
        )
        if not done:
            raise conflict(Msg("此证明已作废", "This certificate is void already"))
        audit(actor, "certificate_void", "consultation_certificate", certificate.public_id, certificate.path, reason)
    certificate.refresh_from_db()
    return certificate


# ---------------------------------------------------------------- task entry


@dataclass
class RequestInput:
    department_id: int | None
    title: str
    legal_basis: str
    work: str
    funds_amount: Decimal | None
    funds_source: str


def task_request_file(*, actor: Actor, data: RequestInput) -> TaskEntryRequest:
    """A department asks that communities take a task; the district of the department decides."""
    if not actor.has_perm(BURDEN_REQUEST):
        raise permission_denied()
    department = Department.objects.filter(pk=data.department_id or 0, pk__in=actor.department_ids).first()
    if department is None:
        raise not_found("部门", "Department")
    problems: list[FieldError] = []
    _needed(
        problems,
        {"title": data.title, "legal_basis": data.legal_basis, "work": data.work, "funds_source": data.funds_source},
    )
    if data.funds_amount is None or data.funds_amount <= 0:
        problems.append(
            field_error(
                "funds_amount",
                "没有经费的事项不予准入（费随事转）",
                "A task without funds is not admitted: the funds follow the task",
            )
        )
    _check(problems)
    district = department.path[:6]
    with transaction.atomic():
        request = numbered_create(
            TaskEntryRequest,
            REQUEST_PREFIX,
            district,
            timezone.localdate(),
            path=district,
            department=department,
            title=data.title.strip()[:100],
            legal_basis=data.legal_basis.strip()[:300],
            work=data.work.strip(),
            funds_amount=data.funds_amount,
            funds_source=data.funds_source.strip()[:200],
            created_by_id=actor.user_id,
            created_at=timezone.now(),
        )
        audit(actor, "task_request", "consultation_task_request", request.public_id, district)
    return request


def task_request_decide(*, actor: Actor, request: TaskEntryRequest, approve: bool, reason: str) -> TaskEntryRequest:
    """Approve (the task goes on the district's list with its funds) or refuse with a reason."""
    if not actor.has_perm(BURDEN_MANAGE) or not actor.sees_path(request.path):
        raise not_found("准入申请", "Task entry request")
    problems: list[FieldError] = []
    if not approve:
        _needed(problems, {"reason": reason})
    _check(problems)
    state = RequestState.APPROVED if approve else RequestState.REFUSED
    now = timezone.now()
    with transaction.atomic():
        done = TaskEntryRequest.objects.filter(pk=request.pk, state=RequestState.SUBMITTED).update(
            state=state, decision_reason=reason.strip()[:REASON_MAX], decided_by_id=actor.user_id, decided_at=now
        )
        if not done:
            raise conflict(Msg("此申请已审核", "This request is decided already"))
        request.refresh_from_db()
        if approve:
            _list_task(request, timezone.localdate())
        audit(actor, "task_request_decide", "consultation_task_request", request.public_id, request.path, reason)
    return request


def _list_task(request: TaskEntryRequest, today: date) -> CommunityTask:
    return CommunityTask.objects.create(
        path=request.path,
        name=request.title,
        department=request.department,
        department_name=request.department.name,
        legal_basis=request.legal_basis,
        funds_amount=request.funds_amount,
        request=request,
        since=today,
    )


@dataclass
class RefusalInput:
    path: str  # the community (12)
    department_name: str
    what: str
    asked_on: date | None
    department_id: int | None = None


def task_refusal_record(*, actor: Actor, data: RefusalInput) -> TaskRefusal:
    """Record an ask the community refused because it is not on the list (counted by department)."""
    if not actor.has_perm(BURDEN_CERTIFY):
        raise permission_denied()
    if len(data.path) != COMMUNITY_LEN or not actor.sees_path(data.path):
        raise not_found("社区", "Community")
    department = Department.objects.filter(pk=data.department_id).first() if data.department_id else None
    name = department.name if department else data.department_name.strip()
    problems: list[FieldError] = []
    _needed(problems, {"department_name": name, "what": data.what})
    if data.asked_on is None:
        problems.append(field_error("asked_on", "必填", "Required"))
    elif data.asked_on > timezone.localdate():
        problems.append(field_error("asked_on", "日期不能晚于今天", "The date cannot be in the future"))
    _check(problems)
    with transaction.atomic():
        refusal = TaskRefusal.objects.create(
            path=data.path,
            department=department,
            department_name=name[:100],
            what=data.what.strip()[:200],
            asked_on=data.asked_on or timezone.localdate(),  # checked above: never blank here
            recorded_by_id=actor.user_id,
            recorded_at=timezone.now(),
        )
        audit(actor, "task_refusal", "consultation_task_refusal", refusal.pk, data.path, department=name)
    return refusal
