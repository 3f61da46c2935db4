# ruff: noqa: F811 (the stage's fixtures are imported from mediators_support)
"""Monthly dispute screening: filing (refusals: a month to come, the current month before its last
days, a second report, negative counts, more in mediation and resolved than found), correction
with the old counts audited, the suggestion from the disputes, the summary with overdue marks."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.mediation.domain.screening import Counts, due_on, month_problem
from linli.mediation.models import DisputeScreening, ScreeningRisk
from linli.mediation.selectors import screening as sel
from linli.mediation.services import screening as svc
from linli.mediation.tests.mediators_support import (  # noqa: F401 (fixtures)
    HUNHEWAN,
    JIXIAN,
    SHUIYUANDI,
    TODAY,
    clock,
    dispute,
)

pytestmark = pytest.mark.django_db
NOV = dt.date(2026, 11, 1)


def counts(found=5, in_mediation=2, resolved=3, escalated=1, **kw) -> svc.ScreeningInput:
    return svc.ScreeningInput(found, in_mediation, resolved, escalated, **kw)


def test_the_month_rule_in_the_domain():
    assert month_problem(dt.date(2026, 11, 1), TODAY) is None
    assert month_problem(dt.date(2027, 1, 1), TODAY).zh == "不能报送未来月份的排查报告"
    problem = month_problem(dt.date(2026, 12, 1), TODAY)
    assert problem.zh == "本月的排查报告从 12月27日 起（月末 5 天内）才能报送"
    assert month_problem(dt.date(2026, 12, 1), dt.date(2026, 12, 27)) is None
    assert due_on(dt.date(2026, 11, 1)) == dt.date(2026, 12, 5)
    assert due_on(dt.date(2026, 12, 1)) == dt.date(2027, 1, 5)


def test_a_report_is_filed_with_its_risks(tree, actors, clock):
    risks = [svc.RiskInput("high", "楼上漏水多次协商未果", "社区约双方面谈")]
    filed = svc.screening_file(
        actor=actors["community_worker"], path=SHUIYUANDI, month=dt.date(2026, 11, 18), data=counts(risks=risks)
    )
    assert (filed.month, filed.found, filed.in_mediation, filed.resolved, filed.escalated_risks) == (NOV, 5, 2, 3, 1)
    assert [(r.level, r.description, r.measure) for r in filed.risks.all()] == [
        ("high", "楼上漏水多次协商未果", "社区约双方面谈")
    ]
    assert filed.filed_by_name == "community_worker"
    assert AuditEntry.objects.get(action="mediation.screening_file").org_path == SHUIYUANDI


@pytest.mark.parametrize(
    ("month", "data", "fields"),
    [
        (dt.date(2027, 1, 1), counts(), ["month"]),  # a month to come
        (dt.date(2026, 12, 1), counts(), ["month"]),  # this month, before its last 5 days
        (dt.date(1, 1, 1), counts(), ["month"]),
        (NOV, counts(found=-1), ["found"]),
        (NOV, counts(found=10**12, escalated=-2), ["found", "escalated_risks"]),
        (NOV, counts(found=4, in_mediation=2, resolved=3), ["found"]),  # 2 + 3 > 4
        (NOV, counts(risks=[svc.RiskInput("huge", "x")]), ["risks"]),
        (NOV, counts(risks=[svc.RiskInput("low", " ")]), ["risks"]),
    ],
)
def test_refusals_leave_nothing(tree, actors, clock, month, data, fields):
    with pytest.raises(DomainError) as error:
        svc.screening_file(actor=actors["community_worker"], path=SHUIYUANDI, month=month, data=data)
    assert [f.field for f in error.value.fields] == fields
    assert DisputeScreening.objects.count() == 0 and ScreeningRisk.objects.count() == 0


def test_the_message_explains_the_sum(tree, actors, clock):
    with pytest.raises(DomainError) as error:
        svc.screening_file(actor=actors["community_worker"], path=SHUIYUANDI, month=NOV, data=counts(4, 2, 3))
    assert error.value.fields[0].message.en == (
        "In mediation (2) and resolved (3) are among the month's disputes found, so together they cannot "
        "exceed the 4 found"
    )


def test_a_second_report_is_refused_and_a_correction_keeps_the_old_counts(tree, actors, clock):
    worker = actors["community_worker"]
    filed = svc.screening_file(actor=worker, path=SHUIYUANDI, month=NOV, data=counts(risks=[svc.RiskInput("low", "a")]))
    with pytest.raises(DomainError) as error:
        svc.screening_file(actor=worker, path=SHUIYUANDI, month=NOV, data=counts(found=6))
    assert error.value.code == "conflict" and "correct it" in error.value.message.en
    assert DisputeScreening.objects.count() == 1
    with pytest.raises(DomainError) as error:
        svc.screening_correct(actor=worker, screening=filed, data=counts(found=6), reason="")
    assert [f.field for f in error.value.fields] == ["reason"]
    svc.screening_correct(actor=worker, screening=filed, data=counts(found=6, resolved=4), reason="漏报一件")
    filed.refresh_from_db()
    assert (filed.found, filed.resolved, filed.risks.count()) == (6, 4, 0)
    entry = AuditEntry.objects.get(action="mediation.screening_correct")
    assert entry.reason == "漏报一件"
    assert entry.details["old"] == {"found": 5, "in_mediation": 2, "resolved": 3, "escalated_risks": 1, "risks": 1}


def test_only_screeners_of_the_community_file(tree, actors, clock):
    for name in ("other_community_worker", "district_admin", "resident", "anonymous", "grid_worker"):
        with pytest.raises(DomainError) as error:
            svc.screening_file(actor=actors[name], path=SHUIYUANDI, month=NOV, data=counts())
        assert error.value.status == 404
    with pytest.raises(DomainError):  # a street is no community
        svc.screening_file(actor=actors["street_officer"], path="210102001", month=NOV, data=counts())
    assert DisputeScreening.objects.count() == 0


def test_the_suggestion_counts_the_months_disputes(tree, clock):
    nov = dict(registered_on=dt.date(2026, 11, 3))
    dispute(SHUIYUANDI, "mediating", **nov)  # in mediation at the month's end
    dispute(SHUIYUANDI, "agreed", ended_on=dt.date(2026, 11, 20), **nov)  # resolved
    dispute(SHUIYUANDI, "closed", ended_on=dt.date(2026, 11, 25), escalated=True, **nov)  # resolved, a risk
    dispute(SHUIYUANDI, "agreed", ended_on=dt.date(2026, 12, 2), **nov)  # agreed after the month: in mediation
    dispute(SHUIYUANDI, "refused", ended_on=dt.date(2026, 11, 5), **nov)  # found, neither
    dispute(SHUIYUANDI, "mediating", registered_on=dt.date(2026, 10, 30))  # another month
    dispute(HUNHEWAN, "mediating", **nov)  # another community
    suggestion = sel.screening_suggestion(SHUIYUANDI, NOV)
    assert (suggestion.found, suggestion.in_mediation, suggestion.resolved, suggestion.escalated_risks) == (5, 2, 2, 1)
    assert sel.screening_suggestions("210102001", NOV) == {SHUIYUANDI: suggestion, HUNHEWAN: Counts(1, 1, 0, 0)}


def test_the_summary_marks_overdue_communities_and_sums_the_filed(tree, actors, clock):
    svc.screening_file(actor=actors["community_worker"], path=SHUIYUANDI, month=NOV, data=counts())
    svc.screening_file(actor=actors["street_officer"], path=HUNHEWAN, month=dt.date(2026, 10, 1), data=counts(3, 1, 1))
    summary = sel.screening_summary(actor=actors["street_officer"], path="", month=NOV, today=TODAY)
    assert (summary.path, summary.due) == ("210102001", dt.date(2026, 12, 5))
    assert [(line.name, line.status) for line in summary.lines] == [("水源地社区", "filed"), ("浑河湾社区", "overdue")]
    assert (summary.filed, summary.overdue, summary.totals.found) == (1, 1, 5)
    assert [(p.month.month, p.filed, p.found) for p in summary.trend[-2:]] == [(10, 1, 3), (11, 1, 5)]
    assert len(summary.trend) == 12
    early = sel.screening_summary(actor=actors["street_officer"], path="", month=NOV, today=dt.date(2026, 12, 5))
    assert [line.status for line in early.lines] == ["filed", "due"]
    district = sel.screening_summary(actor=actors["district_admin"], path="", month=NOV, today=TODAY)
    assert [line.path for line in district.lines] == [SHUIYUANDI, HUNHEWAN, JIXIAN]
    assert [(p.name, p.communities, p.filed, p.overdue, p.found) for p in district.parts] == [
        ("浑河湾街道", 2, 1, 1, 5),
        ("集贤街道", 1, 0, 1, 0),
    ]
    assert summary.parts == []
    with pytest.raises(DomainError) as error:
        sel.screening_summary(actor=actors["street_officer"], path="", month=dt.date(1, 1, 1), today=TODAY)
    assert error.value.fields[0].field == "month"
    for name, path in (("street_officer", "210102002"), ("resident", ""), ("anonymous", "")):
        with pytest.raises(DomainError):
            sel.screening_summary(actor=actors[name], path=path, month=NOV, today=TODAY)


def test_the_overdue_count_for_the_workbench(tree, actors, clock):
    svc.screening_file(actor=actors["community_worker"], path=SHUIYUANDI, month=NOV, data=counts())
    assert sel.overdue_count(actor=actors["street_officer"], today=TODAY) == (NOV, 1)
    assert sel.overdue_count(actor=actors["street_officer"], today=dt.date(2026, 12, 3)) == (dt.date(2026, 10, 1), 2)
    assert sel.report_month(TODAY) == NOV and sel.report_month(dt.date(2026, 12, 28)) == dt.date(2026, 12, 1)
