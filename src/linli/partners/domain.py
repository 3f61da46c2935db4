"""Rules of social organisations with no ORM: the four kinds, 登记 or 备案, the unified social
credit code (GB 32100-2015, standards.md §4.2), the scoring of a yearly evaluation against a sheet
kept as data, social workers' certificate levels and the states of offered premises."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg


class OrgKind(models.TextChoices):
    """The four kinds of community social organisation named by the plan (seed section 七)."""

    LIFE_SERVICE = "life_service", _("Life services")  # 生活服务类
    CHARITY = "charity", _("Public welfare and charity")  # 公益慈善类
    RELIEF = "relief", _("Relief and assistance")  # 救助帮扶类
    MUTUAL_AID = "mutual_aid", _("Residents' mutual aid")  # 居民互助类


KIND_EN = {
    OrgKind.LIFE_SERVICE: "Life services",
    OrgKind.CHARITY: "Public welfare and charity",
    OrgKind.RELIEF: "Relief and assistance",
    OrgKind.MUTUAL_AID: "Residents' mutual aid",
}


class OrgStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered (with a credit code)")  # 登记
    FILED = "filed", _("Filed with the street or community")  # 备案


class CertificateLevel(models.TextChoices):
    """National social-work professional levels (社会工作者职业水平)."""

    NONE = "none", _("No certificate")
    ASSISTANT = "assistant", _("Assistant social worker")  # 助理社会工作师
    SOCIAL_WORKER = "social_worker", _("Social worker (intermediate level)")  # 社会工作师
    SENIOR = "senior", _("Senior social worker")  # 高级社会工作师


class PremisesStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    IN_USE = "in_use", _("In community use")
    RETURNED = "returned", _("Returned")


PREMISES_TRANSITIONS = {
    PremisesStatus.OFFERED: {PremisesStatus.IN_USE, PremisesStatus.RETURNED},
    PremisesStatus.IN_USE: {PremisesStatus.RETURNED},
    PremisesStatus.RETURNED: set(),
}

# a filed (备案) organisation older than this is reminded to register
FILED_REMINDER_DAYS = 365
# premises whose term ends within this many days are shown on the officer's workbench
TERM_ENDING_DAYS = 60
# the plan's starting figure: community social organisations in the city today (seed section 七)
BASELINE_ORGS = 10142


# ---- the unified social credit code (GB 32100-2015) ---------------------------------------------

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# 登记管理部门代码: 1-9, A, N, Y (widened in 2016; standards.md §4.2). Category chars are not
# whitelisted: pairs such as the 居委会's are unverified.
CREDIT_DEPARTMENTS = "123456789ANY"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 组织机构代码


def credit_check_char(first17: str) -> str:
    remainder = 31 - sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True)) % 31
    return CREDIT_CHARS[0 if remainder == 31 else remainder]


def org_code_check_char(first8: str) -> str:
    """GB 11714: the 9th character of an organisation code (digits and capitals count 0-35)."""
    total = sum(int(c, 36) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def normalise_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def credit_code_problem(value: str) -> Msg | None:
    """Why `value` is not a valid unified social credit code, or None. The caller normalises
    (strip, upper case) first; lower-case letters are refused here."""
    if not value:
        return Msg("请填写统一社会信用代码", "Enter the unified social credit code")
    if len(value) != 18:
        return Msg(
            f"统一社会信用代码应为18位，这里是{len(value)}位", f"A credit code has 18 characters, this one {len(value)}"
        )
    bad = [c for c in value if c not in CREDIT_CHARS]
    if bad:
        return Msg(
            f"统一社会信用代码含有不允许的字符“{bad[0]}”（不使用I、O、Z、S、V）",
            f"The credit code contains a character not allowed: {bad[0]!r} (I, O, Z, S, V are never used)",
        )
    if value[0] not in CREDIT_DEPARTMENTS:
        return Msg(
            f"第1位登记管理部门代码“{value[0]}”不存在", f"The registering department code {value[0]!r} does not exist"
        )
    if not value[2:8].isdigit():
        return Msg("第3至8位应为行政区划代码（数字）", "Characters 3-8 must be a division code (digits)")
    if credit_check_char(value[:17]) != value[17]:
        return Msg(
            "统一社会信用代码校验位不对，请核对是否抄错", "The credit code's check character is wrong; check for a typo"
        )
    return None


# ---- the yearly evaluation -----------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    key: str
    name: str
    name_en: str
    max_points: Decimal
    weight: Decimal

    def label(self, language: str | None) -> str:
        return self.name_en if (language or "").startswith("en") else self.name


def criteria_from_data(rows: list[dict]) -> list[Criterion]:
    return [
        Criterion(
            key=str(row["key"]),
            name=str(row["name"]),
            name_en=str(row.get("name_en") or row["name"]),
            max_points=Decimal(str(row["max_points"])),
            weight=Decimal(str(row.get("weight", 1))),
        )
        for row in rows
    ]


def sheet_problems(criteria: list[dict], thresholds: list[list]) -> list[Msg]:
    """What is wrong with a scoring sheet's data (criteria and grade thresholds)."""
    problems: list[Msg] = []
    if not criteria:
        problems.append(Msg("评分表至少要有一项指标", "A sheet needs at least one criterion"))
    keys: set[str] = set()
    for row in criteria:
        try:
            criterion = criteria_from_data([row])[0]
        except (KeyError, ArithmeticError, TypeError, ValueError):
            problems.append(Msg("指标缺少名称、满分或权重", "A criterion lacks its name, maximum or weight"))
            continue
        if criterion.key in keys:
            problems.append(Msg(f"指标“{criterion.key}”重复", f"Criterion {criterion.key!r} appears twice"))
        keys.add(criterion.key)
        if criterion.max_points <= 0 or criterion.weight <= 0:
            problems.append(
                Msg(
                    f"指标“{criterion.name}”的满分和权重须大于0", f"{criterion.name_en}: maximum and weight must be > 0"
                )
            )
    grades = [str(grade) for grade, _minimum in thresholds]
    if not thresholds or len(set(grades)) != len(grades):
        problems.append(Msg("等级门槛须至少一项且不重复", "Grade thresholds must be given once each"))
    return problems


