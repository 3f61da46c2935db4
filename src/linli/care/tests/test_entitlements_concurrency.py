"""The list's writes at the same moment (PostgreSQL: real locks and connections): a draft published
twice at once is published once; two new versions at once make one draft."""

from __future__ import annotations

import pytest

from linli.care.models import ServiceList
from linli.care.services.entitlements import list_draft_new, list_publish
from linli.care.tests import entitlements_support as support
from linli.care.tests.entitlements_support import TODAY
from linli.testing import empty_append_only_tables, run_at_once

clock, city_officer = support.clock, support.city_officer  # the support module's fixtures


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_draft_published_twice_at_once_is_published_once(shipped_care_data, city_officer, clock):
    draft = list_draft_new(actor=city_officer)

    def publish(i):
        list_publish(actor=city_officer, service_list=draft, effective_from=TODAY, document=f"文号{i}", reason="调价")

    try:
        assert sorted(run_at_once(2, publish)) == ["conflict", "ok"]
        assert ServiceList.objects.filter(published_at__isnull=False).count() == 2  # version 1 and this one
    finally:
        empty_append_only_tables()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_new_versions_at_once_make_one_draft(shipped_care_data, city_officer, clock):
    try:
        assert sorted(run_at_once(2, lambda _i: list_draft_new(actor=city_officer))) == ["conflict", "ok"]
        assert ServiceList.objects.filter(published_at__isnull=True).count() == 1
    finally:
        empty_append_only_tables()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_assessments_of_one_elder_at_once_leave_one_current(shipped_care_data, tree, actors, clock):
    from linli.care.models import CareAssessment
    from linli.care.services.entitlements import assessment_record

    mother = support.elder(support.SHUIYUANDI, "101", "王秀英", 82)

    def assess(i):
        assessment_record(
            actor=actors["community_worker"],
            person_ref=mother.public_id,
            answers=support.answers_for(50 + 25 * i),
            assessed_on=TODAY,
            second_assessor_name="李娟",
        )

    try:
        assert run_at_once(2, assess) == ["ok", "ok"]  # the second waits for the first, then supersedes it
        assert CareAssessment.objects.filter(person_ref=mother.public_id).count() == 2
        assert CareAssessment.objects.filter(person_ref=mother.public_id, superseded=False).count() == 1
    finally:
        empty_append_only_tables()
