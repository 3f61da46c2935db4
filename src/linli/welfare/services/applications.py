"""Writes of social-assistance applications: one transaction each, checked whole before anything is
written, audited, one append-only step row per step.

The desk opens an application when it accepts a 低保/特困/边缘/刚性 item (`desk_application_open`,
called by the desk's handler inside the acceptance); the community records the household, asks for
the economic check and records its result (by hand or by the file the data exchange returns),
two workers record the home survey, the street reviews with the rules' proposal, the notice runs
`notice.days` days with its objections, and the county decides with the rules: a determination is
stored, the household enrolled on the roll, the pool's care groups set and the desk case decided."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from linli.accounts.domain import WELFARE_INTAKE
from linli.areas.selectors import unit_names
from linli.core.actor import Actor
from linli.core.crypto import seal, unseal
from linli.core.errors import DomainError, FieldError, Msg, conflict, not_found, permission_denied, validation_failed
from linli.core.services import audit_record
from linli.residents.selectors import WelfarePerson, welfare_household_people, welfare_person
from linli.service_desk.handlers import HandledCase
from linli.service_desk.services import handled_case_decide, handled_case_withdraw, number_next
from linli.welfare.domain.applications import (
    DISABILITY_LEVELS,
    INCOME_SOURCE_LABELS,
    MATERIALS,
    OPEN_STATES,
    REQUIRED_MATERIALS,
    SURVEY_CONDITIONS,
    ApplicationState,
    CheckResult,
    ObjectionOutcome,
    Transition,
    application_number,
    transition_for,
)
from linli.welfare.domain.classes import AreaType, AssistanceClass
from linli.welfare.domain.roll import RecipientState
from linli.welfare.models import Application, ApplicationMember, ApplicationStep, Determination, Objection, Recipient
from linli.welfare.rules.engine import ParameterMissing, Result
from linli.welfare.rules.facts import Household, Income, Member, facts_from_json, facts_to_json

FACTS_CONTEXT = "welfare.facts"
TRACE_CONTEXT = "welfare.trace"
FINDINGS_CONTEXT = "welfare.survey"
OBJECTION_CONTEXT = "welfare.objection"
HANDLER_KEY = "welfare"
APPLIED_CLASSES = frozenset({AssistanceClass.TEKUN, AssistanceClass.DIBAO, AssistanceClass.EDGE, AssistanceClass.RIGID})
MONEY_MAX = Decimal("10000000")
TEXT_MAX = 2000


# ================================================================ helpers


def desk_items() -> dict[str, str]:
    """The desk items this stage decides (item code → the class applied for), from the setting."""
    configured = getattr(settings, "LINLI_WELFARE_DESK_ITEMS", {}) or {}
    return {code: kind for code, kind in configured.items() if kind in APPLIED_CLASSES}


def _audit(actor: Actor, action: str, app: Application, reason: str = "", **details) -> None:
    audit_record(
        actor=actor,
        action=f"welfare.application_{action}" if action != "facts_read" else "welfare.facts_read",
        object_type="welfare_application",
        object_id=app.number,
        org_path=app.path,
        reason=reason[:200],
        details={k: str(v) for k, v in details.items()},
    )


def _step(app: Application, actor: Actor, action: str, from_state: str, note: str = "", **details) -> ApplicationStep:
    return ApplicationStep.objects.create(
        application=app,
        action=action,
        from_state=from_state,
        to_state=app.state,
        actor_id=actor.user_id,
        actor_name=actor.shown_name,
        note=note.strip()[:TEXT_MAX],
        details={k: str(v) for k, v in details.items()},
        at=timezone.now(),
    )


def may_take(actor: Actor, app: Application, transition: Transition) -> bool:
    """The permission the step names, held over the unit it names: the household's community,
    street or district (a supervisor above it may take it too)."""
    return actor.has_perm(transition.permission) and actor.sees_path(app.path[: transition.level])


def _locked(actor: Actor, app: Application, action: str) -> tuple[Application, Transition]:
    """Lock the row, re-read it, check the actor and the state (409 naming both)."""
    transition = transition_for(action)
    if transition is None:
        raise not_found("操作", "Action")
    locked = Application.objects.select_for_update().get(pk=app.pk)
    if not may_take(actor, locked, transition):
        raise permission_denied()
    if locked.state not in transition.sources:
        state = ApplicationState(locked.state)
        raise conflict(
            Msg(
                f"申请当前处于「{state.label}」，不能「{transition.label.zh}」",
                f"The application is at '{state.value}'; '{transition.label.en}' is not allowed now",
            )
        )
    return locked, transition


def _need_text(problems: list[FieldError], name: str, value: str, zh: str, en: str, minimum: int = 2) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        problems.append(FieldError(name, Msg(zh, en)))
    elif len(value) > TEXT_MAX:
        problems.append(FieldError(name, Msg("内容过长（最多 2000 字）", "Too long (at most 2,000 characters)")))
    return value


def _today() -> date:
    return timezone.localdate()


def _parameter(name: str, on: date) -> Decimal:
    from linli.welfare.selectors.rules import rules_parameter

    try:
        return rules_parameter(name, on)
    except ParameterMissing as missing:
        raise _missing(missing) from None


def _missing(missing: ParameterMissing) -> DomainError:
    on = missing.on.isoformat() if missing.on else ""
    return conflict(
        Msg(
            f"规则参数「{missing.name}」在 {on} 没有取值，请市级民政部门先设定该参数",
            f"The rule parameter '{missing.name}' has no value on {on}; the city must set it first",
        )
    )


def _determine(household: Household, on: date) -> Result:
    from linli.welfare.selectors.rules import rules_determine

    try:
        return rules_determine(household, on)
    except ParameterMissing as missing:
        raise _missing(missing) from None


def _household(app: Application) -> Household | None:
    return facts_from_json(unseal(app.facts_sealed, context=FACTS_CONTEXT)) if app.facts_sealed else None


# ================================================================ opening


def desk_application_open(actor: Actor, case: HandledCase) -> Application:
    """The desk accepted a case of an item this stage decides: open its application, in the desk's
    transaction (a refusal here refuses the acceptance). The household is found by the community
    when it records the facts (the accepting window may be anywhere in the city)."""
    applied = desk_items().get(case.item_code)
    if applied is None:
        raise conflict(Msg("该事项不由社会救助办理", "This item is not handled by social assistance"))
    return _open(
        actor,
        applied_class=applied,
        applicant_ref=case.applicant_ref,
        applicant_name=case.applicant_name,
        applicant_id_masked=case.applicant_id_masked,
        path=case.home_path,
        accepted_path=case.accepted_path,
        channel=case.channel,
        desk_case_number=case.number,
        desk_case_ref=case.public_id,
    )


def desk_application_withdrawn(actor: Actor, case: HandledCase, note: str) -> None:
    """The applicant withdrew the desk case: the open application is withdrawn with it."""
    app = Application.objects.filter(desk_case_number=case.number).first()
    if app is None or app.state not in OPEN_STATES:
        return
    locked = Application.objects.select_for_update().get(pk=app.pk)
    from_state = locked.state
    locked.state = ApplicationState.WITHDRAWN
    locked.save(update_fields=["state", "updated_at"])
    _step(locked, actor, "withdraw", from_state, note or "在服务窗口撤回", desk=case.number)
    _audit(actor, "withdraw", locked, note or "在服务窗口撤回")


def application_create(*, actor: Actor, applicant_ref: str, applied_class: str, channel: str = "home") -> Application:
    """An application taken by the community without the desk (at home, 入户受理)."""
    if not actor.has_perm(WELFARE_INTAKE):
        raise permission_denied()
    problems = []
    if applied_class not in APPLIED_CLASSES:
        problems.append(FieldError("applied_class", Msg("请选择申请的救助类别", "Choose the class applied for")))
    person = welfare_person(actor=actor, public_id=applicant_ref) if applicant_ref else None
    if person is None:
        problems.append(
            FieldError("applicant", Msg("请先在本社区居民中选择申请人", "Choose the applicant among your residents"))
        )
    if problems:
        raise validation_failed(problems)
    assert person is not None
    with transaction.atomic():
        return _open(
            actor,
            applied_class=applied_class,
            applicant_ref=person.public_id,
            applicant_name=person.name,
            applicant_id_masked=person.id_number_masked,
            path=person.path,
            accepted_path=person.path[:12],
            channel=channel,
        )


def _open(actor: Actor, *, applied_class: str, applicant_ref: str, path: str, **fields) -> Application:
    open_one = Application.objects.filter(applicant_ref=applicant_ref, state__in=OPEN_STATES).first()
    if open_one is not None:
        raise conflict(
            Msg(
                f"申请人已有在办的救助申请 {open_one.number}，请在该申请中继续办理",
                f"The applicant already has an open application {open_one.number}; continue there",
            )
        )
    today = _today()
    number = application_number(path[:6], today, number_next(f"JZ{path[:6]}{today:%Y%m%d}"))
    app = Application.objects.create(
        number=number,
        applied_class=applied_class,
        applicant_ref=applicant_ref,
        path=path,
        head_name=fields["applicant_name"],
        created_by_id=actor.user_id,
        community_name=unit_names([path[:12]]).get(path[:12], ""),
        **fields,
    )
    _step(app, actor, "create", "", applied_class=applied_class, desk=fields.get("desk_case_number", ""))
    _audit(actor, "create", app, applied_class=applied_class)
    return app


# ================================================================ recording the household


@dataclass
class IncomeInput:
    source: str
    monthly: str  # as typed: "1200" or "1,200.50"


@dataclass
class MemberInput:
    ref: str  # the pool's public id, or "" for an outsider
    name: str
    birth_date: date | None
    sex: str = ""
    relation: str = ""
    disability_level: str = ""
    serious_illness: bool = False
    in_school: bool = False
    able_to_work: bool = True
    employed: bool = False
    care_need: str = ""
    incomes: list[IncomeInput] = field(default_factory=list)


@dataclass
class FactsInput:
    area: str = AreaType.URBAN
    members: list[MemberInput] = field(default_factory=list)
    head_ref: str = ""  # which member is the household head (the pool's head by default)
    deposits: str = "0"
    vehicles: int = 0
    vehicle_value: str = "0"
    homes: int = 1
    medical_costs: str = "0"
    education_costs: str = "0"
    disability_costs: str = "0"
    has_able_supporter: bool = False
    materials: dict[str, bool] = field(default_factory=dict)


def _money(problems: list[FieldError], name: str, value, zh: str, en: str) -> Decimal:
    text = str(value if value is not None else "").replace(",", "").replace("，", "").replace("¥", "").strip() or "0"
    try:
        amount = Decimal(text)
    except InvalidOperation:
        problems.append(FieldError(name, Msg(f"{zh}须为金额（元）", f"{en} must be an amount in yuan")))
        return Decimal("0")
    if not amount.is_finite() or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        problems.append(FieldError(name, Msg(f"{zh}最多两位小数", f"{en} has at most two decimals")))
        return Decimal("0")
    if amount < 0:
        problems.append(FieldError(name, Msg(f"{zh}不能为负数", f"{en} cannot be negative")))
        return Decimal("0")
    if amount > MONEY_MAX:
        problems.append(FieldError(name, Msg(f"{zh}过大", f"{en} is too large")))
        return Decimal("0")
    return amount.quantize(Decimal("0.01"))


def _members(
    app: Application, data: FactsInput, pool: dict[str, WelfarePerson], problems: list[FieldError], today: date
) -> tuple[list[Member], list[tuple[str | None, str, str]]]:
    members: list[Member] = []
    rows: list[tuple[str | None, str, str]] = []
    outsiders = 0
    if not data.members:
        problems.append(FieldError("members", Msg("请至少登记一名共同生活的家庭成员", "Record at least one member")))
    seen: set[str] = set()
    for index, item in enumerate(data.members):
        prefix = f"members.{index}"
        name = (item.name or "").strip()
        ref = (item.ref or "").strip()
        if ref:
            person = pool.get(ref)
            if person is None:
                problems.append(
                    FieldError(
                        f"{prefix}.ref", Msg(f"{name or ref} 不是本户的居民", f"{name or ref} is not of this household")
                    )
                )
                continue
            if ref in seen:
                problems.append(FieldError(f"{prefix}.ref", Msg(f"{name} 重复登记", f"{name} is recorded twice")))
                continue
            seen.add(ref)
            name = person.name
            birth = person.birth_date
            sex = person.gender if person.gender in ("male", "female") else ""
            member_ref = ref
        else:
            if not name or len(name) > 50:
                problems.append(FieldError(f"{prefix}.name", Msg("请填写成员姓名", "Give the member's name")))
            typed = item.birth_date
            if typed is None or typed > today or typed.year < 1900:
                problems.append(
                    FieldError(f"{prefix}.birth_date", Msg(f"请填写{name}的出生日期", f"Give {name}'s date of birth"))
                )
                continue
            birth = typed
            sex = item.sex if item.sex in ("male", "female") else ""
            outsiders += 1
            member_ref = f"outside-{outsiders}"
        if item.disability_level not in DISABILITY_LEVELS:
            problems.append(FieldError(f"{prefix}.disability_level", Msg("残疾等级无效", "Unknown disability level")))
        if item.care_need not in ("", "partial", "full"):
            problems.append(FieldError(f"{prefix}.care_need", Msg("照料需求无效", "Unknown care need")))
        incomes = []
        for income in item.incomes:
            label = INCOME_SOURCE_LABELS.get(income.source)
            if label is None:
                problems.append(FieldError(f"{prefix}.incomes", Msg("收入来源无效", "Unknown income source")))
                continue
            amount = _money(
                problems,
                f"{prefix}.incomes.{income.source}",
                income.monthly,
                f"{name}的{label.zh}",
                f"{name}'s {label.en.lower()}",
            )
            if amount > 0:
                incomes.append(Income(source=income.source, monthly=amount))
        members.append(
            Member(
                ref=member_ref,
                birth_date=birth,
                disability_level=item.disability_level if item.disability_level in DISABILITY_LEVELS else "",
                serious_illness=bool(item.serious_illness),
                in_school=bool(item.in_school),
                able_to_work=bool(item.able_to_work),
                employed=bool(item.employed),
                incomes=tuple(incomes),
                care_need=item.care_need if item.care_need in ("", "partial", "full") else "",
                sex=sex,
            )
        )
        rows.append((ref or None, name[:50], (item.relation or "")[:20]))
    return members, rows


def _member_elsewhere(
    app: Application, household_ref: str, refs: list[str], pool: dict[str, WelfarePerson]
) -> list[FieldError]:
    """A resident is in one assistance household at a time: not a member of another open (or
    approved and still on the roll) application, nor of another household on the roll."""
    problems = []
    on_roll = Recipient.objects.exclude(state=RecipientState.STOPPED).values("household_ref")
    others = (
        ApplicationMember.objects.filter(resident_ref__in=refs)
        .exclude(application=app)
        .filter(
            Q(application__state__in=OPEN_STATES)
            | Q(application__state=ApplicationState.APPROVED, application__household_ref__in=on_roll)
        )
        .exclude(application__household_ref=household_ref)
        .select_related("application")
    )
    for row in others:
        problems.append(
            FieldError(
                "members",
                Msg(
                    f"{row.name} 已是另一救助申请 {row.application.number} 的家庭成员，不能同时在两户",
                    f"{row.name} is already a member of application {row.application.number}; "
                    "a person cannot be in two households",
                ),
            )
        )
    households = {str(p.household_ref) for p in pool.values()}
    roll_elsewhere = Recipient.objects.exclude(state=RecipientState.STOPPED).exclude(household_ref=household_ref)
    if households and roll_elsewhere.filter(household_ref__in=list(households)).exists():
        problems.append(
            FieldError("members", Msg("有成员所在的另一户已在救助名册中", "A member's other household is on the roll"))
        )
    return problems


def application_record(*, actor: Actor, application: Application, data: FactsInput) -> Application:
    """Record (or correct) the household: members from the pool household with a tick, outsiders
    added by hand, incomes per member and source, property, rigid costs and the materials. Every
    problem is named by its field (a negative income by its member and source); nothing is saved
    unless all is right."""
    today = _today()
    with transaction.atomic():
        app, _transition = _locked(actor, application, "record")
        person = welfare_person(actor=actor, public_id=str(app.applicant_ref))
        if person is None or not person.household_ref:
            raise conflict(
                Msg(
                    "在人口信息库中找不到申请人的家庭，请先在居民信息中登记",
                    "The applicant's household is not in the resident pool; register it there first",
                )
            )
        people = {p.public_id: p for p in welfare_household_people(actor=actor, household_ref=person.household_ref)}
        problems: list[FieldError] = []
        if data.area not in AreaType.values:
            problems.append(FieldError("area", Msg("请选择城市或农村", "Choose urban or rural")))
        members, rows = _members(app, data, people, problems, today)
        money = {
            name: _money(problems, name, getattr(data, name), zh, en)
            for name, zh, en in (
                ("deposits", "存款及有价证券", "Deposits and securities"),
                ("vehicle_value", "车辆价值", "Vehicle value"),
                ("medical_costs", "每月自付医疗费用", "Monthly own-paid medical costs"),
                ("education_costs", "每月教育支出", "Monthly education costs"),
                ("disability_costs", "每月残疾康复支出", "Monthly disability costs"),
            )
        }
        for name, value, top in (("vehicles", data.vehicles, 20), ("homes", data.homes, 20)):
            if not isinstance(value, int) or not 0 <= value <= top:
                problems.append(FieldError(name, Msg("请填写 0 至 20 的整数", "A whole number from 0 to 20")))
        unknown = set(data.materials) - set(MATERIALS)
        if unknown:
            problems.append(FieldError("materials", Msg("未知的材料", "Unknown material")))
        app.household_ref = person.household_ref
        refs = [ref for ref, _, _ in rows if ref]
        problems += _member_elsewhere(app, person.household_ref, refs, {r: people[r] for r in refs})
        if problems:
            raise validation_failed(problems)
        household = Household(
            area=data.area,
            members=tuple(members),
            deposits=money["deposits"],
            vehicles=data.vehicles,
            vehicle_value=money["vehicle_value"],
            homes=data.homes,
            medical_costs=money["medical_costs"],
            education_costs=money["education_costs"],
            disability_costs=money["disability_costs"],
            has_able_supporter=bool(data.has_able_supporter),
        )
        chosen = next((name for ref, name, _ in rows if ref and ref == data.head_ref), "")
        head = chosen or _pool_head(people, refs) or rows[0][1]
        app.head_name = head[:50]
        app.area = data.area
        app.facts_sealed = seal(facts_to_json(household), context=FACTS_CONTEXT)
        app.materials = {key: bool(data.materials.get(key)) for key in MATERIALS}
        app.save()
        ApplicationMember.objects.filter(application=app).delete()
        ApplicationMember.objects.bulk_create(
            [
                ApplicationMember(application=app, resident_ref=ref, name=name, relation=relation, position=i)
                for i, (ref, name, relation) in enumerate(rows)
            ]
        )
        _step(app, actor, "record", app.state, members=len(rows))
        _audit(actor, "record", app, members=len(rows))
    return app


def _pool_head(people: dict, refs: list[str]) -> str:
    """The pool lists the household's head first: the first of them recorded here."""
    for person in people.values():
        if person.public_id in refs:
            return person.name
    return ""


