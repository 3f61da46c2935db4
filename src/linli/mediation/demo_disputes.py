"""Demo data of safe community, stage disputes: about a year of disputes across the showcase
district's communities (the city's when it has few; a few per community, at most 120), of every
kind and every state — awaiting
consent, accepted, in mediation (a few past their time limit, one extended), agreed, closed
after a follow-up, failed with the route onward, refused, withdrawn —, with sessions and sealed
minutes, written and oral agreements, a few judicial confirmations, follow-ups and a few
escalated; and the showcase community's journey (the demo resident's dispute in mediation with a
session held and sessions later today and in the next days, an agreement awaiting its follow-up,
a closed one).

Everything goes through the intake and sessions services with explicit dates. The mediators
come from the mediators stage's demo (run first): with an empty pool no dispute that needs a
mediator is made. Idempotent: when the demo's disputes exist, nothing is added."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from django.utils import timezone

from linli.accounts.domain import FACILITY_VIEW, MEDIATION_INTAKE, MEDIATION_MANAGE, MEDIATION_VIEW, RESIDENTS_VIEW
from linli.accounts.selectors import actor_for_user, user_by_id, user_by_username
from linli.areas.selectors import units_under
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.mediation.domain.disputes import DisputeSource, DisputeState, OnwardRoute, PartySide
from linli.mediation.selectors.disputes import dispute_kinds, dispute_list, dispute_parties
from linli.mediation.selectors.mediators import mediator_candidates
from linli.mediation.selectors.sessions import mediation_rooms
from linli.mediation.services import intake
from linli.mediation.services import sessions as svc
from linli.residents.domain import id_number_make
from linli.residents.selectors import applicant_for_user

SEED = 20261217
PER_COMMUNITY, MAX_DISPUTES, MIN_DISPUTES = 3, 120, 24  # about 0.1 s each: at most ~15 s
MIN_COMMUNITIES = 8
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"
GIVEN = ["建华", "秀英", "志刚", "丽娟", "国强", "春燕", "海涛", "玉兰", "德胜", "晓明", "淑芬", "永军"]
SOURCES = [DisputeSource.WINDOW] * 4 + [
    DisputeSource.PHONE,
    DisputeSource.PHONE,
    DisputeSource.POLICE,
    DisputeSource.SCREENING,
    DisputeSource.PETITION,
]
FACTS = {
    "neighbour": ("楼上住户夜间噪音", "楼上住户长期夜间走动、挪动家具，影响楼下老人休息，双方多次争吵。"),
    "family": ("赡养费用分担", "兄妹三人对母亲的赡养费用和轮流照料安排意见不一，母亲请求社区调解。"),
    "property_mgmt": ("物业费与漏水维修", "业主因楼顶漏水长期未修拒交物业费，物业公司催缴未果。"),
    "tenancy": ("押金退还", "租期届满后房东以墙面损坏为由扣留押金，租户认为属正常使用损耗。"),
    "debt": ("邻居借款未还", "邻居借款两万元约定一年归还，逾期半年仍未归还。"),
    "consumer": ("装修质量", "装修公司施工后卫生间渗水，双方就返工和赔偿发生争议。"),
    "damage": ("宠物咬伤赔偿", "饲养的犬只在小区内咬伤行人，双方就医疗费和误工费发生争议。"),
    "labour": ("拖欠工资", "小区保洁员被拖欠三个月工资，与保洁公司协商未果。"),
    "land": ("宅基地界址", "相邻两户因院墙界址发生争议，一方新砌围墙占用通道。"),
    "construction": ("施工扰民", "附近工地夜间施工噪音和扬尘影响居民，居民代表与施工方交涉。"),
    "traffic": ("小区内车辆剐蹭", "小区道路上电动车与行人相撞致轻伤，双方就赔偿金额争执。"),
    "medical": ("诊所诊疗争议", "社区诊所输液后出现过敏反应，患者家属要求赔偿。"),
    "demolition": ("拆迁补偿安置", "棚改项目中住户对面积认定和补偿标准有异议。"),
}
TERMS = [
    "一、被申请人于协议签订之日起十五日内向申请人支付人民币{amount}元；\n二、双方今后互相尊重、和睦相处，不再因此事发生争执。",
    "一、被申请人负责维修并承担全部费用，于约定期限内完成；\n二、申请人在维修完成后补缴相关费用；\n三、双方就此事再无其他争议。",
    "一、双方同意按本协议约定的方式分担费用，每月十日前支付；\n二、任何一方不履行的，另一方可申请司法确认或向人民法院起诉。",
]
MINUTES = [
    "调解员向双方释明相关法律规定，双方分别陈述了事实和诉求，情绪基本平稳，约定再次调解。",
    "经背对背沟通，申请人同意适当降低赔偿金额，被申请人表示愿意协商。",
    "双方当面协商，就主要事项达成一致意见，调解员拟定协议草稿。",
]


@dataclasses.dataclass
class _Run:
    rng: random.Random
    today: dt.date
    system: Actor
    seq: int = 0
    made: dict = dataclasses.field(default_factory=dict)
    actors: dict = dataclasses.field(default_factory=dict)
    candidates: dict = dataclasses.field(default_factory=dict)

    def count(self, what: str) -> None:
        self.made[what] = self.made.get(what, 0) + 1


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    system = dataclasses.replace(
        Actor.system(
            "demo-disputes",
            permissions=frozenset({MEDIATION_VIEW, MEDIATION_INTAKE, MEDIATION_MANAGE, FACILITY_VIEW, RESIDENTS_VIEW}),
            root_path=city_path,
        ),
        display_name="司法所",
    )
    if dispute_list(actor=system).exists():
        log("人民调解纠纷 disputes: already there")
        return
    run = _Run(random.Random(SEED), timezone.localdate(), system)
    kinds = [k.code for k in dispute_kinds()]
    communities = _communities(city_path, showcase_path)
    if not kinds or not communities:
        log("人民调解纠纷 disputes: no kinds or communities")
        return
    target = max(MIN_DISPUTES, min(MAX_DISPUTES, PER_COMMUNITY * len(communities)))
    spread = run.rng.sample(communities, len(communities))
    for n in range(target):
        path = spread[n % len(spread)]
        _one(run, path, run.rng.choice(kinds), _state_for(run, n))
    _showcase(run, showcase_path, kinds)
    log("人民调解纠纷 disputes: " + ", ".join(f"{k} {v}" for k, v in sorted(run.made.items())))


def _communities(city_path: str, showcase_path: str) -> list[str]:
    """The showcase district's communities (where the demo's people and mediators are), or the
    city's when the district has few."""
    kinds = ("community", "village")
    district = [path for path, _name, _type in units_under(under=showcase_path[:6], kinds=kinds)]
    if len(district) >= MIN_COMMUNITIES:
        return district
    return [path for path, _name, _type in units_under(under=city_path, kinds=kinds)]


