"""Demo data of stage voting, made through the services. Idempotent: a consultation already in its
vote is not opened again, a vote already in is refused by the one-to-one key (and skipped), a
counted one is left alone.

In the showcase community: "小区停车位规划方案" (open for comments, made by `demo_consultations`)
has its vote opened and the pool's resident accounts vote online, and residents signed in at its
meeting have their votes recorded by the community worker; "3号楼加装电梯" is voted on the same way
and closed, so that the decisions stage can publish it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from linli.accounts.domain import CONSULT_TAKE_PART, Role
from linli.accounts.selectors import actor_for_user, posted_user_ids, user_by_username
from linli.consultation.domain.consultations import ConsultationState
from linli.consultation.models import Consultation
from linli.consultation.selectors.voting import attendees_to_record, option_list
from linli.consultation.services.voting import vote_cast, vote_record, voting_close, voting_open
from linli.core.actor import Actor
from linli.core.errors import DomainError

PARKING, LIFT = "小区停车位规划方案", "3号楼加装电梯"
VOTING_DAYS = 7


def _showcase(showcase_path: str, title: str) -> Consultation | None:
    return Consultation.objects.filter(path=showcase_path[:12], title=title).order_by("pk").first()


def _opened(worker: Actor, consultation: Consultation, log) -> Consultation | None:
    if consultation.state == ConsultationState.DISCUSSING:
        until = consultation.voting_until
        if until is None or until <= timezone.now():
            until = timezone.now() + timedelta(days=VOTING_DAYS)
        try:
            consultation = voting_open(actor=worker, consultation=consultation, voting_until=until)
        except DomainError as error:
            log(f"  voting: {consultation.title} not opened ({error.message.both()})")
            return None
    return consultation if consultation.state == ConsultationState.VOTING else None


def _votes(worker: Actor, consultation: Consultation, showcase_path: str) -> int:
    """The pool's resident accounts vote online; the meeting's attendees are recorded. The first
    option gets most of the votes (a plain spread: index by position)."""
    keys = [o.key for o in option_list(consultation)]
    cast = 0
    for n, user_id in enumerate(posted_user_ids(roles={Role.RESIDENT}, scope_path=showcase_path[:12])):
        actor = Actor(user_id=user_id, username=f"demo-voter-{user_id}", permissions=frozenset({CONSULT_TAKE_PART}))
        key = keys[n % 3 % len(keys)]
        cast += _try(lambda a=actor, k=key: vote_cast(actor=a, consultation=consultation, option_key=k))
    for n, attendee in enumerate(attendees_to_record(consultation)):
        key = keys[0] if n % 4 else keys[-1]
        cast += _try(
            lambda r=attendee["ref"], k=key: vote_record(
                actor=worker, consultation=consultation, resident_ref=r, option_key=k
            )
        )
    return cast


def _try(cast) -> int:
    try:
        cast()
    except DomainError:  # not on the roll, or already voted (a second run)
        return 0
    return 1


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    user = user_by_username(f"demo_{Role.COMMUNITY_WORKER}")
    worker = actor_for_user(user) if user is not None else None
    if worker is None:
        return
    for title in (PARKING, LIFT):
        found = _showcase(showcase_path, title)
        consultation = _opened(worker, found, log) if found is not None else None
        if consultation is None:
            continue
        cast = _votes(worker, consultation, showcase_path)
        if title == LIFT:
            voting_close(actor=worker, consultation=consultation, reason="业主会议表决结束后计票")
        log(f"  voting: {title}, {cast} votes cast")
