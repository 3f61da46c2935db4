"""Putting a decided household on the roll (`roll_enrol`, called at the county's decision)."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.welfare.domain.roll import ChangeKind, RecipientState
from linli.welfare.models import Recipient, RecipientChange
from linli.welfare.services.roll import roll_enrol
from linli.welfare.tests.roll_support import BUILDING, TODAY, clock, determination, facts, rules_api, standard  # noqa: F401

pytestmark = pytest.mark.usefixtures("rules_api", "clock")


def test_enrol_pays_from_next_month_and_reviews_after_the_interval(actors):
    made = determination(facts(wage="0", members=2))
    assert made.assistance_class == "dibao"
    recipient = roll_enrol(
        actor=actors["civil_affairs_officer"], determination=made, head_name="张三明", decided_on=TODAY
    )
    assert recipient.paid_from == dt.date(2027, 1, 1)
    assert recipient.next_review_on == dt.date(2028, 1, 1)  # dibao: 12 months (example value)
    assert recipient.state == RecipientState.ACTIVE
    assert recipient.monthly_amount == made.monthly_amount == standard() * 2
    assert recipient.facts_sealed == made.facts_sealed
    [change] = RecipientChange.objects.filter(recipient=recipient)
    assert (change.kind, change.to_class, change.to_amount) == (ChangeKind.START, "dibao", recipient.monthly_amount)
    assert change.determination_id == made.pk and change.effective_from == dt.date(2027, 1, 1)
    assert AuditEntry.objects.filter(action="welfare.roll_enrol", object_id=str(recipient.public_id)).exists()


def test_a_second_enrolment_of_a_household_on_the_roll_is_a_redetermination(actors):
    first = determination(facts(wage="0", members=2))
    recipient = roll_enrol(
        actor=actors["civil_affairs_officer"], determination=first, head_name="张三明", decided_on=TODAY
    )
    second = determination(facts(wage="300", members=2), ref=first.household_ref)
    again = roll_enrol(
        actor=actors["civil_affairs_officer"], determination=second, head_name="张三明", decided_on=TODAY
    )
    assert again.pk == recipient.pk
    assert Recipient.objects.filter(household_ref=first.household_ref).count() == 1
    assert again.monthly_amount == second.monthly_amount < first.monthly_amount  # a wage now counts
    assert again.determination_id == second.pk
    kinds = list(RecipientChange.objects.filter(recipient=recipient).order_by("pk").values_list("kind", flat=True))
    assert kinds == [ChangeKind.START, ChangeKind.REDETERMINED]


@pytest.mark.parametrize("who", ["community_worker", "street_officer", "resident", "anonymous", "district_admin"])
def test_only_the_county_enrols(actors, who):
    made = determination(facts())
    with pytest.raises(DomainError) as refused:
        roll_enrol(actor=actors[who], determination=made, head_name="张三明", decided_on=TODAY)
    assert refused.value.code == "permission_denied"
    assert not Recipient.objects.exists()


def test_a_household_outside_the_county_is_refused(actors):
    made = determination(facts(), path="210103001001001001")
    with pytest.raises(DomainError):
        roll_enrol(actor=actors["civil_affairs_officer"], determination=made, head_name="张三明", decided_on=TODAY)
    assert not Recipient.objects.exists()


def test_a_not_eligible_determination_is_not_enrolled(actors):
    made = determination(facts(wage="20000"))
    assert made.assistance_class == "none"
    with pytest.raises(DomainError) as refused:
        roll_enrol(actor=actors["civil_affairs_officer"], determination=made, head_name="张三明", decided_on=TODAY)
    assert refused.value.code == "conflict" and not Recipient.objects.exists()
    assert not RecipientChange.objects.exists()
