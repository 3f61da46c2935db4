"""Import of an existing volunteer roster (XLSX or UTF-8 CSV, the columns of `COLUMNS`; a
template is offered): every good row is registered through `volunteer_register` (recorded by
staff), every bad row comes back with its line, column and reason; a bad row saves nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from linli.accounts.domain import VOLUNTEER_MANAGE
from linli.core.actor import Actor
from linli.core.errors import DomainError, permission_denied
from linli.core.sheets import Sheet, bad_sheet, read_rows, workbook
from linli.volunteers.domain import SKILL_ZH, Skill
from linli.volunteers.services import VolunteerInput, volunteer_register

MAX_ROWS = 5_000
# (key, Chinese header, English header, required)
COLUMNS = [
    ("name", "姓名", "Name", True),
    ("id_number", "身份证号", "ID number", True),
    ("phone", "手机号码", "Phone", False),
    ("registered_path", "社区代码", "Community code", True),
    ("skills", "服务技能", "Skills", False),
    ("availability", "可服务时间", "Availability", False),
    ("guardian_name", "监护人姓名", "Guardian's name", False),
    ("guardian_phone", "监护人电话", "Guardian's phone", False),
    ("guardian_consent", "监护人已同意", "Guardian consents", False),
]
LABELS = {key: zh for key, zh, _, _ in COLUMNS}


@dataclass
class RowProblem:
    line: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def rejected_lines(self) -> int:
        return len({p.line for p in self.problems})


def _keys(header: list[str]) -> list[str]:
    names: dict[str, str] = {}
    for key, zh, en, _ in COLUMNS:
        names.update({zh: key, en.lower(): key, key: key})
    return [names.get(h) or names.get(h.lower(), h) for h in header]


def _skills(text: str) -> list[str]:
    by_label = {zh: str(value) for value, zh in SKILL_ZH.items()} | {str(v): str(v) for v in Skill.values}
    words = [w.strip() for w in text.replace("，", "、").replace(",", "、").split("、") if w.strip()]
    return [by_label.get(w, w) for w in words]


def volunteers_import(*, actor: Actor, data: bytes) -> ImportResult:
    if not actor.has_perm(VOLUNTEER_MANAGE):
        raise permission_denied()
    header, rows = read_rows(data)
    keys = _keys(header)
    missing = [zh for key, zh, _, required in COLUMNS if required and key not in keys]
    if missing:
        raise bad_sheet("缺少必填列：" + "、".join(missing), "Missing required columns: " + ", ".join(missing))
    result = ImportResult()
    for count, (line, cells) in enumerate(rows, start=1):
        if count > MAX_ROWS:
            result.problems.append(RowProblem(line, "", f"一次最多导入 {MAX_ROWS} 行 (at most {MAX_ROWS} rows)"))
            break
        values = dict(zip(keys, cells, strict=False))
        data_in = VolunteerInput(
            name=values.get("name", ""),
            id_number=values.get("id_number", ""),
            phone=values.get("phone", ""),
            registered_path=values.get("registered_path", "").strip(),
            skills=_skills(values.get("skills", "")),
            availability=values.get("availability", ""),
            guardian_name=values.get("guardian_name", ""),
            guardian_phone=values.get("guardian_phone", ""),
            guardian_consent=values.get("guardian_consent", "").strip() in {"是", "同意", "yes", "1", "Y", "y"},
        )
        try:
            volunteer_register(actor=actor, data=data_in, for_self=False)
        except DomainError as error:
            if error.fields:
                for problem in error.fields:
                    result.problems.append(
                        RowProblem(line, LABELS.get(problem.field, problem.field), problem.message.both())
                    )
            else:
                result.problems.append(RowProblem(line, "", error.message.both()))
        else:
            result.created += 1
    return result


def template_xlsx() -> bytes:
    headers = [zh + ("*" if required else "") for _, zh, _, required in COLUMNS]
    from datetime import date

    from linli.residents.domain import id_number_make

    sample_id = id_number_make("210102", date(1960, 5, 4), 2, "female")
    example = ["张秀兰", sample_id, "13812345678", "210102001002", "助老服务、文体活动", "周末上午", "", "", ""]
    return workbook([Sheet("志愿者", headers, [example])])
