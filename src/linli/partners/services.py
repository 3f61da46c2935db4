"""Writes of social organisations: one transaction each, validated (every field error named, in
Chinese and English; nothing saved with an error) and audited. Only the civil-affairs officer
(PARTNERS_EDIT through a staff role) writes, within their scope."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.accounts.domain import Role
from linli.accounts.selectors import active_postings, user_by_username
from linli.areas.selectors import org_unit_by_path, org_unit_list
from linli.core.actor import Actor
from linli.core.crypto import mask_phone, seal, unseal
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
from linli.core.ids import uuid_or_none
from linli.core.services import audit_record
from linli.partners.domain import (
    DEFAULT_SHEET,
    PREMISES_TRANSITIONS,
    CertificateLevel,
    OrgKind,
    OrgStatus,
    PremisesStatus,
    credit_code_problem,
    criteria_from_data,
    grade_for,
    normalise_credit_code,
    score_problems,
    sheet_problems,
    weighted_total,
)
from linli.partners.models import (
    EvaluationSheet,
    OrgEvaluation,
    OrgMember,
    Premises,
    SocialOrg,
    SocialWorker,
    SocialWorkStation,
)
from linli.partners.selectors import may_edit, social_org_get, station_get, worker_get

PHONE_CONTEXT = "partners.responsible_phone"
WORKER_PHONE_CONTEXT = "partners.worker_phone"
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
ORG_UNIT_KINDS = ("community", "village", "street", "district")


def _require_editor(actor: Actor) -> None:
    if not may_edit(actor):
        raise permission_denied()


def _text(value, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _date(value, field: str, label: tuple[str, str], errors: list[FieldError], *, required=False) -> date | None:
    if value in (None, ""):
        if required:
            errors.append(field_error(field, f"请填写{label[0]}", f"Enter the {label[1]}"))
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip().replace("/", "-")[:10])
    except ValueError:
        errors.append(
            field_error(
                field, f"{label[0]}应为日期，如 2024-03-01", f"The {label[1]} must be a date such as 2024-03-01"
            )
        )
        return None


def _phone(value, field: str, errors: list[FieldError], *, required: bool) -> str | None:
    """The phone without spaces, "" when blank and allowed, None (and an error) when bad."""
    phone = re.sub(r"[\s()]", "", str(value or ""))
    if not phone:
        if required:
            errors.append(field_error(field, "请填写联系电话", "Enter the phone number"))
            return None
        return ""
    if not PHONE_RE.match(phone):
        errors.append(
            field_error(
                field,
                "联系电话应为11位手机号或带区号的固定电话",
                "The phone must be an 11-digit mobile number or a landline with its area code",
            )
        )
        return None
    return phone


def _public_id(value, what: tuple[str, str]) -> uuid.UUID:
    key = uuid_or_none(value)
    if key is None:
        raise not_found(*what)
    return key


# ---- the register ------------------------------------------------------------------------------


@dataclass
class OrgInput:
    name: str
    kind: str
    status: str
    unit: str  # path of the community/village, street or district where based (the city's if citywide)
    responsible_name: str
    responsible_phone: str = ""  # blank on an update keeps the stored phone
    credit_code: str = ""
    name_en: str = ""
    citywide: bool = False
    premises: str = ""
    services: str = ""
    founded_on: date | str | None = None
    filed_on: date | str | None = None


def org_check(
    actor: Actor, data: OrgInput, *, existing: SocialOrg | None = None, codes_taken: set[str] | None = None
) -> tuple[dict, list[FieldError]]:
    """The organisation's fields as stored, or every field error. `codes_taken`: the credit codes
    already used, when the caller looked them up for many rows at once."""
    errors: list[FieldError] = []
    values: dict = {}
    name = _text(data.name, 101)
    if not name or len(name) > 100:
        errors.append(field_error("name", "名称必填，最多100字", "The name is required, at most 100 characters"))
    values["name"] = name
    values["name_en"] = _text(data.name_en, 160)
    kind = _text(data.kind, 20)
    if kind not in OrgKind.values:
        errors.append(
            field_error(
                "kind",
                "类别应为生活服务类、公益慈善类、救助帮扶类或居民互助类",
                "The kind must be life services, charity, relief or mutual aid",
            )
        )
    values["kind"] = kind
    status = _text(data.status, 20)
    code = normalise_credit_code(data.credit_code)
    if status not in OrgStatus.values:
        errors.append(field_error("status", "请选择登记或备案", "Choose registered or filed"))
    elif status == OrgStatus.REGISTERED:
        problem = credit_code_problem(code)
        if problem:
            errors.append(FieldError("credit_code", problem))
        else:
            if codes_taken is not None:
                used = code in codes_taken
            else:
                taken = SocialOrg.objects.filter(credit_code=code)
                if existing is not None:
                    taken = taken.exclude(pk=existing.pk)
                used = taken.exists()
            if used:
                errors.append(
                    field_error(
                        "credit_code", "该统一社会信用代码已在名录中", "This credit code is already on the register"
                    )
                )
    elif code:
        errors.append(
            field_error(
                "credit_code",
                "备案的组织没有统一社会信用代码；已登记的请选择“登记”",
                "A filed organisation has no credit code; choose registered if it has one",
            )
        )
    values["status"] = status
    values["credit_code"] = code if status == OrgStatus.REGISTERED else ""
    values["citywide"] = bool(data.citywide)
    values["unit_path"] = _org_unit(actor, _text(data.unit, 12), values["citywide"], errors)
    responsible = _text(data.responsible_name, 51)
    if not responsible or len(responsible) > 50:
        errors.append(field_error("responsible_name", "负责人姓名必填，最多50字", "The responsible person is required"))
    values["responsible_name"] = responsible
    phone = _phone(data.responsible_phone, "responsible_phone", errors, required=existing is None)
    if phone:
        values["responsible_phone"] = seal(phone, context=PHONE_CONTEXT)
        values["responsible_phone_masked"] = mask_phone(phone)
    values["premises"] = _text(data.premises, 200)
    values["services"] = _text(data.services, 2000)
    values["founded_on"] = _date(data.founded_on, "founded_on", ("成立日期", "founding date"), errors)
    values["filed_on"] = _date(data.filed_on, "filed_on", ("登记或备案日期", "registration or filing date"), errors)
    today = timezone.localdate()
    for field in ("founded_on", "filed_on"):
        if values[field] and values[field] > today:
            errors.append(field_error(field, "日期不能晚于今天", "The date cannot be in the future"))
    return values, errors


def _org_unit(actor: Actor, unit: str, citywide: bool, errors: list[FieldError]) -> str:
    found = org_unit_by_path(unit) if unit.isdigit() else None
    if found is None and len(unit) == 12 and unit.isdigit():  # a division code, as spreadsheets carry
        found = org_unit_list(actor=actor).filter(code=unit).first()
    allowed = ("city",) if citywide else ORG_UNIT_KINDS
    if found is None or found.kind not in allowed or not actor.sees_path(found.path):
        if citywide:
            errors.append(
                field_error(
                    "unit",
                    "全市性组织须由市级民政部门登记，所在单位选择本市",
                    "A citywide organisation is kept at the city: choose the city as where it is based",
                )
            )
        else:
            errors.append(
                field_error(
                    "unit",
                    "所在社区、街道或区县不存在或不在您的辖区",
                    "Where it is based: not found or outside your area",
                )
            )
        return unit
    return found.path


def social_org_save(*, actor: Actor, data: OrgInput, public_id=None) -> SocialOrg:
    """Create (no public_id) or update an organisation of the register."""
    _require_editor(actor)
    existing = None
    if public_id is not None:
        existing = _org_for_update(actor, public_id)
    values, errors = org_check(actor, data, existing=existing)
    if errors:
        raise validation_failed(errors)
    try:
        with transaction.atomic():
            if existing is None:
                org = SocialOrg.objects.create(**values)
                action = "partners.org.create"
            else:
                org = SocialOrg.objects.select_for_update().get(pk=existing.pk)
                for name, value in values.items():
                    setattr(org, name, value)
                org.save()
                action = "partners.org.update"
            audit_record(
                actor=actor,
                action=action,
                object_type="social_org",
                object_id=org.public_id,
                org_path=org.unit_path,
                details={"name": org.name, "kind": org.kind, "status": org.status},
            )
    except IntegrityError:  # the same credit code saved at the same moment
        raise validation_failed(
            [field_error("credit_code", "该统一社会信用代码已在名录中", "This credit code is already on the register")]
        ) from None
    return org


def _org_for_update(actor: Actor, public_id) -> SocialOrg:
    org = social_org_get(actor=actor, public_id=public_id)
    if not actor.sees_path(org.unit_path):  # a citywide one seen from a district is not theirs to edit
        raise permission_denied()
    return org


def social_org_deregister(*, actor: Actor, public_id, reason: str, on: date | None = None) -> SocialOrg:
    """Take an organisation off the active register (注销/撤销), with the reason. Its history stays."""
    _require_editor(actor)
    reason = _text(reason, 300)
    if not reason:
        raise validation_failed([field_error("reason", "请填写注销原因", "Give the reason for deregistering")])
    org = _org_for_update(actor, public_id)
    with transaction.atomic():
        org = SocialOrg.objects.select_for_update().get(pk=org.pk)
        if not org.active:
            raise conflict(Msg("该组织已注销", "This organisation is already deregistered"))
        org.active = False
        org.deregistered_on = on or timezone.localdate()
        org.deregistration_reason = reason
        org.save(update_fields=["active", "deregistered_on", "deregistration_reason", "updated_at"])
        OrgMember.objects.filter(social_org=org).delete()
        audit_record(
            actor=actor,
            action="partners.org.deregister",
            object_type="social_org",
            object_id=org.public_id,
            org_path=org.unit_path,
            reason=reason,
        )
    return org


def social_org_phone_reveal(*, actor: Actor, public_id, reason: str) -> str:
    """The responsible person's full phone, for the officer who keeps the register, with a reason."""
    _require_editor(actor)
    reason = _text(reason, 300)
    if not reason:
        raise validation_failed(
            [field_error("reason", "查看完整电话须填写事由", "Give a reason to see the full phone")]
        )
    org = social_org_get(actor=actor, public_id=public_id)
    audit_record(
        actor=actor,
        action="partners.org.phone_reveal",
        object_type="social_org",
        object_id=org.public_id,
        org_path=org.unit_path,
        reason=reason,
    )
    return unseal(org.responsible_phone, context=PHONE_CONTEXT)


