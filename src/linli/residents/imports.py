"""Importing residents from a spreadsheet (CSV or XLSX): the template, row parsing and validation,
the bulk writer, the error file and the background import jobs.

One service, `residents_import`, serves the command line, the web upload (through a task) and the
benchmark. Rows are validated in Python (the same `resident_input_problems` as a form), then
written in batches of whole households, each batch in one transaction: a crash leaves no half
household. Residents are upserted by the ID number's blind index, so importing the same file
twice changes nothing. On PostgreSQL the rows go in with COPY (ids drawn from the sequences
first); elsewhere with `bulk_create`. Every rejected row is written to an error file with the
same columns plus 行号 (line) and 原因 (reason), ready to be fixed and imported again.
"""

from __future__ import annotations

import codecs
import csv
import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from linli.accounts.domain import RESIDENTS_IMPORT
from linli.accounts.selectors import actor_for_user
from linli.areas.selectors import building_list, grid_list
from linli.areas.services import building_create
from linli.core.actor import Actor
from linli.core.crypto import blind_index, unseal
from linli.core.errors import DomainError, FieldError, Msg, not_found, permission_denied, validation_failed
from linli.core.ids import uuid7
from linli.core.services import audit_record
from linli.residents.domain import (
    ConsentMethod,
    ConsentScope,
    Disability,
    Education,
    Employment,
    Gender,
    MoveKind,
    Relation,
    ResidenceType,
    ResidentStatus,
    id_number_normalise,
)
from linli.residents.models import Consent, Household, ImportJob, ResidenceChange, Resident
from linli.residents.services import (
    ResidentInput,
    resident_input_problems,
    resident_plain_values,
    resident_stored_values,
)

# --- the template ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool
    help_zh: str
    help_en: str


