"""Resident pages through the test client: register, browse, sign up, check in and out by the
QR link and by position, report help, my hours."""

import time_machine
from django.urls import reverse

from linli.testing import log_in
from linli.volunteers.models import ServiceHours, SignUp, Volunteer
from linli.volunteers.services import qr_token
from linli.volunteers.tests.conftest import LAT, LNG, SHUIYUANDI, at, id_for


def test_register_refuses_a_bad_id_and_saves_nothing(client, people):
    log_in(client, "resident")
    data = {"name": "王小明", "id_number": "210102196005040000", "phone": "13900001111", "registered_path": SHUIYUANDI}
    response = client.post(reverse("portal:volunteer:register"), data)
    assert response.status_code == 400
    assert "校验位" in response.content.decode()
    assert Volunteer.objects.count() == 0


def test_register_minor_needs_guardian(client, people):
    log_in(client, "resident")
    data = {
        "name": "王小明",
        "id_number": id_for(21, birth="2012-03-04", gender="male"),
        "phone": "13900001111",
        "registered_path": SHUIYUANDI,
    }
    response = client.post(reverse("portal:volunteer:register"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "监护人姓名" in body and "监护人同意" in body
    assert Volunteer.objects.count() == 0
    data |= {"guardian_name": "王大明", "guardian_phone": "13900002222", "guardian_consent": "on"}
    response = client.post(reverse("portal:volunteer:register"), data)
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.guardian_name == "王大明" and volunteer.guardian_phone_masked == "139****2222"
    assert volunteer.id_number_masked.startswith("210102") and "*" in volunteer.id_number_masked


def test_journey_sign_up_check_in_and_out_by_qr(client, people, volunteer, activity):
    log_in(client, "resident")
    page = client.get(reverse("portal:volunteer:activity", args=[activity.public_id]))
    assert page.status_code == 200 and "楼道清理" in page.content.decode()
    shift = activity.shifts.order_by("starts_at").first()
    response = client.post(reverse("portal:volunteer:sign-up", args=[activity.public_id]), {"shift": shift.public_id})
    assert response.status_code == 302
    assert SignUp.objects.get().state == "confirmed"
    again = client.post(
        reverse("portal:volunteer:sign-up", args=[activity.public_id]), {"shift": shift.public_id}, follow=True
    )
    assert "不能重复报名" in again.content.decode()
    assert SignUp.objects.count() == 1
    with time_machine.travel(at(8, 50, days=1), tick=False):  # the organiser shows the code on the day
        url = reverse("portal:volunteer:check", args=[qr_token(activity)])
    with time_machine.travel(at(9, 5, days=1), tick=False):
        assert "vol-check-button" in client.get(url).content.decode()
        first = client.post(url, {"action": "in"})
        assert first.status_code == 200, first.content.decode()[-3000:]
    with time_machine.travel(at(10, 0, days=1), tick=False):
        done = client.post(url, {"action": "out"})
    assert done.status_code == 200
    row = ServiceHours.objects.get()
    assert row.minutes == 55 and row.state == "approved"
    hours = client.get(reverse("portal:volunteer:hours"))
    assert "55" in hours.content.decode()


def test_check_in_outside_radius_says_how_far(client, people, volunteer, activity):
    log_in(client, "resident")
    url = reverse("portal:volunteer:check-position", args=[activity.public_id])
    with time_machine.travel(at(9, 5, days=1), tick=False):
        response = client.post(url, {"lat": LAT + 0.01, "lng": LNG})
    assert response.status_code == 400
    assert "超出签到范围" in response.content.decode() and "1,112" in response.content.decode()
    assert ServiceHours.objects.count() == 0


def test_check_in_outside_window_says_when(client, people, volunteer, activity):
    log_in(client, "resident")
    url = reverse("portal:volunteer:check-position", args=[activity.public_id])
    response = client.post(url, {"lat": LAT, "lng": LNG})  # today: the activity is tomorrow
    assert response.status_code == 400
    assert "签到从" in response.content.decode()
    assert ServiceHours.objects.count() == 0


def test_expired_qr_link_refused(client, people, volunteer, activity):
    log_in(client, "resident")
    token = qr_token(activity)
    with time_machine.travel(at(23, days=2), tick=False):
        response = client.post(reverse("portal:volunteer:check", args=[token]))
    assert response.status_code == 400 and "已过期" in response.content.decode()
    assert ServiceHours.objects.count() == 0


def test_public_activity_page_anonymous_shows_no_personal_data(client, people, volunteer, activity):
    shift = activity.shifts.order_by("starts_at").first()
    SignUp.objects.create(shift=shift, volunteer=volunteer, state="confirmed")
    response = client.get(reverse("portal:volunteer:activity", args=[activity.public_id]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "李秀兰" not in body and volunteer.id_number_masked not in body
    assert "还剩 1 个名额" in body or "1 of 2 places left" in body


def test_report_help_waits_for_approval(client, people, volunteer):
    log_in(client, "resident")
    started = at(9, days=-1)
    response = client.post(
        reverse("portal:volunteer:report"),
        {
            "description": "帮 302 的张奶奶买菜",
            "beneficiary": "张奶奶",
            "started_at": started.strftime("%Y-%m-%dT%H:%M"),
            "minutes": "45",
            "served_path": SHUIYUANDI,
        },
    )
    assert response.status_code == 302
    row = ServiceHours.objects.get()
    assert (row.kind, row.state, row.minutes) == ("reported", "pending", 45)


def test_home_and_list_for_a_visitor_and_a_volunteer(client, people, volunteer, activity):
    for path in ("/volunteer/", "/volunteer/activities/"):
        response = client.get(path)
        assert response.status_code == 200 and "楼道清理" in response.content.decode()
    log_in(client, "resident")
    home = client.get("/volunteer/").content.decode()
    assert "李秀兰" in home and "vol-stars" in home
