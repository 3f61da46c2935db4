"""Demo data of stage village, made through the services. Idempotent: a village that already has
matters is left alone.

One village — under the showcase's street if there is one (so `demo_street_officer` reviews its
matters), else in the showcase's district, else anywhere in the city — gets villagers if the pool
has few there, nine representatives, and a matter at every step: proposed, discussed,
deliberated, resolved after a villagers' meeting without quorum (awaiting the town's review),
returned by the town, approved, its resolution published, and one done with its result."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from linli.accounts.domain import CONSULT_MANAGE, RESIDENTS_EDIT, RESIDENTS_VIEW, VILLAGE_REVIEW
from linli.areas.selectors import building_list, units_under
from linli.consultation.domain.village import VillageStep
from linli.consultation.selectors.village import village_has_matters
from linli.consultation.services import village as svc
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.residents.domain import id_number_make
from linli.residents.selectors import roll_counts, roll_voters
from linli.residents.services import ResidentInput, household_register, resident_add

MIN_ADULTS = 40  # fewer adults than this in the pool: add households (a villagers' meeting needs a roll)
NEW_HOUSEHOLDS = 30
ADULTS_PER_HOUSEHOLD = 2
# what the village step adds to a demo pool that has too few villagers (beyond `--residents`)
VILLAGE_TOP_UP = NEW_HOUSEHOLDS * ADULTS_PER_HOUSEHOLD
REPRESENTATIVES = 9
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ("建国", "秀兰", "玉珍", "志强", "桂英", "德福", "淑芬", "海涛", "春梅", "长顺")

# (title, kind code, amount, the step it stops at, returned by the town first)
MATTERS = [
    ("村东仓库出租", "assets", None, VillageStep.PROPOSE, False),
    ("村道硬化工程", "project", Decimal("180000"), VillageStep.DISCUSS, False),
    ("2027年低保推荐名单", "welfare", None, VillageStep.DELIBERATE, False),
    ("村集体林地承包", "land", None, VillageStep.RESOLVE, False),
    ("集体经济收益分配方案", "income", Decimal("320000"), VillageStep.RESOLVE, True),
    ("村办砖厂转让", "enterprise", Decimal("500000"), VillageStep.REVIEW, False),
    ("一事一议修建文化广场", "levy", Decimal("120000"), VillageStep.PUBLISH_RESOLUTION, False),
    ("村部办公楼维修", "project", Decimal("150000"), VillageStep.PUBLISH_RESULT, False),
]


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    village = demo_village_path(city_path, showcase_path)
    if not village:
        log("village: no village in the city, skipped")
        return
    actor = Actor.system(
        "demo-village",
        permissions=frozenset({CONSULT_MANAGE, VILLAGE_REVIEW, RESIDENTS_VIEW, RESIDENTS_EDIT}),
        root_path=city_path,
    )
    if village_has_matters(village):
        return
    today = timezone.localdate()
    _villagers(actor, village, today)
    if roll_counts(under=village, on=today)[0] < REPRESENTATIVES + 1:
        log(f"village: {village} has too few villagers in the pool, skipped")
        return
    _representatives(actor, village, today)
    codes = dict(svc.kinds_for(village).values_list("code", "pk"))
    for n, (title, code, amount, stop, returned) in enumerate(MATTERS):
        _matter(actor, village, today, n, title, codes[code], amount, stop, returned)
    log(f"village: {village} (street {village[:9]}) — {len(MATTERS)} major matters")


def demo_village_path(city_path: str, showcase_path: str) -> str:
    """The demo's village: the first under the showcase's street, else its district, else the city
    (the portal posts the demo village worker and town officer there)."""
    for under in (showcase_path[:9], showcase_path[:6], city_path):
        found = units_under(under=under, kinds=("village",)) if under else []
        if found:
            return found[0][0]
    return ""


def _villagers(actor: Actor, village: str, today: dt.date) -> None:
    """Households of adults in the village's courtyards, when the demo pool has few there."""
    adults, _households = roll_counts(under=village, on=today)
    if adults >= MIN_ADULTS:
        return
    buildings = list(building_list(actor=actor).filter(path__startswith=village).values_list("code", flat=True))
    if not buildings:
        return
    for n in range(NEW_HOUSEHOLDS):
        try:
            household = household_register(
                actor=actor,
                building_code=buildings[n % len(buildings)],
                room=f"村{n + 1:03d}",
                residence_type="registered",
            )
        except DomainError:  # the room is taken: the next one
            continue
        for k in range(ADULTS_PER_HOUSEHOLD):
            birth = today.replace(year=today.year - 30 - (n * 7 + k * 3) % 40, day=1)
            gender = "male" if k == 0 else "female"
            _resident(
                actor,
                household,
                ResidentInput(
                    name=SURNAMES[n % 10] + GIVEN[(n + k * 3) % 10],
                    gender=gender,
                    birth_date=birth,
                    id_number=id_number_make(village[:6], birth, 700 + n * 2 + k, gender),
                    phone="",
                    relation="self" if k == 0 else "spouse",
                ),
            )


