# ruff: noqa: F811 (the stage's fixtures are imported from voting_support)
"""The decisions pages: the staff panel (publish prefilled with the result, tasks, progress, done,
complete), the implementation list, the resident's panel and evaluation, the public page; the
role × scope matrix; pinned query counts."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from linli.consultation.models import Consultation, Decision, Evaluation, ImplementationTask
from linli.consultation.services.decisions import decision_publish, task_add, task_done
from linli.consultation.tests.decisions_support import counted
from linli.consultation.tests.voting_support import TODAY, clock, world  # noqa: F401 (fixtures)
from linli.testing import log_in

pytestmark = pytest.mark.django_db


def staff_url(c, name="decisions-detail", *args):
    return reverse(f"portal:consultation:{name}", args=[c.number, *args])


def _implementing(world, due=10):
    c = counted()
    d = decision_publish(actor=world.actors["community_worker"], consultation=c, text="按方案划设车位")
    task = task_add(
        actor=world.actors["community_worker"],
        decision=d,
        what="划设停车位",
        who="物业公司",
        due_on=TODAY + dt.timedelta(days=due),
    )
    return c, d, task


def test_publish_from_the_panel_prefilled_and_confirmed(client, world):
    c = counted()
    log_in(client, "community_worker")
    page = client.get(staff_url(c)).content.decode()
    assert "表决结果：“同意”获得通过（投票 6 / 名册 10）。" in page
    refused = client.post(staff_url(c, "decisions-post", "publish"), {"text": "我的决定文字"})
    assert refused.status_code == 422 and "我的决定文字" in refused.content.decode()
    assert Decision.objects.count() == 0
    done = client.post(staff_url(c, "decisions-post", "publish"), {"text": "按方案划设", "confirm": "on"})
    assert done.status_code == 302 and done["Location"] == staff_url(c) + "#decisions"
    assert Consultation.objects.get(pk=c.pk).state == "decided"


def test_tasks_progress_done_and_complete_from_the_panel(client, world):
    c, _d, task = _implementing(world)
    log_in(client, "community_worker")
    url = reverse("portal:consultation:decisions-task-post", args=[task.public_id, "progress"])
    assert client.post(url, {"note": "测量", "percent": "50"}).status_code == 302
    back = client.post(url, {"note": "回退", "percent": "20"})
    assert back.status_code == 422
    assert ImplementationTask.objects.get(pk=task.pk).percent == 50
    done_url = reverse("portal:consultation:decisions-task-post", args=[task.public_id, "done"])
    assert client.post(done_url, {"note": ""}).status_code == 422  # not confirmed
    assert client.post(done_url, {"note": "完工", "confirm": "on"}).status_code == 302
    assert 'id="decisions-complete-form"' in client.get(staff_url(c)).content.decode()
    assert client.post(staff_url(c, "decisions-post", "complete"), {"confirm": "on"}).status_code == 302
    assert Consultation.objects.get(pk=c.pk).state == "completed"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("resident", 404),
        ("other_community_worker", 404),
        ("department_officer", 404),
        ("community_worker", 200),
        ("street_officer", 200),
        ("district_admin", 200),
    ],
)
def test_the_staff_page_matrix(client, world, who, status):
    c, _d, _task = _implementing(world)
    if who != "anonymous":
        log_in(client, who)
    assert client.get(staff_url(c)).status_code == status


def test_the_implementation_list_marks_overdue_in_fixed_queries(client, world, clock, django_assert_num_queries):
    _implementing(world, due=1)
    _implementing(world, due=20)
    clock.shift(dt.timedelta(days=3))
    log_in(client, "community_worker")
    url = reverse("portal:consultation:decisions-implementation")
    client.get(url)
    with django_assert_num_queries(QUERIES_LIST):
        page = client.get(url).content.decode()
    assert page.count('class="error"') == 1 and page.count("划设停车位") == 2
    log_in(client, "other_community_worker")
    assert "划设停车位" not in client.get(url).content.decode()


QUERIES_LIST = 4  # session, user, the scope, the tasks with their consultations


def test_residents_evaluate_once_and_see_no_names(client, world):
    c, d, task = _implementing(world)
    task_done(actor=world.actors["community_worker"], task=task)
    log_in(client, "resident")
    page_url = reverse("portal:consultation-resident:decisions-detail", args=[c.number])
    assert 'id="decisions-evaluate-form"' in client.get(page_url).content.decode()
    url = reverse("portal:consultation-resident:decisions-evaluate", args=[c.number])
    assert client.post(url, {"comment": "好"}).status_code == 422
    assert client.post(url, {"rating": "5", "comment": "好"}).status_code == 302
    again = client.post(url, {"rating": "1"})
    assert again.status_code == 422
    assert list(Evaluation.objects.values_list("rating", flat=True)) == [5]
    public = client.get(reverse("portal:board:decisions-public", args=[d.public_id])).content.decode()
    assert "划设停车位" in public and "张建国" not in public and "张*国" not in public
    log_in(client, "far_resident")
    assert client.get(page_url).status_code == 404
    assert client.get(reverse("portal:consultation-resident:decisions-mine")).status_code == 200


def test_the_public_page_needs_no_log_in(client, world):
    _c, d, _task = _implementing(world)
    page = client.get(reverse("portal:board:decisions-public", args=[d.public_id]))
    assert page.status_code == 200 and "按方案划设车位" in page.content.decode()
    assert client.get(reverse("portal:board:decisions-public", args=[uuid.uuid4()])).status_code == 404
