"""Staff and organiser pages: publish, confirm, approve, proxy entry, correction, reveal, import,
exports, QR, figures; the role × scope matrix; pinned query counts."""

import io

import pytest
import time_machine
from django.urls import reverse

from linli.core.models import AuditEntry
from linli.core.sheets import Sheet, workbook
from linli.testing import log_in
from linli.volunteers.models import Activity, ServiceHours, SignUp, Volunteer
from linli.volunteers.services import HoursInput, activity_create, hours_report, signup_create
from linli.volunteers.tests.conftest import SHUIYUANDI, at, id_for, volunteer_input

ACTIVITY_FORM = {
    "title": "重阳节敬老包饺子",
    "organiser_path": SHUIYUANDI,
    "place": "水源地社区党群服务中心",
    "lat": "41.748",
    "lng": "123.43",
    "radius_m": "300",
    "starts_at": "2026-12-20T09:00",
    "ends_at": "2026-12-20T12:00",
    "shifts": "09:00-10:30 4\n10:30-12:00 3",
    "needed": "10",
    "signup_mode": "confirm",
    "required_skills": ["elder_care"],
    "publish": "on",
}


def test_community_worker_publishes_an_activity_with_shifts(client, people):
    log_in(client, "community_worker")
    response = client.post(reverse("portal:volunteers:activity-new"), ACTIVITY_FORM)
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.status == "published" and activity.signup_mode == "confirm"
    assert [s.needed for s in activity.shifts.order_by("starts_at")] == [4, 3]
    page = client.get(response["Location"])
    assert page.status_code == 200 and "重阳节敬老包饺子" in page.content.decode()
    qr = client.get(reverse("portal:volunteers:activity-qr", args=[activity.public_id]))
    assert qr.status_code == 200 and "data:image/svg+xml" in qr.content.decode()


def test_publish_refuses_bad_shift_line_and_saves_nothing(client, people):
    log_in(client, "community_worker")
    response = client.post(reverse("portal:volunteers:activity-new"), ACTIVITY_FORM | {"shifts": "nine to ten"})
    assert response.status_code == 400
    assert "第 1 行" in response.content.decode()
    assert Activity.objects.count() == 0


def test_sibling_community_worker_cannot_publish_in_our_community(actors):
    from linli.core.errors import DomainError
    from linli.volunteers.services import ActivityInput

    with pytest.raises(DomainError) as err:
        activity_create(
            actor=actors["other_community_worker"],
            data=ActivityInput(
                title="x", organiser_path=SHUIYUANDI, place="x", starts_at=at(9, days=1), ends_at=at(10, days=1)
            ),
        )
    assert err.value.status == 404
    assert Activity.objects.count() == 0


def test_confirm_mode_then_approve_reported_hours(client, actors, people, volunteer, activity):
    Activity.objects.filter(pk=activity.pk).update(signup_mode="confirm")
    shift = activity.shifts.order_by("starts_at").first()
    signup = signup_create(actor=actors["resident"], shift_id=shift.public_id)
    assert signup.state == "requested"
    log_in(client, "community_worker")
    home = client.get(reverse("portal:volunteers:home"))
    assert "李秀兰" in home.content.decode()
    client.post(reverse("portal:volunteers:signup-decide", args=[signup.public_id]), {"action": "confirm"})
    assert SignUp.objects.get(pk=signup.pk).state == "confirmed"
    row = hours_report(
        actor=actors["resident"],
        data=HoursInput(description="帮邻居修水管", started_at=at(8, days=-1), minutes=60, beneficiary="王大爷"),
    )
    queue = client.get(reverse("portal:volunteers:hours"))
    assert "帮邻居修水管" in queue.content.decode()
    refused = client.post(reverse("portal:volunteers:hours-decide", args=[row.public_id]), {"action": "reject"})
    assert refused.status_code == 302
    assert ServiceHours.objects.get(pk=row.pk).state == "pending"  # a rejection needs a reason
    client.post(reverse("portal:volunteers:hours-decide", args=[row.public_id]), {"action": "approve"})
    assert ServiceHours.objects.get(pk=row.pk).state == "approved"


