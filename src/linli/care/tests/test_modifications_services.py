"""Modifications' writes: the journey from the application to the subsidy paid, each refusal
named by its field, nothing changed on a denied path, prices kept in old quotes."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from linli.care.models import ModificationApplication, ModificationItem, ModificationPhoto, ModificationStep
from linli.care.selectors.modifications import candidates, current_items, modifications_targets, progress
from linli.care.services.modifications import (
    LineInput,
    application_accept,
    application_apply,
    application_assess,
    application_close,
    application_confirm,
    application_pay,
    application_start,
    item_price_set,
    photo_read,
    target_set,
)
from linli.care.tests.modifications_support import NOW, PLAN, TODAY, accept_input, build_mods, photo, png
from linli.core.errors import DomainError
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def mods(tree, people, clock):
    return build_mods(tree, people)


def _fields(error) -> dict[str, str]:
    return {f.field: f.message.en for f in error.value.fields}


def _assessed(mods, *, by="daughter"):
    a = mods["actors"]
    app = application_apply(actor=a[by], person_ref=str(mods["mother"].public_id), note="卫生间太滑")
    return application_assess(actor=a["community_worker"], application=app, lines=PLAN, photos=[photo()])


def test_the_journey_from_the_familys_application_to_the_subsidy_paid(mods):
    a = mods["actors"]
    app = application_apply(actor=a["daughter"], person_ref=str(mods["mother"].public_id), note="卫生间太滑")
    assert (app.state, app.channel, app.assess_due) == ("applied", "resident", dt.date(2026, 12, 21))
    app = application_assess(actor=a["community_worker"], application=app, lines=PLAN, photos=[photo()])
    assert (app.state, app.total, app.subsidy, app.own_share, app.cap) == (
        "assessed",
        Decimal("3340.00"),
        Decimal("540.00"),
        Decimal("2800.00"),
        Decimal("3000.00"),
    )
    app = application_confirm(actor=a["daughter"], application=app)
    app = application_start(
        actor=a["community_worker"],
        application=app,
        provider_ref=str(mods["contractor"].public_id),
        start=TODAY,
        finish=TODAY + dt.timedelta(days=5),
    )
    assert (app.state, app.contractor_name) == ("in_works", "沈阳安居适老化工程有限公司")
    app = application_accept(actor=a["community_worker"], application=app, data=accept_input(app))
    assert (app.state, app.satisfaction, app.pay_due) == ("accepted", 5, dt.date(2026, 12, 28))
    app = application_pay(actor=a["street_officer"], application=app)
    assert (app.state, app.paid_amount, app.paid_on) == ("paid", Decimal("540.00"), TODAY)
    steps = list(ModificationStep.objects.filter(application=app).values_list("action", flat=True))
    assert steps == ["apply", "assess", "confirm", "start", "accept", "pay"]
    assert ModificationPhoto.objects.filter(application=app, stage="before").count() == 1
    assert ModificationPhoto.objects.filter(application=app, stage="after").count() == 3
    actions = set(AuditEntry.objects.filter(object_id=str(app.public_id)).values_list("action", flat=True))
    assert actions == {f"care.mod_{x}" for x in ("apply", "assess", "confirm", "start", "accept", "pay")}


def test_one_open_application_per_household(mods):
    a = mods["actors"]
    application_apply(actor=a["daughter"], person_ref=str(mods["mother"].public_id))
    with pytest.raises(DomainError) as refused:
        application_apply(actor=a["community_worker"], person_ref=str(mods["mother"].public_id))
    assert refused.value.message.en == "This household already has an open modification"
    assert ModificationApplication.objects.count() == 1


def test_a_withdrawn_application_lets_the_household_apply_again(mods):
    a = mods["actors"]
    app = application_apply(actor=a["daughter"], person_ref=str(mods["mother"].public_id))
    with pytest.raises(DomainError) as refused:
        application_close(actor=a["daughter"], application=app, action="withdraw", reason="")
    assert _fields(refused) == {"reason": "Give the reasons (4–500 characters)"}
    application_close(actor=a["daughter"], application=app, action="withdraw", reason="已自行改造完毕")
    again = application_apply(actor=a["community_worker"], person_ref=str(mods["mother"].public_id))
    assert (again.state, again.channel) == ("applied", "worker")


def test_applying_is_refused_for_someone_young_someone_not_cared_for_and_outside_the_scope(mods):
    a = mods["actors"]
    with pytest.raises(DomainError) as refused:
        application_apply(actor=a["community_worker"], person_ref=str(mods["young"].public_id))
    assert _fields(refused) == {"person": "For people aged 60 or more"}
    with pytest.raises(DomainError) as refused:
        application_apply(actor=a["daughter"], person_ref=str(mods["tekun"].public_id))
    assert _fields(refused) == {"person": "Choose the elder whose home it is"}
    with pytest.raises(DomainError):
        application_apply(actor=a["other_community_worker"], person_ref=str(mods["mother"].public_id))
    with pytest.raises(DomainError) as refused:
        application_apply(actor=a["anonymous"], person_ref=str(mods["mother"].public_id))
    assert refused.value.code == "permission_denied"
    assert ModificationApplication.objects.count() == 0


def test_the_assessment_names_each_bad_field_and_needs_a_before_photo(mods):
    a = mods["actors"]
    app = application_apply(actor=a["daughter"], person_ref=str(mods["mother"].public_id))
    with pytest.raises(DomainError) as refused:
        application_assess(
            actor=a["community_worker"],
            application=app,
            lines=[LineInput("grab_bar", "0"), LineInput("gold_tap", "1")],
            photos=[photo()],
        )
    assert _fields(refused) == {
        "qty_grab_bar": "'Bathroom grab bar': a quantity from 0.1 to 100",
        "qty_gold_tap": "No such modification item",
    }
    with pytest.raises(DomainError) as refused:
        application_assess(actor=a["community_worker"], application=app, lines=PLAN, photos=[])
    assert _fields(refused) == {"photos": "Add at least one photo before the works"}
    with pytest.raises(DomainError) as refused:
        application_assess(
            actor=a["community_worker"],
            application=app,
            lines=PLAN,
            photos=[photo("x.gif").__class__("x.gif", b"GIF89a")],
        )
    assert _fields(refused) == {"photos": "'x.gif' is not a JPG or PNG image"}
    app.refresh_from_db()
    assert (app.state, app.lines.count(), app.photos.count()) == ("applied", 0, 0)


def test_the_resident_and_other_communities_cannot_assess(mods):
    a = mods["actors"]
    app = application_apply(actor=a["daughter"], person_ref=str(mods["mother"].public_id))
    with pytest.raises(DomainError) as refused:
        application_assess(actor=a["daughter"], application=app, lines=PLAN, photos=[photo()])
    assert refused.value.code == "permission_denied"
    with pytest.raises(DomainError) as refused:
        application_assess(actor=a["other_community_worker"], application=app, lines=PLAN, photos=[photo()])
    assert refused.value.code == "not_found"
    app.refresh_from_db()
    assert (app.state, app.lines.count()) == ("applied", 0)


def test_acceptance_needs_an_after_photo_or_a_reason_for_every_item(mods):
    a = mods["actors"]
    app = _assessed(mods)
    app = application_confirm(actor=a["community_worker"], application=app, note="电话确认")
    app = application_start(
        actor=a["community_worker"], application=app, contractor_name="个体工匠张师傅", start=TODAY, finish=TODAY
    )
    data = accept_input(app)
    bed = app.lines.get(item__code="care_bed")
    del data.photos[bed.pk]
    with pytest.raises(DomainError) as refused:
        application_accept(actor=a["community_worker"], application=app, data=data)
    assert _fields(refused) == {
        f"after_{bed.pk}": "'Elder-friendly care bed' needs a photo after the works, or the reason there is none"
    }
    app.refresh_from_db()
    assert (app.state, app.photos.filter(stage="after").count()) == ("in_works", 0)
    data.reasons[bed.pk] = "家属自购，未安装"
    app = application_accept(actor=a["community_worker"], application=app, data=data)
    bed.refresh_from_db()
    assert (app.state, bed.no_photo_reason) == ("accepted", "家属自购，未安装")


def test_the_subsidy_is_the_streets_and_never_more_than_the_plan(mods):
    a = mods["actors"]
    app = _assessed(mods)
    app = application_confirm(actor=a["daughter"], application=app)
    app = application_start(
        actor=a["community_worker"], application=app, contractor_name="个体工匠张师傅", start=TODAY, finish=TODAY
    )
    app = application_accept(actor=a["community_worker"], application=app, data=accept_input(app))
    with pytest.raises(DomainError) as refused:
        application_pay(actor=a["community_worker"], application=app)
    assert refused.value.code == "permission_denied"
    with pytest.raises(DomainError) as refused:
        application_pay(actor=a["street_officer"], application=app, amount="600")
    assert _fields(refused) == {"amount": "At most the plan's 540.00 yuan"}
    app.refresh_from_db()
    assert (app.state, app.paid_amount) == ("accepted", None)


def test_a_step_out_of_turn_is_a_conflict(mods):
    a = mods["actors"]
    app = application_apply(actor=a["daughter"], person_ref=str(mods["mother"].public_id))
    with pytest.raises(DomainError) as refused:
        application_confirm(actor=a["daughter"], application=app)
    assert refused.value.code == "conflict"
    assert ModificationApplication.objects.get().state == "applied"


def test_a_price_change_is_a_new_dated_row_and_old_quotes_keep_their_prices(mods):
    a = mods["actors"]
    app = _assessed(mods)
    with pytest.raises(DomainError) as refused:
        item_price_set(
            actor=a["civil_affairs_officer"], code="grab_bar", unit_price="200", basic=True, valid_from=TODAY
        )
    assert refused.value.code == "permission_denied"  # a district's officer: the city sets prices
    with pytest.raises(DomainError) as refused:
        item_price_set(
            actor=a["city_officer"],
            code="grab_bar",
            unit_price="-1",
            basic=True,
            valid_from=TODAY - dt.timedelta(days=1),
        )
    assert set(_fields(refused)) == {"unit_price", "valid_from"}
    item_price_set(actor=a["city_officer"], code="grab_bar", unit_price="200", basic=True, valid_from=TODAY)
    assert ModificationItem.objects.filter(code="grab_bar").count() == 2
    assert {i.code: i.unit_price for i in current_items(TODAY)}["grab_bar"] == Decimal("200.00")
    line = app.lines.get(item__code="grab_bar")
    assert (line.unit_price, line.amount) == (Decimal("180.00"), Decimal("360.00"))


def test_candidates_are_elders_in_difficulty_not_yet_modified(mods):
    a = mods["actors"]
    names = [p.name for p in candidates(actor=a["community_worker"], today=TODAY)]
    assert names == ["刘桂兰", "王德福"]  # not the young man on dibao, not the other community's
    application_apply(actor=a["community_worker"], person_ref=str(mods["tekun"].public_id), from_candidates=True)
    assert [p.name for p in candidates(actor=a["community_worker"], today=TODAY)] == ["刘桂兰"]
    assert ModificationApplication.objects.get().channel == "candidate"
    assert candidates(actor=a["daughter"], today=TODAY) == []


def test_progress_counts_paid_households_against_the_targets(mods):
    a = mods["actors"]
    app = _assessed(mods)
    app = application_confirm(actor=a["daughter"], application=app)
    app = application_start(
        actor=a["community_worker"], application=app, contractor_name="个体工匠张师傅", start=TODAY, finish=TODAY
    )
    app = application_accept(actor=a["community_worker"], application=app, data=accept_input(app))
    application_pay(actor=a["street_officer"], application=app)
    city = progress(actor=a["city_officer"])
    assert (city.goal, city.done) == (11000, 1)
    assert {d.path: d.target for d in city.districts} == {
        "210102": 11000,
        "210103": 0,
    }  # the fixture's elders are all in 和平区
    assert {d.path: d.by_year for d in city.districts} == {"210102": {2026: 1}, "210103": {}}
    target_set(actor=a["city_officer"], district_path="210103", households="2000")
    district = progress(actor=a["district_admin"])
    assert ([d.path for d in district.districts], district.goal, district.done) == (["210102"], 11000, 1)
    [line] = modifications_targets(actor=a["district_admin"], today=TODAY)
    assert (line.done, line.goal, line.goal_label) == (1, 11000.0, "和平区：2025年前完成 11000 户")
    [line] = modifications_targets(actor=a["city_officer"], today=TODAY)
    assert line.goal_label == "2025年前完成 11000 户"
    assert modifications_targets(actor=a["resident"], today=TODAY) == []
    with pytest.raises(DomainError):
        target_set(actor=a["district_admin"], district_path="210102", households="9000")


def test_a_photo_read_is_audited(mods):
    a = mods["actors"]
    app = _assessed(mods)
    row = app.photos.get()
    assert photo_read(actor=a["community_worker"], application=app, photo=row) == png()
    assert AuditEntry.objects.filter(action="care.mod_photo_read").count() == 1
