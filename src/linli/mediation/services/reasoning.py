"""Writes of 慧评理 (reasoning a small dispute out online).

A resident starts a case with a summary (no names) and their side; the other side joins with the
invitation code (or the link, which carries the case's public id and the code) within
`INVITE_DAYS` and states theirs. Wrong codes are counted in the audit log: after
`WRONG_CODES_MAX` in `WRONG_CODES_MINUTES` minutes an account is refused for the window. Both
sides, the community's reasoners and the mediators over it post; a reasoner or mediator marks a
proposal; both sides accepting the same one settles the case. Either side may close it or turn it
into formal mediation (through the intake's `dispute_apply`). Both sides' consent lets a reasoner
or mediator publish it as an example, names and personal numbers masked. Every post is sealed."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from linli.accounts.domain import MEDIATION_APPLY, MEDIATION_VIEW, Role
from linli.accounts.selectors import home_path, posted_user_ids
from linli.core.actor import Actor
from linli.core.crypto import seal, unseal
from linli.core.errors import DomainError, Msg, conflict, field_error, not_found, permission_denied, validation_failed
from linli.core.masking import mask_personal_numbers
from linli.core.notify import notify
from linli.mediation.domain.disputes import DisputeSource
from linli.mediation.domain.reasoning import (
    CLOSE_FROM,
    CODE_ALPHABET,
    CODE_LENGTH,
    FORMAL_FROM,
    HEARD_STATES,
    REASON_MIN,
    TEXT_MAX,
    TITLE_MAX,
    WRONG_CODES_MAX,
    WRONG_CODES_MINUTES,
    PostRole,
    ReasoningState,
    code_normalise,
    code_wellformed,
    invitation_lapsed,
    invite_until_for,
    masked_for_public,
)
from linli.mediation.models import Dispute, DisputeKind, ReasoningCase, ReasoningPost
from linli.mediation.selectors.reasoning import (
    POST_CONTEXT,
    CaseRights,
    PostView,
    case_posts,
    case_rights,
    wrong_codes_recent,
)
from linli.mediation.services.common import audit

CODE_TRIES = 8  # a code drawn twice (1 in 10⁹ per case) is drawn again


def _reason(reason: str, name: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise validation_failed(
            [field_error(name, "请写明理由（至少4个字）", "give the reason (at least 4 characters)")]
        )
    return reason[:300]


def _text(text: str, name: str = "text") -> str:
    text = (text or "").strip()
    if not text:
        raise validation_failed([field_error(name, "请写下您要说的话", "write what you want to say")])
    if len(text) > TEXT_MAX:
        raise validation_failed(
            [field_error(name, f"一次最多{TEXT_MAX}字", f"at most {TEXT_MAX} characters at a time")]
        )
    return text


def _resident(actor: Actor) -> None:
    if actor.user_id is None or not actor.has_perm(MEDIATION_APPLY):
        raise permission_denied()


def _locked(case: ReasoningCase) -> ReasoningCase:
    return ReasoningCase.objects.select_for_update().select_related("kind").get(pk=case.pk)


def _post_add(
    case: ReasoningCase, actor: Actor, role: str, text: str, *, proposal: bool = False, at: datetime | None = None
) -> ReasoningPost:
    assert actor.user_id is not None  # every writer was checked to be a signed-in account
    return ReasoningPost.objects.create(
        case=case,
        role=role,
        author_id=actor.user_id,
        author_name=actor.shown_name[:150],
        text=seal(text, context=POST_CONTEXT),
        is_proposal=proposal,
        at=at or timezone.now(),
    )


def _touch(case: ReasoningCase, *fields: str) -> None:
    case.updated_at = timezone.now()
    case.save(update_fields=[*fields, "updated_at"])


def _case_link(case: ReasoningCase) -> str:
    return reverse("portal:mediation-resident:reasoning-case", args=[case.public_id])


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# ---- starting and joining --------------------------------------------------------------------


def reasoning_start(
    *, actor: Actor, kind: str, title: str, statement: str, at: datetime | None = None
) -> ReasoningCase:
    """A resident starts a case in their community: the summary (no names), their side. The case
    waits for the other side, who joins with the code or the link within INVITE_DAYS. `at` dates a
    case started earlier (the demo's history); pages and the API never pass it."""
    _resident(actor)
    errors = []
    kind_row = DisputeKind.objects.filter(code=(kind or "").strip(), active=True).first()
    if kind_row is None:
        errors.append(field_error("kind", "请选择纠纷类型", "choose the kind of dispute"))
    title = (title or "").strip()
    if not title or len(title) > TITLE_MAX:
        errors.append(
            field_error("title", f"请用一句话概括（最多{TITLE_MAX}字）", f"sum it up in a line (at most {TITLE_MAX})")
        )
    elif mask_personal_numbers(title) != title:  # the line is shown in lists: no numbers in it
        errors.append(
            field_error("title", "这句话会显示在列表中，请不要写电话或身份证号", "no phone or ID numbers in this line")
        )
    text = (statement or "").strip()
    if not text or len(text) > TEXT_MAX:
        errors.append(
            field_error("statement", f"请说明您这一方的情况（最多{TEXT_MAX}字）", "state your side (at most 2,000)")
        )
    path = home_path(actor.user_id)
    if not path:
        errors.append(
            field_error("kind", "您的账号未关联社区，请到社区登记", "your account names no community; ask yours")
        )
    if errors:
        raise validation_failed(errors)
    assert kind_row is not None and actor.user_id is not None
    now = at or timezone.now()
    for _attempt in range(CODE_TRIES):
        try:
            with transaction.atomic():
                case = ReasoningCase.objects.create(
                    code=_new_code(),
                    path=path,
                    kind=kind_row,
                    title=title,
                    starter_id=actor.user_id,
                    starter_name=actor.shown_name[:50],
                    invite_until=invite_until_for(timezone.localdate(now)),
                    created_at=now,
                    updated_at=now,
                )
                _post_add(case, actor, PostRole.STARTER, text, at=now)
                audit(actor, "reasoning_start", "mediation_reasoning", case.public_id, path, kind=kind_row.code)
                return case
        except IntegrityError:
            continue
    raise conflict(Msg("暂时无法生成邀请码，请重试", "No invitation code could be made; try again"))


def _wrong_code() -> DomainError:
    # one answer for a code that does not exist and a link that does not match: nothing to learn
    return validation_failed([field_error("code", "邀请码不正确，请核对后再输入", "the invitation code is not right")])


def _too_many() -> DomainError:
    return DomainError(
        Msg(
            f"邀请码输错次数过多，请{WRONG_CODES_MINUTES}分钟后再试",
            f"Too many wrong codes; try again in {WRONG_CODES_MINUTES} minutes",
        ),
        code="too_many_attempts",
        status=429,
    )


def reasoning_join(*, actor: Actor, code: str, statement: str, public_id=None) -> ReasoningCase:
    """The other side joins with the code (or the link: public id and code) and states their side.
    Refused: one's own case, a used or lapsed invitation, a wrong code (counted: after
    WRONG_CODES_MAX in the window the account is refused for the window, right code or not)."""
    _resident(actor)
    if wrong_codes_recent(actor) >= WRONG_CODES_MAX:
        raise _too_many()
    text = _text(statement, "statement")
    code = code_normalise(code)
    lookup = {"code": code} | ({"public_id": public_id} if public_id else {})
    case = ReasoningCase.objects.filter(**lookup).first() if code_wellformed(code) else None
    if case is None:
        # written outside any transaction of ours, so the refusal below does not roll it back
        audit(actor, "reasoning_code_wrong", "mediation_reasoning_code", "", "")
        raise _wrong_code()
    with transaction.atomic():
        case = _locked(case)
        if case.starter_id == actor.user_id:
            raise conflict(Msg("这是您自己发起的评理，请把邀请码发给对方", "This is your own case; send the code on"))
        if case.other_id is not None or case.state != ReasoningState.INVITED:
            raise conflict(Msg("该邀请已被使用或已结束", "This invitation has been used or has ended"))
        if invitation_lapsed(case.invite_until, timezone.localdate()):
            raise conflict(Msg("该邀请已过期，请让对方重新发起", "This invitation has lapsed; ask for a new one"))
        case.other_id, case.other_name, case.state = actor.user_id, actor.shown_name[:50], ReasoningState.OPEN
        _touch(case, "other", "other_name", "state")
        _post_add(case, actor, PostRole.OTHER, text)
        audit(actor, "reasoning_join", "mediation_reasoning", case.public_id, case.path)
        link = _case_link(case)
        notify(
            user_ids=[case.starter_id],
            kind="mediation.reasoning",
            text=Msg(f"慧评理：对方已加入「{case.title}」。", f"Reasoning: the other side joined “{case.title}”."),
            link=link,
        )
        # the community's reasoners are residents: their inbox, not the staff workbench, tells them
        notify(
            user_ids=posted_user_ids(roles={Role.REASONER}, scope_path=case.path),
            kind="mediation.reasoning_open",
            text=Msg(
                f"慧评理：本社区有新的评理「{case.title}」，双方已陈述，等待您的意见。",
                f"Reasoning: a new case in your community, “{case.title}”, waits for your comment.",
            ),
            link=link,
        )
    return case


# ---- posts, proposals, acceptance ------------------------------------------------------------


def _rights(actor: Actor, case: ReasoningCase) -> CaseRights:
    """The actor's rights on a case they may open (a 404 otherwise, like the selector)."""
    rights = case_rights(actor, case)
    if not (rights.side or rights.commenter or rights.staff):
        raise not_found("评理案例", "Reasoning case")
    return rights


def _open(case: ReasoningCase) -> None:
    if case.state != ReasoningState.OPEN:
        raise conflict(Msg("该评理已不能发言", "This case is no longer open for posts"))


def reasoning_post(*, actor: Actor, case: ReasoningCase, text: str, proposal: bool = False) -> ReasoningPost:
    """A side states more, a reasoner comments, a mediator answers; a commenter may post a proposal."""
    rights = _rights(actor, case)
    role = rights.side or rights.commenter
    if not role:
        raise permission_denied()
    if proposal and not rights.commenter:
        raise validation_failed(
            [field_error("proposal", "只有评理员或调解员可以提出建议方案", "only a reasoner or mediator proposes")]
        )
    text = _text(text)
    with transaction.atomic():
        case = _locked(case)
        _open(case)
        post = _post_add(case, actor, role, text, proposal=proposal)
        _touch(case)
        audit(actor, "reasoning_post", "mediation_reasoning", case.public_id, case.path, role=role, proposal=proposal)
        others = {case.starter_id, case.other_id} - {actor.user_id}
        notify(
            user_ids=others,
            kind="mediation.reasoning",
            text=Msg(f"慧评理：「{case.title}」有新的发言。", f"Reasoning: a new post in “{case.title}”."),
            link=_case_link(case),
        )
    return post


def _post_of(case: ReasoningCase, post_id) -> ReasoningPost:
    post = ReasoningPost.objects.filter(case=case, pk=post_id).first() if str(post_id).isdigit() else None
    if post is None:
        raise not_found("发言", "Post")
    return post


def reasoning_propose(*, actor: Actor, case: ReasoningCase, post_id) -> ReasoningPost:
    """A reasoner or mediator marks a post of the case (a side's idea, another commenter's words) as
    a proposal. Posts are append-only, so the mark is a new proposal post of the commenter's
    carrying the same words; the sides accept that one."""
    rights = _rights(actor, case)
    if not rights.commenter:
        raise permission_denied()
    with transaction.atomic():
        case = _locked(case)
        _open(case)
        post = _post_of(case, post_id)
        if post.is_proposal:
            raise conflict(Msg("该发言已是建议方案", "This post is already a proposal"))
        text = unseal(post.text, context=POST_CONTEXT)
        proposal = _post_add(case, actor, rights.commenter, text, proposal=True)
        _touch(case)
        audit(
            actor, "reasoning_propose", "mediation_reasoning", case.public_id, case.path, post=post.pk, new=proposal.pk
        )
    return proposal


def reasoning_accept(*, actor: Actor, case: ReasoningCase, post_id) -> ReasoningCase:
    """A side accepts a proposal (their latest acceptance counts); both the same one → settled."""
    rights = _rights(actor, case)
    if not rights.side:
        raise permission_denied()
    with transaction.atomic():
        case = _locked(case)
        _open(case)
        post = _post_of(case, post_id)
        if not post.is_proposal:
            raise validation_failed(
                [field_error("post", "只能接受评理员或调解员的建议方案", "only a proposal can be accepted")]
            )
        field = f"{rights.side}_accepted"
        setattr(case, f"{field}_id", post.pk)
        fields = [field]
        if case.starter_accepted_id == case.other_accepted_id == post.pk:
            case.state = ReasoningState.SETTLED
            fields.append("state")
        _touch(case, *fields)
        audit(actor, "reasoning_accept", "mediation_reasoning", case.public_id, case.path, post=post.pk, to=case.state)
        notify(
            user_ids={case.starter_id, case.other_id} - {actor.user_id},
            kind="mediation.reasoning",
            text=Msg(
                f"慧评理：对方接受了「{case.title}」的建议方案。", "Reasoning: the other side accepted a proposal."
            ),
            link=_case_link(case),
        )
    return case


# ---- ending: closing, formal mediation -----------------------------------------------------


def reasoning_close(*, actor: Actor, case: ReasoningCase, reason: str) -> ReasoningCase:
    """Either side ends the case (the starter may withdraw an invitation not yet answered)."""
    rights = _rights(actor, case)
    if not rights.side:
        raise permission_denied()
    reason = _reason(reason)
    with transaction.atomic():
        case = _locked(case)
        if case.state not in CLOSE_FROM:
            raise conflict(Msg("该评理已结束", "This case has already ended"))
        before, case.state = case.state, ReasoningState.CLOSED
        _touch(case, "state")
        audit(actor, "reasoning_close", "mediation_reasoning", case.public_id, case.path, reason, before=before)
    return case


def _statements(case: ReasoningCase, posts: list[PostView], limit: int) -> str:
    """The facts of the formal dispute: both sides' own words, in order, within the intake's limit."""
    names = {PostRole.STARTER: f"甲方（{case.starter_name}）", PostRole.OTHER: f"乙方（{case.other_name}）"}
    lines = [f"{names[PostRole(p.role)]}：{p.text}" for p in posts if p.role in names]
    text = f"慧评理 {case.code}：{case.title}\n\n" + "\n\n".join(lines)
    return text if len(text) <= limit else text[: limit - 20] + f"……（全文见慧评理 {case.code}）"


def reasoning_formal(*, actor: Actor, case: ReasoningCase, reason: str = "") -> Dispute:
    """Either side turns the case into formal people's mediation: a dispute applied for by this
    side, the other side as respondent (their consent is asked there, as the law requires), the
    facts being both sides' statements. The case is FORMAL and links the dispute."""
    from linli.mediation.services.intake import FACTS_MAX, ApplyInput, dispute_apply

    rights = _rights(actor, case)
    if not rights.side:
        raise permission_denied()
    with transaction.atomic():
        case = _locked(case)
        if case.state not in FORMAL_FROM:
            raise conflict(
                Msg("只有双方都已陈述、尚未结束的评理可以转为人民调解", "Only an open or settled case can go formal")
            )
        other_id, other_name = (
            (case.other_id, case.other_name) if rights.side == "starter" else (case.starter_id, case.starter_name)
        )
        facts = _statements(case, case_posts(case), FACTS_MAX)
        dispute = dispute_apply(
            actor=actor,
            data=ApplyInput(
                kind=case.kind.code,
                facts=facts,
                respondent_name=other_name,
                title=case.title,
                community=case.path,
                source=DisputeSource.REASONING,
                source_ref=case.code,
                respondent_user_id=other_id,
            ),
        )
        case.dispute, case.state = dispute, ReasoningState.FORMAL
        _touch(case, "dispute", "state")
        audit(
            actor,
            "reasoning_formal",
            "mediation_reasoning",
            case.public_id,
            case.path,
            (reason or "").strip()[:300],
            dispute=dispute.number,
        )
        notify(
            user_ids=[other_id],
            kind="mediation.reasoning",
            text=Msg(
                f"慧评理：对方已将「{case.title}」转为人民调解（{dispute.number}），社区将征求您的意愿。",
                f"Reasoning: the other side took “{case.title}” to people's mediation ({dispute.number}); "
                "the community will ask whether you agree.",
            ),
        )
    dispute.refresh_from_db()
    return dispute


# ---- publishing ------------------------------------------------------------------------------


def reasoning_consent(*, actor: Actor, case: ReasoningCase, consent: bool) -> ReasoningCase:
    """A side consents to publishing the case as an example, or withdraws (which unpublishes it)."""
    rights = _rights(actor, case)
    if not rights.side:
        raise permission_denied()
    with transaction.atomic():
        case = _locked(case)
        if case.state not in HEARD_STATES:
            raise conflict(Msg("对方尚未加入，不能公开", "The other side has not joined; nothing to publish"))
        field = f"{rights.side}_publishes"
        setattr(case, field, bool(consent))
        fields = [field]
        if not consent and case.public_text:
            case.public_text = ""  # a side's withdrawal takes the example down at once
            fields.append("public_text")
        _touch(case, *fields)
        audit(actor, "reasoning_consent", "mediation_reasoning", case.public_id, case.path, consent=bool(consent))
    return case


def reasoning_publish(*, actor: Actor, case: ReasoningCase, text: str) -> ReasoningCase:
    """A reasoner or mediator publishes the example once both sides consented. The two names become
    甲方/乙方 and personal numbers are masked whatever was written."""
    rights = _rights(actor, case)
    if not rights.commenter:
        raise permission_denied()
    text = _text(text, "public_text")
    with transaction.atomic():
        case = _locked(case)
        if not (case.starter_publishes and case.other_publishes):
            raise conflict(Msg("须双方都同意公开后才能发布", "Both sides must consent before it is published"))
        case.public_text = masked_for_public(text, (case.starter_name, case.other_name), mask_personal_numbers)
        _touch(case, "public_text")
        audit(actor, "reasoning_publish", "mediation_reasoning", case.public_id, case.path)
    return case


# ---- staff reading, lapsing -----------------------------------------------------------------


def reasoning_posts_read(*, actor: Actor, case: ReasoningCase, reason: str) -> list[PostView]:
    """The posts for the area's MEDIATION_VIEW staff, with a reason (audited)."""
    rights = _rights(actor, case)
    if rights.reads_posts:
        return case_posts(case)
    if not (rights.staff and actor.has_perm(MEDIATION_VIEW)):
        raise not_found("评理案例", "Reasoning case")
    reason = _reason(reason)
    audit(actor, "reasoning_read", "mediation_reasoning", case.public_id, case.path, reason)
    return case_posts(case)


def reasoning_lapse_due(*, actor: Actor, today: date | None = None) -> int:
    """Invitations not answered in time become LAPSED (idempotent; `linli` periodic job)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        count = ReasoningCase.objects.filter(state=ReasoningState.INVITED, invite_until__lt=today).update(
            state=ReasoningState.LAPSED, updated_at=timezone.now()
        )
        if count:
            audit(actor, "reasoning_lapse", "mediation_reasoning", "", "", count=count)
    return count


def reasoning_lapse_tick() -> str:
    """`linli tick`'s entry (LINLI_TICK_JOBS): lapse the invitations past their day."""
    return f"{reasoning_lapse_due(actor=Actor.system('reasoning-lapse'))} lapsed"
