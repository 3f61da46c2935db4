"""Care services demo: elder-friendly home modifications. Idempotent (nothing is added when the
city already has applications), through the services.

In the showcase community: applications in every state, recorded by the worker and started
from the candidates, with before and after photos (small PNGs made here, no network); the households of
the elders the demo resident cares for are left for the resident to apply on the phone. Across the city:
earlier years' finished modifications (2023 to this year) for elders in difficulty of the pool,
recorded in bulk, so the progress page shows a plausible count toward the 11,000 households."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import struct
import zlib
from decimal import Decimal

from django.utils import timezone

from linli.accounts.domain import CARE_LIST_EDIT, CARE_MANAGE, CARE_PAY, CARE_VIEW
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.care.domain.modifications import CANDIDATE_KINDS, CANDIDATE_MIN_AGE
from linli.care.models import ModificationApplication
from linli.care.selectors.modifications import candidates, my_refs
from linli.care.services.modifications import (
    AcceptInput,
    DoneRecord,
    LineInput,
    PhotoUpload,
    application_accept,
    application_apply,
    application_assess,
    application_close,
    application_confirm,
    application_pay,
    application_start,
    applications_record_done,
)
from linli.core.actor import Actor
from linli.residents.selectors import care_people_in_groups

ALL = frozenset({CARE_VIEW, CARE_MANAGE, CARE_PAY, CARE_LIST_EDIT})
HISTORY_MAX = 9600  # about 9–10k of the 11,000 by now, where the pool has that many elders
CONTRACTORS = ["沈阳安居适老化工程有限公司", "辽宁康乐无障碍设施有限公司", "沈阳福寿家居改造服务中心"]
PLANS = [
    [LineInput("grab_bar", "2", "马桶旁、淋浴处"), LineInput("non_slip_floor", "4"), LineInput("night_light", "2")],
    [LineInput("shower_chair", "1"), LineInput("raised_toilet", "1"), LineInput("emergency_call", "1")],
    [LineInput("threshold_removal", "2", "卧室、卫生间门槛"), LineInput("bed_rail", "1"), LineInput("care_bed", "1")],
    [LineInput("gas_alarm", "1"), LineInput("smoke_alarm", "2"), LineInput("walker", "1")],
]
HISTORY_LINES = [
    [("grab_bar", Decimal(2)), ("non_slip_mat", Decimal(2)), ("night_light", Decimal(2))],
    [("gas_alarm", Decimal(1)), ("smoke_alarm", Decimal(1)), ("emergency_call", Decimal(1))],
    [("shower_chair", Decimal(1)), ("raised_toilet", Decimal(1)), ("threshold_removal", Decimal(1))],
    [("bed_rail", Decimal(1)), ("walker", Decimal(1)), ("grab_bar", Decimal(3))],
]


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain PNG of one colour with a darker band (a "photo" for the demo), made with zlib."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    dark = bytes(c // 2 for c in rgb)
    rows = b"".join(b"\x00" + (dark if height // 3 <= y < height // 2 else bytes(rgb)) * width for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _photo(name: str, rgb) -> PhotoUpload:
    return PhotoUpload(name, png(48, 36, rgb))


def _actor(username: str, fallback: Actor, permission: str, path: str) -> Actor:
    user = user_by_username(username)
    actor = actor_for_user(user) if user is not None else None
    return actor if actor and actor.has_perm(permission) and actor.sees_path(path) else fallback


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    if ModificationApplication.objects.filter(path__startswith=city_path).exists():
        return
    today = timezone.localdate()
    city = dataclasses.replace(Actor.system("demo-mod", permissions=ALL, root_path=city_path), display_name="民政局")
    street = dataclasses.replace(
        Actor.system("demo-mod-street", permissions=ALL, root_path=showcase_path[:9]), display_name="街道社会事务办"
    )
    shown = _showcase(street, showcase_path, today)
    log(f"适老化改造申请（示范社区） home modifications in the showcase community: {shown}")
    done = _history(city, city_path, showcase_path, today)
    log(f"往年已完成适老化改造 earlier finished home modifications: {done}")


def _showcase(street: Actor, showcase_path: str, today: dt.date) -> int:
    """One application in each state, the oldest furthest along."""
    worker = _actor("demo_community_worker", street, CARE_MANAGE, showcase_path)
    officer = _actor("demo_street_officer", street, CARE_PAY, showcase_path)
    people = candidates(actor=street, today=today, under=showcase_path, limit=14)
    reserved = _family_households()
    apps = []
    for person in people:
        if len(apps) >= 9:
            break
        if person.household_ref in reserved:
            continue
        apps.append(application_apply(actor=worker, person_ref=person.public_id, from_candidates=True))
    # target states, in order: paid ×2, accepted, in works, confirmed, assessed, applied, refused, withdrawn
    targets = ["paid", "paid", "accepted", "in_works", "confirmed", "assessed", "applied", "refused", "withdrawn"]
    for n, (app, target) in enumerate(zip(apps, targets, strict=False)):
        _advance(app, target, n, worker=worker, officer=officer, today=today)
    return len(apps)


def _family_households() -> set[str]:
    """The households of the elders the demo resident cares for: left free, so that the resident
    can apply for them on the phone (the browser journey does)."""
    user = user_by_username("demo_resident")
    return {p.household_ref for p in my_refs(user.pk).values()} if user else set()


def _advance(app, target: str, n: int, *, worker: Actor, officer: Actor, today: dt.date) -> None:
    order = ["applied", "assessed", "confirmed", "in_works", "accepted", "paid"]
    if target == "refused":
        application_close(actor=worker, application=app, action="refuse", reason="入户核实：住房已由子女自行改造完毕")
        return
    if target == "withdrawn":
        app = application_assess(
            actor=worker, application=app, lines=PLANS[n % 4], photos=[_photo("b.png", (150, 140, 120))]
        )
        application_close(actor=worker, application=app, action="withdraw", reason="家属表示老人将随子女居住，暂不改造")
        return
    steps = order[1 : order.index(target) + 1]
    for step in steps:
        if step == "assessed":
            before = [_photo("卫生间.png", (170, 160, 140)), _photo("卧室.png", (140, 150, 170))]
            app = application_assess(actor=worker, application=app, lines=PLANS[n % 4], photos=before, note="入户评估")
        elif step == "confirmed":
            app = application_confirm(actor=worker, application=app, note="家属电话确认")
        elif step == "in_works":
            app = application_start(
                actor=worker,
                application=app,
                contractor_name=CONTRACTORS[n % 3],
                start=today,
                finish=today + dt.timedelta(days=7),
            )
        elif step == "accepted":
            lines = list(app.lines.all())
            after = {line.pk: [_photo("after.png", (120, 170, 130))] for line in lines}
            app = application_accept(actor=worker, application=app, data=AcceptInput(today, 5, after, {}, "验收合格"))
        elif step == "paid":
            app = application_pay(actor=officer, application=app, note="补贴已拨付至施工单位")


def _history(city: Actor, city_path: str, showcase_path: str, today: dt.date) -> int:
    """Elders in difficulty of the whole pool (not the showcase community's, kept for the live
    states), one per household, finished from 2023 to today, in bulk."""
    floor = today.replace(year=today.year - CANDIDATE_MIN_AGE, month=1, day=1)
    people = care_people_in_groups(actor=city, kinds=CANDIDATE_KINDS, born_on_or_before=floor, limit=HISTORY_MAX * 2)
    rng = random.Random(20231001)
    seen: set[str] = set()
    records = []
    first = dt.date(2023, 3, 1)
    span = (today - dt.timedelta(days=14) - first).days
    for person in people:
        if person.path.startswith(showcase_path) or not person.household_ref or person.household_ref in seen:
            continue
        seen.add(person.household_ref)
        paid_on = first + dt.timedelta(days=int(span * rng.random() ** 0.8))  # more in recent years
        records.append(DoneRecord(person, rng.choice(HISTORY_LINES), paid_on, rng.choice(CONTRACTORS)))
        if len(records) >= HISTORY_MAX:
            break
    return applications_record_done(actor=city, records=records)