def test_proxy_entry_and_correction_are_new_rows(client, actors, approvals):
    log_in(client, "community_worker")
    form = volunteer_input(31, name="孙桂芝", phone="")
    client.post(
        reverse("portal:volunteers:volunteer-new"),
        {"name": form.name, "id_number": form.id_number, "registered_path": SHUIYUANDI},
    )
    elder = Volunteer.objects.get(name="孙桂芝")
    assert elder.user_id is None and elder.phone_masked == ""
    response = client.post(
        reverse("portal:volunteers:volunteer-proxy", args=[elder.public_id]),
        {"description": "社区读报", "started_at": at(9, days=-2).strftime("%Y-%m-%dT%H:%M"), "minutes": "120"},
    )
    assert response.status_code == 302
    row = ServiceHours.objects.get(volunteer=elder)
    assert (row.kind, row.state, row.minutes, row.recorded_by_id) == ("proxy", "approved", 120, row.approved_by_id)
    client.post(reverse("portal:volunteers:hours-correct", args=[row.public_id]), {"minutes": "-30", "reason": "多记"})
    correction = ServiceHours.objects.get(kind="correction")
    assert correction.minutes == -30 and correction.corrects_id == row.pk
    assert ServiceHours.objects.get(pk=row.pk).minutes == 120
    assert [a["minutes"] for a in approvals] == [120, -30]
    too_much = client.post(
        reverse("portal:volunteers:hours-correct", args=[row.public_id]),
        {"minutes": "-100", "reason": "再减"},
        follow=True,
    )
    assert "不能为负" in too_much.content.decode()
    assert ServiceHours.objects.filter(kind="correction").count() == 1


def test_reveal_needs_reason_and_is_audited(client, people, volunteer):
    log_in(client, "community_worker")
    url = reverse("portal:volunteers:volunteer-reveal", args=[volunteer.public_id])
    refused = client.post(url, {"field": "id_number", "reason": ""})
    assert refused.status_code == 400
    assert not AuditEntry.objects.filter(action="volunteer.reveal").exists()
    shown = client.post(url, {"field": "id_number", "reason": "核对身份"})
    assert volunteer_input().id_number in shown.content.decode()
    assert AuditEntry.objects.get(action="volunteer.reveal").reason == "核对身份"
    log_in(client, "grid_worker")  # may view, may not reveal
    assert client.post(url, {"field": "id_number", "reason": "看看"}).status_code == 404