COLUMNS: tuple[Column, ...] = (
    Column("building_code", "楼院编码", "Building code", True, "18 位：网格编码 + 3 位", "18 digits: grid code + 3"),
    Column(
        "building_name",
        "楼院名称",
        "Building name",
        False,
        "楼院不存在但其网格存在时，以此名称新建楼院",
        "Names the building when it is created (its grid must exist)",
    ),
    Column("room", "房号", "Room", True, "如 2-1103，最多 20 个字符", "e.g. 2-1103, at most 20 characters"),
    Column("residence_type", "居住类型", "Residence type", True, "户籍 / 常住 / 流动", "registered/permanent/floating"),
    Column("name", "姓名", "Name", True, "最多 50 个字符", "at most 50 characters"),
    Column("gender", "性别", "Gender", True, "男 / 女，须与身份证号一致", "男/女 (male/female), as in the ID number"),
    Column(
        "birth_date",
        "出生日期",
        "Birth date",
        True,
        "YYYY-MM-DD 或 Excel 日期，须与身份证号一致",
        "YYYY-MM-DD or an Excel date, as in the ID number",
    ),
    Column("ethnicity", "民族", "Ethnicity", False, "如 汉族", "e.g. 汉族"),
    Column(
        "id_number", "身份证号", "ID number", True, "18 位公民身份号码（文本格式）", "18-character citizen ID, as text"
    ),
    Column("phone", "联系电话", "Phone", False, "7–12 位数字", "7–12 digits"),
    Column(
        "relation",
        "与户主关系",
        "Relation to head",
        True,
        "本人 / 配偶 / 子女 / 父母 / 孙子女 / 祖父母 / 兄弟姐妹 / 其他；户主填「本人」",
        "self/spouse/child/parent/grandchild/grandparent/sibling/other; the head is 本人 (self)",
    ),
    Column("party_member", "党员", "Party member", False, "是 / 否", "是/否 (yes/no)"),
    Column(
        "education",
        "文化程度",
        "Education",
        False,
        "未上学 / 小学 / 初中 / 高中 / 中专 / 大专 / 本科 / 研究生",
        "none/primary/junior/senior/vocational/college/bachelor/postgraduate",
    ),
    Column(
        "employment",
        "就业状况",
        "Employment",
        False,
        "在业 / 失业 / 离退休 / 在校学生 / 学龄前 / 其他",
        "employed/unemployed/retired/student/preschool/other",
    ),
    Column("disability", "残疾等级", "Disability level", False, "一级–四级（或 1–4），无则留空", "1–4, empty for none"),
    Column(
        "sensitive_consent",
        "残疾信息同意方式",
        "Consent to disability data",
        False,
        "填写残疾等级时必填：书面 / 电子 / 口头见证",
        "required with a disability level: written/electronic/oral_witnessed",
    ),
    Column("notes", "备注", "Notes", False, "最多 2000 个字符，加密保存", "at most 2,000 characters, stored encrypted"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED = tuple(c.key for c in COLUMNS if c.required)
LINE_HEADER, REASON_HEADER = "行号", "原因"
EXAMPLE_ROWS = (
    {
        "building_code": "210102001002001001",
        "building_name": "1号楼",
        "room": "2-1103",
        "residence_type": "户籍",
        "name": "张伟",
        "gender": "男",
        "birth_date": "1965-03-08",
        "ethnicity": "汉族",
        "id_number": "210102196503083018",
        "phone": "13812345678",
        "relation": "本人",
        "party_member": "是",
        "education": "高中",
        "employment": "离退休",
    },
    {
        "building_code": "210102001002001001",
        "building_name": "1号楼",
        "room": "2-1103",
        "residence_type": "户籍",
        "name": "李秀英",
        "gender": "女",
        "birth_date": "1967-11-20",
        "ethnicity": "满族",
        "id_number": "210102196711203029",
        "relation": "配偶",
        "party_member": "否",
        "education": "初中",
        "employment": "离退休",
        "notes": "行动不便，走访时请敲门后稍候",
    },
)


def _labels(choices, extra: dict[str, str]) -> dict[str, str]:
    mapping = {str(v).lower(): str(v) for v in choices.values}
    mapping.update(extra)
    return mapping


RESIDENCE_LABELS = _labels(ResidenceType, {"户籍": "registered", "常住": "permanent", "流动": "floating"})
GENDER_LABELS = _labels(Gender, {"男": "male", "女": "female"})
RELATION_LABELS = _labels(
    Relation,
    {
        "本人": "self",
        "户主": "self",
        "配偶": "spouse",
        "子女": "child",
        "子": "child",
        "女": "child",
        "父母": "parent",
        "父亲": "parent",
        "母亲": "parent",
        "孙子女": "grandchild",
        "祖父母": "grandparent",
        "兄弟姐妹": "sibling",
        "其他": "other",
    },
)
EDUCATION_LABELS = _labels(
    Education,
    {
        "未上学": "none",
        "文盲": "none",
        "学前": "none",
        "小学": "primary",
        "初中": "junior",
        "高中": "senior",
        "中专": "vocational",
        "职高": "vocational",
        "技校": "vocational",
        "大专": "college",
        "本科": "bachelor",
        "大学本科": "bachelor",
        "研究生": "postgraduate",
        "硕士": "postgraduate",
        "博士": "postgraduate",
    },
)
EMPLOYMENT_LABELS = _labels(
    Employment,
    {
        "在业": "employed",
        "就业": "employed",
        "失业": "unemployed",
        "无业": "unemployed",
        "离退休": "retired",
        "退休": "retired",
        "在校学生": "student",
        "学生": "student",
        "学龄前": "preschool",
        "其他": "other",
    },
)
DISABILITY_LABELS = _labels(
    Disability,
    {"无": "", "一级": "1", "二级": "2", "三级": "3", "四级": "4", "一": "1", "二": "2", "三": "3", "四": "4"},
)
CONSENT_LABELS = _labels(
    ConsentMethod, {"书面": "written", "电子": "electronic", "口头见证": "oral_witnessed", "口头": "oral_witnessed"}
)
PARTY_LABELS = {"是": True, "否": False, "yes": True, "no": False, "true": True, "false": False, "1": True, "0": False}
EXCEL_EPOCH = date(1899, 12, 30)


# --- reading a table --------------------------------------------------------------------------


def _cell_text(value) -> str:
    """Every cell as text: dates in ISO form, integral numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value).strip()


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as such, else GB18030."""
    with path.open("rb") as handle:
        if handle.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8"


def _bad_file(zh: str, en: str) -> DomainError:
    return validation_failed([FieldError("file", Msg(zh, en))])


class Table:
    """A CSV or XLSX file read as a header and rows of text, which can be read more than once."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.format = self.path.suffix.lower().lstrip(".")
        if self.format not in ("csv", "xlsx"):
            raise _bad_file("文件应为 CSV 或 XLSX 格式", "The file must be a CSV or XLSX file")
        if not self.path.exists() or self.path.stat().st_size == 0:
            raise _bad_file("文件为空", "The file is empty")
        self.encoding = _csv_encoding(self.path) if self.format == "csv" else ""
        try:
            header = next(iter(self._raw_rows()), None)
        except Exception as exc:  # a corrupt workbook or an undecodable CSV: tell the user, never a 500
            raise _bad_file("无法读取文件，请另存为 CSV 或 XLSX 后重试", "The file cannot be read") from exc
        if not header or not any(header):
            raise _bad_file("文件为空或缺少表头行", "The file is empty or has no header row")
        self.header = header
        self.keys = [_header_key(h) for h in header]
        missing = [COLUMN_BY_KEY[k] for k in REQUIRED if k not in self.keys]
        if missing:
            raise _bad_file(
                "缺少必填列：" + "、".join(c.zh for c in missing),
                "Missing required columns: " + ", ".join(c.en for c in missing),
            )

    def _raw_rows(self) -> Iterator[list[str]]:
        if self.format == "csv":
            with self.path.open(encoding=self.encoding, newline="") as handle:
                for row in csv.reader(handle):
                    yield [cell.strip() for cell in row]
        else:
            from python_calamine import CalamineWorkbook

            workbook = CalamineWorkbook.from_path(str(self.path))
            try:
                for row in workbook.get_sheet_by_index(0).iter_rows():
                    yield [_cell_text(cell) for cell in row]
            finally:
                workbook.close()

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line number as the spreadsheet shows it, cells) of every non-empty data row."""
        rows = self._raw_rows()
        next(rows, None)
        width = len(self.header)
        for line, row in enumerate(rows, start=2):
            if any(row):
                yield line, (row + [""] * (width - len(row)))[:width] if len(row) != width else row


def _header_key(text: str) -> str:
    text = text.strip().lstrip("\ufeff").strip("*").strip()
    for column in COLUMNS:
        if text in (column.zh, column.key, column.en) or text.lower() in (column.key, column.en.lower()):
            return column.key
    return text


# --- parsing one row --------------------------------------------------------------------------


@dataclass
class Row:
    line: int
    cells: list[str]
    building_code: str
    room: str
    residence_type: str
    data: ResidentInput
    building_name: str = ""
    id_index: str = ""
    reasons: list[tuple[str, Msg]] = field(default_factory=list)


def _parse_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    if text.isdigit() and len(text) <= 5:  # an Excel serial day number
        return EXCEL_EPOCH + timedelta(days=int(text))
    if len(text) == 10 and text[4] == "-":  # the template's own format, parsed in C
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _choice(reasons: list, key: str, text: str, labels: dict[str, str], zh: str, en: str, default: str = "") -> str:
    if not text:
        return default
    value = labels.get(text.lower())
    if value is None:
        reasons.append((key, Msg(f"无法识别的{zh}「{text}」", f"unknown {en} {text!r}")))
        return default
    return value


def parse_row(line: int, cells: list[str], keys: list[str]) -> Row:
    """One row as text → a Row with typed values and the reasons it cannot be stored (if any)."""
    values = dict(zip(keys, cells, strict=True))
    get = values.get
    reasons: list[tuple[str, Msg]] = []
    building_code = get("building_code", "")
    if len(building_code) != 18 or not building_code.isdigit():
        reasons.append(("building_code", Msg("楼院编码应为 18 位数字", "building code must be 18 digits")))
    room = get("room", "")
    if not room or len(room) > 20:
        reasons.append(("room", Msg("房号必填，最多 20 个字符", "room is required, at most 20 characters")))
    residence_type = _choice(
        reasons, "residence_type", get("residence_type", ""), RESIDENCE_LABELS, "居住类型", "residence type"
    )
    if not residence_type and not any(k == "residence_type" for k, _ in reasons):
        reasons.append(("residence_type", Msg("居住类型必填", "residence type is required")))
    gender_text = get("gender", "")
    gender = _choice(reasons, "gender", gender_text, GENDER_LABELS, "性别", "gender", default=gender_text)
    birth_text = get("birth_date", "")
    birth = _parse_date(birth_text)
    if birth_text and birth is None:
        reasons.append(("birth_date", Msg("出生日期格式应为 YYYY-MM-DD", "birth date must be YYYY-MM-DD")))
    relation_text = get("relation", "")
    relation = _choice(reasons, "relation", relation_text, RELATION_LABELS, "与户主关系", "relation", default="?")
    if not relation_text:
        reasons.append(("relation", Msg("与户主关系必填", "relation to the head is required")))
    party_text = get("party_member", "")
    party = PARTY_LABELS.get(party_text.lower()) if party_text else False
    if party is None:
        reasons.append(("party_member", Msg("党员应填 是 或 否", "party member must be 是 or 否 (yes/no)")))
    data = ResidentInput(
        name=get("name", ""),
        gender=gender,
        birth_date=birth,
        id_number=get("id_number", ""),
        phone=get("phone", ""),
        ethnicity=get("ethnicity", ""),
        relation=relation,
        party_member=bool(party),
        education=_choice(reasons, "education", get("education", ""), EDUCATION_LABELS, "文化程度", "education"),
        employment=_choice(reasons, "employment", get("employment", ""), EMPLOYMENT_LABELS, "就业状况", "employment"),
        disability=_choice(reasons, "disability", get("disability", ""), DISABILITY_LABELS, "残疾等级", "disability"),
        notes=get("notes", ""),
        sensitive_consent=_choice(
            reasons, "sensitive_consent", get("sensitive_consent", ""), CONSENT_LABELS, "同意方式", "consent method"
        ),
    )
    if len(data.ethnicity) > 20:
        reasons.append(("ethnicity", Msg("民族最多 20 个字符", "ethnicity is at most 20 characters")))
    already = {k for k, _ in reasons}
    for problem in resident_input_problems(data):
        if problem.field not in already:
            reasons.append((problem.field, problem.message))
    row = Row(line, cells, building_code, room, residence_type, data, get("building_name", ""), reasons=reasons)
    if not reasons:
        data.id_number = id_number_normalise(data.id_number)
        data.phone = data.phone.replace("-", "").replace(" ", "")
        row.id_index = blind_index(data.id_number, context="resident.id_number")
    return row


def reason_text(reasons: list[tuple[str, Msg]]) -> str:
    """「身份证号：校验位错误；…」 (ID number: check digit is wrong; …)."""
    zh = "；".join(f"{_label(k, 'zh')}：{m.zh}" if k else m.zh for k, m in reasons)
    en = "; ".join(f"{_label(k, 'en')}: {m.en}" if k else m.en for k, m in reasons)
    return f"{zh} ({en})"


def _label(key: str, language: str) -> str:
    column = COLUMN_BY_KEY.get(key)
    if column is None:
        return key
    return column.zh if language == "zh" else column.en


# --- the error file ---------------------------------------------------------------------------


class ErrorFile:
    """The rejected rows with the input's columns plus 行号 and 原因, in the input's format.
    Opened on the first rejected row, so a clean import leaves no file behind."""

    def __init__(self, path: Path | None, header: list[str], file_format: str):
        self.path = Path(path) if path else None
        self.header = [*header, LINE_HEADER, REASON_HEADER]
        self.format = file_format
        self.count = 0
        self._handle = self._writer = self._book = self._sheet = None

    def add(self, row: Row | tuple[int, list[str]], reasons: list[tuple[str, Msg]] | None = None) -> None:
        line, cells = (row.line, row.cells) if isinstance(row, Row) else row
        reasons = reasons if reasons is not None else row.reasons  # type: ignore[union-attr]
        self.count += 1
        if self.path is None:
            return
        if self.count == 1:
            self._open()
        values = [*cells, str(line), reason_text(reasons)]
        if self.format == "csv":
            self._writer.writerow(values)
        else:
            self._sheet.write_row(self.count, 0, values)

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.format == "csv":
            # UTF-8 with BOM: Excel on Windows opens it without garbling the Chinese
            self._handle = self.path.open("w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(self.header)
        else:
            import xlsxwriter

            self._book = xlsxwriter.Workbook(str(self.path), {"constant_memory": True, "strings_to_numbers": False})
            self._sheet = self._book.add_worksheet("错误行")
            self._sheet.write_row(0, 0, self.header)

    def close(self) -> Path | None:
        if self._handle:
            self._handle.close()
        if self._book:
            self._book.close()
        return self.path if self.count and self.path else None


# --- the import -------------------------------------------------------------------------------


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    households_created: int = 0
    buildings_created: int = 0
    dry_run: bool = False
    error_file: Path | None = None


Progress = Callable[[int, int], None]
NOT_SCOPED = Msg("楼院不存在或不在您的管辖范围内", "building not found in your area")
ACTIVE_ELSEWHERE = Msg("此身份证号已在其他住户登记（在住）", "this ID number is already active in another household")


def _household_key(cells: list[str], positions: tuple[int, int]) -> tuple[str, str]:
    return cells[positions[0]], cells[positions[1]]


def residents_import(
    *,
    actor: Actor,
    path: Path | str,
    error_path: Path | str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    batch_rows: int = 5000,
    source: str = "",
) -> ImportResult:
    """Import a CSV or XLSX file of residents (see `COLUMNS` and docs/residents-import.md).

    Two passes: the first finds each household's last line, the second parses and validates rows
    and hands whole households to the writer in batches of about `batch_rows` rows, one
    transaction per batch. Rows of a household may be spread over the file."""
    if not actor.has_perm(RESIDENTS_IMPORT):
        raise permission_denied()
    table = Table(Path(path))
    positions = (table.keys.index("building_code"), table.keys.index("room"))
    last_line: dict[tuple[str, str], int] = {}
    total = 0
    for line, cells in table.rows():
        last_line[_household_key(cells, positions)] = line
        total += 1
    result = ImportResult(rows=total, dry_run=dry_run)
    errors = ErrorFile(error_path, table.header, table.format)
    writer = _Writer(actor, result, errors, dry_run)
    seen: dict[str, int] = {}
    pending: dict[tuple[str, str], list[Row]] = {}
    ready: list[list[Row]] = []
    ready_rows = done = 0
    try:
        for line, cells in table.rows():
            row = parse_row(line, cells, table.keys)
            key = _household_key(cells, positions)
            if not row.reasons:
                first = seen.setdefault(row.id_index, line)
                if first != line:
                    row.reasons.append(
                        ("id_number", Msg(f"身份证号与第 {first} 行重复", f"ID number repeats line {first}"))
                    )
            if row.reasons:
                errors.add(row)
                result.rejected += 1
                done += 1
            else:
                pending.setdefault(key, []).append(row)
            if last_line.get(key) == line and key in pending:
                group = pending.pop(key)
                ready.append(group)
                ready_rows += len(group)
            if ready_rows >= batch_rows:
                writer.write(ready)
                done += ready_rows
                ready, ready_rows = [], 0
                if progress:
                    progress(done, total)
        ready.extend(pending.values())
        writer.write(ready)
        if progress:
            progress(total, total)
    finally:
        result.error_file = errors.close()
    if not dry_run:
        audit_record(
            actor=actor,
            action="resident.import",
            object_type="import",
            object_id=source or Path(path).name,
            reason="",
            details={
                "file": Path(path).name,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "rejected": result.rejected,
            },
        )
    return result


# Fields compared to decide "unchanged"; the sealed ones through their blind index or plaintext.
COMPARED = ("name", "gender", "birth_date", "ethnicity", "relation", "is_head", "party_member", "education")
COMPARED += ("employment", "disability")
UPDATED_FIELDS = [
    *COMPARED,
    "id_number_sealed",
    "id_number_index",
    "id_number_masked",
    "phone_sealed",
    "phone_index",
    "phone_masked",
    "notes_sealed",
    "updated_at",
]


class _Writer:
    """Decides create / update / unchanged / reject for a batch of whole households and writes
    it in one transaction."""

    def __init__(self, actor: Actor, result: ImportResult, errors: ErrorFile, dry_run: bool):
        self.actor = actor
        self.result = result
        self.errors = errors
        self.dry_run = dry_run
        self.buildings: dict[str, tuple[int, str] | None] = {}
        self.fake_ids = -1

    def reject(self, row: Row, message: Msg, field_name: str = "") -> None:
        self.errors.add(row, [(field_name, message)])
        self.result.rejected += 1

    def write(self, groups: list[list[Row]]) -> None:
        if not groups:
            return
        self._resolve_buildings({r.building_code: r.building_name for g in groups for r in g})
        try:
            self._write(groups)
        except IntegrityError:
            if len(groups) == 1:
                for row in groups[0]:
                    self.reject(row, Msg("与同时进行的登记冲突，请重新导入此行", "conflicted with a concurrent change"))
                return
            for group in groups:  # someone registered one of these people meanwhile: go one by one
                self.write([group])

    def _resolve_buildings(self, names: dict[str, str]) -> None:
        missing = [code for code in names if code not in self.buildings]
        if not missing:
            return
        found = building_list(actor=self.actor).filter(code__in=missing).values_list("code", "pk", "path")
        for code, pk, path in found:
            self.buildings[code] = (pk, path)
        absent = [code for code in missing if code not in self.buildings]
        grids = {
            g.code: g for g in grid_list(actor=self.actor).filter(code__in={code[:15] for code in absent}) if absent
        }
        for code in absent:
            grid = grids.get(code[:15])
            if grid is None:
                self.buildings[code] = None
            elif self.dry_run:
                self.buildings[code] = (self.fake_ids, code)
                self.fake_ids -= 1
                self.result.buildings_created += 1
            else:
                self.buildings[code] = (_building_create(self.actor, grid, code, names[code]), code)
                self.result.buildings_created += 1

    def _write(self, groups: list[list[Row]]) -> None:
        rows = [r for g in groups for r in g]
        existing = {
            r["id_number_index"]: r
            for r in Resident.objects.filter(
                id_number_index__in=[r.id_index for r in rows], status=ResidentStatus.ACTIVE
            ).values("pk", "household_id", "id_number_index", "notes_sealed", "phone_index", *COMPARED)
        }
        building_ids = {b[0] for code in {r.building_code for r in rows} if (b := self.buildings.get(code))}
        households = {
            (h["building_id"], h["room"]): h
            for h in Household.objects.filter(building_id__in=building_ids, room__in={r.room for r in rows}).values(
                "pk", "building_id", "room", "head_id", "residence_type"
            )
        }
        heads = set(
            Resident.objects.filter(
                pk__in=[h["head_id"] for h in households.values() if h["head_id"]], status=ResidentStatus.ACTIVE
            ).values_list("pk", flat=True)
        )
        plan = _Plan()
        for group in groups:
            self._plan_household(group, existing, households, heads, plan)
        if self.dry_run or not (plan.new_households or plan.creates or plan.updates or plan.household_updates):
            return
        with transaction.atomic():
            _apply(plan, self.actor)

    def _plan_household(self, group, existing, households, heads, plan) -> None:
        building = self.buildings.get(group[0].building_code)
        if building is None:
            for row in group:
                self.reject(row, NOT_SCOPED, "building_code")
            return
        building_id, path = building
        household = households.get((building_id, group[0].room))
        head_taken = bool(household and household["head_id"] in heads)
        accepted: list[tuple[Row, dict | None]] = []
        for row in group:
            current = existing.get(row.id_index)
            if current and (household is None or current["household_id"] != household["pk"]):
                self.reject(row, ACTIVE_ELSEWHERE, "id_number")
                continue
            is_head = row.data.relation == Relation.SELF
            if is_head and head_taken and not (current and household and current["pk"] == household["head_id"]):
                self.reject(row, Msg("该户已有户主（本人）", "the household already has a head (本人)"), "relation")
                continue
            head_taken = head_taken or is_head
            accepted.append((row, current))
        if not accepted:
            return
        head_row = next((r for r, _ in accepted if r.data.relation == Relation.SELF), None)
        residence_type = (head_row or accepted[0][0]).residence_type
        if household is None:
            ref = _NewHousehold(building_id, group[0].room, residence_type, path)
            plan.new_households.append(ref)
            self.result.households_created += 1
        else:
            ref = household["pk"]
            if household["residence_type"] != residence_type:
                plan.household_updates.append((household["pk"], {"residence_type": residence_type}))
        for row, current in accepted:
            if current is None:
                plan.creates.append((row, ref, path))
                self.result.created += 1
            elif _changed(row, current):
                plan.updates.append((row, current["pk"]))
                self.result.updated += 1
            else:
                self.result.unchanged += 1
            if row is head_row and current is not None and household and household["head_id"] != current["pk"]:
                plan.household_updates.append((ref, {"head_id": current["pk"]}))


def _changed(row: Row, current: dict) -> bool:
    data = row.data
    plain = resident_plain_values(data)
    if any(plain[k] != current[k] for k in COMPARED):
        return True
    if blind_index(data.phone, context="resident.phone") != current["phone_index"]:
        return True
    notes = data.notes.strip()
    if not notes and not current["notes_sealed"]:
        return False
    return notes != unseal(current["notes_sealed"], context="resident.notes")


@dataclass
class _NewHousehold:
    building_id: int
    room: str
    residence_type: str
    path: str
    pk: int | None = None
    head_id: int | None = None


@dataclass
class _Plan:
    new_households: list[_NewHousehold] = field(default_factory=list)
    creates: list[tuple[Row, _NewHousehold | int, str]] = field(default_factory=list)
    updates: list[tuple[Row, int]] = field(default_factory=list)
    household_updates: list[tuple[int, dict]] = field(default_factory=list)


def _building_create(actor: Actor, grid, code: str, name: str) -> int:
    """A building named in the file whose grid exists in the actor's scope."""
    return building_create(actor=actor, grid=grid, number=code[-3:], name=name).pk


def _apply(plan: _Plan, actor: Actor) -> None:
    """Write a planned batch. On PostgreSQL the primary keys are drawn first, so households are
    inserted with their head already set (the foreign key is checked at commit) and no row is
    updated afterwards; elsewhere heads are set with one bulk update."""
    now = timezone.now()
    today = timezone.localdate()
    resident_ids = _allocate_ids(Resident, len(plan.creates))
    household_ids = _allocate_ids(Household, len(plan.new_households))
    resident_rows = []
    for row, _ref, path in plan.creates:
        values = resident_stored_values(row.data)
        values.update(
            public_id=uuid7(),
            household_id=None,
            status=ResidentStatus.ACTIVE.value,
            path=path,
            user_id=None,
            updated_at=now,
        )
        resident_rows.append(values)
    if resident_ids is not None:
        for values, pk in zip(resident_rows, resident_ids, strict=True):
            values["id"] = pk
    if household_ids is not None:
        for household, pk in zip(plan.new_households, household_ids, strict=True):
            household.pk = pk
    for (_row, ref, _path), values in zip(plan.creates, resident_rows, strict=True):
        if values["is_head"] and isinstance(ref, _NewHousehold):
            ref.head_id = values.get("id")  # None until inserted when ids are not drawn first
    if plan.new_households:
        inserted = _insert(
            Household,
            [
                {
                    **({"id": h.pk} if household_ids is not None else {}),
                    "public_id": uuid7(),
                    "building_id": h.building_id,
                    "room": h.room,
                    "residence_type": h.residence_type,
                    "head_id": h.head_id,
                    "path": h.path,
                    "created_at": now,
                }
                for h in plan.new_households
            ],
        )
        if household_ids is None:
            for household, obj in zip(plan.new_households, inserted, strict=True):
                household.pk = obj.pk
    for (_row, ref, _path), values in zip(plan.creates, resident_rows, strict=True):
        values["household_id"] = ref.pk if isinstance(ref, _NewHousehold) else ref
    inserted = _insert(Resident, resident_rows) if resident_rows else []
    if resident_ids is None:
        resident_ids = [obj.pk for obj in inserted]
    moves, consents, late_heads = [], [], []
    for (row, ref, path), pk, values in zip(plan.creates, resident_ids, resident_rows, strict=True):
        moves.append(
            {
                "resident_id": pk,
                "kind": MoveKind.MOVE_IN.value,
                "household_id": values["household_id"],
                "on": today,
                "path": path,
                "recorded_by": actor.username,
                "recorded_at": now,
            }
        )
        if row.data.disability:
            consents.append(_consent(pk, row, today, actor))
        if values["is_head"]:
            if not isinstance(ref, _NewHousehold):
                plan.household_updates.append((ref, {"head_id": pk}))
            elif ref.head_id is None:
                late_heads.append(Household(pk=ref.pk, head_id=pk))
    if moves:
        _insert(ResidenceChange, moves)
    if late_heads:
        Household.objects.bulk_update(late_heads, ["head"], batch_size=500)
    for household_id, changes in plan.household_updates:
        Household.objects.filter(pk=household_id).update(**changes)
    if plan.updates:
        updated = []
        for row, pk in plan.updates:
            updated.append(Resident(pk=pk, updated_at=now, **resident_stored_values(row.data)))
            if row.data.disability:
                consents.append(_consent(pk, row, today, actor))
        Resident.objects.bulk_update(updated, UPDATED_FIELDS, batch_size=500)
    if consents:
        _insert(Consent, consents)


def _consent(resident_id: int, row: Row, today: date, actor: Actor) -> dict:
    return {
        "resident_id": resident_id,
        "scope": ConsentScope.DISABILITY.value,
        "method": row.data.sensitive_consent,
        "given_on": today,
        "recorded_by": actor.username,
        "withdrawn_on": None,
    }


def _allocate_ids(model, count: int) -> list[int] | None:
    """Primary keys drawn from the table's sequence (PostgreSQL), or None elsewhere."""
    if connection.vendor != "postgresql" or not count:
        return [] if connection.vendor == "postgresql" else None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _insert(model, rows: list[dict]) -> list:
    """Insert rows given as {attname: value}: COPY on PostgreSQL, bulk_create elsewhere (which
    returns the objects with their primary keys)."""
    if connection.vendor != "postgresql":
        return model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
    names = list(rows[0])
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(n).column) for n in names)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[n] for n in names])
    return []


