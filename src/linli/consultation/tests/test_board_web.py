# ruff: noqa: F811 (the stage's fixtures are imported from board_support)
"""Board pages: the staff board's role × scope matrix and pinned query count, publishing and the
withdrawal's confirmation; conventions pages; the public board without log-in (what shows today,
grouped, no names), the finder, the print view, the PDF read back with pdftotext, the versions'
comparison escaped; the resident's link to their own board."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse

from linli.consultation.models import BoardNotice, ConventionVersion
from linli.consultation.services import board as svc
from linli.consultation.tests.board_support import (  # noqa: F401 (fixtures)
    HUNHEWAN,
    SHUIYUANDI,
    TEXT_V2,
    TODAY,
    VILLAGE,
    clock,
    consultation_row,
    convention_in_force,
    notice,
    village_worker,
)
from linli.testing import log_in

pytestmark = pytest.mark.django_db
MANAGE = "portal:consultation:board-manage"


@pytest.fixture
def board(actors, clock):
    """水源地's board: one notice showing, one coming, one expired, one withdrawn, a convention."""
    worker = actors["community_worker"]
    showing = notice(worker, title="停水通知")
    notice(worker, title="下周议事会", public_from=TODAY + dt.timedelta(days=3))
    notice(
        worker,
        title="三季度收支",
        kind="finance",
        public_from=TODAY - dt.timedelta(days=40),
        public_until=TODAY - dt.timedelta(days=10),
    )
    wrong = notice(worker, title="错误通知")
    svc.notice_withdraw(actor=worker, notice=wrong, reason="内容有误")
    notice(actors["other_community_worker"], path=HUNHEWAN, title="浑河湾通知")
    return {"showing": showing, "convention": convention_in_force(worker)}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("resident", 404),
        ("other_community_worker", 404),
        ("department_officer", 404),
        ("community_worker", 200),
        ("street_officer", 200),
        ("district_admin", 200),
        ("other_district_admin", 404),
    ],
)
def test_the_staff_board_matrix(client, board, who, status):
    if who != "anonymous":
        log_in(client, who)
    page = client.get(reverse(MANAGE, args=[SHUIYUANDI]))
    assert page.status_code == status
    if status == 200:
        b = page.context["board"]
        assert [n.title for n in b.showing] == ["居民公约", "停水通知"]
        assert [n.title for n in b.upcoming] == ["下周议事会"]
        assert [n.title for n in b.expired] == ["三季度收支"]
        assert [(n.title, n.withdrawn_reason) for n in b.withdrawn] == [("错误通知", "内容有误")]


def test_the_staff_board_s_query_count(client, board, django_assert_num_queries):
    log_in(client, "community_worker")
    client.get(reverse(MANAGE, args=[SHUIYUANDI]))
    with django_assert_num_queries(4):
        assert client.get(reverse(MANAGE, args=[SHUIYUANDI])).status_code == 200


def test_a_reader_sees_no_publish_form(client, board):
    log_in(client, "street_officer")
    page = client.get(reverse(MANAGE, args=[SHUIYUANDI]))
    assert page.context["may_manage"] is False
    assert b'name="body"' not in page.content
    assert (
        client.post(reverse(MANAGE, args=[SHUIYUANDI]), {"kind": "notice", "title": "x", "body": "y"}).status_code
        == 403
    )
    assert BoardNotice.objects.filter(title="x").count() == 0


def test_publishing_from_the_page(client, board):
    log_in(client, "community_worker")
    data = {
        "kind": "finance",
        "title": "十一月收支公开",
        "body": "收入 1200 元，支出 800 元。",
        "public_from": "2026-12-07",
        "public_until": "2026-12-31",
    }
    assert client.post(reverse(MANAGE, args=[SHUIYUANDI]), data).status_code == 302
    made = BoardNotice.objects.get(title="十一月收支公开")
    assert (made.kind, made.public_until) == ("finance", dt.date(2026, 12, 31))


