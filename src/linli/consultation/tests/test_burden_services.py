# ruff: noqa: F811 (the stage's fixtures are imported from burden_support)
"""Stage burden's writes: the list (never a nationally forbidden certificate), issuing only what
the list names, voiding, requests with funds decided by the district, unlisted asks recorded."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError

from linli.consultation.domain.burden import RequestState, is_forbidden
from linli.consultation.models import Certificate, CertificateKind, CommunityTask, TaskEntryRequest, TaskRefusal
from linli.consultation.services import burden as svc
from linli.consultation.tests.burden_support import (  # noqa: F401
    DISTRICT,
    HUNHEWAN,
    SHUIYUANDI,
    TODAY,
    clock,
    filed,
    issue_input,
    kind,
    request_input,
    zhang,
)
from linli.core.errors import DomainError
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _fields(error: DomainError) -> dict:
    return {f.field: f.message.zh for f in error.fields}


def test_the_city_example_list_is_shipped_and_never_names_a_forbidden_certificate(tree):
    names = list(CertificateKind.objects.filter(path="").values_list("name", flat=True))
    assert names == ["家庭困难情况说明（申请临时救助）", "居住证明（办理居住证）"]
    assert not any(is_forbidden(n) for n in names)
    assert is_forbidden("亲属关系证明") and is_forbidden("无犯罪记录证明（出国）")
    assert CommunityTask.objects.filter(path="").count() == 1


def test_a_forbidden_certificate_cannot_be_put_on_a_list(actors, clock):
    data = svc.KindInput(path=DISTRICT, code="kin", name="亲属关系证明", legal_basis="无")
    with pytest.raises(DomainError) as caught:
        svc.certificate_kind_save(actor=actors["district_admin"], data=data)
    assert _fields(caught.value) == {"name": "民发〔2020〕20号规定居（村）委会不得出具此证明，不能列入清单"}
    assert "2020" in caught.value.fields[0].message.en
    assert CertificateKind.objects.filter(path=DISTRICT).count() == 0


def test_the_district_adds_and_ends_a_certificate_on_its_list(actors, clock):
    data = svc.KindInput(path=DISTRICT, code="hp-1", name="居住证明", legal_basis="区保留清单第1项")
    made = svc.certificate_kind_save(actor=actors["district_admin"], data=data)
    assert (made.path, made.since, made.until) == (DISTRICT, TODAY, None)
    ended = svc.certificate_kind_end(actor=actors["district_admin"], kind=made, reason="清单调整")
    assert ended.until == TODAY
    assert CertificateKind.objects.filter(pk=made.pk).exists()
    with pytest.raises(DomainError) as caught:
        svc.certificate_kind_end(actor=actors["district_admin"], kind=made, reason="again")
    assert caught.value.status == 409


@pytest.mark.parametrize("who", ["other_district_admin", "community_worker", "department_officer"])
def test_others_cannot_edit_a_district_list(actors, clock, who):
    data = svc.KindInput(path=DISTRICT, code="hp-1", name="居住证明", legal_basis="x")
    with pytest.raises(DomainError):
        svc.certificate_kind_save(actor=actors[who], data=data)
    assert CertificateKind.objects.filter(path=DISTRICT).count() == 0


def test_only_a_citywide_admin_edits_the_city_rows(actors, clock):
    row = CertificateKind.objects.get(path="", code="residence")
    data = svc.KindInput(path="", code="residence", name="居住证明（办理居住证）", legal_basis="市清单第2项")
    with pytest.raises(DomainError):
        svc.certificate_kind_save(actor=actors["district_admin"], data=data, kind=row)
    saved = svc.certificate_kind_save(actor=actors["city_admin"], data=data, kind=row)
    assert saved.legal_basis == "市清单第2项"


def test_a_community_issues_a_listed_certificate_numbered_and_masked(actors, kind, zhang):
    made = svc.certificate_issue(
        actor=actors["community_worker"], data=issue_input(kind.pk, subject_ref=str(zhang.public_id))
    )
    assert made.number == "ZM21010200100220261200001"
    assert (made.subject_shown, made.subject_ref, made.issued_on) == ("张*国", zhang.public_id, TODAY)
    typed = svc.certificate_issue(actor=actors["community_worker"], data=issue_input(kind.pk))
    assert (typed.number[-5:], typed.subject_shown, typed.subject_ref) == ("00002", "王*明", None)
    assert AuditEntry.objects.filter(action="consultation.certificate_issue").count() == 2


def test_a_certificate_not_on_the_list_is_refused_by_name(actors, kind, clock):
    other = CertificateKind.objects.create(
        path="210103", code="x", name="在读证明", legal_basis="x", since=dt.date(2020, 1, 1)
    )
    with pytest.raises(DomainError) as caught:
        svc.certificate_issue(actor=actors["community_worker"], data=issue_input(other.pk))
    assert _fields(caught.value) == {"kind_id": "“在读证明”不在本区证明事项清单内，不能出具"}
    svc.certificate_kind_end(actor=actors["district_admin"], kind=kind, reason="调整")
    with pytest.raises(DomainError):
        svc.certificate_issue(actor=actors["community_worker"], data=issue_input(kind.pk))
    assert Certificate.objects.count() == 0


def test_a_resident_of_another_community_is_not_a_subject(actors, kind, zhang):
    with pytest.raises(DomainError) as caught:
        svc.certificate_issue(
            actor=actors["community_worker"],
            data=issue_input(kind.pk, path=SHUIYUANDI, subject_ref="0190b6a0-0000-7000-8000-000000000000"),
        )
    assert _fields(caught.value) == {"subject_ref": "本社区没有这位居民"}
    assert Certificate.objects.count() == 0


@pytest.mark.parametrize("who", ["other_community_worker", "resident", "department_officer", "anonymous"])
def test_outsiders_cannot_issue_here(actors, kind, who):
    with pytest.raises(DomainError) as caught:
        svc.certificate_issue(actor=actors[who], data=issue_input(kind.pk))
    assert caught.value.status in (403, 404)
    assert Certificate.objects.count() == 0


def test_voiding_needs_a_reason_and_happens_once(actors, kind):
    made = svc.certificate_issue(actor=actors["community_worker"], data=issue_input(kind.pk))
    with pytest.raises(DomainError):
        svc.certificate_void(actor=actors["community_worker"], certificate=made, reason=" ")
    assert Certificate.objects.get(pk=made.pk).voided_at is None
    voided = svc.certificate_void(actor=actors["community_worker"], certificate=made, reason="填写错误")
    assert (voided.void_reason, voided.voided_at is not None) == ("填写错误", True)
    with pytest.raises(DomainError) as caught:
        svc.certificate_void(actor=actors["community_worker"], certificate=made, reason="again")
    assert caught.value.status == 409


def test_a_request_without_funds_is_refused_with_that_reason(actors, clock):
    officer = actors["department_officer"]
    for amount in (None, Decimal("0")):
        with pytest.raises(DomainError) as caught:
            svc.task_request_file(actor=officer, data=request_input(officer, funds_amount=amount))
        assert _fields(caught.value) == {"funds_amount": "没有经费的事项不予准入（费随事转）"}
    assert TaskEntryRequest.objects.count() == 0


def test_the_database_also_refuses_a_request_without_funds(actors, clock):
    officer = actors["department_officer"]
    made = filed(officer)
    with pytest.raises(IntegrityError):
        TaskEntryRequest.objects.filter(pk=made.pk).update(funds_amount=0)


def test_a_request_is_numbered_for_the_department_district_and_approved_onto_the_list(actors, clock):
    made = filed(actors["department_officer"])
    assert (made.number, made.path, made.state) == ("ZR21010220261200001", DISTRICT, RequestState.SUBMITTED)
    decided = svc.task_request_decide(actor=actors["district_admin"], request=made, approve=True, reason="")
    task = CommunityTask.objects.get(request=decided)
    assert (decided.state, task.path, task.funds_amount, task.since) == (
        "approved",
        DISTRICT,
        Decimal("12000.00"),
        TODAY,
    )
    with pytest.raises(DomainError) as caught:
        svc.task_request_decide(actor=actors["district_admin"], request=made, approve=False, reason="x")
    assert caught.value.status == 409


def test_refusing_needs_a_reason_and_lists_nothing(actors, clock):
    made = filed(actors["department_officer"])
    with pytest.raises(DomainError):
        svc.task_request_decide(actor=actors["district_admin"], request=made, approve=False, reason="")
    assert TaskEntryRequest.objects.get(pk=made.pk).state == RequestState.SUBMITTED
    decided = svc.task_request_decide(actor=actors["district_admin"], request=made, approve=False, reason="无法定依据")
    assert (decided.state, decided.decision_reason) == ("refused", "无法定依据")
    assert CommunityTask.objects.filter(path=DISTRICT).count() == 0


@pytest.mark.parametrize("who", ["other_district_admin", "department_officer", "community_worker"])
def test_only_the_district_decides(actors, clock, who):
    made = filed(actors["department_officer"])
    with pytest.raises(DomainError):
        svc.task_request_decide(actor=actors[who], request=made, approve=True, reason="")
    assert TaskEntryRequest.objects.get(pk=made.pk).state == RequestState.SUBMITTED


def test_an_unlisted_ask_is_recorded_against_the_department(actors, clock):
    data = svc.RefusalInput(path=SHUIYUANDI, department_name="区卫健局", what="代收体检表", asked_on=TODAY)
    made = svc.task_refusal_record(actor=actors["community_worker"], data=data)
    assert (made.department_name, made.path, made.asked_on) == ("区卫健局", SHUIYUANDI, TODAY)
    with pytest.raises(DomainError):
        svc.task_refusal_record(
            actor=actors["community_worker"],
            data=svc.RefusalInput(path=HUNHEWAN, department_name="区卫健局", what="x", asked_on=TODAY),
        )
    assert TaskRefusal.objects.count() == 1


def test_the_demo_makes_every_state_once(tree, clock):
    from linli.consultation.demo_burden import demo_generate

    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lambda _m: None)
    states = sorted(TaskEntryRequest.objects.filter(path=DISTRICT).values_list("state", flat=True))
    counts = (Certificate.objects.count(), Certificate.objects.filter(voided_at__isnull=False).count())
    assert (states, counts, TaskRefusal.objects.count()) == (["approved", "refused", "submitted"], (3, 1), 3)
    assert CommunityTask.objects.filter(path=DISTRICT).count() == 1
    assert TaskRefusal.objects.values("department_name").distinct().count() == 2
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lambda _m: None)
    assert (Certificate.objects.count(), TaskEntryRequest.objects.count(), TaskRefusal.objects.count()) == (3, 3, 3)
