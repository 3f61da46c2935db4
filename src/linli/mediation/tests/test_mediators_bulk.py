# ruff: noqa: F811 (the stage's fixtures are imported from mediators_support)
"""The bulk loads (a city's first roster, a street's paper backlog, the demo): every row checked
as the single service checks it, all or nothing, one audit line."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.mediation.models import DisputeScreening, Mediator
from linli.mediation.services.mediators import MediatorInput, mediator_add_many
from linli.mediation.services.screening import RiskInput, ScreeningInput, screening_file, screening_file_many
from linli.mediation.tests.mediators_support import HUNHEWAN, SHUIYUANDI, STREET, clock  # noqa: F401

pytestmark = pytest.mark.django_db
NOV, OCT = dt.date(2026, 11, 1), dt.date(2026, 10, 1)


def test_mediators_in_bulk_all_or_nothing(tree, actors, clock):
    officer = actors["street_officer"]
    rows = [
        MediatorInput("committee", "甲", SHUIYUANDI, "13800000001"),
        MediatorInput("full_time", "乙", SHUIYUANDI),  # wrong level
    ]
    with pytest.raises(DomainError) as error:
        mediator_add_many(actor=officer, rows=rows)
    assert error.value.fields[0].message.zh == "第 2 行：专职调解员只能设在街道（乡镇）"
    assert Mediator.objects.count() == 0
    rows[1].path = STREET
    assert mediator_add_many(actor=officer, rows=rows) == 2
    assert Mediator.objects.get(name="甲").phone_masked == "138****0001"
    assert AuditEntry.objects.get(action="mediation.mediator_import").details["count"] == 2


def test_screenings_in_bulk_all_or_nothing(tree, actors, clock):
    officer = actors["street_officer"]
    screening_file(actor=officer, path=HUNHEWAN, month=NOV, data=ScreeningInput(1, 0, 1, 0))
    good = (SHUIYUANDI, OCT, ScreeningInput(2, 1, 1, 1, risks=[RiskInput("low", "噪音")]))
    with pytest.raises(DomainError) as error:
        screening_file_many(actor=officer, reports=[good, (HUNHEWAN, NOV, ScreeningInput(0, 0, 0, 0))])
    assert error.value.code == "conflict"
    with pytest.raises(DomainError):
        screening_file_many(actor=officer, reports=[good, (SHUIYUANDI, dt.date(2027, 1, 1), ScreeningInput())])
    assert DisputeScreening.objects.count() == 1
    assert screening_file_many(actor=officer, reports=[good, (HUNHEWAN, OCT, ScreeningInput())]) == 2
    assert DisputeScreening.objects.get(path=SHUIYUANDI).risks.get().description == "噪音"
    with pytest.raises(DomainError) as error:
        screening_file_many(actor=actors["community_worker"], reports=[(HUNHEWAN, NOV, ScreeningInput())])
    assert error.value.status == 404
