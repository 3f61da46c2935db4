"""A city's dated change to a parameter: who may record it (role × scope), what is refused (each
problem names its field, nothing saved), the audit line, the confirmation of a past date, and the
selectors that hand the changes to the engine (cache refreshed when a row appears)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.testing import make_user
from linli.welfare.models import ParameterChange
from linli.welfare.rules.engine import ParameterMissing
from linli.welfare.rules.facts import Household, Income, Member
from linli.welfare.selectors.rules import (
    may_edit_rules,
    may_read_rules,
    parameter_history,
    parameter_table,
    rule_changes,
    rules_determine,
    rules_determine_many,
    rules_parameter,
)
from linli.welfare.services.rules import parameter_change_record

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
NEXT_YEAR = dt.date(2027, 1, 1)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def city_officer(tree):
    return actor_for_user(make_user("city_civil_affairs", Role.CIVIL_AFFAIRS_OFFICER, tree["210100000000"]))


def raise_standard(actor, **overrides) -> ParameterChange:
    fields = {
        "name": "dibao.standard.urban",
        "value": "900",
        "valid_from": NEXT_YEAR,
        "reason": "市政府调整城市低保标准",
        "document": "沈民发〔2026〕99号（演示）",
    } | overrides
    return parameter_change_record(actor=actor, **fields)


def problems(error: DomainError) -> dict[str, str]:
    return {f.field: f.message.zh for f in error.fields}


def test_the_city_officer_records_a_change_audited(clock, city_officer) -> None:
    row = raise_standard(city_officer)
    assert (row.name, row.value, row.valid_from) == ("dibao.standard.urban", Decimal("900"), NEXT_YEAR)
    assert row.recorded_by_name == "city_civil_affairs"
    entry = AuditEntry.objects.get(action="welfare.rules.change_recorded")
    assert entry.object_id == str(row.pk)
    assert entry.details["parameter"] == "dibao.standard.urban"
    assert entry.details["value"] == "¥900.00"
    assert entry.reason == "市政府调整城市低保标准"
    assert rules_parameter("dibao.standard.urban", NEXT_YEAR) == Decimal("900.00")
    assert rules_parameter("dibao.standard.urban", TODAY) == Decimal("820.00")


@pytest.mark.parametrize(
    ("who", "may_read"),
    [
        ("anonymous", False),
        ("resident", False),
        ("grid_worker", False),
        ("community_worker", True),
        ("other_community_worker", True),
        ("street_officer", True),
        ("civil_affairs_officer", True),  # district posting: reads, may not edit
        ("district_admin", False),
        ("city_admin", False),
    ],
)
def test_role_by_scope(clock, actors, who, may_read) -> None:
    actor = actors[who]
    assert may_read_rules(actor) is may_read
    assert may_edit_rules(actor) is False
    with pytest.raises(DomainError) as caught:
        raise_standard(actor)
    assert caught.value.code == "permission_denied"
    assert ParameterChange.objects.count() == 0
    assert not AuditEntry.objects.filter(action="welfare.rules.change_recorded").exists()
    if may_read:
        assert parameter_table(actor=actor, on=TODAY)
    else:
        with pytest.raises(DomainError):
            parameter_table(actor=actor, on=TODAY)


def test_city_officer_may_edit(clock, city_officer) -> None:
    assert may_edit_rules(city_officer) and may_read_rules(city_officer)


@pytest.mark.parametrize(
    ("overrides", "field", "zh"),
    [
        ({"name": "dibao.no_such"}, "name", "请选择一个已有的参数"),
        ({"value": "-1"}, "value", "数值不能为负数"),
        ({"value": "abc"}, "value", "请填写数值"),
        ({"value": "1.23456"}, "value", "数值最多保留四位小数"),
        ({"value": "0"}, "value", "数值应在 1 至 100000 之间"),
        ({"name": "tekun.basic_factor", "value": "1.2"}, "value", "特困基本生活标准不得低于低保标准的 1.3 倍"),
        ({"name": "notice.days", "value": "7.5"}, "value", "此参数应为整数"),
        ({"name": "dibao.single_person.enabled", "value": "2"}, "value", "数值应在 0 至 1 之间"),
        ({"valid_from": "not a date"}, "valid_from", "请填写生效日期"),
        ({"reason": "  "}, "reason", "请填写调整原因"),
        ({"document": "文" * 121}, "document", "文号不超过 120 字"),
        ({"valid_from": dt.date(2026, 7, 1)}, "confirm_past", "生效日期早于今天：已作出的认定不会重算，请确认后再保存"),
    ],
)
def test_refusals_name_the_field_and_save_nothing(clock, city_officer, overrides, field, zh) -> None:
    with pytest.raises(DomainError) as caught:
        raise_standard(city_officer, **overrides)
    assert caught.value.code == "validation_failed"
    assert problems(caught.value)[field] == zh
    assert all(f.message.en for f in caught.value.fields)
    assert ParameterChange.objects.count() == 0
    assert not AuditEntry.objects.filter(action="welfare.rules.change_recorded").exists()


def test_several_problems_at_once(clock, city_officer) -> None:
    with pytest.raises(DomainError) as caught:
        raise_standard(city_officer, value="-5", reason="", valid_from="")
    assert set(problems(caught.value)) == {"value", "reason", "valid_from"}


def test_a_past_date_is_saved_once_confirmed(clock, city_officer) -> None:
    row = raise_standard(city_officer, valid_from=dt.date(2026, 7, 1), confirm_past=True)
    assert row.valid_from == dt.date(2026, 7, 1)
    assert AuditEntry.objects.get(action="welfare.rules.change_recorded").details["past_date"] is True


def test_tekun_factor_accepts_exactly_1_3(clock, city_officer) -> None:
    row = raise_standard(city_officer, name="tekun.basic_factor", value="1.3")
    assert row.value == Decimal("1.3")


def test_rule_changes_refresh_when_a_row_appears(clock, city_officer, django_assert_num_queries) -> None:
    assert rule_changes() == ()
    with django_assert_num_queries(1):  # the freshness check only
        assert rule_changes() == ()
    raise_standard(city_officer)
    changes = rule_changes()
    assert [(c.name, c.value, c.valid_from) for c in changes] == [("dibao.standard.urban", Decimal("900"), NEXT_YEAR)]
    with django_assert_num_queries(1):
        assert rule_changes() == changes


def test_a_later_row_for_the_same_date_wins(clock, city_officer) -> None:
    raise_standard(city_officer, value="900")
    raise_standard(city_officer, value="880", reason="更正：文件数额为 880 元")
    assert rules_parameter("dibao.standard.urban", NEXT_YEAR) == Decimal("880.00")
    history = parameter_history(actor=city_officer, name="dibao.standard.urban", on=NEXT_YEAR)
    assert history[0].valid_from == NEXT_YEAR and history[0].shown_value == "¥880.00" and history[0].in_force
    assert history[0].change.reason == "更正：文件数额为 880 元"
    assert [h.change is None for h in history[1:]] == [True, True]  # the two shipped values


def test_the_table_shows_who_set_a_value(clock, city_officer) -> None:
    raise_standard(city_officer)
    rows = {r.row.name: r for r in parameter_table(actor=city_officer, on=NEXT_YEAR)}
    urban = rows["dibao.standard.urban"]
    assert urban.shown_value == "¥900.00" and urban.row.set_by_city and not urban.row.example
    assert urban.change.recorded_by_name == "city_civil_affairs"
    assert urban.change.document == "沈民发〔2026〕99号（演示）"
    assert rows["dibao.standard.rural"].row.example and rows["dibao.standard.rural"].change is None


def test_determinations_use_the_city_changes(clock, city_officer) -> None:
    earner = Member(ref="a", birth_date=dt.date(1986, 1, 1), incomes=(Income("wage", Decimal("500")),))
    household = Household(area="urban", members=(earner,))
    assert rules_determine(household, NEXT_YEAR).monthly_amount == Decimal("420.00")  # 820 − 400
    raise_standard(city_officer)
    assert rules_determine(household, NEXT_YEAR).monthly_amount == Decimal("500.00")  # 900 − 400
    assert [r.monthly_amount for r in rules_determine_many([household], NEXT_YEAR)] == [Decimal("500.00")]
    with pytest.raises(ParameterMissing):
        rules_determine(household, dt.date(2019, 6, 1))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_changes_recorded_at_once_are_all_kept(tree, clock) -> None:
    """Append-only: two officers setting the same parameter at the same moment both leave a row
    and an audit line; the value in force is the row recorded last (the higher id)."""
    from linli.core.memo import forget_all
    from linli.testing import run_at_once

    officer = actor_for_user(make_user("city_civil_affairs", Role.CIVIL_AFFAIRS_OFFICER, tree["210100000000"]))
    values = ["900", "910", "920", "930"]
    outcomes = run_at_once(len(values), lambda i: raise_standard(officer, value=values[i]))
    assert outcomes == ["ok"] * len(values)
    assert ParameterChange.objects.count() == len(values)
    assert AuditEntry.objects.filter(action="welfare.rules.change_recorded").count() == len(values)
    forget_all()
    last = ParameterChange.objects.order_by("-id").first()
    assert rules_parameter("dibao.standard.urban", NEXT_YEAR) == last.value.quantize(Decimal("0.01"))


def test_workbench_counts_for_the_city_officer(clock, actors, city_officer) -> None:
    from linli.welfare.selectors.rules import welfare_rules_today

    before = welfare_rules_today(actor=city_officer)
    assert before["changes_upcoming"] == 0 and before["example_values"] > 40
    raise_standard(city_officer)
    after = welfare_rules_today(actor=city_officer)
    assert after == {"example_values": before["example_values"], "changes_upcoming": 1}
    assert welfare_rules_today(actor=actors["civil_affairs_officer"]) is None
    assert welfare_rules_today(actor=actors["community_worker"]) is None
