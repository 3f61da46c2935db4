"""Demo data of safe community, stage screening, made through this app's services: a year of
monthly dispute screenings for the showcase district's communities, the counts taken from the
disputes registered there (`screening_suggestions`, run after the disputes' demo) plus what the
screening found beyond them, with a few risks named; a few communities overdue last month and
a few gaps in earlier months. The showcase community's last month is left to file (the demo
community worker's workbench shows it, the form pre-fills it). Idempotent."""

from __future__ import annotations

import random

from django.utils import timezone

from linli.accounts.domain import MEDIATION_SCREEN, MEDIATION_VIEW
from linli.areas.selectors import units_under
from linli.core.actor import Actor
from linli.mediation.domain.screening import (
    TREND_MONTHS,
    Counts,
    RiskLevel,
    month_start,
    months_back,
    previous_month,
)
from linli.mediation.selectors.screening import screening_list, screening_suggestions
from linli.mediation.services.screening import RiskInput, ScreeningInput, screening_file_many

SEED = 20261208
OVERDUE_EVERY = 8  # one community in eight has not filed last month
GAP_SHARE = 0.03  # and a few months missing earlier
NONE_FOUND = Counts(0, 0, 0, 0)
RISKS = [
    (RiskLevel.HIGH, "拆迁安置补偿争议，部分住户情绪激动", "街道牵头约谈，法律顾问释法"),
    (RiskLevel.MEDIUM, "老旧小区物业费欠缴引发集体不满", "社区协调物业公司公开账目"),
    (RiskLevel.MEDIUM, "工地夜间施工噪音投诉集中", "联系城管执法，限定施工时间"),
    (RiskLevel.LOW, "楼道堆物引发邻里口角", "网格员上门劝导清理"),
]


def _report(base: Counts, rng: random.Random) -> ScreeningInput:
    """The disputes registered there that month, and a few the screening found besides."""
    extra = rng.choice([0, 0, 1, 2])
    extra_resolved = rng.randint(0, extra)
    risks = [RiskInput(*RISKS[rng.randrange(len(RISKS))])] if rng.random() < 0.15 else []
    return ScreeningInput(
        found=base.found + extra,
        in_mediation=base.in_mediation + (extra - extra_resolved),
        resolved=base.resolved + extra_resolved,
        escalated_risks=max(base.escalated_risks, len(risks)),
        note="",
        risks=risks,
    )


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    district = showcase_path[:6]
    actor = Actor.system(
        "demo-screening", permissions=frozenset({MEDIATION_SCREEN, MEDIATION_VIEW}), root_path=city_path
    )
    if screening_list(actor=actor).filter(path__startswith=district).exists():
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    last = previous_month(month_start(today))
    communities = [p for p, _, _ in units_under(under=district, kinds=("community", "village"))]
    reports = []
    months = months_back(last, TREND_MONTHS)
    suggested = {month: screening_suggestions(district, month) for month in months}
    for index, path in enumerate(communities):
        for month in months:
            if month == last and (path == showcase_path or index % OVERDUE_EVERY == OVERDUE_EVERY - 1):
                continue
            if month != last and rng.random() < GAP_SHARE:
                continue
            base = suggested[month].get(path, NONE_FOUND)
            reports.append((path, month, _report(base, rng)))
    filed = screening_file_many(actor=actor, reports=reports, today=today)
    log(f"矛盾纠纷排查 screenings: {filed}")