def score_problems(criteria: list[Criterion], scores: dict[str, Decimal]) -> list[tuple[str, Msg]]:
    """(criterion key, why) for each missing, unknown or out-of-range score."""
    problems: list[tuple[str, Msg]] = []
    known = {c.key for c in criteria}
    for key in scores:
        if key not in known:
            problems.append((key, Msg(f"评分表中没有指标“{key}”", f"The sheet has no criterion {key!r}")))
    for criterion in criteria:
        points = scores.get(criterion.key)
        if points is None:
            problems.append(
                (criterion.key, Msg(f"请为“{criterion.name}”打分", f"Enter a score for {criterion.name_en}"))
            )
        elif points < 0 or points > criterion.max_points:
            problems.append(
                (
                    criterion.key,
                    Msg(
                        f"“{criterion.name}”的得分应在0到{criterion.max_points}之间",
                        f"{criterion.name_en}: the score must be between 0 and {criterion.max_points}",
                    ),
                )
            )
    return problems


def weighted_total(criteria: list[Criterion], scores: dict[str, Decimal]) -> Decimal:
    """The total on a 100-point scale: each criterion's share of its maximum, weighted.
    With weights all 1 and maxima summing to 100 this is the plain sum."""
    weights = sum((c.weight * c.max_points for c in criteria), Decimal(0))
    if not weights:
        return Decimal(0)
    raw = sum((c.weight * scores.get(c.key, Decimal(0)) for c in criteria), Decimal(0))
    return (raw * 100 / weights).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def grade_for(total: Decimal, thresholds: list[list]) -> str:
    """The highest grade whose minimum the total reaches; "" when none (not graded)."""
    for grade, minimum in sorted(thresholds, key=lambda row: Decimal(str(row[1])), reverse=True):
        if total >= Decimal(str(minimum)):
            return str(grade)
    return ""


GRADES = ("5A", "4A", "3A", "2A", "1A")

