"""Reads of 慧评理. Posts are residents' own words about their neighbours: only the two sides, the
reasoners of the case's community (a resident posting of role reasoner there), the mediators
whose posting covers it and the area's MEDIATION_VIEW staff read them (staff with a reason, see
`services.reasoning.reasoning_posts_read`). Reasoners and mediators see a case once both sides
have spoken. Published examples are read by anyone. One 404 for missing and forbidden."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from linli.accounts.domain import MEDIATION_APPLY, MEDIATION_REASON, MEDIATION_VIEW, Role
from linli.accounts.selectors import active_postings
from linli.core.actor import Actor
from linli.core.crypto import unseal
from linli.core.errors import not_found
from linli.core.models import AuditEntry
from linli.mediation.domain.reasoning import (
    HEARD_STATES,
    WRONG_CODES_MINUTES,
    PostRole,
    ReasoningState,
)
from linli.mediation.models import ReasoningCase, ReasoningPost
from linli.mediation.selectors.scope import area_q

POST_CONTEXT = "mediation.reasoning_post"
WRONG_CODE_ACTION = "mediation.reasoning_code_wrong"


def reasoner_paths(actor: Actor) -> list[str]:
    """The communities where the actor is a reasoner today (a resident role: no data scope)."""
    if actor.user_id is None or not actor.has_role(Role.REASONER) or not actor.has_perm(MEDIATION_REASON):
        return []
    return list(active_postings(actor.user_id).filter(role=Role.REASONER).values_list("scope_path", flat=True))


def _mediator_q(actor: Actor) -> Q:
    """Cases of the communities a mediator's posting covers (their community, street or district)."""
    if not (actor.has_role(Role.MEDIATOR) and actor.has_perm(MEDIATION_REASON)):
        return Q(pk__in=[])
    return actor.scope_q("path")


def commenter_q(actor: Actor, paths: list[str] | None = None) -> Q:
    """Cases the actor may comment on as reasoner or mediator (once both sides have spoken)."""
    paths = reasoner_paths(actor) if paths is None else paths
    q = Q(path__in=paths) if paths else Q(pk__in=[])
    return (q | _mediator_q(actor)) & Q(state__in=HEARD_STATES)


def side_q(actor: Actor) -> Q:
    if actor.user_id is None or not actor.has_perm(MEDIATION_APPLY):
        return Q(pk__in=[])
    return Q(starter_id=actor.user_id) | Q(other_id=actor.user_id)


def staff_q(actor: Actor) -> Q:
    """The area's cases for MEDIATION_VIEW staff (summaries; the posts with a reason)."""
    return area_q(actor) if actor.has_perm(MEDIATION_VIEW) else Q(pk__in=[])


def _cases() -> QuerySet[ReasoningCase]:
    return ReasoningCase.objects.select_related("kind")


def reasoning_case_get(*, actor: Actor, public_id) -> ReasoningCase:
    """A case the actor may open: a side, a commenter of its community, or area staff."""
    if actor.user_id is None and not actor.is_system:
        raise not_found("评理案例", "Reasoning case")
    q = side_q(actor) | commenter_q(actor) | staff_q(actor)
    case = _cases().filter(q, public_id=public_id).first() if _is_uuid(public_id) else None
    if case is None:
        raise not_found("评理案例", "Reasoning case")
    return case


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class CaseRights:
    """What the actor may do on one case (the pages show only these buttons)."""

    side: str  # "starter", "other" or ""
    commenter: str  # "reasoner", "mediator" or ""
    staff: bool

    @property
    def reads_posts(self) -> bool:
        """Without giving a reason: the sides and the community's commenters."""
        return bool(self.side or self.commenter)


def case_rights(actor: Actor, case: ReasoningCase) -> CaseRights:
    side = ""
    if actor.user_id is not None and actor.has_perm(MEDIATION_APPLY):
        side = "starter" if case.starter_id == actor.user_id else "other" if case.other_id == actor.user_id else ""
    commenter = ""
    if not side and case.state in HEARD_STATES:
        if case.path in reasoner_paths(actor):
            commenter = PostRole.REASONER
        elif actor.has_role(Role.MEDIATOR) and actor.has_perm(MEDIATION_REASON) and actor.sees_path(case.path):
            commenter = PostRole.MEDIATOR
    staff = actor.has_perm(MEDIATION_VIEW) and ReasoningCase.objects.filter(staff_q(actor), pk=case.pk).exists()
    return CaseRights(side=side, commenter=str(commenter), staff=staff)


