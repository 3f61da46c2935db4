# ruff: noqa: F811 (the stage's fixtures are imported from mediators_support)
"""Screening pages: the summary's role × scope matrix and pinned query count, the pre-filled
form, a refused future month, the correction, the XLSX export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from linli.mediation.models import DisputeScreening
from linli.mediation.services import screening as svc
from linli.mediation.tests.mediators_support import (  # noqa: F401 (fixtures)
    HUNHEWAN,
    SHUIYUANDI,
    clock,
    dispute,
)
from linli.testing import log_in

pytestmark = pytest.mark.django_db
NOV = dt.date(2026, 11, 1)
SUMMARY = "portal:mediation:screening-summary"


@pytest.fixture
def filed(people, actors, clock):
    return svc.screening_file(
        actor=actors["community_worker"],
        path=SHUIYUANDI,
        month=NOV,
        data=svc.ScreeningInput(4, 1, 2, 1, risks=[svc.RiskInput("medium", "物业费争议")]),
    )


@pytest.mark.parametrize(
    ("who", "status", "communities"),
    [
        ("anonymous", 302, None),
        ("resident", 404, None),
        ("grid_worker", 404, None),
        ("community_worker", 200, ["水源地社区"]),
        ("street_officer", 200, ["水源地社区", "浑河湾社区"]),
        ("district_admin", 200, ["水源地社区", "浑河湾社区", "集贤社区"]),
        ("other_district_admin", 200, ["滨河社区", "前进村委会"]),
    ],
)
def test_the_summary_matrix(client, filed, who, status, communities):
    if who != "anonymous":
        log_in(client, who)
    page = client.get(reverse(SUMMARY) + "?month=2026-11")
    assert page.status_code == status
    if communities is not None:
        assert [line.name for line in page.context["s"].lines] == communities


def test_the_report_page_is_scoped(client, filed):
    url = reverse("portal:mediation:screening-detail", args=[filed.public_id])
    log_in(client, "other_community_worker")
    assert client.get(url).status_code == 404
    log_in(client, "street_officer")
    page = client.get(url)
    assert page.status_code == 200 and "物业费争议" in page.content.decode()


def test_the_summary_query_count_is_pinned(client, filed, actors, django_assert_num_queries):
    log_in(client, "district_admin")
    url = reverse(SUMMARY) + "?month=2026-11"
    client.get(url)
    with django_assert_num_queries(8):
        page = client.get(url)
    assert [line.status for line in page.context["s"].lines] == ["filed", "overdue", "overdue"]
    svc.screening_file(actor=actors["street_officer"], path=HUNHEWAN, month=NOV, data=svc.ScreeningInput(1, 0, 1, 0))
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


def test_the_form_is_prefilled_and_a_future_month_is_refused(client, people, clock):
    dispute(SHUIYUANDI, "mediating", registered_on=dt.date(2026, 11, 9))
    dispute(SHUIYUANDI, "closed", registered_on=dt.date(2026, 11, 10), ended_on=dt.date(2026, 11, 20))
    log_in(client, "community_worker")
    url = reverse("portal:mediation:screening-file")
    form = client.get(url).context["form"]
    assert {k: form.initial[k] for k in ("found", "in_mediation", "resolved", "escalated_risks")} == {
        "found": 2,
        "in_mediation": 1,
        "resolved": 1,
        "escalated_risks": 0,
    }
    data = {"path": SHUIYUANDI, "found": "2", "in_mediation": "1", "resolved": "1", "escalated_risks": "0"}
    future = client.post(url, data | {"month": "2027-01"})
    assert future.status_code == 422 and "不能报送未来月份的排查报告" in future.content.decode()
    assert DisputeScreening.objects.count() == 0
    too_many = client.post(url, data | {"month": "2026-11", "resolved": "2"})
    assert too_many.status_code == 422 and DisputeScreening.objects.count() == 0
    done = client.post(url, data | {"month": "2026-11", "risk1_level": "low", "risk1_description": "噪音"})
    assert done.status_code == 302
    report = DisputeScreening.objects.get()
    assert (report.month, report.found, report.risks.get().description) == (NOV, 2, "噪音")
    again = client.post(url, data | {"month": "2026-11"})
    assert again.status_code == 422 and DisputeScreening.objects.count() == 1


def test_filing_for_another_community_is_not_found(client, people, clock):
    log_in(client, "community_worker")
    url = reverse("portal:mediation:screening-file") + f"?path={HUNHEWAN}"
    assert client.get(url).status_code == 404


def test_a_correction_needs_reason_and_confirmation(client, filed):
    log_in(client, "community_worker")
    url = reverse("portal:mediation:screening-correct", args=[filed.public_id])
    data = {"found": "5", "in_mediation": "1", "resolved": "3", "escalated_risks": "1"}
    assert client.post(url, data).status_code == 422
    assert client.post(url, data | {"reason": "补报"}).status_code == 422  # not confirmed
    assert client.post(url, data | {"reason": "补报", "confirm": "on"}).status_code == 302
    filed.refresh_from_db()
    assert (filed.found, filed.resolved) == (5, 3)


def test_the_export_is_an_xlsx_of_the_summary(client, filed):
    log_in(client, "street_officer")
    answer = client.get(reverse("portal:mediation:screening-export") + "?month=2026-11")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    assert answer.content[:2] == b"PK"


def test_the_city_sees_its_districts_rolled_up(client, filed):
    log_in(client, "city_admin")
    page = client.get(reverse(SUMMARY) + "?month=2026-11")
    assert page.status_code == 200
    assert [(p.name, p.communities, p.filed) for p in page.context["s"].parts] == [("和平区", 3, 1), ("沈河区", 2, 0)]
    assert "?path=210102&amp;month=2026-11" in page.content.decode()
    assert "水源地社区" not in page.content.decode()  # one click further, in the district
