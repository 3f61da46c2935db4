"""Modifications' pages as each role: the role × scope matrix, the phone forms (assessment with a
before photo, acceptance with after photos), refusals shown next to the form, pinned queries."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from linli.care.models import ModificationApplication
from linli.care.services.modifications import (
    application_apply,
    application_assess,
    application_confirm,
    application_start,
)
from linli.care.tests.modifications_support import NOW, PLAN, TODAY, build_mods, photo, png
from linli.testing import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def mods(tree, people, clock):
    return build_mods(tree, people)


def _status(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


def _applied(mods):
    return application_apply(actor=mods["actors"]["daughter"], person_ref=str(mods["mother"].public_id))


def test_the_staff_pages_follow_the_role_and_scope_matrix(client, mods):
    app = _applied(mods)
    u = mods["users"]
    item = reverse("portal:care:modifications-item", args=[app.public_id])
    queue = reverse("portal:care:modifications")
    expected = {
        "resident": (404, 404),
        "other_community_worker": (200, 404),
        "community_worker": (200, 200),
        "street_officer": (200, 200),
        "civil_affairs_officer": (200, 200),
    }
    seen = {name: (_status(client, u[name], queue), _status(client, u[name], item)) for name in expected}
    assert seen == expected
    assert _status(client, None, item) == 302  # to the log-in
    for name in ("modifications-new", "modifications-candidates", "modifications-progress", "modifications-items"):
        assert _status(client, u["community_worker"], reverse(f"portal:care:{name}")) == 200
    assert _status(client, u["district_admin"], reverse("portal:care:modifications-progress")) == 200
    assert _status(client, u["district_admin"], queue) == 404


def test_the_queue_pins_its_queries_and_flags_overdue_assessments(client, mods, clock, django_assert_num_queries):
    _applied(mods)
    application_apply(actor=mods["actors"]["community_worker"], person_ref=str(mods["tekun"].public_id))
    clock.move_to(dt.datetime(2026, 12, 22, 10, 0, tzinfo=TODAY and dt.timezone(dt.timedelta(hours=8))))
    log_in(client, "community_worker")
    client.get(reverse("portal:care:modifications"))  # warm the session and the memos
    with django_assert_num_queries(9):
        page = client.get(reverse("portal:care:modifications") + "?state=applied")
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count('class="muted overdue"') == 2
    assert "2 个家庭已超过入户评估时限" in text or "2 homes are past their assessment date" in text


def test_a_home_assessment_on_the_phone_with_a_before_photo(client, mods):
    app = _applied(mods)
    log_in(client, "community_worker")
    url = reverse("portal:care:modifications-assess", args=[app.public_id])
    refused = client.post(url, {"qty_grab_bar": "abc"})
    assert refused.status_code == 400
    assert "0.1" in refused.content.decode()
    assert ModificationApplication.objects.get().state == "applied"
    answer = client.post(
        url,
        {
            "qty_grab_bar": "2",
            "note_grab_bar": "马桶旁",
            "qty_night_light": "3",
            "qty_care_bed": "1",
            "photos": [SimpleUploadedFile("before.png", png(), content_type="image/png")],
        },
    )
    assert answer.status_code == 302
    app.refresh_from_db()
    assert (app.state, str(app.subsidy), str(app.own_share), app.photos.count()) == ("assessed", "540.00", "2800.00", 1)
    page = client.get(reverse("portal:care:modifications-item", args=[app.public_id]))
    assert "¥3,340.00" in page.content.decode() or "¥3340.00" in page.content.decode()
    photo_url = reverse("portal:care:modifications-photo", args=[app.public_id, app.photos.get().public_id])
    shown = client.get(photo_url)
    assert (shown.status_code, shown["Content-Type"], shown.content) == (200, "image/png", png())
    log_in(client, "other_community_worker")
    assert client.get(photo_url).status_code == 404


def test_acceptance_with_after_photos_then_the_street_pays(client, mods):
    a = mods["actors"]
    app = application_assess(actor=a["community_worker"], application=_applied(mods), lines=PLAN, photos=[photo()])
    app = application_confirm(actor=a["daughter"], application=app)
    app = application_start(
        actor=a["community_worker"], application=app, contractor_name="个体工匠张师傅", start=TODAY, finish=TODAY
    )
    lines = list(app.lines.all())
    log_in(client, "community_worker")
    url = reverse("portal:care:modifications-accept", args=[app.public_id])
    data = {f"after_{line.pk}": SimpleUploadedFile("after.png", png(), content_type="image/png") for line in lines[:2]}
    refused = client.post(url, data | {"satisfaction": "5", "finished_on": TODAY.isoformat()})
    assert refused.status_code == 400
    app.refresh_from_db()
    assert (app.state, app.photos.filter(stage="after").count()) == ("in_works", 0)
    data = {f"after_{line.pk}": SimpleUploadedFile("after.png", png(), content_type="image/png") for line in lines[:2]}
    data[f"reason_{lines[2].pk}"] = "家属自购，尚未送达"
    answer = client.post(url, data | {"satisfaction": "4", "finished_on": TODAY.isoformat()})
    assert answer.status_code == 302
    app.refresh_from_db()
    assert (app.state, app.satisfaction) == ("accepted", 4)
    log_in(client, "community_worker")
    pay = reverse("portal:care:modifications-pay", args=[app.public_id])
    assert client.post(pay, {"amount": "540"}).status_code == 404  # not the community's step
    log_in(client, "street_officer")
    assert client.post(pay, {"amount": "540", "paid_on": TODAY.isoformat()}).status_code == 302
    app.refresh_from_db()
    assert app.state == "paid"


def test_the_family_applies_on_the_phone_and_confirms_the_plan(client, mods):
    log_in(client, "daughter")
    url = reverse("portal:care-resident:modifications-mine")
    page = client.get(url)
    assert page.status_code == 200 and "刘桂兰" in page.content.decode()
    answer = client.post(url, {"person": str(mods["mother"].public_id), "note": "卫生间太滑"})
    app = ModificationApplication.objects.get()
    assert answer.status_code == 302 and app.channel == "resident"
    refused = client.post(url, {"person": str(mods["tekun"].public_id)})
    assert refused.status_code == 400 and ModificationApplication.objects.count() == 1
    application_assess(actor=mods["actors"]["community_worker"], application=app, lines=PLAN, photos=[photo()])
    item = reverse("portal:care-resident:modifications-mine-item", args=[app.public_id])
    assert client.post(item, {"action": "confirm"}).status_code == 302
    app.refresh_from_db()
    assert app.state == "confirmed"
    log_in(client, "resident")  # someone else's family
    assert client.get(item).status_code == 404


def test_the_city_edits_prices_and_targets_and_a_district_cannot(client, mods):
    client.force_login(mods["users"]["city_officer"])
    items = reverse("portal:care:modifications-items")
    bad = client.post(items, {"code": "grab_bar", "unit_price": "x", "valid_from": TODAY.isoformat(), "basic": "1"})
    assert bad.status_code == 400
    assert (
        client.post(
            items, {"code": "grab_bar", "unit_price": "200", "valid_from": TODAY.isoformat(), "basic": "1"}
        ).status_code
        == 302
    )
    progress = reverse("portal:care:modifications-progress")
    assert client.post(progress, {"district": "210103", "n": "3000"}).status_code == 302
    log_in(client, "civil_affairs_officer")  # a district's
    assert client.post(progress, {"district": "210102", "n": "1"}).status_code == 400
