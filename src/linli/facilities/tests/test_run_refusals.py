"""K larger than the candidates: refused on the form's field in the page's language, and a run
that fails later tells why in the page's language, never in both at once."""

import re

import pytest

from linli.facilities.domain import RunStatus
from linli.facilities.models import AnalysisRun, Facility
from linli.facilities.tests.conftest import facility

FORM = {"scope_path": "2101", "site_kind": "health_station", "sites": "2", "candidates": "registered"}


def errors_of(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<p class="error" id="id_(\w+)_error">([^<]*)</p>', page)


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        ("zh-hans", "新增站点数 K=2 大于已登记的备选址数 1，请改为 1 或更少", "larger"),
        ("en", "Number of new sites K=2 is larger than the 1 registered candidate sites: choose 1 or fewer", "大于"),
    ],
)
def test_k_larger_than_the_registered_sites_is_refused_on_its_field(client, town, language, shown, not_shown):
    facility("health_station", "210102001003", 14, 100, status="candidate")
    client.force_login(town["users"]["planner"])
    answer = client.post("/staff/facilities/runs/", FORM, HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 400
    assert errors_of(answer.text) == [("sites", shown)]
    assert not_shown not in errors_of(answer.text)[0][1]
    assert AnalysisRun.objects.count() == 0


def test_a_run_that_fails_later_says_why_in_the_pages_language(client, town, django_capture_on_commit_callbacks):
    facility("health_station", "210102001003", 14, 100, status="candidate")
    other = facility("health_station", "210102001003", 17, 100, status="candidate")
    client.force_login(town["users"]["planner"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answer = client.post("/staff/facilities/runs/", FORM)
    assert answer.status_code == 302
    Facility.objects.filter(pk=other.pk).update(status="closed")  # dropped before the run starts
    for callback in queued:
        callback()
    run = AnalysisRun.objects.get()
    assert run.status == RunStatus.FAILED and "大于已登记的备选址数 1" in run.message
    chinese = client.get(answer["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").text
    english = client.get(answer["Location"], HTTP_ACCEPT_LANGUAGE="en").text
    assert "新增站点数 K=2 大于已登记的备选址数 1" in chinese and "is larger than" not in chinese
    assert "Number of new sites K=2 is larger than the 1 registered" in english and "大于" not in english
