"""Social assistance: applications (救助申请), from the desk to the county's decision (no ORM).

The workflow is the transition table below: a service looks the action up, checks the permission
it names against the actor and the unit it names (the household's community, its street or its
district) against the actor's scope, and the state it starts from against the locked row; each
step writes one append-only step row (the timeline) and one audit entry.

    recording (受理: members, incomes, property, rigid costs, materials)
      → checking (家庭经济状况核对: requested, result recorded; a discrepancy returns to recording)
      → surveying (入户调查 by two workers)
      → street_review (街道审核: pass to the notice, return with reasons, or propose refusal)
      → notice (公示, `notice.days` days; objections recorded and answered)
      → approved / refused (县级民政部门审核确认; approval only after the notice ended)
    county_decision: the street proposed a refusal; the county refuses (or returns it)
    withdrawn: on the applicant's request, with a reason, from any open state
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import WELFARE_DECIDE, WELFARE_INTAKE, WELFARE_REVIEW
from linli.core.errors import Msg


class ApplicationState(models.TextChoices):
    RECORDING = "recording", _("Recording the household")
    CHECKING = "checking", _("Economic check")
    SURVEYING = "surveying", _("Home survey")
    STREET_REVIEW = "street_review", _("Street review")
    NOTICE = "notice", _("Public notice")
    COUNTY_DECISION = "county_decision", _("County decision")
    APPROVED = "approved", _("Approved by the county")
    REFUSED = "refused", _("Refused by the county")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")


OPEN_STATES = frozenset(
    {
        ApplicationState.RECORDING,
        ApplicationState.CHECKING,
        ApplicationState.SURVEYING,
        ApplicationState.STREET_REVIEW,
        ApplicationState.NOTICE,
        ApplicationState.COUNTY_DECISION,
    }
)
STATE_ORDER = [s.value for s in ApplicationState]


class CheckResult(models.TextChoices):
    CONSISTENT = "consistent", _("Consistent with the declaration")
    DISCREPANCY = "discrepancy", _("Differs from the declaration")


class ObjectionOutcome(models.TextChoices):
    DISMISSED = "dismissed", _("Not upheld")
    UPHELD = "upheld", _("Upheld")


# what the home survey looks at (入户调查): a checklist ticked on the phone
SURVEY_CONDITIONS: dict[str, Msg] = {
    "housing_poor": Msg("住房简陋或面积狭小", "Poor or very small housing"),
    "no_valuables": Msg("无高档家电、贵重物品", "No expensive appliances or valuables"),
    "no_vehicle": Msg(
        "无机动车辆（残疾人代步车除外）", "No motor vehicle (a disabled person's mobility vehicle aside)"
    ),
    "illness_seen": Msg("有患病或残疾成员，需长期照料", "A member ill or disabled needing long-term care"),
    "members_confirmed": Msg("共同生活成员与申报一致", "Members living together as declared"),
    "income_plausible": Msg("生活状况与申报收入相符", "Living conditions match the declared income"),
}

# the materials of a 低保/特困 application (the desk's catalogue lists the same ones)
MATERIALS: dict[str, Msg] = {
    "letter": Msg("申请书", "Application letter"),
    "identity": Msg("家庭成员身份证、户口簿", "Members' ID cards and household register"),
    "authorisation": Msg("家庭经济状况核对授权书", "Authorisation to check the family's finances"),
    "declaration": Msg("收入、财产申报", "Declaration of income and property"),
    "certificates": Msg("残疾、疾病、在学等证明（按需）", "Certificates of disability, illness or schooling (if any)"),
}
REQUIRED_MATERIALS = ("letter", "identity", "authorisation", "declaration")

# income sources as a worker names them (the keys are `rules.facts` sources)
INCOME_SOURCE_LABELS: dict[str, Msg] = {
    "wage": Msg("工资性收入", "Wages"),
    "business": Msg("经营净收入", "Net business income"),
    "property": Msg("财产净收入", "Net property income"),
    "transfer": Msg("转移净收入（养老金、赡养费等）", "Transfers (pensions, support from relatives)"),
    "other": Msg("其他应计入收入", "Other counted income"),
    "special_care": Msg("优待抚恤金", "Special-care allowance"),
    "scholarship": Msg("奖学金、助学金", "Scholarships and grants"),
    "disability_allowance": Msg("残疾人两项补贴", "Disability allowances"),
    "assistance": Msg("政府发放的救助款物", "Government assistance"),
}

DISABILITY_LEVELS = ("", "1", "2", "3", "4")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str  # "" when the action leaves the state as it is (an objection) or chooses it
    permission: str
    level: int  # how many leading characters of the household's path name the acting unit
    label: Msg


def _t(action, sources, target, permission, level, zh, en) -> Transition:
    return Transition(action, frozenset(sources), target, permission, level, Msg(zh, en))


S = ApplicationState
COMMUNITY, STREET, DISTRICT = 12, 9, 6
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("record", {S.RECORDING}, "", WELFARE_INTAKE, COMMUNITY, "登记家庭情况", "Record the household"),
        _t(
            "request_check",
            {S.RECORDING},
            S.CHECKING,
            WELFARE_INTAKE,
            COMMUNITY,
            "申请经济状况核对",
            "Request the check",
        ),
        _t("record_check", {S.CHECKING}, "", WELFARE_INTAKE, COMMUNITY, "登记核对结果", "Record the check result"),
        _t(
            "record_survey",
            {S.SURVEYING},
            S.STREET_REVIEW,
            WELFARE_INTAKE,
            COMMUNITY,
            "登记入户调查",
            "Record the home survey",
        ),
        _t(
            "street_pass",
            {S.STREET_REVIEW},
            S.NOTICE,
            WELFARE_REVIEW,
            STREET,
            "审核通过并公示",
            "Pass and publish the notice",
        ),
        _t(
            "street_return",
            {S.STREET_REVIEW},
            S.RECORDING,
            WELFARE_REVIEW,
            STREET,
            "退回社区",
            "Return to the community",
        ),
        _t(
            "street_refuse",
            {S.STREET_REVIEW},
            S.COUNTY_DECISION,
            WELFARE_REVIEW,
            STREET,
            "提出不予确认意见",
            "Propose refusal",
        ),
        _t("objection", {S.NOTICE}, "", WELFARE_INTAKE, COMMUNITY, "登记异议", "Record an objection"),
        _t("objection_answer", {S.NOTICE}, "", WELFARE_INTAKE, COMMUNITY, "答复异议", "Answer an objection"),
        _t("approve", {S.NOTICE}, S.APPROVED, WELFARE_DECIDE, DISTRICT, "审核确认", "Approve"),
        _t("refuse", {S.NOTICE, S.COUNTY_DECISION}, S.REFUSED, WELFARE_DECIDE, DISTRICT, "不予确认", "Refuse"),
        _t(
            "county_return",
            {S.COUNTY_DECISION},
            S.STREET_REVIEW,
            WELFARE_DECIDE,
            DISTRICT,
            "退回街道重审",
            "Return to the street",
        ),
        _t("withdraw", OPEN_STATES, S.WITHDRAWN, WELFARE_INTAKE, COMMUNITY, "申请人撤回", "Withdrawn by the applicant"),
    )
}
CREATE_LABEL = Msg("受理申请", "Application accepted")


def transition_for(action: str) -> Transition | None:
    return TRANSITIONS.get(action)


def action_label(action: str) -> Msg:
    transition = TRANSITIONS.get(action)
    return transition.label if transition else CREATE_LABEL if action == "create" else Msg(action, action)


def actions_from(state: str) -> list[str]:
    return [t.action for t in TRANSITIONS.values() if state in t.sources]


def application_number(district_code: str, day: date, sequence: int) -> str:
    """JZ + the district's code + the day + a four-digit sequence: JZ210102202612070001."""
    return f"JZ{district_code}{day:%Y%m%d}{sequence:04d}"


