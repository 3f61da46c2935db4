"""Venture projects in a real browser, on the demo city: the civil-affairs officer runs a call from
creation to the final evaluation — a call refused for weights that do not add up to 100, then
saved and opened; demo_organiser applies and submits on a phone; the review opens early with a
reason; the panel scores (an out-of-range score refused, naming the criterion; the street officer
scores on a phone); the decision; a milestone reported by the organisation and accepted; the final
evaluation. Desktop at 1280 px, some steps at 390 px, axe on the main pages."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from test_grid_events import staff
from test_journeys import blocking_violations, menu_link

pytestmark = pytest.mark.browser

TITLE = "2027年社区邻里互助微创投（浏览器测试）"
PROJECT = "楼道互助角"


def _today():
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def _field(page: Page, name: str):
    return page.locator(f"[name={name}]")


def test_officer_runs_a_call_from_creation_to_evaluation(desktop: Page, phone: Page, demo_site, screenshot):
    today = _today()
    officer = staff(desktop, demo_site, "demo_civil_affairs_officer")
    expect(officer.locator("#work-ventures")).to_be_visible()
    screenshot(officer, "ventures-01-workbench")

    # the call: weights adding up to 90 are refused, naming the sum; then saved and opened
    menu_link(officer, "新建申报通知").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("新建申报通知")
    _field(officer, "title").fill(TITLE)
    _field(officer, "themes").fill("邻里互助，为老服务")
    _field(officer, "total_budget").fill("100000")
    _field(officer, "project_cap").fill("30000")
    _field(officer, "opens_on").fill(f"{today:%Y-%m-%d}")
    _field(officer, "deadline").fill(f"{today + timedelta(days=14):%Y-%m-%d}")
    _field(officer, "eligibility").fill("在本区备案的社区社会组织")
    _field(officer, "panel").fill("demo_civil_affairs_officer，demo_street_officer")
    for i, (name, weight, top) in enumerate([("需求分析", "40", "10"), ("项目设计", "50", "20")]):
        _field(officer, f"criterion_{i}").fill(name)
        _field(officer, f"weight_{i}").fill(weight)
        _field(officer, f"max_{i}").fill(top)
    officer.locator("#save-call").click()
    expect(officer.locator("#criteria-error")).to_contain_text("各项权重之和为 90，须为 100")
    screenshot(officer, "ventures-02-call-refused")
    _field(officer, "weight_1").fill("60")
    officer.locator("#save-call").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(officer.locator("#call-state")).to_have_text("草稿")
    officer.locator("button[data-action=open]").click()
    expect(officer.locator("#call-state")).to_have_text("申报中")
    call_url = officer.url
    assert blocking_violations(officer) == []

    # the organisation applies on a phone: over the cap refused naming the line, then submitted
    organiser = staff(phone, demo_site, "demo_organiser")
    menu_link(organiser, "创投申报").click()
    organiser.get_by_role("link", name=TITLE).click()
    organiser.locator("#apply").click()
    _field(organiser, "title").fill(PROJECT)
    _field(organiser, "summary").fill("在 3 个楼道设立互助角，组织邻里互助小组")
    organiser.get_by_label("邻里互助").check()
    _field(organiser, "beneficiaries_count").fill("150")
    _field(organiser, "beneficiaries_who").fill("3 个楼道的住户，其中独居老人 12 人")
    _field(organiser, "outputs").fill("互助角 3 处，互助对接 200 次")
    for i, (item, amount) in enumerate([("互助角物料", "18000"), ("志愿者培训", "12500")]):
        _field(organiser, f"item_{i}").fill(item)
        _field(organiser, f"amount_{i}").fill(amount)
    organiser.locator("#save-application").click()
    expect(organiser.locator(".rows-table .error")).to_contain_text("第 2 行「志愿者培训」")
    screenshot(organiser, "ventures-03-application-refused-phone")
    _field(organiser, "amount_1").fill("8000")
    organiser.locator("#save-application").click()
    expect(organiser.locator("#application-state")).to_have_text("草稿（未提交）")
    organiser.locator("#submit-application").click()
    expect(organiser.locator("#application-state")).to_have_text("已提交")
    assert blocking_violations(organiser) == []
    screenshot(organiser, "ventures-04-application-submitted-phone")

    # the review opens early: a reason is asked for, naming the deadline
    officer.goto(call_url)
    officer.locator("button[data-action=review]").click()
    expect(officer.locator(".alert")).to_contain_text("提前截止须填写原因")
    officer.locator("#note-review").fill("申报机构已全部提交，提前评审")
    officer.locator("button[data-action=review]").click()
    expect(officer.locator("#call-state")).to_have_text("评审中")

    # the officer scores as a panel member: 25 of 20 refused, naming the criterion
    officer.get_by_role("link", name=PROJECT).click()
    officer.locator("#score").click()
    officer.get_by_label(re.compile("需求分析")).fill("8")
    officer.get_by_label(re.compile("项目设计")).fill("25")
    officer.get_by_label("本人与该申请无利益冲突").check()
    officer.locator("#save-scores").click()
    expect(officer.locator(".has-error .error")).to_contain_text("「项目设计」的得分须为 0 到 20 的整数")
    screenshot(officer, "ventures-05-score-refused")
    officer.get_by_label(re.compile("项目设计")).fill("16")
    officer.get_by_label("本人与该申请无利益冲突").check()
    officer.locator("#save-scores").click()
    expect(officer.locator(".notice-ok", has_text="/ 100")).to_contain_text("80.00 / 100")  # 8/10×40 + 16/20×60

    # the street officer scores on a phone, from the workbench
    reviewer = staff(phone, demo_site, "demo_street_officer")
    reviewer.locator("#work-ventures").get_by_role("link", name=PROJECT).click()
    reviewer.get_by_label(re.compile("需求分析")).fill("10")
    reviewer.get_by_label(re.compile("项目设计")).fill("18")
    reviewer.get_by_label("评审意见").fill("设计扎实，建议资助")
    reviewer.get_by_label("本人与该申请无利益冲突").check()
    reviewer.locator("#save-scores").click()
    expect(reviewer.locator(".notice-ok", has_text="/ 100")).to_contain_text("94.00 / 100")
    screenshot(reviewer, "ventures-06-review-phone")

    # the decision and the ranking
    officer.goto(call_url)
    expect(officer.locator("#ranking")).to_contain_text("87.00")  # (80 + 94) / 2
    officer.locator("#ranking").get_by_role("link", name=PROJECT).click()
    officer.get_by_label("予以资助").check()
    _field(officer, "amount").fill("26000")
    officer.locator("#decide").click()
    expect(officer.locator("#budget-used")).to_have_text(re.compile("26,?000.00"))
    officer.locator("button[data-action=decide]").click()
    expect(officer.locator("#call-state")).to_have_text("已确定资助")
    assert blocking_violations(officer) == []
    screenshot(officer, "ventures-07-call-decided")

    # a milestone: added by the officer, reported by the organisation on a phone, accepted
    officer.locator("#ranking").get_by_role("link", name=PROJECT).click()
    officer.get_by_role("link", name="查看资助项目").click()
    project_url = officer.url
    officer.locator("#milestone-form [name=title]").fill("互助角建成")
    officer.locator("#milestone-form [name=due_on]").fill(f"{today + timedelta(days=30):%Y-%m-%d}")
    officer.locator("#milestone-form button").click()
    expect(officer.locator("#milestones")).to_contain_text("互助角建成")

    organiser = staff(phone, demo_site, "demo_organiser")  # the phone was the street officer's
    organiser.goto(project_url)
    organiser.locator("#milestones [name=report]").fill("3 处互助角已建成并投入使用")
    organiser.locator("#milestones [name=beneficiaries]").fill("45")
    organiser.get_by_role("button", name="报告完成").click()
    expect(organiser.locator("#milestones")).to_contain_text("已报告，待验收")
    organiser.locator("#spending-form [name=amount]").fill("5000")
    organiser.locator("#spending-form [name=what]").fill("互助角物料首批")
    organiser.locator("#spending-form button").click()
    expect(organiser.locator("#spent")).to_have_text(re.compile("5,?000.00"))
    screenshot(organiser, "ventures-08-project-phone")

    officer.goto(project_url)
    officer.get_by_role("button", name="验收").click()
    expect(officer.locator("#served")).to_have_text("45")

    # the final evaluation
    officer.locator("#evaluation-form [name=score]").fill("88")
    officer.locator("#evaluation-form [name=text]").fill("目标达成，居民参与度高")
    officer.locator("#evaluate").click()
    expect(officer.locator("#project-state")).to_have_text("已评估")
    expect(officer.locator("#evaluation")).to_contain_text("良好")
    assert blocking_violations(officer) == []
    screenshot(officer, "ventures-09-evaluated")

    # the figures, with their chart
    menu_link(officer, "公益创投统计").click()
    expect(officer.locator("#ventures-figures")).to_be_visible()
    expect(officer.locator("#ventures-figures canvas, #ventures-figures svg").first).to_be_attached()
    screenshot(officer, "ventures-10-figures")
