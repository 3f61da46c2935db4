"""The mediator pool (人民调解员, 专家库) and the plan's staffing rule: 1–2 full-time mediators in
every street or town and 1 in every community (seed section 十). No ORM.

Where a mediator serves follows their kind: a committee member serves a community (or village)
committee, a full-time mediator a street or town, an expert the district's or the city's pool; a
volunteer may serve any unit from the community up. The staffing rule marks a unit red where it
falls below the minimum, amber where a street has its one full-time mediator but not the goal of
two, green otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

STREET_FULL_TIME_MIN, STREET_FULL_TIME_GOAL = 1, 2
COMMUNITY_MIN = 1
COMMUNITY_LEN, STREET_LEN, DISTRICT_LEN, CITY_LEN = 12, 9, 6, 4
TRAINING_HOURS_MAX = 24  # one record is one day's training at most
PHONE_CONTEXT = "mediation.mediator_phone"
KIND_CODE_MAX = 24


class MediatorKind(models.TextChoices):
    COMMITTEE = "committee", _("Community mediation committee member")
    FULL_TIME = "full_time", _("Full-time mediator")
    EXPERT = "expert", _("Expert mediator")
    VOLUNTEER = "volunteer", _("Volunteer mediator")


class StaffingMark(models.TextChoices):
    RED = "red", _("No mediator")
    AMBER = "amber", _("Below the goal")
    GREEN = "green", _("Staffed")


# the unit levels (by path length) each kind may serve
KIND_LEVELS: dict[str, frozenset[int]] = {
    MediatorKind.COMMITTEE: frozenset({COMMUNITY_LEN}),
    MediatorKind.FULL_TIME: frozenset({STREET_LEN}),
    MediatorKind.EXPERT: frozenset({DISTRICT_LEN, CITY_LEN}),
    MediatorKind.VOLUNTEER: frozenset({COMMUNITY_LEN, STREET_LEN, DISTRICT_LEN, CITY_LEN}),
}
KIND_NAMES: dict[str, Msg] = {
    MediatorKind.COMMITTEE: Msg("人民调解委员会委员", "committee member"),
    MediatorKind.FULL_TIME: Msg("专职调解员", "full-time mediator"),
    MediatorKind.EXPERT: Msg("专家调解员", "expert mediator"),
    MediatorKind.VOLUNTEER: Msg("志愿调解员", "volunteer mediator"),
}
KIND_LEVEL_WORDS: dict[str, Msg] = {
    MediatorKind.COMMITTEE: Msg("社区（村）", "a community or village"),
    MediatorKind.FULL_TIME: Msg("街道（乡镇）", "a street or town"),
    MediatorKind.EXPERT: Msg("区县或市", "a district or the city"),
    MediatorKind.VOLUNTEER: Msg("社区、街道、区县或市", "a community, street, district or the city"),
}


def kind_level_problem(kind: str, unit_path: str) -> Msg | None:
    """Why a mediator of `kind` cannot serve the unit at `unit_path`, or None when they can."""
    if kind not in KIND_LEVELS:
        return Msg("请选择调解员类别", "Choose the mediator's kind")
    if len(unit_path) in KIND_LEVELS[kind]:
        return None
    name, where = KIND_NAMES[kind], KIND_LEVEL_WORDS[kind]
    return Msg(f"{name.zh}只能设在{where.zh}", f"A {name.en} serves {where.en} only")


def staffing_mark(count: int, minimum: int, goal: int | None = None) -> str:
    if count < minimum:
        return StaffingMark.RED
    if goal is not None and count < goal:
        return StaffingMark.AMBER
    return StaffingMark.GREEN


def success_rate(agreed: int, failed: int) -> float | None:
    """Agreements over mediations concluded (agreed or failed); None before any is concluded."""
    concluded = agreed + failed
    return agreed / concluded if concluded else None


@dataclass(frozen=True)
class StaffingLine:
    """One unit under the staffing rule: how many mediators of the counted kind it has."""

    path: str
    name: str
    level: str  # "street" or "community"
    count: int
    minimum: int
    goal: int

    @property
    def mark(self) -> str:
        return staffing_mark(self.count, self.minimum, self.goal)


AUDIT_ACTIONS: dict[str, Msg] = {
    "mediation.mediator_add": Msg("登记调解员", "Mediator registered"),
    "mediation.mediator_import": Msg("批量登记调解员", "Mediators registered in bulk"),
    "mediation.mediator_edit": Msg("修改调解员信息", "Mediator details changed"),
    "mediation.mediator_end": Msg("调解员离任", "Mediator left the pool"),
    "mediation.mediator_training": Msg("记录调解员培训", "Mediator training recorded"),
    "mediation.mediator_reveal": Msg("查看调解员电话", "Mediator's phone read"),
    "mediation.kind_add": Msg("新增纠纷类型", "Dispute kind added"),
    "mediation.kind_edit": Msg("修改纠纷类型", "Dispute kind changed"),
    "mediation.kind_deactivate": Msg("停用纠纷类型", "Dispute kind deactivated"),
    "mediation.kind_activate": Msg("启用纠纷类型", "Dispute kind reactivated"),
}
