"""Writes of the service desk. Every state change goes through `case_transition`: the case row
is locked, the transition table says whether the action may start from the current state, the
actor's permission and path are checked, the change and one timeline event are written in one
transaction, audited, and the people concerned are notified after the commit."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone, translation

from linli.accounts.domain import CATALOGUE_EDIT, DESK_ACCEPT, DESK_APPLY, DESK_DECIDE
from linli.areas.domain import DepartmentKind
from linli.areas.selectors import department_for, org_unit_by_path
from linli.core.actor import Actor
from linli.core.crypto import seal_bytes, unseal_bytes
from linli.core.errors import DomainError, FieldError, Msg, conflict, not_found, permission_denied, validation_failed
from linli.core.files import sniffed_type
from linli.core.ids import uuid7, uuid_or_none
from linli.core.notify import notify
from linli.core.services import audit_record, heartbeat_record
from linli.residents.selectors import ApplicantCard, applicant_by_ref, applicant_for_user
from linli.service_desk.domain import (
    APPLICANT_ACTIONS,
    DECISION_WORDS,
    DEFAULT_PROMISED_DAYS,
    DUE_SOON_WORKING_DAYS,
    FORM_MAX_BYTES,
    FORM_ZIP_PARTS,
    GUIDE_STEPS_MAX,
    GUIDE_TEXT_MAX,
    HANDOFF_HOLDER,
    HANDOFF_NEXT,
    LEVEL_PATH_LENGTH,
    NOTICE_WORKING_DAYS,
    NOTICES,
    OPEN_STATES,
    PHONE_RE,
    RATING_INVITE_AFTER_DAYS,
    REAPPLY_STATES,
    RESIDENT_CHANNELS,
    RUNNING_STATES,
    STAFF_CHANNELS,
    UPLOAD_MAX_BYTES,
    UPLOAD_TYPES,
    CaseState,
    Category,
    Channel,
    DecidingLevel,
    Decision,
    DeliveryMethod,
    FollowUpMethod,
    HandoffStep,
    ItemType,
    Material,
    MaterialStatus,
    ProxyConsentMethod,
    RatingChannel,
    RectificationState,
    RectificationVerdict,
    Transition,
    add_years,
    case_number,
    is_bad_rating,
    materials_from_text,
    notice_number,
    parse_time_limit,
    reference_note,
    transition_for,
)
from linli.service_desk.handlers import HANDLED_ACTIONS, HandledCase, desk_handler_for
from linli.service_desk.models import (
    ArchiveRecord,
    CaseEvent,
    CaseMaterial,
    CaseNumberCounter,
    CaseRating,
    DeskDayFigures,
    FileHandoff,
    FollowUp,
    MaterialsNotice,
    ProxyConsent,
    Rectification,
    ServiceCase,
    ServiceItem,
    ServiceItemVersion,
    ServiceWindow,
)
from linli.service_desk.selectors import (
    FIGURES_JOB,
    UPLOADED_FORM_PREFIX,
    case_path_for,
    catalogue_form_path,
    catalogue_forms_dir,
    current_version,
    is_applicant,
    may_act,
    one_time_notice,
    version_materials,
)
from linli.workdays.domain import WorkCalendar
from linli.workdays.selectors import work_calendar


def _require(actor: Actor, permission: str) -> None:
    if not actor.has_perm(permission):
        raise permission_denied()


# ================================================================ catalogue


@dataclass
class ItemInput:
    code: str
    name: str
    item_type: str = "20"
    deciding_level: str = DecidingLevel.DISTRICT
    department_kind: str = ""
    promised_days: int = DEFAULT_PROMISED_DAYS
    legal_days: int | None = None
    limits_verified: bool = False
    conditions: str = ""
    materials: list[dict] = field(default_factory=list)
    channels: list[str] = field(default_factory=lambda: list(Channel.values))
    citywide: bool = True
    allows_deferral: bool = True
    fee: str = ""
    retention_years: int = 10
    source: str = ""
    # the guide: English name, theme, search words, steps, legal basis, questions, phone, forms
    name_en: str = ""
    category: str = ""
    keywords: str = ""
    steps: list[dict] = field(default_factory=list)
    legal_basis: str = ""
    faq: list[dict] = field(default_factory=list)
    phone: str = ""
    forms: list[dict] = field(default_factory=list)

    def content(self) -> dict:
        values = dict(self.__dict__)
        values.pop("code")
        return values


ITEM_TYPES = frozenset(ItemType.values)


def item_input_problems(data: ItemInput) -> list[FieldError]:
    problems: list[FieldError] = []

    def bad(name: str, zh: str, en: str) -> None:
        problems.append(FieldError(name, Msg(zh, en)))

    if not data.code.strip() or len(data.code) > 32:
        bad("code", "事项编码必填，最多 32 个字符", "code is required, at most 32 characters")
    if not data.name.strip() or len(data.name) > 200:
        bad("name", "事项名称必填，最多 200 个字符", "name is required, at most 200 characters")
    if data.item_type not in ITEM_TYPES:
        bad("item_type", "事项类型代码无效", "unknown item type code")
    if data.deciding_level not in DecidingLevel.values:
        bad("deciding_level", "办理层级应为社区、街道、区县或市", "level must be community, street, district or city")
    if data.department_kind and data.department_kind not in DepartmentKind.values:
        bad("department_kind", "承办部门类型无效", "unknown department kind")
    if data.deciding_level in {DecidingLevel.DISTRICT, DecidingLevel.CITY} and not data.department_kind:
        bad("department_kind", "区县级和市级事项须指定承办部门", "district and city items need a department")
    if not 0 <= data.promised_days <= 365:
        bad("promised_days", "承诺时限应在 0–365 个工作日之间", "promised limit must be 0–365 working days")
    if data.legal_days is not None and not data.promised_days <= data.legal_days <= 365:
        bad("legal_days", "法定时限不能短于承诺时限", "legal limit cannot be shorter than the promised one")
    unknown = set(data.channels) - set(Channel.values)
    if not data.channels or unknown:
        bad("channels", "请选择至少一个有效的办理渠道", "choose at least one valid channel")
    keys = [m.get("key") for m in data.materials]
    if len(set(keys)) != len(keys) or not all(keys) or not all(str(m.get("name", "")).strip() for m in data.materials):
        bad("materials", "每项材料须有唯一编号和名称", "every material needs a unique key and a name")
    if not 1 <= data.retention_years <= 100:
        bad("retention_years", "档案保存年限应在 1–100 年之间", "retention must be 1–100 years")
    problems.extend(guide_problems(data))
    return problems


def guide_problems(data: ItemInput) -> list[FieldError]:
    """What residents read about an item: a known theme, a dialable phone number, steps and
    questions of sensible length, and forms whose files the catalogue holds."""
    problems: list[FieldError] = []

    def bad(name: str, zh: str, en: str) -> None:
        problems.append(FieldError(name, Msg(zh, en)))

    if len(data.name_en) > 200:
        bad("name_en", "英文名称最多 200 个字符", "the English name is at most 200 characters")
    if data.category and data.category not in Category.values:
        bad("category", f"未知的事项分类「{data.category}」", f"unknown theme {data.category!r}")
    if len(data.keywords) > 500:
        bad("keywords", "关键词最多 500 个字符", "keywords are at most 500 characters")
    if data.phone and not PHONE_RE.match(data.phone):
        bad("phone", f"咨询电话「{data.phone}」不是有效号码", f"contact phone {data.phone!r} is not a phone number")
    if len(data.steps) > GUIDE_STEPS_MAX or not all(str(s.get("name", "")).strip() for s in data.steps):
        bad("steps", f"办理流程最多 {GUIDE_STEPS_MAX} 步，每步须有名称", f"at most {GUIDE_STEPS_MAX} steps, each named")
    if not all(str(q.get("q", "")).strip() and str(q.get("a", "")).strip() for q in data.faq):
        bad("faq", "每个常见问题须有问题和回答", "every common question needs a question and an answer")
    texts = [data.legal_basis, *(str(v) for q in data.faq for v in q.values())]
    if any(len(text) > GUIDE_TEXT_MAX for text in texts):
        bad("faq", f"设定依据和每个问答最多 {GUIDE_TEXT_MAX} 个字符", f"texts are at most {GUIDE_TEXT_MAX} characters")
    for form in data.forms:
        if not str(form.get("name", "")).strip() or catalogue_form_path(str(form.get("file", ""))) is None:
            bad("forms", f"表格文件「{form.get('file', '')}」不存在", f"form file {form.get('file', '')!r} not found")
    return problems


# ---------------------------------------------------------------- forms to download


def form_file_type(data: bytes) -> str | None:
    """The extension (pdf, docx, xlsx) the content is, judged by the content, never the name."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        return next((kind for kind, part in FORM_ZIP_PARTS.items() if part in names), None)
    return None


