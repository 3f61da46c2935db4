"""Demo data for the demo city, made through this app's services (`linli demo`). Idempotent:
a second run adds nothing.

The showcase district gets three calls: this year's venture call (公益创投), decided, with 6–10
applications from the district's demo organisations (read through partners' selectors), scored
by two panel members (demo_civil_affairs_officer and demo_street_officer, or demo_district_admin),
funded projects with milestones and spending; a purchase of home-care services (政府购买服务)
with its contract and deliverables; and next year's venture call, open, for demo_organiser to
apply to. Past steps are replayed at plausible dates (the services' `when`). Without demo
organisations the step is skipped quietly."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from linli.accounts.domain import PARTNERS_VIEW, VENTURES_APPLY, VENTURES_MANAGE, VENTURES_REVIEW
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.areas.selectors import org_unit_by_path
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.partners.selectors import org_ids_for, social_org_choices
from linli.ventures.selectors import call_list, call_ranking, project_list, project_milestones
from linli.ventures.services import (
    ApplicationInput,
    BudgetLineInput,
    CallInput,
    ContractInput,
    CriterionInput,
    application_decide,
    application_save,
    application_submit,
    call_create,
    call_transition,
    contract_sign,
    milestone_accept,
    milestone_add,
    milestone_report,
    project_evaluate,
    review_score,
    spending_record,
)

SEED = 14
CRITERIA = [
    CriterionInput("需求分析与受益对象", 25, 10, "Needs and beneficiaries"),
    CriterionInput("项目设计与可行性", 30, 10, "Design and feasibility"),
    CriterionInput("组织能力与经验", 20, 10, "Capacity and experience"),
    CriterionInput("预算合理性", 15, 10, "Budget"),
    CriterionInput("社区参与与可持续性", 10, 10, "Participation and sustainability"),
]
THEMES = ["为老服务", "儿童关爱", "助残帮扶", "邻里互助", "社区治理"]
# (title, theme, beneficiaries, who, outputs, budget lines)
PROJECTS = [
    (
        "银龄陪伴·独居老人关爱计划",
        "为老服务",
        80,
        "独居、空巢老人",
        "上门陪伴 960 人次，健康讲座 12 场",
        [("志愿者交通及餐费补贴", 9600), ("健康讲座讲师费", 6000), ("慰问物资", 8400)],
    ),
    (
        "四点半课堂",
        "儿童关爱",
        60,
        "双职工家庭小学生",
        "课后托管 180 天，亲子活动 8 场",
        [("辅导老师补贴", 14400), ("图书及文具", 5000), ("活动物料", 3600)],
    ),
    (
        "楼道微更新",
        "社区治理",
        320,
        "老旧小区 8 个单元住户",
        "楼道扶手 8 处，议事会 6 次",
        [("扶手及防滑条", 12000), ("议事会组织", 2400), ("宣传材料", 1600)],
    ),
    (
        "助残康乐坊",
        "助残帮扶",
        35,
        "辖区持证残疾人",
        "康复训练 70 次，手工坊 24 期",
        [("康复师服务费", 12000), ("手工材料", 4800), ("交通补贴", 3200)],
    ),
    (
        "邻里守望互助站",
        "邻里互助",
        500,
        "全体居民",
        "互助对接 300 次，志愿者 60 人",
        [("站点运营", 8000), ("志愿者保险", 3000), ("培训", 4000)],
    ),
    (
        "长者助餐配送",
        "为老服务",
        120,
        "高龄及失能老人",
        "助餐配送 8,000 份",
        [("配送员补贴", 16000), ("保温餐盒", 4000), ("车辆油费", 5000)],
    ),
    (
        "童心护苗安全课堂",
        "儿童关爱",
        200,
        "辖区中小学生",
        "安全课 20 场，演练 4 次",
        [("讲师费", 8000), ("教具", 3000)],
    ),
    (
        "社区议事厅能力建设",
        "社区治理",
        90,
        "楼栋长、居民代表",
        "议事培训 10 期，议题 30 项",
        [("培训费", 9000), ("场地布置", 2000), ("资料印制", 1500)],
    ),
    (
        "手拉手残健融合行",
        "助残帮扶",
        40,
        "残疾青少年及家庭",
        "融合活动 12 次",
        [("活动组织", 7000), ("无障碍交通", 5000)],
    ),
    (
        "睦邻文化节",
        "邻里互助",
        800,
        "社区居民",
        "文化节 2 届，邻里故事集 1 本",
        [("演出及场地", 10000), ("故事集印制", 4000)],
    ),
]
MILESTONES = [("启动与需求调研", 45), ("中期服务开展", 120), ("成果总结与结项", 230)]


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _reviewers() -> list[Actor]:
    names = ["demo_civil_affairs_officer", "demo_street_officer", "demo_district_admin"]
    actors = [actor_for_user(user) for name in names if (user := user_by_username(name)) is not None]
    return [a for a in actors if a.has_perm(VENTURES_REVIEW)][:2]


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    """Plausible numbers for the city under `city_path`; the showcase community (where the demo
    accounts are posted) at `showcase_path` gets the rows a demo user sees first."""
    district = org_unit_by_path(showcase_path[:6])
    reviewers = _reviewers()
    if district is None or len(reviewers) < 2:
        return
    system = Actor.system(
        "demo-ventures",
        permissions=frozenset({VENTURES_MANAGE, VENTURES_APPLY, PARTNERS_VIEW}),
        root_path=district.path,
    )
    orgs = [o for o in social_org_choices(system) if o.active]
    if not orgs:
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    organiser = user_by_username("demo_organiser")
    own = org_ids_for(actor_for_user(organiser)) if organiser else frozenset()
    mine = [o for o in orgs if o.public_id in own]
    others = [o for o in orgs if o.public_id not in own]
    rng.shuffle(others)
    existing = set(call_list(actor=system).values_list("title", flat=True))
    made = []
    year = today.year
    title = f"{year}年{district.name}社区公益创投"
    if title not in existing:
        chosen = (mine + others)[: rng.randint(6, 10)]
        made.append(_decided_call(system, reviewers, rng, district.path, title, chosen, today))
    title = f"{year}年{district.name}居家养老上门服务购买"
    if title not in existing:
        made.append(_purchase(system, reviewers, rng, district.path, title, (others or mine)[-1], today))
    title = f"{year + 1}年{district.name}社区公益创投（第一批）"
    if title not in existing:
        call = call_create(
            actor=system,
            data=_call_input(
                "venture",
                title,
                district.path,
                today - timedelta(days=6),
                today + timedelta(days=24),
                500000,
                50000,
                reviewers,
            ),
            when=_at(today - timedelta(days=8)),
        )
        call_transition(actor=system, call=call, action="open", when=_at(today - timedelta(days=6)))
        made.append(title)
    if made:
        projects = project_list(actor=system).count()
        log(f"公益创投 venture calls: {len(made)}（{'、'.join(made)}），funded projects: {projects}")


def _call_input(kind, title, unit, opens, deadline, budget, cap, reviewers) -> CallInput:
    return CallInput(
        kind=kind,
        title=title,
        unit_path=unit,
        opens_on=opens,
        deadline=deadline,
        total_budget=Decimal(budget),
        project_cap=Decimal(cap),
        themes=THEMES if kind == "venture" else ["居家养老"],
        eligibility="在本区登记或备案、成立满一年的社区社会组织；近两年年度评估合格；无不良信用记录。",
        criteria=CRITERIA,
        panel=[r.username for r in reviewers],
    )


def _apply(system, call, org, spec, when, theme_ok=True):
    title, theme, count, who, outputs, lines = spec
    data = ApplicationInput(
        org_id=org.public_id,
        title=title,
        summary=f"{org.name}在辖区开展“{title}”：{outputs}。",
        themes=[theme] if theme_ok else [],
        beneficiaries_count=count,
        beneficiaries_who=who,
        outputs=outputs,
        budget=[BudgetLineInput(item, Decimal(amount)) for item, amount in lines],
    )
    application = application_save(actor=system, call=call, data=data, when=when)
    return application_submit(actor=system, application=application, when=when)


def _score(rng, base: int) -> dict[int, object]:
    return {i: max(3, min(10, base + rng.randint(-1, 1))) for i in range(len(CRITERIA))}


def _decided_call(system, reviewers, rng, unit, title, orgs, today) -> str:
    opens = date(today.year, 3, 1)
    deadline = date(today.year, 3, 31)
    call = call_create(
        actor=system,
        data=_call_input("venture", title, unit, opens, deadline, 200000, 30000, reviewers),
        when=_at(opens - timedelta(days=5)),
    )
    call_transition(actor=system, call=call, action="open", when=_at(opens))
    applications = []
    for i, org in enumerate(orgs):
        submitted = _at(opens + timedelta(days=3 + i * 3), 15)
        applications.append(_apply(system, call, org, PROJECTS[i % len(PROJECTS)], submitted))
    call_transition(actor=system, call=call, action="review", when=_at(deadline + timedelta(days=1), 9))
    for n, application in enumerate(applications):
        base = rng.randint(6, 9)
        for k, reviewer in enumerate(reviewers):
            when = _at(deadline + timedelta(days=5 + n % 4), 10 + k)
            review_score(
                actor=reviewer, application=application, scores=_score(rng, base), comment=_comment(base), when=when
            )
    budget = Decimal(200000)
    decided = _at(deadline + timedelta(days=18), 14)
    for row in call_ranking(call):
        application = row.application
        if row.mean is not None and row.mean >= 65 and application.requested <= budget:
            amount = (
                (application.requested * Decimal("0.9")).quantize(Decimal(100))
                if row.rank > 3
                else application.requested
            )
            application_decide(actor=system, application=application, fund=True, amount=amount, when=decided)
            budget -= amount
        else:
            reason = "评审得分未达 65 分" if (row.mean or 0) < 65 else "本期预算已用完"
            application_decide(actor=system, application=application, fund=False, reason=reason, when=decided)
    call_transition(actor=system, call=call, action="decide", when=decided)
    _run_projects(system, rng, call, decided.date(), today)
    return title


def _comment(base: int) -> str:
    return {
        10: "需求清晰，设计完整，建议资助。",
        9: "需求清晰，设计完整，建议资助。",
        8: "设计合理，建议细化预算。",
        7: "可行，受益对象可进一步聚焦。",
    }.get(base, "需求论证不足，建议完善后再申报。")


def _run_projects(system, rng, call, started: date, today: date) -> None:
    projects = list(project_list(actor=system).filter(call=call).order_by("pk"))
    for p, project in enumerate(projects):
        for title, offset in MILESTONES:
            due = started + timedelta(days=offset)
            milestone_add(actor=system, project=project, title=title, due_on=due)
        spent = Decimal(0)
        for m, milestone in enumerate(project_milestones(project)):
            if milestone.due_on > today or (p == 1 and m >= 1):
                continue  # still ahead; the second project is late with its mid-term report
            reported = _at(milestone.due_on - timedelta(days=2), 16)
            served = rng.randint(10, 40)
            milestone_report(
                actor=system,
                milestone=milestone,
                report=f"按计划完成“{milestone.title}”，服务 {served} 人。",
                beneficiaries=served,
                when=reported,
            )
            if p == 2 and m == len(MILESTONES) - 1:
                continue  # reported last week: the officer has it to accept
            milestone_accept(actor=system, milestone=milestone, when=reported + timedelta(days=3))
            for line in project.application.budget_lines.all():
                amount = (line.amount * Decimal("0.3")).quantize(Decimal(1))
                if spent + amount > project.grant:
                    break
                spending_record(
                    actor=system,
                    project=project,
                    amount=amount,
                    spent_on=milestone.due_on - timedelta(days=5),
                    what=line.item,
                    when=reported,
                )
                spent += amount
        if p == 0 and started + timedelta(days=230) <= today:
            project.refresh_from_db()
            project_evaluate(
                actor=system, project=project, score=92, text="目标全部达成，居民满意度高，建议作为品牌项目推广。"
            )


def _purchase(system, reviewers, rng, unit, title, org, today) -> str:
    opens = date(today.year, 4, 10)
    deadline = date(today.year, 4, 30)
    call = call_create(
        actor=system,
        data=_call_input("purchase", title, unit, opens, deadline, 300000, 300000, reviewers),
        when=_at(opens - timedelta(days=3)),
    )
    call_transition(actor=system, call=call, action="open", when=_at(opens))
    spec = (
        "居家养老上门服务",
        "居家养老",
        400,
        "80 岁以上及失能半失能老人",
        "助餐 20,000 份、助浴 1,200 次、助洁 2,400 次",
        [("助餐服务", 150000), ("助浴服务", 60000), ("助洁服务", 72000), ("管理及保险", 18000)],
    )
    application = _apply(system, call, org, spec, _at(opens + timedelta(days=7), 11))
    call_transition(actor=system, call=call, action="review", when=_at(deadline + timedelta(days=1)))
    for k, reviewer in enumerate(reviewers):
        review_score(
            actor=reviewer,
            application=application,
            scores=_score(rng, 9),
            comment="服务方案完整，价格合理。",
            when=_at(deadline + timedelta(days=4), 10 + k),
        )
    decided = _at(deadline + timedelta(days=10), 15)
    application_decide(actor=system, application=application, fund=True, amount=Decimal(288000), when=decided)
    call_transition(actor=system, call=call, action="decide", when=decided)
    project = project_list(actor=system).get(call=call)
    starts = decided.date() + timedelta(days=11)
    deliverables = [
        ("第一季度：助餐 5,000 份、助浴 300 次", starts + timedelta(days=90)),
        ("第二季度：助餐 5,000 份、助浴 300 次", starts + timedelta(days=181)),
        ("第三季度：助餐 5,000 份、助浴 300 次", starts + timedelta(days=273)),
        ("第四季度及年度服务报告", starts + timedelta(days=364)),
    ]
    try:
        contract_sign(
            actor=system,
            project=project,
            data=ContractInput(
                f"GM-{unit}-{today.year}-001",
                starts - timedelta(days=2),
                starts,
                starts + timedelta(days=364),
                deliverables,
            ),
        )
    except DomainError:
        return title  # a contract of that number exists already (a partial earlier run)
    for milestone in project_milestones(project):
        if milestone.due_on <= today:
            reported = _at(milestone.due_on - timedelta(days=1), 16)
            milestone_report(
                actor=system,
                milestone=milestone,
                report="按合同完成本季度服务，台账已上传。",
                beneficiaries=rng.randint(90, 130),
                when=reported,
            )
            milestone_accept(actor=system, milestone=milestone, when=reported + timedelta(days=4))
            spending_record(
                actor=system,
                project=project,
                amount=Decimal(72000),
                spent_on=milestone.due_on,
                what="季度服务费拨付",
                when=reported,
            )
    return title
