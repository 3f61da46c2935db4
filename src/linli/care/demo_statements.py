"""Care services demo: family care beds and the providers' monthly statements. Idempotent (a
second run adds nothing), through this stage's services.

Beds for elders of the showcase street's advanced-age, alone and disabled groups (a few in the
showcase community, some across the city), each with a provider serving the elder's community,
registered three months back so their visits are scheduled week by week by the weekly job. The
visits that have passed are marked delivered in bulk (the demo's fast path: the carers' check-in
and the community's verification are the orders stage's services, replayed here only as states)
— a few missed, so some beds are below plan. Then per provider: the month before last paid, last
month approved, this month a draft, and one correction on a supplementary statement."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from linli.accounts.domain import CARE_MANAGE, CARE_PAY, CARE_VIEW
from linli.care.domain.orders import VisitState
from linli.care.domain.statements import StatementState, month_start
from linli.care.models import CareBed, Provider, ProviderArea, Statement, Visit
from linli.care.services.statements import (
    BedInput,
    bed_items,
    bed_register,
    bed_visits_schedule,
    statement_approve,
    statement_correct,
    statement_generate,
    statement_pay,
)
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.residents.selectors import care_people_in_groups

KINDS = ("advanced_age", "elderly_alone", "disabled")
PLANS = (
    "卧床，需翻身、擦浴、协助服药；每周测血压。",
    "独居，行动不便，需助洁、助餐、陪同就医。",
    "失能，需生活照料与康复训练，女儿白天上班。",
    "高龄独居，记忆力下降，需定期探访与用药提醒。",
)
SHOWCASE_BEDS = 6
CITY_BEDS = 24


def _months(today: dt.date) -> list[dt.date]:
    this = month_start(today)
    last = month_start(this - dt.timedelta(days=1))
    before = month_start(last - dt.timedelta(days=1))
    return [before, last, this]


def _provider_for(path: str, on: dt.date) -> Provider | None:
    area = (
        ProviderArea.objects.filter(path=path[:12], since__lte=on, provider__active=True)
        .select_related("provider")
        .order_by("pk")
        .first()
    )
    return area.provider if area else None


def _beds(actor: Actor, under: str, count: int, start: dt.date) -> int:
    made = 0
    born_before = start.replace(year=start.year - 65)
    for n, person in enumerate(
        care_people_in_groups(actor=actor, kinds=KINDS, under=under, born_on_or_before=born_before, limit=count * 3)
    ):
        if made >= count:
            break
        if CareBed.objects.filter(person_ref=person.public_id).exists():
            continue
        provider = _provider_for(person.path, start)
        if provider is None:
            continue
        data = BedInput(person.public_id, str(provider.public_id), 2 + n % 3, PLANS[n % len(PLANS)], start)
        try:
            bed_register(actor=actor, data=data)
        except DomainError:
            continue  # not entitled to the bed item: the list decides, the demo skips them
        made += 1
    return made


def _deliver(since: dt.date, now: dt.datetime) -> int:
    """Visits of the demo's beds that have passed: delivered and verified, every 11th missed."""
    past = Visit.objects.filter(bed__isnull=False, state=VisitState.SCHEDULED, slot_end__lt=now, month__gte=since)
    ids = list(past.values_list("pk", flat=True))
    missed = set(ids[::11])
    Visit.objects.filter(pk__in=missed).update(state=VisitState.MISSED)
    done = [pk for pk in ids if pk not in missed]
    for first in range(0, len(done), 2000):
        Visit.objects.filter(pk__in=done[first : first + 2000]).update(
            state=VisitState.VERIFIED,
            checked_in_at=F("slot_start"),
            check_in_method="position",
            checked_out_at=F("slot_end"),
            record="按计划完成照护",
            verified_at=now,
            verified_by_name="演示核验",
        )
    return len(done)


def _statements(actor: Actor, months: list[dt.date], today: dt.date) -> tuple[int, int]:
    made = corrections = 0
    providers = Provider.objects.filter(visits__state=VisitState.VERIFIED, visits__month__in=months).distinct()
    for provider in providers:
        for month, target in zip(months, ("paid", "approved", "draft"), strict=True):
            if Statement.objects.filter(provider=provider, month=month).exists():
                continue
            statement = statement_generate(actor=actor, provider=provider, month=month)
            made += 1
            if target == "draft" or statement.line_count == 0:
                continue
            statement = statement_approve(actor=actor, statement=statement, reason="与服务记录核对无误", confirmed=True)
            if target == "paid":
                statement_pay(actor=actor, statement=statement, paid_on=today, reference=f"ZF{month:%Y%m}{made:04d}")
                line = statement.lines.select_related("visit").first()
                statement_correct(
                    actor=actor,
                    statement=statement,
                    visit_ref=str(line.visit.public_id),
                    government=f"-{line.government_pays}",
                    resident=f"-{line.resident_pays}",
                    reason="回访核实：老人当日住院，服务未实际发生，追回",
                )
                corrections += 1
    return made, corrections


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    actor = Actor.system(
        "demo-care-statements", permissions=frozenset({CARE_MANAGE, CARE_PAY, CARE_VIEW}), root_path=city_path
    )
    today = timezone.localdate()
    months = _months(today)
    start = months[0]
    if not bed_items(start):
        log("家庭养老床位 family care beds: 0 (no bed item in the list)")
        return
    beds = _beds(actor, showcase_path, SHOWCASE_BEDS, start) + _beds(actor, city_path, CITY_BEDS, start)
    log(f"家庭养老床位 family care beds: {beds}")
    week = start - dt.timedelta(days=start.weekday())
    scheduled = 0
    while week <= today + dt.timedelta(days=7):
        summary = bed_visits_schedule(week_start=week)
        scheduled += int(summary.rsplit(": ", 1)[1])
        week += dt.timedelta(days=7)
    log(f"床位上门服务 bed visits scheduled: {scheduled}")
    log(f"床位服务已核验 bed visits verified: {_deliver(start, timezone.now())}")
    made, corrections = _statements(actor, months, today)
    log(f"服务机构结算单 provider statements: {made}")
    log(f"结算补充更正 statement corrections: {corrections}")
    if made:
        log(f"已付款结算单 statements paid: {Statement.objects.filter(state=StatementState.PAID).count()}")
