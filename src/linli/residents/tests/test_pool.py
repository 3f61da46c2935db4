"""The resident pool's services and selectors: registering, moves, care groups, visits,
reveals, field sets, search, rates and key rotation."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from linli.core.crypto import sealed_key_id, unseal
from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.residents.domain import id_number_make
from linli.residents.models import CareMembership, Consent, HomeVisit, Household, ResidenceChange, Resident
from linli.residents.selectors import (
    care_list,
    pool_rates,
    resident_card,
    resident_search,
    visit_plan,
)
from linli.residents.services import (
    ResidentInput,
    care_membership_add,
    care_membership_determined,
    care_membership_end,
    data_key_rotate,
    home_visit_record,
    household_register,
    resident_add,
    resident_move,
    resident_reveal,
)

SHUIYUANDI_BUILDING = "210102001002001001"
HUNHEWAN_BUILDING = "210102001003001001"
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.get_default_timezone())


def person(name="王建国", birth=date(1950, 3, 8), gender="male", seq=11, **extra) -> ResidentInput:
    return ResidentInput(
        name=name, gender=gender, birth_date=birth, id_number=id_number_make("210102", birth, seq, gender), **extra
    )


@pytest.fixture
def home(actors):
    worker = actors["community_worker"]
    household = household_register(
        actor=worker, building_code=SHUIYUANDI_BUILDING, room="1-101", residence_type="registered"
    )
    head = resident_add(actor=worker, household=household, data=person(phone="13812345678", notes="独居，患有高血压"))
    return household, head


def test_register_and_add_seal_mask_and_record_the_move_in(home):
    household, head = home
    household.refresh_from_db()
    assert household.head_id == head.pk
    assert head.id_number_masked.startswith("210102") and "*" in head.id_number_masked
    assert head.phone_masked == "138****5678"
    assert unseal(head.notes_sealed, context="resident.notes") == "独居，患有高血压"
    assert ResidenceChange.objects.get(resident=head).kind == "move_in"


def test_outside_scope_is_not_found_and_without_right_is_denied(actors):
    with pytest.raises(DomainError) as outside:
        household_register(
            actor=actors["other_community_worker"],
            building_code=SHUIYUANDI_BUILDING,
            room="1-102",
            residence_type="registered",
        )
    assert outside.value.status == 404
    with pytest.raises(DomainError) as denied:
        household_register(
            actor=actors["street_officer"], building_code=SHUIYUANDI_BUILDING, room="1-102", residence_type="registered"
        )
    assert denied.value.status == 403
    assert not Household.objects.exists()


def test_bad_person_names_every_field(home, actors):
    household, _ = home
    bad = ResidentInput(
        name="", gender="x", birth_date=date(1990, 1, 1), id_number="210102199001011235", phone="12ab", disability="2"
    )
    with pytest.raises(DomainError) as caught:
        resident_add(actor=actors["community_worker"], household=household, data=bad)
    fields = {f.field for f in caught.value.fields}
    assert fields == {"name", "gender", "id_number", "phone", "sensitive_consent"}
    assert Resident.objects.count() == 1


def test_id_must_agree_with_birth_date_and_gender(home, actors):
    household, _ = home
    data = person(name="李秀英", birth=date(1960, 1, 1), gender="female", seq=20)
    data.birth_date = date(1960, 1, 2)
    with pytest.raises(DomainError) as caught:
        resident_add(actor=actors["community_worker"], household=household, data=data)
    assert caught.value.fields[0].message.en == "birth date does not match the ID number"


def test_one_active_record_per_id_number(home, actors):
    household, _ = home
    with pytest.raises(DomainError) as caught:
        resident_add(actor=actors["community_worker"], household=household, data=person())
    assert caught.value.fields[0].field == "id_number"
    assert Resident.objects.count() == 1


def test_disability_needs_consent_and_records_it(home, actors):
    household, _ = home
    data = person(
        name="张丽", birth=date(1980, 5, 1), gender="female", seq=30, disability="2", sensitive_consent="written"
    )
    resident = resident_add(actor=actors["community_worker"], household=household, data=data)
    assert Consent.objects.get(resident=resident).scope == "disability"


def test_moves_keep_the_history_and_the_head(home, actors):
    household, head = home
    worker = actors["community_worker"]
    resident_move(actor=worker, resident=head, kind="move_out", on=date(2026, 10, 1), reason="迁往大连")
    head.refresh_from_db()
    household.refresh_from_db()
    assert (head.status, head.household_id, household.head_id) == ("moved_out", None, None)
    with pytest.raises(DomainError):
        resident_move(actor=worker, resident=head, kind="death", on=date(2026, 10, 2), reason="死亡证明 123")
    other = household_register(
        actor=worker, building_code=SHUIYUANDI_BUILDING, room="2-201", residence_type="permanent"
    )
    resident_move(actor=worker, resident=head, kind="move_in", on=date(2026, 11, 1), to_household=other)
    head.refresh_from_db()
    assert head.status == "active" and head.household_id == other.pk
    assert list(ResidenceChange.objects.filter(resident=head).order_by("pk").values_list("kind", flat=True)) == [
        "move_in",
        "move_out",
        "move_in",
    ]


def test_care_groups_and_consent_for_disability(home, actors):
    _, head = home
    worker = actors["community_worker"]
    care_membership_add(actor=worker, resident=head, kind="elderly_alone", started_on=date(2026, 1, 1))
    with pytest.raises(DomainError):
        care_membership_add(actor=worker, resident=head, kind="elderly_alone", started_on=date(2026, 2, 1))
    with pytest.raises(DomainError) as no_consent:
        care_membership_add(actor=worker, resident=head, kind="disabled", started_on=date(2026, 1, 1))
    assert no_consent.value.fields[0].field == "consent_method"
    care_membership_add(
        actor=worker, resident=head, kind="disabled", started_on=date(2026, 1, 1), consent_method="written"
    )
    assert care_membership_end(actor=worker, resident=head, kind="elderly_alone", ended_on=date(2026, 6, 1)) == 1


def test_dibao_and_tekun_groups_are_refused_by_hand_and_follow_determinations(home, actors):
    _, head = home
    worker = actors["community_worker"]
    for kind in ("dibao", "tekun"):
        with pytest.raises(DomainError) as by_hand:
            care_membership_add(actor=worker, resident=head, kind=kind, started_on=date(2026, 1, 1))
        assert by_hand.value.fields[0].field == "kind" and "社会救助" in by_hand.value.fields[0].message.zh
        with pytest.raises(DomainError):
            care_membership_end(actor=worker, resident=head, kind=kind, ended_on=date(2026, 1, 1))
    assert not CareMembership.objects.filter(resident=head).exists()
    # welfare's determination, by an officer who decides assistance: set, again (no duplicate), end
    officer = actors["civil_affairs_officer"]
    refs = [str(head.public_id), "outside-1"]
    assert (
        care_membership_determined(actor=officer, resident_refs=refs, kind="dibao", on=date(2026, 2, 1), member=True)
        == 1
    )
    assert (
        care_membership_determined(actor=officer, resident_refs=refs, kind="dibao", on=date(2026, 3, 1), member=True)
        == 0
    )
    assert list(CareMembership.objects.filter(resident=head).values_list("kind", "ended_on")) == [("dibao", None)]
    with pytest.raises(DomainError):  # not a determined group
        care_membership_add(actor=officer, resident=head, kind="veteran", started_on=date(2026, 1, 1), determined=True)
    with pytest.raises(DomainError):  # nor ended by hand
        care_membership_end(actor=worker, resident=head, kind="dibao", ended_on=date(2026, 4, 1))
    assert (
        care_membership_determined(actor=officer, resident_refs=refs, kind="dibao", on=date(2026, 5, 1), member=False)
        == 1
    )
    assert CareMembership.objects.filter(resident=head).get(kind="dibao").ended_on == date(2026, 5, 1)


def test_reveal_is_audited_with_its_reason(home, actors):
    _, head = home
    phone = resident_reveal(
        actor=actors["community_worker"], resident=head, field_name="phone", reason="通知领取高龄补贴"
    )
    assert phone == "13812345678"
    entry = AuditEntry.objects.get(action="resident.reveal")
    assert (entry.reason, entry.details, entry.object_id) == (
        "通知领取高龄补贴",
        {"field": "phone"},
        str(head.public_id),
    )
    assert "13812345678" not in repr(list(AuditEntry.objects.values()))


@pytest.mark.parametrize(
    ("who", "field_name", "status"),
    [
        ("community_worker", "phone", 422),  # no reason
        ("department_officer", "notes", 403),
        ("department_officer", "phone", 403),
        ("other_community_worker", "phone", 404),
        ("district_admin", "id_number", 403),
    ],
)
def test_reveal_refusals(home, actors, who, field_name, status):
    _, head = home
    reason = "" if status == 422 else "核实"
    with pytest.raises(DomainError) as caught:
        resident_reveal(actor=actors[who], resident=head, field_name=field_name, reason=reason)
    assert caught.value.status == status
    assert not AuditEntry.objects.filter(action="resident.reveal").exists()


def test_field_sets_follow_minimum_necessity(home, actors):
    _, head = home
    worker = resident_card(actor=actors["community_worker"], resident=head).fields
    department = resident_card(actor=actors["department_officer"], resident=head).fields
    district = resident_card(actor=actors["district_admin"], resident=head).fields
    assert worker["phone"] == "138****5678" and worker["notes"]
    assert "notes" not in department and "phone" not in department and "care_groups" in department
    assert "id_number" not in district and "birth_date" not in district


def test_search_by_id_phone_name_and_only_in_scope(home, actors):
    _, head = home
    id_number = unseal(head.id_number_sealed, context="resident.id_number")
    worker = actors["community_worker"]
    assert list(resident_search(actor=worker, q=id_number)) == [head]
    assert list(resident_search(actor=worker, q=id_number.lower())) == [head]
    assert list(resident_search(actor=worker, q="138-1234-5678")) == [head]
    assert list(resident_search(actor=worker, q="建国")) == [head]
    assert list(resident_search(actor=actors["other_community_worker"], q=id_number)) == []
    assert list(resident_search(actor=actors["resident"], q="建国")) == []


@time_machine.travel(NOW, tick=False)
def test_care_list_plan_and_rates(home, actors):
    household, head = home
    worker = actors["community_worker"]
    care_membership_add(actor=worker, resident=head, kind="elderly_alone", started_on=date(2026, 1, 1))
    second = household_register(
        actor=worker, building_code=SHUIYUANDI_BUILDING, room="3-301", residence_type="registered"
    )
    resident_add(
        actor=worker, household=second, data=person(name="赵敏", birth=date(1990, 6, 1), gender="female", seq=40)
    )
    # never visited: the elderly resident is overdue and both households are unknown
    rows = care_list(actor=worker)
    assert [(r.resident.name, r.overdue, r.interval_days) for r in rows] == [("王建国", True, 7)]
    rates = pool_rates(actor=worker, path="210102001002")
    assert (rates.households, rates.residents, rates.households_visited, rates.care_residents, rates.care_visited) == (
        2,
        2,
        0,
        1,
        0,
    )
    assert rates.electronic_record_rate == 1.0
    plan = visit_plan(actor=worker)
    assert [(i.reason, i.household.room) for i in plan] == [("care", "1-101"), ("awareness", "3-301")]
    # a visit 3 days ago: the elderly resident is covered for a week, one household of two is known
    home_visit_record(actor=worker, household=household, visited_at=NOW - timedelta(days=3), findings="身体尚好")
    rates = pool_rates(actor=worker, path="210102001002")
    assert (rates.households_visited, rates.care_visited) == (1, 1)
    assert rates.awareness_rate == 0.5 and rates.care_awareness_rate == 1.0
    assert care_list(actor=worker, overdue_only=True) == []
    with time_machine.travel(NOW + timedelta(days=5), tick=False):
        assert care_list(actor=worker, overdue_only=True)[0].resident == head
        assert pool_rates(actor=worker, path="210102001002").care_visited == 0


def test_rates_need_scope(home, actors):
    with pytest.raises(DomainError) as caught:
        pool_rates(actor=actors["other_community_worker"], path="210102001002")
    assert caught.value.status == 404


def test_visit_in_the_future_is_refused(home, actors):
    household, _ = home
    with pytest.raises(DomainError) as caught:
        home_visit_record(
            actor=actors["community_worker"], household=household, visited_at=timezone.now() + timedelta(days=1)
        )
    assert caught.value.fields[0].field == "visited_at"
    assert not HomeVisit.objects.exists()


def test_key_rotation_reseals_everything_and_keeps_values(home, actors, settings):
    household, head = home
    home_visit_record(actor=actors["community_worker"], household=household, findings="需要助餐")
    new_key = b"n" * 32
    with override_settings(LINLI_DATA_KEYS={**settings.LINLI_DATA_KEYS, 2: new_key}, LINLI_DATA_KEY_ID=2):
        assert data_key_rotate(batch_size=1) == 2
        head.refresh_from_db()
        assert {sealed_key_id(head.id_number_sealed), sealed_key_id(head.phone_sealed)} == {2}
        assert unseal(head.phone_sealed, context="resident.phone") == "13812345678"
        visit = HomeVisit.objects.get()
        assert unseal(visit.findings_sealed, context="visit.findings") == "需要助餐"
        assert data_key_rotate() == 0  # nothing left to do
    with override_settings(LINLI_DATA_KEYS={2: new_key}, LINLI_DATA_KEY_ID=2):
        assert unseal(head.notes_sealed, context="resident.notes") == "独居，患有高血压"


def test_no_plaintext_identity_notes_or_findings_in_the_database(home, actors):
    household, head = home
    home_visit_record(actor=actors["community_worker"], household=household, findings="需要上门理发服务")
    id_number = unseal(head.id_number_sealed, context="resident.id_number")
    dump = []
    with connection.cursor() as cursor:
        for table in (
            "residents_resident",
            "residents_homevisit",
            "residents_household",
            "core_auditentry",
            "residents_residencechange",
        ):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed table names)
            dump.append(repr(cursor.fetchall()))
    text = "".join(dump)
    for secret in (id_number, "13812345678", "独居，患有高血压", "需要上门理发服务"):
        assert secret not in text


def test_rotate_command_reports_and_audits(home, settings, capsys):
    from django.core.management import call_command

    with override_settings(LINLI_DATA_KEYS={**settings.LINLI_DATA_KEYS, 3: b"t" * 32}, LINLI_DATA_KEY_ID=3):
        call_command("rotate_data_key", "--batch-size", "10")
    assert "re-sealed 1 rows" in capsys.readouterr().out
    assert AuditEntry.objects.get(action="data_key.rotate").details == {"key_id": 3, "resealed": 1}


@time_machine.travel(NOW, tick=False)
def test_street_and_city_rates_come_from_stored_figures(home, actors):
    from linli.residents.models import CommunityPoolStats
    from linli.residents.services import pool_stats_refresh

    household, head = home
    worker, city = actors["community_worker"], actors["city_admin"]
    care_membership_add(actor=worker, resident=head, kind="elderly_alone", started_on=date(2026, 1, 1))
    home_visit_record(actor=worker, household=household, visited_at=NOW - timedelta(days=1))
    live = pool_rates(actor=city, path="2101")
    assert live.as_of is None and (live.households, live.households_visited, live.care_visited) == (1, 1, 1)
    assert pool_stats_refresh() == "pool figures for 1 communities"
    stored = pool_rates(actor=city, path="2101")
    assert stored.as_of == NOW
    assert (
        stored.households,
        stored.residents,
        stored.households_visited,
        stored.care_residents,
        stored.care_visited,
    ) == (1, 1, 1, 1, 1)
    # a new visit shows at once in the community, and in the city after the next refresh
    second = household_register(
        actor=worker, building_code=SHUIYUANDI_BUILDING, room="9-901", residence_type="floating"
    )
    resident_add(actor=worker, household=second, data=person(name="周涛", birth=date(1985, 2, 2), seq=50))
    assert pool_rates(actor=worker, path="210102001002").households == 2
    assert pool_rates(actor=city, path="210102").households == 1
    assert pool_stats_refresh().startswith("pool figures are fresh")  # younger than LINLI_POOL_STATS_MINUTES
    with time_machine.travel(NOW + timedelta(minutes=6), tick=False):
        pool_stats_refresh()
        assert pool_rates(actor=city, path="210102").households == 2
    assert CommunityPoolStats.objects.count() == 1


def test_a_room_is_registered_once(home, actors):
    with pytest.raises(DomainError) as caught:
        household_register(
            actor=actors["community_worker"],
            building_code=SHUIYUANDI_BUILDING,
            room="1-101",
            residence_type="registered",
        )
    assert caught.value.status == 409
    assert Household.objects.filter(room="1-101").count() == 1
