"""The auditor reads the audit log: actions in words, picked from a list, the system as 系统."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from test_journeys import blocking_violations, log_in

pytestmark = pytest.mark.browser


def test_the_auditor_filters_the_log_by_a_named_action(desktop: Page, demo_site, screenshot):
    log_in(desktop, "demo_auditor", demo_site.password("demo_auditor"))
    expect(desktop).to_have_url(re.compile(r"/staff/$"))
    desktop.get_by_role("navigation", name="主导航").get_by_role("link", name="审计日志", exact=True).click()
    expect(desktop).to_have_url(re.compile(r"/staff/audit/$"))
    rows = desktop.locator("table.grid-table tbody tr")
    expect(rows).to_have_count(50)  # a page at a time
    table = desktop.locator("table.grid-table tbody").inner_text()
    assert "system:" not in table and "系统" in table  # the demo's own runs
    assert re.search(r"\b[a-z_]+\.[a-z_.]+\b", table) is None, table[:500]  # no action codes
    screenshot(desktop, "audit-01-log")

    desktop.get_by_label("操作").select_option(label="登录成功")
    desktop.get_by_role("search", name="检索审计日志").get_by_role("button", name="查询").click()
    expect(desktop).to_have_url(re.compile(r"action=login\.succeeded"))
    expect(rows.first).to_contain_text("登录成功")
    actions = desktop.locator("table.grid-table tbody tr td:nth-child(3)").all_inner_texts()
    assert actions and set(actions) == {"登录成功"}
    assert any(
        "demo_auditor" in r for r in desktop.locator("table.grid-table tbody tr td:nth-child(2)").all_inner_texts()
    )
    expect(desktop.get_by_label("操作")).to_have_value("login.succeeded")
    assert blocking_violations(desktop) == []
    screenshot(desktop, "audit-02-filtered")