def application_facts(*, actor: Actor, application: Application, purpose: str = "") -> Household | None:
    """The household's sealed facts, for who may see the application; every read is audited."""
    from linli.welfare.selectors.applications import may_read_facts

    if not may_read_facts(actor, application):
        raise permission_denied()
    household = _household(application)
    if household is not None:
        _audit(actor, "facts_read", application, purpose or "查看申请")
    return household


# ================================================================ the economic check


def application_request_check(*, actor: Actor, application: Application) -> Application:
    with transaction.atomic():
        app, transition = _locked(actor, application, "request_check")
        problems = []
        if not app.facts_sealed:
            problems.append(
                FieldError("members", Msg("请先登记家庭成员和收入", "Record the members and incomes first"))
            )
        missing = [MATERIALS[key] for key in REQUIRED_MATERIALS if not app.materials.get(key)]
        for material in missing:
            problems.append(
                FieldError("materials", Msg(f"缺少材料：{material.zh}", f"Missing material: {material.en}"))
            )
        if problems:
            raise validation_failed(problems)
        from_state = app.state
        app.state = transition.target
        app.check_requested_on = _today()
        app.save()
        _step(app, actor, "request_check", from_state)
        _audit(actor, "request_check", app)
    return app


def application_check_record(
    *, actor: Actor, application: Application, result: str, note: str = "", source: str = "manual"
) -> Application:
    """The check's result: consistent → the home survey; a discrepancy (with what differs) →
    back to recording, where the worker corrects the facts and asks again."""
    problems: list[FieldError] = []
    if result not in CheckResult.values:
        problems.append(FieldError("result", Msg("请选择核对结果", "Choose the check result")))
    note = (note or "").strip()
    if result == CheckResult.DISCREPANCY:
        _need_text(problems, "note", note, "请写明核对发现的差异", "Say what differs")
    if len(note) > 300:
        problems.append(FieldError("note", Msg("说明最多 300 字", "The note is at most 300 characters")))
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        app, _transition = _locked(actor, application, "record_check")
        from_state = app.state
        app.check_result, app.check_note, app.check_recorded_on = result, note, _today()
        app.state = ApplicationState.SURVEYING if result == CheckResult.CONSISTENT else ApplicationState.RECORDING
        app.save()
        _step(app, actor, "record_check", from_state, note, result=result, source=source)
        _audit(actor, "record_check", app, result=result, source=source)
    return app