# --- import jobs (the web upload) -------------------------------------------------------------

UPLOAD_DIR = "imports"
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def import_job_create(*, actor: Actor, uploaded) -> ImportJob:
    """Store an uploaded file under MEDIA_ROOT/imports/ and queue it. The file is checked first
    (format, not empty, required columns) so a bad upload is answered on the form."""
    if not actor.has_perm(RESIDENTS_IMPORT) or actor.user_id is None:
        raise permission_denied()
    name = Path(uploaded.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise _bad_file("文件应为 CSV 或 XLSX 格式", "The file must be a CSV or XLSX file")
    if not uploaded.size:
        raise _bad_file("文件为空", "The file is empty")
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise _bad_file("文件超过 200 MB，请拆分或用命令行导入", "The file is over 200 MB; split it or use the command")
    directory = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    directory.mkdir(parents=True, exist_ok=True)
    stored = directory / f"{uuid.uuid4().hex}{suffix}"
    with stored.open("wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    try:
        table = Table(stored)
        total = sum(1 for _ in table.rows())
    except DomainError:
        stored.unlink(missing_ok=True)
        raise
    job = ImportJob.objects.create(
        owner_id=actor.user_id,
        file_name=name[:200],
        stored_path=str(stored.relative_to(settings.MEDIA_ROOT)),
        rows_total=total,
    )
    audit_record(actor=actor, action="resident.import.upload", object_type="import", object_id=job.public_id)
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued job as its owner (the owner's current scope applies). Safe to run twice: a
    job that is not queued is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    if not claimed:
        return job
    actor = actor_for_user(job.owner)
    source = Path(settings.MEDIA_ROOT) / job.stored_path
    error_path = source.with_name(f"{source.stem}.errors{source.suffix}")

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_done=done, rows_total=total)

    try:
        result = residents_import(
            actor=actor, path=source, error_path=error_path, progress=progress, source=str(job.public_id)
        )
    except DomainError as exc:
        _job_finish(job_id, status=ImportJob.Status.FAILED, message=exc.message.both()[:500])
        raise
    except Exception:
        _job_finish(job_id, status=ImportJob.Status.FAILED, message="导入中断，请联系管理员 (import failed)")
        raise
    _job_finish(
        job_id,
        status=ImportJob.Status.DONE,
        rows_total=result.rows,
        rows_done=result.rows,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        rejected=result.rejected,
        error_file=str(result.error_file.relative_to(settings.MEDIA_ROOT)) if result.error_file else "",
    )
    return ImportJob.objects.get(pk=job_id)


def import_job_abandoned(*, job_id: int, attempts: int, final: bool) -> bool:
    """The worker running this import died (`core.services.tasks_recover`). Each batch of rows
    is its own transaction, so what was imported stays and nothing is half-written; the job goes
    back to the queue and the re-run counts those rows as unchanged. When no retry is left the
    job is marked failed with the reason. False: do not retry."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING)
    if final:
        job.update(
            status=ImportJob.Status.FAILED,
            finished_at=timezone.now(),
            message=Msg(
                f"处理该导入的后台进程中断（已尝试 {attempts} 次）：已导入的批次保留，重新上传同一文件即可补全",
                f"The worker running this import stopped (tried {attempts} times): the batches already "
                "imported stay; upload the same file again to complete it",
            ).both()[:500],
        )
        return False
    job.update(
        status=ImportJob.Status.QUEUED,
        rows_done=0,
        message=Msg(
            "后台进程中断后重新运行：此前已导入的行计为“未变”",
            "Run again after the worker stopped: rows imported before count as unchanged",
        ).both(),
    )
    return True


def _job_finish(job_id: int, **changes) -> None:
    ImportJob.objects.filter(pk=job_id).update(finished_at=timezone.now(), **changes)


def import_job_list(*, actor: Actor, limit: int = 20) -> list[ImportJob]:
    if actor.user_id is None:
        return []
    return list(ImportJob.objects.filter(owner_id=actor.user_id).order_by("-created_at", "-pk")[:limit])


def import_job_get(*, actor: Actor, public_id) -> ImportJob:
    """The actor's own job; anyone else's is "not found"."""
    job = ImportJob.objects.filter(owner_id=actor.user_id, public_id=public_id).first() if actor.user_id else None
    if job is None:
        raise not_found("导入任务", "Import job")
    return job


def import_job_error_file(*, actor: Actor, public_id) -> tuple[Path, str]:
    """The error file of the actor's job and a download name for it."""
    job = import_job_get(actor=actor, public_id=public_id)
    if not job.error_file:
        raise not_found("错误文件", "Error file")
    path = Path(settings.MEDIA_ROOT) / job.error_file
    if not path.exists():
        raise not_found("错误文件", "Error file")
    return path, f"{Path(job.file_name).stem}-错误行{path.suffix}"


def import_files_prune() -> str:
    """Periodic job: delete uploaded spreadsheets and error files (personal data) of imports that
    finished more than LINLI_IMPORT_RETENTION_DAYS ago; the job rows and their counts stay."""
    cutoff = timezone.now() - timedelta(days=settings.LINLI_IMPORT_RETENTION_DAYS)
    old = ImportJob.objects.filter(finished_at__lt=cutoff).exclude(stored_path="", error_file="")
    removed = 0
    for job in old:
        for relative in filter(None, (job.stored_path, job.error_file)):
            (Path(settings.MEDIA_ROOT) / relative).unlink(missing_ok=True)
            removed += 1
        ImportJob.objects.filter(pk=job.pk).update(stored_path="", error_file="")
    return f"import files removed: {removed}"


# --- the downloadable template ----------------------------------------------------------------


def template_xlsx() -> bytes:
    """The import template: the header row and two example rows, and a sheet explaining each
    column. ID numbers and phones are text cells so Excel keeps every digit."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    text = book.add_format({"num_format": "@"})
    bold = book.add_format({"bold": True, "bg_color": "#E8F0FE", "border": 1})
    required = book.add_format({"bold": True, "bg_color": "#FDE8E8", "border": 1})
    sheet = book.add_worksheet("居民")
    for index, column in enumerate(COLUMNS):
        sheet.write_string(0, index, column.zh, required if column.required else bold)
        sheet.set_column(index, index, 20 if column.key in ("building_code", "id_number") else 12, text)
        for line, example in enumerate(EXAMPLE_ROWS, start=1):
            sheet.write_string(line, index, example.get(column.key, ""), text)
    sheet.freeze_panes(1, 0)
    guide = book.add_worksheet("填写说明")
    guide.write_row(0, 0, ["列名", "Key", "Column", "必填 Required", "说明", "Explanation"], bold)
    for line, column in enumerate(COLUMNS, start=1):
        guide.write_row(
            line,
            0,
            [column.zh, column.key, column.en, "是 yes" if column.required else "", column.help_zh, column.help_en],
        )
    notes = [
        "同一楼院编码 + 房号的各行为一户；户主的「与户主关系」填「本人」。",
        "Rows with the same building code and room form one household; the head's relation is 本人 (self).",
        "以身份证号为准：已在本户登记且内容相同的行不作改动，因此同一文件可重复导入。",
        "Rows are matched by ID number: importing the same file again changes nothing.",
        "有误的行不会导入，会写入错误文件（原列 + 行号 + 原因）；改正后可直接导入错误文件。",
        "Rejected rows go to an error file (same columns + line + reason); fix them and import that file.",
    ]
    for offset, note in enumerate(notes, start=len(COLUMNS) + 2):
        guide.write_string(offset, 0, note)
    guide.set_column(0, 3, 16)
    guide.set_column(4, 5, 60)
    book.close()
    return buffer.getvalue()
