# ruff: noqa: F811 (the stage's fixtures are imported from board_support)
"""Board writes: conventions from the first draft to a version adopted after its consultation
(the one in force superseded, the adoption on the board), village rules through a village matter,
notices published and withdrawn with a reason; every refusal leaves everything as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.consultation.models import BoardNotice, Convention, ConventionVersion
from linli.consultation.services import board as svc
from linli.consultation.tests.board_support import (  # noqa: F401 (fixtures)
    HUNHEWAN,
    SHUIYUANDI,
    TEXT_V1,
    TEXT_V2,
    TODAY,
    VILLAGE,
    clock,
    consultation_row,
    convention_draft,
    convention_in_force,
    matter_row,
    notice,
    village_worker,
)
from linli.core.errors import DomainError
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _states(convention) -> list[tuple[int, str]]:
    return list(convention.versions.order_by("version").values_list("version", "state"))


def _error(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def test_a_new_convention_is_a_draft(actors, clock):
    made = convention_draft(actors["community_worker"])
    assert _states(made) == [(1, "draft")]
    assert made.versions.get().text == TEXT_V1
    assert BoardNotice.objects.count() == 0
    assert AuditEntry.objects.filter(action="consultation.convention_draft").count() == 1


def test_a_convention_in_force_is_recorded_with_its_date_and_announced(actors, clock):
    made = convention_in_force(actors["community_worker"])
    assert list(made.versions.values_list("version", "state", "adopted_on")) == [(1, "adopted", dt.date(2020, 5, 1))]
    board = BoardNotice.objects.get()
    assert (board.kind, board.title, board.public_from, board.public_until) == (
        "convention",
        "居民公约",
        TODAY,
        TODAY + dt.timedelta(days=30),
    )


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"title": " "}, ["title"]),
        ({"text": ""}, ["text"]),
        ({"kind": "village"}, ["kind"]),
        ({"kind": "nonsense"}, ["kind"]),
        ({"adopted_on": dt.date(2027, 1, 1), "note": "x"}, ["adopted_on"]),
        ({"adopted_on": dt.date(2020, 1, 1)}, ["note"]),
    ],
)
def test_a_convention_needs_its_fields(actors, clock, values, fields):
    data = svc.ConventionInput(path=SHUIYUANDI, kind="residents", title="公约", text="正文")
    for key, value in values.items():
        setattr(data, key, value)
    error = _error(lambda: svc.convention_create(actor=actors["community_worker"], data=data))
    assert [f.field for f in error.fields] == fields
    assert Convention.objects.count() == 0


def test_village_rules_belong_to_a_village(actors, village_worker, clock):
    made = convention_in_force(village_worker, path=VILLAGE, kind="village")
    assert made.kind == "village"
    error = _error(lambda: convention_in_force(village_worker, path=VILLAGE, kind="residents"))
    assert [f.field for f in error.fields] == ["kind"]
    assert Convention.objects.count() == 1


@pytest.mark.parametrize("who", ["other_community_worker", "street_officer", "resident", "department_officer"])
def test_only_the_community_s_committee_writes_its_conventions(actors, clock, who):
    error = _error(lambda: convention_draft(actors[who]))
    assert error.status in (403, 404)
    assert Convention.objects.count() == 0


def test_a_revision_goes_from_draft_to_consultation_to_force(actors, clock):
    worker = actors["community_worker"]
    made = convention_in_force(worker)
    draft = svc.version_draft(actor=worker, convention=made)
    assert (draft.version, draft.state, draft.text) == (2, "draft", TEXT_V1)
    svc.version_edit(actor=worker, version=draft, text=TEXT_V2)
    consultation = consultation_row(SHUIYUANDI, "voting")
    svc.version_consult(actor=worker, version=draft, consultation_id=consultation.public_id)
    assert _states(made) == [(1, "adopted"), (2, "consulting")]
    consultation.state = "decided"
    consultation.save()
    adopted = svc.version_adopt(actor=worker, version=draft, adopted_on=TODAY)
    assert (adopted.state, adopted.adopted_on) == ("adopted", TODAY)
    assert _states(made) == [(1, "superseded"), (2, "adopted")]
    assert ConventionVersion.objects.get(convention=made, version=2).text == TEXT_V2
    assert list(BoardNotice.objects.filter(kind="convention").values_list("source_ref", flat=True)) == [
        str(made.public_id),
        str(made.public_id),
    ]
    assert AuditEntry.objects.filter(action="consultation.convention_adopt").count() == 2
    # the board shows one text in force: the earlier announcement came down the day before
    showing = BoardNotice.objects.filter(kind="convention", public_from__lte=TODAY).exclude(public_until__lt=TODAY)
    assert [n.body for n in showing] == [TEXT_V2]


@pytest.mark.parametrize("state", ["draft", "discussing", "voting", "counted"])
def test_a_draft_is_not_adopted_before_the_decision(actors, clock, state):
    worker = actors["community_worker"]
    made = convention_in_force(worker)
    draft = svc.version_draft(actor=worker, convention=made, text=TEXT_V2)
    svc.version_consult(actor=worker, version=draft, consultation_id=consultation_row(SHUIYUANDI, state).public_id)
    notices = BoardNotice.objects.count()
    error = _error(lambda: svc.version_adopt(actor=worker, version=draft, adopted_on=TODAY))
    assert error.status == 409
    assert _states(made) == [(1, "adopted"), (2, "consulting")]
    assert BoardNotice.objects.count() == notices


def test_a_draft_is_adopted_only_once_consulted(actors, clock):
    worker = actors["community_worker"]
    made = convention_draft(worker)
    error = _error(lambda: svc.version_adopt(actor=worker, version=made.versions.get(), adopted_on=TODAY))
    assert error.status == 409
    assert _states(made) == [(1, "draft")]


def test_a_draft_is_consulted_in_its_own_community(actors, clock):
    worker = actors["community_worker"]
    made = convention_draft(worker)
    for consultation in (consultation_row(HUNHEWAN, "voting"), consultation_row(SHUIYUANDI, "cancelled")):
        error = _error(
            lambda c=consultation: svc.version_consult(
                actor=worker, version=made.versions.get(), consultation_id=c.public_id
            )
        )
        assert [f.field for f in error.fields] == ["consultation"]
    assert _states(made) == [(1, "draft")]


def test_one_draft_at_a_time_and_a_consulted_draft_is_not_edited(actors, clock):
    worker = actors["community_worker"]
    made = convention_in_force(worker)
    draft = svc.version_draft(actor=worker, convention=made)
    assert _error(lambda: svc.version_draft(actor=worker, convention=made)).status == 409
    svc.version_consult(actor=worker, version=draft, consultation_id=consultation_row(SHUIYUANDI, "voting").public_id)
    assert _error(lambda: svc.version_edit(actor=worker, version=draft, text="改")).status == 409
    assert ConventionVersion.objects.get(pk=draft.pk).text == TEXT_V1
    assert _states(made) == [(1, "adopted"), (2, "consulting")]


@pytest.mark.parametrize(
    ("state", "stage", "adopts"),
    [
        ("open", "review", False),
        ("open", "publish_resolution", True),
        ("done", "publish_result", True),
    ],
)
def test_village_rules_are_adopted_after_the_village_resolution(village_worker, clock, state, stage, adopts):
    made = convention_in_force(village_worker, path=VILLAGE, kind="village")
    draft = svc.version_draft(actor=village_worker, convention=made, text=TEXT_V2)
    matter = matter_row(VILLAGE, state, stage)
    svc.version_consult(actor=village_worker, version=draft, matter_id=matter.public_id)
    if adopts:
        svc.version_adopt(actor=village_worker, version=draft, adopted_on=TODAY)
        assert _states(made) == [(1, "superseded"), (2, "adopted")]
    else:
        assert _error(lambda: svc.version_adopt(actor=village_worker, version=draft, adopted_on=TODAY)).status == 409
        assert _states(made) == [(1, "adopted"), (2, "consulting")]


def test_a_notice_is_published_and_withdrawn_with_its_reason(actors, clock):
    worker = actors["community_worker"]
    made = notice(worker, kind="finance", public_until=TODAY + dt.timedelta(days=7))
    assert (made.kind, made.public_from, made.published_by_name) == ("finance", TODAY, "community_worker")
    svc.notice_withdraw(actor=worker, notice=made, reason="金额有误，更正后重发")
    stored = BoardNotice.objects.get()
    assert (stored.withdrawn_reason, stored.withdrawn_at is not None) == ("金额有误，更正后重发", True)
    entry = AuditEntry.objects.get(action="consultation.notice_withdraw")
    assert entry.reason == "金额有误，更正后重发"
    again = _error(lambda: svc.notice_withdraw(actor=worker, notice=stored, reason="再撤"))
    assert again.status == 409
    assert BoardNotice.objects.get().withdrawn_reason == "金额有误，更正后重发"


def test_a_withdrawal_needs_a_reason_and_the_community_s_committee(actors, clock):
    made = notice(actors["community_worker"])
    assert [
        f.field
        for f in _error(lambda: svc.notice_withdraw(actor=actors["community_worker"], notice=made, reason=" ")).fields
    ] == ["reason"]
    for who in ("other_community_worker", "street_officer", "resident"):
        assert _error(lambda w=who: svc.notice_withdraw(actor=actors[w], notice=made, reason="x")).status in (403, 404)
    assert BoardNotice.objects.get().withdrawn_at is None


def test_a_notice_s_last_day_is_not_before_its_first(actors, clock):
    error = _error(
        lambda: notice(actors["community_worker"], public_from=TODAY, public_until=TODAY - dt.timedelta(days=1))
    )
    assert [f.field for f in error.fields] == ["public_until"]
    assert BoardNotice.objects.count() == 0
