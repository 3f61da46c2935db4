"""Classes' pages as each role: the resident's page on a phone (request, vote, enrol, waiting
list, rate), the staff pages across the role × scope matrix, pinned query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from linli.care.models import ClassEnrolment, ClassRequest, HappyClass
from linli.care.services.classes import class_enrol, request_create
from linli.care.tests import classes_support
from linli.care.tests.classes_support import NOW, SHUIYUANDI, a_class
from linli.testing import log_in

pytestmark = pytest.mark.django_db
clock = classes_support.clock
neighbours = classes_support.neighbours
STAFF_PAGES = ("classes-list", "classes-requests", "classes-lecturers", "classes-figures", "classes-sites")


def test_anonymous_goes_to_log_in_and_a_resident_sees_no_staff_page(client, neighbours):
    for name in STAFF_PAGES:
        assert client.get(reverse(f"portal:care:{name}")).status_code == 302
    log_in(client, "wang")
    for name in STAFF_PAGES:
        assert client.get(reverse(f"portal:care:{name}")).status_code == 404


@pytest.mark.parametrize(
    ("user", "sees_detail", "status"),
    [
        ("community_worker", True, 200),
        ("street_officer", True, 200),
        ("other_community_worker", False, 200),
        ("civil_affairs_officer", True, 200),
        ("district_admin", False, 200),  # figures only
        ("other_district_admin", False, 200),
    ],
)
def test_staff_pages_by_role_and_scope(client, neighbours, actors, user, sees_detail, status):
    item = a_class(actors["community_worker"])
    log_in(client, user)
    assert client.get(reverse("portal:care:classes-figures")).status_code == status
    detail = client.get(reverse("portal:care:classes-detail", args=[item.public_id]))
    assert detail.status_code == (200 if sees_detail else 404)
    listing = client.get(reverse("portal:care:classes-list"))
    if user == "district_admin" or user == "other_district_admin":
        assert listing.status_code == 404
    else:
        assert (item.title in listing.content.decode()) is sees_detail


def test_the_resident_requests_votes_and_enrols_onto_the_waiting_list(client, neighbours, actors):
    item = a_class(actors["community_worker"], capacity=1)
    class_enrol(actor=neighbours["li"], public_id=item.public_id)
    other = request_create(actor=neighbours["li"], title="防诈骗讲座", why="老人常接到诈骗电话")
    log_in(client, "wang")
    home = reverse("portal:care-resident:classes-home")
    page = client.get(home).content.decode()
    assert "智能手机入门" in page and "防诈骗讲座" in page
    bad = client.post(home, {"title": "", "why": ""})
    assert bad.status_code == 200 and "请填写想学的内容" in bad.content.decode()
    assert ClassRequest.objects.count() == 1
    assert client.post(home, {"title": "书法入门", "why": "练字养心", "preferred_times": "周末"}).status_code == 302
    assert ClassRequest.objects.filter(title="书法入门", votes=1).count() == 1
    client.post(reverse("portal:care-resident:classes-vote", args=[other.public_id]))
    assert ClassRequest.objects.get(pk=other.pk).votes == 2
    answer = client.post(reverse("portal:care-resident:classes-enrol", args=[item.public_id]), follow=True)
    assert "课程已满，您已进入候补名单。" in answer.content.decode()
    assert "候补第 1 位" in answer.content.decode()
    assert ClassEnrolment.objects.get(user__username="wang").state == "waiting"


def test_a_refusal_is_shown_not_a_500(client, neighbours, actors):
    item = a_class(actors["community_worker"], publish=False)
    log_in(client, "wang")
    answer = client.post(reverse("portal:care-resident:classes-enrol", args=[item.public_id]), follow=True)
    assert "这门课现在不接受报名" in answer.content.decode()
    assert ClassEnrolment.objects.count() == 0


def test_the_worker_plans_from_a_request_and_records_attendance(client, neighbours, actors, clock):
    request = request_create(actor=neighbours["wang"], title="智能手机使用", why="想和孙子视频")
    log_in(client, "community_worker")
    new = reverse("portal:care:classes-new")
    assert client.get(f"{new}?request={request.public_id}&community={SHUIYUANDI}").status_code == 200
    day = (NOW + dt.timedelta(days=1)).date()
    bad = client.post(new, {"community": SHUIYUANDI, "title": "", "capacity": "x", "audience": "all", "weeks": 1})
    assert "请填写课程名称" in bad.content.decode() and HappyClass.objects.count() == 0
    form = {
        "community": SHUIYUANDI,
        "title": "智能手机入门",
        "capacity": "1",
        "audience": "elderly",
        "classroom_name": "社区活动室",
        "first_day": day.isoformat(),
        "starts": "09:00",
        "ends": "10:30",
        "weeks": 2,
        "requests": [str(request.public_id)],
    }
    assert client.post(new, form).status_code == 302
    item = HappyClass.objects.get()
    assert (item.sessions.count(), ClassRequest.objects.get().state) == (2, "planned")
    client.post(reverse("portal:care:classes-act", args=[item.public_id, "publish"]))
    enrolment = class_enrol(actor=neighbours["wang"], public_id=item.public_id)
    session = item.sessions.first()
    clock.move_to(session.starts_at + dt.timedelta(minutes=5))
    log_in(client, "community_worker")  # a day later: the staff session has timed out
    url = reverse("portal:care:classes-attendance", args=[item.public_id, session.pk])
    assert "王秀兰" in client.get(url).content.decode()
    assert client.post(url, {"present": [str(enrolment.public_id)]}).status_code == 302
    session.refresh_from_db()
    assert session.present == 1
    log_in(client, "other_community_worker")
    assert client.get(url).status_code == 404


def test_list_pages_pin_their_queries(client, neighbours, actors, django_assert_num_queries):
    for n in range(3):
        a_class(actors["community_worker"], title=f"课程{n}")
        request_create(actor=neighbours["wang"], title=f"需求{n}", why="想学")
    log_in(client, "community_worker")
    for name in ("classes-list", "classes-requests"):
        client.get(reverse(f"portal:care:{name}"))  # warm the session and the menu's memo
        with django_assert_num_queries(5):
            client.get(reverse(f"portal:care:{name}"))
    log_in(client, "wang")
    client.get(reverse("portal:care-resident:classes-home"))
    with django_assert_num_queries(9):
        client.get(reverse("portal:care-resident:classes-home"))