# ---- accounts that speak for an organisation --------------------------------------------------------


def member_link(*, actor: Actor, public_id, username: str) -> OrgMember:
    _require_editor(actor)
    org = _org_for_update(actor, public_id)
    if not org.active:
        raise conflict(Msg("已注销的组织不能关联账号", "A deregistered organisation has no accounts"))
    user = user_by_username(_text(username, 150))
    if user is None or not active_postings(user.pk).filter(role=Role.ORGANISER).exists():
        raise validation_failed(
            [
                field_error(
                    "username",
                    "没有这个用户名的“组织负责人”账号（请先在账号管理中授予该角色）",
                    "No account with this username holds the organiser role (grant it under accounts first)",
                )
            ]
        )
    with transaction.atomic():
        member, created = OrgMember.objects.get_or_create(
            user=user, social_org=org, defaults={"linked_by": actor.shown_name}
        )
        if created:
            audit_record(
                actor=actor,
                action="partners.member.link",
                object_type="social_org",
                object_id=org.public_id,
                org_path=org.unit_path,
                details={"username": user.username},
            )
    return member


def member_unlink(*, actor: Actor, public_id, username: str) -> int:
    _require_editor(actor)
    org = _org_for_update(actor, public_id)
    with transaction.atomic():
        removed, _ = OrgMember.objects.filter(social_org=org, user__username=_text(username, 150)).delete()
        if not removed:
            raise not_found("组织账号", "Organisation account")
        audit_record(
            actor=actor,
            action="partners.member.unlink",
            object_type="social_org",
            object_id=org.public_id,
            org_path=org.unit_path,
            details={"username": username},
        )
    return removed


