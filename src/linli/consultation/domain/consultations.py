"""A consultation (协商) on a topic: who takes part (the residents of a building, a grid or the whole
community, and stakeholders such as the property company, the owners' committee and units in the
area), its form, its dates, an online phase with moderated comments, meetings with sign-in and
minutes. Voting (`voting`) and the decision with its implementation (`decisions`) follow."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

NUMBER_PREFIX = "XS"  # 协商: XS + community code + yyyymm + serial
COMMENT_MAX = 1000


class ConsultationForm(models.TextChoices):
    MEETING = "meeting", _("Consultation meeting")
    ONLINE = "online", _("Online consultation")
    COUNCIL = "council", _("Residents' council (议事会)")


class ParticipantScope(models.TextChoices):
    BUILDING = "building", _("Residents of a building")
    GRID = "grid", _("Residents of a grid")
    COMMUNITY = "community", _("The whole community")


class ConsultationState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    DISCUSSING = "discussing", _("Open for comments")
    VOTING = "voting", _("Voting")
    COUNTED = "counted", _("Votes counted")
    DECIDED = "decided", _("Decision published")
    IMPLEMENTING = "implementing", _("Being carried out")
    COMPLETED = "completed", _("Carried out and evaluated")
    CANCELLED = "cancelled", _("Cancelled")


class CommentState(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    SHOWN = "shown", _("Shown")
    HIDDEN = "hidden", _("Hidden by the moderator")


AUDIT_ACTIONS: dict[str, Msg] = {
    "consultation.consultation_save": Msg("编制协商方案", "Consultation prepared"),
    "consultation.consultation_open": Msg("开放协商意见征集", "Consultation opened for comments"),
    "consultation.consultation_cancel": Msg("取消协商", "Consultation cancelled"),
    "consultation.comment_add": Msg("发表协商意见", "Comment posted"),
    "consultation.comment_moderate": Msg("审核协商意见", "Comment moderated"),
    "consultation.meeting_save": Msg("安排协商会议", "Meeting scheduled"),
    "consultation.meeting_sign_in": Msg("协商会议签到", "Signed in at a meeting"),
    "consultation.meeting_minutes": Msg("记录会议纪要", "Meeting minutes recorded"),
}
