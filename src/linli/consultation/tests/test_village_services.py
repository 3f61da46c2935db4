# ruff: noqa: F811 (the stage's fixtures are imported from village_support)
"""The village procedure's writes: the order of the steps, the quorums from the roll, the failed
attempts kept, the town's review and return, the two publications, withdrawing, the roll of
representatives and the major-matter list."""

import datetime as dt

import pytest

from linli.consultation.models import BoardNotice, MajorMatterKind, VillageMatter, VillageMatterStep
from linli.consultation.services import village as svc
from linli.consultation.tests.village_support import (  # noqa: F401 (fixtures)
    TODAY,
    TOWN,
    VILLAGE,
    approved,
    clock,
    deliberated,
    discussed,
    meeting,
    proposed,
    record,
    resolved,
    seat_representatives,
    world,
)
from linli.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _rows(matter):
    return list(VillageMatterStep.objects.filter(matter=matter).values_list("step", "round", "result"))


def test_the_city_list_is_seeded():
    codes = list(MajorMatterKind.objects.filter(path="").values_list("code", flat=True))
    assert codes == ["land", "assets", "project", "welfare", "enterprise", "income", "levy"]
    assert MajorMatterKind.objects.get(code="project").amount_over == 100000


def test_the_village_proposes(world):
    matter = proposed(world)
    assert matter.number == f"CW{VILLAGE}20261200001"
    assert (matter.state, matter.stage, matter.round) == ("open", "propose", 1)
    assert _rows(matter) == [("propose", 1, "done")]


@pytest.mark.parametrize("who", ["community_worker", "town_officer", "street_officer", "villager", "anonymous"])
def test_only_the_village_proposes(world, who):
    with pytest.raises(DomainError) as refused:
        svc.matter_propose(
            actor=world.actors[who],
            data=svc.MatterInput(path=VILLAGE, kind_id=world.kind.pk, title="t", proposal="p"),
        )
    assert refused.value.status in (403, 404)
    assert VillageMatter.objects.count() == 0


def test_an_urban_community_is_not_a_village(world):
    with pytest.raises(DomainError) as refused:
        svc.matter_propose(
            actor=world.actors["community_worker"],
            data=svc.MatterInput(path="210102001002", kind_id=world.kind.pk, title="t", proposal="p"),
        )
    assert refused.value.code == "not_found"


def test_a_proposal_needs_its_fields(world):
    with pytest.raises(DomainError) as refused:
        svc.matter_propose(
            actor=world.actors["village_worker"],
            data=svc.MatterInput(path=VILLAGE, kind_id=None, title="", proposal=""),
        )
    assert sorted(f.field for f in refused.value.fields) == ["kind_id", "proposal", "title"]


def test_a_skipped_step_is_refused_naming_the_one_first(world):
    matter = proposed(world)
    with pytest.raises(DomainError) as refused:
        record(world, matter, meeting("deliberate", roll_total=20, present=15, votes_for=12))
    assert refused.value.code == "conflict"
    assert refused.value.message.zh == "不能跳过或颠倒步骤：须先完成「两委会商议」"
    assert _rows(matter) == [("propose", 1, "done")]
    assert VillageMatter.objects.get(pk=matter.pk).stage == "propose"


def test_a_step_done_cannot_be_recorded_again(world):
    matter = discussed(world)
    with pytest.raises(DomainError) as refused:
        record(world, matter, meeting("discuss", present=7))
    assert refused.value.message.zh == "不能跳过或颠倒步骤：须先完成「党员大会审议」"


def test_the_review_is_not_recorded_by_the_village(world):
    matter = resolved(world)
    with pytest.raises(DomainError) as refused:
        record(world, matter, meeting("review"))
    assert refused.value.message.zh == "乡镇审核由乡镇（街道）办理"


def test_the_party_members_meeting_needs_its_quorum(world):
    matter = discussed(world)
    with pytest.raises(DomainError) as refused:
        record(world, matter, meeting("deliberate", roll_total=20, present=10, votes_for=10))
    assert refused.value.code == "no_quorum"
    assert refused.value.message.zh == "应到 20 人，实到 10 人，未过半数"
    assert _rows(matter)[-1] == ("deliberate", 1, "no_quorum")
    assert VillageMatter.objects.get(pk=matter.pk).stage == "discuss"


