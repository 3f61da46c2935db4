"""The registry from a spreadsheet (XLSX or CSV, the columns of `exports.REGISTRY_COLUMNS`):
every good row is saved (a row with the id of a facility of yours updates it), every bad row is
returned with its line, column and reason; a bad row saves nothing of itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from linli.accounts.domain import FACILITY_EDIT
from linli.core.actor import Actor
from linli.core.errors import DomainError, permission_denied
from linli.core.sheets import bad_sheet, read_rows
from linli.facilities.domain import REGISTRY_COLUMNS, CoordinateSystem, FacilityStatus
from linli.facilities.selectors import kind_list
from linli.facilities.services import FacilityInput, facility_save

MAX_ROWS = 20_000
REQUIRED = ("kind", "name", "lat", "lng", "floor_area_m2")


@dataclass
class RowProblem:
    line: int
    column: str
    message: str  # both languages


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def rejected_lines(self) -> int:
        return len({p.line for p in self.problems})


def _column_keys(header: list[str]) -> list[str]:
    names = {}
    for key, zh, en in REGISTRY_COLUMNS:
        names.update({zh: key, en.lower(): key, key: key})
    return [names.get(h) or names.get(h.lower(), h) for h in header]


def facilities_import(*, actor: Actor, data: bytes) -> ImportResult:
    if not actor.has_perm(FACILITY_EDIT):
        raise permission_denied()
    header, rows = read_rows(data)
    keys = _column_keys(header)
    missing = [zh for key, zh, _ in REGISTRY_COLUMNS if key in REQUIRED and key not in keys]
    if missing:
        raise bad_sheet("缺少必填列：" + "、".join(missing), "Missing required columns: " + ", ".join(missing))
    kinds = {k.name: k.code for k in kind_list()}
    statuses = {str(label): value for value, label in FacilityStatus.choices} | {
        "在用": FacilityStatus.OPEN,
        "在建": FacilityStatus.BUILDING,
        "备选址": FacilityStatus.CANDIDATE,
        "停用": FacilityStatus.CLOSED,
    }
    labels = {key: zh for key, zh, _ in REGISTRY_COLUMNS}
    result = ImportResult()
    for count, (line, cells) in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise bad_sheet(f"一次最多导入 {MAX_ROWS} 行", f"At most {MAX_ROWS} rows per file")
        row = dict(zip(keys, cells, strict=True))
        data_in = FacilityInput(
            kind=kinds.get(row.get("kind", ""), row.get("kind", "")),
            name=row.get("name", ""),
            unit=row.get("unit", ""),
            lat=row.get("lat"),
            lng=row.get("lng"),
            floor_area_m2=row.get("floor_area_m2"),
            opening_hours=row.get("opening_hours", ""),
            operator=row.get("operator", ""),
            capacity=row.get("capacity") or None,
            address=row.get("address", ""),
            status=statuses.get(row.get("status", ""), row.get("status") or FacilityStatus.OPEN),
            note=row.get("note", ""),
            coordinates=_coordinates(row.get("coordinates", "")),
        )
        try:
            facility_save(actor=actor, data=data_in, public_id=row.get("id") or None)
        except DomainError as exc:
            for problem in exc.fields or [None]:
                column = labels.get(problem.field, problem.field) if problem else labels["id"]
                message = problem.message.both() if problem else exc.message.both()
                result.problems.append(RowProblem(line, column, message))
            continue
        if row.get("id"):
            result.updated += 1
        else:
            result.created += 1
    return result


def _coordinates(text: str) -> str:
    text = text.strip().lower().replace("-", "").replace(" ", "")
    if text in ("gcj02", "火星坐标", "高德", "腾讯"):
        return CoordinateSystem.GCJ02
    return CoordinateSystem.WGS84 if text in ("", "wgs84", "gps") else text
