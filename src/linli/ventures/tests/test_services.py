"""The services' rules and refusals: each refusal names the field or line and leaves nothing
half-saved."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.ventures.domain import ApplicationState, CallState, Grade, MilestoneState, ProjectState
from linli.ventures.models import (
    BudgetLineRow,
    CallStep,
    Milestone,
    Review,
    ReviewScore,
    Spending,
    VentureApplication,
    VentureCall,
    VentureProject,
)
from linli.ventures.selectors import budget_granted, call_ranking
from linli.ventures.services import (
    BudgetLineInput,
    ContractInput,
    CriterionInput,
    application_decide,
    application_save,
    application_submit,
    application_withdraw,
    call_create,
    call_transition,
    conflict_declare,
    contract_sign,
    milestone_accept,
    milestone_add,
    milestone_report,
    project_evaluate,
    review_score,
    spending_record,
)
from linli.ventures.tests.conftest import ORG_B, application_input, call_input

pytestmark = pytest.mark.django_db

FULL = {0: 8, 1: 15, 2: 4}  # 78.00


def _fields(error: DomainError) -> dict[str, str]:
    return {f.field: f.message.zh for f in error.fields}


# ---- calls ---------------------------------------------------------------------------------------


def test_call_created_in_draft_with_criteria_panel_and_first_step(cast):
    call = call_create(actor=cast["civil_affairs_officer"], data=call_input())
    assert call.state == CallState.DRAFT
    assert [(c.name, c.weight, c.max_score) for c in call.criteria.all()] == [
        ("需求分析", 30, 10),
        ("项目设计", 40, 20),
        ("预算合理性", 30, 5),
    ]
    assert sorted(call.panel.values_list("user__username", flat=True)) == ["district_admin", "street_officer"]
    assert list(CallStep.objects.filter(call=call).values_list("action", "to_state")) == [("create", "draft")]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"criteria": [CriterionInput("a", 50, 10), CriterionInput("b", 40, 10)]}, "criteria", "90"),
        ({"panel": ["street_officer", "resident"]}, "panel", "resident"),
        ({"unit_path": "210103"}, "unit_path", "辖区"),
        ({"project_cap": "200000"}, "project_cap", "总预算"),
        ({"total_budget": "-5"}, "total_budget", "正数"),
        ({"themes": []}, "themes", "主题"),
    ],
)
def test_call_refused_names_the_field_and_saves_nothing(cast, changes, field, words):
    with pytest.raises(DomainError) as caught:
        call_create(actor=cast["civil_affairs_officer"], data=call_input(**changes))
    assert words in _fields(caught.value)[field]
    assert VentureCall.objects.count() == 0 and CallStep.objects.count() == 0


def test_only_a_manager_creates_calls(cast):
    for name in ("street_officer", "organiser", "resident", "anonymous"):
        with pytest.raises(DomainError) as caught:
            call_create(actor=cast[name], data=call_input())
        assert caught.value.status == 403
    assert VentureCall.objects.count() == 0


def test_transitions_one_step_row_each_and_the_timeline_is_append_only(cast, open_call, submitted):
    officer = cast["civil_affairs_officer"]
    with pytest.raises(DomainError) as caught:
        call_transition(actor=officer, call=open_call, action="review")  # before the deadline: a reason
    assert open_call.deadline.isoformat() in _fields(caught.value)["note"]
    with pytest.raises(DomainError) as caught:
        call_transition(actor=officer, call=open_call, action="decide")
    assert caught.value.status == 409
    call_transition(actor=officer, call=open_call, action="review", note="申报已齐")
    assert list(CallStep.objects.filter(call=open_call).values_list("action", flat=True)) == [
        "create",
        "open",
        "review",
    ]
    step = CallStep.objects.filter(call=open_call).last()
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 (the database's own refusal)
        CallStep.objects.filter(pk=step.pk).update(note="changed")
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017
        CallStep.objects.filter(pk=step.pk).delete()


def test_a_manager_of_another_district_cannot_step_a_call(cast, open_call, people, tree):
    from linli.accounts.domain import Role
    from linli.accounts.selectors import actor_for_user
    from linli.testing import make_user

    other = actor_for_user(make_user("other_officer", Role.CIVIL_AFFAIRS_OFFICER, tree["210103000000"]))
    with pytest.raises(DomainError) as caught:
        call_transition(actor=other, call=open_call, action="review", note="x")
    assert caught.value.status == 404
    open_call.refresh_from_db()
    assert open_call.state == CallState.OPEN


# ---- applications --------------------------------------------------------------------------------


def test_application_saved_with_budget_total(cast, open_call):
    application = application_save(actor=cast["organiser"], call=open_call, data=application_input())
    assert application.requested == Decimal("12000.50")
    assert application.org_name == "水源地社区邻里互助会"
    assert list(application.budget_lines.values_list("item", flat=True)) == ["志愿者交通补贴", "活动物料"]
    assert application.state == ApplicationState.DRAFT


def test_application_only_for_ones_own_organisation(cast, open_call):
    with pytest.raises(DomainError) as caught:
        application_save(actor=cast["organiser"], call=open_call, data=application_input(org_id=ORG_B))
    assert "本机构" in _fields(caught.value)["org_id"]
    with pytest.raises(DomainError):
        application_save(actor=cast["civil_affairs_officer"], call=open_call, data=application_input())
    assert VentureApplication.objects.count() == 0


def test_budget_over_the_cap_refused_naming_the_line(cast, open_call):
    budget = [BudgetLineInput("交通", "20000"), BudgetLineInput("场地租用", "10000.01")]
    with pytest.raises(DomainError) as caught:
        application_save(actor=cast["organiser"], call=open_call, data=application_input(budget=budget))
    message = _fields(caught.value)["budget.1"]
    assert "第 2 行" in message and "场地租用" in message and "30000" in message
    assert VentureApplication.objects.count() == 0 and BudgetLineRow.objects.count() == 0


def test_after_the_deadline_refused_naming_it(cast, open_call):
    draft = application_save(actor=cast["organiser"], call=open_call, data=application_input())
    late = timezone.localtime() + timedelta(days=11)
    with time_machine.travel(late, tick=False):
        with pytest.raises(DomainError) as caught:
            application_submit(actor=cast["organiser"], application=draft)
        assert open_call.deadline.isoformat() in caught.value.message.zh
        assert "自然日" in caught.value.message.zh
        with pytest.raises(DomainError):
            application_save(actor=cast["organiser"], call=open_call, data=application_input(title="迟到"))
    draft.refresh_from_db()
    assert draft.state == ApplicationState.DRAFT and VentureApplication.objects.count() == 1
    on_the_day = timezone.localtime() + timedelta(days=10)
    with time_machine.travel(on_the_day, tick=False):
        assert application_submit(actor=cast["organiser"], application=draft).state == ApplicationState.SUBMITTED


def test_another_organisation_cannot_submit_or_withdraw(cast, open_call):
    draft = application_save(actor=cast["organiser"], call=open_call, data=application_input())
    for action in (
        lambda: application_submit(actor=cast["other_organiser"], application=draft),
        lambda: application_withdraw(actor=cast["other_organiser"], application=draft, reason="x"),
    ):
        with pytest.raises(DomainError) as caught:
            action()
        assert caught.value.status == 404
    draft.refresh_from_db()
    assert draft.state == ApplicationState.DRAFT


def test_withdraw_needs_a_reason(cast, submitted):
    with pytest.raises(DomainError) as caught:
        application_withdraw(actor=cast["organiser"], application=submitted[0], reason=" ")
    assert "reason" in _fields(caught.value)
    submitted[0].refresh_from_db()
    assert submitted[0].state == ApplicationState.SUBMITTED
    done = application_withdraw(actor=cast["organiser"], application=submitted[0], reason="人手不足")
    assert done.state == ApplicationState.WITHDRAWN and done.withdraw_reason == "人手不足"


# ---- review --------------------------------------------------------------------------------------


def test_scores_out_of_range_refused_naming_the_criterion(cast, reviewing, submitted):
    with pytest.raises(DomainError) as caught:
        review_score(actor=cast["street_officer"], application=submitted[0], scores={0: 8, 1: 25, 2: 4})
    assert "项目设计" in _fields(caught.value)["score_1"] and "0 到 20" in _fields(caught.value)["score_1"]
    with pytest.raises(DomainError) as caught:
        review_score(actor=cast["street_officer"], application=submitted[0], scores={0: 8, 1: 15})
    assert "预算合理性" in _fields(caught.value)["score_2"]
    assert Review.objects.count() == 0 and ReviewScore.objects.count() == 0


def test_a_reviewer_who_declared_a_conflict_cannot_score(cast, reviewing, submitted):
    conflict_declare(actor=cast["district_admin"], application=submitted[0], note="本人为该机构理事")
    with pytest.raises(DomainError) as caught:
        review_score(actor=cast["district_admin"], application=submitted[0], scores=FULL)
    assert caught.value.status == 409 and "利益冲突" in caught.value.message.zh
    assert ReviewScore.objects.count() == 0 and Review.objects.get().total is None


def test_weighted_mean_and_ranking_leave_out_conflicts(cast, reviewing, submitted):
    a, b = submitted
    review_score(actor=cast["street_officer"], application=a, scores=FULL)  # 78
    review_score(actor=cast["district_admin"], application=a, scores={0: 10, 1: 20, 2: 5})  # 100
    review_score(actor=cast["street_officer"], application=b, scores={0: 5, 1: 10, 2: 3})  # 53
    conflict_declare(actor=cast["district_admin"], application=b, note="亲属任职")
    rows = call_ranking(reviewing)
    assert [(r.rank, r.application.pk, r.mean, r.reviews, r.conflicts) for r in rows] == [
        (1, a.pk, Decimal("89.00"), 2, 0),
        (2, b.pk, Decimal("53.00"), 1, 1),
    ]
    # a reviewer may change their scores until the decisions: the row is replaced
    review_score(actor=cast["street_officer"], application=a, scores={0: 10, 1: 20, 2: 5})
    assert call_ranking(reviewing)[0].mean == Decimal("100.00")
    assert Review.objects.filter(application=a).count() == 2


def test_only_the_panel_scores(cast, reviewing, submitted):
    # the city admin may review in general but is not on this panel; an organiser sees its own only
    for name, status in (
        ("city_admin", 404),
        ("other_organiser", 404),
        ("organiser", 403),
        ("civil_affairs_officer", 403),
    ):
        with pytest.raises(DomainError) as caught:
            review_score(actor=cast[name], application=submitted[0], scores=FULL)
        assert caught.value.status == status, name
    assert Review.objects.count() == 0


# ---- decisions -----------------------------------------------------------------------------------


def test_decisions_within_request_and_budget(cast, reviewing, submitted):
    officer = cast["civil_affairs_officer"]
    a, b = submitted
    with pytest.raises(DomainError) as caught:
        application_decide(actor=officer, application=a, fund=True, amount="12000.51")
    assert "12000.50" in _fields(caught.value)["amount"]
    with pytest.raises(DomainError) as caught:
        application_decide(actor=officer, application=b, fund=False)
    assert "原因" in _fields(caught.value)["reason"]
    with pytest.raises(DomainError) as caught:
        call_transition(actor=officer, call=reviewing, action="decide")
    assert "银龄陪伴计划" in caught.value.message.zh
    assert VentureApplication.objects.filter(state=ApplicationState.SUBMITTED).count() == 2
    application_decide(actor=officer, application=a, fund=True, amount="12000")
    application_decide(actor=officer, application=b, fund=False, reason="与已资助项目重复")
    assert budget_granted(reviewing) == Decimal("12000")
    call_transition(actor=officer, call=reviewing, action="decide")
    project = VentureProject.objects.get()
    assert (project.title, project.grant, project.org_id, project.unit_path) == (
        "银龄陪伴计划",
        12000,
        a.org_id,
        "210102",
    )


def test_grants_never_pass_the_call_budget(cast, open_call):
    # a call of 20,000 with a cap of 15,000: two applications of 12,000 cannot both be funded in full
    officer = cast["civil_affairs_officer"]
    call = call_create(actor=officer, data=call_input(total_budget="20000", project_cap="15000"))
    call_transition(actor=officer, call=call, action="open")
    apps = [
        application_submit(
            actor=cast[who],
            application=application_save(
                actor=cast[who],
                call=call,
                data=application_input(org_id=org, budget=[BudgetLineInput("服务", "12000")]),
            ),
        )
        for who, org in (("organiser", application_input().org_id), ("other_organiser", ORG_B))
    ]
    call_transition(actor=officer, call=call, action="review", note="提前评审")
    application_decide(actor=officer, application=apps[0], fund=True, amount="12000")
    with pytest.raises(DomainError) as caught:
        application_decide(actor=officer, application=apps[1], fund=True, amount="12000")
    assert "20000" in _fields(caught.value)["amount"] and "8000" in _fields(caught.value)["amount"]
    apps[1].refresh_from_db()
    assert apps[1].state == ApplicationState.SUBMITTED and apps[1].granted is None
    assert application_decide(actor=officer, application=apps[1], fund=True, amount="8000").granted == 8000


# ---- projects ------------------------------------------------------------------------------------


@pytest.fixture
def project(cast, reviewing, submitted):
    officer = cast["civil_affairs_officer"]
    application_decide(actor=officer, application=submitted[0], fund=True, amount="10000")
    application_decide(actor=officer, application=submitted[1], fund=False, reason="不符合主题")
    call_transition(actor=officer, call=reviewing, action="decide")
    return VentureProject.objects.get()


def test_spending_never_passes_the_grant(cast, project):
    today = timezone.localdate()
    spending_record(actor=cast["organiser"], project=project, amount="6000", spent_on=today, what="交通补贴")
    with pytest.raises(DomainError) as caught:
        spending_record(actor=cast["organiser"], project=project, amount="4000.01", spent_on=today, what="物料")
    message = _fields(caught.value)["amount"]
    assert "10000" in message and "4000.00" in message
    project.refresh_from_db()
    assert project.spent == Decimal("6000") and Spending.objects.count() == 1
    with pytest.raises(DomainError):
        spending_record(actor=cast["other_organiser"], project=project, amount="1", spent_on=today, what="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        VentureProject.objects.filter(pk=project.pk).update(spent=Decimal("10000.01"))


def test_milestones_reported_by_the_organisation_and_accepted_by_the_manager(cast, project):
    today = timezone.localdate()
    milestone = milestone_add(actor=cast["organiser"], project=project, title="首批入户走访", due_on=today)
    with pytest.raises(DomainError):
        milestone_accept(actor=cast["civil_affairs_officer"], milestone=milestone)  # not reported yet
    with pytest.raises(DomainError):
        milestone_report(actor=cast["civil_affairs_officer"], milestone=milestone, report="x", beneficiaries=1)
    milestone_report(actor=cast["organiser"], milestone=milestone, report="走访 30 户", beneficiaries=30)
    with pytest.raises(DomainError):
        milestone_accept(actor=cast["organiser"], milestone=milestone)
    with pytest.raises(DomainError) as caught:
        milestone_accept(actor=cast["civil_affairs_officer"], milestone=milestone, accept=False)
    assert "note" in _fields(caught.value)
    done = milestone_accept(actor=cast["civil_affairs_officer"], milestone=milestone)
    assert done.state == MilestoneState.ACCEPTED
    project.refresh_from_db()
    assert project.beneficiaries_served == 30


def test_final_evaluation(cast, project):
    with pytest.raises(DomainError) as caught:
        project_evaluate(actor=cast["civil_affairs_officer"], project=project, score=101, text="好")
    assert "score" in _fields(caught.value)
    with pytest.raises(DomainError):
        project_evaluate(actor=cast["organiser"], project=project, score=90, text="自评")
    done = project_evaluate(actor=cast["civil_affairs_officer"], project=project, score=86, text="成效明显")
    assert (done.state, done.grade) == (ProjectState.EVALUATED, Grade.GOOD)
    with pytest.raises(DomainError) as caught:
        spending_record(actor=cast["organiser"], project=project, amount="1", spent_on=timezone.localdate(), what="x")
    assert caught.value.status == 409
    assert AuditEntry.objects.filter(action="ventures.project.evaluate").count() == 1


def test_purchase_contract_deliverables_become_milestones(cast):
    officer = cast["civil_affairs_officer"]
    call = call_create(actor=officer, data=call_input(kind="purchase", title="社区居家养老服务购买"))
    call_transition(actor=officer, call=call, action="open")
    draft = application_save(actor=cast["organiser"], call=call, data=application_input())
    application_submit(actor=cast["organiser"], application=draft)
    call_transition(actor=officer, call=call, action="review", note="提前评审")
    application_decide(actor=officer, application=draft, fund=True, amount="12000")
    call_transition(actor=officer, call=call, action="decide")
    project = VentureProject.objects.get(call=call)
    today = timezone.localdate()
    contract = contract_sign(
        actor=officer,
        project=project,
        data=ContractInput(
            "HP-GM-2026-001",
            today,
            today,
            today + timedelta(days=365),
            [("助餐服务 2,000 人次", today + timedelta(days=90)), ("上门助浴 300 人次", today + timedelta(days=180))],
        ),
    )
    assert len(contract.deliverables) == 2
    assert list(Milestone.objects.filter(project=project).values_list("title", flat=True)) == [
        "助餐服务 2,000 人次",
        "上门助浴 300 人次",
    ]
    with pytest.raises(DomainError) as caught:
        contract_sign(
            actor=officer,
            project=project,
            data=ContractInput("HP-GM-2026-001", today, today, today, [("x", today)]),
        )
    assert "HP-GM-2026-001" in _fields(caught.value)["number"]


def test_the_organisations_come_from_partners(people, tree):
    """Without the stand-ins: an organiser linked to an organisation in the register applies for it."""
    from linli.accounts.domain import PARTNERS_EDIT, PARTNERS_VIEW
    from linli.accounts.selectors import actor_for_user
    from linli.core.actor import Actor
    from linli.partners.services import OrgInput, member_link, social_org_save
    from linli.ventures.selectors import org_choices, org_ids_for

    system = Actor.system("tests", permissions=frozenset({PARTNERS_VIEW, PARTNERS_EDIT}), root_path="2101")
    org = social_org_save(
        actor=system,
        data=OrgInput(
            name="水源地社区睦邻互助会",
            kind="mutual_aid",
            status="filed",
            unit="210102001002",
            responsible_name="王丽",
            responsible_phone="13800001234",
            filed_on="2025-03-01",
        ),
    )
    organiser = actor_for_user(people["organiser"])
    assert org_ids_for(organiser) == frozenset()
    member_link(actor=system, public_id=org.public_id, username="organiser")
    assert org_ids_for(organiser) == {org.public_id}
    assert [o.name for o in org_choices(organiser)] == ["水源地社区睦邻互助会"]
    assert org_ids_for(actor_for_user(people["civil_affairs_officer"])) == frozenset()
