# ruff: noqa: F811 (the stage's fixtures are imported from mediators_support)
"""The mediator pool's services and selectors: adding with the kind checked against the unit's
level, the account linked or made (with its MEDIATOR posting), phone sealed, ending with the open
disputes handed to a successor, trainings, figures, the staffing rule, the dispute kinds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from linli.accounts.domain import Role
from linli.accounts.models import Posting
from linli.accounts.selectors import actor_for_user
from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.mediation.models import DisputeKind, DisputeStep, Mediator, MediatorTraining
from linli.mediation.selectors import mediators as sel
from linli.mediation.services import mediators as svc
from linli.mediation.tests.mediators_support import (  # noqa: F401 (fixtures)
    BINHE,
    HUNHEWAN,
    JIXIAN,
    OTHER_STREET,
    SHUIYUANDI,
    STREET,
    TODAY,
    clock,
    dispute,
    judicial,
    mediator,
    outcome,
    street_judicial,
)
from linli.testing import make_user

pytestmark = pytest.mark.django_db


def test_a_committee_member_is_added_with_the_phone_sealed_and_masked(tree, actors, clock):
    officer = actors["street_officer"]
    m = mediator(officer, "committee", SHUIYUANDI, "王调解", kinds=["neighbour", "family"], qualifications="法律本科")
    assert (m.kind, m.path, m.since, m.until, m.kinds) == (
        "committee",
        SHUIYUANDI,
        TODAY,
        None,
        ["family", "neighbour"],
    )
    assert m.phone_masked == "138****5678" and "13812345678" not in m.phone_sealed
    entry = AuditEntry.objects.get(action="mediation.mediator_add")
    assert (entry.object_id, entry.org_path) == (str(m.public_id), SHUIYUANDI)
    read = svc.mediator_phone_reveal(actor=officer, mediator=m, reason="联系调解")
    assert read == "13812345678"
    assert AuditEntry.objects.filter(action="mediation.mediator_reveal", reason="联系调解").count() == 1


@pytest.mark.parametrize(
    ("kind", "path", "field"),
    [
        ("committee", STREET, "kind"),  # a committee member serves a community
        ("full_time", SHUIYUANDI, "kind"),  # a full-time mediator serves a street
        ("expert", STREET, "kind"),  # an expert serves a district or the city
        ("", SHUIYUANDI, "kind"),
        ("committee", JIXIAN, "path"),  # outside the street officer's area
        ("committee", "999999999999", "path"),
    ],
)
def test_a_kind_invalid_for_the_units_level_is_refused(tree, actors, clock, kind, path, field):
    with pytest.raises(DomainError) as error:
        mediator(actors["street_officer"], kind, path, "张三")
    assert [f.field for f in error.value.fields] == [field]
    assert Mediator.objects.count() == 0


def test_the_kind_names_the_level_it_needs(tree, actors, clock):
    with pytest.raises(DomainError) as error:
        mediator(actors["street_officer"], "full_time", SHUIYUANDI, "张三")
    assert error.value.fields[0].message.zh == "专职调解员只能设在街道（乡镇）"


def test_unknown_dispute_kinds_a_bad_phone_and_no_name_are_refused(tree, actors, clock):
    with pytest.raises(DomainError) as error:
        mediator(actors["street_officer"], "committee", SHUIYUANDI, "", phone="abc", kinds=["neighbour", "nope"])
    assert [f.field for f in error.value.fields] == ["name", "phone", "kinds"]
    assert Mediator.objects.count() == 0


def test_only_pool_keepers_of_the_area_add(tree, actors, clock):
    for name in ("community_worker", "district_admin", "resident", "anonymous"):
        with pytest.raises(DomainError) as error:
            mediator(actors[name], "committee", SHUIYUANDI, "张三")
        assert error.value.status == 404
    assert Mediator.objects.count() == 0


def test_an_existing_staff_account_is_linked_and_posted_once(tree, actors, clock):
    user = make_user("med_one", None, None)
    m = mediator(actors["street_officer"], "committee", SHUIYUANDI, "王调解", username="med_one")
    assert m.user_id == user.pk
    assert list(Posting.objects.filter(user=user).values_list("role", "scope_path")) == [(Role.MEDIATOR, SHUIYUANDI)]
    assert actor_for_user(user).has_role(Role.MEDIATOR)
    # already a mediator of the pool: refused
    with pytest.raises(DomainError) as error:
        mediator(actors["street_officer"], "committee", HUNHEWAN, "王调解", username="med_one")
    assert error.value.fields[0].field == "username"


def test_an_account_already_posted_as_mediator_there_gets_no_second_posting(tree, actors, clock):
    user = make_user("demo_like", Role.MEDIATOR, tree["210102001002"])
    mediator(actors["street_officer"], "committee", SHUIYUANDI, "王调解", username="demo_like")
    assert Posting.objects.filter(user=user, role=Role.MEDIATOR).count() == 1


def test_a_residents_account_or_a_missing_one_is_refused(tree, actors, clock):
    for username in ("resident", "nobody_here"):
        with pytest.raises(DomainError) as error:
            mediator(actors["street_officer"], "committee", SHUIYUANDI, "王调解", username=username)
        assert error.value.fields[0].field == "username"
    assert Mediator.objects.count() == 0


def test_a_new_account_is_made_with_a_password_shown_once(tree, actors, clock):
    data = svc.MediatorInput(
        kind="full_time", name="李专职", path=STREET, username="li_fulltime", new_account=True, phone=""
    )
    added = svc.mediator_add(actor=actors["street_officer"], data=data)
    assert len(added.password) >= 12
    user = added.mediator.user
    assert user.username == "li_fulltime" and user.password_change_required and user.check_password(added.password)
    assert Posting.objects.get(user=user).scope_path == STREET
    assert added.mediator.phone_masked == "" and added.mediator.phone_sealed == ""


def test_editing_keeps_the_phone_when_left_empty(tree, actors, clock):
    officer = actors["street_officer"]
    m = mediator(officer, "committee", SHUIYUANDI, "王调解")
    data = svc.MediatorInput(name="王调解员", specialty="婚姻家庭", kinds=["family"])
    svc.mediator_edit(actor=officer, mediator=m, data=data)
    m.refresh_from_db()
    assert (m.name, m.specialty, m.kinds, m.phone_masked) == ("王调解员", "婚姻家庭", ["family"], "138****5678")
    with pytest.raises(DomainError) as error:
        svc.mediator_edit(actor=actors["other_district_admin"], mediator=m, data=data)
    assert error.value.status == 404


def test_ending_with_open_disputes_and_no_successor_is_refused_naming_how_many(tree, actors, clock):
    officer = actors["street_officer"]
    m = mediator(officer, "committee", SHUIYUANDI, "王调解", username="")
    dispute(SHUIYUANDI, "accepted", mediator=m)
    dispute(SHUIYUANDI, "mediating", mediator=m)
    dispute(SHUIYUANDI, "closed", mediator=m)
    with pytest.raises(DomainError) as error:
        svc.mediator_end(actor=officer, mediator=m, reason="调离", successor_id=None)
    assert error.value.fields[0].field == "successor"
    assert error.value.fields[0].message.zh == "王调解还有 2 件调解中的纠纷：请选择接手的调解员"
    m.refresh_from_db()
    assert m.until is None and not AuditEntry.objects.filter(action="mediation.mediator_end").exists()


def test_ending_hands_the_open_disputes_to_a_successor_and_ends_the_posting(tree, actors, clock):
    officer = actors["street_officer"]
    make_user("med_a", None, None)
    m = mediator(officer, "committee", SHUIYUANDI, "王调解", username="med_a")
    heir = mediator(officer, "full_time", STREET, "李专职")
    held = [dispute(SHUIYUANDI, "accepted", mediator=m), dispute(SHUIYUANDI, "mediating", mediator=m)]
    done = dispute(SHUIYUANDI, "closed", mediator=m)
    moved = svc.mediator_end(actor=officer, mediator=m, reason="调离", successor_id=str(heir.public_id))
    assert moved == 2
    m.refresh_from_db()
    assert (m.until, m.end_reason) == (TODAY, "调离")
    for d in held:
        d.refresh_from_db()
        assert d.mediator_id == heir.pk
    done.refresh_from_db()
    assert done.mediator_id == m.pk
    assert DisputeStep.objects.filter(action="handover").count() == 2
    assert not Posting.objects.filter(user=m.user, ended_at__isnull=True).exists()
    assert AuditEntry.objects.get(action="mediation.mediator_end").reason == "调离"


def test_a_successor_who_may_not_take_them_is_refused(tree, actors, clock):
    officer = actors["street_officer"]
    m = mediator(officer, "committee", SHUIYUANDI, "王调解")
    neighbour_only = mediator(officer, "committee", SHUIYUANDI, "赵邻里", kinds=["neighbour"])
    other_community = mediator(officer, "committee", HUNHEWAN, "钱调解")
    dispute(SHUIYUANDI, "mediating", mediator=m, kind="family")
    for successor in (neighbour_only, other_community, m):
        with pytest.raises(DomainError) as error:
            svc.mediator_end(actor=officer, mediator=m, reason="调离", successor_id=str(successor.public_id))
        assert error.value.fields[0].field == "successor"
    assert sel.successor_choices(actor=officer, mediator=m) == []
    m.refresh_from_db()
    assert m.until is None


def test_trainings_are_checked_and_summed_for_the_year(tree, actors, clock):
    officer = actors["street_officer"]
    m = mediator(officer, "committee", SHUIYUANDI, "王调解")
    svc.training_record(actor=officer, mediator=m, on=TODAY, hours="3.5", topic="人民调解法")
    svc.training_record(actor=officer, mediator=m, on=dt.date(2026, 3, 1), hours=4, topic="婚姻家庭纠纷")
    svc.training_record(actor=officer, mediator=m, on=dt.date(2025, 3, 1), hours=8, topic="去年")
    for on, hours, topic in ((TODAY + dt.timedelta(days=1), 2, "x"), (TODAY, 0, "x"), (TODAY, 25, "x"), (TODAY, 2, "")):
        with pytest.raises(DomainError):
            svc.training_record(actor=officer, mediator=m, on=on, hours=hours, topic=topic)
    assert MediatorTraining.objects.count() == 3
    assert sel.pool_figures([m.pk], 2026)[m.pk].training_hours == Decimal("7.5")


def test_figures_count_workload_outcomes_of_the_year_and_the_success_rate(tree, actors, clock):
    officer = actors["street_officer"]
    m = mediator(officer, "committee", SHUIYUANDI, "王调解")
    dispute(SHUIYUANDI, "accepted", mediator=m)
    dispute(SHUIYUANDI, "mediating", mediator=m)
    outcome(dispute(SHUIYUANDI, "agreed", mediator=m), "agreed")
    closed = dispute(SHUIYUANDI, "closed", mediator=m)
    outcome(closed, "agreed")
    DisputeStep.objects.create(
        dispute=closed, action="close", from_state="agreed", to_state="closed", by_name="t", at=closed.created_at
    )
    outcome(dispute(SHUIYUANDI, "failed", mediator=m), "failed")
    last_year = dispute(SHUIYUANDI, "failed", mediator=m)
    outcome(last_year, "failed", at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
    figures = sel.pool_figures([m.pk], 2026)[m.pk]
    assert (figures.open, figures.concluded, figures.agreed, figures.failed) == (2, 3, 2, 1)
    assert figures.success_percent == "66.7%"
    assert sel.pool_figures([m.pk], 2024)[m.pk].success_rate is None


def test_the_pool_is_scoped_with_the_experts_above(tree, actors, judicial, clock):
    officer = actors["street_officer"]
    mediator(officer, "committee", SHUIYUANDI, "王调解")
    mediator(judicial, "expert", "210102", "周专家")
    mediator(judicial, "committee", JIXIAN, "集贤调解")
    names = lambda name: sorted(m.name for m in sel.mediator_list(actor=actors[name]))  # noqa: E731
    assert names("street_officer") == ["周专家", "王调解"]
    assert names("community_worker") == ["周专家", "王调解"]
    assert names("other_community_worker") == ["周专家"]
    assert names("district_admin") == []  # no MEDIATION_VIEW
    assert names("resident") == [] and names("anonymous") == []
    assert sorted(m.name for m in sel.mediator_list(actor=judicial)) == ["周专家", "王调解", "集贤调解"]


def test_staffing_marks_red_amber_and_green(tree, actors, judicial, clock):
    officer = actors["street_officer"]
    mediator(officer, "committee", SHUIYUANDI, "王调解")
    mediator(officer, "full_time", STREET, "李专职")
    mediator(judicial, "full_time", OTHER_STREET, "集贤专职一")
    mediator(judicial, "full_time", OTHER_STREET, "集贤专职二")
    ended = mediator(judicial, "committee", JIXIAN, "已离任")
    svc.mediator_end(actor=judicial, mediator=ended, reason="退休")
    report = sel.staffing_check(actor=judicial, path="")
    assert report.path == "210102"
    assert [(s.name, s.count, s.mark) for s in report.streets] == [("浑河湾街道", 1, "amber"), ("集贤街道", 2, "green")]
    assert [(c.name, c.count, c.mark) for c in report.communities] == [
        ("水源地社区", 1, "green"),
        ("浑河湾社区", 0, "red"),
        ("集贤社区", 0, "red"),
    ]
    assert (report.red_streets, report.red_communities, report.full_time, report.committee) == (0, 2, 3, 1)
    street = sel.staffing_check(actor=officer, path=STREET)
    assert [c.name for c in street.communities] == ["水源地社区", "浑河湾社区"]
    for name, path in (("street_officer", OTHER_STREET), ("street_officer", BINHE), ("resident", "")):
        with pytest.raises(DomainError):
            sel.staffing_check(actor=actors[name], path=path)


def test_dispute_kinds_are_kept_at_district_or_city_and_never_deleted(tree, actors, judicial, street_judicial, clock):
    kind = svc.kind_add(actor=judicial, code="pets", name_zh="宠物纠纷", name_en="Pet dispute", level="community")
    assert DisputeKind.objects.get(code="pets").order > DisputeKind.objects.get(code="other").order
    with pytest.raises(DomainError) as error:
        svc.kind_add(actor=judicial, code="pets", name_zh="重复", name_en="Again", level="community")
    assert error.value.fields[0].field == "code"
    with pytest.raises(DomainError) as error:
        svc.kind_add(actor=judicial, code="Bad Code", name_zh="", name_en="", level="x")
    assert [f.field for f in error.value.fields] == ["name_zh", "name_en", "level", "code"]
    svc.kind_edit(actor=judicial, kind=kind, name_zh="宠物饲养纠纷", name_en="Pet-keeping dispute", level="street")
    with pytest.raises(DomainError) as error:
        svc.kind_active_set(actor=judicial, kind=kind, active=False, reason="")
    assert error.value.fields[0].field == "reason"
    svc.kind_active_set(actor=judicial, kind=kind, active=False, reason="并入邻里纠纷")
    kind.refresh_from_db()
    assert (kind.name_zh, kind.level, kind.active) == ("宠物饲养纠纷", "street", False)
    for actor in (street_judicial, actors["street_officer"], actors["district_admin"]):
        with pytest.raises(DomainError) as error:
            svc.kind_add(actor=actor, code="x_kind", name_zh="某", name_en="X", level="community")
        assert error.value.status == 404
    assert not DisputeKind.objects.filter(code="x_kind").exists()
    assert list(
        AuditEntry.objects.filter(action__startswith="mediation.kind_").values_list("action", flat=True).order_by("pk")
    ) == ["mediation.kind_add", "mediation.kind_edit", "mediation.kind_deactivate"]


def test_candidates_keep_their_signature(tree, actors, judicial, clock):
    officer = actors["street_officer"]
    mediator(officer, "committee", SHUIYUANDI, "王调解", kinds=["neighbour"])
    mediator(officer, "full_time", STREET, "李专职")
    mediator(judicial, "expert", "210102", "周专家", kinds=["medical"])
    names = [m.name for m in sel.mediator_candidates(dispute_path=SHUIYUANDI, kind_code="family")]
    assert names == ["李专职"]  # the expert handles medical disputes only
    names = [m.name for m in sel.mediator_candidates(dispute_path=SHUIYUANDI, kind_code="medical")]
    assert names == ["周专家", "李专职"]