# ---- scoring sheets and yearly evaluations --------------------------------------------------------------


def sheet_ensure_default() -> EvaluationSheet:
    """The shipped default sheet (marked unverified) when the city has none yet."""
    sheet = EvaluationSheet.objects.filter(is_default=True).first()
    if sheet is None:
        sheet = EvaluationSheet.objects.create(
            name=DEFAULT_SHEET["name"],
            name_en=DEFAULT_SHEET["name_en"],
            criteria=DEFAULT_SHEET["criteria"],
            thresholds=DEFAULT_SHEET["thresholds"],
            is_default=True,
            verified=False,
            note="默认评分表，未与本市评估办法核对",
        )
    return sheet


def sheet_save(
    *, actor: Actor, sheet_id: int, name: str, criteria: list[dict], thresholds: list[list], verified: bool
) -> EvaluationSheet:
    """Edit a scoring sheet: the city's data, edited from the city."""
    _require_editor(actor)
    if not actor.citywide:
        raise permission_denied()
    problems = sheet_problems(criteria, thresholds)
    name = _text(name, 100)
    errors = [FieldError("criteria", problem) for problem in problems]
    if not name:
        errors.append(field_error("name", "请填写评分表名称", "Enter the sheet's name"))
    if errors:
        raise validation_failed(errors)
    with transaction.atomic():
        sheet = EvaluationSheet.objects.select_for_update().filter(pk=sheet_id).first()
        if sheet is None:
            raise not_found("评分表", "Scoring sheet")
        sheet.name = name
        sheet.criteria = criteria
        sheet.thresholds = [[str(grade), float(minimum)] for grade, minimum in thresholds]
        sheet.verified = verified
        sheet.save()
        audit_record(
            actor=actor,
            action="partners.sheet.update",
            object_type="evaluation_sheet",
            object_id=sheet.pk,
            details={"criteria": [c.get("key") for c in criteria], "verified": verified},
        )
    return sheet