@dataclass
class CheckImportResult:
    recorded: int
    problems: list[FieldError]


CHECK_RESULTS = {
    "一致": "consistent",
    "consistent": "consistent",
    "不一致": "discrepancy",
    "discrepancy": "discrepancy",
}


def check_results_import(*, actor: Actor, text: str) -> CheckImportResult:
    """The data exchange's answer as a CSV (UTF-8, header `number,id_number,result,note`; see
    docs/assistance.md): each line finds an application waiting for its check by its number or
    by the applicant's ID number; every bad line is named and nothing is recorded unless all lines
    are good."""
    from linli.residents.services import applicant_lookup

    if not actor.has_perm(WELFARE_INTAKE):
        raise permission_denied()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = {h.strip().lower() for h in (reader.fieldnames or [])}
    if not {"result"} <= header or not ({"number", "id_number"} & header):
        raise validation_failed(
            [
                FieldError(
                    "file",
                    Msg(
                        "文件首行须为：number,id_number,result,note",
                        "The first line must be: number,id_number,result,note",
                    ),
                )
            ]
        )
    problems: list[FieldError] = []
    todo: list[tuple[Application, str, str]] = []
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        result = CHECK_RESULTS.get(row.get("result", "").lower())
        if result is None:
            problems.append(
                FieldError(
                    f"line.{line}",
                    Msg(
                        f"第 {line} 行：核对结果须为“一致”或“不一致”",
                        f"Line {line}: result must be consistent or discrepancy",
                    ),
                )
            )
            continue
        app = None
        if row.get("number"):
            app = Application.objects.filter(number=row["number"]).first()
        elif row.get("id_number"):
            try:
                card = applicant_lookup(actor=actor, id_number=row["id_number"], purpose="家庭经济状况核对结果导入")
            except DomainError:
                card = None
            if card is not None:
                app = Application.objects.filter(applicant_ref=card.public_id, state=ApplicationState.CHECKING).first()
        if app is None or not actor.sees_path(app.path[:12]):
            problems.append(
                FieldError(
                    f"line.{line}",
                    Msg(f"第 {line} 行：找不到待核对的申请", f"Line {line}: no application waiting for its check"),
                )
            )
            continue
        if app.state != ApplicationState.CHECKING:
            problems.append(
                FieldError(
                    f"line.{line}",
                    Msg(
                        f"第 {line} 行：申请 {app.number} 不在核对环节",
                        f"Line {line}: application {app.number} is not waiting for its check",
                    ),
                )
            )
            continue
        if result == "discrepancy" and len(row.get("note", "")) < 2:
            problems.append(
                FieldError(
                    f"line.{line}", Msg(f"第 {line} 行：不一致须写明差异", f"Line {line}: a discrepancy needs its note")
                )
            )
            continue
        todo.append((app, result, row.get("note", "")[:300]))
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        for app, result, note in todo:
            application_check_record(actor=actor, application=app, result=result, note=note, source="import")
    return CheckImportResult(recorded=len(todo), problems=[])


