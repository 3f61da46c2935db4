"""Reads of the monthly dispute screening: the suggestion that pre-fills a community's report from
the disputes registered there, a community's reports, and the summary of a street or district
for a month (each community filed, due or overdue, the counts and totals, a 12-month trend).

The summary reads the reports only (never the disputes): one query for the month's reports
under the scope, one grouped query for the trend, one for the units. It stays fast whatever the
number of disputes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from linli.accounts.domain import MEDIATION_SCREEN, MEDIATION_VIEW, SAFETY_FIGURES
from linli.areas.selectors import unit_names, units_under
from linli.core.actor import Actor
from linli.core.errors import field_error, not_found, validation_failed
from linli.core.paths import under_path
from linli.mediation.domain.disputes import DONE_STATES, RESOLVED_STATES
from linli.mediation.domain.mediators import COMMUNITY_LEN, DISTRICT_LEN, STREET_LEN
from linli.mediation.domain.screening import (
    FIRST_YEAR,
    LAST_YEAR,
    TREND_MONTHS,
    Counts,
    ReportStatus,
    due_on,
    month_end,
    month_start,
    months_back,
    opens_on,
    previous_month,
    report_status,
)
from linli.mediation.models import Dispute, DisputeScreening
from linli.mediation.selectors.scope import is_mediator_only

ENDED_STATES = sorted(DONE_STATES | RESOLVED_STATES)


def _suggestion_figures(path: str, month: date):
    """The month's disputes under `path` and the four counts as aggregate expressions."""
    first, last = month_start(month), month_end(month)
    ended = Q(ended_on__lte=last) | Q(ended_on__isnull=True, state__in=ENDED_STATES)
    disputes = Dispute.objects.filter(under_path("path", path), registered_on__gte=first, registered_on__lte=last)
    counts = {
        "found": Count("pk"),
        "in_mediation": Count("pk", filter=~ended),
        "resolved": Count("pk", filter=ended & Q(state__in=sorted(RESOLVED_STATES))),
        "risks": Count("pk", filter=Q(escalated=True)),
    }
    return disputes, counts


def screening_suggestion(path: str, month: date) -> Counts:
    """What the community's report for `month` would say from the disputes registered there:
    found = registered that month; of those, in mediation = not ended at the month's end,
    resolved = agreed or closed by then; risks = those escalated beyond the street. One query.
    A dispute without its end day (`ended_on`) but in an ended state counts as ended."""
    disputes, counts = _suggestion_figures(path, month)
    row = disputes.aggregate(**counts)
    return Counts(row["found"], row["in_mediation"], row["resolved"], row["risks"])


def screening_suggestions(under: str, month: date) -> dict[str, Counts]:
    """`screening_suggestion` for every community under `under` at once (one grouped query):
    communities without a dispute that month are missing (all zero)."""
    disputes, counts = _suggestion_figures(under, month)
    rows = disputes.annotate(community=Substr("path", 1, COMMUNITY_LEN)).values("community").annotate(**counts)
    return {r["community"]: Counts(r["found"], r["in_mediation"], r["resolved"], r["risks"]) for r in rows}


def suggestion_for(*, actor: Actor, path: str, month: date) -> Counts:
    """The suggestion for a community the actor may file for; else 404."""
    if not actor.has_perm(MEDIATION_SCREEN) or len(path) != COMMUNITY_LEN or not path.isdigit():
        raise not_found("社区", "Community")
    if not actor.sees_path(path):
        raise not_found("社区", "Community")
    return screening_suggestion(path, month)


def _may_read(actor: Actor) -> bool:
    permitted = actor.has_perm(MEDIATION_VIEW) or actor.has_perm(SAFETY_FIGURES) or actor.has_perm(MEDIATION_SCREEN)
    return permitted and not is_mediator_only(actor)


def screening_list(*, actor: Actor) -> QuerySet[DisputeScreening]:
    if not _may_read(actor):
        return DisputeScreening.objects.none()
    return actor.scoped(DisputeScreening.objects.all()).prefetch_related("risks")


def screening_get(*, actor: Actor, public_id) -> DisputeScreening:
    screening = screening_list(actor=actor).filter(public_id=public_id).first()
    if screening is None:
        raise not_found("排查报告", "Screening report")
    return screening


def screening_of(*, actor: Actor, path: str, month: date) -> DisputeScreening | None:
    return screening_list(actor=actor).filter(path=path, month=month_start(month)).first()


def filing_communities(*, actor: Actor) -> list[tuple[str, str]]:
    """(path, name) of the communities the actor may file for."""
    if not actor.has_perm(MEDIATION_SCREEN):
        return []
    units: list[tuple[str, str]] = []
    for root in actor.scope_paths:
        units += [(p, n) for p, n, _ in units_under(under=root, kinds=("community", "village"))]
    return units


def report_month(today: date) -> date:
    """The month a community reports on now: the last month until this one's last days."""
    current = month_start(today)
    return current if today >= opens_on(current) else previous_month(current)


# ---------------------------------------------------------------- the summary


@dataclass(frozen=True)
class SummaryLine:
    path: str
    name: str
    status: str
    screening: DisputeScreening | None

    @property
    def status_label(self) -> str:
        return str(ReportStatus(self.status).label)


@dataclass(frozen=True)
class TrendPoint:
    month: date
    filed: int
    found: int
    in_mediation: int
    resolved: int
    escalated_risks: int


@dataclass(frozen=True)
class SummaryPart:
    """One street of a district (or district of the city) rolled up: its communities' reports."""

    path: str
    name: str
    communities: int
    filed: int
    overdue: int
    found: int
    resolved: int


