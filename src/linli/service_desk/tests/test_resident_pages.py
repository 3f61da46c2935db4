"""The resident's application pages and the window's printouts (issue 12): withdrawing behind a
confirmation page with a reason, applying again prefilled, the step bar on the list (a pinned
number of queries), the receipt page and PDF, and the numbered one-time notice."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from linli.core.actor import Actor
from linli.service_desk.models import CaseMaterial, MaterialsNotice, ServiceCase
from linli.service_desk.services import WindowInput, material_upload, windows_seed
from linli.service_desk.tests.conftest import ZHANG_ID

WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
pytestmark = pytest.mark.usefixtures("_frozen")


@pytest.fixture
def _frozen(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    with time_machine.travel(WEDNESDAY, tick=False):
        yield


@pytest.fixture
def as_user(client, desk):
    def login(name):
        client.logout()
        client.force_login(desk["users"][name])
        return client

    return login


def apply(client) -> ServiceCase:
    client.post("/services/SQ007/apply/", {"checklist.m3": "on", "note": "请尽快"})
    return ServiceCase.objects.latest("id")


def test_withdrawing_asks_first_and_needs_a_reason(as_user):
    client = as_user("qian_resident")
    case = apply(client)
    page = client.get(f"/my/cases/{case.public_id}/").text
    # the withdraw link comes after the materials, not among the steps at the top
    assert page.index('id="withdraw-start"') > page.index("checklist")
    assert "/step/withdraw/" not in page
    confirm = client.get(f"/my/cases/{case.public_id}/withdraw/")
    assert confirm.status_code == 200 and "确定撤回这件申请吗" in confirm.text and "不撤回，继续办理" in confirm.text
    refused = client.post(f"/my/cases/{case.public_id}/withdraw/", {"note": ""})
    assert refused.status_code == 400 and "请填写撤回的原因" in refused.text
    case.refresh_from_db()
    assert case.state == "submitted"
    done = client.post(f"/my/cases/{case.public_id}/withdraw/", {"note": "不需要了"})
    assert done.status_code == 302 and done["Location"] == f"/my/cases/{case.public_id}/"
    case.refresh_from_db()
    assert case.state == "withdrawn"
    # nothing to withdraw any more: the confirmation page sends back to the case
    assert client.get(f"/my/cases/{case.public_id}/withdraw/").status_code == 302
    # someone else's case: the same 404 as a missing one
    assert as_user("resident").get(f"/my/cases/{case.public_id}/withdraw/").status_code == 404


def test_applying_again_starts_from_the_withdrawn_application(as_user, desk):
    client = as_user("qian_resident")
    case = apply(client)
    material_upload(actor=desk["actors"]["qian_resident"], case=case, material_key="m4", filename="卡.png", data=PNG)
    assert client.get(f"/my/cases/{case.public_id}/again/").status_code == 302  # still open: nothing to redo
    client.post(f"/my/cases/{case.public_id}/withdraw/", {"note": "填错了"})
    page = client.get(f"/my/cases/{case.public_id}/").text
    assert f'href="/my/cases/{case.public_id}/again/"' in page
    form = client.get(f"/my/cases/{case.public_id}/again/").text
    assert case.number in form and "卡.png" in form and "请尽快" in form
    for key in ("m3", "m4"):  # ticked before, and the photo's material
        assert re.search(rf'<input[^>]*name="checklist\.{key}"[^>]*checked', form), key
    sent = client.post(f"/my/cases/{case.public_id}/again/", {"checklist.m3": "on", "note": "请尽快"})
    again = ServiceCase.objects.latest("id")
    assert sent.status_code == 302 and sent["Location"] == f"/my/cases/{again.public_id}/"
    assert again.pk != case.pk and CaseMaterial.objects.filter(case=again, material_key="m4").count() == 1


def test_my_applications_show_the_step_bar_in_a_fixed_number_of_queries(as_user, django_assert_num_queries):
    client = as_user("qian_resident")
    for _ in range(3):
        apply(client)
    client.get("/my/cases/")  # warm the per-process memos (calendar, catalogue)
    with django_assert_num_queries(5):
        page = client.get("/my/cases/").text
    assert page.count('class="progress-steps"') == 3 and "如今天受理，预计 2026-12-25 前办结" in page


def test_the_window_prints_a_receipt_with_its_address(as_user, desk):
    client = as_user("community_worker")
    client.post("/staff/desk/intake/", {"id_number": ZHANG_ID})
    client.post(
        "/staff/desk/intake/item/",
        {
            "item_code": "SQ001",
            "channel": "window",
            "checklist.m1": "provided",
            "checklist.m3": "provided",
            "checklist.m4": "provided",
        },
    )
    case = ServiceCase.objects.get()
    windows_seed(
        actor=Actor.system("tests"),
        rows=[WindowInput(case.accepted_path, "和平示例社区便民服务窗口", "示例路1号", "024-23456789")],
    )
    page = client.get(f"/staff/desk/cases/{case.public_id}/").text
    assert f'href="/staff/desk/cases/{case.public_id}/receipt/"' in page
    receipt = client.get(f"/staff/desk/cases/{case.public_id}/receipt/").text
    assert case.number in receipt and "示例路1号" in receipt and "024-23456789" in receipt and ZHANG_ID not in receipt
    pdf = client.get(f"/staff/desk/cases/{case.public_id}/receipt.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert as_user("other_community_worker").get(f"/staff/desk/cases/{case.public_id}/receipt/").status_code == 404


def test_the_notice_is_numbered_and_says_by_when_and_how_for_each_material(as_user):
    client = as_user("community_worker")
    client.post("/staff/desk/intake/", {"id_number": ZHANG_ID})
    notice = client.post(
        "/staff/desk/intake/item/",
        {"item_code": "SQ001", "channel": "window", "checklist.m1": "provided", "notice": "1"},
    ).text
    issued = MaterialsNotice.objects.get()
    assert issued.number in notice and "请于 2026-12-09 前补齐上述材料" in notice
    assert notice.count('class="material-note"') == len(issued.missing) == 2
    assert "本窗口的地址和电话尚未录入" in notice  # said plainly until an administrator enters them