def _points(value) -> Decimal | None:
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return points if points.is_finite() else None


def evaluation_record(
    *, actor: Actor, public_id, year: int, scores: dict[str, object], note: str = "", sheet_id: int | None = None
) -> OrgEvaluation:
    """Score an organisation for a year against a sheet: out-of-range or missing scores are
    refused naming the criterion; one evaluation per organisation and year."""
    _require_editor(actor)
    org = _org_for_update(actor, public_id)
    sheet = EvaluationSheet.objects.filter(pk=sheet_id).first() if sheet_id else sheet_ensure_default()
    if sheet is None:
        raise validation_failed([field_error("sheet", "评分表不存在", "No such scoring sheet")])
    criteria = criteria_from_data(sheet.criteria)
    errors: list[FieldError] = []
    this_year = timezone.localdate().year
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= this_year:
        errors.append(field_error("year", f"评估年度应在2000至{this_year}之间", f"The year must be 2000-{this_year}"))
    parsed: dict[str, Decimal] = {}
    for key, value in scores.items():
        if value in (None, ""):
            continue
        points = _points(value)
        if points is None:
            label = next((c for c in criteria if c.key == key), None)
            errors.append(
                field_error(
                    f"score_{key}",
                    f"“{label.name if label else key}”的得分应为数字",
                    f"{label.name_en if label else key}: the score must be a number",
                )
            )
            parsed[key] = Decimal(0)
        else:
            parsed[key] = points
    errors += [FieldError(f"score_{key}", message) for key, message in score_problems(criteria, parsed)]
    if errors:
        raise validation_failed(errors)
    total = weighted_total(criteria, parsed)
    grade = grade_for(total, sheet.thresholds)
    with transaction.atomic():
        org = SocialOrg.objects.select_for_update().get(pk=org.pk)
        if not org.active:
            raise conflict(Msg("已注销的组织不再评估", "A deregistered organisation is not evaluated"))
        if OrgEvaluation.objects.filter(social_org=org, year=year).exists():
            raise conflict(
                Msg(f"该组织{year}年度已评估，每年只评一次", f"This organisation was already evaluated for {year}")
            )
        evaluation = OrgEvaluation.objects.create(
            social_org=org,
            year=year,
            sheet=sheet,
            criteria=sheet.criteria,
            scores={c.key: str(parsed[c.key]) for c in criteria},
            total=total,
            grade=grade,
            note=_text(note, 300),
            evaluated_by=actor.shown_name,
        )
        if org.grade_year is None or year >= org.grade_year:
            org.grade, org.grade_year = grade, year
            org.save(update_fields=["grade", "grade_year", "updated_at"])
        audit_record(
            actor=actor,
            action="partners.evaluation.record",
            object_type="social_org",
            object_id=org.public_id,
            org_path=org.unit_path,
            details={"year": year, "total": str(total), "grade": grade},
        )
    return evaluation