def _state_for(run: _Run, n: int) -> str:
    # every state early on (a small city still shows each), then by the usual shares
    order = [
        DisputeState.CLOSED,
        DisputeState.AGREED,
        DisputeState.MEDIATING,
        DisputeState.FAILED,
        DisputeState.REFUSED,
        DisputeState.WITHDRAWN,
        DisputeState.ACCEPTED,
        DisputeState.CONSENT,
    ]
    if n < len(order):
        return order[n]
    shares = [35, 15, 14, 10, 8, 7, 5, 6]
    return run.rng.choices(order, weights=shares)[0]


# ---- one dispute ---------------------------------------------------------------------------------


def _person(run: _Run, side: str) -> intake.PartyInput:
    run.seq += 1
    birth = dt.date(1950 + run.rng.randint(0, 50), run.rng.randint(1, 12), run.rng.randint(1, 28))
    gender = run.rng.choice(["male", "female"])
    return intake.PartyInput(
        side=side,
        name=f"{run.rng.choice(SURNAMES)}{run.rng.choice(GIVEN)}",
        phone=f"13{run.rng.randint(0, 9)}{run.rng.randint(10000000, 99999999)}",
        id_number=id_number_make("210102", birth, run.seq * 2 + (1 if gender == "male" else 0), gender),
        address=f"{run.rng.randint(1, 30)}号楼{run.rng.randint(1, 6)}单元{run.rng.randint(101, 1802)}室",
    )


def _registered(run: _Run, state: str) -> dt.date:
    """When a dispute of this final state was registered: long ago for ended ones, recently for
    those still waiting (one in mediation for 45 days is past its 30-day limit)."""
    days = {
        DisputeState.CONSENT: (0, 6),
        DisputeState.ACCEPTED: (1, 8),
        DisputeState.MEDIATING: (4, 48),
        DisputeState.AGREED: (35, 120),
        DisputeState.WITHDRAWN: (5, 200),
    }.get(state, (40, 345))
    return run.today - dt.timedelta(days=run.rng.randint(*days))


