"""Demo data for the demo city, made through this app's services (`linli demo`). Idempotent:
a second run adds nothing.

Runs after the volunteers' demo. The earned entries come from their approved hours through our
`hours_approved` receiver; any approved hours the receiver did not see (the volunteers' demo ran
before the time bank existed) are credited here, once per hours id. Then: `demo_resident` (a
volunteer of the showcase community) gets enough hours to spend in the browser journey, one
past exchange confirmed and one donation to the community's pool; a few exchanges of other
volunteers wait in the showcase community's queue (asked on their behalf: 代办)."""

from __future__ import annotations

import time
from datetime import timedelta
from uuid import UUID

from django.utils import timezone

from linli.accounts.domain import VOLUNTEER_VIEW
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.timebank.domain import EntryKind, HolderKind
from linli.timebank.selectors import (
    account_list,
    account_of,
    credited_hours_ids,
    earned_total,
    exchange_list,
    ledger,
    provider_choices,
)
from linli.timebank.services import (
    DonationInput,
    ExchangeInput,
    StepInput,
    donation_make,
    exchange_act,
    exchange_request,
    hours_credit,
    services_ensure,
)
from linli.volunteers.selectors import hours_list, volunteer_by_public_id, volunteer_for_user
from linli.volunteers.services import HoursInput, hours_proxy

RESIDENT_HOURS = 15 * 60  # what demo_resident has earned at least: enough to spend in the journey
TOP_UP = 180  # one proxy record (代录) of three hours of help for older neighbours


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    started = time.monotonic()
    services_ensure()
    credited = _credit_missing(city_path)
    worker = _actor("demo_community_worker")
    resident = _actor("demo_resident")
    if worker is None or resident is None:
        log("time bank: the demo accounts are missing; nothing more to do")
        return
    me = volunteer_for_user(resident.user_id)
    if me is None:
        log("time bank: demo_resident is not a volunteer (the volunteers' demo registers them); skipped")
        return
    topped = _top_up(worker, UUID(str(me.public_id)))
    past = _resident_history(worker, resident, showcase_path)
    queued = _queue(worker, showcase_path, UUID(str(me.public_id)))
    log(
        f"time bank: {credited} approved hours credited late, {topped} min topped up for demo_resident, "
        f"{past} past exchange(s) and donation(s), {queued} exchanges waiting "
        f"({time.monotonic() - started:.1f} s)"
    )


def _actor(username: str) -> Actor | None:
    user = user_by_username(username)
    return actor_for_user(user) if user is not None else None


def _credit_missing(city_path: str) -> int:
    """Approved hours with no ledger entry yet (one query for the ids on each side)."""
    reader = Actor.system("timebank-demo", permissions=frozenset({VOLUNTEER_VIEW}), root_path=city_path)
    approved = hours_list(actor=reader).filter(state="approved").exclude(minutes=0)
    done = credited_hours_ids()
    rows = approved.values_list(
        "public_id", "volunteer__public_id", "minutes", "served_path", "registered_path", "approved_at"
    )
    count = 0
    for hours_id, volunteer_id, minutes, served, registered, approved_at in rows.iterator():
        if str(hours_id) in done:
            continue
        if hours_credit(
            hours_id=hours_id,
            volunteer_id=volunteer_id,
            minutes=minutes,
            served_path=served,
            registered_path=registered,
            approved_at=approved_at,
        ):
            count += 1
    return count


def _top_up(worker: Actor, holder: UUID) -> int:
    """Proxy hours (代录) through the volunteers app until demo_resident has earned enough."""
    missing = RESIDENT_HOURS - earned_total(holder)
    volunteer = volunteer_by_public_id(holder)
    added, day = 0, 2
    while missing > 0 and volunteer is not None and day < 28:
        start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=day)
        try:
            hours_proxy(
                actor=worker,
                volunteer=volunteer,
                data=HoursInput(
                    description="助老服务：陪伴独居老人、代购生活用品",
                    started_at=start,
                    minutes=TOP_UP,
                    served_path=volunteer.registered_path,
                ),
            )
        except DomainError:  # that morning is taken (an overlap): try another day
            day += 1
            continue
        missing -= TOP_UP
        added += TOP_UP
        day += 3
    return added


def _resident_history(worker: Actor, resident: Actor, showcase_path: str) -> int:
    """One confirmed exchange (home cleaning for a parent) and one donation to the pool."""
    made = 0
    mine = exchange_list(actor=resident, mine=True)
    if not mine.exists():
        exchange = exchange_request(
            actor=resident,
            data=ExchangeInput(service="home_cleaning", units=1, beneficiary="parent", note="母亲家，周六上午"),
        )
        providers = provider_choices(actor=worker, path=exchange.path, exclude=exchange.account.holder, limit=1)
        if providers:
            for step in (
                StepInput("arrange", provider=UUID(providers[0][0])),
                StepInput("deliver"),
                StepInput("confirm"),
            ):
                exchange_act(actor=worker, public_id=exchange.public_id, data=step)
        made += 1
    me = volunteer_for_user(resident.user_id)
    account = account_of(UUID(str(me.public_id))) if me else None
    gave = account is not None and ledger(account).filter(kind=EntryKind.DONATED_OUT).exists()
    if account is not None and not gave:
        donation_make(
            actor=resident,
            data=DonationInput(minutes=60, reason="捐给社区时间池，帮助困难邻居", to_pool=True, confirmed=True),
        )
        made += 1
    return made


def _queue(worker: Actor, showcase_path: str, resident_holder: UUID) -> int:
    """Exchanges of other volunteers waiting for the community: asked on their behalf."""
    if exchange_list(actor=worker).filter(requested_by__isnull=True).exists():
        return 0
    volunteers = account_list(actor=worker, kind=HolderKind.VOLUNTEER).filter(path=showcase_path, balance__gte=240)
    accounts = list(volunteers.exclude(holder=resident_holder)[:4])
    plans = [
        ("meal_delivery", 4, "parent", None),
        ("escort_clinic", 1, "spouse", "arrange"),
        ("companionship", 2, "self", None),
        ("shopping", 1, "parent", "cancel"),
    ]
    made = 0
    for account, (service, units, beneficiary, step) in zip(accounts, plans, strict=False):
        try:
            exchange = exchange_request(
                actor=worker,
                data=ExchangeInput(service=service, units=units, beneficiary=beneficiary, holder=account.holder),
            )
        except DomainError:
            continue
        made += 1
        if step == "arrange":
            providers = provider_choices(actor=worker, path=showcase_path, exclude=account.holder, limit=1)
            if providers:
                at = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0) + timedelta(days=2)
                exchange_act(
                    actor=worker,
                    public_id=exchange.public_id,
                    data=StepInput("arrange", provider=UUID(providers[0][0]), scheduled_for=at),
                )
        elif step == "cancel":
            exchange_act(actor=worker, public_id=exchange.public_id, data=StepInput("cancel", reason="家属已自行安排"))
    return made
