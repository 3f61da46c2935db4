"""People's mediation (人民调解), as the People's Mediation Law (人民调解法, 2010) sets it: vocabulary
and rules with no ORM.

A dispute is registered (from a party's application by phone, portal or window, a grid event, a
petition, a police call, a screening or a 慧评理 case); mediation starts only when every party
agrees (自愿、平等, art. 3 and 17); a party may refuse or withdraw at any time before an agreement.
It is assigned to the community's mediation committee, or by kind and complexity to the street's
full-time mediators or an expert of the pool; a party may ask for another mediator (回避, art. 20).
Sessions are held with minutes; the time limit (commonly 30 days, a parameter) runs on the shared
work calendar and is extended only with the parties' consent. The outcome is a written agreement
(调解协议书, art. 28–29), an oral agreement recorded, or failure with the route onward (art. 26);
a written agreement may be confirmed by a court (司法确认) when the parties apply within 30 days of
it taking effect (art. 33); its performance is followed up (回访)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

LIMIT_DAYS = 30  # 一般在一个月内调结 (default; a city setting may change it)
EXTENSION_MAX_DAYS = 30  # one extension, with the parties' consent
CONFIRMATION_DAYS = 30  # 司法确认: apply within 30 days of the agreement taking effect (art. 33)
NUMBER_PREFIX = "TJ"  # 调解 case numbers: TJ + unit code + date + serial


class DisputeSource(models.TextChoices):
    PHONE = "phone", _("Phone call")
    PORTAL = "portal", _("Online application")
    WINDOW = "window", _("At the window")
    GRID_EVENT = "grid_event", _("Grid event")
    PETITION = "petition", _("Petition")
    POLICE = "police", _("Police call")
    SCREENING = "screening", _("Found by screening")
    REASONING = "reasoning", _("From reasoning it out online")


class DisputeLevel(models.TextChoices):
    """Who mediates: the community's committee, the street's full-time mediators, an expert."""

    COMMUNITY = "community", _("Community mediation committee")
    STREET = "street", _("Street full-time mediators")
    EXPERT = "expert", _("Expert mediator")


class DisputeState(models.TextChoices):
    CONSENT = "consent", _("Awaiting the parties' consent")
    ACCEPTED = "accepted", _("Accepted, awaiting a mediator")
    MEDIATING = "mediating", _("In mediation")
    AGREED = "agreed", _("Agreed, performance followed up")
    CLOSED = "closed", _("Mediation closed")
    FAILED = "failed", _("Mediation failed")
    REFUSED = "refused", _("Not mediated (a party refused)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATES = frozenset({DisputeState.CONSENT, DisputeState.ACCEPTED, DisputeState.MEDIATING})
DONE_STATES = frozenset({DisputeState.CLOSED, DisputeState.FAILED, DisputeState.REFUSED, DisputeState.WITHDRAWN})
RESOLVED_STATES = frozenset({DisputeState.AGREED, DisputeState.CLOSED})


class PartySide(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")


class Consent(models.TextChoices):
    PENDING = "pending", _("Not yet asked")
    AGREED = "agreed", _("Agrees to mediation")
    REFUSED = "refused", _("Refuses mediation")
    WITHDRAWN = "withdrawn", _("Withdrew")


class OutcomeKind(models.TextChoices):
    WRITTEN = "written", _("Written agreement")
    ORAL = "oral", _("Oral agreement")
    FAILED = "failed", _("No agreement")


class OnwardRoute(models.TextChoices):
    """Where a failed mediation goes on (art. 26: told of arbitration, administrative or judicial routes)."""

    LITIGATION = "litigation", _("Lawsuit at the court")
    ARBITRATION = "arbitration", _("Arbitration")
    ADMINISTRATIVE = "administrative", _("Administrative handling by a department")
    LEGAL_AID = "legal_aid", _("Legal aid")
    NONE = "none", _("The parties let it rest")


class ConfirmationResult(models.TextChoices):
    PENDING = "pending", _("Before the court")
    CONFIRMED = "confirmed", _("Confirmed by the court")
    REJECTED = "rejected", _("Not confirmed")


class Performance(models.TextChoices):
    """What the follow-up (回访) found of the agreement's performance."""

    FULL = "full", _("Performed in full")
    PARTIAL = "partial", _("Partly performed")
    NOT_YET = "not_yet", _("Not yet performed")
    BROKEN = "broken", _("Refused to perform")


class SessionState(models.TextChoices):
    # the session's own words: "Scheduled" and "Held" mean a shift and a reservation elsewhere
    SCHEDULED = "scheduled", _("Session scheduled")
    HELD = "held", _("Session held")
    CANCELLED = "cancelled", _("Session cancelled")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    label: Msg


def _t(action: str, sources: set[str], target: str, zh: str, en: str) -> Transition:
    return Transition(action, frozenset(sources), target, Msg(zh, en))