@dataclass(frozen=True)
class ScreeningSummary:
    path: str
    name: str
    month: date
    due: date
    lines: list[SummaryLine]
    trend: list[TrendPoint] = field(default_factory=list)
    parts: list[SummaryPart] = field(default_factory=list)

    @property
    def citywide(self) -> bool:
        """A city's summary shows its districts; their communities are one click further."""
        return len(self.path) < DISTRICT_LEN

    def _total(self, name: str) -> int:
        return sum(getattr(line.screening, name) for line in self.lines if line.screening is not None)

    @property
    def totals(self) -> Counts:
        return Counts(*(self._total(n) for n in ("found", "in_mediation", "resolved", "escalated_risks")))

    @property
    def filed(self) -> int:
        return sum(1 for line in self.lines if line.status == ReportStatus.FILED)

    @property
    def overdue(self) -> int:
        return sum(1 for line in self.lines if line.status == ReportStatus.OVERDUE)


def summary_root(actor: Actor, path: str) -> str:
    """The unit the summary is for: `path` if the actor sees it, else the top of their scope."""
    if not _may_read(actor) or not actor.scope_paths:
        raise not_found("单位", "Unit")
    path = path or min(actor.scope_paths, key=len)
    if not path.isdigit() or not actor.sees_path(path) or len(path) > COMMUNITY_LEN:
        raise not_found("单位", "Unit")
    return path


def screening_summary(*, actor: Actor, path: str, month: date, today: date, trend: bool = True) -> ScreeningSummary:
    """Each community under `path` for `month`: filed, due or overdue (after `DUE_DAY` of the next
    month), the counts; the totals; the 12 months' trend of the reports under `path`."""
    path = summary_root(actor, path)
    month = month_start(month)
    if not FIRST_YEAR <= month.year <= LAST_YEAR:
        raise validation_failed([field_error("month", "没有这个月份", "No such month")])
    communities = units_under(under=path, kinds=("community", "village"))
    reports = {s.path: s for s in DisputeScreening.objects.filter(under_path("path", path), month=month)}
    lines = [SummaryLine(p, n, report_status(month, p in reports, today), reports.get(p)) for p, n, _ in communities]
    return ScreeningSummary(
        path=path,
        name=unit_names([path]).get(path, path),
        month=month,
        due=due_on(month),
        lines=lines,
        trend=screening_trend(path, month) if trend else [],
        parts=_parts(path, lines),
    )


def _parts(path: str, lines: list[SummaryLine]) -> list[SummaryPart]:
    """The streets of a district, or the districts of the city, with their communities' reports
    rolled up (one query for their names); nothing for a street."""
    if len(path) >= STREET_LEN:
        return []
    kind, length = ("district", DISTRICT_LEN) if len(path) < DISTRICT_LEN else ("street", STREET_LEN)
    parts = []
    for part_path, name, _ in units_under(under=path, kinds=(kind,)):
        mine = [line for line in lines if line.path[:length] == part_path]
        reports = [line.screening for line in mine if line.screening is not None]
        parts.append(
            SummaryPart(
                part_path,
                name,
                len(mine),
                len(reports),
                sum(1 for line in mine if line.status == ReportStatus.OVERDUE),
                sum(r.found for r in reports),
                sum(r.resolved for r in reports),
            )
        )
    return parts


def screening_trend(path: str, month: date) -> list[TrendPoint]:
    """The reports under `path` summed per month, the 12 months to `month`: one grouped query."""
    months = months_back(month, TREND_MONTHS)
    rows = (
        DisputeScreening.objects.filter(under_path("path", path), month__gte=months[0], month__lte=months[-1])
        .values("month")
        .annotate(
            filed=Count("pk"),
            found=Sum("found"),
            in_mediation=Sum("in_mediation"),
            resolved=Sum("resolved"),
            escalated_risks=Sum("escalated_risks"),
        )
    )
    by_month = {row["month"]: row for row in rows}
    points = []
    for m in months:
        row = by_month.get(m)
        points.append(
            TrendPoint(m, 0, 0, 0, 0, 0)
            if row is None
            else TrendPoint(m, row["filed"], row["found"], row["in_mediation"], row["resolved"], row["escalated_risks"])
        )
    return points


def overdue_count(*, actor: Actor, today: date) -> tuple[date, int]:
    """For a street's (or district's) workbench: the last closed month and how many communities
    of the scope have not filed it, once its due day has passed. Two queries."""
    month = previous_month(month_start(today))
    if today <= due_on(month):
        month = previous_month(month)
    communities = []
    for root in actor.scope_paths:
        communities += [p for p, _, _ in units_under(under=root, kinds=("community", "village"))]
    filed = set(actor.scoped(DisputeScreening.objects.filter(month=month)).values_list("path", flat=True))
    return month, sum(1 for p in communities if p not in filed)


@dataclass(frozen=True)
class PendingReport:
    path: str
    name: str
    month: date
    due: date
    overdue: bool


def pending_reports(*, actor: Actor, today: date) -> list[PendingReport]:
    """For a community's screener: the reports not yet filed that are open now (last month's, and
    this month's in its last days), with their due day. Two queries."""
    if not actor.has_perm(MEDIATION_SCREEN):
        return []
    communities = [p for p in actor.scope_paths if len(p) == COMMUNITY_LEN]
    if not communities:
        return []
    current = month_start(today)
    months = [previous_month(current)] + ([current] if today >= opens_on(current) else [])
    filed = set(DisputeScreening.objects.filter(path__in=communities, month__in=months).values_list("path", "month"))
    names = unit_names(communities)
    return [
        PendingReport(p, names.get(p, p), m, due_on(m), today > due_on(m))
        for p in communities
        for m in months
        if (p, m) not in filed
    ]
