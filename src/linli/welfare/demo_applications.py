"""Social assistance demo: applications. Idempotent (a second run adds nothing), through the
services: in the showcase community a few households apply for 低保/特困 at the window (the desk's
items) and stand at each step — recording, the economic check, the home survey, the street's
review, the public notice running, the notice ended and waiting for the county, and one approved
(its determination notice prints). A notice that has already ended is one the street recorded
after posting it on the board eight days ago (补录 with its date), not a moved clock."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone

from linli.accounts.domain import DESK_ACCEPT, WELFARE_DECIDE, WELFARE_INTAKE, WELFARE_REVIEW
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.residents.selectors import applicant_sample, welfare_household_people, welfare_person
from linli.service_desk.services import IntakeInput, case_intake
from linli.welfare.models import Application, Recipient
from linli.welfare.services.applications import (
    FactsInput,
    IncomeInput,
    MemberInput,
    application_approve,
    application_check_record,
    application_record,
    application_request_check,
    application_street_pass,
    application_survey_record,
)

# how far each demo application goes: recording, checking, surveying, street_review, notice,
# notice_ended (waiting for the county), approved
STAGES = ("recording", "checking", "surveying", "street_review", "notice", "notice_ended", "approved", "notice")
ALL_MATERIALS = {"letter": True, "identity": True, "authorisation": True, "declaration": True}
DIBAO_CHECKLIST = {"m1": "provided", "m3": "provided", "m4": "provided"}


def _actor(username: str, fallback: Actor) -> Actor:
    user = user_by_username(username)
    return actor_for_user(user) if user is not None else fallback


def _facts(people, today: dt.date, n: int) -> FactsInput:
    """Plausible low incomes: the first adult of working age earns a little; one member is ill."""
    members = []
    earner_found = False
    for index, person in enumerate(people[:4]):
        age = today.year - person.birth_date.year
        incomes = []
        if 18 <= age < 60 and not earner_found:
            incomes = [IncomeInput("wage", str(300 + 120 * (n % 4)))]
            earner_found = True
        elif age >= 60:
            incomes = [IncomeInput("transfer", str(200 + 50 * (n % 3)))]
        members.append(
            MemberInput(
                ref=person.public_id,
                name=person.name,
                birth_date=None,
                serious_illness=index == 1,
                able_to_work=index != 1,
                employed=bool(incomes) and incomes[0].source == "wage",
                incomes=incomes,
            )
        )
    return FactsInput(
        area="urban",
        members=members,
        deposits=str(1000 + 800 * n),
        medical_costs=str(150 + 50 * n),
        materials=dict(ALL_MATERIALS),
    )


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    if Application.objects.filter(path__startswith=showcase_path).exists():
        return
    today = timezone.localdate()
    permissions = frozenset({DESK_ACCEPT, WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE})

    def fallback(path: str, name: str) -> Actor:
        actor = Actor.system("demo-applications", permissions=permissions, root_path=path)
        return dataclasses.replace(actor, display_name=name)

    office = fallback(showcase_path[:6], "民政局")
    worker = _actor("demo_community_worker", fallback(showcase_path, "社区工作站"))
    street = _actor("demo_street_officer", fallback(showcase_path[:9], "街道社会事务办"))
    county = _actor("demo_civil_affairs_officer", office)
    on_roll = set(Recipient.objects.values_list("household_ref", flat=True))
    made, seen = 0, set()
    for card in applicant_sample(n=60, seed=20261215, focus_path=showcase_path, focus_share=1.0):
        if made >= len(STAGES):
            break
        if not card.home_path.startswith(showcase_path):
            continue
        person = welfare_person(actor=office, public_id=card.public_id)
        if person is None or not person.household_ref or person.household_ref in seen:
            continue
        if any(str(ref) == person.household_ref for ref in on_roll):
            continue
        people = welfare_household_people(actor=office, household_ref=person.household_ref)
        if not people or len(people) > 4:
            continue
        seen.add(person.household_ref)
        try:
            _one(worker, street, county, card, people, STAGES[made], today, made)
        except DomainError as error:
            log(f"  救助申请演示跳过 skipped one application: {error.message.zh}")
            continue
        made += 1
    log(f"救助申请 assistance applications: {made}")


def _one(worker, street, county, card, people, stage: str, today: dt.date, n: int) -> None:
    data = IntakeInput(item_code="SQ001", channel="window", applicant_ref=card.public_id, checklist=DIBAO_CHECKLIST)
    case = case_intake(actor=worker, data=data)
    app = Application.objects.get(desk_case_number=case.number)
    app = application_record(actor=worker, application=app, data=_facts(people, today, n))
    if stage == "recording":
        return
    app = application_request_check(actor=worker, application=app)
    if stage == "checking":
        return
    app = application_check_record(actor=worker, application=app, result="consistent")
    if stage == "surveying":
        return
    ended = stage in ("notice_ended", "approved")
    surveyed = today - dt.timedelta(days=10 if ended else 1)
    app = application_survey_record(
        actor=worker,
        application=app,
        surveyed_on=surveyed,
        second_worker="刘晓梅",
        conditions=["housing_poor", "no_valuables", "members_confirmed", "income_plausible"],
        findings="住房面积较小，家具陈旧；家庭成员与申报一致，收入主要靠零工。",
    )
    if stage == "street_review":
        return
    posted = today - dt.timedelta(days=8) if ended else today
    app = application_street_pass(actor=street, application=app, opinion="情况属实，同意公示", notice_from=posted)
    if stage == "approved":
        application_approve(actor=county, application=app, note="公示无异议，符合条件")
