"""Statements' services and selectors: beds (register through the entitlement check, the week's
visits never twice, end), the month against plan, statements from verified visits only, the
freeze (service and database), payment, corrections on a supplementary statement, figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction

from linli.care.domain.orders import VisitState
from linli.care.domain.statements import StatementKind, StatementState
from linli.care.models import BedTerms, CareBed, Statement, StatementLine, Visit
from linli.care.selectors.statements import (
    area_provider_figures,
    bed_months,
    beds_below_plan,
    statement_lines,
    statement_totals,
    statements_today,
)
from linli.care.services.statements import (
    BedInput,
    bed_end,
    bed_register,
    bed_visits_schedule,
    statement_approve,
    statement_correct,
    statement_generate,
    statement_pay,
    statement_visit_add,
)
from linli.care.tests.statements_support import NOVEMBER, NOW, SHANGHAI, TODAY, order, statement_care, visit
from linli.core.crypto import unseal
from linli.core.errors import DomainError
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def sc(tree, people):
    with time_machine.travel(NOW, tick=False):
        yield statement_care(tree, people)


def _fields(error: DomainError) -> dict[str, str]:
    return {f.field: f.message.en for f in error.fields}


def bed_input(sc, **changes) -> BedInput:
    values = {
        "person_ref": str(sc["elder"].public_id),
        "provider_ref": str(sc["provider"].public_id),
        "visits_per_week": 3,
        "plan": "卧床，需翻身、擦浴、喂药",
        "started_on": TODAY,
    }
    return BedInput(**(values | changes))


# ================================================================ beds


def test_a_bed_takes_the_share_from_the_entitlement_and_schedules_this_week(sc):
    bed = bed_register(actor=sc["actors"]["community_worker"], data=bed_input(sc))
    terms = BedTerms.objects.get(bed=bed)
    assert (terms.subsidy_share, terms.government_per_visit, terms.resident_per_visit) == (
        80,
        Decimal("48.00"),
        Decimal("12.00"),
    )
    assert unseal(bed.plan_sealed, context="care.bed.plan") == "卧床，需翻身、擦浴、喂药"
    starts = [timezone_local(v.slot_start) for v in Visit.objects.filter(bed=bed).order_by("slot_start")]
    assert starts == ["2026-12-07 09:00", "2026-12-09 09:00", "2026-12-11 09:00"]
    assert set(Visit.objects.filter(bed=bed).values_list("government_pays", "state")) == {
        (Decimal("48.00"), VisitState.SCHEDULED)
    }
    assert AuditEntry.objects.filter(action="care.bed_register", object_id=str(bed.public_id)).count() == 1


def timezone_local(value: dt.datetime) -> str:
    return f"{value.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


def test_a_bed_is_refused_with_the_reason_and_nothing_is_saved(sc):
    worker = sc["actors"]["community_worker"]
    with pytest.raises(DomainError) as refused:
        bed_register(actor=worker, data=bed_input(sc, person_ref=str(sc["young"].public_id)))
    assert _fields(refused.value) == {"person": "The person does not qualify for this item"}
    with pytest.raises(DomainError) as refused:
        bed_register(actor=worker, data=bed_input(sc, provider_ref=str(sc["other"].public_id)))
    assert _fields(refused.value) == {"provider": "The provider does not serve the elder's community"}
    with pytest.raises(DomainError) as refused:
        bed_register(actor=worker, data=bed_input(sc, visits_per_week=8, plan="", started_on=None))
    assert _fields(refused.value) == {
        "visits_per_week": "Visits per week: 1 to 7",
        "plan": "Write the service plan (care needs)",
        "started_on": "Give the start date",
    }
    with pytest.raises(DomainError) as refused:  # another community's worker: not their elder
        bed_register(actor=sc["actors"]["other_community_worker"], data=bed_input(sc))
    assert _fields(refused.value) == {"person": "Choose an elder of your area"}
    with pytest.raises(DomainError) as refused:
        bed_register(actor=sc["actors"]["resident"], data=bed_input(sc))
    assert refused.value.code == "permission_denied"
    assert CareBed.objects.count() == 0
    assert Visit.objects.count() == 0


def test_one_open_bed_per_elder(sc):
    worker = sc["actors"]["community_worker"]
    bed_register(actor=worker, data=bed_input(sc))
    with pytest.raises(DomainError) as refused:
        bed_register(actor=worker, data=bed_input(sc))
    assert refused.value.message.en == "The elder already has a family care bed"
    assert CareBed.objects.count() == 1


def test_the_weekly_job_schedules_each_bed_once(sc):
    bed = bed_register(actor=sc["actors"]["community_worker"], data=bed_input(sc, visits_per_week=2))
    assert bed_visits_schedule(week_start=dt.date(2026, 12, 14)) == (
        "bed visits scheduled for the week of 2026-12-14: 2"
    )
    assert bed_visits_schedule(week_start=dt.date(2026, 12, 16)) == (
        "bed visits scheduled for the week of 2026-12-14: 0"
    )
    assert bed_visits_schedule(week_start=dt.date(2026, 12, 7)) == "bed visits scheduled for the week of 2026-12-07: 0"
    assert Visit.objects.filter(bed=bed).count() == 4


def test_ending_a_bed_needs_reason_and_confirmation_and_cancels_what_is_ahead(sc):
    worker = sc["actors"]["community_worker"]
    bed = bed_register(actor=worker, data=bed_input(sc))
    with pytest.raises(DomainError) as refused:
        bed_end(actor=worker, bed=bed, reason="", confirmed=False)
    assert _fields(refused.value) == {"reason": "Give the reason for ending", "confirm": "Confirm that the bed ends"}
    assert CareBed.objects.get(pk=bed.pk).ended_on is None
    with pytest.raises(DomainError) as refused:
        bed_end(actor=sc["actors"]["other_community_worker"], bed=bed, reason="入住养老院", confirmed=True)
    assert refused.value.code == "not_found"
    bed_end(actor=worker, bed=bed, reason="入住养老院", confirmed=True, on=dt.date(2026, 12, 8))
    assert dict(Visit.objects.filter(bed=bed).values_list("slot_start__day", "state")) == {
        7: VisitState.SCHEDULED,
        9: VisitState.CANCELLED,
        11: VisitState.CANCELLED,
    }
    assert bed_visits_schedule(week_start=dt.date(2026, 12, 14)).endswith(": 0")


def test_a_beds_month_pays_verified_visits_and_flags_below_plan(sc):
    worker = sc["actors"]["community_worker"]
    bed = bed_register(actor=worker, data=bed_input(sc, started_on=dt.date(2026, 11, 2)))
    Visit.objects.filter(bed=bed).delete()
    for week in (2, 9, 16, 23):
        bed_visits_schedule(week_start=dt.date(2026, 11, week))
    november = list(Visit.objects.filter(bed=bed, month=NOVEMBER).order_by("slot_start"))
    assert len(november) == 12
    Visit.objects.filter(pk__in=[v.pk for v in november[:9]]).update(state=VisitState.VERIFIED)
    Visit.objects.filter(pk=november[9].pk).update(state=VisitState.DONE)
    Visit.objects.filter(pk=november[10].pk).update(state=VisitState.MISSED)
    figures = bed_months([bed], NOVEMBER)[bed.pk]
    assert (figures.planned, figures.delivered, figures.verified, figures.subsidy) == (12, 10, 9, Decimal("432.00"))
    assert figures.below_plan is True
    assert list(beds_below_plan(actor=worker, month=NOVEMBER)) == [bed]
    assert list(beds_below_plan(actor=sc["actors"]["other_community_worker"], month=NOVEMBER)) == []


# ================================================================ statements


def test_a_statement_takes_verified_visits_only(sc):
    officer = sc["actors"]["street_officer"]
    paid = [visit(sc, day=d) for d in (3, 4, 5)]
    waiting = visit(sc, VisitState.DONE, day=6)
    visit(sc, VisitState.SCHEDULED, day=7)
    visit(sc, day=8, of=order(sc, provider=sc["other"]))  # another provider's
    statement = statement_generate(actor=officer, provider=sc["provider"], month=dt.date(2026, 11, 20))
    assert statement.number.startswith("JS202611-")
    assert (statement.line_count, statement.government_total, statement.resident_total) == (
        3,
        Decimal("120.00"),
        Decimal("30.00"),
    )
    assert set(statement.lines.values_list("visit_id", flat=True)) == {v.pk for v in paid}
    with pytest.raises(DomainError) as refused:
        statement_visit_add(actor=officer, statement=statement, visit_ref=str(waiting.public_id))
    assert refused.value.code == "unverified_visit"
    assert refused.value.message.zh == "2026-11-06 09:00 刘桂兰的“助洁上门”服务尚未核验，不能列入结算单"
    assert StatementLine.objects.count() == 3
    # verified later: the draft takes it, once
    Visit.objects.filter(pk=waiting.pk).update(state=VisitState.VERIFIED)
    statement_visit_add(actor=officer, statement=statement, visit_ref=str(waiting.public_id))
    with pytest.raises(DomainError) as refused:
        statement_visit_add(actor=officer, statement=statement, visit_ref=str(waiting.public_id))
    assert refused.value.message.en == "The visit is already on a statement"
    again = statement_generate(actor=officer, provider=sc["provider"], month=NOVEMBER)
    assert again.pk == statement.pk
    assert again.line_count == 4
    assert Statement.objects.count() == 1


def test_a_visit_is_on_one_regular_line_at_most_in_the_database(sc):
    officer = sc["actors"]["street_officer"]
    v = visit(sc)
    statement = statement_generate(actor=officer, provider=sc["provider"], month=NOVEMBER)
    line = statement.lines.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementLine.objects.create(
            statement=statement,
            visit=v,
            visit_on=line.visit_on,
            person_name="x",
            item_code="x",
            item_name="x",
            community_path="x",
            government_pays=1,
            resident_pays=1,
        )


def test_only_payers_of_the_area_generate_and_nothing_is_made_otherwise(sc):
    visit(sc)
    for name in ("community_worker", "resident", "dispatcher", "anonymous"):
        with pytest.raises(DomainError) as refused:
            statement_generate(actor=sc["actors"][name], provider=sc["provider"], month=NOVEMBER)
        assert refused.value.code == "permission_denied"
    with pytest.raises(DomainError) as refused:  # the other provider is outside the street
        statement_generate(actor=sc["actors"]["street_officer"], provider=sc["other"], month=NOVEMBER)
    assert refused.value.code == "not_found"
    assert Statement.objects.count() == 0


def test_approval_needs_a_note_and_confirmation_then_freezes(sc):
    officer = sc["actors"]["street_officer"]
    visit(sc, day=3)
    statement = statement_generate(actor=officer, provider=sc["provider"], month=NOVEMBER)
    with pytest.raises(DomainError) as refused:
        statement_approve(actor=officer, statement=statement, reason="", confirmed=False)
    assert _fields(refused.value) == {
        "reason": "Give the approval note",
        "confirm": "Confirm: it cannot change afterwards",
    }
    assert Statement.objects.get(pk=statement.pk).state == StatementState.DRAFT
    statement = statement_approve(actor=officer, statement=statement, reason="核对无误", confirmed=True)
    assert (statement.state, statement.approved_by_name, statement.approve_reason) == (
        StatementState.APPROVED,
        "street_officer",
        "核对无误",
    )
    late = visit(sc, day=10)
    with pytest.raises(DomainError) as refused:
        statement_visit_add(actor=officer, statement=statement, visit_ref=str(late.public_id))
    assert refused.value.message.en == "The statement is approved and cannot be changed"
    with pytest.raises(DomainError) as refused:
        statement_generate(actor=officer, provider=sc["provider"], month=NOVEMBER)
    assert refused.value.code == "conflict"
    assert StatementLine.objects.count() == 1
    assert AuditEntry.objects.filter(action="care.statement_approve", reason="核对无误").count() == 1


def test_the_database_refuses_changes_to_an_approved_statement(sc):
    officer = sc["actors"]["street_officer"]
    visit(sc, day=3)
    statement = statement_generate(actor=officer, provider=sc["provider"], month=NOVEMBER)
    statement_approve(actor=officer, statement=statement, reason="核对无误", confirmed=True)
    line = StatementLine.objects.get()
    for change in (
        lambda: StatementLine.objects.filter(pk=line.pk).update(government_pays=1),
        lambda: StatementLine.objects.filter(pk=line.pk).delete(),
        lambda: Statement.objects.filter(pk=statement.pk).update(government_total=1),
        lambda: Statement.objects.filter(pk=statement.pk).update(state=StatementState.DRAFT),
        lambda: StatementLine.objects.create(
            statement=statement,
            visit=visit(sc, day=11),
            visit_on=TODAY,
            person_name="x",
            item_code="x",
            item_name="x",
            community_path="x",
            government_pays=1,
            resident_pays=1,
        ),
    ):
        with pytest.raises(Exception, match="frozen"), transaction.atomic():
            change()
    assert StatementLine.objects.get().government_pays == Decimal("40.00")
    assert Statement.objects.get(pk=statement.pk).state == StatementState.APPROVED


def test_payment_is_recorded_once_on_an_approved_statement(sc):
    officer = sc["actors"]["street_officer"]
    visit(sc, day=3)
    statement = statement_generate(actor=officer, provider=sc["provider"], month=NOVEMBER)
    with pytest.raises(DomainError) as refused:
        statement_pay(actor=officer, statement=statement, paid_on=TODAY, reference="ZF20261207")
    assert refused.value.message.en == "Only an approved statement can be paid"
    statement_approve(actor=officer, statement=statement, reason="核对无误", confirmed=True)
    with pytest.raises(DomainError) as refused:
        statement_pay(actor=officer, statement=statement, paid_on=TODAY + dt.timedelta(days=1), reference="")
    assert _fields(refused.value) == {
        "paid_on": "The date of payment cannot be in the future",
        "reference": "Give the payment reference (2–64)",
    }
    paid = statement_pay(actor=officer, statement=statement, paid_on=TODAY, reference="ZF20261207")
    assert (paid.state, paid.paid_on, paid.payment_ref) == (StatementState.PAID, TODAY, "ZF20261207")
    with pytest.raises(Exception, match="frozen"), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(payment_ref="other")


def test_a_correction_after_approval_is_a_line_of_a_supplementary_statement(sc):
    officer = sc["actors"]["street_officer"]
    v = visit(sc, day=3)
    statement = statement_generate(actor=officer, provider=sc["provider"], month=NOVEMBER)
    with pytest.raises(DomainError) as refused:
        statement_correct(
            actor=officer,
            statement=statement,
            visit_ref=str(v.public_id),
            government="-40",
            resident="0",
            reason="重复服务",
        )
    assert refused.value.message.en == "A draft is not corrected: regenerate it"
    statement_approve(actor=officer, statement=statement, reason="核对无误", confirmed=True)
    with pytest.raises(DomainError) as refused:
        statement_correct(
            actor=officer, statement=statement, visit_ref=str(v.public_id), government="x", resident="0", reason=""
        )
    assert _fields(refused.value) == {
        "government": "Give an amount in yuan (may be negative)",
        "reason": "Give the reason for the correction",
    }
    line = statement_correct(
        actor=officer,
        statement=statement,
        visit_ref=str(v.public_id),
        government="-40",
        resident="-10",
        reason="老人当日住院，服务未实际发生",
    )
    supplementary = line.statement
    assert (supplementary.kind, supplementary.supplements_id, supplementary.state) == (
        StatementKind.SUPPLEMENTARY,
        statement.pk,
        StatementState.DRAFT,
    )
    assert supplementary.number == f"{statement.number}-B1"
    assert (line.visit_id, line.government_pays, line.is_correction) == (v.pk, Decimal("-40.00"), True)
    assert supplementary.government_total == Decimal("-40.00")
    assert Statement.objects.get(pk=statement.pk).government_total == Decimal("40.00")


def test_totals_by_item_and_community(sc):
    officer = sc["actors"]["street_officer"]
    visit(sc, day=3)
    visit(sc, day=4)
    statement = statement_generate(actor=officer, provider=sc["provider"], month=NOVEMBER)
    by_item, by_community = statement_totals(statement_lines(statement))
    assert [(t.label, t.visits, t.government, t.resident) for t in by_item] == [
        ("助洁上门", 2, Decimal("80.00"), Decimal("20.00"))
    ]
    assert [(t.label, t.visits) for t in by_community] == [("水源地社区", 2)]


def test_provider_figures_count_on_time_completion_ratings(sc):
    visit(sc, day=3, late_minutes=5, rating=5)
    visit(sc, day=4, late_minutes=30, rating=2)
    visit(sc, VisitState.DONE, day=5, late_minutes=0)
    visit(sc, VisitState.MISSED, day=6)
    visit(sc, VisitState.CANCELLED, day=7)
    rows = area_provider_figures(actor=sc["actors"]["district_admin"], months=[NOVEMBER])
    assert len(rows) == 1
    r = rows[0]
    figures = (r.orders, r.due, r.on_time, r.delivered, r.missed, r.rated, r.rating_avg, r.bad_ratings, r.unanswered)
    assert figures == (5, 4, 2, 3, 1, 2, 3.5, 1, 1)
    assert (r.on_time_rate, r.completion_rate) == (0.5, 0.75)
    assert area_provider_figures(actor=sc["actors"]["other_district_admin"], months=[NOVEMBER]) == []
    assert area_provider_figures(actor=sc["actors"]["resident"], months=[NOVEMBER]) == []


def test_the_workbench_counts_drafts_for_payers_and_beds_below_plan_for_the_community(sc):
    visit(sc, day=3)
    statement_generate(actor=sc["actors"]["street_officer"], provider=sc["provider"], month=NOVEMBER)
    section = statements_today(sc["actors"]["street_officer"], TODAY)
    assert [(c.key, c.count) for c in section.counts] == [
        ("care.statements_to_approve", 1),
        ("care.beds_below_plan", 0),
    ]
    section = statements_today(sc["actors"]["community_worker"], TODAY)
    assert [(c.key, c.count) for c in section.counts] == [("care.beds_below_plan", 0)]
    assert statements_today(sc["actors"]["resident"], TODAY) is None