# ================================================================ the home survey


def application_survey_record(
    *,
    actor: Actor,
    application: Application,
    surveyed_on: date | None,
    second_worker: str,
    conditions: list[str],
    findings: str,
) -> Application:
    """入户调查 by two workers: the actor and a second one named; the date (not in the future, not
    before the check), the living conditions ticked, the findings (sealed)."""
    problems: list[FieldError] = []
    today = _today()
    if surveyed_on is None or surveyed_on > today:
        problems.append(
            FieldError("surveyed_on", Msg("请填写调查日期（不能晚于今天）", "Give the survey date (not in the future)"))
        )
    second = (second_worker or "").strip()
    if len(second) < 2 or second == actor.shown_name or second == actor.username:
        problems.append(
            FieldError(
                "second_worker",
                Msg("入户调查须两名工作人员，请填写另一名工作人员", "A survey needs two workers: name the second one"),
            )
        )
    if set(conditions) - set(SURVEY_CONDITIONS):
        problems.append(FieldError("conditions", Msg("未知的调查项", "Unknown survey item")))
    findings = _need_text(problems, "findings", findings, "请填写调查情况", "Write the findings")
    if problems:
        raise validation_failed(problems)
    assert surveyed_on is not None
    with transaction.atomic():
        app, transition = _locked(actor, application, "record_survey")
        from_state = app.state
        app.surveyed_on = surveyed_on
        app.surveyors = [{"user_id": actor.user_id, "name": actor.shown_name}, {"user_id": None, "name": second[:50]}]
        app.survey_conditions = sorted(set(conditions))
        app.survey_findings_sealed = seal(findings, context=FINDINGS_CONTEXT)
        app.state = transition.target
        app.save()
        _step(app, actor, "record_survey", from_state, surveyed_on=surveyed_on, second=second[:50])
        _audit(actor, "record_survey", app)
    return app


