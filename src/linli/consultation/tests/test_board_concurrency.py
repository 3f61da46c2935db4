"""Board writes at once (PostgreSQL row locks): two adoptions of one draft adopt it once and leave
one version in force; two revisions started at once make one draft; two withdrawals of a notice
withdraw it once, with the first reason."""

import pytest

from linli.consultation.models import BoardNotice, ConventionVersion
from linli.consultation.services import board as svc
from linli.consultation.tests.board_support import (
    SHUIYUANDI,
    TEXT_V2,
    TODAY,
    clock,
    consultation_row,
    convention_in_force,
    notice,
)
from linli.testing import empty_append_only_tables, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
__all__ = ["clock"]


@pytest.fixture(autouse=True)
def _flushable():
    yield
    empty_append_only_tables()


def test_two_adoptions_at_once_adopt_once(actors, clock):
    worker = actors["community_worker"]
    convention = convention_in_force(worker)
    draft = svc.version_draft(actor=worker, convention=convention, text=TEXT_V2)
    svc.version_consult(actor=worker, version=draft, consultation_id=consultation_row(SHUIYUANDI, "decided").public_id)
    outcomes = run_at_once(2, lambda i: svc.version_adopt(actor=worker, version=draft, adopted_on=TODAY))
    assert sorted(outcomes) == ["conflict", "ok"]
    states = list(
        ConventionVersion.objects.filter(convention=convention).order_by("version").values_list("state", flat=True)
    )
    assert states == ["superseded", "adopted"]
    assert BoardNotice.objects.filter(kind="convention").count() == 2


def test_two_revisions_at_once_make_one_draft(actors, clock):
    worker = actors["community_worker"]
    convention = convention_in_force(worker)
    outcomes = run_at_once(2, lambda i: svc.version_draft(actor=worker, convention=convention))
    assert sorted(outcomes) == ["conflict", "ok"]
    assert ConventionVersion.objects.filter(convention=convention).count() == 2


def test_two_withdrawals_at_once_withdraw_once(actors, clock):
    worker = actors["community_worker"]
    made = notice(worker)
    outcomes = run_at_once(2, lambda i: svc.notice_withdraw(actor=worker, notice=made, reason=f"原因{i}"))
    assert sorted(outcomes) == ["conflict", "ok"]
    assert BoardNotice.objects.get(pk=made.pk).withdrawn_reason in ("原因0", "原因1")
