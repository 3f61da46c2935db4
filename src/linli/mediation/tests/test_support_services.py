"""Restricted support cases: who reads them (holders in their area or beat, the assigned worker),
leads filed for a receipt, entries, assignment, closing and the exports, with their audit."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.core.errors import DomainError
from linli.core.models import AuditEntry, InboxMessage
from linli.core.sheets import read_rows
from linli.mediation.domain.support import EntryKind, SupportKind, SupportState
from linli.mediation.models import SupportCase, SupportEntry
from linli.mediation.selectors import support as sel
from linli.mediation.services import support as svc
from linli.mediation.tests.support_support import HUNHEWAN, PLAN, SEEN, SHUIYUANDI, TODAY, clock, open_case, world

__all__ = ["clock", "world"]


def _refused(call, status: int, field: str = "") -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.status == status
    if field:
        assert [f.field for f in caught.value.fields] == [field]
    return caught.value


def _readers(world, case) -> set[str]:
    return {
        name for name, actor in world.actors.items() if sel.support_case_list(actor=actor).filter(pk=case.pk).exists()
    }


def test_a_case_opened_by_the_judicial_office_is_sealed_audited_and_told_to_the_assigned_worker(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(world, assigned="community_worker", until=TODAY + dt.timedelta(days=365))
    stored = SupportCase.objects.get()
    assert (stored.number, stored.kind, stored.path, stored.state) == (
        f"BF{TODAY:%Y%m%d}00001",
        SupportKind.CORRECTIONS,
        SHUIYUANDI,
        SupportState.OPEN,
    )
    assert "王秀兰" not in stored.person_name_sealed and PLAN not in stored.plan_sealed
    assert (stored.assigned_name, stored.opened_by_name, stored.filed_by_id) == (
        "community_worker",
        "judicial_officer",
        None,
    )
    opened = AuditEntry.objects.get(action="mediation.support_open")
    assert (opened.object_id, opened.org_path, opened.actor_name) == (
        str(case.public_id),
        SHUIYUANDI,
        "judicial_officer",
    )
    told = InboxMessage.objects.get()
    assert told.user_id == world.actors["community_worker"].user_id and case.number in told.text_zh
    assert "王秀兰" not in told.text_zh


@pytest.mark.parametrize(
    ("by", "kind", "ref", "field"),
    [
        ("community_worker", SupportKind.CORRECTIONS, "wang", "kind"),  # no support permission
        ("police_officer", SupportKind.CORRECTIONS, "wang", "kind"),  # police hold only the family kind
        ("other_judicial_officer", SupportKind.CORRECTIONS, "wang", "person_ref"),  # another street's resident
        ("police_officer", SupportKind.DOMESTIC_VIOLENCE, "zhao", "path"),  # outside the beat
    ],
)
def test_opening_is_refused_outside_the_kind_or_the_area(world, by, kind, ref, field):
    _refused(lambda: open_case(world, kind, by=by, person_ref=getattr(world, ref)), 422, field)
    assert not SupportCase.objects.exists() and not AuditEntry.objects.filter(action__startswith="mediation.").exists()


def test_opening_by_name_only_needs_a_community_and_a_future_end(world):
    judicial = world.actors["judicial_officer"]
    data = svc.SupportCaseInput(kind=SupportKind.RELEASED, name="李四", path="210102001")
    _refused(lambda: svc.support_case_open(actor=judicial, data=data), 422, "path")
    data = svc.SupportCaseInput(kind=SupportKind.RELEASED, name="李四", path=HUNHEWAN, until=TODAY - dt.timedelta(1))
    _refused(lambda: svc.support_case_open(actor=judicial, data=data), 422, "until")
    data = svc.SupportCaseInput(kind=SupportKind.RELEASED, name="李四", path=HUNHEWAN, assigned="resident")
    _refused(lambda: svc.support_case_open(actor=judicial, data=data), 422, "assigned")
    assert not SupportCase.objects.exists()
    data = svc.SupportCaseInput(
        kind=SupportKind.RELEASED, name="李四", path=HUNHEWAN, assigned="other_community_worker"
    )
    case = svc.support_case_open(actor=judicial, data=data)
    assert (case.person_ref, case.path, case.assigned_name) == (None, HUNHEWAN, "other_community_worker")


def test_who_reads_a_judicial_case_the_role_and_scope_matrix(world):
    case = open_case(world, assigned="grid_worker")
    assert _readers(world, case) == {"judicial_officer", "district_judicial_officer", "grid_worker"}
    for name in ("community_worker", "other_judicial_officer", "police_officer", "street_officer", "resident"):
        _refused(lambda name=name: sel.support_case_get(actor=world.actors[name], public_id=case.public_id), 404)


def test_a_police_officer_reads_family_cases_of_their_beat_only(world):
    inside = open_case(world, SupportKind.DOMESTIC_VIOLENCE)
    outside = open_case(world, SupportKind.DOMESTIC_VIOLENCE, person_ref=world.zhao)
    assert _readers(world, inside) == {"judicial_officer", "district_judicial_officer", "police_officer"}
    assert _readers(world, outside) == {"judicial_officer", "district_judicial_officer", "other_police_officer"}
    counsel = open_case(world, SupportKind.COUNSELLING)
    assert _readers(world, counsel) == {"judicial_officer", "district_judicial_officer"}


def test_a_lead_gives_the_filer_a_receipt_only_and_tells_the_beat_and_the_judicial_office(
    world, django_capture_on_commit_callbacks
):
    grid = world.actors["grid_worker"]
    _refused(
        lambda: svc.support_lead_file(actor=grid, person_ref=world.wang, what_was_seen="吵架"), 422, "what_was_seen"
    )
    _refused(lambda: svc.support_lead_file(actor=grid, person_ref=world.zhao, what_was_seen=SEEN), 422, "person_ref")
    _refused(
        lambda: svc.support_lead_file(actor=world.actors["resident"], name="某人", path=SHUIYUANDI, what_was_seen=SEEN),
        404,
    )
    assert not SupportCase.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        case = svc.support_lead_file(actor=grid, person_ref=world.wang, what_was_seen=SEEN)
    assert (case.kind, case.path, case.filed_by_id, case.opened_by_name) == (
        SupportKind.DOMESTIC_VIOLENCE,
        SHUIYUANDI,
        grid.user_id,
        "grid_worker",
    )
    entry = SupportEntry.objects.get()
    assert entry.kind == EntryKind.REPORT and SEEN not in entry.note_sealed
    told = sorted(InboxMessage.objects.values_list("user_id", flat=True))
    expected = ("police_officer", "judicial_officer", "district_judicial_officer")
    assert told == sorted(world.actors[n].user_id for n in expected)
    assert [(r.number, r.filed_at) for r in sel.my_receipts(actor=grid)] == [(case.number, case.created_at)]
    assert sel.receipt_get(actor=grid, number=case.number).number == case.number
    _refused(lambda: sel.receipt_get(actor=world.actors["community_worker"], number=case.number), 404)
    _refused(lambda: sel.support_case_get(actor=grid, public_id=case.public_id), 404)
    _refused(lambda: svc.support_case_read(actor=grid, public_id=case.public_id, reason="想看看后续"), 404)
    assert _readers(world, case) == {"judicial_officer", "district_judicial_officer", "police_officer"}
    lead = AuditEntry.objects.get(action="mediation.support_lead")
    assert (lead.actor_name, lead.object_id) == ("grid_worker", str(case.public_id))


def test_every_read_is_audited_with_its_reason(world):
    case = open_case(world, assigned="community_worker")
    judicial, worker = world.actors["judicial_officer"], world.actors["community_worker"]
    _refused(lambda: svc.support_case_read(actor=judicial, public_id=case.public_id, reason=" "), 422, "reason")
    assert not AuditEntry.objects.filter(action="mediation.support_read").exists()
    view = svc.support_case_read(actor=judicial, public_id=case.public_id, reason="月度走访前查阅")
    assert (view.person_name, view.plan, view.held) == ("王秀兰", PLAN, True)
    mine = svc.support_case_read(actor=worker, public_id=case.public_id, reason="走访前查阅")
    assert mine.held is False
    svc.support_case_read(actor=judicial, public_id=case.public_id, reason="再次查阅计划")
    reads = AuditEntry.objects.filter(action="mediation.support_read").order_by("pk")
    assert [(a.actor_name, a.reason, a.object_id) for a in reads] == [
        ("judicial_officer", "月度走访前查阅", str(case.public_id)),
        ("community_worker", "走访前查阅", str(case.public_id)),
        ("judicial_officer", "再次查阅计划", str(case.public_id)),
    ]


def test_entries_are_dated_and_sealed_and_a_plan_entry_replaces_the_plan(world):
    case = open_case(world, SupportKind.COUNSELLING, assigned="community_worker")
    worker = world.actors["community_worker"]
    bad = _refused(
        lambda: svc.support_entry_add(
            actor=worker, public_id=case.public_id, kind="chat", on=TODAY + dt.timedelta(1), note=""
        ),
        422,
    )
    assert [f.field for f in bad.fields] == ["kind", "on", "note"]
    svc.support_entry_add(
        actor=worker, public_id=case.public_id, kind=EntryKind.TALK, on=TODAY, note="第一次疏导，情绪稳定"
    )
    svc.support_entry_add(
        actor=world.actors["judicial_officer"], public_id=case.public_id, kind=EntryKind.PLAN, on=TODAY, note="每周一次"
    )
    view = svc.support_case_read(actor=worker, public_id=case.public_id, reason="记录后核对")
    assert [(e.kind, note, e.by_name) for e, note in view.entries] == [
        ("talk", "第一次疏导，情绪稳定", "community_worker"),
        ("plan", "每周一次", "judicial_officer"),
    ]
    assert view.plan == "每周一次"
    _refused(
        lambda: svc.support_entry_add(
            actor=world.actors["other_community_worker"], public_id=case.public_id, kind="note", on=TODAY, note="x"
        ),
        404,
    )
    assert SupportEntry.objects.count() == 2
    assert AuditEntry.objects.filter(action="mediation.support_entry").count() == 2


def test_only_holders_assign_and_close_and_closing_needs_a_reason_and_confirmation(world):
    case = open_case(world, assigned="community_worker")
    worker, judicial = world.actors["community_worker"], world.actors["judicial_officer"]
    _refused(lambda: svc.support_assign(actor=worker, public_id=case.public_id, username="grid_worker"), 404)
    _refused(
        lambda: svc.support_case_close(actor=worker, public_id=case.public_id, reason="矫正期满", confirmed=True), 404
    )
    _refused(
        lambda: svc.support_assign(actor=judicial, public_id=case.public_id, username="other_community_worker"), 422
    )
    _refused(lambda: svc.support_case_close(actor=judicial, public_id=case.public_id, reason="", confirmed=True), 422)
    _refused(
        lambda: svc.support_case_close(actor=judicial, public_id=case.public_id, reason="矫正期满", confirmed=False),
        422,
    )
    case.refresh_from_db()
    assert (case.state, case.assigned_name, case.close_reason_sealed) == (SupportState.OPEN, "community_worker", "")
    svc.support_assign(actor=judicial, public_id=case.public_id, username="grid_worker")
    assert _readers(world, case) == {"judicial_officer", "district_judicial_officer", "grid_worker"}
    closed = svc.support_case_close(
        actor=judicial, public_id=case.public_id, reason="矫正期满，解除矫正", confirmed=True
    )
    assert (closed.state, closed.closed_on) == (SupportState.CLOSED, TODAY)
    assert "矫正期满" not in closed.close_reason_sealed
    _refused(
        lambda: svc.support_entry_add(actor=judicial, public_id=case.public_id, kind="note", on=TODAY, note="补记"), 409
    )
    view = svc.support_case_read(actor=judicial, public_id=case.public_id, reason="结案后复核")
    assert view.close_reason == "矫正期满，解除矫正"
    actions = AuditEntry.objects.filter(action__in=["mediation.support_assign", "mediation.support_close"]).order_by(
        "pk"
    )
    assert [a.action for a in actions] == ["mediation.support_assign", "mediation.support_close"]


def _sheet(content: bytes) -> list[list[str]]:
    header, rows = read_rows(content)
    return [header, *(cells for _, cells in rows)]


def test_the_masked_export_has_no_names_and_the_unmasked_one_needs_a_holder_and_a_reason(world):
    mine = open_case(world, assigned="community_worker")
    open_case(world, SupportKind.DRUG_REHAB, person_ref=world.zhao)
    judicial, worker = world.actors["judicial_officer"], world.actors["community_worker"]
    rows = _sheet(svc.support_export(actor=worker))
    assert len(rows) == 2 and rows[1][0] == mine.number and rows[1][1] == str(SupportKind.CORRECTIONS.label)
    assert not any("王秀兰" in str(cell) or PLAN in str(cell) for row in rows for cell in row)
    _refused(lambda: svc.support_export(actor=worker, unmasked=True, reason="需要名单"), 404)
    _refused(lambda: svc.support_export(actor=judicial, unmasked=True, reason=""), 422, "reason")
    _refused(lambda: svc.support_export(actor=world.actors["street_officer"]), 404)
    assert AuditEntry.objects.filter(action="mediation.support_export").count() == 1
    full = _sheet(svc.support_export(actor=judicial, unmasked=True, reason="报区司法局季度核对"))
    assert sorted(row[8] for row in full[1:]) == ["王秀兰", "赵桂芳"]
    exports = AuditEntry.objects.filter(action="mediation.support_export").order_by("pk")
    assert [(a.actor_name, a.reason, a.details) for a in exports] == [
        ("community_worker", "", {"masked": True, "rows": 1}),
        ("judicial_officer", "报区司法局季度核对", {"masked": False, "rows": 2}),
    ]
    assert _sheet(svc.support_export(actor=world.actors["other_judicial_officer"]))[1:] == []
