"""Applications through their services: from the desk's acceptance to the county's decision, and
every refusal named with nothing half-saved — negative income, a member in two households, a
parameter missing for the date, approval before the notice ends, a step out of order, a step by
the wrong role or scope."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
import time_machine

from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.residents.selectors import resident_care_kinds
from linli.service_desk.domain import CaseState
from linli.service_desk.models import ServiceCase
from linli.service_desk.selectors import case_actions
from linli.welfare.domain.applications import ApplicationState, masked_given_name
from linli.welfare.models import Application, ApplicationMember, ApplicationStep, Determination, Objection, Recipient
from linli.welfare.selectors.applications import notice_board
from linli.welfare.selectors.rules import rules_determine
from linli.welfare.services.applications import (
    IncomeInput,
    application_approve,
    application_check_record,
    application_facts,
    application_record,
    application_refuse,
    application_request_check,
    application_street_pass,
    application_street_refuse,
    application_survey_record,
    application_withdraw,
    check_results_import,
    determination_trace,
    objection_answer,
    objection_record,
)
from linli.welfare.tests.applications_support import (
    AFTER_NOTICE,
    MONDAY,
    SHANGHAI,
    TODAY,
    ZHANG_ID,
    facts_input,
    make_family,
    take_at_window,
    to_notice,
)


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def family(tree, people):
    return make_family()


def test_the_journey_from_the_window_to_the_roll(clock, family, actors):
    worker, officer = actors["community_worker"], actors["civil_affairs_officer"]
    case, app = take_at_window(worker, family["zhang"])
    assert app.number == "JZ210102202612070001" and app.state == ApplicationState.RECORDING
    assert app.applied_class == "dibao" and app.path == "210102001002001001" and app.applicant_name == "张建国"
    assert case.state == CaseState.ACCEPTED
    # the desk hides its own review and decision of the item: the county decides here
    assert "start_review" not in case_actions(actor=actors["street_officer"], case=case)

    case, app = to_notice(actors, family, (case, app))
    assert app.state == ApplicationState.NOTICE
    assert (app.notice_from, app.notice_until) == (TODAY, dt.date(2026, 12, 13))
    household = application_facts(actor=worker, application=app)
    expected = rules_determine(household, TODAY)
    assert app.proposed_class == expected.assistance_class == "dibao"
    assert app.proposed_amount == expected.monthly_amount > 0
    assert [m.name for m in ApplicationMember.objects.filter(application=app)] == ["张建国", "李桂兰"]
    board = notice_board(actor=worker, community_path="210102001002", today=TODAY)
    assert [(line.name, line.amount) for line in board] == [("张*国", expected.monthly_amount)]

    with pytest.raises(DomainError) as early:  # the notice runs until 12-13
        application_approve(actor=officer, application=app)
    assert early.value.status == 409 and "2026-12-13" in early.value.message.zh
    assert not Determination.objects.exists() and not Recipient.objects.exists()

    clock.move_to(AFTER_NOTICE)
    app = application_approve(actor=officer, application=app, note="符合条件")
    assert app.state == ApplicationState.APPROVED and app.decided_on == dt.date(2026, 12, 14)
    determination = app.determination
    assert determination.assistance_class == "dibao" and determination.members == 2
    assert determination.monthly_amount == rules_determine(household, dt.date(2026, 12, 14)).monthly_amount
    trace = determination_trace(determination)
    assert trace and all({"label_zh", "value", "parameters"} <= set(line) for line in trace)
    recipient = Recipient.objects.get(household_ref=app.household_ref)
    assert recipient.paid_from == dt.date(2027, 1, 1) and recipient.monthly_amount == determination.monthly_amount
    assert resident_care_kinds(family["zhang"]) == resident_care_kinds(family["li"]) == ["dibao"]
    assert resident_care_kinds(family["wang"]) == []
    case.refresh_from_db()
    assert case.state == CaseState.DECIDED and case.decision == "approved"
    assert case.events.get(action="decide").actor_name == officer.shown_name
    assert [s.action for s in ApplicationStep.objects.filter(application=app)] == [
        "create",
        "record",
        "request_check",
        "record_check",
        "record_survey",
        "street_pass",
        "approve",
    ]
    assert AuditEntry.objects.filter(action="welfare.application_approve", object_id=app.number).count() == 1


def test_a_negative_income_is_refused_naming_the_member_and_source_and_nothing_is_saved(clock, family, actors):
    worker = actors["community_worker"]
    _case, app = take_at_window(worker, family["zhang"])
    data = facts_input(family, zhang_wage="-200")
    data.members[1].incomes = [IncomeInput("transfer", "abc")]
    with pytest.raises(DomainError) as refused:
        application_record(actor=worker, application=app, data=data)
    fields = {f.field: f.message for f in refused.value.fields}
    assert "张建国的工资性收入不能为负数" in fields["members.0.incomes.wage"].zh
    assert "wages cannot be negative" in fields["members.0.incomes.wage"].en
    assert "李桂兰" in fields["members.1.incomes.transfer"].zh
    app.refresh_from_db()
    assert app.facts_sealed == "" and app.household_ref is None
    assert not ApplicationMember.objects.exists() and not ApplicationStep.objects.filter(action="record").exists()


def test_a_member_already_in_another_households_application_is_refused(clock, family, actors):
    worker = actors["community_worker"]
    _case, app = take_at_window(worker, family["zhang"])
    other = Application.objects.create(
        number="JZ210102202612070099",
        applied_class="dibao",
        state=ApplicationState.CHECKING,
        applicant_ref=uuid.uuid4(),
        applicant_name="赵某",
        household_ref=uuid.uuid4(),
        path="210102001002001002",
        accepted_path="210102001002",
        head_name="赵某",
    )
    ApplicationMember.objects.create(application=other, resident_ref=family["li"].public_id, name="李桂兰")
    with pytest.raises(DomainError) as refused:
        application_record(actor=worker, application=app, data=facts_input(family))
    message = refused.value.fields[0].message
    assert refused.value.fields[0].field == "members" and "李桂兰" in message.zh and other.number in message.zh
    app.refresh_from_db()
    assert app.facts_sealed == ""
    other.state = ApplicationState.REFUSED  # a refused application no longer holds her
    other.save()
    assert application_record(actor=worker, application=app, data=facts_input(family)).facts_sealed


def test_a_parameter_missing_for_the_date_is_named_and_nothing_changes(family, actors):
    with time_machine.travel(dt.datetime(2019, 12, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        worker = actors["community_worker"]
        _case, app = take_at_window(worker, family["zhang"])
        application_record(actor=worker, application=app, data=facts_input(family))
        application_request_check(actor=worker, application=app)
        application_check_record(actor=worker, application=app, result="consistent")
        application_survey_record(
            actor=worker,
            application=app,
            surveyed_on=dt.date(2019, 12, 2),
            second_worker="刘社工",
            conditions=[],
            findings="属实",
        )
        with pytest.raises(DomainError) as missing:
            application_street_pass(actor=actors["street_officer"], application=app)
    assert missing.value.status == 409
    assert "2019-12-02" in missing.value.message.zh and "没有取值" in missing.value.message.zh
    assert "has no value on 2019-12-02" in missing.value.message.en
    app.refresh_from_db()
    assert app.state == ApplicationState.STREET_REVIEW and app.notice_from is None


def test_steps_out_of_order_are_refused(clock, family, actors):
    worker = actors["community_worker"]
    _case, app = take_at_window(worker, family["zhang"])
    with pytest.raises(DomainError) as no_facts:  # the check needs the household first
        application_request_check(actor=worker, application=app)
    assert no_facts.value.fields[0].field == "members"
    with pytest.raises(DomainError) as early:
        application_survey_record(
            actor=worker, application=app, surveyed_on=TODAY, second_worker="刘社工", conditions=[], findings="属实"
        )
    assert (early.value.status == 409 and "受理" in early.value.message.zh) or "登记" in early.value.message.zh
    application_record(actor=worker, application=app, data=facts_input(family))
    with pytest.raises(DomainError) as materials:
        data = facts_input(family)
        data.materials = {"letter": True}
        application_record(actor=worker, application=app, data=data)
        application_request_check(actor=worker, application=app)
    assert {f.field for f in materials.value.fields} == {"materials"} and len(materials.value.fields) == 3
    app.refresh_from_db()
    assert app.state == ApplicationState.RECORDING


def test_the_survey_needs_two_workers_a_date_and_findings(clock, family, actors):
    worker = actors["community_worker"]
    _case, app = take_at_window(worker, family["zhang"])
    application_record(actor=worker, application=app, data=facts_input(family))
    application_request_check(actor=worker, application=app)
    application_check_record(actor=worker, application=app, result="consistent")
    with pytest.raises(DomainError) as refused:
        application_survey_record(
            actor=worker,
            application=app,
            surveyed_on=TODAY + dt.timedelta(days=1),
            second_worker=worker.shown_name,
            conditions=["nonsense"],
            findings="",
        )
    assert {f.field for f in refused.value.fields} == {"surveyed_on", "second_worker", "conditions", "findings"}
    app.refresh_from_db()
    assert app.state == ApplicationState.SURVEYING and app.survey_findings_sealed == ""


def test_a_discrepancy_returns_the_application_to_recording(clock, family, actors):
    worker = actors["community_worker"]
    _case, app = take_at_window(worker, family["zhang"])
    application_record(actor=worker, application=app, data=facts_input(family))
    application_request_check(actor=worker, application=app)
    with pytest.raises(DomainError):  # a discrepancy says what differs
        application_check_record(actor=worker, application=app, result="discrepancy")
    app = application_check_record(actor=worker, application=app, result="discrepancy", note="存款多 5 万元")
    assert app.state == ApplicationState.RECORDING and app.check_note == "存款多 5 万元"


@pytest.mark.parametrize(
    ("who", "step"),
    [
        ("other_community_worker", "record"),  # another community's worker
        ("street_officer", "approve"),  # the street does not decide
        ("community_worker", "street_pass"),  # nor does the community review
        ("resident", "record"),
        ("district_admin", "approve"),
    ],
)
def test_a_step_by_the_wrong_role_or_scope_is_refused_and_changes_nothing(clock, family, actors, who, step):
    _case, app = (
        to_notice(actors, family) if step == "approve" else take_at_window(actors["community_worker"], family["zhang"])
    )
    if step == "street_pass":
        worker = actors["community_worker"]
        application_record(actor=worker, application=app, data=facts_input(family))
        application_request_check(actor=worker, application=app)
        application_check_record(actor=worker, application=app, result="consistent")
        application_survey_record(
            actor=worker, application=app, surveyed_on=TODAY, second_worker="刘社工", conditions=[], findings="属实"
        )
    clock.move_to(AFTER_NOTICE)
    app.refresh_from_db()
    before = (app.state, app.facts_sealed, ApplicationStep.objects.count(), AuditEntry.objects.count())
    calls = {
        "record": lambda a: application_record(actor=a, application=app, data=facts_input(family)),
        "approve": lambda a: application_approve(actor=a, application=app),
        "street_pass": lambda a: application_street_pass(actor=a, application=app),
    }
    with pytest.raises(DomainError) as refused:
        calls[step](actors[who])
    assert refused.value.status == 403
    app.refresh_from_db()
    assert (app.state, app.facts_sealed, ApplicationStep.objects.count(), AuditEntry.objects.count()) == before


def test_an_unanswered_objection_holds_the_approval(clock, family, actors):
    worker, officer = actors["community_worker"], actors["civil_affairs_officer"]
    _case, app = to_notice(actors, family)
    objection = objection_record(actor=worker, application=app, text="邻居反映其子有稳定工作")
    clock.move_to(AFTER_NOTICE)
    with pytest.raises(DomainError) as held:
        application_approve(actor=officer, application=app)
    assert held.value.status == 409 and "异议" in held.value.message.zh
    clock.move_to(MONDAY + dt.timedelta(days=3))  # answered during the notice
    with pytest.raises(DomainError) as unanswered:
        objection_answer(actor=worker, objection=objection, outcome="", answer="")
    assert {f.field for f in unanswered.value.fields} == {"outcome", "answer"}
    objection_answer(actor=worker, objection=objection, outcome="dismissed", answer="经核实其子另立户籍，不共同生活")
    assert Objection.objects.get().answered_on == dt.date(2026, 12, 10)
    clock.move_to(AFTER_NOTICE)
    assert application_approve(actor=officer, application=app).state == ApplicationState.APPROVED


def test_a_refusal_needs_reasons_and_sets_the_written_notice_due_date(clock, family, actors):
    worker, officer = actors["community_worker"], actors["civil_affairs_officer"]
    case, app = take_at_window(worker, family["zhang"])
    application_record(actor=worker, application=app, data=facts_input(family, zhang_wage="9000"))
    application_request_check(actor=worker, application=app)
    application_check_record(actor=worker, application=app, result="consistent")
    application_survey_record(
        actor=worker, application=app, surveyed_on=TODAY, second_worker="刘社工", conditions=[], findings="有稳定工作"
    )
    with pytest.raises(DomainError) as not_eligible:  # the rules find it not eligible: the street cannot pass it
        application_street_pass(actor=actors["street_officer"], application=app)
    assert not_eligible.value.status == 409
    application_street_refuse(actor=actors["street_officer"], application=app, reasons="人均收入高于低保标准")
    with pytest.raises(DomainError) as bare:
        application_refuse(actor=officer, application=app, reasons=" ")
    assert bare.value.fields[0].field == "reasons"
    app = application_refuse(actor=officer, application=app, reasons="家庭人均收入高于当地低保标准")
    assert app.state == ApplicationState.REFUSED
    assert app.refusal_notice_due == dt.date(2026, 12, 10)  # three working days after Monday 12-07
    assert app.determination.assistance_class == "none" and determination_trace(app.determination)
    assert not Recipient.objects.exists()
    case.refresh_from_db()
    assert case.state == CaseState.DECIDED and case.decision == "denied"


def test_withdrawing_needs_a_reason_and_a_confirmation_and_withdraws_the_desk_case(clock, family, actors):
    worker = actors["community_worker"]
    case, app = take_at_window(worker, family["zhang"])
    with pytest.raises(DomainError) as refused:
        application_withdraw(actor=worker, application=app, reason="", confirm=False)
    assert {f.field for f in refused.value.fields} == {"reason", "confirm"}
    app.refresh_from_db()
    assert app.state == ApplicationState.RECORDING
    app = application_withdraw(actor=worker, application=app, reason="申请人已找到工作", confirm=True)
    assert app.state == ApplicationState.WITHDRAWN
    case.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN
    _case2, again = take_at_window(worker, family["zhang"])  # a new application may follow
    assert again.state == ApplicationState.RECORDING


def test_a_second_open_application_of_the_applicant_is_refused_with_the_acceptance(clock, family, actors):
    worker = actors["community_worker"]
    take_at_window(worker, family["zhang"])
    cases = ServiceCase.objects.count()
    with pytest.raises(DomainError) as refused:
        take_at_window(worker, family["zhang"], item="SQ002")
    assert refused.value.status == 409 and "JZ210102202612070001" in refused.value.message.zh
    assert ServiceCase.objects.count() == cases and Application.objects.count() == 1


def test_check_results_import_names_every_bad_line_and_records_nothing_until_all_are_right(clock, family, actors):
    worker = actors["community_worker"]
    _case, app = take_at_window(worker, family["zhang"])
    application_record(actor=worker, application=app, data=facts_input(family))
    application_request_check(actor=worker, application=app)
    bad = f"number,id_number,result,note\n{app.number},,maybe,\nJZ210102202612079999,,一致,\n,{ZHANG_ID},不一致,\n"
    with pytest.raises(DomainError) as refused:
        check_results_import(actor=worker, text=bad)
    assert [f.field for f in refused.value.fields] == ["line.2", "line.3", "line.4"]
    app.refresh_from_db()
    assert app.state == ApplicationState.CHECKING and app.check_result == ""
    result = check_results_import(actor=worker, text=f"\ufeffnumber,id_number,result,note\n,{ZHANG_ID},一致,\n")
    assert result.recorded == 1
    app.refresh_from_db()
    assert app.state == ApplicationState.SURVEYING and app.check_result == "consistent"
    assert ApplicationStep.objects.get(action="record_check").details["source"] == "import"


def test_the_notice_never_shows_an_id_number_or_an_illness(clock, family, actors):
    _case, app = to_notice(actors, family)
    line = notice_board(actor=actors["street_officer"], community_path="210102001002", today=TODAY)[0]
    shown = " ".join(str(v) for v in vars(line).values())
    assert "张*国" in shown and "张建国" not in shown and ZHANG_ID[-4:] not in shown and "卧床" not in shown
    assert notice_board(actor=actors["other_community_worker"], community_path="210102001002", today=TODAY) == []
    assert masked_given_name("李明") == "李*" and masked_given_name("欧阳小明") == "欧**明"
    assert line.amount == app.proposed_amount and isinstance(line.amount, Decimal)


def test_the_application_timeline_is_append_only_in_the_database(clock, family, actors):
    from django.db import DatabaseError, transaction

    _, app = take_at_window(actors["community_worker"], family["zhang"])
    step = ApplicationStep.objects.filter(application=app).first()
    assert step is not None
    for attempt in (
        lambda: ApplicationStep.objects.filter(pk=step.pk).update(note="rewritten"),
        lambda: ApplicationStep.objects.filter(pk=step.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    assert ApplicationStep.objects.get(pk=step.pk).note == step.note