def test_a_refused_notice_keeps_the_input(client, board):
    log_in(client, "community_worker")
    data = {"kind": "notice", "title": "保留的标题", "body": "", "public_from": "2026-12-07"}
    page = client.post(reverse(MANAGE, args=[SHUIYUANDI]), data)
    assert page.status_code == 422
    assert page.context["form"].errors["body"] == ["请填写公开内容"]
    assert "保留的标题" in page.content.decode()
    assert BoardNotice.objects.filter(title="保留的标题").count() == 0


def test_withdrawing_asks_for_confirmation_and_a_reason(client, board):
    log_in(client, "community_worker")
    url = reverse("portal:consultation:board-withdraw", args=[board["showing"].public_id])
    assert client.get(url).status_code == 200
    page = client.post(url, {"reason": "已恢复供水"})
    assert page.status_code == 422
    assert BoardNotice.objects.get(pk=board["showing"].pk).withdrawn_at is None
    assert client.post(url, {"reason": "已恢复供水", "confirm": "on"}).status_code == 302
    assert BoardNotice.objects.get(pk=board["showing"].pk).withdrawn_reason == "已恢复供水"


def test_another_community_s_worker_cannot_withdraw(client, board):
    log_in(client, "other_community_worker")
    url = reverse("portal:consultation:board-withdraw", args=[board["showing"].public_id])
    assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 404
    assert BoardNotice.objects.get(pk=board["showing"].pk).withdrawn_at is None


def test_the_conventions_pages(client, board, actors):
    convention = board["convention"]
    draft = svc.version_draft(actor=actors["community_worker"], convention=convention, text=TEXT_V2)
    log_in(client, "community_worker")
    listing = client.get(reverse("portal:consultation:board-conventions"))
    assert [c.title for c, _f, _d in listing.context["rows"]] == ["居民公约"]
    detail = client.get(reverse("portal:consultation:board-convention", args=[convention.public_id]))
    assert [v.version for v in detail.context["versions"]] == [2, 1]
    consult = reverse("portal:consultation:board-version-consult", args=[convention.public_id, 2])
    refused = client.post(consult, {"consultation": ""})
    assert refused.status_code == 422
    consultation = consultation_row(SHUIYUANDI, "decided")
    assert client.post(consult, {"consultation": str(consultation.public_id)}).status_code == 302
    adopt = reverse("portal:consultation:board-version-adopt", args=[convention.public_id, 2])
    assert client.post(adopt, {"adopted_on": "2026-12-07"}).status_code == 422  # not confirmed
    assert client.post(adopt, {"adopted_on": "2026-12-07", "confirm": "on"}).status_code == 302
    assert ConventionVersion.objects.get(pk=draft.pk).state == "adopted"


def test_a_new_convention_from_the_page(client, tree, people, clock):
    log_in(client, "community_worker")
    url = reverse("portal:consultation:board-convention-new")
    data = {"path": SHUIYUANDI, "kind": "village", "title": "村规", "text": "正文"}
    page = client.post(url, data)
    assert page.status_code == 422
    assert page.context["form"].errors["kind"] == ["村规民约只用于村，居民公约只用于社区"]
    assert client.post(url, data | {"kind": "residents"}).status_code == 302


def test_the_staff_comparison_escapes_the_text(client, board, actors):
    convention = board["convention"]
    svc.version_draft(
        actor=actors["community_worker"], convention=convention, text="<script>alert(1)</script>\n二、文明养犬。"
    )
    log_in(client, "community_worker")
    page = client.get(reverse("portal:consultation:board-diff", args=[convention.public_id]) + "?a=1&b=2")
    body = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# ---------------------------------------------------------------- public


