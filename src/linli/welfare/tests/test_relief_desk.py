"""The desk's temporary-assistance item (SQ005) through relief's handler: accepting the case at the
window opens a record atomically, the community records the hardship, the street reviews, the
district's grant decides the desk case; a withdrawal at the desk withdraws the record."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from linli.core.errors import DomainError
from linli.service_desk.handlers import desk_handlers_replaced
from linli.service_desk.selectors import case_handling
from linli.service_desk.services import IntakeInput, TransitionInput, case_intake, case_transition
from linli.service_desk.tests.conftest import desk  # noqa: F401 (the desk's fixture)
from linli.welfare.desk_relief import relief_handler
from linli.welfare.models import TemporaryAssistance
from linli.welfare.services.relief import TempInput, temporary_act, temporary_describe

pytestmark = pytest.mark.django_db
WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def relief():
    with desk_handlers_replaced({"SQ005": relief_handler()}):
        yield


def _accept(desk):  # noqa: F811
    checklist = {"m1": "provided", "m2": "provided", "m3": "provided"}
    data = IntakeInput(item_code="SQ005", channel="window", applicant_ref=desk["zhang"].public_id, checklist=checklist)
    return case_intake(actor=desk["actors"]["community_worker"], data=data)


@time_machine.travel(WEDNESDAY, tick=False)
def test_window_to_grant_decides_the_desk_case(desk, relief):  # noqa: F811
    case = _accept(desk)
    item = TemporaryAssistance.objects.get(desk_case_number=case.number)
    assert item.state == "recorded" and item.person_name == "张建国" and item.amount_asked == 0
    handling = case_handling(case)
    assert handling is not None and handling.link is not None and item.number in handling.link.label.zh
    actors = desk["actors"]
    # the street cannot review before the community recorded the hardship
    with pytest.raises(DomainError) as refused:
        temporary_act(actor=actors["street_officer"], assistance=item, action="pass")
    assert refused.value.message.zh == "社区还没有填写困难情况和申请金额，不能审核"
    item = temporary_describe(
        actor=actors["community_worker"],
        assistance=item,
        data=TempInput(event="illness", event_on=WEDNESDAY.date(), amount_asked="1500", facts="老伴住院，自付较多"),
    )
    temporary_act(actor=actors["street_officer"], assistance=item, action="pass")
    temporary_act(actor=actors["civil_affairs_officer"], assistance=item, action="grant", amount="1200")
    case.refresh_from_db()
    assert case.state == "decided" and case.decision == "approved"


@time_machine.travel(WEDNESDAY, tick=False)
def test_withdrawal_at_the_desk_withdraws_the_record(desk, relief):  # noqa: F811
    case = _accept(desk)
    case_transition(
        actor=desk["actors"]["community_worker"], case=case, action="withdraw", data=TransitionInput(note="申请人撤回")
    )
    assert TemporaryAssistance.objects.get(desk_case_number=case.number).state == "withdrawn"


def test_the_shipped_setting_routes_sq005_here():
    from django.conf import settings

    from linli.service_desk.handlers import desk_handler_for
    from linli.welfare.desk_relief import relief_desk_items

    assert settings.LINLI_WELFARE_DESK_ITEMS.get("SQ005") == "temporary"
    assert relief_desk_items() == ["SQ005"]
    handler = desk_handler_for("SQ005")
    assert handler is not None and handler.key == "welfare_temporary" and handler.decides
