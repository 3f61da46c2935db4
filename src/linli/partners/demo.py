"""Demo data for the demo city, made through this app's services (`linli demo`). Idempotent:
a second run adds nothing.

Plausible for Shenyang: organisations of the four kinds in the real communities (three to six in
each community of the showcase street, none to four in other urban communities, none to two
in villages, a few citywide ones), registered (登记, with valid credit codes) or filed (备案);
a social-work station in every street and town, a few of them brand stations, two to six social
workers each; last year's evaluations for about a third of the organisations; idle premises
offered by state-owned and private enterprises. The account `demo_organiser` speaks for one
organisation of the showcase community."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from django.utils import timezone

from linli.accounts.domain import PARTNERS_EDIT, PARTNERS_VIEW
from linli.areas.selectors import units_under
from linli.core.actor import Actor
from linli.partners.domain import (
    CREDIT_CHARS,
    DEFAULT_SHEET,
    CertificateLevel,
    OrgKind,
    OrgStatus,
    PremisesStatus,
    credit_check_char,
    org_code_check_char,
)
from linli.partners.selectors import premises_has_rows, register_has_rows, social_org_list, station_list
from linli.partners.services import (
    OrgInput,
    PremisesInput,
    StationInput,
    WorkerInput,
    evaluations_bulk_record,
    member_link,
    premises_save,
    premises_transition,
    social_orgs_bulk_register,
    station_save,
    workers_bulk_add,
)

SEED = 20261207
DEMO_ORGANISER = "demo_organiser"

NAMES = {
    OrgKind.LIFE_SERVICE: ["便民服务队", "老年餐桌服务队", "文体活动队", "健身舞蹈队", "读书会", "家政服务互助社"],
    OrgKind.CHARITY: ["公益服务中心", "爱心公益协会", "环保志愿服务队", "慈善超市志愿队", "关爱儿童服务队"],
    OrgKind.RELIEF: ["助残服务队", "困难家庭帮扶队", "助老帮扶协会", "心理疏导服务站", "救助帮扶服务队"],
    OrgKind.MUTUAL_AID: ["邻里互助会", "邻里守望队", "楼栋互助小组", "时间银行互助社", "红袖标巡逻队"],
}
SERVICES = {
    OrgKind.LIFE_SERVICE: "便民维修、理发、老年助餐、文体活动",
    OrgKind.CHARITY: "社区公益活动、募集捐赠、关爱留守儿童",
    OrgKind.RELIEF: "困难家庭走访、助残服务、心理疏导",
    OrgKind.MUTUAL_AID: "邻里守望、助老陪伴、时间银行互助",
}
KIND_WEIGHTS = [0.3, 0.2, 0.2, 0.3]
CITYWIDE = [
    ("沈阳市社区社会组织联合会", OrgKind.CHARITY),
    ("沈阳市志愿服务联合会社区分会", OrgKind.MUTUAL_AID),
    ("沈阳市慈善总会社区工作部", OrgKind.CHARITY),
    ("沈阳市助残志愿者协会", OrgKind.RELIEF),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林"
GIVEN = ["丽", "强", "伟", "芳", "敏", "静", "军", "磊", "洋", "艳", "红", "杰", "娟", "涛", "明", "霞"]
ENTERPRISES = [
    ("沈阳地铁集团有限公司", True),
    ("沈阳水务集团有限公司", True),
    ("沈阳盛京能源发展集团有限公司", True),
    ("国网沈阳供电公司", True),
    ("中国邮政集团有限公司沈阳市分公司", True),
    ("沈阳城市建设投资集团有限公司", True),
    ("沈阳华润万象汇商业管理有限公司", False),
    ("沈阳万科物业服务有限公司", False),
]
STREETS = ["南京南街", "十一纬路", "太原街", "中华路", "三好街", "长白南路"]
USES = ["社区老年食堂", "邻里互助中心", "社会组织孵化基地", "儿童之家", "社区书屋", "志愿服务站"]
BRAND_REASONS = [
    "“一老一小”服务项目获评全省优秀社会工作服务案例",
    "社区治理创新项目经验在全市推广",
    "困难群众救助帮扶服务成效显著，获市民政局表彰",
    "连续三年评估优秀，督导体系完善",
]


def _short(name: str) -> str:
    for tail in ("居民委员会", "村民委员会", "居委会", "村委会"):
        if name.endswith(tail):
            return name[: -len(tail)] or name
    return name


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def _phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "135", "150", "186", "189", "133"]) + f"{rng.randrange(10**8):08d}"


def _credit_code(rng: random.Random, district_code: str) -> str:
    """A valid code of a civil-affairs registration: 5, then 1 (社会团体) or 2 (民办非企业单位)."""
    org = "".join(rng.choice("0123456789") for _ in range(8))
    org += org_code_check_char(org)
    first17 = "5" + rng.choice("12") + district_code + org
    assert all(c in CREDIT_CHARS for c in first17)
    return first17 + credit_check_char(first17)


def _org_items(rng: random.Random, city_path: str, showcase_path: str) -> list[OrgInput]:
    street = showcase_path[:9]
    today = timezone.localdate()
    items = []
    for path, name, urban_rural in units_under(under=city_path, kinds=("community", "village")):
        if path.startswith(street):
            count = rng.randint(3, 6) if path != showcase_path else 6
        elif urban_rural == "rural" or name.endswith("村民委员会"):
            count = rng.choices([0, 1, 2], [0.45, 0.4, 0.15])[0]
        else:
            count = rng.choices([0, 1, 2, 3, 4], [0.1, 0.3, 0.3, 0.2, 0.1])[0]
        used: set[str] = set()
        for index in range(count):
            kind = (
                OrgKind.MUTUAL_AID
                if (path == showcase_path and index == 0)
                else rng.choices(list(OrgKind), KIND_WEIGHTS)[0]
            )
            suffix = rng.choice([n for n in NAMES[kind] if n not in used] or NAMES[kind])
            used.add(suffix)
            registered = rng.random() < 0.22
            founded = today - timedelta(days=rng.randint(200, 3600))
            filed = founded + timedelta(days=rng.randint(10, 120))
            items.append(
                OrgInput(
                    name=_short(name) + suffix,
                    kind=kind,
                    status=OrgStatus.REGISTERED if registered else OrgStatus.FILED,
                    credit_code=_credit_code(rng, path[:6]) if registered else "",
                    unit=path,
                    responsible_name=_person(rng),
                    responsible_phone=_phone(rng),
                    premises=rng.choice(["社区党群服务中心", "社区活动室", "小区物业用房", "社区服务站二楼"]),
                    services=SERVICES[kind],
                    founded_on=founded,
                    filed_on=min(filed, today),
                )
            )
    for name, kind in CITYWIDE:
        items.append(
            OrgInput(
                name=name,
                kind=kind,
                status=OrgStatus.REGISTERED,
                credit_code=_credit_code(rng, city_path[:4] + "00"),
                unit=city_path,
                citywide=True,
                responsible_name=_person(rng),
                responsible_phone=_phone(rng),
                premises="沈阳市社会组织服务中心",
                services=SERVICES[kind],
                founded_on=date(2015, 6, 1) + timedelta(days=rng.randint(0, 1500)),
                filed_on=date(2016, 1, 4) + timedelta(days=rng.randint(0, 1500)),
            )
        )
    return items


def _scores(rng: random.Random) -> dict[str, object]:
    quality = rng.betavariate(5, 2)  # most organisations do well, a few poorly
    return {
        c["key"]: round(min(c["max_points"], max(0.0, c["max_points"] * (quality + rng.uniform(-0.08, 0.08)))), 1)
        for c in DEFAULT_SHEET["criteria"]
    }


def _stations(actor: Actor, rng: random.Random, city_path: str, showcase_path: str) -> int:
    taken = set(station_list(actor=actor).values_list("street_path", flat=True))
    added = 0
    for path, name, _ur in units_under(under=city_path, kinds=("street",)):
        if path in taken:
            continue
        brand = rng.random() < 0.08 or path == showcase_path[:9]
        station = station_save(
            actor=actor,
            data=StationInput(
                street=path,
                name=f"{name}社会工作服务站",
                address=f"{name}综合服务中心",
                opened_on=date(2021, 3, 1) + timedelta(days=rng.randint(0, 1200)),
                brand=brand,
                brand_year=rng.choice([2023, 2024, 2025]) if brand else None,
                brand_reason=rng.choice(BRAND_REASONS) if brand else "",
            ),
        )
        levels = [
            CertificateLevel.NONE,
            CertificateLevel.ASSISTANT,
            CertificateLevel.SOCIAL_WORKER,
            CertificateLevel.SENIOR,
        ]
        workers = []
        for _ in range(rng.randint(2, 6)):
            level = rng.choices(levels, [0.3, 0.45, 0.22, 0.03])[0]
            workers.append(
                WorkerInput(
                    name=_person(rng),
                    phone=_phone(rng),
                    certificate_level=level,
                    certificate_number=f"{rng.choice(['ZS', 'SG'])}{rng.randint(2012, 2025)}{rng.randrange(10**6):06d}"
                    if level != CertificateLevel.NONE
                    else "",
                    since=date(2021, 6, 1) + timedelta(days=rng.randint(0, 1800)),
                )
            )
        workers_bulk_add(actor=actor, station=station, items=workers)
        added += 1
    return added


def _premises(actor: Actor, rng: random.Random, city_path: str, showcase_path: str) -> int:
    communities = [path for path, _n, _u in units_under(under=showcase_path[:6], kinds=("community",))][:12]
    if not communities:
        return 0
    today = timezone.localdate()
    added = 0
    plan = [
        # (community index, years of term, state, started days ago)
        (0, 5, PremisesStatus.IN_USE, 400),
        (1, 3, PremisesStatus.IN_USE, 900),
        (2, 3, PremisesStatus.IN_USE, 1050),  # ends within 60 days
        (3, 2, PremisesStatus.OFFERED, 20),
        (4, 5, PremisesStatus.OFFERED, 5),
        (5, 1, PremisesStatus.RETURNED, 500),
        (6, 10, PremisesStatus.IN_USE, 200),
    ]
    for index, (at, years, state, ago) in enumerate(plan):
        community = communities[at % len(communities)]
        offerer, state_owned = ENTERPRISES[index % len(ENTERPRISES)]
        start = today - timedelta(days=ago)
        found = premises_save(
            actor=actor,
            data=PremisesInput(
                offerer=offerer,
                state_owned=state_owned,
                address=f"{rng.choice(STREETS)}{rng.randint(3, 199)}号",
                area_m2=rng.choice([80, 120, 160, 240, 320, 450]),
                term_from=start,
                term_to=start + timedelta(days=365 * years) if index != 2 else today + timedelta(days=40),
                unit=community[:9],
                conditions="免租金，社区承担水电费和日常维护" if state_owned else "象征性租金，每年1元",
            ),
        )
        if state in (PremisesStatus.IN_USE, PremisesStatus.RETURNED) and index != 5:
            premises_transition(
                actor=actor,
                public_id=found.public_id,
                to=PremisesStatus.IN_USE,
                community=community,
                use=USES[index % len(USES)],
                opened_on=start + timedelta(days=30),
            )
        if state == PremisesStatus.RETURNED:
            premises_transition(
                actor=actor, public_id=found.public_id, to=PremisesStatus.RETURNED, reason="企业收回自用"
            )
        added += 1
    return added


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    """Plausible numbers for the city under `city_path`; the showcase community (where the demo
    accounts are posted) at `showcase_path` gets the rows a demo user sees first."""
    actor = replace(
        Actor.system("demo-partners", permissions=frozenset({PARTNERS_VIEW, PARTNERS_EDIT}), root_path=city_path),
        display_name="市民政局（示例数据）",
    )
    rng = random.Random(SEED)
    if not register_has_rows():
        created = social_orgs_bulk_register(actor=actor, items=_org_items(rng, city_path, showcase_path))
        last_year = timezone.localdate().year - 1
        chosen = {
            org.pk: _scores(rng)
            for org in created
            if org.unit_path == showcase_path
            or (
                (org.filed_on and org.filed_on.year < last_year)
                and rng.random() < (0.6 if org.status == OrgStatus.REGISTERED else 0.3)
            )
        }
        evaluated = evaluations_bulk_record(actor=actor, year=last_year, scores_by_org=chosen)
        log(f"社会组织 social organisations: {len(created)}, {last_year}年度评估 evaluations: {evaluated}")
    if stations := _stations(actor, rng, city_path, showcase_path):
        log(f"社工站 social-work stations: {stations}")
    if not premises_has_rows() and (premises := _premises(actor, rng, city_path, showcase_path)):
        log(f"闲置场地 premises: {premises}")
    _link_organiser(actor, showcase_path)


def _link_organiser(actor: Actor, showcase_path: str) -> None:
    from linli.accounts.selectors import user_by_username

    if user_by_username(DEMO_ORGANISER) is None:
        return
    own = social_org_list(actor=actor, under=showcase_path, kind=OrgKind.MUTUAL_AID).order_by("pk").first()
    if own is not None:
        member_link(actor=actor, public_id=own.public_id, username=DEMO_ORGANISER)
