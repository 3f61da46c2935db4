"""Materials (encrypted uploads, judged by content, audited reads), the paper file's journey,
the archive record made at closing, retention, and the case file as PDF and ZIP."""

import io
import json
import zipfile
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.residents.services import applicant_lookup
from linli.service_desk.exports import case_file_export
from linli.service_desk.models import ArchiveRecord, CaseMaterial
from linli.service_desk.services import (
    archive_retention_purge,
    desk_files_dir,
    file_handoff_record,
    material_read,
    material_upload,
)
from linli.service_desk.tests.conftest import ZHANG_ID
from linli.service_desk.tests.test_cases import step, window_intake

WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + "身份证照片".encode()


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def case(desk):
    worker = desk["actors"]["community_worker"]
    with time_machine.travel(WEDNESDAY, tick=False):
        return window_intake(worker, applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理").public_id)


def test_an_upload_is_sealed_on_disk_and_every_read_is_audited(desk, case):
    worker = desk["actors"]["community_worker"]
    material = material_upload(actor=worker, case=case, material_key="m1", filename="../申请书.png", data=PNG)
    assert material.filename == "申请书.png" and material.content_type == "image/png"
    on_disk = (desk_files_dir() / str(case.public_id) / material.stored_name).read_bytes()
    assert PNG not in on_disk and "身份证照片".encode() not in on_disk
    assert material_read(actor=desk["actors"]["street_officer"], material=material) == PNG
    assert AuditEntry.objects.filter(action="case.material_read", actor_name="street_officer").count() == 1


@pytest.mark.parametrize(
    ("key", "data", "field"),
    [
        ("m1", b"MZ\x90\x00 not an image", "file"),
        ("m1", b"", "file"),
        ("m9", PNG, "material_key"),
        ("m1", b"%PDF-" + b"0" * (10 * 1024 * 1024), "file"),
    ],
)
def test_bad_uploads_are_refused_and_leave_no_file(desk, case, key, data, field):
    with pytest.raises(DomainError) as refused:
        material_upload(actor=desk["actors"]["community_worker"], case=case, material_key=key, filename="x", data=data)
    assert field in {f.field for f in refused.value.fields}
    assert CaseMaterial.objects.count() == 0
    folder = desk_files_dir() / str(case.public_id)
    assert not folder.exists() or not any(folder.iterdir())


def test_outsiders_cannot_upload(desk, case):
    with pytest.raises(DomainError) as hidden:
        material_upload(actor=desk["actors"]["binhe_worker"], case=case, material_key="m1", filename="a.png", data=PNG)
    assert hidden.value.status == 404


def test_the_paper_file_moves_in_order(desk, case):
    worker, street = desk["actors"]["community_worker"], desk["actors"]["street_officer"]
    file_handoff_record(actor=worker, case=case, step="received")
    with pytest.raises(DomainError) as out_of_order:
        file_handoff_record(actor=street, case=case, step="returned")
    assert out_of_order.value.status == 409
    file_handoff_record(actor=worker, case=case, step="sent", note="交街道")
    arrived = file_handoff_record(actor=street, case=case, step="arrived")
    assert arrived.holder_path == "210102001" and arrived.holder_name == "street_officer"
    assert list(case.handoffs.values_list("step", flat=True)) == ["received", "sent", "arrived"]


def _finish(desk, case):
    street, worker = desk["actors"]["street_officer"], desk["actors"]["community_worker"]
    with time_machine.travel(WEDNESDAY + timedelta(days=1), tick=False):
        case = step(street, case, "start_review")
        case = step(street, case, "decide", decision="approved", note="符合条件")
        case = step(worker, case, "deliver", delivery_method="pickup")
        return step(worker, case, "close")


def test_closing_archives_the_case_and_retention_purges_its_files(desk, case, django_capture_on_commit_callbacks):
    worker = desk["actors"]["community_worker"]
    material = material_upload(actor=worker, case=case, material_key="m1", filename="申请书.png", data=PNG)
    with django_capture_on_commit_callbacks(execute=True):
        case = _finish(desk, case)
    record = ArchiveRecord.objects.get(case=case)
    assert record.snapshot["number"] == case.number
    assert [e["action"] for e in record.snapshot["timeline"]][-1] == "close"
    assert record.snapshot["materials"][0]["sha256"] == material.sha256
    assert ZHANG_ID not in json.dumps(record.snapshot, ensure_ascii=False)
    assert record.retention_until == date(2036, 11, 26)  # the item keeps cases ten years
    with pytest.raises(DomainError):  # archived: no more files
        material_upload(actor=worker, case=case, material_key="m1", filename="late.png", data=PNG)
    assert archive_retention_purge(today=date(2036, 11, 26)) == "0 archive records past retention purged"
    assert archive_retention_purge(today=date(2036, 11, 27)) == "1 archive records past retention purged"
    assert not (desk_files_dir() / str(case.public_id)).exists()
    record.refresh_from_db()
    assert record.purged_at is not None and record.snapshot["number"] == case.number


def test_the_case_file_exports_as_pdf_with_an_embedded_chinese_font_and_as_zip(desk, case):
    worker = desk["actors"]["community_worker"]
    material_upload(actor=worker, case=case, material_key="m1", filename="申请书.png", data=PNG)
    pdf, content_type, name = case_file_export(actor=worker, case=case, kind="pdf")
    assert content_type == "application/pdf" and name == f"{case.number}.pdf"
    assert pdf.startswith(b"%PDF-") and b"WenQuanYiMicroHei" in pdf and b"FontFile2" in pdf
    data, content_type, _name = case_file_export(actor=worker, case=case, kind="zip")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        assert names == {f"{case.number}.pdf", "case.json", "timeline.csv", "materials/m1-申请书.png"}
        assert archive.read("materials/m1-申请书.png") == PNG
        assert json.loads(archive.read("case.json"))["applicant"]["name"] == "张建国"
        assert ZHANG_ID not in archive.read("case.json").decode()
    assert AuditEntry.objects.filter(action="case.export").count() == 2


def test_the_api_takes_uploads_and_serves_exports_only_in_scope(client, desk, case):
    client.force_login(desk["users"]["community_worker"])
    upload = SimpleUploadedFile("照片.png", PNG, content_type="image/png")
    created = client.post(f"/api/v1/desk/cases/{case.number}/materials", {"material_key": "m3", "file": upload})
    assert created.status_code == 201, created.content
    bad = client.post(
        f"/api/v1/desk/cases/{case.number}/materials",
        {"material_key": "m3", "file": SimpleUploadedFile("x.exe", b"MZ..", content_type="image/png")},
    )
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "file"
    listed = client.get(f"/api/v1/desk/cases/{case.number}/materials").json()
    assert [m["filename"] for m in listed] == ["照片.png"]
    pdf = client.get(f"/api/v1/desk/cases/{case.number}/export.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    client.force_login(desk["users"]["binhe_worker"])
    assert client.get(f"/api/v1/desk/cases/{case.number}/export.pdf").status_code == 404
    assert client.get(f"/staff/desk/cases/{case.public_id}/export.zip").status_code == 404
