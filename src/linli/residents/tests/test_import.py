"""Importing residents: validation, the error file, idempotent re-import, fixing a row, no
plaintext at rest, whole households per transaction, XLSX, the command and the web upload."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter
from django.core.management import call_command
from django.db import connection
from python_calamine import CalamineWorkbook

from linli.residents import imports
from linli.residents.domain import id_number_make
from linli.residents.imports import COLUMNS, import_job_run, residents_import, template_xlsx
from linli.residents.models import Consent, Household, ImportJob, ResidenceChange, Resident
from linli.residents.services import ResidentInput, household_register, resident_add
from linli.testing import log_in

HEADER = ["楼院编码", "楼院名称", "房号", "居住类型", "姓名", "性别", "出生日期", "民族", "身份证号", "联系电话"]
HEADER += ["与户主关系", "党员", "文化程度", "就业状况", "残疾等级", "残疾信息同意方式", "备注"]
B1 = "210102001002001001"  # 水源地社区, grid 1, the community worker's area
B2 = "210102001002002001"  # 水源地社区, grid 2
NEW_BUILDING = "210102001002002007"  # grid 2 exists, the building does not
UNKNOWN = "210102001002009001"  # no such grid
OTHER_COMMUNITY = "210102001003001001"  # 浑河湾社区: outside the community worker's scope


def person(seq: int, *, gender: str = "male", birth: date = date(1970, 5, 6)) -> str:
    return id_number_make("210102", birth, seq * 2, gender)  # distinct for distinct seq (odd/even by gender)


def row(building=B1, room="1-101", name="王强", gender="男", birth="1970-05-06", id_number="", phone="13900000001",
        relation="本人", **extra) -> list[str]:  # fmt: skip
    values = {
        "楼院编码": building,
        "楼院名称": extra.get("building_name", ""),
        "房号": room,
        "居住类型": extra.get("residence_type", "户籍"),
        "姓名": name,
        "性别": gender,
        "出生日期": birth,
        "民族": "汉族",
        "身份证号": id_number,
        "联系电话": phone,
        "与户主关系": relation,
        "党员": extra.get("party", "否"),
        "文化程度": extra.get("education", "高中"),
        "就业状况": extra.get("employment", "在业"),
        "残疾等级": extra.get("disability", ""),
        "残疾信息同意方式": extra.get("consent", ""),
        "备注": extra.get("notes", ""),
    }
    return [values[h] for h in HEADER]


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def read_error_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def elsewhere(actors):
    """Someone already living in 2-201 of building B2."""
    actor = actors["community_worker"]
    household = household_register(actor=actor, building_code=B2, room="2-201", residence_type="registered")
    id_number = person(700, gender="female", birth=date(1980, 1, 2))
    resident_add(
        actor=actor,
        household=household,
        data=ResidentInput(name="赵敏", gender="female", birth_date=date(1980, 1, 2), id_number=id_number),
    )
    return id_number


def mixed_rows(elsewhere_id: str) -> tuple[list[list[str]], dict[str, int]]:
    head, spouse = person(11), person(12, gender="female", birth=date(1972, 8, 9))
    bad_check = person(13)[:17] + ("0" if person(13)[17] != "0" else "1")
    rows = [
        row(id_number=head, notes="需定期探访"),  # 2 good
        row(name="刘芳", gender="女", birth="1972-08-09", id_number=spouse, relation="配偶", phone="13900000002"),
        row(name="错位", id_number=bad_check, relation="子女"),  # 4 check digit
        row(name="生日错", birth="1970-05-07", id_number=person(14), relation="子女"),  # 5 birth date
        row(name="性别错", gender="女", id_number=person(15), relation="子女"),  # 6 gender
        row(room="1-102", name="", id_number=person(16)),  # 7 missing name
        row(building=UNKNOWN, room="1-103", id_number=person(17)),  # 8 unknown building
        row(building=OTHER_COMMUNITY, room="1-104", id_number=person(18)),  # 9 outside the scope
        row(room="1-105", name="重号", id_number=head),  # 10 duplicate in the file
        row(room="1-106", name="赵敏", gender="女", birth="1980-01-02", id_number=elsewhere_id),  # 11 elsewhere
        row(building=NEW_BUILDING, building_name="7号楼", room="3-301", id_number=person(19), residence_type="流动"),
    ]
    expected_lines = {"check": 4, "birth": 5, "gender": 6, "name": 7, "unknown": 8, "scope": 9, "dup": 10, "else": 11}
    return rows, expected_lines


def test_good_rows_land_and_every_bad_row_is_in_the_error_file(actors, elsewhere, tmp_path):
    rows, lines = mixed_rows(elsewhere)
    source = write_csv(tmp_path / "pool.csv", rows)
    result = residents_import(actor=actors["community_worker"], path=source, error_path=tmp_path / "pool.errors.csv")

    assert (result.rows, result.created, result.updated, result.unchanged, result.rejected) == (11, 3, 0, 0, 8)
    assert result.buildings_created == 1 and result.households_created == 2
    household = Household.objects.get(building__code=B1, room="1-101")
    members = {r.name: r for r in Resident.objects.filter(household=household)}
    assert set(members) == {"王强", "刘芳"}
    assert household.head_id == members["王强"].pk and household.residence_type == "registered"
    assert members["刘芳"].relation == "spouse" and members["刘芳"].gender == "female"
    assert ResidenceChange.objects.filter(household=household, kind="move_in").count() == 2
    created = Household.objects.get(building__code=NEW_BUILDING)
    assert created.building.name == "7号楼" and created.residence_type == "floating"
    assert not Household.objects.filter(room__in=["1-102", "1-103", "1-104", "1-105", "1-106"]).exists()

    errors = read_error_csv(result.error_file)
    assert result.error_file == tmp_path / "pool.errors.csv"
    assert list(errors[0]) == [*HEADER, "行号", "原因"]
    by_line = {int(e["行号"]): e["原因"] for e in errors}
    assert sorted(by_line) == sorted(lines.values())
    assert "校验位错误" in by_line[lines["check"]] and "check digit" in by_line[lines["check"]]
    assert "出生日期与身份证号不一致" in by_line[lines["birth"]]
    assert "性别与身份证号不一致" in by_line[lines["gender"]]
    assert "姓名必填" in by_line[lines["name"]]
    assert "楼院不存在或不在您的管辖范围内" in by_line[lines["unknown"]]
    assert "楼院不存在或不在您的管辖范围内" in by_line[lines["scope"]]
    assert "与第 2 行重复" in by_line[lines["dup"]]
    assert "已在其他住户登记" in by_line[lines["else"]] and "(" in by_line[lines["else"]]
    # the rejected row keeps its original cells, so it can be fixed in place
    assert errors[0]["身份证号"] == rows[lines["check"] - 2][8]


def test_reimporting_the_same_file_changes_nothing(actors, elsewhere, tmp_path):
    rows, _ = mixed_rows(elsewhere)
    source = write_csv(tmp_path / "pool.csv", rows)
    residents_import(actor=actors["community_worker"], path=source)
    before = list(Resident.objects.order_by("pk").values_list("pk", "updated_at", "id_number_sealed", "phone_sealed"))
    counts = (Household.objects.count(), ResidenceChange.objects.count())

    again = residents_import(actor=actors["community_worker"], path=source, error_path=tmp_path / "again.csv")

    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 8)
    assert again.buildings_created == 0 and again.households_created == 0
    after = list(Resident.objects.order_by("pk").values_list("pk", "updated_at", "id_number_sealed", "phone_sealed"))
    assert after == before
    assert (Household.objects.count(), ResidenceChange.objects.count()) == counts


def test_a_changed_row_updates_the_resident_in_place(actors, tmp_path):
    head = person(21)
    residents_import(actor=actors["community_worker"], path=write_csv(tmp_path / "a.csv", [row(id_number=head)]))
    changed = write_csv(tmp_path / "b.csv", [row(id_number=head, phone="13911112222", party="是", notes="新备注")])

    result = residents_import(actor=actors["community_worker"], path=changed)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    resident = Resident.objects.get()
    assert resident.phone_masked == "139****2222" and resident.party_member is True
    assert ResidenceChange.objects.count() == 1


def test_fixing_a_row_in_the_error_file_lands_it_once(actors, elsewhere, tmp_path):
    rows, lines = mixed_rows(elsewhere)
    result = residents_import(
        actor=actors["community_worker"], path=write_csv(tmp_path / "pool.csv", rows), error_path=tmp_path / "e.csv"
    )
    errors = read_error_csv(result.error_file)
    fixed = [e for e in errors if e["行号"] == str(lines["name"])]
    fixed[0]["姓名"] = "孙立"
    fixed_path = tmp_path / "fixed.csv"
    with fixed_path.open("w", encoding="utf-8-sig", newline="") as handle:  # as Excel saves it, 行号/原因 kept
        writer = csv.DictWriter(handle, fieldnames=list(errors[0]))
        writer.writeheader()
        writer.writerows(fixed)

    first = residents_import(actor=actors["community_worker"], path=fixed_path)
    second = residents_import(actor=actors["community_worker"], path=fixed_path)

    assert (first.created, first.rejected, second.created, second.unchanged) == (1, 0, 0, 1)
    assert Resident.objects.filter(name="孙立", household__room="1-102").count() == 1


def test_no_plaintext_id_numbers_or_phones_in_the_database(actors, elsewhere, tmp_path):
    rows, _ = mixed_rows(elsewhere)
    residents_import(actor=actors["community_worker"], path=write_csv(tmp_path / "pool.csv", rows))
    secrets = {r[8] for r in rows if r[8]} | {r[9] for r in rows if r[9]} | {"需定期探访"}
    assert Resident.objects.count() == 4
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names)
            dump.extend(str(value) for record in cursor.fetchall() for value in record)
    text = "\n".join(dump)
    assert "13900000001" not in text and "需定期探访" not in text
    assert [s for s in secrets if s in text] == []
    assert "139****0001" in text  # the masks are there, so the dump did read the residents


def test_a_crash_leaves_no_half_household(actors, tmp_path, monkeypatch):
    rows = [
        row(room="1-101", id_number=person(31)),
        row(room="1-101", name="刘芳", gender="女", id_number=person(32, gender="female"), relation="配偶"),
        row(room="1-102", name="陈刚", id_number=person(33)),
        row(room="1-102", name="陈红", gender="女", id_number=person(34, gender="female"), relation="子女"),
    ]
    real_insert = imports._insert
    calls = {"residents": 0}

    def failing_insert(model, values, **kwargs):
        if model is Resident:
            calls["residents"] += 1
            if calls["residents"] == 2:  # the second household: its Household row is already inserted
                raise RuntimeError("disk full")
        return real_insert(model, values, **kwargs)

    monkeypatch.setattr(imports, "_insert", failing_insert)
    with pytest.raises(RuntimeError):
        residents_import(actor=actors["community_worker"], path=write_csv(tmp_path / "p.csv", rows), batch_rows=1)

    assert list(Household.objects.values_list("room", flat=True)) == ["1-101"]
    assert Resident.objects.count() == 2 and ResidenceChange.objects.count() == 2
    assert set(Resident.objects.values_list("household__room", flat=True)) == {"1-101"}


def test_households_spread_over_the_file_are_written_whole(actors, tmp_path):
    rows = [
        row(room="1-101", id_number=person(41)),
        row(room="1-102", name="陈刚", id_number=person(42)),
        row(
            room="1-101", name="王小", id_number=person(43, birth=date(2001, 1, 1)), birth="2001-01-01", relation="子女"
        ),
    ]
    result = residents_import(actor=actors["community_worker"], path=write_csv(tmp_path / "p.csv", rows), batch_rows=1)
    assert result.created == 3
    assert Resident.objects.filter(household__room="1-101").count() == 2


def test_second_head_in_a_household_is_refused(actors, tmp_path):
    rows = [row(id_number=person(51)), row(name="李四", id_number=person(52))]
    result = residents_import(
        actor=actors["community_worker"], path=write_csv(tmp_path / "p.csv", rows), error_path=tmp_path / "e.csv"
    )
    assert (result.created, result.rejected) == (1, 1)
    assert "已有户主" in read_error_csv(result.error_file)[0]["原因"]


def test_gb18030_csv_and_english_headers_and_disability_consent(actors, tmp_path):
    path = tmp_path / "gbk.csv"
    keys = [c.key for c in COLUMNS]
    values = dict(zip(HEADER, row(id_number=person(61), disability="二级", consent="书面"), strict=True))
    zh_for_key = {c.key: c.zh for c in COLUMNS}
    with path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(keys)
        writer.writerow([values[zh_for_key[k]] for k in keys])
    result = residents_import(actor=actors["community_worker"], path=path)
    assert result.created == 1
    resident = Resident.objects.get()
    assert resident.name == "王强" and resident.disability == "2"
    assert Consent.objects.get(resident=resident).method == "written"


def test_disability_without_consent_is_rejected(actors, tmp_path):
    rows = [row(id_number=person(62), disability="1")]
    result = residents_import(actor=actors["community_worker"], path=write_csv(tmp_path / "p.csv", rows))
    assert (result.created, result.rejected) == (0, 1)


def test_dry_run_writes_nothing(actors, elsewhere, tmp_path):
    rows, _ = mixed_rows(elsewhere)
    before = Resident.objects.count()
    result = residents_import(actor=actors["community_worker"], path=write_csv(tmp_path / "p.csv", rows), dry_run=True)
    assert (result.created, result.rejected, result.buildings_created) == (3, 8, 1)
    assert Resident.objects.count() == before and not Household.objects.filter(building__code=NEW_BUILDING).exists()


def test_import_needs_the_permission(actors, tmp_path):
    from linli.core.errors import DomainError

    with pytest.raises(DomainError) as caught:
        residents_import(actor=actors["grid_worker"], path=write_csv(tmp_path / "p.csv", [row(id_number=person(1))]))
    assert caught.value.code == "permission_denied" and not Resident.objects.exists()


def _write_xlsx(path: Path, rows: list[list]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADER)
    for line, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            if isinstance(value, date):
                sheet.write_datetime(line, col, value, date_format)
            else:
                sheet.write_string(line, col, value)
    book.close()
    return path


def test_xlsx_round_trip(actors, tmp_path):
    good = row(id_number=person(71))
    good[6] = date(1970, 5, 6)  # a real Excel date cell
    bad = row(room="1-102", name="", id_number=person(72))
    source = _write_xlsx(tmp_path / "pool.xlsx", [good, bad])

    result = residents_import(actor=actors["community_worker"], path=source, error_path=tmp_path / "pool.errors.xlsx")

    assert (result.created, result.rejected) == (1, 1)
    assert Resident.objects.get().birth_date == date(1970, 5, 6)
    sheet = CalamineWorkbook.from_path(str(result.error_file)).get_sheet_by_index(0).to_python()
    assert sheet[0] == [*HEADER, "行号", "原因"]
    assert sheet[1][8] == person(72) and sheet[1][-2] == "3" and "姓名必填" in sheet[1][-1]
    sheet_row = sheet[1]
    sheet_row[4] = "孙立"
    fixed = _write_xlsx(tmp_path / "fixed.xlsx", [[str(v) for v in sheet_row[: len(HEADER)]]])
    assert residents_import(actor=actors["community_worker"], path=fixed).created == 1


def test_the_template_imports_as_documented(actors, tmp_path):
    path = tmp_path / "template.xlsx"
    path.write_bytes(template_xlsx())
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["居民", "填写说明"]
    assert book.get_sheet_by_index(0).to_python()[0] == [c.zh for c in COLUMNS]
    result = residents_import(actor=actors["community_worker"], path=path)
    assert (result.created, result.rejected) == (2, 0)
    head = Household.objects.get(room="2-1103").head
    assert head.name == "张伟" and head.party_member


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("pool.txt", b"a,b\n", "CSV 或 XLSX"),
        ("pool.csv", b"", "文件为空"),
        ("pool.csv", "姓名,性别\n张三,男\n".encode(), "缺少必填列：楼院编码、房号"),
        ("pool.xlsx", b"not a workbook", "无法读取文件"),
    ],
)
def test_bad_files_are_explained(actors, tmp_path, name, content, message):
    from linli.core.errors import DomainError

    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DomainError) as caught:
        residents_import(actor=actors["community_worker"], path=path)
    assert message in caught.value.fields[0].message.zh


def test_command_imports_with_city_scope_or_as_an_account(actors, tmp_path, capsys):
    rows = [row(id_number=person(81)), row(building=OTHER_COMMUNITY, room="9-9", id_number=person(82))]
    source = write_csv(tmp_path / "p.csv", rows)
    call_command("import_residents", str(source), "--as", "community_worker", "--quiet")
    out = capsys.readouterr().out
    assert "新增 1 (created)" in out and "拒绝 1 (rejected)" in out
    assert (tmp_path / "p.errors.csv").exists()

    call_command("import_residents", str(source), "--dry-run")
    out = capsys.readouterr()
    assert "新增 1 (created)" in out.out and "未变 1 (unchanged)" in out.out and "2/2" in out.err
    call_command("import_residents", str(source), "--quiet")
    assert Resident.objects.filter(household__building__code=OTHER_COMMUNITY).count() == 1


# --- the web upload ---------------------------------------------------------------------------


def test_upload_runs_the_job_and_offers_the_error_file(
    client, people, elsewhere, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    rows, _lines = mixed_rows(elsewhere)
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    log_in(client, "community_worker")

    page = client.get("/staff/residents/import/")
    assert page.status_code == 200 and "楼院编码" in page.content.decode()

    upload = io.BytesIO(buffer.getvalue().encode())
    upload.name = "名册.csv"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/staff/residents/import/", {"file": upload})
    assert response.status_code == 302 and len(callbacks) == 1

    job = ImportJob.objects.get()
    assert job.status == "done" and (job.rows_done, job.created, job.rejected) == (11, 3, 8)
    assert (tmp_path / "media" / job.stored_path).exists()
    status = client.get(f"/staff/residents/import/jobs/{job.public_id}/")
    body = status.content.decode()
    assert status.status_code == 200 and "hx-trigger" not in body  # finished: polling stops
    download = client.get(f"/staff/residents/import/jobs/{job.public_id}/errors/")
    assert download.status_code == 200
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert text.count("\n") == 9 and "行号" in text

    # someone else's job is not found
    client.logout()
    log_in(client, "other_community_worker")
    assert client.get(f"/staff/residents/import/jobs/{job.public_id}/errors/").status_code == 404


def test_bad_upload_is_answered_on_the_form(client, people, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    log_in(client, "community_worker")
    upload = io.BytesIO("姓名\n张三\n".encode())
    upload.name = "x.csv"
    response = client.post("/staff/residents/import/", {"file": upload})
    assert response.status_code == 400
    assert "缺少必填列" in response.content.decode() and not ImportJob.objects.exists()
    upload = io.BytesIO(b"hello")
    upload.name = "x.docx"
    response = client.post("/staff/residents/import/", {"file": upload})
    assert response.status_code == 400 and "CSV" in response.content.decode()


def test_import_page_needs_the_permission_and_template_downloads(client, people):
    log_in(client, "grid_worker")
    assert client.get("/staff/residents/import/").status_code == 404
    client.logout()
    log_in(client, "community_worker")
    response = client.get("/staff/residents/import/template.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_a_job_runs_once(actors, people, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "imports").mkdir()
    source = write_csv(tmp_path / "imports" / "j.csv", [row(id_number=person(91))])
    job = ImportJob.objects.create(owner=people["community_worker"], file_name="j.csv", stored_path="imports/j.csv")
    assert source.exists()
    assert import_job_run(job_id=job.pk).created == 1
    assert import_job_run(job_id=job.pk).created == 1  # already done: left alone
    assert Resident.objects.count() == 1


def test_a_running_job_is_polled_every_two_seconds(client, people):
    job = ImportJob.objects.create(
        owner=people["community_worker"], file_name="大表.xlsx", stored_path="imports/x.xlsx", status="running",
        rows_total=1000, rows_done=250,
    )  # fmt: skip
    log_in(client, "community_worker")
    body = client.get(f"/staff/residents/import/jobs/{job.public_id}/").content.decode()
    assert 'hx-trigger="every 2s"' in body and "250 / 1000" in body
    page = client.get("/staff/residents/import/").content.decode()
    assert "大表.xlsx" in page and 'hx-trigger="every 2s"' in page