# ================================================================ the street


def application_street_pass(
    *, actor: Actor, application: Application, opinion: str = "", notice_from: date | None = None
) -> Application:
    """The street passes: the rules give the proposed class and amount today; the notice is
    published for `notice.days` days from today — or from the day the paper notice was posted,
    when the street records its review afterwards (补录: not in the future, not before the home
    survey, at most 30 days back). Refused when the rules find the household not eligible
    (propose refusal instead)."""
    today = _today()
    with transaction.atomic():
        app, transition = _locked(actor, application, "street_pass")
        posted = notice_from or today
        earliest = max(app.surveyed_on or today, today - timedelta(days=30))
        if not earliest <= posted <= today:
            raise validation_failed(
                [
                    FieldError(
                        "notice_from",
                        Msg(
                            "公示开始日期不能晚于今天，也不能早于入户调查日期或 30 天前",
                            "The notice cannot start in the future, before the survey or over 30 days ago",
                        ),
                    )
                ]
            )
        household = _household(app)
        if household is None:
            raise conflict(Msg("申请尚未登记家庭情况", "The household has not been recorded"))
        result = _determine(household, today)
        if result.assistance_class == AssistanceClass.NONE:
            raise conflict(
                Msg(
                    "按现行规则该家庭不符合救助条件，请提出不予确认意见或退回社区核实",
                    "Under the rules this household is not eligible; propose refusal or return it",
                )
            )
        days = int(_parameter("notice.days", today))
        from_state = app.state
        app.proposed_class, app.proposed_amount = result.assistance_class, result.monthly_amount
        app.street_opinion = (opinion or "").strip()[:500]
        app.notice_from, app.notice_until = posted, posted + timedelta(days=days - 1)
        app.state = transition.target
        app.save()
        _step(
            app,
            actor,
            "street_pass",
            from_state,
            opinion,
            proposed_class=result.assistance_class,
            amount=result.monthly_amount,
            notice_until=app.notice_until,
        )
        _audit(actor, "street_pass", app, proposed_class=result.assistance_class, amount=result.monthly_amount)
    return app