S = DisputeState
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("accept", {S.CONSENT}, S.ACCEPTED, "各方同意调解，受理", "Every party agreed; accepted"),
        _t("refuse", {S.CONSENT}, S.REFUSED, "一方不同意调解，不予调解", "A party refused; not mediated"),
        _t("assign", {S.ACCEPTED, S.MEDIATING}, S.MEDIATING, "指派调解员", "Mediator assigned"),
        _t("agree", {S.MEDIATING}, S.AGREED, "达成调解协议", "Agreement reached"),
        _t("fail", {S.MEDIATING}, S.FAILED, "调解不成，告知其他途径", "No agreement; told the routes onward"),
        _t("withdraw", {S.CONSENT, S.ACCEPTED, S.MEDIATING}, S.WITHDRAWN, "当事人撤回", "A party withdrew"),
        # 回避 (art. 20): the mediator is removed and the dispute waits for another
        _t("recuse", {S.MEDIATING}, S.ACCEPTED, "当事人申请回避，另行指派", "A party asked for another mediator"),
        _t("close", {S.AGREED}, S.CLOSED, "回访后结案", "Closed after the follow-up"),
    )
}


def transition_for(action: str, state: str) -> Transition | None:
    """The transition `action` from `state`, or None where the table does not allow it."""
    transition = TRANSITIONS.get(action)
    return transition if transition is not None and state in transition.sources else None


def due_date(start: date, days: int, next_workday) -> date:
    """The last day of a limit of `days` calendar days from `start`: when it falls on a rest day
    or holiday, the next working day (the usual reading of a period's last day in Chinese law).
    `next_workday(day)` is the work calendar's first working day on or after `day`."""
    return next_workday(start + timedelta(days=days))


def number_for(unit_code: str, day: date, serial: int) -> str:
    """TJ + the handling unit's 12-digit code + yyyymmdd + a five-digit serial of that day."""
    return f"{NUMBER_PREFIX}{unit_code}{day:%Y%m%d}{serial:05d}"


def confirmation_deadline(effective_on: date) -> date:
    return effective_on + timedelta(days=CONFIRMATION_DAYS)


AUDIT_ACTIONS: dict[str, Msg] = {
    "mediation.dispute_register": Msg("登记矛盾纠纷", "Dispute registered"),
    "mediation.dispute_consent": Msg("记录当事人调解意愿", "Party's consent recorded"),
    "mediation.dispute_transition": Msg("纠纷调解流转", "Dispute moved on"),
    "mediation.dispute_assign": Msg("指派调解员", "Mediator assigned"),
    "mediation.dispute_recusal": Msg("当事人申请回避", "Party asked for another mediator"),
    "mediation.dispute_withdraw": Msg("当事人撤回调解", "Party withdrew from mediation"),
    "mediation.dispute_escalate": Msg("纠纷越级上访", "Dispute escalated beyond the street"),
    "mediation.dispute_extend": Msg("延长调解期限", "Mediation time limit extended"),
    "mediation.dispute_read": Msg("查阅纠纷事实与笔录", "Dispute's facts or minutes read"),
    "mediation.session_schedule": Msg("安排调解会", "Mediation session scheduled"),
    "mediation.session_record": Msg("记录调解笔录", "Mediation minutes recorded"),
    "mediation.agreement_record": Msg("制作调解协议", "Mediation agreement recorded"),
    "mediation.confirmation_record": Msg("记录司法确认", "Judicial confirmation recorded"),
    "mediation.follow_up": Msg("调解回访", "Agreement followed up"),
    # the sessions stage
    "mediation.session_cancel": Msg("取消调解会", "Mediation session cancelled"),
    "mediation.dispute_fail": Msg("调解不成，告知其他途径", "Mediation failed; route onward told"),
    "mediation.confirmation_result": Msg("记录司法确认结果", "Judicial confirmation's result recorded"),
    "mediation.dispute_close": Msg("调解结案", "Dispute closed"),
    "mediation.agreement_print": Msg("打印调解协议书", "Mediation agreement printed"),
}


def is_overdue(state: str, due_on: date | None, today: date) -> bool:
    """Past its time limit while still open (an agreed, failed or closed dispute is never overdue)."""
    return state in OPEN_STATES and due_on is not None and today > due_on


# The timeline's words for a step's action (a transition's label where there is one). Stages
# add their own actions here; an unknown action is shown with the audit log's name, else as is.
STEP_LABELS: dict[str, Msg] = {
    "register": Msg("登记纠纷", "Dispute registered"),
    "reassign": Msg("更换调解员", "Another mediator assigned"),
    "escalate": Msg("标记越级上访", "Marked escalated beyond the street"),
    "handover": Msg("调解员离任，移交纠纷", "Handed over from a mediator who left"),
    **{t.action: t.label for t in TRANSITIONS.values()},
}


def step_label(action: str) -> Msg:
    return STEP_LABELS.get(action) or AUDIT_ACTIONS.get(f"mediation.{action}") or Msg(action, action)