# The shipped default sheet (editable data, marked unverified): modelled on the civil-affairs
# evaluation of social organisations (社会组织评估: 基础条件, 内部治理, 工作绩效, 社会评价), scaled to
# community organisations. Thresholds follow the usual 5A ≥ 90 ... 1A ≥ 60 pattern; a city replaces
# them with its own published rules.
DEFAULT_SHEET: dict[str, Any] = {
    "name": "社区社会组织年度评估表（默认，未核实）",
    "name_en": "Community social organisation yearly evaluation (default, unverified)",
    "criteria": [
        {"key": "basics", "name": "基础条件", "name_en": "Basic conditions", "max_points": 20, "weight": 1},
        {"key": "governance", "name": "内部治理", "name_en": "Internal governance", "max_points": 25, "weight": 1},
        {"key": "performance", "name": "工作绩效", "name_en": "Work performance", "max_points": 35, "weight": 1},
        {"key": "reputation", "name": "社会评价", "name_en": "Residents' assessment", "max_points": 20, "weight": 1},
    ],
    "thresholds": [["5A", 90], ["4A", 80], ["3A", 70], ["2A", 60], ["1A", 50]],
}


def coverage_rate(covered: int, total: int) -> Decimal | None:
    """Share in per cent, one decimal; None for no streets."""
    if not total:
        return None
    return (Decimal(covered) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# The register's spreadsheet columns (export, import and its template): key, Chinese, English.
REGISTER_COLUMNS = [
    ("name", "名称", "Name"),
    ("kind", "类别", "Kind"),
    ("status", "登记或备案", "Registered or filed"),
    ("credit_code", "统一社会信用代码", "Unified social credit code"),
    ("unit", "所在单位代码", "Unit code"),
    ("citywide", "全市性", "Citywide"),
    ("responsible_name", "负责人", "Responsible person"),
    ("responsible_phone", "负责人电话", "Responsible person's phone"),
    ("premises", "活动场所", "Premises"),
    ("services", "服务内容", "Services offered"),
    ("founded_on", "成立日期", "Founded"),
    ("filed_on", "登记或备案日期", "Registered or filed on"),
    ("name_en", "英文名称", "English name"),
]
KIND_ZH = {
    OrgKind.LIFE_SERVICE: "生活服务类",
    OrgKind.CHARITY: "公益慈善类",
    OrgKind.RELIEF: "救助帮扶类",
    OrgKind.MUTUAL_AID: "居民互助类",
}
STATUS_ZH = {OrgStatus.REGISTERED: "登记", OrgStatus.FILED: "备案"}
YES_WORDS = frozenset({"是", "y", "yes", "true", "1", "全市"})


# The audit log's names for what this app writes (merged by `portal.audit_actions`).
AUDIT_ACTIONS: dict[str, Msg] = {
    "partners.org.create": Msg("社会组织：登记入册", "Social organisation: entered"),
    "partners.org.update": Msg("社会组织：修改", "Social organisation: edited"),
    "partners.org.deregister": Msg("社会组织：注销", "Social organisation: deregistered"),
    "partners.org.phone_reveal": Msg("社会组织：查看负责人电话", "Social organisation: phone revealed"),
    "partners.org.bulk_create": Msg("社会组织：批量导入", "Social organisations: imported"),
    "partners.member.link": Msg("社会组织：关联账号", "Social organisation: account linked"),
    "partners.member.unlink": Msg("社会组织：解除账号", "Social organisation: account unlinked"),
    "partners.sheet.update": Msg("社会组织：修改评估表", "Social organisations: scoring sheet edited"),
    "partners.evaluation.record": Msg("社会组织：年度评估", "Social organisation: evaluated"),
    "partners.evaluation.bulk_record": Msg("社会组织：批量评估", "Social organisations: evaluations imported"),
    "partners.station.create": Msg("社工站：设立", "Social-work station: opened"),
    "partners.station.update": Msg("社工站：修改", "Social-work station: edited"),
    "partners.worker.create": Msg("社会工作者：登记", "Social worker: entered"),
    "partners.worker.update": Msg("社会工作者：修改", "Social worker: edited"),
    "partners.worker.bulk_create": Msg("社会工作者：批量导入", "Social workers: imported"),
    "partners.premises.create": Msg("闲置场地：登记", "Premises: entered"),
    "partners.premises.update": Msg("闲置场地：修改", "Premises: edited"),
    "partners.premises.offered": Msg("闲置场地：可提供", "Premises: offered"),
    "partners.premises.in_use": Msg("闲置场地：投入社区使用", "Premises: in community use"),
    "partners.premises.returned": Msg("闲置场地：退还", "Premises: returned"),
}
