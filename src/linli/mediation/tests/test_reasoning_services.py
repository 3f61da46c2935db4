"""慧评理 through the services: starting, joining by code (own case, lapsed, used, wrong code, the
rate limit), posts and proposals, settling, closing, publishing with both consents and masked
names, turning formal; a refused path changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.core.crypto import unseal
from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.mediation.domain.reasoning import CODE_ALPHABET, code_normalise, masked_for_public
from linli.mediation.models import Dispute, DisputeParty, ReasoningCase, ReasoningPost
from linli.mediation.selectors.reasoning import POST_CONTEXT, case_posts, reasoning_examples
from linli.mediation.services.reasoning import (
    reasoning_accept,
    reasoning_close,
    reasoning_consent,
    reasoning_formal,
    reasoning_join,
    reasoning_lapse_due,
    reasoning_post,
    reasoning_propose,
    reasoning_publish,
    reasoning_start,
)
from linli.mediation.tests.reasoning_support import (
    OTHER_SAYS,
    SHUIYUANDI,
    STARTER_SAYS,
    TODAY,
    opened,
    reasoning_clock,
    rp,
    started,
)

__all__ = ["reasoning_clock", "rp"]


def _refused(expected: str, call, /, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    assert caught.value.code == expected
    return caught.value


# ---- pure rules -------------------------------------------------------------------------------


def test_typed_codes_are_normalised():
    assert code_normalise(" ab3-d 5k ") == "AB3D5K"
    assert set("0O1I").isdisjoint(CODE_ALPHABET)


def test_public_text_masks_both_names_longest_first_and_numbers():
    text = "王大妈说王大妈家的狗不叫；王大打电话13812345678"
    masked = masked_for_public(text, ("王大", "王大妈"), lambda t: t.replace("13812345678", "138****5678"))
    assert masked == "乙方说乙方家的狗不叫；甲方打电话138****5678"


# ---- starting ---------------------------------------------------------------------------------


def test_start_makes_a_code_an_invitation_and_a_sealed_first_post(rp):
    case = started(rp)
    assert len(case.code) == 6 and set(case.code) <= set(CODE_ALPHABET)
    assert (case.state, case.path, case.invite_until) == ("invited", SHUIYUANDI, TODAY + dt.timedelta(days=14))
    post = ReasoningPost.objects.get(case=case)
    assert post.role == "starter" and post.text != STARTER_SAYS
    assert unseal(post.text, context=POST_CONTEXT) == STARTER_SAYS
    assert AuditEntry.objects.filter(action="mediation.reasoning_start", object_id=str(case.public_id)).count() == 1


def test_start_refuses_missing_fields_and_staff_accounts(rp):
    error = _refused("validation_failed", reasoning_start, actor=rp.starter, kind="nope", title="", statement="")
    assert {f.field for f in error.fields} == {"kind", "title", "statement"}
    error = _refused(
        "validation_failed", reasoning_start, actor=rp.starter, kind="neighbour", title="找13812345678", statement="x"
    )
    assert [f.field for f in error.fields] == ["title"]
    _refused(
        "permission_denied",
        reasoning_start,
        actor=rp.actors["community_worker"],
        kind="neighbour",
        title="x",
        statement="y",
    )
    assert ReasoningCase.objects.count() == 0


# ---- joining ----------------------------------------------------------------------------------


def test_the_other_side_joins_with_the_code_and_the_case_opens(rp):
    case = started(rp)
    joined = reasoning_join(actor=rp.other, code=case.code.lower(), statement=OTHER_SAYS)
    assert (joined.state, joined.other_id, joined.other_name) == ("open", rp.other.user_id, "王大妈")
    assert [p.role for p in case_posts(joined)] == ["starter", "other"]


def test_joining_tells_the_starter_and_the_communitys_reasoners(rp, django_capture_on_commit_callbacks):
    from linli.core.models import InboxMessage

    case = started(rp)
    with django_capture_on_commit_callbacks(execute=True):
        reasoning_join(actor=rp.other, code=case.code, statement=OTHER_SAYS)
    inbox = sorted(InboxMessage.objects.values_list("user_id", "kind"))
    assert inbox == sorted(
        [(rp.starter.user_id, "mediation.reasoning"), (rp.reasoner.user_id, "mediation.reasoning_open")]
    )


def test_join_by_link_needs_the_matching_case(rp):
    case, second = started(rp), started(rp, "另一件事")
    _refused(
        "validation_failed", reasoning_join, actor=rp.other, code=case.code, statement="x", public_id=second.public_id
    )
    joined = reasoning_join(actor=rp.other, code=case.code, statement="x", public_id=case.public_id)
    assert joined.state == "open"


def test_joining_ones_own_case_is_refused(rp):
    case = started(rp)
    _refused("conflict", reasoning_join, actor=rp.starter, code=case.code, statement="我自己")
    case.refresh_from_db()
    assert (case.state, case.other_id, ReasoningPost.objects.filter(case=case).count()) == ("invited", None, 1)


def test_a_used_invitation_is_refused(rp):
    case = opened(rp)
    _refused("conflict", reasoning_join, actor=rp.stranger, code=case.code, statement="我也来")
    case.refresh_from_db()
    assert (case.other_id, ReasoningPost.objects.filter(case=case).count()) == (rp.other.user_id, 2)


def test_a_lapsed_invitation_is_refused_and_lapses(rp, reasoning_clock):
    case = started(rp)
    reasoning_clock.shift(dt.timedelta(days=15))
    _refused("conflict", reasoning_join, actor=rp.other, code=case.code, statement="晚了")
    case.refresh_from_db()
    assert (case.state, case.other_id) == ("invited", None)
    from linli.core.actor import Actor

    system = Actor.system("tests")
    assert reasoning_lapse_due(actor=system) == 1
    assert reasoning_lapse_due(actor=system) == 0
    case.refresh_from_db()
    assert case.state == "lapsed"


def test_a_wrong_code_gets_one_generic_answer_and_is_counted(rp):
    started(rp)
    error = _refused("validation_failed", reasoning_join, actor=rp.other, code="ZZZZZZ", statement="我")
    assert [f.field for f in error.fields] == ["code"]
    assert (
        AuditEntry.objects.filter(action="mediation.reasoning_code_wrong", actor_user_id=rp.other.user_id).count() == 1
    )


def test_five_wrong_codes_in_ten_minutes_refuse_the_account_for_the_window(rp, reasoning_clock):
    case = started(rp)
    for _ in range(5):
        _refused("validation_failed", reasoning_join, actor=rp.other, code="ZZZZZZ", statement="我")
    _refused("too_many_attempts", reasoning_join, actor=rp.other, code=case.code, statement="我")
    case.refresh_from_db()
    assert case.state == "invited"
    # another account is not affected; the same account may try again after the window
    reasoning_clock.shift(dt.timedelta(minutes=11))
    assert reasoning_join(actor=rp.other, code=case.code, statement="我").state == "open"


# ---- posts, proposals, settling ---------------------------------------------------------------


def test_sides_and_commenters_post_a_stranger_and_another_community_cannot(rp):
    case = opened(rp)
    reasoning_post(actor=rp.starter, case=case, text="补充一句")
    reasoning_post(actor=rp.reasoner, case=case, text="建议早上七点后遛狗", proposal=True)
    reasoning_post(actor=rp.mediator, case=case, text="同意评理员的意见")
    for outsider in (rp.stranger, rp.other_reasoner, rp.actors["other_community_worker"]):
        _refused("not_found", reasoning_post, actor=outsider, case=case, text="路过")
    # area staff read (with a reason) but do not post
    _refused("permission_denied", reasoning_post, actor=rp.actors["community_worker"], case=case, text="x")
    assert [(p.role, p.is_proposal) for p in case_posts(case)] == [
        ("starter", False),
        ("other", False),
        ("starter", False),
        ("reasoner", True),
        ("mediator", False),
    ]


def test_a_side_cannot_propose_and_an_invited_case_takes_no_commenters(rp):
    case = started(rp)
    _refused("not_found", reasoning_post, actor=rp.reasoner, case=case, text="太早了")
    _refused("conflict", reasoning_post, actor=rp.starter, case=case, text="等对方")
    case = reasoning_join(actor=rp.other, code=case.code, statement=OTHER_SAYS)
    _refused("validation_failed", reasoning_post, actor=rp.starter, case=case, text="我的方案", proposal=True)
    assert ReasoningPost.objects.filter(case=case).count() == 2


def test_both_sides_accepting_the_same_proposal_settle_the_case(rp):
    case = opened(rp)
    first = reasoning_post(actor=rp.reasoner, case=case, text="方案一", proposal=True)
    side_post = reasoning_post(actor=rp.other, case=case, text="我七点后出门")
    _refused("validation_failed", reasoning_accept, actor=rp.starter, case=case, post_id=side_post.pk)
    marked = reasoning_propose(actor=rp.mediator, case=case, post_id=side_post.pk)
    assert (marked.role, marked.is_proposal, unseal(marked.text, context=POST_CONTEXT)) == (
        "mediator",
        True,
        "我七点后出门",
    )
    assert reasoning_accept(actor=rp.starter, case=case, post_id=first.pk).state == "open"
    assert reasoning_accept(actor=rp.other, case=case, post_id=marked.pk).state == "open"
    _refused("permission_denied", reasoning_accept, actor=rp.reasoner, case=case, post_id=first.pk)
    settled = reasoning_accept(actor=rp.starter, case=case, post_id=marked.pk)
    assert (settled.state, settled.starter_accepted_id, settled.other_accepted_id) == (
        "settled",
        marked.pk,
        marked.pk,
    )
    _refused("conflict", reasoning_post, actor=rp.starter, case=settled, text="还有")


def test_either_side_closes_with_a_reason(rp):
    case = opened(rp)
    _refused("validation_failed", reasoning_close, actor=rp.other, case=case, reason="")
    _refused("permission_denied", reasoning_close, actor=rp.reasoner, case=case, reason="不用了吧")
    assert reasoning_close(actor=rp.other, case=case, reason="已经私下说好了").state == "closed"
    _refused("conflict", reasoning_close, actor=rp.starter, case=case, reason="再关一次")
    entry = AuditEntry.objects.get(action="mediation.reasoning_close")
    assert (entry.reason, entry.actor_user_id) == ("已经私下说好了", rp.other.user_id)


# ---- publishing -------------------------------------------------------------------------------


def test_publishing_needs_both_consents_and_masks_names_and_numbers(rp):
    case = opened(rp)
    text = "resident说王大妈家的狗早上叫，还留了电话13812345678；王大妈同意七点后遛狗。"
    reasoning_consent(actor=rp.starter, case=case, consent=True)
    _refused("conflict", reasoning_publish, actor=rp.reasoner, case=case, text=text)
    reasoning_consent(actor=rp.other, case=case, consent=True)
    _refused("permission_denied", reasoning_publish, actor=rp.starter, case=case, text=text)
    published = reasoning_publish(actor=rp.reasoner, case=case, text=text)
    assert published.public_text == "甲方说乙方家的狗早上叫，还留了电话138****5678；乙方同意七点后遛狗。"
    assert list(reasoning_examples().values_list("public_id", flat=True)) == [case.public_id]


def test_a_side_withdrawing_consent_takes_the_example_down(rp):
    case = opened(rp)
    reasoning_consent(actor=rp.starter, case=case, consent=True)
    reasoning_consent(actor=rp.other, case=case, consent=True)
    reasoning_publish(actor=rp.mediator, case=case, text="甲乙双方和好")
    reasoning_consent(actor=rp.other, case=case, consent=False)
    case.refresh_from_db()
    assert (case.public_text, case.other_publishes, reasoning_examples().count()) == ("", False, 0)


def test_consent_before_the_other_side_joined_is_refused(rp):
    case = started(rp)
    _refused("conflict", reasoning_consent, actor=rp.starter, case=case, consent=True)
    case.refresh_from_db()
    assert case.starter_publishes is False


# ---- formal mediation -------------------------------------------------------------------------


def test_either_side_turns_it_into_formal_mediation(rp):
    case = opened(rp)
    dispute = reasoning_formal(actor=rp.other, case=case)
    case.refresh_from_db()
    assert (case.state, case.dispute_id) == ("formal", dispute.pk)
    assert (dispute.source, dispute.source_ref, dispute.state, dispute.title) == (
        "reasoning",
        case.code,
        "consent",
        "楼下狗叫扰民",
    )
    parties = {p.side: p for p in DisputeParty.objects.filter(dispute=dispute)}
    assert (parties["applicant"].user_id, parties["applicant"].consent) == (rp.other.user_id, "agreed")
    assert (parties["respondent"].user_id, parties["respondent"].consent) == (rp.starter.user_id, "pending")
    from linli.mediation.services.intake import FACTS_CONTEXT

    facts = unseal(dispute.facts_sealed, context=FACTS_CONTEXT)
    assert STARTER_SAYS in facts and OTHER_SAYS in facts
    _refused("conflict", reasoning_formal, actor=rp.starter, case=case)
    assert Dispute.objects.count() == 1


def test_a_commenter_or_an_invited_case_cannot_go_formal(rp):
    case = started(rp)
    _refused("conflict", reasoning_formal, actor=rp.starter, case=case)
    case = reasoning_join(actor=rp.other, code=case.code, statement=OTHER_SAYS)
    _refused("permission_denied", reasoning_formal, actor=rp.reasoner, case=case)
    assert (Dispute.objects.count(), ReasoningCase.objects.get(pk=case.pk).state) == (0, "open")
