"""The desk's rules without a database: limits read from the reference catalogue, materials,
the transition table, case numbers. (Working days: linli/workdays/tests/test_domain.py.)"""

from datetime import date

import pytest

from linli.service_desk.domain import (
    TRANSITIONS,
    CaseState,
    actions_from,
    case_number,
    materials_from_text,
    parse_time_limit,
)


@pytest.mark.parametrize(
    ("text", "days", "verified"),
    [
        ("30工作日 (+15)", 30, True),
        ("≤20工作日 (unverified)", 20, False),
        ("即办 (unverified)", 0, False),
        ("即办 (跨省通办 全程网办)", 0, True),
        ("例: 受理1+审核9+审批5 = 15工作日 (某县); 急难型先行救助", 15, True),
        ("15日内制作发放（重点地区可延至30日）(unverified)", 15, False),
    ],
)
def test_reference_time_limits_are_read(text, days, verified):
    limit = parse_time_limit(text)
    assert (limit.days, limit.verified) == (days, verified)


@pytest.mark.parametrize("text", ["", "unverified", "see case_workflow_stages.csv"])
def test_unreadable_limits_give_none(text):
    assert parse_time_limit(text) is None


def test_materials_are_split_and_classified():
    materials = materials_from_text("申请书；身份证、户口簿；残疾/疾病/在学等证明（按需）；近期1寸照片")
    assert [m.name for m in materials] == ["申请书", "身份证、户口簿", "残疾/疾病/在学等证明", "近期1寸照片"]
    application, identity, proof, photo = materials
    assert application.required and not application.deferrable and not application.pool_held
    assert identity.pool_held and not identity.deferrable
    assert not proof.required and proof.deferrable and not proof.pool_held
    assert photo.deferrable and photo.required
    assert [m.key for m in materials] == ["m1", "m2", "m3", "m4"]


def test_every_state_is_reachable_and_terminal_states_have_no_exit():
    targets = {t.target for t in TRANSITIONS.values()} | {CaseState.SUBMITTED}
    assert targets == set(CaseState.values)
    for terminal in (CaseState.REFUSED, CaseState.RATED, CaseState.WITHDRAWN):
        assert actions_from(terminal) == []
    assert actions_from(CaseState.IN_REVIEW) == ["request_supplement", "decide", "withdraw"]


def test_case_numbers_are_readable():
    assert case_number("210102", date(2026, 11, 25), 17) == "210102-20261125-00017"
