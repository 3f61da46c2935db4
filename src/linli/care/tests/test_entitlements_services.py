"""Entitlements' writes: the list's versions (draft, edit, publish, never edit a published one),
assessments (scored, sealed, superseding, the reveal audited) — and the reads others build on
(`list_in_force`, `items_in_force`, `level_of`, `person_facts`, `entitlement_check`)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from linli.care.models import CareAssessment, ServiceItem, ServiceList
from linli.care.selectors.entitlements import (
    assessments_due,
    entitlement_check,
    entitlement_rows,
    entitlements_today,
    items_in_force,
    level_of,
    list_in_force,
    person_facts,
)
from linli.care.services.entitlements import (
    assessment_answers,
    assessment_record,
    list_draft_new,
    list_item_remove,
    list_item_save,
    list_publish,
)
from linli.care.tests import entitlements_support as support
from linli.care.tests.entitlements_support import SHUIYUANDI, TODAY, answers_for, elder
from linli.core.errors import DomainError
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db
clock, city_officer = support.clock, support.city_officer  # the support module's fixtures

ITEM = {
    "code": "ZC09",
    "name": "助餐（测试）",
    "name_en": "Meals (test)",
    "category": "meals",
    "unit": "餐",
    "unit_en": "meal",
    "unit_price": "18.00",
    "duration_minutes": "15",
    "monthly_cap": "20",
    "own_cost_allowed": True,
    "conditions": [{"min_age": "80", "subsidy_share": "50"}],
}


def test_the_migration_ships_the_example_list_in_force(tree):
    shipped = list_in_force(TODAY)
    assert (shipped.version, shipped.note, shipped.effective_from) == (1, "示例清单", dt.date(2023, 1, 1))
    assert len(items_in_force(TODAY)) == 16
    assert list_in_force(dt.date(2022, 12, 31)) is None


def test_a_new_version_is_a_draft_copy_edited_then_published(tree, clock, city_officer):
    draft = list_draft_new(actor=city_officer)
    assert (draft.version, draft.published_at) == (2, None)
    assert draft.items.count() == 16
    with pytest.raises(DomainError) as second:
        list_draft_new(actor=city_officer)
    assert second.value.code == "conflict"
    meals = dict(ServiceItem.objects.filter(service_list=draft, code="ZC01").values("code", "unit_price").get())
    assert meals["unit_price"] == Decimal("15.00")
    list_item_save(
        actor=city_officer, service_list=draft, code="ZC01", raw=ITEM | {"code": "ZC01", "unit_price": "16.50"}
    )
    list_item_save(actor=city_officer, service_list=draft, code="", raw=ITEM)
    list_item_remove(actor=city_officer, service_list=draft, code="HZ01")
    assert draft.items.count() == 16
    assert list_in_force(TODAY).version == 1  # nothing changes until it is published
    published = list_publish(
        actor=city_officer, service_list=draft, effective_from=TODAY, document="沈民发〔2026〕12号", reason="助餐调价"
    )
    assert published.published_at is not None
    assert list_in_force(TODAY).version == 2
    assert {i.code: i.unit_price for i in items_in_force(TODAY)}["ZC01"] == Decimal("16.50")
    assert list(
        AuditEntry.objects.filter(action__startswith="care.list").values_list("action", flat=True).order_by("pk")
    ) == [
        "care.list.drafted",
        "care.list.item_saved",
        "care.list.item_saved",
        "care.list.item_removed",
        "care.list.published",
    ]
    with pytest.raises(DomainError) as edit:
        list_item_save(actor=city_officer, service_list=published, code="ZC01", raw=ITEM | {"code": "ZC01"})
    assert edit.value.code == "conflict"
    assert ServiceItem.objects.get(service_list=published, code="ZC01").unit_price == Decimal("16.50")


def test_publishing_names_every_problem_and_asks_before_a_past_day(tree, clock, city_officer):
    draft = list_draft_new(actor=city_officer)
    with pytest.raises(DomainError) as missing:
        list_publish(actor=city_officer, service_list=draft, effective_from=None, document="", reason="")
    assert [f.field for f in missing.value.fields] == ["effective_from", "document", "reason"]
    with pytest.raises(DomainError) as past:
        list_publish(
            actor=city_officer,
            service_list=draft,
            effective_from=TODAY - dt.timedelta(days=3),
            document="文号",
            reason="补录",
        )
    assert [f.field for f in past.value.fields] == ["confirm_past"]
    with pytest.raises(DomainError) as before:
        list_publish(
            actor=city_officer,
            service_list=draft,
            effective_from=dt.date(2022, 1, 1),
            document="文号",
            reason="补录",
            confirm_past=True,
        )
    assert "2023-01-01" in before.value.fields[0].message.zh
    assert ServiceList.objects.get(pk=draft.pk).published_at is None
    list_publish(
        actor=city_officer,
        service_list=draft,
        effective_from=TODAY - dt.timedelta(days=3),
        document="文号",
        reason="补录",
        confirm_past=True,
    )
    assert list_in_force(TODAY).version == 2


def test_an_item_with_bad_fields_changes_nothing(tree, clock, city_officer):
    draft = list_draft_new(actor=city_officer)
    with pytest.raises(DomainError) as bad:
        list_item_save(
            actor=city_officer, service_list=draft, code="ZC01", raw=ITEM | {"code": "ZC02", "unit_price": "abc"}
        )
    assert [f.field for f in bad.value.fields] == ["unit_price"]
    with pytest.raises(DomainError) as taken:
        list_item_save(actor=city_officer, service_list=draft, code="ZC01", raw=ITEM | {"code": "ZC02"})
    assert [f.field for f in taken.value.fields] == ["code"]
    assert ServiceItem.objects.get(service_list=draft, code="ZC01").unit_price == Decimal("15.00")


def test_only_the_city_edits_the_list(tree, actors, clock):
    for name in ("civil_affairs_officer", "community_worker", "city_admin", "resident"):
        with pytest.raises(DomainError) as denied:
            list_draft_new(actor=actors[name])
        assert denied.value.code == "permission_denied"
    assert ServiceList.objects.count() == 1


def test_an_assessment_is_scored_sealed_and_supersedes(tree, actors, clock):
    mother = elder(SHUIYUANDI, "101", "王秀英", 82)
    worker = actors["community_worker"]
    assert level_of(mother.public_id, TODAY) is None
    first = assessment_record(
        actor=worker,
        person_ref=mother.public_id,
        answers=answers_for(75),
        assessed_on=TODAY - dt.timedelta(days=200),
        second_assessor_name="李娟",
    )
    assert (first.score, first.level, first.valid_until) == (75, 1, dt.date(2027, 5, 20))
    assert "bathing" not in first.answers_sealed
    second = assessment_record(
        actor=worker,
        person_ref=mother.public_id,
        answers=answers_for(50),
        assessed_on=TODAY,
        second_assessor_name="李娟",
    )
    assert (second.level, CareAssessment.objects.get(pk=first.pk).superseded, second.superseded) == (2, True, False)
    assert level_of(mother.public_id, TODAY) == 2
    assert person_facts(mother, TODAY).level == 2
    assert person_facts(mother, TODAY).age == 82


def test_a_bad_assessment_names_every_problem_and_saves_nothing(tree, actors, clock):
    young = elder(SHUIYUANDI, "102", "张强", 45)
    answers = answers_for(60)
    del answers["eating"]
    with pytest.raises(DomainError) as bad:
        assessment_record(
            actor=actors["community_worker"],
            person_ref=young.public_id,
            answers=answers,
            assessed_on=TODAY + dt.timedelta(days=1),
            second_assessor_name="",
        )
    assert [f.field for f in bad.value.fields] == ["eating", "assessed_on", "person", "second_assessor_name"]
    assert CareAssessment.objects.count() == 0


def test_an_elder_outside_the_scope_is_not_found(tree, actors, clock):
    mother = elder(SHUIYUANDI, "101", "王秀英", 82)
    for name in ("other_community_worker", "resident", "district_admin"):
        with pytest.raises(DomainError):
            assessment_record(
                actor=actors[name],
                person_ref=mother.public_id,
                answers=answers_for(60),
                assessed_on=TODAY,
                second_assessor_name="李娟",
            )
    assert CareAssessment.objects.count() == 0


def test_reading_the_answers_needs_a_reason_and_is_audited(tree, actors, clock):
    mother = elder(SHUIYUANDI, "101", "王秀英", 82)
    assessment = assessment_record(
        actor=actors["community_worker"],
        person_ref=mother.public_id,
        answers=answers_for(60),
        assessed_on=TODAY,
        second_assessor_name="李娟",
    )
    with pytest.raises(DomainError) as no_reason:
        assessment_answers(actor=actors["community_worker"], assessment=assessment, reason=" ")
    assert [f.field for f in no_reason.value.fields] == ["reason"]
    with pytest.raises(DomainError):
        assessment_answers(actor=actors["other_community_worker"], assessment=assessment, reason="看看")
    assert not AuditEntry.objects.filter(action="care.assessment.revealed").exists()
    answers = assessment_answers(actor=actors["street_officer"], assessment=assessment, reason="复核评估等级")
    assert answers == answers_for(60)
    entry = AuditEntry.objects.get(action="care.assessment.revealed")
    assert (entry.reason, entry.org_path) == ("复核评估等级", mother.path)
    assert json.dumps(entry.details).find("bathing") == -1


def test_the_entitlement_check_and_rows_read_the_level(tree, actors, clock):
    mother = elder(SHUIYUANDI, "101", "王秀英", 72, kinds=["elderly_alone"])
    bath = next(i for i in items_in_force(TODAY) if i.code == "ZY01")
    before = entitlement_check(person=mother, item=bath, quantity=1, on=TODAY)
    assert (before.allowed, before.subsidy_share, before.resident_pays) == (True, 0, Decimal("80.00"))
    bed = {r.item.code: r for r in entitlement_rows(mother, TODAY)}["CW01"]
    assert not bed.allowed
    assert bed.entitlement.reason.zh == "不符合该项目的享受条件"
    assessment_record(
        actor=actors["community_worker"],
        person_ref=mother.public_id,
        answers=answers_for(50),
        assessed_on=TODAY,
        second_assessor_name="李娟",
    )
    after = entitlement_check(person=mother, item=bath, quantity=1, on=TODAY)
    assert (after.subsidy_share, after.government_pays, after.resident_pays) == (70, Decimal("56.00"), Decimal("24.00"))
    rows = {r.item.code: r for r in entitlement_rows(mother, TODAY)}
    assert (rows["ZY01"].remaining, rows["ZY01"].resident_per_unit) == (4, Decimal("24.00"))
    assert rows["TF01"].allowed and rows["TF01"].entitlement.subsidy_share == 100
    assert rows["CW01"].allowed and rows["CW01"].entitlement.subsidy_share == 80


def test_assessments_due_and_the_workbench(tree, actors, clock):
    worker = actors["community_worker"]
    soon = elder(SHUIYUANDI, "101", "王秀英", 82)
    old = elder(SHUIYUANDI, "102", "刘桂兰", 85)
    fresh = elder(SHUIYUANDI, "103", "赵淑珍", 78)
    assessment_record(
        actor=worker,
        person_ref=soon.public_id,
        answers=answers_for(70),
        assessed_on=TODAY - dt.timedelta(days=350),
        second_assessor_name="李娟",
    )
    assessment_record(
        actor=worker,
        person_ref=old.public_id,
        answers=answers_for(40),
        assessed_on=TODAY - dt.timedelta(days=364),
        second_assessor_name="李娟",
    )
    assessment_record(
        actor=worker,
        person_ref=fresh.public_id,
        answers=answers_for(80),
        assessed_on=TODAY,
        second_assessor_name="李娟",
    )
    CareAssessment.objects.filter(person_ref=old.public_id).update(valid_until=TODAY - dt.timedelta(days=2))
    due = assessments_due(actor=worker, today=TODAY)
    assert [(r.person.name, r.expired) for r in due] == [("刘桂兰", True), ("王秀英", False)]
    assert assessments_due(actor=actors["other_community_worker"], today=TODAY) == []
    section = entitlements_today(worker, TODAY)
    assert [(c.key, c.count) for c in section.counts] == [("care.assessments.expired", 1), ("care.assessments.soon", 1)]
    assert entitlements_today(actors["other_community_worker"], TODAY) is None
    assert entitlements_today(actors["resident"], TODAY) is None
