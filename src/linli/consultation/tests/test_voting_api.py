# ruff: noqa: F811 (the stage's fixtures are imported from voting_support)
"""The voting API: a vote with an Idempotency-Key replays, a second vote is 409, the tally for
staff and for residents (counts only once counted, never who voted what), open and close; the
role × scope matrix; the workbench section."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from linli.consultation.models import Consultation, Vote
from linli.consultation.selectors.voting import voting_today
from linli.consultation.services.voting import vote_cast, voting_open
from linli.consultation.tests.voting_support import TODAY, clock, discussing, world  # noqa: F401 (fixtures)
from linli.testing import log_in

BASE = "/api/v1/consultation/consultations"


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_a_vote_with_the_same_key_replays_the_first_answer(client, world):
    c = voting_open(actor=world.actors["community_worker"], consultation=discussing())
    log_in(client, "resident")
    first = post(client, f"{BASE}/{c.number}/votes", {"option": "A"}, **{"Idempotency-Key": "k1"})
    replay = post(client, f"{BASE}/{c.number}/votes", {"option": "A"}, **{"Idempotency-Key": "k1"})
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.json() == first.json() and replay["Idempotent-Replayed"] == "true"
    assert "option" not in first.json()
    second = post(client, f"{BASE}/{c.number}/votes", {"option": "B"}, **{"Idempotency-Key": "k2"})
    assert second.status_code == 409 and second.json()["error"]["code"] == "already_voted"
    assert Vote.objects.count() == 1


def test_the_tally_for_staff_is_live_and_for_residents_only_once_counted(client, world):
    c = voting_open(actor=world.actors["community_worker"], consultation=discussing())
    vote_cast(actor=world.actors["resident"], consultation=c, option_key="A")
    log_in(client, "community_worker")
    staff = client.get(f"{BASE}/{c.number}/tally").json()
    assert (staff["counts"], staff["cast"], staff["roll_size"], staff["turnout_percent"]) == (
        {"A": 1, "B": 0},
        1,
        2,
        50.0,
    )
    log_in(client, "resident3")
    mine = client.get(f"{BASE}/{c.number}/tally").json()
    assert (mine["counts"], mine["winner"], mine["you_voted_at"], mine["cast"]) == ({}, None, None, 1)
    log_in(client, "community_worker")
    closed = post(client, f"{BASE}/{c.number}/voting/close", {"reason": "住户均已投票"})
    assert closed.status_code == 200 and closed.json()["winner"] == "A"
    log_in(client, "resident")
    mine = client.get(f"{BASE}/{c.number}/tally").json()
    assert (mine["counts"], mine["winner"], mine["counted"]) == ({"A": 1, "B": 0}, "A", True)
    assert mine["you_voted_at"] is not None


def test_open_through_the_api(client, world):
    c = discussing()
    log_in(client, "community_worker")
    opened = post(client, f"{BASE}/{c.number}/voting/open", {})
    assert opened.status_code == 200 and (opened.json()["state"], opened.json()["roll_size"]) == ("voting", 2)


@pytest.mark.parametrize(
    ("who", "open_status", "tally_status"),
    [
        ("anonymous", 401, 401),
        ("resident", 404, 200),
        ("far_resident", 404, 404),
        ("other_community_worker", 404, 404),
        ("department_officer", 404, 404),
        ("street_officer", 403, 200),
        ("community_worker", 200, 200),
    ],
)
def test_who_may_open_and_read_the_tally(client, world, who, open_status, tally_status):
    c = discussing()
    if who != "anonymous":
        log_in(client, who)
    assert client.get(f"{BASE}/{c.number}/tally").status_code == tally_status
    assert post(client, f"{BASE}/{c.number}/voting/open", {}).status_code == open_status
    if open_status != 200:
        assert Consultation.objects.get(pk=c.pk).state == "discussing"


def test_who_may_vote(client, world):
    c = voting_open(actor=world.actors["community_worker"], consultation=discussing())
    for who, status in (("far_resident", 404), ("community_worker", 404)):
        log_in(client, who)
        assert post(client, f"{BASE}/{c.number}/votes", {"option": "A"}).status_code == status
    assert Vote.objects.count() == 0


def test_the_tally_endpoint_runs_in_fixed_queries(client, world, django_assert_num_queries):
    c = voting_open(actor=world.actors["community_worker"], consultation=discussing())
    vote_cast(actor=world.actors["resident"], consultation=c, option_key="A")
    log_in(client, "community_worker")
    client.get(f"{BASE}/{c.number}/tally")
    with django_assert_num_queries(6):
        assert client.get(f"{BASE}/{c.number}/tally").status_code == 200


def test_the_workbench_lists_what_closes_today_and_what_is_not_counted(world, clock):
    worker = world.actors["community_worker"]
    assert voting_today(worker, TODAY) is None
    c = voting_open(actor=worker, consultation=discussing())
    Consultation.objects.filter(pk=c.pk).update(voting_until=c.voting_until - dt.timedelta(days=3, hours=-2))
    section = voting_today(worker, TODAY)
    assert [(w.key, w.count) for w in section.counts] == [("voting.today", 1)]
    clock.shift(dt.timedelta(hours=3))
    section = voting_today(worker, TODAY)
    assert [(w.key, w.count) for w in section.counts] == [("voting.uncounted", 1)]
    assert voting_today(world.actors["other_community_worker"], TODAY) is None
    assert voting_today(world.actors["resident"], TODAY) is None