@dataclass(frozen=True)
class PostView:
    pk: int
    role: str
    role_label: str
    author_name: str
    text: str
    is_proposal: bool
    at: datetime
    accepted_by: tuple[str, ...]  # "starter" / "other"


def case_posts(case: ReasoningCase) -> list[PostView]:
    """The conversation, unsealed: only for callers that checked the reader's right (the sides and
    commenters through `case_rights`, staff through the audited read service)."""
    rows = list(ReasoningPost.objects.filter(case=case).order_by("at", "pk"))
    return [
        PostView(
            pk=row.pk,
            role=row.role,
            role_label=str(PostRole(row.role).label),
            author_name=row.author_name,
            text=unseal(row.text, context=POST_CONTEXT),
            is_proposal=row.is_proposal,
            at=row.at,
            accepted_by=tuple(
                side
                for side, accepted in (("starter", case.starter_accepted_id), ("other", case.other_accepted_id))
                if accepted == row.pk
            ),
        )
        for row in rows
    ]


def my_reasoning_cases(*, actor: Actor) -> QuerySet[ReasoningCase]:
    """A resident's own cases, started or joined, newest first."""
    return _cases().filter(side_q(actor))


def reasoning_for_commenter(*, actor: Actor, state: str = ReasoningState.OPEN) -> QuerySet[ReasoningCase]:
    """The cases of the commenter's communities (open ones by default), newest first."""
    q = commenter_q(actor)
    if state:
        q &= Q(state=state)
    return _cases().filter(q)


def reasoning_waiting(*, actor: Actor) -> QuerySet[ReasoningCase]:
    """Open cases whose last post is a side's (no reasoner or mediator has answered it yet)."""
    from django.db.models import OuterRef, Subquery

    last_role = ReasoningPost.objects.filter(case=OuterRef("pk")).order_by("-at", "-pk").values("role")[:1]
    return (
        reasoning_for_commenter(actor=actor)
        .annotate(last_role=Subquery(last_role))
        .filter(last_role__in=[PostRole.STARTER, PostRole.OTHER])
        .order_by("updated_at", "pk")
    )


def reasoning_staff_list(*, actor: Actor, state: str = "") -> QuerySet[ReasoningCase]:
    """The area's cases for MEDIATION_VIEW staff: summaries only (no names, no posts)."""
    if not actor.has_perm(MEDIATION_VIEW):
        return ReasoningCase.objects.none()
    cases = _cases().filter(staff_q(actor))
    return cases.filter(state=state) if state in ReasoningState.values else cases


def reasoning_examples() -> QuerySet[ReasoningCase]:
    """Published examples (both sides consented and a commenter wrote the masked text), for anyone."""
    return (
        _cases()
        .filter(starter_publishes=True, other_publishes=True)
        .exclude(public_text="")
        .only("public_id", "title", "kind__name_zh", "kind__name_en", "state", "public_text", "updated_at")
        .order_by("-updated_at", "-pk")
    )


def reasoning_example_get(*, public_id) -> ReasoningCase:
    case = reasoning_examples().filter(public_id=public_id).first() if _is_uuid(public_id) else None
    if case is None:
        raise not_found("评理案例", "Reasoning case")
    return case


def wrong_codes_recent(actor: Actor, *, now: datetime | None = None) -> int:
    """Wrong invitation codes this account typed in the window (the audit log keeps them)."""
    if actor.user_id is None:
        return 0
    since = (now or timezone.now()) - timedelta(minutes=WRONG_CODES_MINUTES)
    return AuditEntry.objects.filter(actor_user_id=actor.user_id, action=WRONG_CODE_ACTION, at__gte=since).count()


def public_draft(case: ReasoningCase) -> str:
    """A first draft of a published example made from the posts (the commenter edits it; the
    service masks names and numbers whatever is written)."""
    labels = {
        PostRole.STARTER: "甲方",
        PostRole.OTHER: "乙方",
        PostRole.REASONER: "评理员",
        PostRole.MEDIATOR: "调解员",
    }
    lines = [f"{labels[PostRole(post.role)]}：{post.text}" for post in case_posts(case)]
    return "\n\n".join(lines)
