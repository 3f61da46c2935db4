"""Reads of stage voting, scoped (`selectors.scope`): a consultation for its staff or its
community's residents (one 404 for missing and forbidden), the live tally in one GROUP BY on the
indexed (consultation, option), whether an account's vote is in (and when — never which option),
the frozen roll, and the workbench's section."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART, CONSULT_VIEW
from linli.consultation.domain.consultations import ConsultationState
from linli.consultation.domain.voting import TallyResult, VoteUnit, VotingRule, tally
from linli.consultation.models import Consultation, ConsultationOption, RollEntry, SignIn, Vote
from linli.consultation.selectors.scope import area_q, home_community
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection
from linli.residents.selectors import RollVoter, roll_counts, voter_for_user

ROLL_PAGE = 50


def may_view(actor: Actor) -> bool:
    return actor.has_perm(CONSULT_VIEW) or actor.has_perm(CONSULT_MANAGE)


def voting_consultation_get(*, actor: Actor, number: str) -> Consultation:
    """A consultation for staff of its area (view or manage), else the one 404."""
    if not may_view(actor):
        raise not_found("协商", "Consultation")
    found = Consultation.objects.filter(area_q(actor), number=number).first()
    if found is None:
        raise not_found("协商", "Consultation")
    return found


def resident_consultation_get(*, actor: Actor, number: str) -> Consultation:
    """A consultation of the resident's own community (past its draft), else the one 404."""
    community = home_community(actor) if actor.has_perm(CONSULT_TAKE_PART) else ""
    found = (
        Consultation.objects.filter(path=community, number=number).exclude(state=ConsultationState.DRAFT).first()
        if community
        else None
    )
    if found is None:
        raise not_found("协商", "Consultation")
    return found


def voting_rule(consultation: Consultation) -> VotingRule:
    return VotingRule(consultation.vote_unit, consultation.quorum_percent, consultation.majority)


def option_list(consultation: Consultation) -> list[ConsultationOption]:
    return list(consultation.options.all())


def vote_counts(consultation: Consultation, options: list[ConsultationOption]) -> dict[str, int]:
    """Votes per option key (zero for an option nobody chose): ONE GROUP BY on the indexed
    (consultation, option) pair, in the options' order."""
    by_id = dict(
        Vote.objects.filter(consultation=consultation)
        .order_by()
        .values_list("option_id")
        .annotate(n=Count("pk"))
        .values_list("option_id", "n")
    )
    return {option.key: by_id.get(option.pk, 0) for option in options}


def live_tally(consultation: Consultation, options: list[ConsultationOption] | None = None) -> TallyResult:
    """The tally as it stands (the rule applied to the votes so far and the frozen roll)."""
    options = option_list(consultation) if options is None else options
    return tally(vote_counts(consultation, options), consultation.roll_size, voting_rule(consultation))


def roll_preview(consultation: Consultation, on: date) -> int:
    """How many voters opening the vote would put on the roll today (adults or households)."""
    adults, households = roll_counts(under=consultation.scope_path, on=on)
    return households if consultation.vote_unit == VoteUnit.HOUSEHOLD else adults


def voter_ref(consultation: Consultation, voter: RollVoter | None):
    """The roll's key for a voter: their household's id or their own, by the rule."""
    if voter is None:
        return None
    return voter.household_ref if consultation.vote_unit == VoteUnit.HOUSEHOLD else voter.resident_ref


@dataclass(frozen=True)
class Receipt:
    """Whether the voter an account stands for is on the roll and has voted (never the option)."""

    on_roll: bool
    voted_at: datetime | None
    for_household: bool


def vote_receipt(*, actor: Actor, consultation: Consultation) -> Receipt:
    ref = voter_ref(consultation, voter_for_user(actor.user_id))
    household = consultation.vote_unit == VoteUnit.HOUSEHOLD
    if ref is None or not consultation.roll_frozen_at:
        return Receipt(False, None, household)
    row = RollEntry.objects.filter(consultation=consultation, voter_ref=ref).values_list("pk", "vote__cast_at").first()
    if row is None:
        return Receipt(False, None, household)
    return Receipt(True, row[1], household)


def roll_entries(consultation: Consultation) -> QuerySet[RollEntry]:
    """The frozen roll in path order: masked names or households' labels only."""
    return RollEntry.objects.filter(consultation=consultation).order_by("path", "pk").only("name_shown", "path")


def attendees_to_record(consultation: Consultation) -> list[dict]:
    """Residents signed in at this consultation's meetings (one row each), for the meeting's
    vote recording; whether they voted is left to the service (it refuses a second vote)."""
    seen: dict = {}
    for ref, name in (
        SignIn.objects.filter(meeting__consultation=consultation, resident_ref__isnull=False)
        .order_by("signed_at", "pk")
        .values_list("resident_ref", "name_shown")
    ):
        seen.setdefault(str(ref), name)
    return [{"ref": ref, "name": name} for ref, name in seen.items()]


# ---- the workbench ------------------------------------------------------------------------------


def voting_today(actor: Actor, today: date) -> WorkSection | None:
    """Consultations of the actor's area whose voting closes today, and those past their close
    not yet counted (the tick counts them; a manager may count at once): counts in one query, one
    query for the first rows; nothing for an actor with nothing to do."""
    if not actor.has_perm(CONSULT_MANAGE):
        return None
    now = timezone.now()
    start = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    end = start + timedelta(days=1)
    voting = Consultation.objects.filter(area_q(actor), state=ConsultationState.VOTING)
    closes_today = Q(voting_until__gt=now, voting_until__lt=end, voting_until__gte=start)
    overdue = Q(voting_until__lte=now)
    counted = voting.aggregate(today=Count("pk", filter=closes_today), uncounted=Count("pk", filter=overdue))
    if not (counted["today"] or counted["uncounted"]):
        return None
    rows = [
        WorkRow(
            c.title,
            c.number,
            reverse("portal:consultation:voting-detail", args=[c.number]),
            due=timezone.localtime(c.voting_until).date() if c.voting_until else None,
            due_label=_("Voting closes"),
            tone="warn" if c.voting_until and c.voting_until <= now else "",
        )
        for c in voting.filter(closes_today | overdue).order_by("voting_until", "pk")[:FIRST_ROWS]
    ]
    base = reverse("portal:consultation:voting-detail", args=[rows[0].detail]) if rows else ""
    counts = [
        WorkCount("voting.today", _("Voting closes today"), counted["today"], base),
        WorkCount("voting.uncounted", _("Voting closed, not yet counted"), counted["uncounted"], base, "warn"),
    ]
    return WorkSection("consultation_voting", _("Votes"), [c for c in counts if c.count], rows, "")