NUMBER_RE = re.compile(r"^JZ\d{6}\d{8}\d{4,}$")


def masked_given_name(name: str) -> str:
    """The notice's name: the surname kept, the given name masked but its last character
    (张*明; 李* for a two-character name; a compound surname is not guessed)."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name + "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


AUDIT_ACTIONS: dict[str, Msg] = {
    "welfare.application_create": Msg("受理救助申请", "Social assistance application accepted"),
    "welfare.application_record": Msg("登记救助申请家庭情况", "Household facts of an application recorded"),
    "welfare.application_request_check": Msg("申请家庭经济状况核对", "Economic check requested"),
    "welfare.application_record_check": Msg("登记家庭经济状况核对结果", "Economic check result recorded"),
    "welfare.application_check_import": Msg("导入家庭经济状况核对结果", "Economic check results imported"),
    "welfare.application_record_survey": Msg("登记入户调查", "Home survey recorded"),
    "welfare.application_street_pass": Msg("街道审核通过并公示", "Street review passed, notice published"),
    "welfare.application_street_return": Msg("街道退回社区", "Returned to the community by the street"),
    "welfare.application_street_refuse": Msg("街道提出不予确认意见", "Refusal proposed by the street"),
    "welfare.application_objection": Msg("登记公示异议", "Objection to a notice recorded"),
    "welfare.application_objection_answer": Msg("答复公示异议", "Objection to a notice answered"),
    "welfare.application_approve": Msg("救助申请审核确认", "Social assistance approved"),
    "welfare.application_refuse": Msg("救助申请不予确认", "Social assistance refused"),
    "welfare.application_county_return": Msg("县级退回街道重审", "Returned to the street by the county"),
    "welfare.application_withdraw": Msg("救助申请撤回", "Social assistance application withdrawn"),
    "welfare.facts_read": Msg("查看救助家庭经济状况", "Household facts of an application read"),
    "welfare.notice_pdf": Msg("打印救助认定通知书", "Determination notice printed"),
}