def application_street_return(*, actor: Actor, application: Application, reasons: str) -> Application:
    return _with_reasons(
        actor, application, "street_return", reasons, "请写明退回的原因", "Give the reasons for returning"
    )


def application_street_refuse(*, actor: Actor, application: Application, reasons: str) -> Application:
    return _with_reasons(
        actor, application, "street_refuse", reasons, "请写明不予确认的理由", "Give the reasons for refusal"
    )


def application_county_return(*, actor: Actor, application: Application, reasons: str) -> Application:
    return _with_reasons(
        actor, application, "county_return", reasons, "请写明退回重审的原因", "Give the reasons for returning"
    )


def _with_reasons(actor: Actor, application: Application, action: str, reasons: str, zh: str, en: str) -> Application:
    problems: list[FieldError] = []
    reasons = _need_text(problems, "reasons", reasons, zh, en)
    with transaction.atomic():
        app, transition = _locked(actor, application, action)
        if problems:
            raise validation_failed(problems)
        from_state = app.state
        app.state = transition.target
        if action == "street_refuse":
            app.street_opinion = reasons[:500]
        app.save()
        _step(app, actor, action, from_state, reasons)
        _audit(actor, action, app, reasons)
    return app


# ================================================================ the notice


def notice_ended(app: Application, today: date) -> bool:
    return app.notice_until is not None and today > app.notice_until


