"""Exports: the role's field set, masked by default; unmasked only with the reveal permission and
a reason, audited; never anyone outside the scope."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.residents.domain import id_number_make
from linli.residents.exports import export_residents_xlsx
from linli.residents.models import Resident
from linli.residents.services import ResidentInput, household_register, resident_add
from linli.testing import log_in

ID_HEAD = id_number_make("210102", date(1960, 2, 3), 101, "male")
ID_OTHER = id_number_make("210102", date(1990, 4, 5), 102, "female")


@pytest.fixture
def pool(actors):
    """王建国 in 水源地社区 (with phone and notes) and 李娜 in 浑河湾社区."""
    household = household_register(
        actor=actors["community_worker"], building_code="210102001002001001", room="1-101", residence_type="registered"
    )
    resident_add(
        actor=actors["community_worker"],
        household=household,
        data=ResidentInput(
            name="王建国",
            gender="male",
            birth_date=date(1960, 2, 3),
            id_number=ID_HEAD,
            phone="13812345678",
            notes="独居，需关注",
        ),
    )
    other = household_register(
        actor=actors["other_community_worker"],
        building_code="210102001003001001",
        room="2-202",
        residence_type="permanent",
    )
    resident_add(
        actor=actors["other_community_worker"],
        household=other,
        data=ResidentInput(name="李娜", gender="female", birth_date=date(1990, 4, 5), id_number=ID_OTHER),
    )
    return Resident.objects.order_by("pk")


def sheet(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_export_is_masked_by_default_and_audited(actors, pool):
    rows = sheet(export_residents_xlsx(actors["community_worker"], pool.filter(name="王建国")))
    text = repr(rows)
    assert len(rows) == 2 and "王建国" in text
    assert "210102********" + ID_HEAD[-4:] in text and "138****5678" in text
    assert ID_HEAD not in text and "13812345678" not in text and "独居" not in text
    entry = AuditEntry.objects.get(action="resident.export")
    assert entry.details == {"count": 1, "unmasked": [], "columns": entry.details["columns"]}
    assert entry.actor_name == "community_worker"


def test_export_uses_the_roles_field_set(actors, pool):
    header = sheet(export_residents_xlsx(actors["department_officer"], pool.filter(name="王建国")))[0]
    assert "Phone" not in header and "联系电话" not in header and "Notes" not in header and "备注" not in header
    assert len(header) == 9  # name, gender, birth date, age, ID number, disability, care groups, address, status


def test_unmasked_export_without_reveal_permission_is_refused(actors, pool):
    for actor, fields in [
        (actors["district_admin"], ["id_number"]),  # may export, may reveal nothing
        (actors["street_officer"], ["notes"]),  # may reveal ID and phone, not notes
        (actors["department_officer"], ["phone"]),
    ]:
        with pytest.raises(DomainError) as caught:
            export_residents_xlsx(actor, pool.filter(name="王建国"), unmasked_fields=fields, reason="核对")
        assert caught.value.code == "permission_denied"
    with pytest.raises(DomainError) as caught:
        export_residents_xlsx(actors["auditor"], pool.filter(name="王建国"))
    assert caught.value.code == "permission_denied"
    assert not AuditEntry.objects.filter(action="resident.export").exists()


def test_unmasked_export_needs_a_reason(actors, pool):
    with pytest.raises(DomainError) as caught:
        export_residents_xlsx(actors["community_worker"], pool.filter(name="王建国"), unmasked_fields=["phone"])
    assert caught.value.code == "validation_failed"
    assert not AuditEntry.objects.filter(action="resident.export").exists()


def test_unmasked_export_is_audited_with_reason_and_without_values(actors, pool):
    content = export_residents_xlsx(
        actors["community_worker"],
        pool.filter(name="王建国"),
        unmasked_fields=["id_number", "phone"],
        reason="核对低保",
    )
    text = repr(sheet(content))
    assert ID_HEAD in text and "13812345678" in text and "独居" not in text
    entry = AuditEntry.objects.get(action="resident.export")
    assert entry.reason == "核对低保"
    assert entry.details["unmasked"] == ["id_number", "phone"] and entry.details["count"] == 1
    assert ID_HEAD not in repr(entry.details) and "13812345678" not in repr(entry.details)


def test_a_community_worker_cannot_export_another_communitys_residents(actors, pool, tmp_path):
    with pytest.raises(DomainError) as caught:
        export_residents_xlsx(actors["other_community_worker"], pool.filter(name="王建国"))
    assert caught.value.code == "not_found"
    with pytest.raises(CommandError):
        call_command(
            "export_residents", str(tmp_path / "x.xlsx"), "--under", "210102001002", "--as", "other_community_worker"
        )
    assert not (tmp_path / "x.xlsx").exists()
    assert not AuditEntry.objects.filter(action="resident.export").exists()


def test_export_command(actors, pool, tmp_path, capsys):
    out = tmp_path / "hp.xlsx"
    call_command("export_residents", str(out), "--under", "210102001")
    text = repr(sheet(out.read_bytes()))
    assert "王建国" in text and "李娜" in text and ID_HEAD not in text
    call_command(
        "export_residents", str(out), "--under", "210102001002", "--unmasked", "id_number", "--reason", "户籍核查"
    )
    text = repr(sheet(out.read_bytes()))
    assert ID_HEAD in text and "李娜" not in text
    assert AuditEntry.objects.filter(action="resident.export", reason="户籍核查").count() == 1
    with pytest.raises(CommandError):
        call_command("export_residents", str(out), "--under", "210102001002", "--unmasked", "id_number")


def test_export_views(client, pool):
    log_in(client, "community_worker")
    response = client.get("/staff/residents/export/search.xlsx", {"q": "王建国"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "王建国" in repr(sheet(response.content)) and ID_HEAD not in repr(sheet(response.content))
    response = client.post(
        "/staff/residents/export/search.xlsx?q=" + ID_HEAD, {"unmasked": ["id_number"], "reason": "入户核对"}
    )
    assert response.status_code == 200 and ID_HEAD in repr(sheet(response.content))
    # the search is scoped: someone in another community exports nobody
    client.logout()
    log_in(client, "other_community_worker")
    response = client.get("/staff/residents/export/search.xlsx", {"q": "王建国"})
    assert response.status_code == 200 and len(sheet(response.content)) == 1
    response = client.post("/staff/residents/export/care.xlsx", {"unmasked": ["notes"], "reason": "x"})
    assert response.status_code == 422  # a one-letter reason is not a reason
