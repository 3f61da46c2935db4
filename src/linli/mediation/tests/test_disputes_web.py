# ruff: noqa: F811 (the stage's fixtures are imported from disputes_support)
"""The staff queue and dispute page, the intake form (also from a grid event), the resident's
pages: the role × scope matrix, a pinned query count, refusals shown beside the fields."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.areas.models import Building
from linli.core.models import AuditEntry
from linli.grid_events.handoffs import handoff_links
from linli.grid_events.services import ReportInput, event_report
from linli.mediation.models import Dispute
from linli.mediation.services.intake import PartyInput
from linli.mediation.tests.disputes_support import (  # noqa: F401 (fixtures)
    FACTS,
    OUTSIDER_PHONE,
    SHUIYUANDI,
    accepted,
    clock,
    mediating,
    registered,
    world,
)
from linli.testing import log_in

pytestmark = pytest.mark.django_db
QUEUE = "/staff/mediation/disputes/"


def page(response) -> str:
    return response.content.decode()


# who sees the dispute in the queue and on its page (a dispute of 水源地 assigned to `mediator`)
MATRIX = [
    ("community_worker", True),
    ("street_officer", True),
    ("district_admin", False),  # SAFETY_FIGURES only: no dispute list
    ("other_community_worker", False),
    ("other_street_officer", False),
    ("mediator", True),
    ("police_officer", False),  # no beat: nothing
]


@pytest.mark.parametrize(("who", "sees"), MATRIX)
def test_queue_and_dispute_page_by_role_and_scope(client, world, who, sees):
    dispute = mediating(world)
    other = registered(world)  # not assigned: the mediator does not see it
    log_in(client, who)
    queue = client.get(QUEUE)
    detail = client.get(f"{QUEUE}{dispute.number}/")
    if who == "district_admin":
        assert (queue.status_code, detail.status_code) == (404, 404)
        return
    assert queue.status_code == 200
    assert (dispute.number in page(queue)) is sees
    assert detail.status_code == (200 if sees else 404)
    assert (other.number in page(queue)) is (sees and who != "mediator")


def test_anonymous_and_resident_are_kept_out_of_staff_pages(client, world):
    dispute = registered(world)
    assert client.get(QUEUE).status_code == 302
    log_in(client, "resident")
    assert client.get(QUEUE).status_code == 404
    assert client.get(f"{QUEUE}{dispute.number}/").status_code == 404


def test_the_queue_masks_phones_and_hides_facts_with_a_pinned_query_count(client, world, django_assert_num_queries):
    for _ in range(3):
        registered(world)
    log_in(client, "community_worker")
    client.get(QUEUE)
    with django_assert_num_queries(7):
        response = client.get(QUEUE + "?state=consent")
    html = page(response)
    assert html.count("装修噪音") == 3 and "陈外来" in html
    assert FACTS not in html and OUTSIDER_PHONE not in html
    registered(world)
    with django_assert_num_queries(7):
        client.get(QUEUE + "?state=consent")


def test_the_dispute_page_reads_facts_only_with_a_reason(client, world):
    dispute = registered(world)
    log_in(client, "community_worker")
    html = page(client.get(f"{QUEUE}{dispute.number}/"))
    assert FACTS not in html and "139****5678" in html and OUTSIDER_PHONE not in html
    refused = client.post(f"{QUEUE}{dispute.number}/facts/", {"reason": ""})
    assert refused.status_code == 422 and FACTS not in page(refused)
    shown = client.post(f"{QUEUE}{dispute.number}/facts/", {"reason": "准备调解"})
    assert shown.status_code == 200 and FACTS in page(shown)


def test_consent_buttons_accept_and_the_assign_form_lists_candidates(client, world):
    dispute = registered(world)
    log_in(client, "community_worker")
    for party in dispute.parties.all():
        response = client.post(f"{QUEUE}{dispute.number}/consent/", {"party": party.pk, "consent": "agreed"})
        assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.state == "accepted"
    html = page(client.get(f"{QUEUE}{dispute.number}/"))
    assert "王调解" in html and "赵专职" in html and "钱专家" in html and "周调解" not in html
    response = client.post(f"{QUEUE}{dispute.number}/assign/", {"mediator": str(world.committee.public_id)})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.state, dispute.mediator_id) == ("mediating", world.committee.pk)


def test_assign_before_consent_is_refused_on_the_page(client, world):
    dispute = registered(world)
    log_in(client, "community_worker")
    response = client.post(f"{QUEUE}{dispute.number}/assign/", {"mediator": str(world.committee.public_id)})
    assert response.status_code == 422 and "当事人尚未全部同意调解" in page(response)
    dispute.refresh_from_db()
    assert (dispute.state, dispute.mediator_id) == ("consent", None)


def test_register_on_the_form(client, world):
    log_in(client, "community_worker")
    assert client.get(QUEUE + "new/").status_code == 200
    form = {
        "kind": "neighbour",
        "source": "window",
        "facts": FACTS,
        "title": "噪音",
        "parties-0-side": "applicant",
        "parties-0-person_ref": world.zhang,
        "parties-1-side": "respondent",
        "parties-1-name": "陈外来",
        "parties-1-phone": OUTSIDER_PHONE,
    }
    for i in (2, 3):
        form[f"parties-{i}-side"] = "respondent"
    response = client.post(QUEUE + "new/", form)
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and response.url == f"{QUEUE}{dispute.number}/"
    assert dispute.path == SHUIYUANDI and dispute.parties.count() == 2
    missing = client.post(QUEUE + "new/", {**form, "facts": "", "parties-1-name": ""})
    assert missing.status_code == 422 and Dispute.objects.count() == 1


def _event(world):
    Building.objects.filter(code="210102001002001001").update(lat=41.78, lng=123.43)
    building = Building.objects.get(code="210102001002001001")
    return event_report(
        actor=world.actors["resident"],
        data=ReportInput(description="楼上装修噪音扰民", building_id=str(building.public_id), not_duplicate=True),
    )


def test_a_grid_event_hands_on_once(client, world):
    event = _event(world)
    # other apps offer their own hand-offs too (a consultation topic): mediation's is one of them
    mediation_new = reverse("portal:mediation:dispute-new") + f"?event={event.number}"
    (link,) = [
        link for link in handoff_links(world.actors["community_worker"], event.number) if link.url == mediation_new
    ]
    assert handoff_links(world.actors["resident"], event.number) == []  # no intake right
    log_in(client, "other_community_worker")
    assert client.get(link.url).status_code == 404  # an event outside the worker's area
    log_in(client, "community_worker")
    form = client.get(link.url)
    html = page(form)
    assert form.status_code == 200 and "楼上装修噪音扰民" in html and world.zhang in html
    data = {
        "kind": "neighbour",
        "source": "grid_event",
        "source_ref": event.number,
        "community": SHUIYUANDI,
        "facts": "楼上装修噪音扰民",
        "parties-0-side": "applicant",
        "parties-0-person_ref": world.zhang,
        "parties-1-side": "respondent",
        "parties-1-name": "楼上住户",
        "parties-2-side": "respondent",
        "parties-3-side": "respondent",
    }
    assert client.post(link.url, data).status_code == 302
    first = Dispute.objects.get()
    (done,) = [link for link in handoff_links(world.actors["community_worker"], event.number) if link.done]
    assert done.done and done.url == f"{QUEUE}{first.number}/"
    again = client.post(link.url, data)
    assert again.status_code == 422 and f"{QUEUE}{first.number}/" in page(again)
    assert Dispute.objects.count() == 1


# ---- residents


def test_a_resident_applies_follows_and_withdraws(client, world):
    log_in(client, "resident")
    assert client.get("/my/mediation/disputes/apply/").status_code == 200
    response = client.post(
        "/my/mediation/disputes/apply/", {"kind": "neighbour", "respondent_name": "李明", "facts": FACTS}
    )
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and response.url == f"/my/mediation/disputes/{dispute.number}/"
    html = page(client.get("/my/mediation/disputes/"))
    assert dispute.number in html
    refused = client.post(f"/my/mediation/disputes/{dispute.number}/withdraw/", {"reason": "已经和解了"})
    assert refused.status_code == 422  # not confirmed
    done = client.post(f"/my/mediation/disputes/{dispute.number}/withdraw/", {"reason": "已经和解了", "confirm": "on"})
    assert done.status_code == 302
    dispute.refresh_from_db()
    assert dispute.state == "withdrawn"


def test_a_resident_sees_only_their_own_disputes(client, world):
    theirs = accepted(world)
    stranger = registered(
        world,
        parties=[
            PartyInput(side="applicant", name="甲"),
            PartyInput(side="respondent", name="乙"),
        ],
    )
    log_in(client, "resident")
    assert client.get(f"/my/mediation/disputes/{theirs.number}/").status_code == 200
    assert client.get(f"/my/mediation/disputes/{stranger.number}/").status_code == 404


def test_a_resident_party_asks_for_another_mediator(client, world):
    dispute = mediating(world)
    log_in(client, "resident")
    assert f"/my/mediation/disputes/{dispute.number}/recusal/" in page(
        client.get(f"/my/mediation/disputes/{dispute.number}/")
    )
    unconfirmed = client.post(f"/my/mediation/disputes/{dispute.number}/recusal/", {"reason": "调解员是对方亲戚"})
    assert unconfirmed.status_code == 422
    dispute.refresh_from_db()
    assert dispute.mediator_id == world.committee.pk
    done = client.post(
        f"/my/mediation/disputes/{dispute.number}/recusal/", {"reason": "调解员是对方亲戚", "confirm": "on"}
    )
    assert done.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.state, dispute.mediator_id) == ("accepted", None)


def test_an_outsider_phone_is_read_with_a_reason_and_logged(client, world):
    dispute = registered(world)
    outsider = dispute.parties.get(name="陈外来")
    log_in(client, "community_worker")
    url = f"{QUEUE}{dispute.number}/phone/"
    refused = client.post(url, {"party": outsider.pk, "reason": ""})
    assert refused.status_code == 422 and OUTSIDER_PHONE not in page(refused)
    shown = client.post(url, {"party": outsider.pk, "reason": "电话通知调解时间"})
    assert shown.status_code == 200 and OUTSIDER_PHONE in page(shown)
    assert AuditEntry.objects.filter(action="mediation.dispute_read", reason="电话通知调解时间").count() == 1
    log_in(client, "other_community_worker")
    assert client.post(url, {"party": outsider.pk, "reason": "电话通知调解时间"}).status_code == 404


def test_the_intake_form_finds_pool_residents_and_takes_them_as_parties(client, world):
    log_in(client, "community_worker")
    html = page(client.get(QUEUE + "new/?q=李明"))
    assert f"applicant={world.li}" in html and "孙强" not in html  # 集贤 is outside the worker's area
    chosen = page(client.get(f"{QUEUE}new/?applicant={world.zhang}&respondent={world.li}"))
    assert f'name="parties-0-person_ref" value="{world.zhang}"' in chosen and "张建国" in chosen
    assert f'name="parties-1-person_ref" value="{world.li}"' in chosen
    outside = page(client.get(f"{QUEUE}new/?applicant={world.sun}"))
    assert f'name="parties-0-person_ref" value="{world.sun}"' not in outside and "孙强" not in outside


def test_a_resident_respondent_answers_themself(client, world):
    dispute = registered(
        world,
        parties=[
            PartyInput(side="applicant", person_ref=world.li),
            PartyInput(side="respondent", person_ref=world.zhang),
        ],
    )
    log_in(client, "resident")
    url = f"/my/mediation/disputes/{dispute.number}/consent/"
    assert url in page(client.get(f"/my/mediation/disputes/{dispute.number}/"))
    assert client.post(url, {"consent": "maybe"}).status_code == 422
    assert client.post(url, {"consent": "agreed", "note": "愿意调解"}).status_code == 302
    mine = dispute.parties.get(user=world.users["resident"])
    other = dispute.parties.exclude(pk=mine.pk).get()
    assert (mine.consent, mine.consent_note, other.consent) == ("agreed", "愿意调解", "pending")
    assert url not in page(client.get(f"/my/mediation/disputes/{dispute.number}/"))  # answered
    log_in(client, "community_worker")
    client.post(f"{QUEUE}{dispute.number}/consent/", {"party": other.pk, "consent": "agreed"})
    dispute.refresh_from_db()
    assert dispute.state == "accepted"
