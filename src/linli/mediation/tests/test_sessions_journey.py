# ruff: noqa: F811 (the stage's fixtures are imported from sessions_support)
"""The issue's journey through both stages' services: registered at the window, both parties
agree, a mediator assigned, two sessions, a written agreement printed, a follow-up, closed."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.mediation.models import DisputeStep
from linli.mediation.services import intake
from linli.mediation.services import sessions as svc
from linli.mediation.tests.sessions_support import NOW, TERMS, TODAY, clock, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_a_neighbour_dispute_from_window_to_closing(world):
    worker, mediator = world.actors["community_worker"], world.actors["mediator"]
    dispute = intake.dispute_register(
        actor=worker,
        data=intake.DisputeInput(
            kind="neighbour",
            facts="楼上漏水浸湿楼下天花板",
            parties=[
                intake.PartyInput(side="applicant", name="周芳", phone="13811112222", id_number=""),
                intake.PartyInput(side="respondent", name="吴刚", phone="13933334444"),
            ],
            registered_on=TODAY - dt.timedelta(days=8),
        ),
    )
    for party in dispute.parties.all():
        intake.party_consent(
            actor=worker, dispute=dispute, party_id=party.pk, consent="agreed", on=TODAY - dt.timedelta(days=7)
        )
    intake.dispute_assign(actor=worker, dispute=dispute, mediator_id=world.mediator.public_id)
    dispute.refresh_from_db()
    ids = list(dispute.parties.values_list("pk", flat=True))
    svc.session_held_record(
        actor=mediator,
        dispute=dispute,
        held_at=NOW - dt.timedelta(days=5),
        place="调解室",
        attended_party_ids=ids[:1],
        minutes="申请人陈述",
    )
    second = svc.session_schedule(
        actor=mediator, dispute=dispute, starts_at=NOW - dt.timedelta(hours=1), place="调解室"
    )
    svc.session_record(actor=mediator, session=second, attended_party_ids=ids, minutes="双方达成一致")
    svc.agreement_record(
        actor=mediator,
        dispute=dispute,
        kind="written",
        terms=TERMS,
        signed_on=TODAY,
        perform_by=TODAY,
    )
    paper = svc.agreement_paper(actor=mediator, dispute=dispute)
    assert [p.name for p in paper.parties] == ["周芳", "吴刚"] and paper.facts == "楼上漏水浸湿楼下天花板"
    svc.follow_up_record(actor=worker, dispute=dispute, on=TODAY, performance="full")
    closed = svc.dispute_close(actor=worker, dispute=dispute)
    assert closed.state == "closed"
    assert list(DisputeStep.objects.filter(dispute=dispute).values_list("action", flat=True)) == [
        "register",
        "accept",
        "assign",
        "session_record",
        "session_schedule",
        "session_record",
        "agree",
        "follow_up",
        "close",
    ]
