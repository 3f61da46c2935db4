"""What a resident meets on their own application (issue 12): withdrawing only with a reason,
applying again with what was given, a photo of a material ticking it, the step bar with its
expected date — and at the window, the acceptance receipt and a complete one-time notice."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.residents.services import applicant_lookup
from linli.service_desk.domain import CaseState, Channel, MaterialStatus, progress_position
from linli.service_desk.exports import receipt_pdf
from linli.service_desk.models import CaseEvent, CaseMaterial, MaterialsNotice, ServiceCase, ServiceWindow
from linli.service_desk.selectors import case_progress, case_receipt, checklist_lines, reapply_initial
from linli.service_desk.services import (
    IntakeInput,
    WindowInput,
    case_reapply,
    case_submit,
    material_read,
    material_upload,
    notice_issue,
    window_save,
    windows_seed,
)
from linli.service_desk.tests.conftest import CATALOGUE_ADMIN, ZHANG_ID
from linli.service_desk.tests.test_cases import step, window_intake

WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"bank card"


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def online(desk, checklist=None, note="请尽快"):
    """钱海燕 applies online for 高龄津贴 (SQ007); m2, m3 and m4 are the materials to bring."""
    data = IntakeInput(
        item_code="SQ007",
        channel=Channel.ONLINE,
        checklist={"m3": "provided"} if checklist is None else checklist,
        answers={"note": note},
    )
    return case_submit(actor=desk["actors"]["qian_resident"], data=data)


@time_machine.travel(WEDNESDAY, tick=False)
def test_withdrawing_needs_a_reason_and_without_one_changes_nothing(desk):
    resident = desk["actors"]["qian_resident"]
    case = online(desk)
    for note in ("", " ", "x"):
        with pytest.raises(DomainError) as refused:
            step(resident, case, "withdraw", note=note)
        assert [f.field for f in refused.value.fields] == ["note"]
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    assert not CaseEvent.objects.filter(case=case, action="withdraw").exists()
    step(resident, case, "withdraw", note="材料没备齐，下周再办")
    case.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN
    assert CaseEvent.objects.get(case=case, action="withdraw").note == "材料没备齐，下周再办"
    assert AuditEntry.objects.get(action="case.withdraw").reason == "材料没备齐，下周再办"


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_withdrawn_application_is_applied_for_again_with_its_photos(desk):
    resident = desk["actors"]["qian_resident"]
    case = online(desk)
    material_upload(actor=resident, case=case, material_key="m4", filename="银行卡.png", data=PNG)
    step(resident, case, "withdraw", note="填错了")
    case.refresh_from_db()
    assert reapply_initial(case) == {"checklist.m3": True, "checklist.m4": True, "note": "请尽快"}

    data = IntakeInput(item_code="IGNORED", channel=Channel.ONLINE, checklist={"m3": "provided"}, answers={})
    again = case_reapply(actor=resident, previous=case, data=data)
    assert again.pk != case.pk and again.item.code == "SQ007" and again.state == CaseState.SUBMITTED
    assert again.checklist == {"m3": MaterialStatus.PROVIDED, "m4": MaterialStatus.PROVIDED}
    carried = CaseMaterial.objects.get(case=again)
    assert carried.material_key == "m4" and material_read(actor=resident, material=carried) == PNG
    assert CaseEvent.objects.get(case=again, action="submit").details == {
        "previous": case.number,
        "materials_carried": ["m4"],
    }
    assert AuditEntry.objects.filter(action="case.submit", object_id=again.number).get().details["previous"] == (
        case.number
    )
    case.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN  # the old one stays as it was


@time_machine.travel(WEDNESDAY, tick=False)
def test_only_the_applicant_applies_again_and_only_after_withdrawal_or_refusal(desk):
    case = online(desk)
    data = IntakeInput(item_code="SQ007", channel=Channel.ONLINE)
    with pytest.raises(DomainError) as open_case:
        case_reapply(actor=desk["actors"]["qian_resident"], previous=case, data=data)
    assert open_case.value.status == 409
    step(desk["actors"]["qian_resident"], case, "withdraw", note="不办了")
    with pytest.raises(DomainError) as stranger:
        case_reapply(actor=desk["actors"]["resident"], previous=case, data=data)
    assert stranger.value.status == 404
    assert ServiceCase.objects.count() == 1


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_photo_of_a_named_material_ticks_it_on_both_sides(desk):
    case = online(desk, checklist={})
    assert {line.material.key: line.status for line in checklist_lines(case.item_version, case.checklist)}["m4"] == (
        MaterialStatus.MISSING
    )
    material_upload(actor=desk["actors"]["qian_resident"], case=case, material_key="m4", filename="卡.png", data=PNG)
    stored = ServiceCase.objects.get(pk=case.pk)
    assert stored.checklist == {"m4": MaterialStatus.PROVIDED}
    assert AuditEntry.objects.get(action="case.material_upload").details["ticked"] is True
    # a second photo of the same material changes nothing more
    material_upload(actor=desk["actors"]["qian_resident"], case=case, material_key="m4", filename="卡2.png", data=PNG)
    assert ServiceCase.objects.get(pk=case.pk).checklist == {"m4": MaterialStatus.PROVIDED}
    assert AuditEntry.objects.filter(action="case.material_upload").latest("id").details["ticked"] is False


def test_progress_positions():
    assert progress_position(CaseState.SUBMITTED) == (0, False)
    assert progress_position(CaseState.AWAITING_SUPPLEMENT) == (2, False)
    assert progress_position(CaseState.RATED) == (4, False)
    assert progress_position(CaseState.REFUSED) == (0, True)
    assert progress_position(CaseState.WITHDRAWN, accepted=True) == (1, True)
    assert progress_position(CaseState.WITHDRAWN, accepted=True, reviewed=True) == (2, True)


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_step_bar_estimates_before_acceptance_and_promises_after(desk):
    case = online(desk)
    before = case_progress(case)
    assert [s.status for s in before.steps] == ["current", "todo", "todo", "todo", "todo"]
    # SQ007 promises 22 working days: accepted on Wednesday 25 November, due Friday 25 December
    assert case.item_version.promised_days == 22
    assert before.estimated and before.expected_on == date(2026, 12, 25)
    step(desk["actors"]["binhe_worker"], case, "accept", checklist=dict.fromkeys(("m2", "m3", "m4"), "provided"))
    case.refresh_from_db()
    after = case_progress(case)
    assert [s.status for s in after.steps] == ["done", "current", "todo", "todo", "todo"]
    assert not after.estimated and after.expected_on == case.due_on
    step(desk["actors"]["qian_resident"], case, "withdraw", note="不需要了")
    case.refresh_from_db()
    stopped = case_progress(case)
    assert [s.status for s in stopped.steps] == ["done", "stopped", "todo", "todo", "todo"]
    assert stopped.expected_on is None


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_receipt_names_the_window_and_is_audited_when_printed_as_pdf(desk):
    worker = desk["actors"]["community_worker"]
    case = online(desk)
    with pytest.raises(DomainError) as not_yet:
        case_receipt(case)
    assert not_yet.value.status == 404
    zhang = applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理").public_id
    accepted = window_intake(worker, zhang)
    window_save(
        actor=CATALOGUE_ADMIN,
        data=WindowInput(accepted.accepted_path, "示例社区便民服务窗口", "示例路1号一楼", "024-23456789", "周一至周五"),
    )
    receipt = case_receipt(accepted)
    assert receipt.window.phone == "024-23456789" and receipt.accepted_by == worker.shown_name
    assert [line.status for line in receipt.lines if line.material.key == "m1"] == ["provided"]
    data, filename = receipt_pdf(actor=worker, receipt=receipt)
    assert data.startswith(b"%PDF-") and filename == f"{accepted.number}-receipt.pdf"
    assert AuditEntry.objects.filter(action="case.receipt", object_id=accepted.number).count() == 1


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_notice_is_numbered_with_a_deadline_and_only_when_something_is_missing(desk):
    worker = desk["actors"]["community_worker"]
    zhang = applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理")
    desk_path = zhang.home_path[:12]
    args = {
        "item_code": "SQ001",
        "applicant_ref": zhang.public_id,
        "applicant_name": zhang.name,
        "desk_path": desk_path,
    }
    notice = notice_issue(actor=worker, checklist={"m1": "provided"}, **args)
    assert notice.number == f"GZ{desk_path[:6]}-20261125-0001"
    assert notice.missing == ["m3", "m4"]
    assert notice.deadline == date(2026, 12, 9)  # 10 working days
    assert AuditEntry.objects.get(action="desk.notice_issue").object_id == notice.number
    assert notice_issue(actor=worker, checklist={"m1": "provided", "m3": "provided", "m4": "provided"}, **args) is None
    assert notice_issue(actor=worker, checklist={}, **args).number.endswith("-0002")
    with pytest.raises(DomainError):
        notice_issue(actor=desk["actors"]["binhe_worker"], checklist={}, **args)  # not their window
    assert MaterialsNotice.objects.count() == 2


def test_windows_are_saved_with_every_field_named_and_seeded_once(desk):
    with pytest.raises(DomainError) as bad:
        window_save(actor=CATALOGUE_ADMIN, data=WindowInput("210102001002", "", "", ""))
    assert sorted(f.field for f in bad.value.fields) == ["address", "name", "phone"]
    with pytest.raises(DomainError):
        window_save(actor=desk["actors"]["community_worker"], data=WindowInput("210102001002", "a", "b", "c"))
    system = Actor.system("demo")
    rows = [WindowInput("210102001002", "窗口", "地址", "024-1")]
    assert windows_seed(actor=system, rows=rows) == 1
    assert windows_seed(actor=system, rows=rows) == 0
    assert ServiceWindow.objects.get().name == "窗口"
