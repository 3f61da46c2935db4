"""Writes of the monthly dispute screening: a community's report filed (once per month; not for a
month to come, the current month only in its last days; counts checked) and corrected with the
reason (the old counts kept in the audit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.accounts.domain import MEDIATION_SCREEN
from linli.areas.selectors import org_unit_by_path
from linli.core.actor import Actor
from linli.core.errors import FieldError, Msg, conflict, field_error, not_found, validation_failed
from linli.mediation.domain.mediators import COMMUNITY_LEN
from linli.mediation.domain.screening import (
    RISKS_MAX,
    Counts,
    RiskLevel,
    counts_problems,
    month_problem,
    month_start,
)
from linli.mediation.models import DisputeScreening, ScreeningRisk
from linli.mediation.services.common import audit


@dataclass(frozen=True)
class RiskInput:
    """A risk named in a report: its level, what it is and the measure taken (no names)."""

    level: str
    description: str
    measure: str = ""


@dataclass
class ScreeningInput:
    found: int = 0
    in_mediation: int = 0
    resolved: int = 0
    escalated_risks: int = 0
    note: str = ""
    risks: list[RiskInput] = field(default_factory=list)

    @property
    def counts(self) -> Counts:
        return Counts(self.found, self.in_mediation, self.resolved, self.escalated_risks)


def _community(actor: Actor, path: str) -> str:
    """The community the actor may file for (MEDIATION_SCREEN in its scope); else 404."""
    unit = org_unit_by_path(path) if path.isdigit() and len(path) == COMMUNITY_LEN else None
    if unit is None or not actor.has_perm(MEDIATION_SCREEN) or not actor.sees_path(path):
        raise not_found("社区", "Community")
    return path


def _risk_problems(risks: list[RiskInput]) -> list[FieldError]:
    if len(risks) > RISKS_MAX:
        return [field_error("risks", f"风险最多填写 {RISKS_MAX} 条", f"At most {RISKS_MAX} risks")]
    for number, risk in enumerate(risks, start=1):
        if risk.level not in RiskLevel.values or not risk.description.strip():
            return [
                field_error(
                    "risks",
                    f"第 {number} 条风险：请选择等级并填写情况",
                    f"Risk {number}: choose its level and describe it",
                )
            ]
    return []


def _input_problems(data: ScreeningInput) -> list[FieldError]:
    return counts_problems(data.counts) + _risk_problems(data.risks)


def _risks_write(screening: DisputeScreening, risks: list[RiskInput]) -> None:
    ScreeningRisk.objects.bulk_create(
        ScreeningRisk(
            screening=screening,
            level=r.level,
            description=r.description.strip()[:200],
            measure=r.measure.strip()[:200],
        )
        for r in risks
    )


def screening_file(*, actor: Actor, path: str, month: date, data: ScreeningInput, today: date | None = None):
    """File the community's report for `month` (any day of it). Refused: a month to come, the
    current month before its last days, a second report (correct the first instead), negative
    counts, more in mediation and resolved than found."""
    path = _community(actor, path)
    today = today or timezone.localdate()
    month = month_start(month)
    problem = month_problem(month, today)
    problems = [FieldError("month", problem)] if problem else []
    problems += _input_problems(data)
    if problems:
        raise validation_failed(problems)
    try:
        with transaction.atomic():
            return _screening_create(actor, path, month, data)
    except IntegrityError:
        raise _already_filed(month) from None


def _already_filed(month: date):
    return conflict(
        Msg(
            f"{month:%Y年%m月}的排查报告已报送；如有错误请更正（需填写原因）",
            f"The report for {month:%Y-%m} is filed already; correct it instead (with the reason)",
        )
    )


def _screening_create(actor: Actor, path: str, month: date, data: ScreeningInput) -> DisputeScreening:
    if DisputeScreening.objects.filter(path=path, month=month).exists():
        raise _already_filed(month)
    screening = DisputeScreening.objects.create(
        path=path,
        month=month,
        found=data.found,
        in_mediation=data.in_mediation,
        resolved=data.resolved,
        escalated_risks=data.escalated_risks,
        note=data.note.strip()[:500],
        filed_by_id=actor.user_id,
        filed_by_name=actor.shown_name,
        filed_at=timezone.now(),
    )
    _risks_write(screening, data.risks)
    audit(actor, "screening_file", "screening", screening.public_id, path, month=f"{month:%Y-%m}")
    return screening


@transaction.atomic
def screening_correct(*, actor: Actor, screening: DisputeScreening, data: ScreeningInput, reason: str):
    """Rewrite a filed report's counts, note and risks, with the reason; the old counts are kept
    in the audit record."""
    locked = DisputeScreening.objects.select_for_update().filter(pk=screening.pk).first()
    if locked is None:
        raise not_found("排查报告", "Screening report")
    screening = locked
    _community(actor, screening.path)
    reason = (reason or "").strip()
    problems = _input_problems(data)
    if not reason:
        problems.append(field_error("reason", "请填写更正原因", "Give the reason for the correction"))
    if problems:
        raise validation_failed(problems)
    old = {
        "found": screening.found,
        "in_mediation": screening.in_mediation,
        "resolved": screening.resolved,
        "escalated_risks": screening.escalated_risks,
        "risks": screening.risks.count(),
    }
    screening.found, screening.in_mediation = data.found, data.in_mediation
    screening.resolved, screening.escalated_risks = data.resolved, data.escalated_risks
    screening.note = data.note.strip()[:500]
    screening.save(update_fields=["found", "in_mediation", "resolved", "escalated_risks", "note"])
    screening.risks.all().delete()
    _risks_write(screening, data.risks)
    audit(
        actor,
        "screening_correct",
        "screening",
        screening.public_id,
        screening.path,
        reason=reason[:300],
        month=f"{screening.month:%Y-%m}",
        old=old,
    )
    return screening


@transaction.atomic
def screening_file_many(*, actor: Actor, reports: list[tuple[str, date, ScreeningInput]], today: date | None = None):
    """File many communities' reports at once (a street's backlog entered from paper, the demo):
    each checked as `screening_file` checks it, all or nothing, one audit line. Months already
    filed are refused as in `screening_file`."""
    today = today or timezone.localdate()
    screenings, risks = [], []
    now = timezone.now()
    for path, month, data in reports:
        path, month = _community(actor, path), month_start(month)
        problem = month_problem(month, today)
        problems = ([FieldError("month", problem)] if problem else []) + _input_problems(data)
        if problems:
            raise validation_failed(problems)
        screenings.append(
            DisputeScreening(
                path=path,
                month=month,
                found=data.found,
                in_mediation=data.in_mediation,
                resolved=data.resolved,
                escalated_risks=data.escalated_risks,
                note=data.note.strip()[:500],
                filed_by_id=actor.user_id,
                filed_by_name=actor.shown_name,
                filed_at=now,
            )
        )
        risks.append(data.risks)
    wanted = {(s.path, s.month) for s in screenings}
    paths = {p for p, _ in wanted}
    filed = DisputeScreening.objects.filter(path__in=paths).values_list("path", "month")
    clash = next((pair for pair in filed if pair in wanted), None)
    if clash is not None:
        raise _already_filed(clash[1])
    try:
        with transaction.atomic():
            DisputeScreening.objects.bulk_create(screenings, batch_size=500)
    except IntegrityError:
        raise conflict(Msg("同一社区同一月份重复报送", "One community's month twice in the batch")) from None
    made = {(s.path, s.month): s for s in DisputeScreening.objects.filter(path__in=paths)}
    ScreeningRisk.objects.bulk_create(
        [
            ScreeningRisk(
                screening=made[(s.path, s.month)],
                level=r.level,
                description=r.description.strip()[:200],
                measure=r.measure.strip()[:200],
            )
            for s, row_risks in zip(screenings, risks, strict=True)
            for r in row_risks
        ],
        batch_size=500,
    )
    root = min(actor.scope_paths, key=len) if actor.scope_paths else ""
    audit(actor, "screening_import", "screening", "", root, count=len(screenings))
    return len(screenings)
