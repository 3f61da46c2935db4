# ruff: noqa: F811 (the stage's fixtures are imported from voting_support)
"""The voting pages: the staff panel (open, live counts, meeting votes, close), the roll, the
resident's ballot and receipt, the result; the role × scope matrix; pinned query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.consultation.models import Consultation, RollEntry, Vote
from linli.consultation.services.voting import vote_cast, voting_close, voting_open
from linli.consultation.tests.voting_support import clock, discussing, signed_in, world  # noqa: F401 (fixtures)
from linli.testing import log_in


def staff_url(c, name="voting-detail", *args):
    return reverse(f"portal:consultation:{name}", args=[c.number, *args])


def ballot_url(c, name="voting-ballot"):
    return reverse(f"portal:consultation-resident:{name}", args=[c.number])


def test_the_staff_panel_shows_the_roll_it_will_freeze_and_opens_with_confirmation(client, world):
    c = discussing()
    log_in(client, "community_worker")
    page = client.get(staff_url(c)).content.decode()
    assert "开始投票将按今天的居民信息库冻结一份" in page or "Opening the vote freezes a roll of 2 voters" in page
    refused = client.post(staff_url(c, "voting-post", "open"), {"voting_until": "2026-12-10 18:00"})
    assert refused.status_code == 422 and Consultation.objects.get(pk=c.pk).state == "discussing"
    assert 'value="2026-12-10 18:00"' in refused.content.decode()  # the input kept
    done = client.post(
        staff_url(c, "voting-post", "open"), {"voting_until": "2026-12-10 18:00", "confirm": "on", "back": "/x"}
    )
    assert done.status_code == 302 and done["Location"] == staff_url(c) + "#voting"
    c.refresh_from_db()
    assert (c.state, c.roll_size) == ("voting", 2)


def test_the_live_counts_and_closing_early_needs_a_reason(client, world):
    c = voting_open(actor=world.actors["community_worker"], consultation=discussing())
    vote_cast(actor=world.actors["resident"], consultation=c, option_key="A")
    log_in(client, "community_worker")
    page = client.get(staff_url(c)).content.decode()
    assert 'id="voting-turnout"' in page and "voting" not in page.split('id="voting-turnout"')[1][:5]
    refused = client.post(staff_url(c, "voting-post", "close"), {"confirm": "on"})
    assert refused.status_code == 422 and Consultation.objects.get(pk=c.pk).state == "voting"
    done = client.post(staff_url(c, "voting-post", "close"), {"confirm": "on", "reason": "住户均已投票"})
    assert done.status_code == 302
    page = client.get(staff_url(c)).content.decode()
    assert 'id="voting-result"' in page


def test_a_meeting_vote_is_recorded_from_the_panel(client, world):
    c = voting_open(actor=world.actors["community_worker"], consultation=discussing())
    signed_in(c, world.li)
    log_in(client, "community_worker")
    assert 'id="voting-record-form"' in client.get(staff_url(c)).content.decode()
    done = client.post(staff_url(c, "voting-post", "record"), {"resident": str(world.li.public_id), "option": "B"})
    assert done.status_code == 302
    assert list(Vote.objects.values_list("channel", flat=True)) == ["meeting"]
    again = client.post(staff_url(c, "voting-post", "record"), {"resident": str(world.li.public_id), "option": "A"})
    assert again.status_code == 422 and Vote.objects.count() == 1


def test_the_resident_votes_once_and_sees_the_receipt_then_the_result(client, world):
    c = voting_open(actor=world.actors["community_worker"], consultation=discussing())
    log_in(client, "resident")
    page = client.get(ballot_url(c)).content.decode()
    assert 'id="voting-ballot-form"' in page and 'type="radio"' in page
    done = client.post(ballot_url(c, "voting-vote"), {"option": "A"})
    assert done.status_code == 302
    page = client.get(ballot_url(c)).content.decode()
    assert 'id="voting-receipt"' in page and 'id="voting-ballot-form"' not in page
    log_in(client, "resident2")  # the same household: already voted
    second = client.post(ballot_url(c, "voting-vote"), {"option": "B"})
    assert second.status_code == 422 and Vote.objects.count() == 1
    voting_close(actor=world.actors["community_worker"], consultation=c, reason="住户均已投票")
    page = client.get(ballot_url(c)).content.decode()
    assert 'id="voting-result"' in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("resident", 404),
        ("other_community_worker", 404),
        ("department_officer", 404),
        ("grid_worker", 404),  # a grid sees its grid; the consultation is the community's
        ("community_worker", 200),
        ("street_officer", 200),
        ("district_admin", 200),
    ],
)
def test_who_may_open_the_staff_pages(client, world, who, status):
    c = voting_open(actor=world.actors["community_worker"], consultation=discussing())
    if who != "anonymous":
        log_in(client, who)
    for url in (staff_url(c), staff_url(c, "voting-roll")):
        assert client.get(url).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("far_resident", 404), ("community_worker", 302), ("resident", 200)],
)
def test_who_may_open_the_ballot(client, world, who, status):
    c = voting_open(actor=world.actors["community_worker"], consultation=discussing())
    if who != "anonymous":
        log_in(client, who)
    assert client.get(ballot_url(c)).status_code == status
    assert client.post(ballot_url(c, "voting-vote"), {"option": "A"}).status_code in (status, 302, 422)
    if who != "resident":
        assert Vote.objects.count() == 0


def test_staff_without_manage_cannot_post(client, world):
    c = discussing()
    log_in(client, "street_officer")
    assert client.post(staff_url(c, "voting-post", "open"), {"confirm": "on"}).status_code in (404, 422)
    assert Consultation.objects.get(pk=c.pk).state == "discussing"


def test_the_roll_page_is_masked_and_paginated_in_fixed_queries(client, world, django_assert_num_queries):
    c = voting_open(actor=world.actors["community_worker"], consultation=discussing("adult"))
    RollEntry.objects.bulk_create(
        RollEntry(
            consultation=c, voter_ref=f"00000000-0000-7000-8000-{i:012d}", path="210102001002001001", name_shown="赵*"
        )
        for i in range(120)
    )
    log_in(client, "community_worker")
    client.get(staff_url(c, "voting-roll"))
    with django_assert_num_queries(6):
        page = client.get(staff_url(c, "voting-roll") + "?page=2")
    text = page.content.decode()
    assert "张*国" not in text and "张建国" not in text and text.count("赵*") == 50
