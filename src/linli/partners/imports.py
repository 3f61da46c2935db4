"""The register from a spreadsheet (XLSX or CSV, the columns of `domain.REGISTER_COLUMNS`, Chinese
or English headers): every good row is saved as a new organisation, every bad row is returned with
its line, column and reason; a bad row saves nothing of itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from linli.core.actor import Actor
from linli.core.errors import DomainError, permission_denied
from linli.core.sheets import bad_sheet, read_rows
from linli.partners.domain import KIND_EN, KIND_ZH, REGISTER_COLUMNS, STATUS_ZH, YES_WORDS, OrgKind, OrgStatus
from linli.partners.selectors import may_edit
from linli.partners.services import OrgInput, social_org_save

MAX_ROWS = 5_000
REQUIRED = ("name", "kind", "status", "unit", "responsible_name", "responsible_phone")


@dataclass
class RowProblem:
    line: int
    column: str
    message: str  # both languages


@dataclass
class ImportResult:
    created: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def rejected_lines(self) -> int:
        return len({p.line for p in self.problems})


def _column_keys(header: list[str]) -> list[str]:
    names: dict[str, str] = {}
    for key, zh, en in REGISTER_COLUMNS:
        names.update({zh: key, en.lower(): key, key: key})
    return [names.get(h.strip()) or names.get(h.strip().lower(), h) for h in header]


def _lookup(text: str, table: dict[str, str]) -> str:
    return table.get(text.strip().lower(), text.strip())


def social_orgs_import(*, actor: Actor, data: bytes) -> ImportResult:
    if not may_edit(actor):
        raise permission_denied()
    header, rows = read_rows(data)
    keys = _column_keys(header)
    missing = [zh for key, zh, _ in REGISTER_COLUMNS if key in REQUIRED and key not in keys]
    if missing:
        raise bad_sheet("缺少必填列：" + "、".join(missing), "Missing required columns: " + ", ".join(missing))
    kinds = {k.value: k.value for k in OrgKind} | {v: k.value for k, v in KIND_ZH.items()}
    kinds |= {v.lower(): k.value for k, v in KIND_EN.items()}
    statuses = {v: k.value for k, v in STATUS_ZH.items()} | {s.value: s.value for s in OrgStatus}
    labels = {key: zh for key, zh, _ in REGISTER_COLUMNS} | {"reason": "", "name": "名称"}
    result = ImportResult()
    for count, (line, cells) in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise bad_sheet(f"一次最多导入 {MAX_ROWS} 行", f"At most {MAX_ROWS} rows per file")
        row = dict(zip(keys, cells, strict=True))
        data_in = OrgInput(
            name=row.get("name", ""),
            kind=_lookup(row.get("kind", ""), kinds),
            status=_lookup(row.get("status", ""), statuses),
            credit_code=row.get("credit_code", ""),
            unit=row.get("unit", "").strip(),
            citywide=row.get("citywide", "").strip().lower() in YES_WORDS,
            responsible_name=row.get("responsible_name", ""),
            responsible_phone=row.get("responsible_phone", ""),
            premises=row.get("premises", ""),
            services=row.get("services", ""),
            founded_on=row.get("founded_on") or None,
            filed_on=row.get("filed_on") or None,
            name_en=row.get("name_en", ""),
        )
        try:
            social_org_save(actor=actor, data=data_in)
        except DomainError as exc:
            for problem in exc.fields or [None]:
                column = labels.get(problem.field, problem.field) if problem else ""
                message = problem.message.both() if problem else exc.message.both()
                result.problems.append(RowProblem(line, column, message))
            continue
        result.created += 1
    return result
