# ruff: noqa: F811 (the stage's fixtures are imported from sessions_support)
"""Sessions' pages: the mediator's queue and dispute page (role × scope, a pinned query count),
the sessions section's forms (errors beside the inputs, nothing saved), sealed minutes read with
a reason, the agreement PDF in Chinese, and what a party sees."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from linli.core.models import AuditEntry
from linli.mediation.models import MediationAgreement, MediationSession
from linli.mediation.selectors.sessions import mediator_queue
from linli.mediation.services import sessions as svc
from linli.mediation.tests.sessions_support import (  # noqa: F401 (fixtures)
    HUNHEWAN,
    NOW,
    SHUIYUANDI,
    TERMS,
    TODAY,
    add_dispute,
    add_held_session,
    clock,
    party_ids,
    world,
)
from linli.testing import log_in

pytestmark = pytest.mark.django_db


def my_url(number: str = "") -> str:
    return (
        reverse("portal:mediation:sessions-my-dispute", args=[number])
        if number
        else reverse("portal:mediation:sessions-my")
    )


def post_url(number: str, action: str) -> str:
    return reverse("portal:mediation:sessions-post", args=[number, action])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("resident", 404),
        ("community_worker", 404),
        ("other_community_worker", 404),
        ("street_officer", 404),
        ("mediator", 200),
        ("other_mediator", 200),
    ],
)
def test_the_queue_is_the_mediators_only(client, world, who, status):
    log_in(client, who)
    response = client.get(my_url())
    assert response.status_code == status
    if status == 200:
        mine = world.dispute if who == "mediator" else world.other
        theirs = world.other if who == "mediator" else world.dispute
        assert mine.number in response.content.decode()
        assert theirs.number not in response.content.decode()


def test_anonymous_is_sent_to_log_in(client, world):
    assert client.get(my_url()).status_code == 302
    assert client.get(my_url(world.dispute.number)).status_code == 302


def test_another_mediator_cannot_open_my_dispute(client, world):
    log_in(client, "other_mediator")
    assert client.get(my_url(world.dispute.number)).status_code == 404
    log_in(client, "mediator")
    response = client.get(my_url(world.dispute.number))
    assert response.status_code == 200
    assert "schedule-form" in response.content.decode()


def test_the_queue_is_one_query_due_soonest_first(world, django_assert_num_queries):
    add_dispute(SHUIYUANDI, world.mediator, due_in=-2)
    add_dispute(SHUIYUANDI, world.mediator, due_in=3)
    agreed = add_dispute(SHUIYUANDI, world.mediator, state="agreed", due_in=-20)
    MediationSession.objects.create(
        dispute=world.dispute, starts_at=NOW + dt.timedelta(hours=3), place="调解室", mediator_name="王调解"
    )
    with django_assert_num_queries(1):
        rows = list(mediator_queue(actor=world.actors["mediator"], today=TODAY))
    assert [r.due_on - TODAY for r in rows[:3]] == [dt.timedelta(days=-2), dt.timedelta(days=3), dt.timedelta(days=20)]
    assert rows[-1].pk == agreed.pk
    assert rows[2].next_session_at == NOW + dt.timedelta(hours=3)


def test_the_queue_page_has_a_pinned_query_count(client, world, django_assert_num_queries):
    for _ in range(5):
        add_dispute(SHUIYUANDI, world.mediator)
    log_in(client, "mediator")
    client.get(my_url())  # warm the session and memos
    with django_assert_num_queries(5):
        response = client.get(my_url())
    assert response.status_code == 200
    assert response.content.decode().count("/staff/mediation/my/TJ") == 6


def test_scheduling_on_the_phone_page_and_a_refusal_beside_the_input(client, world):
    log_in(client, "mediator")
    response = client.post(
        post_url(world.dispute.number, "schedule"),
        {"back": "my", "starts_at": "2026-12-08T09:30", "place": "水源地社区调解室"},
    )
    assert response.status_code == 302 and response["Location"] == my_url(world.dispute.number)
    assert MediationSession.objects.filter(dispute=world.dispute, place="水源地社区调解室").count() == 1
    response = client.post(
        post_url(world.dispute.number, "schedule"), {"back": "my", "starts_at": "2026-12-01T09:30", "place": ""}
    )
    assert response.status_code == 422
    assert "调解会时间不能早于昨天" in response.content.decode()
    assert MediationSession.objects.filter(dispute=world.dispute).count() == 1


def test_an_agreement_with_no_terms_is_refused_on_the_page(client, world):
    add_held_session(world.dispute)
    log_in(client, "mediator")
    response = client.post(
        post_url(world.dispute.number, "agreement"),
        {"back": "my", "kind": "written", "terms": "   ", "signed_on": TODAY.isoformat(), "confirm": "1"},
    )
    assert response.status_code == 422
    assert "协议内容不能为空" in response.content.decode()
    assert MediationAgreement.objects.count() == 0


def test_an_agreement_is_recorded_only_when_confirmed(client, world):
    add_held_session(world.dispute)
    log_in(client, "mediator")
    data = {"back": "my", "kind": "oral", "terms": TERMS, "signed_on": TODAY.isoformat()}
    response = client.post(post_url(world.dispute.number, "agreement"), data)
    assert response.status_code == 422
    assert 'id="sessions-agreement-confirm_error"' in response.content.decode()
    assert MediationAgreement.objects.count() == 0
    response = client.post(post_url(world.dispute.number, "agreement"), data | {"confirm": "1"})
    assert response.status_code == 302
    assert MediationAgreement.objects.get().kind == "oral"


def test_two_scheduled_sessions_have_forms_with_their_own_ids(client, world):
    for hours in (2, 26):
        MediationSession.objects.create(
            dispute=world.dispute, starts_at=NOW + dt.timedelta(hours=hours), place="调解室", mediator_name="王调解"
        )
    log_in(client, "mediator")
    html = client.get(my_url(world.dispute.number)).content.decode()
    ids = re.findall(r'id="(sessions-[^"]+)"', html)
    assert len(ids) == len(set(ids)) and len([i for i in ids if i.endswith("-minutes")]) == 2


def test_other_staff_cannot_post_to_the_dispute(client, world):
    log_in(client, "other_community_worker")
    response = client.post(post_url(world.dispute.number, "schedule"), {"starts_at": "2026-12-08T09:30", "place": "x"})
    assert response.status_code == 404
    assert MediationSession.objects.count() == 0


def test_minutes_are_read_with_a_reason_on_the_page(client, world):
    session = add_held_session(world.dispute)
    log_in(client, "community_worker")
    response = client.post(
        post_url(world.dispute.number, "read"), {"what": f"minutes:{session.public_id}", "reason": ""}
    )
    assert response.status_code == 422
    assert not AuditEntry.objects.filter(action="mediation.dispute_read").exists()
    response = client.post(
        post_url(world.dispute.number, "read"), {"what": f"minutes:{session.public_id}", "reason": "核对调解过程"}
    )
    assert response.status_code == 200
    assert "双方陈述了各自意见" in response.content.decode()
    assert AuditEntry.objects.filter(action="mediation.dispute_read", reason="核对调解过程").count() == 1


def agree(world):
    add_held_session(world.dispute)
    svc.agreement_record(
        actor=world.actors["mediator"],
        dispute=world.dispute,
        kind="written",
        terms=TERMS,
        signed_on=TODAY,
        perform_by=TODAY + dt.timedelta(days=10),
    )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_agreement_pdf_renders_chinese_with_masked_id_numbers(client, world, tmp_path):
    agree(world)
    log_in(client, "mediator")
    response = client.get(reverse("portal:mediation:sessions-agreement-pdf", args=[world.dispute.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "agreement.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    for words in ("人民调解协议书", "水源地社区人民调解委员会", "张伟", "李强", "被申请人", "210102********1234"):
        assert words in text
    assert "210102198001011234" not in text
    assert "装修噪音" in text and "停止装修施工" in text
    response = client.post(
        reverse("portal:mediation:sessions-agreement-pdf", args=[world.dispute.number]),
        {"reveal_reason": "双方当场签字"},
    )
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "210102198001011234" in text


def test_the_agreement_pdf_is_not_for_another_mediator(client, world):
    agree(world)
    log_in(client, "other_mediator")
    response = client.get(reverse("portal:mediation:sessions-agreement-pdf", args=[world.dispute.number]))
    assert response.status_code == 404


def test_a_party_sees_dates_and_place_not_the_minutes(world):
    agree(world)
    html = render_to_string("mediation/resident/disputes/_sessions.html", {"dispute": world.dispute})
    assert "水源地社区调解室" in html
    assert "双方陈述了各自意见" not in html and "停止装修施工" not in html
    assert (TODAY + dt.timedelta(days=10)).isoformat() in html


def test_the_phone_page_after_agreement_offers_follow_up_and_print(client, world):
    agree(world)
    log_in(client, "mediator")
    page = client.get(my_url(world.dispute.number)).content.decode()
    assert "follow-up-form" in page and "agreement-pdf" in page and "confirmation-form" in page
    assert "agreement-form" not in page
    party_ids(world.dispute)  # the parties stay listed
    assert "张伟" in page and HUNHEWAN not in page


def test_the_staff_dispute_page_carries_the_sessions_section(client, world):
    add_held_session(world.dispute)
    log_in(client, "community_worker")
    page = client.get(reverse("portal:mediation:dispute", args=[world.dispute.number]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="sessions"' in html and "schedule-form" in html and "agreement-form" in html
    assert "双方陈述了各自意见" not in html  # the minutes stay sealed
    response = client.post(
        post_url(world.dispute.number, "schedule"), {"back": "", "starts_at": "2026-12-09T09:30", "place": "居委会"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:mediation:dispute", args=[world.dispute.number]) + "#sessions"


def test_the_beat_officer_reads_but_does_not_handle(client, world):
    """The community police officer of the beat reads the area's disputes (MEDIATION_VIEW) but
    holds no sessions: the section shows, the forms do not, a post is refused."""
    from django.utils import timezone

    from linli.mediation.models import PoliceBeat

    PoliceBeat.objects.create(
        user_id=world.actors["police"].user_id,
        officer_name="police",
        path=SHUIYUANDI,
        since=TODAY,
        set_by_name="tests",
        created_at=timezone.now(),
    )
    log_in(client, "police")
    html = client.get(reverse("portal:mediation:dispute", args=[world.dispute.number])).content.decode()
    assert 'id="sessions"' in html and "schedule-form" not in html
    response = client.post(post_url(world.dispute.number, "schedule"), {"starts_at": "2026-12-09T09:30", "place": "x"})
    assert response.status_code == 422
    assert MediationSession.objects.count() == 0


def test_agreements_to_follow_up_are_the_areas_and_pinned(client, world, django_assert_num_queries):
    agree(world)
    for _ in range(2):
        other = add_dispute(SHUIYUANDI, world.mediator)
        add_held_session(other)
        svc.agreement_record(
            actor=world.actors["mediator"],
            dispute=other,
            kind="oral",
            terms=TERMS,
            signed_on=TODAY - dt.timedelta(days=5),
            perform_by=TODAY - dt.timedelta(days=1),
        )
    url = reverse("portal:mediation:sessions-follow-ups")
    log_in(client, "community_worker")
    client.get(url)
    with django_assert_num_queries(4):
        html = client.get(url).content.decode()
    assert html.count("#sessions") == 2 and world.dispute.number not in html  # its perform-by is still ahead
    log_in(client, "other_community_worker")
    assert "#sessions" not in client.get(url).content.decode()
    log_in(client, "mediator")
    assert client.get(url).status_code == 404


def test_a_made_up_session_id_is_a_404_not_an_error(client, world):
    log_in(client, "mediator")
    party = str(world.dispute.parties.first().pk)  # a real party: the form is valid, only the session is made up
    for action, data in (
        ("record", {"minutes": "x", "attended": party}),
        ("cancel", {"reason": "出差了", "confirm": "1"}),
    ):
        response = client.post(post_url(world.dispute.number, action), {"session": "not-a-uuid"} | data)
        assert response.status_code == 404
    response = client.post(post_url(world.dispute.number, "read"), {"what": "minutes:zzz", "reason": "核对调解过程"})
    assert response.status_code == 404
