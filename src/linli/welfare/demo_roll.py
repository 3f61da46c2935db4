"""Social assistance demo: the roll. A few per cent of the demo city's households on the roll
(特困, 低保 and 低保边缘), their facts made from the pool's members with incomes the rules classify
as intended, determined through the rules (one vectorised call), enrolled through `roll_enrol` at
dates spread over the last two years (so some reviews are due this month and some overdue), a
payee account each, last month's payroll approved and frozen and this month's waiting for
approval. Idempotent: nothing is added when the city already has a roll."""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from linli.accounts.domain import RESIDENTS_VIEW, WELFARE_DECIDE, WELFARE_INTAKE
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.core.actor import Actor
from linli.core.crypto import seal
from linli.core.paths import under_path
from linli.residents.selectors import household_list, welfare_household_people
from linli.welfare.domain.roll import add_months, month_start
from linli.welfare.models import Determination, Payroll, Recipient
from linli.welfare.rules.facts import TRANSFER, WAGE, Household, Income, Member, facts_to_json
from linli.welfare.selectors.rules import rules_determine_many
from linli.welfare.services.roll import payroll_approve, payroll_generate, recipient_account_set, roll_enrol

SHARE = 0.03  # of the city's households on the roll
SHOWCASE_AT_LEAST = 8  # households on the roll in the showcase community, where the demo accounts work
LIMIT = 400  # keeps `linli demo` fast
BANKS = ("沈阳农商银行", "中国工商银行沈阳分行", "中国建设银行沈阳分行", "盛京银行")


def _facts(rng: random.Random, people, target: str, today: date) -> Household:
    """Facts for the household's members that the rules should classify as `target`."""
    members = []
    for i, p in enumerate(people):
        age = (today - p.birth_date).days // 365
        able = 16 <= age < 60 and target != "tekun"
        members.append(
            Member(
                ref=p.public_id,
                birth_date=p.birth_date,
                sex=p.gender,
                disability_level=p.disability if p.disability in ("1", "2", "3", "4") else "",
                serious_illness=target == "tekun" and i == 0 and rng.random() < 0.4,
                able_to_work=able,
                in_school=6 <= age < 18,
            )
        )
    earner = next((i for i, m in enumerate(members) if m.able_to_work), 0)
    n = len(members)
    if target == "tekun":
        total = rng.uniform(0, 300)
        source = TRANSFER
    elif target == "edge":
        total = rng.uniform(1.1, 1.4) * 850 * n + 100
        source = WAGE
    else:
        total = rng.uniform(0, 0.7) * 850 * n
        source = WAGE
    if total >= 1:
        m = members[earner]
        members[earner] = dataclasses.replace(
            m, incomes=(Income(source, Decimal(f"{total:.2f}")),), employed=source == WAGE
        )
    return Household(
        area="urban",
        members=tuple(members),
        deposits=Decimal(rng.randrange(0, 6000)),
        medical_costs=Decimal(rng.choice((0, 0, 120, 300))),
        has_able_supporter=False,
    )


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    if Recipient.objects.filter(under_path("path", city_path)).exists():
        return
    rng = random.Random(15)
    today = timezone.localdate()
    reader = Actor.system("demo-welfare-roll", permissions=frozenset({RESIDENTS_VIEW}), root_path=city_path)
    county = Actor.system(
        "demo-welfare-roll", permissions=frozenset({WELFARE_DECIDE, WELFARE_INTAKE}), root_path=city_path
    )
    officer_user = user_by_username("demo_civil_affairs_officer")
    officer = actor_for_user(officer_user) if officer_user is not None else county

    rows = list(household_list(actor=reader).values_list("public_id", "path"))
    rng.shuffle(rows)
    showcase = [r for r in rows if r[1].startswith(showcase_path)][:SHOWCASE_AT_LEAST]
    others = [r for r in rows if not r[1].startswith(showcase_path)]
    wanted = min(LIMIT, max(int(len(rows) * SHARE) - len(showcase), 0))
    chosen = showcase + others[:wanted]

    households: list[tuple] = []
    for ref, path in chosen:
        people = welfare_household_people(actor=reader, household_ref=ref)  # the head first
        if not people:
            continue
        head = people[0].name
        old = (today - people[0].birth_date).days >= 60 * 365
        target = "tekun" if len(people) == 1 and old else rng.choices(("dibao", "edge"), weights=(80, 20))[0]
        # decided between two years and one month ago: some reviews are due, some overdue
        decided = today - timedelta(days=rng.randrange(31, 700))
        households.append((ref, path, head, decided, _facts(rng, people, target, decided)))
    if not households:
        log("welfare roll: no households in the pool, no roll made")
        return
    by_date: dict[date, list[int]] = {}
    for i, item in enumerate(households):
        by_date.setdefault(item[3], []).append(i)
    results: dict[int, object] = {}
    for on, indexes in by_date.items():
        for i, result in zip(indexes, rules_determine_many([households[i][4] for i in indexes], on), strict=True):
            results[i] = result

    enrolled = 0
    for i, (ref, path, head, decided, facts) in enumerate(households):
        result = results[i]
        if result.assistance_class == "none":
            continue
        determination = Determination.objects.create(
            household_ref=ref,
            path=path,
            area=facts.area,
            on=decided,
            assistance_class=result.assistance_class,
            monthly_amount=result.monthly_amount,
            members=result.members,
            facts_sealed=seal(facts_to_json(facts), context="welfare.facts"),
            trace_sealed=seal(
                json.dumps([line.as_dict() for line in result.trace], ensure_ascii=False), context="welfare.trace"
            ),
            parameters_digest=result.parameters_digest,
            rules_version=result.rules_version,
            made_by_id=officer.user_id if officer.sees_path(path) else None,
        )
        actor = officer if officer.sees_path(path) else county
        recipient = roll_enrol(actor=actor, determination=determination, head_name=head, decided_on=decided)
        recipient_account_set(
            actor=actor,
            recipient=recipient,
            bank_name=rng.choice(BANKS),
            account_number="6217" + "".join(str(rng.randrange(10)) for _ in range(15)),
            reason="户主提供的社保卡账户（演示数据）",
        )
        enrolled += 1

    # last month's payroll approved (frozen), this month's waiting for approval, per district
    this_month = month_start(today)
    last_month = add_months(this_month, -1)
    districts = sorted({p[:6] for _r, p, *_ in households})
    for district in districts:
        actor = officer if officer.sees_path(district) else county
        if not Payroll.objects.filter(district_path=district, month=last_month).exists():
            last = payroll_generate(actor=actor, district_path=district, month=last_month)
            if last.households:
                payroll_approve(actor=actor, payroll=last, confirm=True, note="演示：已核对")
        payroll_generate(actor=actor, district_path=district, month=this_month)
    log(f"救助名册 welfare roll: {enrolled} households on the roll, payrolls for {len(districts)} district(s)")
