"""Demo data of safe community, stage support, made through this app's services: a handful of
restricted cases of each kind in the showcase street (two assigned to the demo community worker),
visits, talks and notes over the months since each began, one case closed, a domestic-violence
lead filed by the demo grid worker, and the demo judicial officer and police officer reading them
(the officer only within the beat the safety stage's demo set). Idempotent: when the showcase
street already has support cases, nothing is added."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from django.utils import timezone

from linli.accounts.domain import SUPPORT_COUNSEL, SUPPORT_FAMILY, SUPPORT_JUDICIAL
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.mediation.domain.support import EntryKind, SupportKind
from linli.mediation.selectors.support import support_case_list
from linli.mediation.services.support import (
    SupportCaseInput,
    support_case_close,
    support_case_open,
    support_case_read,
    support_entry_add,
    support_lead_file,
)
from linli.residents.selectors import applicant_sample

SEED = 20261217
PLANS = {
    SupportKind.DOMESTIC_VIOLENCE: "民警与司法所联合跟进，每两周回访一次，告知求助渠道，必要时申请人身安全保护令",
    SupportKind.CORRECTIONS: "每月报到与走访各一次，参加公益活动和教育学习，矫正期满前评估",
    SupportKind.DRUG_REHAB: "每月尿检一次，社工每两周走访，协助就业培训",
    SupportKind.RELEASED: "协助办理户籍与低保申请，介绍就业岗位，每月走访一次",
    SupportKind.COUNSELLING: "每两周心理疏导一次，持续三个月后评估",
}
NOTES = {
    EntryKind.VISIT: ["入户走访，本人在家，情绪稳定", "走访时家属在场，生活正常", "电话联系后上门，居住情况良好"],
    EntryKind.TALK: ["谈话约四十分钟，睡眠有所改善", "疏导后情绪平稳，约定下次时间", "本人主动倾诉工作压力"],
    EntryKind.REPORT: ["按时到司法所报到", "向派出所通报近况", "月度情况已报街道"],
    EntryKind.NOTE: ["已联系社区就业服务站", "家属反映近期表现良好", "提醒按时参加教育学习"],
}
# kind → (how many, how many days ago each began); the first of corrections and of counselling
# go to the demo community worker
PLAN_OF_CASES = {
    SupportKind.CORRECTIONS: [200, 120, 45],
    SupportKind.DRUG_REHAB: [300, 90],
    SupportKind.RELEASED: [240, 60],
    SupportKind.COUNSELLING: [150, 30],
    SupportKind.DOMESTIC_VIOLENCE: [100, 20],
}
ENTRY_KIND = {SupportKind.COUNSELLING: EntryKind.TALK, SupportKind.DOMESTIC_VIOLENCE: EntryKind.VISIT}


def _actor(username: str, fallback: Actor | None) -> Actor | None:
    user = user_by_username(username)
    return actor_for_user(user) if user is not None else fallback


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    street = showcase_path[:9]
    office = dataclasses.replace(
        Actor.system(
            "demo-support", permissions=frozenset({SUPPORT_JUDICIAL, SUPPORT_FAMILY, SUPPORT_COUNSEL}), root_path=street
        ),
        display_name="街道司法所",
    )
    judicial = _actor("demo_judicial_officer", office)
    assert judicial is not None
    if support_case_list(actor=judicial).exists():
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    sample = applicant_sample(n=40, seed=SEED, focus_path=showcase_path, focus_share=1.0)
    people = [p for p in sample if p.home_path.startswith(showcase_path)][:12]
    worker = _actor("demo_community_worker", None)
    cases = 0
    for kind, ages in PLAN_OF_CASES.items():
        for index, days in enumerate(ages):
            person = people.pop() if people else None
            assigned = worker.username if worker and index == 0 and kind in ("corrections", "counselling") else ""
            data = SupportCaseInput(
                kind=kind,
                person_ref=person.public_id if person else "",
                name="" if person else f"{rng.choice('王李张刘陈杨赵')}某",
                path=showcase_path,
                plan=PLANS[kind],
                until=today + dt.timedelta(days=rng.randint(60, 400)) if kind != SupportKind.COUNSELLING else None,
                assigned=assigned,
                opened_on=today - dt.timedelta(days=days),
            )
            case = support_case_open(actor=judicial, data=data)
            cases += 1
            _entries(worker if assigned and worker else judicial, case, kind, days, rng, today)
            if kind == SupportKind.RELEASED and index == 0:
                support_case_close(
                    actor=judicial, public_id=case.public_id, reason="已稳定就业，帮扶目标达成", confirmed=True
                )
    log(f"受限帮扶个案 restricted support cases: {cases}")
    log(f"家庭暴力线索 domestic-violence leads: {_lead(showcase_path)}")
    log(f"查阅记录 support case reads: {_reads(judicial, _actor('demo_police_officer', None))}")


def _entries(actor: Actor, case, kind: str, days: int, rng: random.Random, today: dt.date) -> None:
    """About one entry a month since the case began (a fortnight for counselling)."""
    step = 14 if kind == SupportKind.COUNSELLING else 30
    entry_kind = ENTRY_KIND.get(kind, EntryKind.VISIT)
    for back in range(days - 3, 0, -step):
        chosen = entry_kind if rng.random() < 0.75 else rng.choice([EntryKind.REPORT, EntryKind.NOTE])
        note = rng.choice(NOTES[chosen])
        support_entry_add(actor=actor, public_id=case.public_id, kind=chosen, on=today - dt.timedelta(back), note=note)


def _lead(showcase_path: str) -> int:
    grid_worker = _actor("demo_grid_worker", None)
    if grid_worker is None:
        return 0
    seen = "入户走访时听邻居反映，该户夜间经常争吵，女方手臂有淤青，本人不愿多谈"
    try:
        support_lead_file(actor=grid_worker, name="刘某某", path=showcase_path, what_was_seen=seen)
    except DomainError:  # the grid worker is posted elsewhere in this demo city
        return 0
    return 1


def _reads(judicial: Actor, police: Actor | None) -> int:
    """The judicial officer reads each case of the street once, the police officer each in the beat."""
    read = 0
    for actor, reason in ((judicial, "月度帮扶情况检查"), (police, "线索核实与回访")):
        if actor is None:
            continue
        for case in support_case_list(actor=actor)[:20]:
            support_case_read(actor=actor, public_id=case.public_id, reason=reason)
            read += 1
    return read