# ---- social-work stations and social workers ----------------------------------------------------------


@dataclass
class StationInput:
    street: str  # the street's path
    name: str
    address: str = ""
    opened_on: date | str | None = None
    brand: bool = False
    brand_year: int | str | None = None
    brand_reason: str = ""


def station_save(*, actor: Actor, data: StationInput, public_id=None) -> SocialWorkStation:
    _require_editor(actor)
    existing = station_get(actor=actor, public_id=public_id) if public_id is not None else None
    errors: list[FieldError] = []
    street = org_unit_by_path(_text(data.street, 12)) if _text(data.street, 12).isdigit() else None
    if street is None or street.kind != "street" or not actor.sees_path(street.path):
        errors.append(field_error("street", "街道不存在或不在您的辖区", "Street not found or outside your area"))
    elif (
        SocialWorkStation.objects.filter(street_path=street.path)
        .exclude(pk__in=[existing.pk] if existing else [])
        .exists()
    ):
        errors.append(field_error("street", "该街道已有社工站", "This street already has a station"))
    name = _text(data.name, 101)
    if not name or len(name) > 100:
        errors.append(field_error("name", "名称必填，最多100字", "The name is required, at most 100 characters"))
    opened_on = _date(data.opened_on, "opened_on", ("启用日期", "opening date"), errors)
    brand_year = None
    brand_reason = _text(data.brand_reason, 300)
    if data.brand:
        try:
            brand_year = int(str(data.brand_year or "").strip())
        except ValueError:
            brand_year = None
        if brand_year is None or not 2000 <= brand_year <= timezone.localdate().year:
            errors.append(
                field_error("brand_year", "品牌社工站须填写认定年份", "Give the year it became a brand station")
            )
        if not brand_reason:
            errors.append(field_error("brand_reason", "品牌社工站须填写认定理由", "Say why it is a brand station"))
    if errors:
        raise validation_failed(errors)
    assert street is not None
    values = {
        "street_path": street.path,
        "name": name,
        "address": _text(data.address, 200),
        "opened_on": opened_on,
        "brand": bool(data.brand),
        "brand_year": brand_year if data.brand else None,
        "brand_reason": brand_reason if data.brand else "",
    }
    try:
        with transaction.atomic():
            if existing is None:
                station = SocialWorkStation.objects.create(**values)
            else:
                station = SocialWorkStation.objects.select_for_update().get(pk=existing.pk)
                for key, value in values.items():
                    setattr(station, key, value)
                station.save()
            audit_record(
                actor=actor,
                action="partners.station.create" if existing is None else "partners.station.update",
                object_type="social_work_station",
                object_id=station.public_id,
                org_path=station.street_path,
                details={"name": station.name, "brand": station.brand},
            )
    except IntegrityError:
        raise validation_failed(
            [field_error("street", "该街道已有社工站", "This street already has a station")]
        ) from None
    return station