def _one(run: _Run, path: str, kind: str, state: str, parties=None, title: str = "", mediator=None, day=None):
    """A dispute registered at the window, brought to `state` (when the pool allows it)."""
    needs_mediator = state in (DisputeState.MEDIATING, DisputeState.AGREED, DisputeState.CLOSED, DisputeState.FAILED)
    mediator = (mediator or _mediator(run, path, kind)) if needs_mediator else None
    if needs_mediator and mediator is None:
        state = DisputeState.ACCEPTED  # an empty pool: the dispute waits for a mediator
    day = day or _registered(run, state)
    summary, facts = FACTS.get(kind, ("邻里琐事", "双方因生活琐事发生争执，请求社区调解。"))
    try:
        dispute = intake.dispute_register(
            actor=run.system,
            data=intake.DisputeInput(
                kind=kind,
                facts=facts,
                claim="请求调解解决",
                parties=parties or [_person(run, PartySide.APPLICANT), _person(run, PartySide.RESPONDENT)],
                title=title or summary,
                source=run.rng.choice(SOURCES),
                community=path,
                registered_on=day,
            ),
        )
    except DomainError as error:
        run.count(f"skipped ({error.code})")
        return None
    run.count("registered")
    return _bring_to(run, dispute, state, day, mediator)


def _bring_to(run: _Run, dispute, state: str, day: dt.date, mediator):
    if state == DisputeState.CONSENT:
        return dispute
    applicant, respondent = dispute_parties(dispute)[:2]
    consent_on = min(run.today, day + dt.timedelta(days=1))
    intake.party_consent(actor=run.system, dispute=dispute, party_id=applicant.pk, consent="agreed", on=day)
    if state == DisputeState.REFUSED:
        intake.party_consent(
            actor=run.system, dispute=dispute, party_id=respondent.pk, consent="refused", on=consent_on, note="不愿调解"
        )
        return dispute
    intake.party_consent(actor=run.system, dispute=dispute, party_id=respondent.pk, consent="agreed", on=consent_on)
    if state == DisputeState.WITHDRAWN:
        return intake.dispute_withdraw(
            actor=run.system, dispute=dispute, party_id=applicant.pk, reason="双方已自行和解，申请撤回"
        )
    if state == DisputeState.ACCEPTED or mediator is None:
        return dispute
    intake.dispute_assign(actor=run.system, dispute=dispute, mediator_id=mediator.pk)
    run.count("assigned")
    return _mediate(run, dispute, state, consent_on, mediator)


def _mediate(run: _Run, dispute, state: str, accepted_on: dt.date, mediator):
    """Sessions, then the outcome of the final state, as the mediator (or the window for one
    without an account)."""
    actor = _mediator_actor(run, mediator)
    ids = [p.pk for p in dispute_parties(dispute)]
    rooms = mediation_rooms(dispute)
    place = rooms[0][1] if rooms else "社区人民调解室"
    sessions = 1 if state == DisputeState.MEDIATING else run.rng.randint(1, 3)
    day = accepted_on
    for _ in range(sessions):
        day = min(run.today, day + dt.timedelta(days=run.rng.randint(1, 6)))
        held = timezone.make_aware(dt.datetime.combine(day, dt.time(run.rng.choice([9, 10, 14, 15]), 0)))
        if held > timezone.now():
            break
        svc.session_held_record(
            actor=actor,
            dispute=dispute,
            held_at=held,
            place=place,
            attended_party_ids=ids,
            minutes=run.rng.choice(MINUTES),
        )
        run.count("sessions")
    if state == DisputeState.MEDIATING:
        return _still_mediating(run, actor, dispute, place)
    if state == DisputeState.FAILED:
        svc.dispute_fail(
            actor=actor,
            dispute=dispute,
            onward_route=run.rng.choice(OnwardRoute.values),
            reason="双方分歧较大，经多次调解未能达成一致",
            on=day,
        )
        run.count("failed")
        if run.rng.random() < 0.3:
            intake.dispute_escalate(actor=run.system, dispute=dispute, reason="当事人到区里反映问题")
            run.count("escalated")
        return dispute
    return _agree(run, actor, dispute, state, day)


def _still_mediating(run: _Run, actor: Actor, dispute, place: str):
    dispute.refresh_from_db()
    if dispute.due_on and dispute.due_on < run.today and run.rng.random() < 0.3:
        svc.dispute_extend(actor=actor, dispute=dispute, days=15, reason="双方同意延长期限继续调解")
        run.count("extended")
    when = timezone.make_aware(
        dt.datetime.combine(run.today + dt.timedelta(days=run.rng.randint(1, 5)), dt.time(9, 30))
    )
    svc.session_schedule(actor=actor, dispute=dispute, starts_at=when, place=place)
    run.count("sessions scheduled")
    return dispute


