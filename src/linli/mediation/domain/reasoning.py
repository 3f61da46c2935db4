"""慧评理 (reasoning it out online): a resident describes a small dispute and invites the other
party by link or code; both state their sides; a mediator or trusted residents (评理员) comment and
propose; either side may turn it into formal mediation. Cases both sides consent to publish can
be read, names masked, as examples. No ORM."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

CODE_LENGTH = 6  # the invitation code read out or typed (no 0/O/1/I)
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
INVITE_DAYS = 14  # an invitation not answered in 14 days lapses


class ReasoningState(models.TextChoices):
    INVITED = "invited", _("Waiting for the other side")
    OPEN = "open", _("Both sides heard; open for comments")
    SETTLED = "settled", _("Settled between them")
    FORMAL = "formal", _("Turned into formal mediation")
    LAPSED = "lapsed", _("Invitation lapsed")
    CLOSED = "closed", _("Closed")


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
}
