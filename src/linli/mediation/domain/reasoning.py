"""慧评理 (reasoning it out online): a resident describes a small dispute and invites the other
party by link or code; both state their sides; a mediator or trusted residents (评理员) comment and
propose; either side may turn it into formal mediation. Cases both sides consent to publish can
be read, names masked, as examples. No ORM."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

CODE_LENGTH = 6  # the invitation code read out or typed (no 0/O/1/I)
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
INVITE_DAYS = 14  # an invitation not answered in 14 days lapses
# guessing codes: after this many wrong codes in the window an account is refused for the window
WRONG_CODES_MAX = 5
WRONG_CODES_MINUTES = 10
TITLE_MAX = 60
TEXT_MAX = 2000
REASON_MIN = 4
PARTY_MASKS = ("甲方", "乙方")  # the starter and the other side in a published example


class ReasoningState(models.TextChoices):
    INVITED = "invited", _("Waiting for the other side")
    OPEN = "open", _("Both sides heard; open for comments")
    SETTLED = "settled", _("Settled between them")
    FORMAL = "formal", _("Turned into formal mediation")
    LAPSED = "lapsed", _("Invitation lapsed")
    CLOSED = "closed", _("Reasoning closed")


class PostRole(models.TextChoices):
    STARTER = "starter", _("The side that started it")
    OTHER = "other", _("The other side")
    REASONER = "reasoner", _("Reasoner")
    MEDIATOR = "mediator", _("Mediator")


AUDIT_ACTIONS: dict[str, Msg] = {
    "mediation.reasoning_start": Msg("发起评理", "Reasoning case started"),
    "mediation.reasoning_join": Msg("对方加入评理", "Other side joined"),
    "mediation.reasoning_post": Msg("评理发言", "Reasoning post"),
    "mediation.reasoning_formal": Msg("评理转人民调解", "Reasoning case turned into mediation"),
    "mediation.reasoning_publish": Msg("公开评理案例", "Reasoning case published"),
    "mediation.reasoning_close": Msg("结束评理", "Reasoning case closed"),
    "mediation.reasoning_code_wrong": Msg("评理邀请码错误", "Wrong reasoning invitation code"),
    "mediation.reasoning_propose": Msg("提出建议方案", "Proposal marked"),
    "mediation.reasoning_accept": Msg("接受建议方案", "Proposal accepted"),
    "mediation.reasoning_consent": Msg("同意或撤回公开评理案例", "Consent to publish given or withdrawn"),
    "mediation.reasoning_read": Msg("查阅评理发言", "Reasoning posts read"),
    "mediation.reasoning_lapse": Msg("评理邀请过期", "Reasoning invitations lapsed"),
}

OPEN_STATES = frozenset({ReasoningState.INVITED, ReasoningState.OPEN})
HEARD_STATES = frozenset(
    {ReasoningState.OPEN, ReasoningState.SETTLED, ReasoningState.FORMAL, ReasoningState.CLOSED}
)  # both sides have spoken: the reasoners may read, the sides may consent to publish
FORMAL_FROM = frozenset({ReasoningState.OPEN, ReasoningState.SETTLED})
CLOSE_FROM = OPEN_STATES


def code_normalise(typed: str) -> str:
    """What a person typed or read out: spaces and dashes dropped, upper case (the alphabet has
    no 0/O/1/I, so those are kept and simply fail)."""
    return "".join(ch for ch in (typed or "").upper() if ch not in " -\t")


def code_wellformed(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)


def invitation_lapsed(invite_until: date, today: date) -> bool:
    return today > invite_until


def invite_until_for(today: date) -> date:
    return today + timedelta(days=INVITE_DAYS)


def masked_for_public(text: str, names: tuple[str, str], mask_numbers) -> str:
    """A published example's text: each side's name becomes 甲方/乙方 (longest first, so a name
    inside the other is not half-replaced), then personal numbers are masked."""
    pairs = sorted(zip(names, PARTY_MASKS, strict=True), key=lambda pair: -len(pair[0]))
    for name, mask in pairs:
        if name.strip():
            text = text.replace(name.strip(), mask)
    return mask_numbers(text)
