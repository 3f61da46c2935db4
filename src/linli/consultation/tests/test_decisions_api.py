# ruff: noqa: F811 (the stage's fixtures are imported from voting_support)
"""The decisions API and workbench: get, publish, tasks, progress, done, evaluate; the matrix; no
names; the workbench section in two queries and nothing for an actor with nothing to do."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from linli.consultation.models import Evaluation, ImplementationTask
from linli.consultation.selectors.decisions import decisions_today
from linli.consultation.tests.decisions_support import counted
from linli.consultation.tests.voting_support import TODAY, clock, world  # noqa: F401 (fixtures)
from linli.testing import log_in

pytestmark = pytest.mark.django_db
API = "/api/v1/consultation"


def _post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_the_whole_path_through_the_api(client, world):
    c = counted()
    log_in(client, "community_worker")
    made = _post(client, f"{API}/consultations/{c.number}/decision", {"text": "按方案划设"})
    assert made.status_code == 201 and made.json()["option"] == "A"
    due = str(TODAY + dt.timedelta(days=5))
    task = _post(
        client, f"{API}/consultations/{c.number}/decision/tasks", {"what": "划线", "who": "物业", "due_on": due}
    )
    assert task.status_code == 201
    task_id = task.json()["id"]
    assert (
        _post(client, f"{API}/decision-tasks/{task_id}/progress", {"note": "进行中", "percent": 60}).json()["percent"]
        == 60
    )
    assert _post(client, f"{API}/decision-tasks/{task_id}/progress", {"note": "回退", "percent": 10}).status_code == 422
    assert _post(client, f"{API}/decision-tasks/{task_id}/done").json()["state"] == "done"
    log_in(client, "resident")
    assert _post(client, f"{API}/consultations/{c.number}/decision/evaluations", {"rating": 4}).status_code == 201
    assert _post(client, f"{API}/consultations/{c.number}/decision/evaluations", {"rating": 4}).status_code == 409
    got = client.get(f"{API}/consultations/{c.number}/decision").json()
    assert (got["evaluations"], got["average_rating"], got["ratings"]["4"]) == (1, 4.0, 1)
    assert "张" not in json.dumps(got, ensure_ascii=False)
    assert Evaluation.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "get", "publish"),
    [
        ("anonymous", 401, 401),
        ("resident", 200, 404),
        ("far_resident", 404, 404),
        ("other_community_worker", 404, 404),
        ("department_officer", 404, 404),
        ("street_officer", 200, 403),
        ("community_worker", 200, 201),
    ],
)
def test_the_api_matrix(client, world, who, get, publish):
    from linli.consultation.services.decisions import decision_publish

    c, other = counted(), counted()
    decision_publish(actor=world.actors["community_worker"], consultation=c, text="决定")
    if who != "anonymous":
        log_in(client, who)
    assert client.get(f"{API}/consultations/{c.number}/decision").status_code == get
    assert _post(client, f"{API}/consultations/{other.number}/decision", {"text": "决定"}).status_code == publish


def test_the_workbench_section(world, clock, django_assert_num_queries):
    from linli.consultation.services.decisions import decision_publish, task_add, task_done

    worker = world.actors["community_worker"]
    assert decisions_today(worker, TODAY) is None
    late = decision_publish(actor=worker, consultation=counted(), text="决定")
    task_add(actor=worker, decision=late, what="迟了", who="物业", due_on=TODAY)
    ready = decision_publish(actor=worker, consultation=counted(), text="决定")
    task_done(actor=worker, task=task_add(actor=worker, decision=ready, what="完成", who="社区", due_on=TODAY))
    clock.shift(dt.timedelta(days=2))
    with django_assert_num_queries(2):
        section = decisions_today(worker, TODAY + dt.timedelta(days=2))
    assert [(c.key, c.count) for c in section.counts] == [("decisions.overdue", 1), ("decisions.ready", 1)]
    assert len(section.rows) == 2
    assert decisions_today(world.actors["other_community_worker"], TODAY) is None
    assert decisions_today(world.actors["resident"], TODAY) is None
    assert ImplementationTask.objects.count() == 2
