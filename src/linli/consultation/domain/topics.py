"""Topics of community consultation (协商议题): where they come from, how residents gather support
for a proposal, and the committees' decision to consult or not (with the reason made public).

A resident's proposal gathers supporters until it reaches the community's threshold (a parameter
kept on the topic when it is proposed, so a later change does not move a running proposal); the two
committees, the party organisation, a department, a recurring grid event or a micro-fund payment
above its threshold put a topic straight to the committees."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

SUPPORTERS_NEEDED = 10  # default threshold of supporters for a resident's proposal (editable default)
GATHERING_DAYS = 30  # a proposal that does not gather enough supporters in this many days lapses
NUMBER_PREFIX = "YT"  # 议题: YT + community code + yyyymm + serial


class TopicSource(models.TextChoices):
    RESIDENT = "resident", _("Residents' proposal")
    COMMITTEE = "committee", _("The two committees")
    PARTY = "party", _("The party organisation")
    GRID_EVENT = "grid_event", _("A recurring grid problem")
    DEPARTMENT = "department", _("A department")
    MICRO_FUND = "micro_fund", _("A micro-fund spending")


class TopicState(models.TextChoices):
    GATHERING = "gathering", _("Gathering supporters")
    SUBMITTED = "submitted", _("Awaiting the committees' decision")
    ACCEPTED = "accepted", _("To be consulted")
    DECLINED = "declined", _("Not put to consultation")
    CONSULTING = "consulting", _("Under consultation")
    CONCLUDED = "concluded", _("Consultation concluded")
    LAPSED = "lapsed", _("Lapsed without enough supporters")
    WITHDRAWN = "withdrawn", _("Withdrawn by the proposer")


AUDIT_ACTIONS: dict[str, Msg] = {
    "consultation.topic_propose": Msg("提出协商议题", "Topic proposed"),
    "consultation.topic_support": Msg("附议协商议题", "Topic supported"),
    "consultation.topic_decide": Msg("两委决定是否协商", "Committees decided on a topic"),
    "consultation.topic_withdraw": Msg("撤回协商议题", "Topic withdrawn"),
}