def objection_record(
    *, actor: Actor, application: Application, text: str, received_on: date | None = None
) -> Objection:
    problems: list[FieldError] = []
    text = _need_text(problems, "text", text, "请填写异议内容", "Write the objection")
    received_on = received_on or _today()
    if received_on > _today():
        problems.append(FieldError("received_on", Msg("收到日期不能晚于今天", "Cannot be in the future")))
    with transaction.atomic():
        app, _transition = _locked(actor, application, "objection")
        if problems:
            raise validation_failed(problems)
        objection = Objection.objects.create(
            application=app,
            received_on=received_on,
            text_sealed=seal(text, context=OBJECTION_CONTEXT),
            recorded_by_name=actor.shown_name,
        )
        _step(app, actor, "objection", app.state, received_on=received_on)
        _audit(actor, "objection", app)
    return objection


def objection_answer(*, actor: Actor, objection: Objection, outcome: str, answer: str) -> Objection:
    problems: list[FieldError] = []
    if outcome not in ObjectionOutcome.values:
        problems.append(FieldError("outcome", Msg("请选择核实结论", "Choose the outcome")))
    answer = _need_text(problems, "answer", answer, "请填写答复", "Write the answer")
    with transaction.atomic():
        app, _transition = _locked(actor, objection.application, "objection_answer")
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.answered_on is not None:
            raise conflict(Msg("该异议已答复", "This objection has been answered"))
        if problems:
            raise validation_failed(problems)
        locked.answer_sealed = seal(answer, context=OBJECTION_CONTEXT)
        locked.outcome, locked.answered_on, locked.answered_by_name = outcome, _today(), actor.shown_name
        locked.save()
        _step(app, actor, "objection_answer", app.state, outcome=outcome)
        _audit(actor, "objection_answer", app, outcome=outcome)
    return locked


def objection_texts(objection: Objection) -> tuple[str, str]:
    """The objection and its answer, for the application page (who may read the facts)."""
    answer = unseal(objection.answer_sealed, context=OBJECTION_CONTEXT) if objection.answer_sealed else ""
    return unseal(objection.text_sealed, context=OBJECTION_CONTEXT), answer


# ================================================================ the county


def _determination(actor: Actor, app: Application, household: Household, result: Result, on: date) -> Determination:
    assert app.household_ref is not None  # set when the household was recorded
    return Determination.objects.create(
        household_ref=app.household_ref,
        path=app.path,
        area=app.area,
        on=on,
        assistance_class=result.assistance_class,
        monthly_amount=result.monthly_amount,
        members=result.members,
        facts_sealed=seal(facts_to_json(household), context=FACTS_CONTEXT),
        trace_sealed=seal(result.trace_json(), context=TRACE_CONTEXT),
        parameters_digest=result.parameters_digest,
        rules_version=result.rules_version,
        made_by_id=actor.user_id,
    )