def test_the_public_board_shows_today_s_notices_to_anyone(client, board, django_assert_num_queries):
    url = reverse("portal:board:board-show", args=[SHUIYUANDI])
    client.get(url)
    with django_assert_num_queries(3):
        page = client.get(url)
    assert page.status_code == 200
    groups = [(str(label), [n.title for n in notices]) for label, notices in page.context["b"].groups]
    assert groups == [("公约", ["居民公约"]), ("通知公告", ["停水通知"])]
    body = page.content.decode()
    assert "错误通知" not in body and "下周议事会" not in body and "三季度收支" not in body
    assert "浑河湾通知" not in body
    assert "community_worker" not in body  # no author's name on the public page
    assert [c.title for c, _v in page.context["b"].conventions] == ["居民公约"]


@pytest.mark.parametrize("path", ["210102001", "210102001002001", "999999999999", "abc"])
def test_only_a_community_or_village_has_a_board(client, tree, path):
    assert client.get(f"/board/{path}/").status_code == 404


def test_the_finder(client, tree):
    found = client.get(reverse("portal:board:board-find") + "?q=水源")
    assert found.context["found"] == [(SHUIYUANDI, "水源地社区", "浑河湾街道")]
    districts = client.get(reverse("portal:board:board-find"))
    assert districts.context["children"] == [("210102", "和平区"), ("210103", "沈河区")]
    street = client.get(reverse("portal:board:board-find") + "?in=210103001")
    assert street.context["trail"] == [("210103", "沈河区"), ("210103001", "滨河街道")]
    assert street.context["children"] == [("210103001001", "滨河社区"), (VILLAGE, "前进村委会")]


def test_the_print_view(client, board):
    page = client.get(reverse("portal:board:board-print", args=[SHUIYUANDI]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "12月9日9时至12时停水检修。" in body and "一、爱护公共环境。" in body
    assert "topbar" not in body


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_pdf_reads_in_chinese(client, board, tmp_path):
    answer = client.get(reverse("portal:board:board-pdf", args=[SHUIYUANDI]))
    assert answer["Content-Type"] == "application/pdf"
    pdf = tmp_path / "board.pdf"
    pdf.write_bytes(answer.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "水源地社区公开栏" in text.replace(" ", "")
    assert "12月9日9时至12时停水检修。" in text
    assert "一、爱护公共环境。" in text
    assert "错误通知" not in text


def test_the_public_convention_keeps_its_versions(client, board, actors):
    convention = board["convention"]
    worker = actors["community_worker"]
    draft = svc.version_draft(actor=worker, convention=convention, text=TEXT_V2)
    url = reverse("portal:board:board-convention", args=[convention.public_id])
    assert [v.version for v in client.get(url).context["versions"]] == [1]  # a draft is not public
    svc.version_consult(actor=worker, version=draft, consultation_id=consultation_row(SHUIYUANDI, "decided").public_id)
    svc.version_adopt(actor=worker, version=draft, adopted_on=TODAY)
    page = client.get(url)
    assert [(v.version, v.state) for v in page.context["versions"]] == [(2, "adopted"), (1, "superseded")]
    diff = client.get(reverse("portal:board:board-convention-diff", args=[convention.public_id]))
    assert diff.status_code == 200
    assert "车辆有序停放" in diff.content.decode()


def test_a_resident_is_taken_to_their_own_board(client, board):
    log_in(client, "resident")
    page = client.get(reverse("portal:consultation-resident:board-mine"))
    assert page.status_code == 200  # the `resident` account is not linked to the pool
    assert page.templates[0].name == "consultation/resident/board/none.html"


def test_decisions_and_village_steps_link_to_their_pages(client, actors, village_worker, clock):
    ref = "0193a000-0000-7000-8000-000000000001"
    notice(actors["community_worker"], kind="decision", title="停车协商决定", source_type="decision", source_ref=ref)
    notice(
        village_worker,
        path=VILLAGE,
        kind="village_resolution",
        title="决议",
        source_type="village_step",
        source_ref=ref,
    )
    community = client.get(reverse("portal:board:board-show", args=[SHUIYUANDI])).content.decode()
    assert f'href="/board/decisions/{ref}/"' in community
    village = client.get(reverse("portal:board:board-show", args=[VILLAGE])).content.decode()
    assert f'href="/board/village/{ref}/"' in village
