"""The reporter's answer (issue 12): once an event is closed, its page shows what was done, the
photos of the handling and the on-site check next to the reporter's own, and the spot on a map —
all above the rating form; the photos open for the reporter only."""

import io
import re

import pytest

from linli.core.models import AuditEntry
from linli.grid_events.models import EventPhoto, GridEvent
from linli.grid_events.selectors import event_outcome
from linli.grid_events.tests.conftest import PNG, SHUIYUANDI


@pytest.fixture
def as_user(client, grid, clock):
    def login(name):
        clock.shift(60)  # each step a minute after the last: a step's photos carry its time
        client.logout()
        client.force_login(grid["users"][name])
        return client

    return login


def upload(name="p.png"):
    file = io.BytesIO(PNG)
    file.name = name
    return file


def closed_report(as_user) -> GridEvent:
    """The resident reports; the community handles it once, the check fails, it is handled again
    and the second check passes."""
    client = as_user("resident")
    client.post(
        "/report/",
        {
            "description": "路灯不亮",
            "urgency": "normal",
            "lat": SHUIYUANDI[0],
            "lng": SHUIYUANDI[1],
            "photos": [upload()],
        },
    )
    number = GridEvent.objects.get().number
    staff = as_user("community_worker")
    staff.post(f"/staff/grid/events/{number}/step/register/", {"category": "C0118"})
    staff.post(f"/staff/grid/events/{number}/step/self_handle/", {})
    staff.post(f"/staff/grid/events/{number}/step/report_handled/", {"note": "先临时修好", "photos": [upload()]})
    checker = as_user("grid_worker")
    checker.post(f"/staff/grid/events/{number}/step/verify_fail/", {"note": "还是不亮", "photos": [upload()]})
    staff = as_user("community_worker")
    staff.post(f"/staff/grid/events/{number}/step/report_handled/", {"note": "已更换灯头", "photos": [upload()]})
    checker = as_user("grid_worker")
    checker.post(f"/staff/grid/events/{number}/step/verify_pass/", {"note": "已亮", "photos": [upload()]})
    return GridEvent.objects.get(number=number)


def test_the_outcome_is_the_last_handling_and_the_passing_check(as_user):
    event = closed_report(as_user)
    assert event.state == "closed" and EventPhoto.objects.filter(event=event).count() == 5
    outcome = event_outcome(event)
    assert outcome.result == "已更换灯头" and outcome.check_note == "已亮" and not outcome.rejected
    # the failed round's photos are not the answer: one photo of the last handling, one of the check
    assert [p.stage for p in outcome.after_photos] == ["handling", "verification"]


def test_an_open_event_has_no_outcome_yet(as_user):
    client = as_user("resident")
    client.post(
        "/report/",
        {
            "description": "井盖松动",
            "urgency": "normal",
            "lat": SHUIYUANDI[0],
            "lng": SHUIYUANDI[1],
            "photos": [upload()],
        },
    )
    event = GridEvent.objects.get()
    assert event_outcome(event) is None
    page = client.get(f"/my/events/{event.number}/").text
    assert 'id="outcome"' not in page and 'id="event-map"' in page and "report-photos" in page


def test_the_reporter_sees_the_outcome_photos_and_map_before_the_rating_form(as_user):
    event = closed_report(as_user)
    client = as_user("resident")
    page = client.get(f"/my/events/{event.number}/").text
    positions = [page.index(marker) for marker in ('id="outcome"', "已更换灯头", "after-photos", "report-photos")]
    positions += [page.index('id="event-map"'), page.index('id="step-rate"')]
    assert positions == sorted(positions)
    photo_urls = re.findall(rf'src="(/my/events/{event.number}/photos/[0-9a-f-]+/)"', page)
    assert len(photo_urls) == 3  # the reporter's own photo and the two of the answer
    shown = client.get(photo_urls[0])
    assert shown.status_code == 200 and shown.content == PNG and shown["Cache-Control"] == "private, no-store"
    assert AuditEntry.objects.filter(action="grid.photo_read", actor_name="resident").count() == 1
    # someone else gets the same 404 as for a photo that does not exist
    assert as_user("other_community_worker").get(photo_urls[0]).status_code == 404
    assert (
        as_user("resident").get(f"/my/events/{event.number}/photos/{'0' * 8}-0000-0000-0000-{'0' * 12}/").status_code
        == 404
    )
