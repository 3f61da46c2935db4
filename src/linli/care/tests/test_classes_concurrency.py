"""Enrolments at once (PostgreSQL row locks): the last place goes to one, the others wait in
order; two cancellations at once promote two different people."""

import pytest

from linli.care.models import ClassEnrolment, HappyClass
from linli.care.services.classes import class_cancel, class_enrol
from linli.care.tests import classes_support
from linli.care.tests.classes_support import a_class
from linli.testing import empty_append_only_tables, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
clock = classes_support.clock
neighbours = classes_support.neighbours


@pytest.fixture(autouse=True)
def _flushable():
    yield
    empty_append_only_tables()


def test_four_enrol_at_once_for_one_place(neighbours, actors):
    item = a_class(actors["community_worker"], capacity=1)
    people = [neighbours[n] for n in ("wang", "li", "zhao", "sun")]
    outcomes = run_at_once(4, lambda i: class_enrol(actor=people[i], public_id=item.public_id))
    assert outcomes == ["ok"] * 4
    item.refresh_from_db()
    assert (item.enrolled, item.waiting) == (1, 3)
    queue = list(ClassEnrolment.objects.filter(happy_class=item, state="waiting").values_list("queue_no", flat=True))
    assert sorted(queue) == [1, 2, 3]


def test_two_cancellations_at_once_promote_two_people(neighbours, actors):
    item = a_class(actors["community_worker"], capacity=2)
    people = [neighbours[n] for n in ("wang", "li", "zhao", "sun")]
    made = [class_enrol(actor=p, public_id=item.public_id) for p in people]
    outcomes = run_at_once(2, lambda i: class_cancel(actor=people[i], public_id=made[i].public_id))
    assert outcomes == ["ok", "ok"]
    assert HappyClass.objects.filter(pk=item.pk, enrolled=2, waiting=0).exists()
    states = dict(ClassEnrolment.objects.values_list("user__username", "state"))
    assert states == {"wang": "cancelled", "li": "cancelled", "zhao": "enrolled", "sun": "enrolled"}