@dataclass
class WorkerInput:
    name: str
    phone: str = ""  # blank on an update keeps the stored phone
    certificate_level: str = CertificateLevel.NONE
    certificate_number: str = ""
    since: date | str | None = None
    active: bool = True


def worker_save(*, actor: Actor, station_id, data: WorkerInput, public_id=None) -> SocialWorker:
    _require_editor(actor)
    station = station_get(actor=actor, public_id=station_id)
    existing = worker_get(actor=actor, public_id=public_id) if public_id is not None else None
    errors: list[FieldError] = []
    name = _text(data.name, 51)
    if not name or len(name) > 50:
        errors.append(field_error("name", "姓名必填，最多50字", "The name is required, at most 50 characters"))
    phone = _phone(data.phone, "phone", errors, required=False)
    level = _text(data.certificate_level, 20) or CertificateLevel.NONE
    if level not in CertificateLevel.values:
        errors.append(field_error("certificate_level", "证书等级无效", "Unknown certificate level"))
    number = _text(data.certificate_number, 40)
    if level != CertificateLevel.NONE and not number:
        errors.append(field_error("certificate_number", "有证书的请填写证书编号", "Enter the certificate number"))
    since = _date(data.since, "since", ("到站日期", "start date"), errors)
    if errors:
        raise validation_failed(errors)
    values: dict = {
        "station": station,
        "name": name,
        "certificate_level": level,
        "certificate_number": number if level != CertificateLevel.NONE else "",
        "since": since,
        "active": bool(data.active),
    }
    if phone:
        values["phone"] = seal(phone, context=WORKER_PHONE_CONTEXT)
        values["phone_masked"] = mask_phone(phone)
    with transaction.atomic():
        if existing is None:
            worker = SocialWorker.objects.create(**values)
        else:
            worker = SocialWorker.objects.select_for_update().get(pk=existing.pk)
            for key, value in values.items():
                setattr(worker, key, value)
            worker.save()
        audit_record(
            actor=actor,
            action="partners.worker.create" if existing is None else "partners.worker.update",
            object_type="social_worker",
            object_id=worker.public_id,
            org_path=station.street_path,
            details={"certificate_level": level, "active": worker.active},
        )
    return worker


# ---- premises ----------------------------------------------------------------------------------------


@dataclass
class PremisesInput:
    offerer: str
    address: str
    area_m2: Decimal | str | float | None
    term_from: date | str | None
    term_to: date | str | None
    unit: str  # where offered: a community, street or district in scope
    state_owned: bool = False
    conditions: str = ""


def premises_save(*, actor: Actor, data: PremisesInput, public_id=None) -> Premises:
    _require_editor(actor)
    existing = None
    if public_id is not None:
        key = _public_id(public_id, ("闲置场地", "Premises"))
        existing = actor.scoped(Premises.objects.all()).filter(public_id=key).first()
        if existing is None:
            raise not_found("闲置场地", "Premises")
    errors: list[FieldError] = []
    offerer = _text(data.offerer, 100)
    if not offerer:
        errors.append(field_error("offerer", "请填写提供场地的企业", "Enter the enterprise offering it"))
    address = _text(data.address, 200)
    if not address:
        errors.append(field_error("address", "请填写地址", "Enter the address"))
    area = _points(data.area_m2) if data.area_m2 not in (None, "") else None
    if area is None or area <= 0 or area >= Decimal("1e7"):
        errors.append(
            field_error("area_m2", "面积必填，须为正数（平方米）", "The area is required, a positive number (m²)")
        )
    term_from = _date(data.term_from, "term_from", ("使用期限起", "start of the term"), errors, required=True)
    term_to = _date(data.term_to, "term_to", ("使用期限止", "end of the term"), errors, required=True)
    if term_from and term_to and term_to < term_from:
        errors.append(field_error("term_to", "期限止不能早于期限起", "The term cannot end before it starts"))
    unit = org_unit_by_path(_text(data.unit, 12)) if _text(data.unit, 12).isdigit() else None
    if unit is None or unit.kind not in ORG_UNIT_KINDS or not actor.sees_path(unit.path):
        errors.append(field_error("unit", "所在单位不存在或不在您的辖区", "Area not found or outside yours"))
    if errors:
        raise validation_failed(errors)
    assert unit is not None and area is not None
    values: dict[str, object] = {
        "offerer": offerer,
        "state_owned": bool(data.state_owned),
        "address": address,
        "area_m2": area.quantize(Decimal("0.1")),
        "term_from": term_from,
        "term_to": term_to,
        "conditions": _text(data.conditions, 300),
    }
    with transaction.atomic():
        if existing is None:
            premises = Premises.objects.create(path=unit.path, **values)
        else:
            premises = Premises.objects.select_for_update().get(pk=existing.pk)
            for field_name, value in values.items():
                setattr(premises, field_name, value)
            if premises.status == PremisesStatus.OFFERED:
                premises.path = unit.path
            premises.save()
        audit_record(
            actor=actor,
            action="partners.premises.create" if existing is None else "partners.premises.update",
            object_type="premises",
            object_id=premises.public_id,
            org_path=premises.path,
            details={"offerer": offerer, "state_owned": premises.state_owned},
        )
    return premises