def catalogue_form_store(*, actor: Actor, name: str, name_en: str, data: bytes) -> dict:
    """Keep a form a catalogue editor uploaded (named by its content's hash, so the same file is
    kept once) and return its entry for an item's `forms`; saving the item makes it visible."""
    _require(actor, CATALOGUE_EDIT)
    kind = form_file_type(data)
    problem = None
    if not data:
        problem = Msg("文件是空的", "The file is empty")
    elif len(data) > FORM_MAX_BYTES:
        problem = Msg("表格文件不能超过 5 MB", "A form file must be at most 5 MB")
    elif kind is None:
        problem = Msg("只接受 PDF、Word（docx）或 Excel（xlsx）表格", "Only PDF, Word (docx) or Excel (xlsx) forms")
    elif not name.strip() or len(name) > 100:
        problem = Msg("请填写表格名称（最多 100 个字符）", "Give the form a name (at most 100 characters)")
    if problem:
        raise validation_failed([FieldError("form_file", problem)])
    stored = f"{hashlib.sha256(data).hexdigest()}.{kind}"
    folder = catalogue_forms_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / stored).exists():
        (folder / stored).write_bytes(data)
    audit_record(actor=actor, action="catalogue.form", object_type="catalogue_form", object_id=stored, details={})
    return {"name": name.strip(), "name_en": name_en.strip(), "file": UPLOADED_FORM_PREFIX + stored}


def _normalised_materials(materials: list[dict]) -> list[dict]:
    return [
        Material(
            key=str(m["key"]),
            name=str(m["name"]).strip(),
            required=bool(m.get("required", True)),
            original=bool(m.get("original", False)),
            pool_held=bool(m.get("pool_held", False)),
            deferrable=bool(m.get("deferrable", False)),
            name_en=str(m.get("name_en", "")).strip(),
        ).as_dict()
        for m in materials
    ]


@transaction.atomic
def item_version_save(*, actor: Actor, data: ItemInput) -> tuple[ServiceItemVersion, bool]:
    """Create the item or its next version. Unchanged content creates nothing (returns False),
    so re-importing the same file is harmless; cases keep the version they started with."""
    _require(actor, CATALOGUE_EDIT)
    problems = item_input_problems(data)
    if problems:
        raise validation_failed(problems)
    data.materials = _normalised_materials(data.materials)
    item, _created = ServiceItem.objects.select_for_update().get_or_create(code=data.code.strip())
    content = data.content()
    current = item.current
    if current is not None and all(getattr(current, k) == v for k, v in content.items()):
        return current, False
    version = ServiceItemVersion.objects.create(
        item=item, version=(current.version + 1 if current else 1), created_by=actor.username, **content
    )
    ServiceItem.objects.filter(pk=item.pk).update(current=version, is_active=True)
    current_version.forget()
    audit_record(
        actor=actor,
        action="catalogue.version",
        object_type="service_item",
        object_id=item.code,
        details={"version": version.version},
    )
    return version, True


@transaction.atomic
def item_active_set(*, actor: Actor, code: str, active: bool, reason: str = "") -> None:
    """Withdraw an item from the catalogue (residents no longer find it; running cases go on) or
    put it back. Withdrawing needs a reason, kept in the audit log."""
    _require(actor, CATALOGUE_EDIT)
    reason = reason.strip()
    if not active and not reason:
        raise validation_failed([FieldError("reason", Msg("请填写撤下事项的原因", "Give the reason for withdrawing"))])
    if not ServiceItem.objects.filter(code=code).update(is_active=active):
        raise not_found("服务事项", "Service item")
    current_version.forget()
    audit_record(
        actor=actor,
        action="catalogue.active",
        object_type="service_item",
        object_id=code,
        reason=reason[:500],
        details={"active": active},
    )


# Which deciding level and department the reference catalogue's "responsible_dept" text means.
# First match wins; the texts are free Chinese, so this is the editable reading, not a law.
DEPARTMENT_WORDS: list[tuple[str, str, str]] = [
    ("居/村委会", DecidingLevel.COMMUNITY, ""),
    # delegated to the street office (e.g. 低保 审核确认 "可委托街道"), or a street-level office
    ("街道", DecidingLevel.STREET, ""),
    ("司法所", DecidingLevel.STREET, ""),
    ("残联", DecidingLevel.DISTRICT, DepartmentKind.DISABLED_PERSONS),
    ("民政", DecidingLevel.DISTRICT, DepartmentKind.CIVIL_AFFAIRS),
    ("医保", DecidingLevel.DISTRICT, DepartmentKind.MEDICAL_INSURANCE),
    ("人社", DecidingLevel.DISTRICT, DepartmentKind.HUMAN_RESOURCES),
    ("卫健", DecidingLevel.DISTRICT, DepartmentKind.HEALTH),
    ("公安", DecidingLevel.DISTRICT, DepartmentKind.POLICE),
    ("司法", DecidingLevel.DISTRICT, DepartmentKind.JUSTICE),
    ("退役军人", DecidingLevel.DISTRICT, DepartmentKind.VETERANS),
    ("住建", DecidingLevel.DISTRICT, DepartmentKind.HOUSING),
]
REFERENCE_COLUMNS = [
    "seq",
    "item_name",
    "item_type_code",
    "responsible_dept",
    "promised_time_limit",
    "required_materials",
]
ITEM_CODE_PREFIX = "SQ"
# Chinese headers a district may use instead of the reference file's English ones.
CHINESE_HEADERS = {
    "序号": "seq",
    "事项名称": "item_name",
    "英文名称": "item_name_en",
    "分类": "category",
    "主题分类": "category",
    "关键词": "keywords",
    "事项类型代码": "item_type_code",
    "事项类型": "item_type",
    "责任部门": "responsible_dept",
    "实施主体": "responsible_dept",
    "社区职责": "community_role",
    "承诺时限": "promised_time_limit",
    "法定时限": "legal_time_limit",
    "申请材料": "required_materials",
    "英文申请材料": "required_materials_en",
    "备注": "notes",
    "来源": "source_or_status",
    "办理流程": "steps",
    "英文办理流程": "steps_en",
    "设定依据": "legal_basis",
    "常见问题": "faq",
    "英文常见问题": "faq_en",
    "咨询电话": "phone",
    "表格下载": "forms",
}
STEP_SPLIT_RE = re.compile(r"\s*(?:→|->|；|;)\s*")
LIST_SPLIT_RE = re.compile(r"\s*[；;]\s*")


@dataclass
class CatalogueImportResult:
    created: int = 0
    new_versions: int = 0
    unchanged: int = 0
    skipped: list[tuple[int, Msg]] = field(default_factory=list)
    rejected: list[tuple[int, Msg]] = field(default_factory=list)