def test_a_villagers_meeting_without_quorum_is_kept_and_tried_again(world):
    matter = deliberated(world)
    # 12 adults, 6 households: 6 adults (half exactly) and 3 households (half) are not enough
    with pytest.raises(DomainError) as refused:
        record(world, matter, meeting("resolve", assembly="villagers", present=6, households_present=3, votes_for=6))
    assert refused.value.code == "no_quorum"
    assert refused.value.message.zh == "应到 12 人，实到 6 人，未过半数；应到 6 户，实到 3 户，不足三分之二"
    failed = VillageMatterStep.objects.get(matter=matter, step="resolve")
    assert (failed.result, failed.roll_total, failed.roll_households, failed.present) == ("no_quorum", 12, 6, 6)
    assert VillageMatter.objects.get(pk=matter.pk).stage == "deliberate"
    # two thirds of the households exactly is enough
    record(world, matter, meeting("resolve", assembly="villagers", present=5, households_present=4, votes_for=3))
    assert _rows(matter)[-2:] == [("resolve", 1, "no_quorum"), ("resolve", 1, "passed")]
    assert VillageMatter.objects.get(pk=matter.pk).stage == "resolve"


def test_half_of_those_present_is_not_a_pass(world):
    matter = deliberated(world)
    with pytest.raises(DomainError) as refused:
        record(world, matter, meeting("resolve", assembly="villagers", present=8, households_present=5, votes_for=4))
    assert refused.value.code == "not_passed"
    assert refused.value.message.zh == "实到 8 人，赞成 4 票，未过半数"
    assert VillageMatter.objects.get(pk=matter.pk).stage == "deliberate"


def test_a_representatives_meeting_counts_the_representatives_in_office(world):
    seat_representatives(world, 9)
    matter = deliberated(world)
    with pytest.raises(DomainError) as refused:
        record(world, matter, meeting("resolve", assembly="representatives", present=5, votes_for=5))
    assert refused.value.message.zh == "应到 9 人，实到 5 人，不足三分之二"
    record(world, matter, meeting("resolve", assembly="representatives", present=6, votes_for=4))
    row = VillageMatterStep.objects.get(matter=matter, step="resolve", result="passed")
    assert (row.assembly, row.roll_total, row.present, row.votes_for) == ("representatives", 9, 6, 4)


def test_more_votes_than_people_present_is_refused(world):
    matter = deliberated(world)
    with pytest.raises(DomainError) as refused:
        record(world, matter, meeting("resolve", assembly="villagers", present=7, votes_for=5, votes_against=3))
    assert [f.field for f in refused.value.fields] == ["votes_for"]
    assert VillageMatterStep.objects.filter(matter=matter, step="resolve").count() == 0


def test_the_town_approves(world):
    matter = approved(world)
    assert (matter.stage, matter.state) == ("review", "open")
    assert _rows(matter)[-1] == ("review", 1, "approved")


def test_the_town_returns_with_reasons_and_the_procedure_resumes_at_the_discussion(world):
    matter = resolved(world)
    town = world.actors["town_officer"]
    with pytest.raises(DomainError) as refused:
        svc.matter_review(actor=town, public_id=matter.public_id, approve=False, reasons=" ")
    assert [f.field for f in refused.value.fields] == ["reasons"]
    svc.matter_review(actor=town, public_id=matter.public_id, approve=False, reasons="租金低于评估价")
    matter.refresh_from_db()
    assert (matter.state, matter.stage, matter.round) == ("returned", "propose", 2)
    assert VillageMatterStep.objects.get(matter=matter, step="review").note == "租金低于评估价"
    record(world, matter, meeting("discuss", present=7))
    matter.refresh_from_db()
    assert (matter.state, matter.stage) == ("open", "discuss")
    assert _rows(matter)[-1] == ("discuss", 2, "done")


@pytest.mark.parametrize("who", ["village_worker", "street_officer", "district_admin", "community_worker"])
def test_only_the_villages_town_reviews(world, who):
    matter = resolved(world)
    with pytest.raises(DomainError) as refused:
        svc.matter_review(actor=world.actors[who], public_id=matter.public_id, approve=True)
    assert refused.value.status in (403, 404)
    assert VillageMatter.objects.get(pk=matter.pk).stage == "resolve"


def test_the_town_reviews_only_a_resolved_matter(world):
    matter = deliberated(world)
    with pytest.raises(DomainError) as refused:
        svc.matter_review(actor=world.actors["town_officer"], public_id=matter.public_id, approve=True)
    assert refused.value.message.zh == "不能跳过或颠倒步骤：须先完成「村民会议或村民代表会议决议」"


