"""慧评理's pages: a resident starts a case and gets the code and link, the other side joins by
code and by link, posts and a confirmed close; the case page's matrix; the public examples read
without log-in; the staff list (summaries, pinned query count) and staff reading with a reason."""

from __future__ import annotations

from django.urls import reverse

from linli.core.models import AuditEntry
from linli.mediation.models import ReasoningCase, ReasoningPost
from linli.mediation.services.reasoning import reasoning_consent, reasoning_publish
from linli.mediation.tests.reasoning_support import OTHER_SAYS, STARTER_SAYS, opened, reasoning_clock, rp, started
from linli.testing import log_in

__all__ = ["reasoning_clock", "rp"]


def _case_url(case) -> str:
    return reverse("portal:mediation-resident:reasoning-case", args=[case.public_id])


def _act_url(case, action: str) -> str:
    return reverse("portal:mediation-resident:reasoning-act", args=[case.public_id, action])


def test_a_resident_starts_a_case_and_sees_the_code_and_link(client, rp):
    log_in(client, "resident")
    url = reverse("portal:mediation-resident:reasoning-start")
    assert client.get(url).status_code == 200
    refused = client.post(url, {"kind": "", "title": "", "statement": ""})
    assert refused.status_code == 422 and ReasoningCase.objects.count() == 0
    done = client.post(url, {"kind": "neighbour", "title": "楼下狗叫扰民", "statement": STARTER_SAYS})
    case = ReasoningCase.objects.get()
    assert done.status_code == 302 and done["Location"] == _case_url(case)
    page = client.get(_case_url(case)).content.decode()
    link = reverse("portal:mediation-resident:reasoning-join-link", args=[case.public_id, case.code])
    assert case.code in page and link in page and STARTER_SAYS in page


def test_the_other_side_joins_by_code_and_a_wrong_code_is_a_form_error(client, rp):
    case = started(rp)
    log_in(client, "neighbour")
    url = reverse("portal:mediation-resident:reasoning-join")
    wrong = client.post(url, {"code": "ZZZZZZ", "statement": OTHER_SAYS})
    assert wrong.status_code == 422 and "邀请码不正确" in wrong.content.decode()
    done = client.post(url, {"code": case.code.lower(), "statement": OTHER_SAYS})
    assert done.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.other_id) == ("open", rp.other.user_id)


def test_the_other_side_joins_by_link(client, rp):
    case = started(rp)
    log_in(client, "neighbour")
    url = reverse("portal:mediation-resident:reasoning-join-link", args=[case.public_id, case.code])
    assert client.get(url).status_code == 200
    assert client.post(url, {"statement": OTHER_SAYS}).status_code == 302
    case.refresh_from_db()
    assert case.state == "open"


def test_the_case_page_matrix(client, rp):
    case = opened(rp)
    expected = {"": 302, "stranger": 404, "other_reasoner": 404, "resident": 200, "neighbour": 200, "reasoner": 200}
    seen = {}
    for username in expected:
        client.logout()
        if username:
            log_in(client, username)
        seen[username] = client.get(_case_url(case)).status_code
    assert seen == expected
    # the residents' page is not a staff account's: it goes home (staff read on their own page)
    log_in(client, "community_worker")
    response = client.get(_case_url(case))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")


def test_posting_and_closing_with_a_confirmation(client, rp):
    case = opened(rp)
    log_in(client, "reasoner")
    assert client.post(_act_url(case, "post"), {"text": "建议七点后遛狗", "proposal": "on"}).status_code == 302
    proposal = ReasoningPost.objects.get(case=case, role="reasoner")
    assert proposal.is_proposal is True
    log_in(client, "resident")
    assert client.post(_act_url(case, "accept"), {"post": proposal.pk}).status_code == 302
    unconfirmed = client.post(_act_url(case, "close"), {"reason": "已经说好了"})
    assert unconfirmed.status_code == 422
    case.refresh_from_db()
    assert (case.state, case.starter_accepted_id) == ("open", proposal.pk)
    assert client.post(_act_url(case, "close"), {"reason": "已经说好了", "confirm": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.state == "closed"


def test_examples_are_public_and_masked(client, rp):
    case = opened(rp)
    examples = reverse("portal:mediation-resident:reasoning-examples")
    assert "楼下狗叫扰民" not in client.get(examples).content.decode()
    reasoning_consent(actor=rp.starter, case=case, consent=True)
    reasoning_consent(actor=rp.other, case=case, consent=True)
    reasoning_publish(actor=rp.reasoner, case=case, text="王大妈同意七点后遛狗，电话13812345678")
    listing = client.get(examples)
    assert listing.status_code == 200 and "楼下狗叫扰民" in listing.content.decode()
    page = client.get(reverse("portal:mediation-resident:reasoning-example", args=[case.public_id])).content.decode()
    assert "乙方同意七点后遛狗，电话138****5678" in page and "王大妈" not in page


def test_staff_list_shows_summaries_with_a_pinned_query_count(client, rp, django_assert_num_queries):
    opened(rp)
    started(rp, "另一件事")
    log_in(client, "community_worker")
    url = reverse("portal:mediation:reasoning-list")
    client.get(url)
    with django_assert_num_queries(5):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and "楼下狗叫扰民" in body and "另一件事" in body
    assert STARTER_SAYS not in body and "王大妈" not in body
    log_in(client, "other_community_worker")
    assert "楼下狗叫扰民" not in client.get(url).content.decode()


def test_staff_read_the_posts_with_a_reason(client, rp):
    case = opened(rp)
    log_in(client, "community_worker")
    url = reverse("portal:mediation:reasoning-case", args=[case.public_id])
    assert STARTER_SAYS not in client.get(url).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 422
    read = client.post(url, {"reason": "核实矛盾纠纷排查"})
    assert read.status_code == 200 and STARTER_SAYS in read.content.decode()
    assert AuditEntry.objects.filter(action="mediation.reasoning_read").count() == 1
    log_in(client, "other_community_worker")
    assert client.get(url).status_code == 404


def test_turning_formal_on_the_page_needs_the_confirmation(client, rp):
    case = opened(rp)
    log_in(client, "neighbour")
    assert client.post(_act_url(case, "formal"), {"reason": "谈不拢"}).status_code == 422
    case.refresh_from_db()
    assert (case.state, case.dispute_id) == ("open", None)
    assert client.post(_act_url(case, "formal"), {"reason": "谈不拢", "confirm": "on"}).status_code == 302
    case.refresh_from_db()
    page = client.get(_case_url(case)).content.decode()
    assert case.state == "formal" and case.dispute.number in page


def test_a_mediator_lists_the_open_cases_of_their_community(client, rp):
    case = opened(rp)
    started(rp, "另一件事")
    log_in(client, "mediator")
    body = client.get(reverse("portal:mediation:reasoning-list")).content.decode()
    assert case.title in body and "另一件事" not in body


def test_the_residents_mediation_page_offers_reasoning(client, rp):
    log_in(client, "resident")
    body = client.get(reverse("portal:mediation-resident:home")).content.decode()
    assert reverse("portal:mediation-resident:reasoning-mine") in body
    assert reverse("portal:mediation-resident:reasoning-examples") in body


def test_the_staff_pages_are_not_a_reasoners(client, rp):
    case = opened(rp)
    log_in(client, "reasoner")
    assert client.get(reverse("portal:mediation:reasoning-list")).status_code == 404
    assert client.get(reverse("portal:mediation:reasoning-case", args=[case.public_id])).status_code == 404