def premises_transition(
    *,
    actor: Actor,
    public_id,
    to: str,
    community: str = "",
    use: str = "",
    opened_on: date | str | None = None,
    reason: str = "",
) -> Premises:
    """Offered → in use (which community, what for, opened) or → returned (with a reason)."""
    _require_editor(actor)
    key = _public_id(public_id, ("闲置场地", "Premises"))
    errors: list[FieldError] = []
    with transaction.atomic():
        premises = actor.scoped(Premises.objects.select_for_update()).filter(public_id=key).first()
        if premises is None:
            raise not_found("闲置场地", "Premises")
        if to not in PremisesStatus.values or to not in PREMISES_TRANSITIONS[PremisesStatus(premises.status)]:
            raise conflict(Msg("场地当前状态下不能这样变更", "The premises cannot change to that state now"))
        if to == PremisesStatus.IN_USE:
            unit = org_unit_by_path(_text(community, 12)) if _text(community, 12).isdigit() else None
            if unit is None or unit.kind not in ("community", "village") or not actor.sees_path(unit.path):
                errors.append(
                    field_error(
                        "community", "请选择您辖区内使用该场地的社区", "Choose the community in your area using it"
                    )
                )
            use = _text(use, 200)
            if not use:
                errors.append(field_error("use", "请填写用途", "Say what it is used for"))
            opened = _date(opened_on, "opened_on", ("启用日期", "opening date"), errors, required=True)
            if errors:
                raise validation_failed(errors)
            assert unit is not None
            premises.community_path = unit.path
            premises.path = unit.path
            premises.use = use
            premises.opened_on = opened
        else:
            reason = _text(reason, 300)
            if not reason:
                raise validation_failed([field_error("reason", "请填写退还原因", "Give the reason it is returned")])
        premises.status = to
        premises.save()
        audit_record(
            actor=actor,
            action=f"partners.premises.{to}",
            object_type="premises",
            object_id=premises.public_id,
            org_path=premises.path,
            reason=reason,
        )
    return premises


# ---- fast paths for many rows at once (the demo, a city's first load) ---------------------------------


def social_orgs_bulk_register(*, actor: Actor, items: list[OrgInput], batch_size: int = 1000) -> list[SocialOrg]:
    """Put many organisations on the register at once: each row checked exactly as `social_org_save`
    checks it (credit codes against the register and each other in one query), all saved or none,
    one audit line for the batch."""
    _require_editor(actor)
    codes = [normalise_credit_code(item.credit_code) for item in items if item.status == OrgStatus.REGISTERED]
    taken = set(SocialOrg.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True))
    seen: set[str] = set()
    rows: list[SocialOrg] = []
    for line, item in enumerate(items, start=1):
        values, errors = org_check(actor, item, codes_taken=taken | seen)
        if errors:
            raise DomainError(
                Msg(f"第{line}条有误", f"Item {line} is invalid"), code="validation_failed", fields=errors, status=422
            )
        if values["credit_code"]:
            seen.add(values["credit_code"])
        rows.append(SocialOrg(**values))
    with transaction.atomic():
        created = SocialOrg.objects.bulk_create(rows, batch_size=batch_size)
        audit_record(
            actor=actor,
            action="partners.org.bulk_create",
            object_type="social_org",
            details={"count": len(created)},
        )
    return created