def test_the_resolution_is_published_for_the_minimum_period(world):
    matter = approved(world)
    with pytest.raises(DomainError) as refused:
        record(world, matter, svc.StepInput(step="publish_resolution", public_until=TODAY + dt.timedelta(days=6)))
    assert [f.field for f in refused.value.fields] == ["public_until"]
    assert BoardNotice.objects.count() == 0
    record(world, matter, svc.StepInput(step="publish_resolution", public_until=TODAY + dt.timedelta(days=7)))
    notice = BoardNotice.objects.get()
    assert (notice.path, notice.kind, notice.body) == (VILLAGE, "village_resolution", "同意出租，租期五年")
    assert notice.public_until == TODAY + dt.timedelta(days=7)
    assert VillageMatter.objects.get(pk=matter.pk).stage == "publish_resolution"


def test_the_result_comes_after_the_resolution_and_ends_the_matter(world):
    matter = approved(world)
    result = svc.StepInput(step="publish_result", adopted_text="已出租", public_until=TODAY + dt.timedelta(days=9))
    with pytest.raises(DomainError) as refused:
        record(world, matter, result)
    assert refused.value.message.zh == "不能跳过或颠倒步骤：须先完成「决议公开」"
    record(world, matter, svc.StepInput(step="publish_resolution", public_until=TODAY + dt.timedelta(days=7)))
    record(world, matter, result)
    matter.refresh_from_db()
    assert (matter.state, matter.stage) == ("done", "publish_result")
    kinds = list(BoardNotice.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["village_resolution", "village_result"]
    with pytest.raises(DomainError) as refused:
        record(world, matter, meeting("discuss", present=3))
    assert refused.value.message.zh == "此事项已结束，不能再记录"


def test_withdrawing_asks_a_reason_and_a_confirmation(world):
    matter = proposed(world)
    village = world.actors["village_worker"]
    with pytest.raises(DomainError) as refused:
        svc.matter_withdraw(actor=village, public_id=matter.public_id, reason="", confirmed=False)
    assert sorted(f.field for f in refused.value.fields) == ["confirmed", "reason"]
    assert VillageMatter.objects.get(pk=matter.pk).state == "open"
    svc.matter_withdraw(actor=village, public_id=matter.public_id, reason="上级政策调整", confirmed=True)
    assert VillageMatter.objects.get(pk=matter.pk).state == "withdrawn"
    with pytest.raises(DomainError):
        svc.matter_withdraw(actor=village, public_id=matter.public_id, reason="again", confirmed=True)


def test_representatives_come_from_the_villages_pool(world):
    village = world.actors["village_worker"]
    seat_representatives(world, 2)
    with pytest.raises(DomainError) as refused:
        svc.representative_add(actor=village, path=VILLAGE, resident_ref=world.villagers[0], since=TODAY)
    assert refused.value.code == "conflict"
    with pytest.raises(DomainError) as refused:
        svc.representative_add(actor=village, path=VILLAGE, resident_ref="not-a-uuid", since=TODAY)
    assert [f.field for f in refused.value.fields] == ["resident_ref"]
    assert svc.representatives_on(VILLAGE, TODAY) == 2
    rep = svc.representative_add(actor=village, path=VILLAGE, resident_ref=world.villagers[5], since=TODAY)
    svc.representative_end(actor=village, rep_id=rep.pk, until=TODAY, reason="迁出本村")
    assert svc.representatives_on(VILLAGE, TODAY) == 3
    assert svc.representatives_on(VILLAGE, TODAY + dt.timedelta(days=1)) == 2


def test_a_town_sets_its_own_threshold_and_the_city_admin_edits_the_city_list(world):
    with pytest.raises(DomainError):
        svc.kind_save(
            actor=world.actors["town_officer"],
            data=svc.KindInput(path=TOWN, code="project", name_zh="工程", name_en="Projects", amount_over=50000),
        )
    assert MajorMatterKind.objects.filter(path=TOWN).count() == 0
    kind = svc.kind_save(
        actor=world.actors["city_admin"],
        data=svc.KindInput(path="", code="housing", name_zh="宅基地", name_en="Homesteads"),
    )
    assert (kind.path, kind.code) == ("", "housing")
