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
