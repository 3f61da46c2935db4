"""A household's facts as the rules read them: members with their incomes by source, property and
rigid expenditure. Plain data with no Django: the application's forms fill it, it is sealed at
rest as JSON (`facts_to_json`), and the engine reads it. Amounts are yuan with two places;
incomes and expenditures are monthly (an annual figure is divided by 12 by whoever enters it)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

# income sources (家庭收入): the four national categories and the kinds commonly not counted
WAGE = "wage"  # 工资性收入
BUSINESS = "business"  # 经营净收入
PROPERTY = "property"  # 财产净收入
TRANSFER = "transfer"  # 转移净收入 (pensions, support paid by relatives, …)
OTHER = "other"  # 其他应计入收入
SPECIAL_CARE = "special_care"  # 优待抚恤金 (not counted where the rules say so)
SCHOLARSHIP = "scholarship"  # 奖学金、助学金
DISABILITY_ALLOWANCE = "disability_allowance"  # 残疾人两项补贴
ASSISTANCE = "assistance"  # 政府发放的社会救助款物
INCOME_SOURCES = (
    WAGE,
    BUSINESS,
    PROPERTY,
    TRANSFER,
    OTHER,
    SPECIAL_CARE,
    SCHOLARSHIP,
    DISABILITY_ALLOWANCE,
    ASSISTANCE,
)


CARE_NEEDS = ("", "partial", "full")  # 生活自理 / 部分失能 / 完全失能
AREAS = ("urban", "rural")


@dataclass(frozen=True)
class Income:
    source: str  # one of INCOME_SOURCES
    monthly: Decimal


@dataclass(frozen=True)
class Member:
    """One member of the household living together (共同生活的家庭成员)."""

    ref: str  # the resident's public id, or "outside-N" for a member not in the pool
    birth_date: date
    disability_level: str = ""  # "" or "1".."4" (GB/T 26341)
    serious_illness: bool = False  # 重病
    in_school: bool = False  # full-time student
    able_to_work: bool = True  # 有劳动能力
    employed: bool = False
    incomes: tuple[Income, ...] = ()
    care_need: str = ""  # 特困 care need: "" (self-care), "partial" or "full" (CARE_NEEDS)
    sex: str = ""  # "male", "female" or "" (unknown: the men's working age applies)


@dataclass(frozen=True)
class Household:
    area: str  # "urban" or "rural": whose standard applies
    members: tuple[Member, ...]
    deposits: Decimal = Decimal("0")  # savings, securities and other financial assets, total
    vehicles: int = 0  # motor vehicles owned (a disabled person's mobility vehicle not counted)
    vehicle_value: Decimal = Decimal("0")
    homes: int = 1  # dwellings owned
    medical_costs: Decimal = Decimal("0")  # monthly: own-paid medical costs, 12-month average
    education_costs: Decimal = Decimal("0")  # monthly: schooling costs
    disability_costs: Decimal = Decimal("0")  # monthly: rehabilitation and care for a disability
    has_able_supporter: bool = False  # a relative obliged and able to support (rules out 特困)
    current_class: str = ""  # the class the household receives now ("" if none): for 渐退
    current_amount: Decimal = Decimal("0")
    extra: dict = field(default_factory=dict)  # facts a city's own rules add (kept, not read here)


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def facts_to_json(household: Household) -> str:
    return json.dumps(_plain(asdict(household)), ensure_ascii=False, sort_keys=True)


def facts_from_json(text: str) -> Household:
    data = json.loads(text)
    members = tuple(
        Member(
            **{
                **member,
                "birth_date": date.fromisoformat(member["birth_date"]),
                "incomes": tuple(
                    Income(source=i["source"], monthly=Decimal(i["monthly"])) for i in member.get("incomes", [])
                ),
            }
        )
        for member in data.pop("members")
    )
    money = ("deposits", "vehicle_value", "medical_costs", "education_costs", "disability_costs", "current_amount")
    return Household(members=members, **{k: Decimal(v) if k in money else v for k, v in data.items()})