def catalogue_import(*, actor: Actor, text: str) -> CatalogueImportResult:
    """Load the reference catalogue CSV (`community_service_items.csv`): good rows are saved, each
    bad row comes back with its line number and reason, and a row that is a work order rather
    than an item (no item type) is skipped with a note."""
    _require(actor, CATALOGUE_EDIT)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames:
        reader.fieldnames = [CHINESE_HEADERS.get(name.strip(), name.strip()) for name in reader.fieldnames]
    missing = [c for c in REFERENCE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise validation_failed(
            [FieldError("file", Msg(f"缺少列：{', '.join(missing)}", f"missing columns: {', '.join(missing)}"))]
        )
    result = CatalogueImportResult()
    rows = list(reader)
    by_seq = {row["seq"].strip(): row for row in rows}
    for line, row in enumerate(rows, start=2):
        data, problem = _reference_item(row, by_seq)
        if data is None:
            result.skipped.append((line, problem))
            continue
        guide_problem = _reference_guide(row, data)
        if guide_problem:
            result.rejected.append((line, guide_problem))
            continue
        try:
            version, changed = item_version_save(actor=actor, data=data)
        except DomainError as error:
            result.rejected.append((line, error.fields[0].message if error.fields else error.message))
            continue
        if not changed:
            result.unchanged += 1
        elif version.version == 1:
            result.created += 1
        else:
            result.new_versions += 1
    return result


def _reference_item(row: dict, by_seq: dict[str, dict]) -> tuple[ItemInput | None, Msg]:
    seq = (row.get("seq") or "").strip()
    if not seq.isdigit():
        return None, Msg("序号不是数字", "seq is not a number")
    if not (row.get("item_type_code") or "").strip():
        return None, Msg("非服务事项（工单），不导入目录", "not a service item (a work order); not imported")
    dept_text = row.get("responsible_dept") or ""
    for word, word_level, word_kind in DEPARTMENT_WORDS:
        if word in dept_text:
            level, kind = word_level, word_kind
            break
    else:
        return None, Msg(f"无法识别承办部门「{dept_text}」", f"cannot tell the department from {dept_text!r}")
    promised = parse_time_limit(row.get("promised_time_limit", ""))
    legal = parse_time_limit(row.get("legal_time_limit", ""))
    materials_text = row.get("required_materials") or ""
    if materials_text.startswith("同") and "低保" in materials_text:  # "同低保 (+ …)": same as item 1
        extra = materials_text.partition("+")[2]
        materials_text = "；".join(filter(None, [by_seq.get("1", {}).get("required_materials", ""), extra.strip()]))
    promised_days = promised.days if promised else DEFAULT_PROMISED_DAYS
    legal_days = max(legal.days, promised_days) if legal else None
    data = ItemInput(
        code=f"{ITEM_CODE_PREFIX}{int(seq):03d}",
        name=row["item_name"].strip(),
        item_type=row["item_type_code"].strip(),
        deciding_level=level,
        department_kind=kind,
        promised_days=promised_days,
        legal_days=legal_days,
        limits_verified=bool(promised and promised.verified),
        conditions="；".join(
            filter(None, [(row.get("community_role") or "").strip(), reference_note(row.get("notes") or "")])
        ),
        materials=[m.as_dict() for m in materials_from_text(materials_text)],
        source=(row.get("source_or_status") or "").strip()[:2000],
    )
    return data, Msg("", "")


def _reference_guide(row: dict, data: ItemInput) -> Msg | None:
    """Fill the guide columns of a reference row into `data`; a problem comes back as the row's
    reason (English lists that do not pair with the Chinese ones, an unknown theme)."""
    cell = {key: (value or "").strip() for key, value in row.items() if isinstance(key, str)}
    data.name_en = cell.get("item_name_en", "")
    data.keywords = cell.get("keywords", "")
    data.legal_basis = cell.get("legal_basis", "")
    data.phone = cell.get("phone", "")
    category = cell.get("category", "")
    data.category = _category_code(category)
    if category and not data.category:
        return Msg(f"未知的事项分类「{category}」", f"unknown theme {category!r}")
    names_en = [n for n in LIST_SPLIT_RE.split(cell.get("required_materials_en", "")) if n]
    if names_en and len(names_en) != len(data.materials):
        return Msg(
            f"英文材料 {len(names_en)} 项，中文材料 {len(data.materials)} 项，应一一对应",
            f"{len(names_en)} English materials for {len(data.materials)} Chinese ones; they must pair",
        )
    for material, name_en in zip(data.materials, names_en, strict=False):
        material["name_en"] = name_en
    steps, problem = _paired(cell.get("steps", ""), cell.get("steps_en", ""), STEP_SPLIT_RE, "办理流程", "steps")
    if problem:
        return problem
    data.steps = [{"name": zh, "name_en": en} for zh, en in steps]
    pairs, problem = _paired(cell.get("faq", ""), cell.get("faq_en", ""), re.compile(r"\s*\|\s*"), "常见问题", "faq")
    if problem:
        return problem
    data.faq = []
    for zh, en in pairs:
        q, mark, a = zh.partition("？")
        q_en, mark_en, a_en = en.partition("?")
        if not mark or not a.strip() or (en and (not mark_en or not a_en.strip())):
            return Msg(
                f"常见问题「{zh[:20]}」应写成“问题？回答”", f"common question {zh[:20]!r} must read 'question? answer'"
            )
        data.faq.append({"q": q + mark, "a": a.strip(), "q_en": q_en + mark_en if en else "", "a_en": a_en.strip()})
    data.forms = []
    for entry in LIST_SPLIT_RE.split(cell.get("forms", "")):
        if entry:
            file, _bar, names = entry.partition("|")
            name, _bar, name_en = names.partition("|")
            data.forms.append({"name": name.strip() or file.strip(), "name_en": name_en.strip(), "file": file.strip()})
    return None


def _category_code(text: str) -> str:
    """A theme given by its code (elderly) or its Chinese or English name (养老服务)."""
    if text in Category.values:
        return text
    for choice in Category:
        names = set()
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(str(choice.label).lower())
        if text.lower() in names:
            return choice.value
    return ""


def _paired(zh_text: str, en_text: str, split: re.Pattern, zh_name: str, en_name: str):
    """Split a Chinese cell and its English cell alike; the English may be empty (shown in Chinese)."""
    zh = [part for part in split.split(zh_text) if part]
    en = [part for part in split.split(en_text) if part]
    if en and len(en) != len(zh):
        return [], Msg(
            f"英文{zh_name} {len(en)} 项，中文 {len(zh)} 项，应一一对应",
            f"{len(en)} English {en_name} for {len(zh)} Chinese ones; they must pair",
        )
    return list(zip(zh, en or [""] * len(zh), strict=True)), None


# ================================================================ routing and numbering


@dataclass(frozen=True)
class Route:
    handling_path: str
    department_id: int | None


def case_route(version: ServiceItemVersion, home_path: str) -> Route:
    """The deciding unit follows the item's level and the applicant's home, not the window:
    a street item accepted anywhere goes to the applicant's own street."""
    path = home_path[: LEVEL_PATH_LENGTH[DecidingLevel(version.deciding_level)]]
    if org_unit_by_path(path) is None:
        raise DomainError(
            Msg("申请人住址不在本市区划内，无法确定办理单位", "The applicant's home is outside the city's divisions"),
            code="applicant_outside_city",
        )
    if not version.department_kind:
        return Route(path, None)
    department = department_for(unit_path=path, kind=version.department_kind)
    if department is None:
        raise DomainError(
            Msg(
                "该事项在申请人所在区县没有配置承办部门，请联系管理员",
                "No deciding department is configured for this item in the applicant's district",
            ),
            code="routing_unconfigured",
        )
    return Route(path, department.pk)


# One statement instead of UPDATE then SELECT (SQLite ≥ 3.35 and PostgreSQL both RETURN).
NEXT_NUMBER_SQL = "UPDATE service_desk_casenumbercounter SET last = last + 1 WHERE prefix = %s RETURNING last"


def number_next(prefix: str) -> int:
    """Draw the next number of a sequence (a district's cases of a day, its grid events of a day)
    in one statement. The UPDATE locks the counter row until the transaction ends, so two
    windows never draw the same number; callers draw it as late as they can."""
    with connection.cursor() as cursor:
        cursor.execute(NEXT_NUMBER_SQL, [prefix])
        row = cursor.fetchone()
        if row is None:  # the sequence's first number
            try:
                with transaction.atomic():
                    CaseNumberCounter.objects.create(prefix=prefix, last=1)
                row = (1,)
            except IntegrityError:  # another transaction created it first
                cursor.execute(NEXT_NUMBER_SQL, [prefix])
                row = cursor.fetchone()
    return row[0]


def _next_case_number(district_code: str, day: date) -> str:
    return case_number(district_code, day, number_next(f"{district_code}{day:%Y%m%d}"))


# ================================================================ intake


@dataclass
class ProxyInput:
    method: str
    reason: str
    valid_until: date


@dataclass
class IntakeInput:
    item_code: str
    channel: str
    applicant_ref: str = ""  # from an applicant lookup (staff); a resident applies as themself
    desk_path: str = ""  # the community whose window accepts (staff)
    checklist: dict[str, str] = field(default_factory=dict)
    deferred_until: date | None = None
    answers: dict[str, str] = field(default_factory=dict)
    proxy: ProxyInput | None = None
    home_visit_at: datetime | None = None


def _item_version(code: str) -> ServiceItemVersion:
    version = current_version(code)
    if version is None:
        raise validation_failed(
            [FieldError("item_code", Msg("目录中没有这个服务事项", "No such item in the catalogue"))]
        )
    return version


def _check_channel(version: ServiceItemVersion, channel: str, allowed: frozenset[str]) -> None:
    if channel not in allowed or channel not in version.channels:
        raise validation_failed(
            [FieldError("channel", Msg("该事项不能通过此渠道办理", "This item cannot be handled through this channel"))]
        )


def _checklist_problems(
    version: ServiceItemVersion, data: IntakeInput, today: date, *, complete: bool = True
) -> list[FieldError]:
    """Every material must be known, and (when `complete`) every required one provided, held by
    the pool, or — where the item and the material allow it — promised for later (容缺) with a
    date. An online application may come incomplete: the front desk checks it before accepting."""
    problems: list[FieldError] = []
    materials = {m.key: m for m in version_materials(version)}
    for key, status in data.checklist.items():
        if key not in materials or status not in MaterialStatus.values:
            problems.append(FieldError(f"checklist.{key}", Msg("未知的材料或状态", "Unknown material or status")))
    deferred = [k for k, s in data.checklist.items() if s == MaterialStatus.DEFERRED and k in materials]
    for key in deferred:
        if not (version.allows_deferral and materials[key].deferrable):
            problems.append(
                FieldError(f"checklist.{key}", Msg("该材料不可容缺受理", "This material cannot be promised for later"))
            )
    if deferred and (data.deferred_until is None or data.deferred_until < today):
        problems.append(
            FieldError("deferred_until", Msg("容缺受理须约定今后的补交日期", "Promised material needs a future date"))
        )
    for material in one_time_notice(version, data.checklist) if complete else []:
        problems.append(
            FieldError(f"checklist.{material.key}", Msg(f"缺少必要材料：{material.name}", f"Missing: {material.name}"))
        )
    return problems


def _applicant_for(actor: Actor, data: IntakeInput) -> ApplicantCard:
    if data.channel in RESIDENT_CHANNELS:
        applicant = applicant_for_user(actor.user_id)
        missing = Msg(
            "您的账号尚未关联本市常住人口信息，请到社区登记后再申请",
            "Your account is not linked to a resident of this city; register at your community first",
        )
    else:
        applicant = applicant_by_ref(data.applicant_ref) if data.applicant_ref else None
        missing = Msg("请先按身份证号查找申请人", "Look the applicant up by ID number first")
    if applicant is None:
        raise DomainError(missing, code="applicant_not_found", fields=[FieldError("applicant", missing)], status=422)
    return applicant


def _event_row(case, actor: Actor, action: str, from_state: str, to_state: str, *, at, note="", details=None):
    return CaseEvent(
        case=case,
        at=at,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor_user_id=actor.user_id,
        actor_name=actor.shown_name,
        note=note,
        details=details or {},
    )


def _event(case, actor: Actor, action: str, from_state: str, note: str = "", details: dict | None = None):
    _event_row(case, actor, action, from_state, case.state, at=timezone.now(), note=note, details=details).save()


def case_audit(actor: Actor, action: str, case: ServiceCase, details: dict | None = None, reason: str = "") -> None:
    audit_record(
        actor=actor,
        action=f"case.{action}",
        object_type="service_case",
        object_id=case.number,
        org_path=case.accepted_path,
        details=details,
        reason=reason,
    )


def _notice(kind: str, case: ServiceCase, **extra) -> Msg:
    """A notice text filled in for the case; a `Msg` value is filled in per language."""
    template = NOTICES[kind]
    values = {"item": case.item_version.name, "number": case.number, "due": case.due_on or "", **extra}

    def filled(language: str) -> str:
        return template.for_language(language).format(
            **{k: v.for_language(language) if isinstance(v, Msg) else v for k, v in values.items()}
        )

    return Msg(filled("zh"), filled("en"))


def _case_link(case: ServiceCase) -> str:
    """Opens the applicant's page for the applicant and the workbench page for staff."""
    return f"/cases/{case.public_id}/"


def _set_due(case: ServiceCase, accepted_on: date) -> None:
    calendar = work_calendar()
    version = case.item_version
    case.due_on = calendar.due_on(accepted_on, version.promised_days)
    case.legal_due_on = calendar.due_on(accepted_on, version.legal_days) if version.legal_days is not None else None
    case.calendar_provisional = _calendar_provisional(calendar, case, accepted_on)


def _calendar_provisional(calendar: WorkCalendar, case: ServiceCase, accepted_on: date) -> bool:
    """Whether the case's dates rest on a year with no published schedule (statutory holidays only)."""
    due_on = case.legal_due_on or case.due_on
    return due_on is not None and not calendar.knows(accepted_on, due_on)


@transaction.atomic
def case_submit(
    *, actor: Actor, data: IntakeInput, previous: ServiceCase | None = None, written: list[Path] | None = None
) -> ServiceCase:
    """A resident applies online (or at a self-service terminal) as themself, at any hour. The
    case waits at their home community's front desk for acceptance. With `previous` (a withdrawn
    or refused application of theirs) it is applied for again: see `case_reapply`."""
    if not actor.has_perm(DESK_APPLY):
        raise permission_denied()
    version = _item_version(data.item_code)
    _check_channel(version, data.channel, RESIDENT_CHANNELS)
    applicant = _applicant_for(actor, data)
    problems = _checklist_problems(version, data, timezone.localdate(), complete=False)
    if problems:
        raise validation_failed(problems)
    case = _case_new(actor, version, applicant, data, accepted_path=applicant.home_path[:12])
    details = None
    if previous is not None:
        carried = _reapply_from(actor, previous, case, written if written is not None else [])
        details = {"previous": previous.number, "materials_carried": carried}
    _event(case, actor, "submit", "", details=details)
    case_audit(actor, "submit", case, details)
    notify(user_ids=[case.applicant_user_id], kind="submitted", text=_notice("submitted", case), link=_case_link(case))
    return case


def case_reapply(*, actor: Actor, previous: ServiceCase, data: IntakeInput) -> ServiceCase:
    """重新申请: the applicant applies again for a withdrawn or refused application of theirs, with
    what they already gave — a new case of the item's current version, its details and checklist
    as they send them (the form starts from the old ones), and the photos of the old case carried
    over for every material the current version still asks for. The old case stays as it was;
    the new one names it in its timeline and audit entry."""
    if not is_applicant(actor, previous):
        raise not_found("办件", "Case")
    if previous.state not in REAPPLY_STATES:
        raise conflict(
            Msg(
                "只有已撤回或未予受理的申请可以重新申请",
                "Only a withdrawn or refused application can be applied for again",
            )
        )
    written: list[Path] = []
    try:
        return case_submit(
            actor=actor, data=replace(data, item_code=previous.item.code), previous=previous, written=written
        )
    except Exception:
        _files_remove(written)
        raise


def _reapply_from(actor: Actor, previous: ServiceCase, case: ServiceCase, written: list[Path]) -> list[str]:
    """Carry the previous case's uploaded materials (those the new version still lists) into the
    new case: each is read (audited), sealed again for the new case and ticked. Returns their keys."""
    keys = {m.key for m in version_materials(case.item_version)}
    copied = []
    for material in previous.materials.filter(purged_at__isnull=True, material_key__in=keys):
        data = material_read(actor=actor, material=material, reason="重新申请沿用材料")
        _material_store(actor, case, material.material_key, material.filename, data, written)
        copied.append(material.material_key)
    if copied:
        case.checklist = {**case.checklist, **dict.fromkeys(copied, MaterialStatus.PROVIDED)}
        case.save(update_fields=["checklist", "updated_at"])
    return sorted(set(copied))


def case_draft(
    version: ServiceItemVersion,
    applicant: ApplicantCard,
    route: Route,
    *,
    channel: str,
    accepted_path: str,
    checklist: dict[str, str],
    submitted_at: datetime,
) -> ServiceCase:
    """An unsaved, submitted case of `applicant` for `version`, routed: what every intake (and
    the demo's simulation) starts from."""
    return ServiceCase(
        item=version.item,
        item_version=version,
        state=CaseState.SUBMITTED,
        channel=channel,
        applicant_ref=applicant.public_id,
        applicant_name=applicant.name,
        applicant_id_masked=applicant.id_number_masked,
        applicant_user_id=applicant.user_id,
        home_path=applicant.home_path,
        accepted_path=accepted_path,
        handling_path=route.handling_path,
        handling_department_id=route.department_id,
        checklist=checklist,
        submitted_at=submitted_at,
    )


def _case_new(actor, version, applicant: ApplicantCard, data: IntakeInput, *, accepted_path: str, accept=False):
    """Build the case (accepted at once when taken at a window) and insert it; the case number is
    drawn just before the insert."""
    case = case_draft(
        version,
        applicant,
        case_route(version, applicant.home_path),
        channel=data.channel,
        accepted_path=accepted_path,
        checklist=dict(data.checklist),
        submitted_at=timezone.now(),
    )
    case.answers = {str(k)[:40]: str(v)[:500] for k, v in data.answers.items()}
    case.deferred_until, case.home_visit_at = data.deferred_until, data.home_visit_at
    if accept:
        _start_clock(case, actor, timezone.localdate())
    case.number = _next_case_number(accepted_path[:6], timezone.localdate())
    case.save(force_insert=True)
    return case


@transaction.atomic
def case_intake(*, actor: Actor, data: IntakeInput) -> ServiceCase:
    """一窗受理: a community worker at any window of the city accepts a resident's item — at the
    window, by proxy (with recorded, time-boxed consent) or at the resident's home. Missing
    required material refuses the whole intake with every missing item named (the one-time
    notice), so nothing is half-saved."""
    if not actor.has_perm(DESK_ACCEPT):
        raise permission_denied()
    version = _item_version(data.item_code)
    _check_channel(version, data.channel, STAFF_CHANNELS)
    desk_path = _desk_of(actor, data.desk_path)
    applicant = _applicant_for(actor, data)
    if not version.citywide and applicant.home_path[:6] != desk_path[:6]:
        raise validation_failed(
            [
                FieldError(
                    "item_code",
                    Msg(
                        "该事项不在全市通办范围内，须在申请人户籍所在区县办理",
                        "This item is handled only in the applicant's district",
                    ),
                )
            ]
        )
    today = timezone.localdate()
    problems = _checklist_problems(version, data, today)
    problems += _proxy_problems(data, today)
    if problems:
        raise validation_failed(problems)
    case = _case_new(actor, version, applicant, data, accepted_path=desk_path, accept=True)
    at = timezone.now()
    CaseEvent.objects.bulk_create(
        [
            _event_row(case, actor, "submit", "", CaseState.SUBMITTED, at=at, details={"channel": data.channel}),
            _event_row(case, actor, "accept", CaseState.SUBMITTED, case.state, at=at, details=_deferred_details(case)),
        ]
    )
    if data.proxy is not None:
        if actor.user_id is None:  # a consent names the person who acted for the applicant
            raise permission_denied()
        ProxyConsent.objects.create(
            case=case,
            agent_user_id=actor.user_id,
            agent_name=actor.shown_name,
            method=data.proxy.method,
            reason=data.proxy.reason.strip()[:200],
            valid_until=data.proxy.valid_until,
        )
        case_audit(actor, "proxy_consent", case, {"method": data.proxy.method}, data.proxy.reason)
    case_audit(actor, "intake", case, {"channel": data.channel, "item": version.item.code})
    _handler_accept(actor, case, version.item.code)
    notify(user_ids=[case.applicant_user_id], kind="accepted", text=_notice("accepted", case), link=_case_link(case))
    return case


def _single_desk(actor: Actor) -> str:
    """The one community window a worker serves: their community, or their grid's community."""
    communities = {p[:12] for p in actor.scope_paths if len(p) >= 12}
    return communities.pop() if len(communities) == 1 else ""


def _desk_of(actor: Actor, desk_path: str) -> str:
    """The community window the worker acts at: the one asked for, or their only one; refused
    unless it is a community they serve."""
    desk_path = desk_path or _single_desk(actor)
    if len(desk_path) != 12 or not _serves_window(actor, desk_path) or org_unit_by_path(desk_path) is None:
        raise validation_failed(
            [FieldError("desk_path", Msg("请选择您所在的受理社区", "Choose the community whose window you serve"))]
        )
    return desk_path


def _serves_window(actor: Actor, desk_path: str) -> bool:
    """A community in the actor's scope, or the community of the actor's grid."""
    return any(desk_path.startswith(p) or p.startswith(desk_path) for p in actor.scope_paths)


def _proxy_problems(data: IntakeInput, today: date) -> list[FieldError]:
    if data.channel != Channel.PROXY:
        return []
    proxy = data.proxy
    if proxy is None:
        return [FieldError("proxy", Msg("代办须记录申请人的授权", "Proxy handling needs the applicant's consent"))]
    problems = []
    if proxy.method not in ProxyConsentMethod.values:
        problems.append(FieldError("proxy.method", Msg("请选择授权方式", "Choose how consent was given")))
    if len(proxy.reason.strip()) < 2:
        problems.append(FieldError("proxy.reason", Msg("请填写代办原因", "Give the reason for proxy handling")))
    if not today <= proxy.valid_until <= add_years(today, 1):
        problems.append(
            FieldError(
                "proxy.valid_until", Msg("授权有效期须在今天到一年之内", "Consent must be valid from today to a year")
            )
        )
    return problems


def _deferred_details(case: ServiceCase) -> dict:
    deferred = sorted(k for k, s in case.checklist.items() if s == MaterialStatus.DEFERRED)
    return {"deferred": deferred, "deferred_until": str(case.deferred_until)} if deferred else {}


def _start_clock(case: ServiceCase, actor: Actor, today: date) -> None:
    """Acceptance: the accepting worker owns the case (一办到底) and the time limit starts."""
    case.state = CaseState.ACCEPTED
    case.accepted_at = timezone.now()
    case.owner_id = actor.user_id
    _set_due(case, today)


# ================================================================ transitions


@dataclass
class TransitionInput:
    note: str = ""
    decision: str = ""
    delivery_method: str = ""
    checklist: dict[str, str] = field(default_factory=dict)
    deferred_until: date | None = None
    score: int | None = None
    rating_channel: str = ""


def _locked(case_id: int) -> ServiceCase:
    return ServiceCase.objects.select_for_update().select_related("item_version", "item").get(pk=case_id)


def case_transition(
    *,
    actor: Actor,
    case: ServiceCase,
    action: str,
    data: TransitionInput | None = None,
    by_applicant_link: bool = False,
) -> ServiceCase:
    """Take one workflow step. The row is locked and its state re-read, so of two officers acting
    at once the second is told the step is no longer allowed (409) and changes nothing."""
    data = data or TransitionInput()
    transition = transition_for(action)
    if transition is None:
        raise not_found("操作", "Action")
    with transaction.atomic():
        locked = _locked(case.pk)
        # a signed rating link stands for the applicant (who may have no account)
        applicant_link = by_applicant_link and action in APPLICANT_ACTIONS
        if not applicant_link and not may_act(actor, locked, transition):
            raise permission_denied()
        handler = desk_handler_for(locked.item.code)
        if handler is not None and handler.decides and action in HANDLED_ACTIONS:
            raise conflict(
                Msg(
                    f"此事项由{handler.label.zh}审核决定，请在对应的申请中办理",
                    f"This item is reviewed and decided in {handler.label.en}; take the step in its application",
                )
            )
        _step(actor, locked, transition, data)
        if action == "withdraw" and handler is not None and handler.on_withdraw is not None:
            handler.on_withdraw(actor, _handled(locked), data.note.strip())
    return locked


def _step(actor: Actor, locked: ServiceCase, transition: Transition, data: TransitionInput) -> None:
    """The step itself on a locked case whose actor was checked: state, event, audit."""
    action = transition.action
    if locked.state not in transition.sources:
        raise conflict(
            Msg(
                f"办件当前状态为「{CaseState(locked.state).label}」，不能执行「{transition.label.zh}」",
                f"The case is {CaseState(locked.state).value}; '{transition.label.en}' is not allowed now",
            )
        )
    from_state = locked.state
    extra = HANDLERS[action](locked, actor, data)
    locked.state = transition.target
    locked.save()
    _event(locked, actor, action, from_state, data.note.strip(), extra)
    case_audit(actor, action, locked, {"from": from_state, "to": locked.state}, data.note.strip()[:200])


def transition_by_name(action: str) -> Transition:
    transition = transition_for(action)
    assert transition is not None
    return transition


def _handled(case: ServiceCase) -> HandledCase:
    return HandledCase(
        number=case.number,
        public_id=str(case.public_id),
        item_code=case.item.code,
        applicant_ref=str(case.applicant_ref),
        applicant_name=case.applicant_name,
        applicant_id_masked=case.applicant_id_masked,
        home_path=case.home_path,
        accepted_path=case.accepted_path,
        channel=case.channel,
    )


def _handler_accept(actor: Actor, case: ServiceCase, item_code: str) -> None:
    """An item decided by an app above the desk opens that app's record in this transaction."""
    handler = desk_handler_for(item_code)
    if handler is not None:
        handler.on_accept(actor, _handled(case))


def handled_case_decide(
    *, handler_key: str, case_public_id: str, decision: str, note: str, actor: Actor
) -> ServiceCase:
    """The decision of a handled item, taken by the app that decides it (its officer as actor,
    whose right to decide that app has checked): the desk's review and decision steps, in the
    caller's transaction. Refused unless `handler_key` handles the case's item and the case is
    accepted or in review."""
    with transaction.atomic():
        case = _handled_locked(handler_key, case_public_id)
        if case.state not in (CaseState.ACCEPTED, CaseState.IN_REVIEW):
            raise conflict(
                Msg(
                    f"办件当前状态为「{CaseState(case.state).label}」，不能作出决定",
                    f"The case is {CaseState(case.state).value}; it cannot be decided now",
                )
            )
        if case.state == CaseState.ACCEPTED:
            _step(actor, case, transition_by_name("start_review"), TransitionInput())
        _step(actor, case, transition_by_name("decide"), TransitionInput(decision=decision, note=note))
    return case


def handled_case_withdraw(*, handler_key: str, case_public_id: str, note: str, actor: Actor) -> ServiceCase | None:
    """The applicant withdrew in the handling app: the desk case is withdrawn too (if still
    open), without calling the handler back. Returns None when it was already finished."""
    with transaction.atomic():
        case = _handled_locked(handler_key, case_public_id)
        if case.state not in transition_by_name("withdraw").sources:
            return None
        _step(actor, case, transition_by_name("withdraw"), TransitionInput(note=note))
    return case


def _handled_locked(handler_key: str, case_public_id: str) -> ServiceCase:
    public_id = uuid_or_none(case_public_id)
    found = ServiceCase.objects.filter(public_id=public_id).values_list("pk", flat=True).first() if public_id else None
    if found is None:
        raise not_found("办件", "Case")
    case = _locked(found)
    handler = desk_handler_for(case.item.code)
    if handler is None or handler.key != handler_key:
        raise permission_denied()
    return case


def _need_note(data: TransitionInput, zh: str, en: str) -> str:
    note = data.note.strip()
    if len(note) < 2:
        raise validation_failed([FieldError("note", Msg(zh, en))])
    return note


def _on_accept(case: ServiceCase, actor: Actor, data: TransitionInput) -> dict:
    today = timezone.localdate()
    merged = {**case.checklist, **data.checklist}
    probe = IntakeInput(item_code="", channel=case.channel, checklist=merged, deferred_until=data.deferred_until)
    problems = _checklist_problems(case.item_version, probe, today)
    if problems:
        raise validation_failed(problems)
    case.checklist, case.deferred_until = merged, data.deferred_until
    _start_clock(case, actor, today)
    _handler_accept(actor, case, case.item.code)
    notify(user_ids=[case.applicant_user_id], kind="accepted", text=_notice("accepted", case), link=_case_link(case))
    return _deferred_details(case)


def _on_refuse(case: ServiceCase, actor: Actor, data: TransitionInput) -> dict:
    note = _need_note(data, "请填写不予受理的理由", "Give the reason for refusing")
    notify(
        user_ids=[case.applicant_user_id],
        kind="refused",
        text=_notice("refused", case, note=note),
        link=_case_link(case),
    )
    return {}


def _on_start_review(case: ServiceCase, actor: Actor, data: TransitionInput) -> dict:
    case.assignee_id = actor.user_id
    return {}


def _on_request_supplement(case: ServiceCase, actor: Actor, data: TransitionInput) -> dict:
    note = _need_note(data, "请写明需要补正的材料", "Say which material is needed")
    case.paused_on = timezone.localdate()
    notify(
        user_ids=[case.applicant_user_id, case.owner_id],
        kind="supplement_requested",
        text=_notice("supplement_requested", case, note=note),
        link=_case_link(case),
    )
    return {"clock": "paused"}


def _on_supply(case: ServiceCase, actor: Actor, data: TransitionInput) -> dict:
    today = timezone.localdate()
    calendar = work_calendar()
    paused = calendar.working_days_between(case.paused_on or today, today)
    case.due_on = calendar.resumed_due_on(case.due_on, case.paused_on or today, today)
    if case.legal_due_on:
        case.legal_due_on = calendar.resumed_due_on(case.legal_due_on, case.paused_on or today, today)
    case.paused_days += paused
    case.paused_on = None
    # the pause may push the dates into a year whose schedule is not published (or an admin may
    # have entered it meanwhile): decide again, not keep the flag from acceptance
    accepted_on = timezone.localdate(case.accepted_at) if case.accepted_at else today
    case.calendar_provisional = _calendar_provisional(calendar, case, accepted_on)
    case.due_soon_notified = case.overdue_notified = False
    if data.checklist:
        case.checklist = {**case.checklist, **data.checklist}
    notify(user_ids=[case.assignee_id], kind="supplied", text=_notice("supplied", case), link=_case_link(case))
    return {"clock": "resumed", "paused_working_days": paused, "due_on": str(case.due_on)}


def _on_decide(case: ServiceCase, actor: Actor, data: TransitionInput) -> dict:
    if data.decision not in Decision.values:
        raise validation_failed([FieldError("decision", Msg("请选择准予或不予", "Choose approved or denied"))])
    if data.decision == Decision.DENIED:
        _need_note(data, "不予批准须说明理由和依据", "A denial needs its reasons")
    case.decision = data.decision
    case.decision_note = data.note.strip()
    case.decided_at = timezone.now()
    case.finished_on_time = case.due_on is None or timezone.localdate() <= case.due_on
    notify(
        user_ids=[case.applicant_user_id, case.owner_id],
        kind="decided",
        text=_notice("decided", case, decision=DECISION_WORDS[data.decision]),
        link=_case_link(case),
    )
    return {"decision": data.decision, "on_time": case.finished_on_time}


def _on_deliver(case: ServiceCase, actor: Actor, data: TransitionInput) -> dict:
    if data.delivery_method not in DeliveryMethod.values:
        raise validation_failed(
            [FieldError("delivery_method", Msg("请选择送达方式", "Choose how the result was delivered"))]
        )
    case.delivery_method = data.delivery_method
    case.delivered_at = timezone.now()
    notify(user_ids=[case.applicant_user_id], kind="delivered", text=_notice("delivered", case), link=rating_link(case))
    return {"delivery_method": data.delivery_method}


RATING_LINK_SALT = "linli.desk.rate"
RATING_LINK_DAYS = 30


def rating_link(case: ServiceCase) -> str:
    """A signed link the applicant can rate with, without logging in (sent by SMS with the
    result); valid for 30 days and good for one rating."""
    return f"/rate/{signing.dumps(str(case.public_id), salt=RATING_LINK_SALT, compress=True)}/"


def case_for_rating_link(token: str) -> ServiceCase:
    try:
        public_id = signing.loads(token, salt=RATING_LINK_SALT, max_age=timedelta(days=RATING_LINK_DAYS))
    except signing.BadSignature:
        raise not_found("评价链接", "Rating link") from None
    case = ServiceCase.objects.select_related("item_version").filter(public_id=public_id).first()
    if case is None:
        raise not_found("评价链接", "Rating link")
    return case


def case_rate_by_link(*, token: str, score: int | None, comment: str, client_address: str = "") -> ServiceCase:
    case = case_for_rating_link(token)
    actor = Actor(username="sms-link", display_name=case.applicant_name, client_address=client_address)
    data = TransitionInput(note=comment, score=score, rating_channel=RatingChannel.SMS)
    return case_transition(actor=actor, case=case, action="rate", data=data, by_applicant_link=True)


def _archive_after_commit(case: ServiceCase) -> None:
    """Freeze the record once the step has committed (with its timeline line)."""
    transaction.on_commit(lambda: archive_record(ServiceCase.objects.get(pk=case.pk)))


def _on_close(case: ServiceCase, actor: Actor, data: TransitionInput) -> dict:
    case.closed_at = timezone.now()
    _archive_after_commit(case)
    return {}


def _on_rate(case: ServiceCase, actor: Actor, data: TransitionInput) -> dict:
    score = data.score
    if score is None or not 1 <= score <= 5:
        raise validation_failed([FieldError("score", Msg("请选择 1–5 星", "Choose 1 to 5 stars"))])
    channel = data.rating_channel or (
        RatingChannel.ONLINE if is_applicant(actor, case) else RatingChannel.WINDOW_TABLET
    )
    if channel not in RatingChannel.values:
        raise validation_failed([FieldError("rating_channel", Msg("评价渠道无效", "Unknown rating channel"))])
    now = timezone.now()
    rating = CaseRating.objects.create(
        case=case,
        score=score,
        channel=channel,
        comment=data.note.strip()[:500],
        rated_at=now,
        handling_path=case.handling_path,
        accepted_path=case.accepted_path,
        item_id=case.item_id,
        owner_id=case.owner_id,
    )
    if case.closed_at is None:
        case.closed_at = now
    if is_bad_rating(score):
        due = work_calendar().add_working_days(timezone.localdate(), settings.LINLI_RECTIFICATION_WORKING_DAYS)
        Rectification.objects.create(
            rating=rating,
            case=case,
            state=RectificationState.OPEN,
            due_on=due,
            handling_path=case.handling_path,
            accepted_path=case.accepted_path,
            opened_at=now,
        )
        notify(
            user_ids=[case.owner_id, case.assignee_id],
            kind="bad_rating",
            text=_notice("bad_rating", case, due=due),
            link=_case_link(case),
        )
    _archive_after_commit(case)
    return {"score": score, "channel": channel}


def _on_withdraw(case: ServiceCase, actor: Actor, data: TransitionInput) -> dict:
    # a reason is asked of every destructive step; it also tells the office what went wrong
    _need_note(data, "请填写撤回的原因", "Give the reason for withdrawing")
    case.paused_on = None
    return {}


HANDLERS: dict[str, Callable[[ServiceCase, Actor, TransitionInput], dict]] = {
    "accept": _on_accept,
    "refuse": _on_refuse,
    "start_review": _on_start_review,
    "request_supplement": _on_request_supplement,
    "supply": _on_supply,
    "decide": _on_decide,
    "deliver": _on_deliver,
    "close": _on_close,
    "rate": _on_rate,
    "withdraw": _on_withdraw,
}


# ================================================================ rectifications


def _staff_on_case(actor: Actor, case: ServiceCase) -> bool:
    """The accepting window or the deciding unit (谁办理谁负责): who follows up bad ratings, adds
    files and moves the paper."""
    if case.handling_department_id in actor.department_ids:
        return True
    staff = actor.has_perm(DESK_ACCEPT) or actor.has_perm(DESK_DECIDE)
    return staff and (actor.sees_path(case.accepted_path) or actor.sees_path(case.handling_path))


def _may_rectify(actor: Actor, rectification: Rectification) -> bool:
    return _staff_on_case(actor, rectification.case)


@transaction.atomic
def follow_up_record(
    *, actor: Actor, rectification: Rectification, method: str, summary: str, resident_satisfied: bool | None
) -> FollowUp:
    """回访: record a call or visit to the resident who rated the case badly."""
    if not _may_rectify(actor, rectification):
        raise permission_denied()
    problems = []
    if method not in FollowUpMethod.values:
        problems.append(FieldError("method", Msg("请选择回访方式", "Choose how you followed up")))
    if len(summary.strip()) < 2:
        problems.append(FieldError("summary", Msg("请填写回访情况", "Describe the follow-up")))
    if problems:
        raise validation_failed(problems)
    follow_up = FollowUp.objects.create(
        rectification=rectification,
        at=timezone.now(),
        method=method,
        summary=summary.strip(),
        resident_satisfied=resident_satisfied,
        by_name=actor.shown_name,
    )
    case_audit(actor, "follow_up", rectification.case, {"method": method})
    return follow_up


@transaction.atomic
def rectification_close(*, actor: Actor, rectification: Rectification, verdict: str, summary: str) -> Rectification:
    """Close a rectification with its verdict; it needs at least one follow-up (实名差评回访率100%)."""
    locked = Rectification.objects.select_for_update().select_related("case").get(pk=rectification.pk)
    if not _may_rectify(actor, locked):
        raise permission_denied()
    if locked.state != RectificationState.OPEN:
        raise conflict(Msg("该整改已关闭", "This rectification is already closed"))
    problems = []
    if verdict not in RectificationVerdict.values:
        problems.append(FieldError("verdict", Msg("请选择整改结论", "Choose a verdict")))
    if len(summary.strip()) < 2:
        problems.append(FieldError("summary", Msg("请填写整改情况", "Describe what was done")))
    if not locked.follow_ups.exists():
        problems.append(FieldError("follow_up", Msg("关闭前须至少回访一次", "Follow up at least once before closing")))
    if problems:
        raise validation_failed(problems)
    locked.state = RectificationState.CLOSED
    locked.verdict = verdict
    locked.summary = summary.strip()
    locked.closed_at = timezone.now()
    locked.closed_by = actor.shown_name
    locked.save(update_fields=["state", "verdict", "summary", "closed_at", "closed_by"])
    case_audit(actor, "rectification_close", locked.case, {"verdict": verdict})
    return locked


# ================================================================ materials (uploads)


def desk_files_dir() -> Path:
    return Path(settings.DATA_DIR) / "desk-files"


def _upload_problem(data: bytes) -> Msg | None:
    if not data:
        return Msg("文件是空的", "The file is empty")
    if len(data) > UPLOAD_MAX_BYTES:
        return Msg("文件不能超过 10 MB", "The file must be at most 10 MB")
    if sniffed_type(data, UPLOAD_TYPES) is None:
        return Msg("只接受 JPG、PNG 或 PDF 文件", "Only JPG, PNG or PDF files are accepted")
    return None


def material_upload(*, actor: Actor, case: ServiceCase, material_key: str, filename: str, data: bytes) -> CaseMaterial:
    """Attach a photo or scan of one material. The bytes are sealed (AES-GCM) before they touch
    the disk; the type is judged by content, not by the name; open cases only."""
    if not (is_applicant(actor, case) or _staff_on_case(actor, case)):
        raise not_found("办件", "Case")
    problems = []
    if material_key not in {m.key for m in version_materials(case.item_version)}:
        problems.append(FieldError("material_key", Msg("该事项没有这项材料", "This item has no such material")))
    problem = _upload_problem(data)
    if problem:
        problems.append(FieldError("file", problem))
    if case.state not in OPEN_STATES:
        problems.append(FieldError("file", Msg("办件已办结，不能再上传材料", "The case is finished; no more uploads")))
    if problems:
        raise validation_failed(problems)
    written: list[Path] = []
    try:
        with transaction.atomic():
            material = _material_store(actor, case, material_key, filename, data, written)
            ticked = _material_tick(case, material_key)
            details = {"material": material_key, "size": len(data), "ticked": ticked}
            case_audit(actor, "material_upload", case, details)
    except Exception:
        _files_remove(written)  # no orphan file when the rows are not written
        raise
    return material


def _material_store(
    actor: Actor, case: ServiceCase, material_key: str, filename: str, data: bytes, written: list[Path]
) -> CaseMaterial:
    """Seal the bytes into the case's folder and write the row. The file's path is added to
    `written`, which the caller removes if its transaction does not commit."""
    stored_name = uuid7().hex
    folder = desk_files_dir() / str(case.public_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / stored_name
    path.write_bytes(seal_bytes(data, context=f"case_material.{case.public_id}"))
    written.append(path)
    return CaseMaterial.objects.create(
        case=case,
        material_key=material_key,
        filename=Path(filename).name[:200] or "upload",
        content_type=sniffed_type(data, UPLOAD_TYPES) or "application/octet-stream",  # checked on upload
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        stored_name=stored_name,
        uploaded_at=timezone.now(),
        uploaded_by=actor.shown_name,
    )


def _files_remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _material_tick(case: ServiceCase, material_key: str) -> bool:
    """A photo of a named material means that material is provided: the checklist says so, on the
    resident's page and the workbench alike. Re-read under a lock so a concurrent acceptance or
    a second upload is not overwritten. True when the line changed."""
    locked = ServiceCase.objects.select_for_update().only("id", "checklist").get(pk=case.pk)
    if locked.checklist.get(material_key) == MaterialStatus.PROVIDED:
        return False
    locked.checklist = {**locked.checklist, material_key: MaterialStatus.PROVIDED}
    locked.save(update_fields=["checklist", "updated_at"])
    case.checklist = locked.checklist
    return True


def material_read(*, actor: Actor, material: CaseMaterial, reason: str = "查看材料") -> bytes:
    """The plaintext bytes of an uploaded material; every read is audited."""
    case = material.case
    if material.purged_at is not None:
        raise not_found("材料", "Material")
    case_audit(actor, "material_read", case, {"material": material.material_key}, reason)
    sealed = (desk_files_dir() / str(case.public_id) / material.stored_name).read_bytes()
    return unseal_bytes(sealed, context=f"case_material.{case.public_id}")


# ================================================================ paper file hand-off


@transaction.atomic
def file_handoff_record(*, actor: Actor, case: ServiceCase, step: str, note: str = "") -> FileHandoff:
    """Record the next step of the paper file's journey; steps go in order, each one once."""
    if not _staff_on_case(actor, case):
        raise permission_denied()
    locked = ServiceCase.objects.select_for_update().get(pk=case.pk)
    last = locked.handoffs.order_by("-at", "-id").values_list("step", flat=True).first() or ""
    if step not in HANDOFF_NEXT.get(last, []):
        raise conflict(
            Msg(
                "纸质材料流转须按 收件→流转→签收→出件→交付 的顺序登记",
                "Record the paper file's steps in order: received, sent, arrived, returned, handed over",
            )
        )
    holder = case_path_for(locked, HANDOFF_HOLDER[HandoffStep(step)])
    handoff = FileHandoff.objects.create(
        case=locked,
        step=step,
        at=timezone.now(),
        holder_path=holder,
        holder_name=actor.shown_name,
        note=note.strip()[:200],
    )
    case_audit(actor, "file_handoff", locked, {"step": step})
    return handoff


# ================================================================ archive


def case_snapshot(case: ServiceCase) -> dict:
    """The case as its archive keeps it: masked identity, decisions, checklist, timeline,
    proxy consent, rating, rectifications, the paper file's journey and the materials' hashes."""
    rating = CaseRating.objects.filter(case=case).first()
    proxy = ProxyConsent.objects.filter(case=case).first()
    return {
        "number": case.number,
        "item": {"code": case.item.code, "name": case.item_version.name, "version": case.item_version.version},
        "applicant": {"name": case.applicant_name, "id_number": case.applicant_id_masked},
        "channel": case.channel,
        "accepted_path": case.accepted_path,
        "handling_path": case.handling_path,
        "handling_department": case.handling_department.name if case.handling_department else "",
        "state": case.state,
        "decision": case.decision,
        "decision_note": case.decision_note,
        "dates": {
            name: (value.isoformat() if value else None)
            for name, value in (
                ("submitted_at", case.submitted_at),
                ("accepted_at", case.accepted_at),
                ("due_on", case.due_on),
                ("decided_at", case.decided_at),
                ("delivered_at", case.delivered_at),
                ("closed_at", case.closed_at),
            )
        },
        "finished_on_time": case.finished_on_time,
        "paused_working_days": case.paused_days,
        "checklist": case.checklist,
        "proxy": {
            "agent": proxy.agent_name,
            "method": proxy.method,
            "reason": proxy.reason,
            "valid_until": proxy.valid_until.isoformat(),
        }
        if proxy
        else None,
        "timeline": [
            {"at": e.at.isoformat(), "action": e.action, "to": e.to_state, "by": e.actor_name, "note": e.note}
            for e in case.events.order_by("at", "id")
        ],
        "rating": {"score": rating.score, "comment": rating.comment, "channel": rating.channel} if rating else None,
        "rectifications": [
            {
                "state": r.state,
                "verdict": r.verdict,
                "summary": r.summary,
                "due_on": r.due_on.isoformat(),
                "follow_ups": [
                    {"at": f.at.isoformat(), "method": f.method, "summary": f.summary} for f in r.follow_ups.all()
                ],
            }
            for r in case.rectifications.all()
        ],
        "handoffs": [
            {"at": h.at.isoformat(), "step": h.step, "holder": h.holder_name, "note": h.note}
            for h in case.handoffs.order_by("at", "id")
        ],
        "materials": [
            {"key": m.material_key, "file": m.filename, "type": m.content_type, "size": m.size, "sha256": m.sha256}
            for m in case.materials.all()
        ],
    }


def archive_record(case: ServiceCase) -> ArchiveRecord:
    """Freeze (or, after a later rating or follow-up, re-freeze) a finished case's record."""
    snapshot = case_snapshot(case)
    digest = hashlib.sha256(json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    now = timezone.now()
    closed = timezone.localtime(case.closed_at).date() if case.closed_at else timezone.localdate()
    until = add_years(closed, case.item_version.retention_years)  # whole years from closing
    record, _created = ArchiveRecord.objects.update_or_create(
        case=case, defaults={"archived_at": now, "retention_until": until, "snapshot": snapshot, "sha256": digest}
    )
    return record


def archive_retention_purge(today: date | None = None) -> str:
    """Periodic job: delete the uploaded files of archive records past their retention; the
    record itself (masked, no files) stays as the register of what was handled."""
    today = today or timezone.localdate()
    due = ArchiveRecord.objects.filter(retention_until__lt=today, purged_at__isnull=True).select_related("case")
    purged = 0
    for record in due[:1000]:
        folder = desk_files_dir() / str(record.case.public_id)
        if folder.exists():
            shutil.rmtree(folder)
        now = timezone.now()
        CaseMaterial.objects.filter(case=record.case).update(purged_at=now)
        ArchiveRecord.objects.filter(pk=record.pk).update(purged_at=now)
        purged += 1
    return f"{purged} archive records past retention purged"


# ================================================================ stored figures

REFRESH_RECENT_DAYS = 3  # re-count the last days each time: a late write still lands


def desk_figures_refresh(*, full: bool = False) -> str:
    """Periodic job: store each deciding unit's decided / on-time / rating counts per past day.
    The first run (or `full`) counts every day; later runs re-count the last few days only. Past
    days hardly change (a decision is made once; a rating counts on the day it is given)."""
    today = timezone.localdate()
    latest = DeskDayFigures.objects.aggregate(latest=Max("day"))["latest"]
    start = None if full or latest is None else latest - timedelta(days=REFRESH_RECENT_DAYS)
    tz = timezone.get_current_timezone()
    until = datetime.combine(today, datetime.min.time(), tzinfo=tz)
    since = datetime.combine(start, datetime.min.time(), tzinfo=tz) if start else None
    table: dict[tuple[date, str], dict[str, int]] = defaultdict(dict)
    decided = ServiceCase.objects.filter(decided_at__lt=until)
    ratings = CaseRating.objects.filter(rated_at__lt=until)
    if since:
        decided, ratings = decided.filter(decided_at__gte=since), ratings.filter(rated_at__gte=since)
    for row in (
        decided.annotate(day=TruncDate("decided_at", tzinfo=tz))
        .values("day", "handling_path")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(finished_on_time=True)))
    ):
        table[(row["day"], row["handling_path"])].update(decided=row["n"], on_time=row["on_time"])
    for rating in (
        ratings.annotate(day=TruncDate("rated_at", tzinfo=tz))
        .values("day", "handling_path")
        .annotate(n=Count("pk"), bad=Count("pk", filter=Q(score__lte=2)), total=Sum("score"))
    ):
        table[(rating["day"], rating["handling_path"])].update(
            rated=rating["n"], bad=rating["bad"], score_sum=rating["total"]
        )
    with transaction.atomic():
        stale = DeskDayFigures.objects.filter(day__lt=today)
        (stale if start is None else stale.filter(day__gte=start)).delete()
        DeskDayFigures.objects.bulk_create(
            [DeskDayFigures(day=day, handling_path=path, **values) for (day, path), values in table.items()],
            batch_size=5000,
            ignore_conflicts=True,  # a second scheduler running at the same moment wrote the same
        )
        # the store now covers every day before today: readers may use it up to here
        heartbeat_record(name=FIGURES_JOB, result="stored")
    return f"{len(table)} unit-days of desk figures stored"


# ================================================================ deadlines and invitations


def _notify_once(cases, *, flag: str, kind: str, recipients, link) -> int:
    """Notify about each case once: the flag is set by a conditional UPDATE, so two schedulers
    running at once still send one message."""
    sent = 0
    for case in cases[:5000]:
        if ServiceCase.objects.filter(pk=case.pk, **{flag: False}).update(**{flag: True}):
            with transaction.atomic():
                notify(user_ids=recipients(case), kind=kind, text=_notice(kind, case), link=link(case))
            sent += 1
    return sent


def rating_invites_send(now: datetime | None = None) -> str:
    """Periodic job: a case delivered more than three days ago and not rated yet gets one
    invitation to rate (邀评), with the signed rating link, once."""
    now = now or timezone.now()
    waiting = ServiceCase.objects.filter(
        state__in=[CaseState.DELIVERED, CaseState.CLOSED],
        rating_invited=False,
        delivered_at__lt=now - timedelta(days=RATING_INVITE_AFTER_DAYS),
    ).select_related("item_version")
    sent = _notify_once(waiting, flag="rating_invited", kind="rating_invite", recipients=_applicant, link=rating_link)
    return f"{sent} rating invitations sent"


def _applicant(case: ServiceCase) -> list[int | None]:
    return [case.applicant_user_id]


def _workers(case: ServiceCase) -> list[int | None]:
    return [case.owner_id, case.assignee_id]


def deadlines_check(today: date | None = None) -> str:
    """Periodic job: notify the owner and the assignee of each running case once when it falls
    due soon and once when it becomes overdue."""
    today = today or timezone.localdate()
    horizon = work_calendar().add_working_days(today, DUE_SOON_WORKING_DAYS)
    running = ServiceCase.objects.filter(state__in=RUNNING_STATES).select_related("item_version")
    soon = _notify_once(
        running.filter(due_soon_notified=False, due_on__gte=today, due_on__lte=horizon),
        flag="due_soon_notified",
        kind="due_soon",
        recipients=_workers,
        link=_case_link,
    )
    overdue = _notify_once(
        running.filter(overdue_notified=False, due_on__lt=today),
        flag="overdue_notified",
        kind="overdue",
        recipients=_workers,
        link=_case_link,
    )
    return f"{soon} due soon, {overdue} overdue notified"


# ================================================================ windows and one-time notices


@dataclass
class WindowInput:
    org_path: str
    name: str
    address: str
    phone: str
    hours: str = ""


@transaction.atomic
def window_save(*, actor: Actor, data: WindowInput) -> ServiceWindow:
    """Where a community's window is and how to reach it, as the receipt and the notice print it
    (the admin edits the same row); audited."""
    if not (actor.has_perm(CATALOGUE_EDIT) or actor.is_system):
        raise permission_denied()
    problems = []
    if len(data.org_path) != 12 or org_unit_by_path(data.org_path) is None:
        problems.append(FieldError("org_path", Msg("请选择一个社区", "Choose a community")))
    for name, zh, en in (
        ("name", "窗口名称", "window name"),
        ("address", "地址", "address"),
        ("phone", "电话", "phone"),
    ):
        if not getattr(data, name).strip():
            problems.append(FieldError(name, Msg(f"请填写{zh}", f"Give the {en}")))
    if problems:
        raise validation_failed(problems)
    window, _created = ServiceWindow.objects.update_or_create(
        org_path=data.org_path,
        defaults={
            "name": data.name.strip()[:100],
            "address": data.address.strip()[:200],
            "phone": data.phone.strip()[:40],
            "hours": data.hours.strip()[:100],
        },
    )
    audit_record(
        actor=actor,
        action="desk.window_save",
        object_type="service_window",
        object_id=data.org_path,
        org_path=data.org_path,
    )
    return window


@transaction.atomic
def notice_issue(
    *, actor: Actor, item_code: str, applicant_ref: str, applicant_name: str, desk_path: str, checklist: dict[str, str]
) -> MaterialsNotice | None:
    """一次性告知: record the notice of everything missing, with its number and the date to bring
    it by (NOTICE_WORKING_DAYS working days on); None when nothing is missing. Audited."""
    if not actor.has_perm(DESK_ACCEPT):
        raise permission_denied()
    version = _item_version(item_code)
    desk_path = _desk_of(actor, desk_path)
    missing = one_time_notice(version, checklist)
    if not missing:
        return None
    today = timezone.localdate()
    sequence = number_next(f"GZ{desk_path[:6]}{today:%Y%m%d}")
    notice = MaterialsNotice.objects.create(
        number=notice_number(desk_path[:6], today, sequence),
        item_version=version,
        applicant_ref=applicant_ref,
        applicant_name=applicant_name[:50],
        desk_path=desk_path,
        missing=[m.key for m in missing],
        deadline=work_calendar().add_working_days(today, NOTICE_WORKING_DAYS),
        issued_at=timezone.now(),
        issued_by=actor.shown_name,
    )
    audit_record(
        actor=actor,
        action="desk.notice_issue",
        object_type="materials_notice",
        object_id=notice.number,
        org_path=desk_path,
        details={"item": item_code, "missing": notice.missing},
    )
    return notice


@transaction.atomic
def windows_seed(*, actor: Actor, rows: list[WindowInput]) -> int:
    """Many windows at once (the demo, a first load): rows for communities without one are added,
    existing rows are left as the admin set them; one audit entry."""
    if not actor.is_system:
        raise permission_denied()
    known = set(ServiceWindow.objects.values_list("org_path", flat=True))
    new = [
        ServiceWindow(org_path=r.org_path, name=r.name, address=r.address, phone=r.phone, hours=r.hours)
        for r in rows
        if r.org_path not in known
    ]
    ServiceWindow.objects.bulk_create(new, batch_size=1000)
    audit_record(actor=actor, action="desk.windows_seed", object_type="service_window", details={"added": len(new)})
    return len(new)
