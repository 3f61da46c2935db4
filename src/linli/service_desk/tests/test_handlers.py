"""The registry of desk items handled by an app above the desk, with a fake handler: called inside
the desk's transaction on acceptance (a refusal there saves nothing), its link on the case page,
the desk's own review and decision hidden and refused, the decision taken through
`handled_case_decide` only by the handler that owns the item."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from linli.core.errors import DomainError, Msg, validation_failed
from linli.core.models import AuditEntry
from linli.service_desk.domain import CaseState
from linli.service_desk.handlers import (
    DeskHandler,
    HandledCase,
    HandlerLink,
    desk_handler_for,
    desk_handler_register,
    desk_handlers_replaced,
)
from linli.service_desk.models import ServiceCase
from linli.service_desk.selectors import case_actions, case_handling
from linli.service_desk.services import (
    IntakeInput,
    TransitionInput,
    case_intake,
    case_submit,
    case_transition,
    handled_case_decide,
    handled_case_withdraw,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)
DIBAO_COMPLETE = {"m1": "provided", "m3": "provided", "m4": "provided"}


class FakeApp:
    """Stands for welfare: records what the desk told it; refuses when told to."""

    def __init__(self, key="fake"):
        self.key = key
        self.accepted: list[HandledCase] = []
        self.withdrawn: list[tuple[HandledCase, str]] = []
        self.refuse = False

    def on_accept(self, actor, case: HandledCase) -> None:
        if self.refuse:
            raise validation_failed([])
        self.accepted.append(case)

    def on_withdraw(self, actor, case: HandledCase, note: str) -> None:
        self.withdrawn.append((case, note))

    def link_for(self, number: str):
        known = [c for c in self.accepted if c.number == number]
        return HandlerLink(url=f"/fake/{number}/", label=Msg("查看申请", "Open the application")) if known else None

    def handler(self, decides=True) -> DeskHandler:
        return DeskHandler(
            key=self.key,
            label=Msg("由假应用办理", "Handled in the fake app"),
            on_accept=self.on_accept,
            link_for=self.link_for,
            decides=decides,
            on_withdraw=self.on_withdraw,
        )


@pytest.fixture
def fake():
    app = FakeApp()
    with desk_handlers_replaced({"SQ001": app.handler()}):
        yield app


def _intake(desk, item="SQ001"):
    checklist = DIBAO_COMPLETE if item == "SQ001" else dict.fromkeys(("m2", "m3", "m4"), "provided")
    data = IntakeInput(item_code=item, channel="window", applicant_ref=desk["zhang"].public_id, checklist=checklist)
    return case_intake(actor=desk["actors"]["community_worker"], data=data)


@time_machine.travel(WEDNESDAY, tick=False)
def test_acceptance_at_the_window_calls_the_handler_with_the_case_and_the_page_links_to_it(desk, fake):
    case = _intake(desk)
    assert len(fake.accepted) == 1
    told = fake.accepted[0]
    assert told.number == case.number and told.public_id == str(case.public_id)
    assert told.item_code == "SQ001" and told.applicant_ref == str(desk["zhang"].public_id)
    assert told.applicant_name == "张建国" and "*" in told.applicant_id_masked
    assert told.home_path == desk["zhang"].path and told.accepted_path == "210102001002"
    assert told.channel == "window"
    handling = case_handling(case)
    assert handling is not None and handling.link is not None and handling.link.url == f"/fake/{case.number}/"


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_refusal_by_the_handler_refuses_the_acceptance_and_saves_nothing(desk, fake):
    fake.refuse = True
    before = ServiceCase.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError):
        _intake(desk)
    assert (ServiceCase.objects.count(), AuditEntry.objects.count()) == before


@time_machine.travel(WEDNESDAY, tick=False)
def test_acceptance_from_the_online_queue_calls_the_handler_too(desk, fake):
    resident = desk["actors"]["resident"]
    case = case_submit(actor=resident, data=IntakeInput(item_code="SQ001", channel="online"))
    assert fake.accepted == []  # submitted, not yet accepted
    case_transition(
        actor=desk["actors"]["community_worker"],
        case=case,
        action="accept",
        data=TransitionInput(checklist=DIBAO_COMPLETE),
    )
    assert [c.number for c in fake.accepted] == [case.number]


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_desk_hides_and_refuses_its_own_review_and_decision_of_a_handled_item(desk, fake):
    case = _intake(desk)
    officer = desk["actors"]["street_officer"]  # the deciding street, with DESK_DECIDE
    assert "start_review" not in case_actions(actor=officer, case=case)
    with pytest.raises(DomainError) as refused:
        case_transition(actor=officer, case=case, action="start_review")
    assert refused.value.status == 409 and "假应用" in refused.value.message.zh
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED and not case.events.filter(action="start_review").exists()


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_handler_that_does_not_decide_leaves_the_desk_steps(desk):
    app = FakeApp()
    with desk_handlers_replaced({"SQ001": app.handler(decides=False)}):
        case = _intake(desk)
        officer = desk["actors"]["street_officer"]
        assert "start_review" in case_actions(actor=officer, case=case)
        assert len(app.accepted) == 1


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_handler_decides_through_the_desk_service_with_its_officer_as_actor(desk, fake):
    case = _intake(desk)
    officer = desk["actors"]["civil_affairs_officer"]  # no desk permission at all
    decided = handled_case_decide(
        handler_key="fake", case_public_id=str(case.public_id), decision="approved", note="确认", actor=officer
    )
    assert decided.state == CaseState.DECIDED and decided.decision == "approved"
    assert [e.action for e in decided.events.order_by("at", "id")] == ["submit", "accept", "start_review", "decide"]
    assert decided.events.get(action="decide").actor_name == officer.shown_name
    assert AuditEntry.objects.filter(action="case.decide", object_id=case.number).count() == 1
    with pytest.raises(DomainError) as again:  # decided once
        handled_case_decide(
            handler_key="fake", case_public_id=str(case.public_id), decision="approved", note="", actor=officer
        )
    assert again.value.status == 409


@time_machine.travel(WEDNESDAY, tick=False)
def test_another_handler_or_an_unhandled_item_cannot_decide_through_the_service(desk, fake):
    case = _intake(desk)
    officer = desk["actors"]["civil_affairs_officer"]
    with pytest.raises(DomainError) as wrong:
        handled_case_decide(
            handler_key="other", case_public_id=str(case.public_id), decision="approved", note="", actor=officer
        )
    assert wrong.value.status == 403
    other = _intake(desk, item="SQ007")  # not handled
    with pytest.raises(DomainError):
        handled_case_decide(
            handler_key="fake", case_public_id=str(other.public_id), decision="approved", note="", actor=officer
        )
    with pytest.raises(DomainError) as missing:
        handled_case_decide(handler_key="fake", case_public_id="nonsense", decision="approved", note="", actor=officer)
    assert missing.value.status == 404
    case.refresh_from_db()
    other.refresh_from_db()
    assert case.state == other.state == CaseState.ACCEPTED


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_withdrawal_at_the_desk_tells_the_handler_and_one_in_the_handler_withdraws_the_case(desk, fake):
    case = _intake(desk)
    case_transition(
        actor=desk["actors"]["resident"], case=case, action="withdraw", data=TransitionInput(note="不再申请")
    )
    assert [(c.number, note) for c, note in fake.withdrawn] == [(case.number, "不再申请")]
    second = _intake(desk)
    withdrawn = handled_case_withdraw(
        handler_key="fake",
        case_public_id=str(second.public_id),
        note="申请人撤回",
        actor=desk["actors"]["community_worker"],
    )
    assert withdrawn is not None and withdrawn.state == CaseState.WITHDRAWN
    assert len(fake.withdrawn) == 1  # not called back for its own withdrawal


def test_registration_is_per_item_and_two_apps_cannot_take_one_item():
    first, second = FakeApp("first"), FakeApp("second")
    with desk_handlers_replaced({}):
        desk_handler_register(["SQ001", "SQ002"], first.handler())
        desk_handler_register(["SQ005"], second.handler())  # a second registration for other items
        desk_handler_register(["SQ001"], first.handler())  # again: harmless
        assert desk_handler_for("SQ001").key == "first" and desk_handler_for("SQ005").key == "second"
        assert desk_handler_for("SQ007") is None
        with pytest.raises(ImproperlyConfigured):
            desk_handler_register(["SQ002"], second.handler())
        assert desk_handler_for("SQ002").key == "first"


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_case_page_shows_the_handler_and_no_decision_form(desk, fake, client):
    case = _intake(desk)
    client.force_login(desk["users"]["street_officer"])
    page = client.get(f"/staff/desk/cases/{case.public_id}/").content.decode()
    assert 'id="case-handling"' in page and f"/fake/{case.number}/" in page
    assert f"/staff/desk/cases/{case.public_id}/step/start_review/" not in page