def application_approve(*, actor: Actor, application: Application, note: str = "") -> Application:
    """审核确认 by the county: refused before the notice ended or with an objection unanswered;
    the rules decide the class and amount today (a missing parameter is named); the household
    is enrolled on the roll (paid from next month), the care groups follow, the desk case is
    decided. One transaction: nothing is half-done."""
    from linli.welfare.services.roll import roll_enrol

    today = _today()
    with transaction.atomic():
        app, transition = _locked(actor, application, "approve")
        if not notice_ended(app, today):
            until = app.notice_until.isoformat() if app.notice_until else ""
            raise conflict(
                Msg(
                    f"公示期至 {until} 结束，公示期满后才能审核确认",
                    f"The notice runs until {until}; approval is possible only after it ends",
                )
            )
        if app.objections.filter(answered_on__isnull=True).exists():
            raise conflict(Msg("公示异议尚未答复，答复后才能审核确认", "An objection is not answered yet"))
        household = _household(app)
        if household is None:
            raise conflict(Msg("申请尚未登记家庭情况", "The household has not been recorded"))
        result = _determine(household, today)
        if result.assistance_class == AssistanceClass.NONE:
            raise conflict(
                Msg(
                    "按现行规则该家庭不符合救助条件，只能不予确认（请写明理由）",
                    "Under the rules this household is not eligible; refuse it with reasons",
                )
            )
        determination = _determination(actor, app, household, result, today)
        # the roll enrols the household and sets the members' 低保/特困 care groups
        roll_enrol(actor=actor, determination=determination, head_name=app.head_name, decided_on=today)
        from_state = app.state
        app.state = transition.target
        app.decided_on, app.decision_note, app.determination = today, (note or "").strip()[:1000], determination
        app.save()
        _step(
            app,
            actor,
            "approve",
            from_state,
            note,
            assistance_class=result.assistance_class,
            amount=result.monthly_amount,
        )
        _audit(actor, "approve", app, note, assistance_class=result.assistance_class, amount=result.monthly_amount)
        if app.desk_case_ref:
            handled_case_decide(
                handler_key=HANDLER_KEY,
                case_public_id=str(app.desk_case_ref),
                decision="approved",
                note=(note or "审核确认").strip(),
                actor=actor,
            )
    return app


def application_refuse(*, actor: Actor, application: Application, reasons: str) -> Application:
    """不予确认 with reasons: the rules' result is stored with its trace (the written notice
    explains it line by line), due in writing within `refusal.notice_working_days` working days."""
    from linli.workdays.selectors import work_calendar

    today = _today()
    problems: list[FieldError] = []
    reasons = _need_text(problems, "reasons", reasons, "不予确认须写明理由", "A refusal needs its reasons")
    with transaction.atomic():
        app, transition = _locked(actor, application, "refuse")
        if problems:
            raise validation_failed(problems)
        household = _household(app)
        determination = None
        if household is not None and app.household_ref is not None:
            determination = _determination(actor, app, household, _determine(household, today), today)
        days = int(_parameter("refusal.notice_working_days", today))
        from_state = app.state
        app.state = transition.target
        app.decided_on, app.decision_note, app.determination = today, reasons[:1000], determination
        app.refusal_notice_due = work_calendar().add_working_days(today, days)
        app.save()
        _step(app, actor, "refuse", from_state, reasons, notice_due=app.refusal_notice_due)
        _audit(actor, "refuse", app, reasons)
        if app.desk_case_ref:
            handled_case_decide(
                handler_key=HANDLER_KEY,
                case_public_id=str(app.desk_case_ref),
                decision="denied",
                note=reasons,
                actor=actor,
            )
    return app


def application_withdraw(*, actor: Actor, application: Application, reason: str, confirm: bool) -> Application:
    """On the applicant's request: a reason and a confirmation; the desk case is withdrawn too."""
    problems: list[FieldError] = []
    reason = _need_text(problems, "reason", reason, "请填写撤回的原因", "Give the reason for withdrawing")
    if not confirm:
        problems.append(
            FieldError("confirm", Msg("撤回后不能恢复，请勾选确认", "Withdrawing cannot be undone: tick to confirm"))
        )
    with transaction.atomic():
        app, transition = _locked(actor, application, "withdraw")
        if problems:
            raise validation_failed(problems)
        from_state = app.state
        app.state = transition.target
        app.save()
        _step(app, actor, "withdraw", from_state, reason)
        _audit(actor, "withdraw", app, reason)
        if app.desk_case_ref:
            handled_case_withdraw(
                handler_key=HANDLER_KEY, case_public_id=str(app.desk_case_ref), note=reason, actor=actor
            )
    return app


def determination_trace(determination: Determination) -> list[dict]:
    """The trace lines of a determination (unsealed), for the decision page and the notice."""
    return json.loads(unseal(determination.trace_sealed, context=TRACE_CONTEXT))


def survey_findings(app: Application) -> str:
    return unseal(app.survey_findings_sealed, context=FINDINGS_CONTEXT) if app.survey_findings_sealed else ""
