"""The JSON API: volunteers, activities, sign-ups, the scanner's check-in (idempotent), hours and
summaries; scope and pinned query counts."""

import time_machine

from linli.testing import log_in
from linli.volunteers.models import Activity, ServiceHours, SignUp, Volunteer
from linli.volunteers.services import qr_token
from linli.volunteers.tests.conftest import LAT, LNG, SHUIYUANDI, at, id_for

API = "/api/v1/volunteers"


def post(client, path, body, **headers):
    return client.post(f"{API}{path}", body, content_type="application/json", headers=headers)


def test_register_self_then_read_summary(client, people):
    log_in(client, "resident")
    body = {"name": "刘春燕", "id_number": id_for(51), "phone": "13600001111", "registered_path": SHUIYUANDI}
    response = post(client, "/volunteers", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["id_number_masked"].startswith("210102") and "*" in data["id_number_masked"]
    assert data["has_account"] is True
    me = client.get(f"{API}/volunteers/me").json()
    assert (me["display_name"], me["total_minutes"], me["star_level"]) == ("刘春燕", 0, 0)
    bad = post(client, "/volunteers", body | {"id_number": "210102196005040000"})
    assert bad.status_code in (409, 422)
    assert Volunteer.objects.count() == 1


def test_invalid_id_number_names_the_field(client, people):
    log_in(client, "community_worker")
    response = post(client, "/volunteers", {"name": "甲", "id_number": "12345", "registered_path": SHUIYUANDI})
    assert response.status_code == 422
    assert "id_number" in response.content.decode()
    assert Volunteer.objects.count() == 0


def test_create_activity_is_idempotent(client, people):
    log_in(client, "community_worker")
    body = {
        "title": "义诊",
        "organiser_path": SHUIYUANDI,
        "place": "卫生服务站",
        "starts_at": at(9, days=3).isoformat(),
        "ends_at": at(11, days=3).isoformat(),
        "shifts": [{"starts_at": at(9, days=3).isoformat(), "ends_at": at(11, days=3).isoformat(), "needed": 3}],
    }
    first = post(client, "/activities", body, **{"Idempotency-Key": "act-1"})
    again = post(client, "/activities", body, **{"Idempotency-Key": "act-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Activity.objects.count() == 1
    shifts = client.get(f"{API}/activities/{first.json()['id']}/shifts").json()
    assert [(s["needed"], s["taken"]) for s in shifts] == [(3, 0)]


def test_scanner_checks_a_volunteer_in_and_out_idempotently(client, actors, people, volunteer, activity, approvals):
    with time_machine.travel(at(8, 55, days=1), tick=False):
        log_in(client, "community_worker")  # staff sessions are short: log in on the day
        token = qr_token(activity)
        body = {"token": token, "volunteer_id": str(volunteer.public_id)}
        first = post(client, "/checkins", body, **{"Idempotency-Key": "scan-1"})
        replay = post(client, "/checkins", body, **{"Idempotency-Key": "scan-1"})
        repeat = post(client, "/checkins", body)  # a second scan at once: still checked in
    assert first.status_code == 200, first.content
    assert first.json() == replay.json()
    assert first.json()["checked_out"] is False and repeat.json()["repeated"] is True
    with time_machine.travel(at(10, 40, days=1), tick=False):
        log_in(client, "community_worker")
        out = post(client, "/checkins", body)
    assert out.json()["checked_out"] is True and out.json()["minutes"] == 90
    assert ServiceHours.objects.count() == 1 and len(approvals) == 1
    assert SignUp.objects.get().state == "confirmed"  # walk-in to an open activity


def test_sibling_worker_cannot_scan_for_our_activity(client, people, volunteer, activity):
    with time_machine.travel(at(9, 0, days=1), tick=False):
        log_in(client, "other_community_worker")
        response = post(client, "/checkins", {"token": qr_token(activity), "volunteer_id": str(volunteer.public_id)})
    assert response.status_code == 404
    assert ServiceHours.objects.count() == 0


def test_check_in_by_position_outside_radius(client, people, volunteer, activity):
    log_in(client, "resident")
    with time_machine.travel(at(9, 0, days=1), tick=False):
        response = post(client, "/checkins", {"activity_id": str(activity.public_id), "lat": LAT, "lng": LNG + 0.01})
    assert response.status_code == 400
    assert "outside_radius" in response.content.decode()
    assert ServiceHours.objects.count() == 0


def test_report_and_approve_hours(client, people, volunteer):
    log_in(client, "resident")
    report = post(
        client, "/hours", {"description": "陪独居老人就医", "started_at": at(9, days=-1).isoformat(), "minutes": 120}
    )
    assert report.status_code == 201 and report.json()["state"] == "pending"
    overlapping = post(
        client, "/hours", {"description": "又一次", "started_at": at(10, days=-1).isoformat(), "minutes": 30}
    )
    assert overlapping.status_code == 409 and "overlap" in overlapping.content.decode()
    assert ServiceHours.objects.count() == 1
    log_in(client, "resident")
    denied = post(client, f"/hours/{report.json()['id']}/decision", {"action": "approve"})
    assert denied.status_code == 404
    log_in(client, "community_worker")
    no_reason = post(client, f"/hours/{report.json()['id']}/decision", {"action": "reject"})
    assert no_reason.status_code == 422
    ok = post(client, f"/hours/{report.json()['id']}/decision", {"action": "approve"})
    assert ok.status_code == 200 and ok.json()["state"] == "approved"
    summary = client.get(f"{API}/volunteers/{volunteer.public_id}/summary").json()
    assert summary["total_minutes"] == 120 and summary["display_name"] == "李**"


def test_sign_up_twice_refused_and_full_shift_refused(client, actors, people, volunteer, activity):
    from linli.volunteers.services import volunteer_register
    from linli.volunteers.tests.conftest import volunteer_input

    log_in(client, "resident")
    second_shift = activity.shifts.order_by("starts_at").last()  # 1 place
    first = post(client, "/signups", {"shift_id": str(second_shift.public_id)})
    assert first.status_code == 201
    twice = post(client, "/signups", {"shift_id": str(second_shift.public_id)})
    assert twice.status_code == 409
    other = volunteer_register(actor=actors["community_worker"], data=volunteer_input(61, phone=""), for_self=False)
    from linli.core.errors import DomainError
    from linli.volunteers.services import signup_create

    try:
        signup_create(actor=actors["community_worker"], shift_id=second_shift.public_id, volunteer=other)
    except DomainError as error:
        assert "已满" in error.message.zh
    else:
        raise AssertionError("a full shift accepted a sign-up")
    assert SignUp.objects.filter(shift=second_shift).count() == 1


def test_list_endpoints_have_pinned_query_counts(client, actors, people, django_assert_max_num_queries):
    from linli.volunteers.services import volunteer_register
    from linli.volunteers.tests.conftest import volunteer_input

    for n in range(15):
        volunteer_register(
            actor=actors["community_worker"], data=volunteer_input(300 + 2 * n, phone=""), for_self=False
        )
    log_in(client, "community_worker")
    with django_assert_max_num_queries(6):
        response = client.get(f"{API}/volunteers")
    assert response.json()["count"] == 15
    with django_assert_max_num_queries(6):
        assert client.get(f"{API}/hours").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(f"{API}/activities").status_code == 200


def test_other_district_sees_none(client, actors, people, volunteer):
    log_in(client, "other_district_admin")
    assert client.get(f"{API}/volunteers").json()["count"] == 0
    assert client.get(f"{API}/volunteers/{volunteer.public_id}").status_code == 404
