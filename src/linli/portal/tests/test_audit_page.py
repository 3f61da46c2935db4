"""The audit log page: actions named in the reader's language and picked from a list, the actor
filter, the system shown as such, pages of 50 in a pinned number of queries."""

import re
from pathlib import Path

import pytest

from linli.accounts.selectors import actor_for_user
from linli.core.actor import Actor
from linli.core.services import audit_record
from linli.portal.audit_actions import ACTION_NAMES
from linli.residents.domain import MoveKind

SRC = Path(__file__).resolve().parents[2]
QUERIES = 5  # the session, the account and the page frame (as on every staff page); the count; the rows


@pytest.fixture
def auditor(client, people):
    client.force_login(people["auditor"])
    return client


def write(actor, action: str, n: int = 1) -> None:
    for i in range(n):
        audit_record(actor=actor, action=action, object_type="grid_event", object_id=f"GE{i:05d}")


def table(page: str) -> str:
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_actions_are_shown_by_their_names_not_their_codes(auditor, people):
    write(actor_for_user(people["grid_worker"]), "grid.report")
    write(actor_for_user(people["community_worker"]), "grid.register")
    rows = table(auditor.get("/staff/audit/").text)
    assert "网格事件：上报" in rows and "网格事件：立案" in rows
    assert "grid.report" not in rows and "grid.register" not in rows and "grid_event" not in rows


def test_actions_are_picked_from_a_list_and_filter_the_log(auditor, people):
    write(actor_for_user(people["grid_worker"]), "grid.report", 2)
    write(actor_for_user(people["community_worker"]), "resident.reveal", 3)
    page = auditor.get("/staff/audit/").text
    assert re.search(r'<select name="action"[^>]*id="id_action"', page)
    assert '<option value="resident.reveal">查看敏感信息</option>' in page
    picked = auditor.get("/staff/audit/", {"action": "resident.reveal"}).text
    assert table(picked).count("<tr>") == 3 and "查看敏感信息" in table(picked) and "上报" not in table(picked)
    assert '<option value="resident.reveal" selected>' in picked


def test_an_unknown_action_is_refused_on_its_field(auditor, people):
    write(actor_for_user(people["grid_worker"]), "grid.report")
    answer = auditor.get("/staff/audit/", {"action": "grid.nothing"})
    assert answer.status_code == 400
    assert 'id="id_action_error"' in answer.text and "grid.nothing" in answer.text
    assert "网格事件：上报" not in table(answer.text)


def test_the_actor_filter_stays_and_the_system_reads_as_system(auditor, people):
    write(actor_for_user(people["grid_worker"]), "grid.report")
    write(Actor.system("demo"), "demo.layout")
    everything = table(auditor.get("/staff/audit/").text)
    assert "系统" in everything and "system:" not in everything
    mine = table(auditor.get("/staff/audit/", {"actor": "grid_worker"}).text)
    assert mine.count("<tr>") == 1 and "网格事件：上报" in mine


def test_pages_of_fifty_in_the_same_number_of_queries(auditor, people, django_assert_num_queries):
    worker = actor_for_user(people["grid_worker"])
    write(worker, "grid.report", 10)
    with django_assert_num_queries(QUERIES):
        auditor.get("/staff/audit/", {"action": "grid.report"})
    write(worker, "grid.report", 110)
    with django_assert_num_queries(QUERIES):
        first = auditor.get("/staff/audit/", {"action": "grid.report"}).text
    assert table(first).count("<tr>") == 50 and "第 1 页，共 3 页" in first and "共 120 条" in first
    last = auditor.get("/staff/audit/", {"action": "grid.report", "page": 3}).text
    assert table(last).count("<tr>") == 20


def test_every_action_the_code_writes_has_a_name():
    """A new `audit_record(action="...")` needs a name in linli/portal/audit_actions.py."""
    written = set()
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"audit_record\((.*?)\n\s*\)|audit_record\(([^\n]*)\)", text, re.S):
            written |= set(re.findall(r'action="([a-z_.]+)"', call.group(0)))
        written |= {f"case.{a}" for a in re.findall(r'case_audit\(\s*\w+,\s*"([a-z_]+)"', text)}
        written |= set(re.findall(r'_audit_\w+\(\s*\w+,\s*"([a-z_]+\.[a-z_.]+)"', text))  # the apps' own helpers
    written |= {f"resident.{kind}" for kind in MoveKind.values}  # _audit_resident(actor, f"resident.{kind}", …)
    assert len(written) > 40
    assert sorted(written - set(ACTION_NAMES)) == []