def evaluations_bulk_record(
    *, actor: Actor, year: int, scores_by_org: dict[int, dict[str, object]], batch_size: int = 1000
) -> int:
    """Score many organisations (by row id, already in the actor's scope) for one year against
    the default sheet: the same checks as `evaluation_record`, all saved or none."""
    _require_editor(actor)
    sheet = sheet_ensure_default()
    criteria = criteria_from_data(sheet.criteria)
    orgs = {
        org.pk: org
        for org in actor.scoped(SocialOrg.objects.filter(pk__in=list(scores_by_org), active=True), "unit_path")
    }
    done = set(
        OrgEvaluation.objects.filter(year=year, social_org_id__in=list(orgs)).values_list("social_org_id", flat=True)
    )
    evaluations, graded = [], []
    for org_id, raw in scores_by_org.items():
        org = orgs.get(org_id)
        if org is None or org_id in done:
            continue
        parsed = {key: _points(value) or Decimal(0) for key, value in raw.items()}
        problems = score_problems(criteria, parsed)
        if problems:
            raise validation_failed([FieldError(f"score_{key}", message) for key, message in problems])
        total = weighted_total(criteria, parsed)
        grade = grade_for(total, sheet.thresholds)
        evaluations.append(
            OrgEvaluation(
                social_org=org,
                year=year,
                sheet=sheet,
                criteria=sheet.criteria,
                scores={c.key: str(parsed[c.key]) for c in criteria},
                total=total,
                grade=grade,
                evaluated_by=actor.shown_name,
            )
        )
        if org.grade_year is None or year >= org.grade_year:
            org.grade, org.grade_year = grade, year
            graded.append(org)
    with transaction.atomic():
        OrgEvaluation.objects.bulk_create(evaluations, batch_size=batch_size)
        SocialOrg.objects.bulk_update(graded, ["grade", "grade_year"], batch_size=batch_size)
        audit_record(
            actor=actor,
            action="partners.evaluation.bulk_record",
            object_type="org_evaluation",
            details={"year": year, "count": len(evaluations)},
        )
    return len(evaluations)


def workers_bulk_add(*, actor: Actor, station: SocialWorkStation, items: list[WorkerInput]) -> int:
    """Add several social workers to a station the caller got through `station_get`."""
    _require_editor(actor)
    rows = []
    for item in items:
        errors: list[FieldError] = []
        phone = _phone(item.phone, "phone", errors, required=False)
        level = item.certificate_level
        if not _text(item.name, 50) or level not in CertificateLevel.values:
            errors.append(field_error("name", "姓名或证书等级无效", "Invalid name or certificate level"))
        since = _date(item.since, "since", ("到站日期", "start date"), errors)
        if errors:
            raise validation_failed(errors)
        rows.append(
            SocialWorker(
                station=station,
                name=_text(item.name, 50),
                phone=seal(phone, context=WORKER_PHONE_CONTEXT) if phone else "",
                phone_masked=mask_phone(phone) if phone else "",
                certificate_level=level,
                certificate_number=_text(item.certificate_number, 40) if level != CertificateLevel.NONE else "",
                since=since,
                active=item.active,
            )
        )
    with transaction.atomic():
        SocialWorker.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            action="partners.worker.bulk_create",
            object_type="social_work_station",
            object_id=station.public_id,
            org_path=station.street_path,
            details={"count": len(rows)},
        )
    return len(rows)
