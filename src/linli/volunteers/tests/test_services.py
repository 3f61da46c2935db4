from datetime import timedelta

import pytest
import time_machine
from django.db import DatabaseError, transaction

from linli.core.errors import DomainError
from linli.volunteers.models import ServiceHours, SignUp, Volunteer
from linli.volunteers.selectors import volunteer_brief, volunteer_for_user
from linli.volunteers.services import check_in_or_out, signup_create
from linli.volunteers.tests.conftest import LAT, LNG, at


def test_check_in_and_out_counts_clock_minutes_and_signals_once(actors, people, volunteer, activity, approvals):
    shift = activity.shifts.order_by("starts_at").first()
    signup_create(actor=actors["resident"], shift_id=shift.public_id)
    with time_machine.travel(at(8, 50, days=1), tick=False):
        first = check_in_or_out(actor=actors["resident"], activity=activity, lat=LAT, lng=LNG)
    assert not first.checked_out
    assert approvals == []
    with time_machine.travel(at(10, 45, days=1), tick=False):
        second = check_in_or_out(actor=actors["resident"], activity=activity, lat=LAT, lng=LNG)
    assert second.checked_out
    assert second.hours.minutes == 90  # capped by the 9:00–10:30 shift
    assert len(approvals) == 1
    assert approvals[0]["minutes"] == 90
    assert approvals[0]["volunteer_id"] == volunteer.public_id
    assert approvals[0]["served_path"] == "210102001002"
    brief = volunteer_for_user(people["resident"].pk)
    assert brief.total_minutes == 90 and brief.star_level == 0
    staff = volunteer_brief(actor=actors["community_worker"], public_id=volunteer.public_id)
    assert staff.display_name == "李**"


def test_approved_rows_are_append_only(actors, volunteer, activity):
    shift = activity.shifts.order_by("starts_at").first()
    signup_create(actor=actors["resident"], shift_id=shift.public_id)
    with time_machine.travel(at(9, 0, days=1), tick=False):
        check_in_or_out(actor=actors["resident"], activity=activity, lat=LAT, lng=LNG)
    with time_machine.travel(at(9, 30, days=1), tick=False):
        row = check_in_or_out(actor=actors["resident"], activity=activity, lat=LAT, lng=LNG).hours
    with pytest.raises(DatabaseError), transaction.atomic():
        ServiceHours.objects.filter(pk=row.pk).update(minutes=500)
    with pytest.raises(DatabaseError), transaction.atomic():
        ServiceHours.objects.filter(pk=row.pk).delete()
    assert ServiceHours.objects.get(pk=row.pk).minutes == 30


def test_double_sign_up_refused(actors, volunteer, activity):
    shift = activity.shifts.order_by("starts_at").first()
    signup_create(actor=actors["resident"], shift_id=shift.public_id)
    with pytest.raises(DomainError) as err:
        signup_create(actor=actors["resident"], shift_id=shift.public_id)
    assert err.value.status == 409 and "重复报名" in err.value.message.zh
    assert SignUp.objects.filter(volunteer=volunteer).count() == 1
    assert Volunteer.objects.count() == 1
    _ = timedelta


def test_a_failing_receiver_rolls_the_approval_back(actors, volunteer):
    from linli.volunteers.services import HoursInput, hours_decide, hours_report
    from linli.volunteers.signals import hours_approved

    row = hours_report(
        actor=actors["resident"], data=HoursInput(description="送餐", started_at=at(9, days=-1), minutes=60)
    )

    def refuse(sender, **kwargs):
        raise RuntimeError("the time bank is closed")

    hours_approved.connect(refuse, dispatch_uid="refuse")
    try:
        with pytest.raises(RuntimeError):
            hours_decide(actor=actors["community_worker"], row=row, approve=True)
    finally:
        hours_approved.disconnect(dispatch_uid="refuse")
    assert ServiceHours.objects.get(pk=row.pk).state == "pending"


def test_invalid_id_and_duplicate_registration_save_nothing(actors, volunteer):
    from linli.volunteers.services import volunteer_register
    from linli.volunteers.tests.conftest import volunteer_input

    with pytest.raises(DomainError) as bad:
        volunteer_register(
            actor=actors["community_worker"],
            data=volunteer_input(name="甲", id_number="210102196005040000"),
            for_self=False,
        )
    assert bad.value.fields[0].field == "id_number"
    with pytest.raises(DomainError) as twice:
        volunteer_register(actor=actors["community_worker"], data=volunteer_input(), for_self=False)
    assert twice.value.status == 409
    assert Volunteer.objects.count() == 1


def test_overlapping_reports_and_check_out_refused(actors, volunteer, activity, approvals):
    from linli.volunteers.services import HoursInput, hours_report

    shift = activity.shifts.order_by("starts_at").first()
    signup_create(actor=actors["resident"], shift_id=shift.public_id)
    half_past_nine = at(9, 30, days=1)
    with time_machine.travel(at(9, 0, days=1), tick=False):
        check_in_or_out(actor=actors["resident"], activity=activity, lat=LAT, lng=LNG)
    with time_machine.travel(at(12, 0, days=1), tick=False):
        # help reported for 9:30–10:00 the same morning, while checked in
        hours_report(
            actor=actors["resident"],
            data=HoursInput(description="扶老人过马路", started_at=half_past_nine, minutes=30),
        )
        with pytest.raises(DomainError) as err:
            check_in_or_out(actor=actors["resident"], activity=activity, lat=LAT, lng=LNG, action="out")
    assert err.value.code == "overlap" and "重叠" in err.value.message.zh
    row = ServiceHours.objects.get(kind="check_in")
    assert (row.state, row.minutes, row.checked_out_at) == ("open", 0, None)  # nothing half-saved
    assert approvals == []


def test_full_shift_and_closed_window(actors, volunteer, activity):
    from linli.volunteers.services import volunteer_register
    from linli.volunteers.tests.conftest import volunteer_input

    last = activity.shifts.order_by("starts_at").last()  # one place
    signup_create(actor=actors["resident"], shift_id=last.public_id)
    other = volunteer_register(actor=actors["community_worker"], data=volunteer_input(71, phone=""), for_self=False)
    with pytest.raises(DomainError) as full:
        signup_create(actor=actors["community_worker"], shift_id=last.public_id, volunteer=other)
    assert "已满" in full.value.message.zh
    with time_machine.travel(at(13, 0, days=1), tick=False), pytest.raises(DomainError) as late:
        check_in_or_out(actor=actors["resident"], activity=activity, lat=LAT, lng=LNG)
    assert late.value.code == "outside_window" and "已于" in late.value.message.zh
    assert SignUp.objects.filter(shift=last).count() == 1 and ServiceHours.objects.count() == 0