def _resident(actor: Actor, household, data: ResidentInput) -> None:
    with contextlib.suppress(DomainError):  # an ID number the pool already holds: one villager fewer
        resident_add(actor=actor, household=household, data=data)


def _representatives(actor: Actor, village: str, today: dt.date) -> None:
    since = today - dt.timedelta(days=400)
    for voter in list(roll_voters(under=village, on=today))[:REPRESENTATIVES]:
        try:
            svc.representative_add(actor=actor, path=village, resident_ref=str(voter.resident_ref), since=since)
        except DomainError:  # already on the roll
            continue


def _matter(actor, village, today, n, title, kind_id, amount, stop, returned) -> None:
    start = today - dt.timedelta(days=40 - n)
    data = svc.MatterInput(
        path=village, kind_id=kind_id, title=title, proposal=f"党支部提议：{title}。", amount=amount, held_on=start
    )
    matter = svc.matter_propose(actor=actor, data=data)
    if returned:
        _to_resolve(actor, matter, start, failed_first=False)
        svc.matter_review(
            actor=actor, public_id=matter.public_id, approve=False, reasons="请补充资产评估报告后重新商议"
        )
        return
    if stop == VillageStep.PROPOSE:
        return
    _to_resolve(actor, matter, start, failed_first=n == 3, until=stop)
    if stop in (VillageStep.DISCUSS, VillageStep.DELIBERATE, VillageStep.RESOLVE):
        return
    svc.matter_review(actor=actor, public_id=matter.public_id, approve=True)
    if stop == VillageStep.REVIEW:
        return
    until = today + dt.timedelta(days=10)
    svc.publish_resolution(
        actor=actor,
        public_id=matter.public_id,
        data=svc.StepInput(step=VillageStep.PUBLISH_RESOLUTION, public_until=until),
    )
    if stop == VillageStep.PUBLISH_RESULT:
        result = svc.StepInput(
            step=VillageStep.PUBLISH_RESULT, adopted_text=f"{title}已按决议实施完毕，验收合格。", public_until=until
        )
        svc.publish_result(actor=actor, public_id=matter.public_id, data=result)


def _to_resolve(actor, matter, start, *, failed_first: bool, until=VillageStep.RESOLVE) -> None:
    """The committees, the party members and the villagers (or their representatives) meet."""

    def step(kind, days, **numbers):
        data = svc.StepInput(
            step=kind,
            held_on=start + dt.timedelta(days=days),
            minutes=f"{matter.title}会议记录",
            adopted_text=f"同意{matter.title}",
            **numbers,
        )
        return svc.step_record(actor=actor, public_id=matter.public_id, data=data)

    step(VillageStep.DISCUSS, 3, present=7)
    if until == VillageStep.DISCUSS:
        return
    step(VillageStep.DELIBERATE, 6, roll_total=23, present=19, votes_for=17)
    if until == VillageStep.DELIBERATE:
        return
    adults, households = roll_counts(under=matter.path, on=start + dt.timedelta(days=10))
    if failed_first:  # half of the adults exactly and half of the households: no quorum
        with contextlib.suppress(DomainError):  # refused, and kept as a failed attempt
            step(VillageStep.RESOLVE, 9, assembly="villagers", present=adults // 2, households_present=households // 2)
        present = adults // 2 + 1
        step(
            VillageStep.RESOLVE,
            10,
            assembly="villagers",
            present=present,
            households_present=households // 2,
            votes_for=present // 2 + 1,
        )
        return
    # a representatives' meeting: seven of the nine representatives, six for
    step(VillageStep.RESOLVE, 10, assembly="representatives", present=7, votes_for=6)
