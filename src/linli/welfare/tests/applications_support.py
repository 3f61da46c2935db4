"""Fixtures and helpers of the applications' tests (imported by `test_applications_*.py`): the
desk's catalogue, a household of two in the community worker's community (张建国, who earns a
little, and 李桂兰, ill), an application taken at the window for 低保 (SQ001) and the steps up to
the notice, on a working Monday."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from linli.accounts.domain import CATALOGUE_EDIT
from linli.core.actor import Actor
from linli.residents.domain import id_number_make
from linli.residents.services import ResidentInput, household_register, resident_add
from linli.service_desk.management.commands.import_catalogue import SHIPPED
from linli.service_desk.services import IntakeInput, case_intake, catalogue_import
from linli.welfare.models import Application
from linli.welfare.services.applications import (
    FactsInput,
    IncomeInput,
    MemberInput,
    application_check_record,
    application_record,
    application_request_check,
    application_street_pass,
    application_survey_record,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
TODAY = MONDAY.date()
AFTER_NOTICE = dt.datetime(2026, 12, 14, 10, 0, tzinfo=SHANGHAI)  # the notice ran 12-07 … 12-13
BUILDING = "210102001002001001"
OTHER_BUILDING = "210102001002001001"  # the same building, another flat
DIBAO_COMPLETE = {"m1": "provided", "m3": "provided", "m4": "provided"}
ALL_MATERIALS = {"letter": True, "identity": True, "authorisation": True, "declaration": True}
ZHANG_ID = id_number_make("210102", dt.date(1975, 3, 4), 11, "male")


def _pool_person(household, name, birth, seq, gender, **extra):
    pool = Actor.system("welfare-tests", permissions=frozenset({"residents.edit"}), root_path="2101")
    data = ResidentInput(
        name=name,
        gender=gender,
        birth_date=birth,
        id_number=id_number_make("210102", birth, seq, gender),
        phone="13812345678",
        **extra,
    )
    household.refresh_from_db()
    return resident_add(actor=pool, household=household, data=data)


def make_family() -> dict:
    """(Needs the `tree` fixture.) The catalogue, 张建国 (head) and 李桂兰 in one household;
    王强 alone in the next flat."""
    admin = Actor.system("tests", permissions=frozenset({CATALOGUE_EDIT}))
    catalogue_import(actor=admin, text=SHIPPED.read_text(encoding="utf-8"))
    pool = Actor.system("welfare-tests", permissions=frozenset({"residents.edit"}), root_path="2101")
    home = household_register(actor=pool, building_code=BUILDING, room="1-101", residence_type="registered")
    zhang = _pool_person(home, "张建国", dt.date(1975, 3, 4), 11, "male")
    li = _pool_person(home, "李桂兰", dt.date(1966, 8, 9), 22, "female", relation="spouse")
    next_door = household_register(actor=pool, building_code=OTHER_BUILDING, room="2-201", residence_type="registered")
    wang = _pool_person(next_door, "王强", dt.date(1970, 1, 5), 33, "male")
    return {"home": home, "zhang": zhang, "li": li, "next_door": next_door, "wang": wang}


def take_at_window(actor, resident, item="SQ001"):
    """The desk accepts the item at the window; the application opens in the same transaction."""
    data = IntakeInput(item_code=item, channel="window", applicant_ref=resident.public_id, checklist=DIBAO_COMPLETE)
    case = case_intake(actor=actor, data=data)
    return case, Application.objects.get(desk_case_number=case.number)


def facts_input(family, *, zhang_wage="500", li_pension="", medical="300", deposits="2000") -> FactsInput:
    zhang_incomes = [IncomeInput("wage", zhang_wage)] if zhang_wage else []
    li_incomes = [IncomeInput("transfer", li_pension)] if li_pension else []
    return FactsInput(
        area="urban",
        members=[
            MemberInput(ref=str(family["zhang"].public_id), name="张建国", birth_date=None, incomes=zhang_incomes),
            MemberInput(
                ref=str(family["li"].public_id),
                name="李桂兰",
                birth_date=None,
                serious_illness=True,
                able_to_work=False,
                incomes=li_incomes,
            ),
        ],
        deposits=deposits,
        medical_costs=medical,
        materials=dict(ALL_MATERIALS),
    )


def to_notice(actors, family, taken=None):
    """Window → facts → check → survey → street pass: the application in its notice."""
    worker = actors["community_worker"]
    case, app = taken or take_at_window(worker, family["zhang"])
    app = application_record(actor=worker, application=app, data=facts_input(family))
    app = application_request_check(actor=worker, application=app)
    app = application_check_record(actor=worker, application=app, result="consistent")
    app = application_survey_record(
        actor=worker,
        application=app,
        surveyed_on=TODAY,
        second_worker="刘社工",
        conditions=["housing_poor", "illness_seen"],
        findings="住房简陋，李桂兰长期卧床",
    )
    app = application_street_pass(actor=actors["street_officer"], application=app, opinion="情况属实")
    return case, app