def _agree(run: _Run, actor: Actor, dispute, state: str, day: dt.date):
    written = run.rng.random() < 0.7
    signed_on = day
    perform_by = signed_on + dt.timedelta(days=run.rng.choice([7, 15, 30]))
    svc.agreement_record(
        actor=actor,
        dispute=dispute,
        kind="written" if written else "oral",
        terms=run.rng.choice(TERMS).format(amount=run.rng.choice([500, 1200, 3000, 8000])),
        signed_on=signed_on,
        perform_by=perform_by,
    )
    run.count("written agreements" if written else "oral agreements")
    if written and run.rng.random() < 0.2:
        applied = min(run.today, signed_on + dt.timedelta(days=run.rng.randint(2, 20)))
        svc.confirmation_record(actor=actor, dispute=dispute, applied_on=applied, court="区人民法院")
        decided = applied + dt.timedelta(days=15)
        if decided <= run.today:
            svc.confirmation_result(actor=actor, dispute=dispute, result="confirmed", decided_on=decided)
        run.count("confirmations")
    if state == DisputeState.AGREED:
        return dispute
    follow_on = min(run.today, perform_by + dt.timedelta(days=run.rng.randint(1, 10)))
    full = run.rng.random() < 0.85
    svc.follow_up_record(
        actor=actor,
        dispute=dispute,
        on=follow_on,
        performance="full" if full else "partial",
        note="电话回访，当事人表示协议已履行" if full else "已履行大部分，余款约定下月付清",
    )
    run.count("follow-ups")
    svc.dispute_close(actor=actor, dispute=dispute, reason="" if full else "余款双方已约定，无需继续跟进")
    run.count("closed")
    return dispute


# ---- mediators ------------------------------------------------------------------------------------


def _mediator(run: _Run, path: str, kind: str, *, with_account: bool = False):
    key = (path, kind)
    if key not in run.candidates:
        run.candidates[key] = mediator_candidates(dispute_path=path, kind_code=kind)
    pool = run.candidates[key]
    if with_account:
        pool = [m for m in pool if m.user_id] or pool
    # the community's own committee first, as the law expects, else the street's or an expert
    own = [m for m in pool if m.path == path]
    return run.rng.choice(own or pool) if (own or pool) else None


def _mediator_actor(run: _Run, mediator) -> Actor:
    """The mediator themself when they sign in; else the window enters the paper record."""
    if mediator.user_id is None:
        return run.system
    if mediator.user_id not in run.actors:
        user = user_by_id(mediator.user_id)
        run.actors[mediator.user_id] = actor_for_user(user) if user is not None else run.system
    return run.actors[mediator.user_id]


# ---- the showcase community -----------------------------------------------------------------------


def _showcase(run: _Run, showcase_path: str, kinds: list[str]) -> None:
    """The journeys a visitor follows: the demo resident's neighbour dispute in mediation (a
    session held, the next one tomorrow), an agreement waiting for its follow-up, one closed."""
    kind = "neighbour" if "neighbour" in kinds else kinds[0]
    resident = user_by_username("demo_resident")
    card = applicant_for_user(resident.pk) if resident is not None else None
    applicant = (
        intake.PartyInput(side=PartySide.APPLICANT, person_ref=card.public_id)
        if card is not None
        else _person(run, PartySide.APPLICANT)
    )
    mediator = _mediator(run, showcase_path, kind, with_account=True)
    if mediator is None:
        _one(run, showcase_path, kind, DisputeState.ACCEPTED, [applicant, _person(run, PartySide.RESPONDENT)])
        return
    dispute = _one(
        run,
        showcase_path,
        kind,
        DisputeState.MEDIATING,
        [applicant, _person(run, PartySide.RESPONDENT)],
        title="楼上装修噪音",
        mediator=mediator,
        day=run.today - dt.timedelta(days=6),
    )
    if dispute is not None:
        _showcase_today(run, dispute, mediator)
    _one(run, showcase_path, kind, DisputeState.AGREED, title="共用楼道堆放杂物", mediator=mediator)
    family = "family" if "family" in kinds else kind
    _one(run, showcase_path, family, DisputeState.CLOSED, title="老人赡养安排", mediator=mediator)


def _showcase_today(run: _Run, dispute, mediator) -> None:
    """A session later today too, so the mediator's workbench shows one."""
    dispute.refresh_from_db()
    if dispute.state != DisputeState.MEDIATING:
        return
    later = timezone.localtime() + dt.timedelta(hours=2)
    if later.date() == run.today:
        actor = _mediator_actor(run, dispute.mediator or mediator)
        svc.session_schedule(
            actor=actor, dispute=dispute, starts_at=later.replace(minute=0, second=0), place="社区调解室"
        )
        run.count("sessions scheduled")