def test_import_saves_good_rows_and_lists_bad_ones(client, people):
    log_in(client, "community_worker")
    content = workbook(
        [
            Sheet(
                "志愿者",
                ["姓名*", "身份证号*", "手机号码", "社区代码*", "服务技能"],
                [
                    ["周建国", id_for(41, gender="male"), "13700001111", SHUIYUANDI, "助老服务"],
                    ["错号码", "210102196005040000", "", SHUIYUANDI, ""],
                    ["", id_for(42), "", SHUIYUANDI, ""],
                ],
            )
        ]
    )
    upload = io.BytesIO(content)
    upload.name = "roster.xlsx"
    response = client.post(reverse("portal:volunteers:import"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert Volunteer.objects.count() == 1 and Volunteer.objects.get().name == "周建国"
    assert "身份证号" in body and "校验位" in body
    assert ">3<" in body  # line 3 (the bad ID) and line 4 (no name) are listed
    template = client.get(reverse("portal:volunteers:import-template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")


def test_exports_are_masked(client, people, volunteer):
    log_in(client, "community_worker")
    response = client.get(reverse("portal:volunteers:volunteers") + "?format=csv")
    text = response.content.decode("utf-8-sig")
    assert volunteer.id_number_masked in text
    assert volunteer_input().id_number not in text and "13812345678" not in text
    assert AuditEntry.objects.filter(action="volunteer.export").exists()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("community_worker", 200),
        ("street_officer", 200),
        ("district_admin", 200),
        ("city_admin", 200),
        ("other_community_worker", 404),
        ("other_district_admin", 404),
        ("resident", 404),
        ("organiser", 404),  # speaks for no organisation that organises it
    ],
)
def test_activity_page_matrix(client, people, activity, username, status):
    log_in(client, username)
    assert client.get(reverse("portal:volunteers:activity", args=[activity.public_id])).status_code == status


def test_anonymous_is_sent_to_log_in(client, people, activity):
    response = client.get(reverse("portal:volunteers:activity", args=[activity.public_id]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_organiser_sees_only_own_organisations_activities(client, actors, people, organisations):
    from linli.volunteers.services import ActivityInput

    ours = activity_create(
        actor=actors["organiser"],
        data=ActivityInput(
            title="互助会义剪",
            organiser_path=SHUIYUANDI,
            organisation_id=str(organisations["ours"].public_id),
            place="活动室",
            starts_at=at(9, days=1),
            ends_at=at(11, days=1),
        ),
    )
    theirs = activity_create(
        actor=actors["street_officer"],
        data=ActivityInput(
            title="滨河助老",
            organiser_path=SHUIYUANDI,
            organisation_id=str(organisations["theirs"].public_id),
            place="滨河",
            starts_at=at(9, days=1),
            ends_at=at(11, days=1),
        ),
    )
    community = activity_create(
        actor=actors["community_worker"],
        data=ActivityInput(
            title="社区自办", organiser_path=SHUIYUANDI, place="x", starts_at=at(9, days=1), ends_at=at(11, days=1)
        ),
    )
    log_in(client, "organiser")
    assert client.get(reverse("portal:volunteers:activity", args=[ours.public_id])).status_code == 200
    assert client.get(reverse("portal:volunteers:activity", args=[theirs.public_id])).status_code == 404
    assert client.get(reverse("portal:volunteers:activity", args=[community.public_id])).status_code == 404
    listed = client.get(reverse("portal:volunteers:activities")).content.decode()
    assert "互助会义剪" in listed and "滨河助老" not in listed and "社区自办" not in listed
    # publishing for another organisation is refused and saves nothing
    before = Activity.objects.count()
    response = client.post(
        reverse("portal:volunteers:activity-new"),
        ACTIVITY_FORM | {"organisation_id": str(organisations["theirs"].public_id)},
    )
    assert response.status_code == 400
    assert Activity.objects.count() == before


def test_figures_page_shows_targets(client, actors, people, volunteer):
    from linli.volunteers.services import figures_refresh

    hours_report(actor=actors["resident"], data=HoursInput(description="陪聊", started_at=at(9, days=-1), minutes=90))
    figures_refresh(months=2)
    log_in(client, "street_officer")
    body = client.get(reverse("portal:volunteers:figures")).content.decode()
    assert "1650000" in body or "1,650,000" in body
    assert "水源地社区" in body


def test_volunteer_list_query_count_is_pinned(client, people, django_assert_max_num_queries):
    from linli.accounts.selectors import actor_for_user
    from linli.volunteers.services import volunteer_register

    worker = actor_for_user(people["community_worker"])
    for n in range(12):
        volunteer_register(actor=worker, data=volunteer_input(200 + 2 * n, name=f"志愿者{n}", phone=""), for_self=False)
    log_in(client, "community_worker")
    url = reverse("portal:volunteers:volunteers")
    client.get(url)
    with django_assert_max_num_queries(12) as captured:
        response = client.get(url)
    assert response.status_code == 200 and "志愿者11" in response.content.decode()
    first = len(captured.captured_queries)
    for n in range(12, 30):
        volunteer_register(actor=worker, data=volunteer_input(200 + 2 * n, name=f"志愿者{n}", phone=""), for_self=False)
    with django_assert_max_num_queries(first):
        client.get(url)


def test_time_machine_imported():
    assert time_machine


def test_today_counts_every_activity_of_the_day_not_only_the_rows_shown(actors):
    from linli.core.workbench import FIRST_ROWS
    from linli.volunteers.services import ActivityInput, ShiftInput
    from linli.volunteers.workbench import volunteers_today

    for n in range(FIRST_ROWS + 2):
        activity_create(
            actor=actors["community_worker"],
            data=ActivityInput(
                title=f"活动{n}",
                organiser_path=SHUIYUANDI,
                place="水源地社区",
                lat=41.748,
                lng=123.43,
                radius_m=200,
                starts_at=at(9, days=1),
                ends_at=at(10, days=1),
                shifts=[ShiftInput(at(9, days=1), at(10, days=1), 2)],
            ),
        )
    tomorrow = at(9, days=1).date()
    section = volunteers_today(actors["community_worker"], tomorrow)
    count = next(c for c in section.counts if c.key == "volunteers.today")
    assert (count.count, len(section.rows)) == (FIRST_ROWS + 2, FIRST_ROWS)
    assert volunteers_today(actors["other_community_worker"], tomorrow).counts[2].count == 0
