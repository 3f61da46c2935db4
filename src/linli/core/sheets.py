"""Spreadsheets in and out, for any app: several sheets written with xlsxwriter (text stays text,
so codes keep their leading zeros), and the first sheet of an XLSX (python-calamine) or a UTF-8
CSV read as text rows numbered as the spreadsheet shows them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from linli.core.errors import DomainError, Msg

XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: Iterable[list]
    widths: dict[int, int] | None = None


def workbook(sheets: list[Sheet]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_urls": False})
    header = book.add_format({"bold": True, "bg_color": "#E8F0FE", "border": 1})
    for spec in sheets:
        sheet = book.add_worksheet(spec.title[:31])
        sheet.write_row(0, 0, spec.headers, header)
        for index in range(len(spec.headers)):
            sheet.set_column(index, index, (spec.widths or {}).get(index, 14))
        count = 0
        for count, values in enumerate(spec.rows, start=1):
            for col, value in enumerate(values):
                if isinstance(value, str):
                    sheet.write_string(count, col, value)
                elif value is None:
                    sheet.write_blank(count, col, None)
                else:
                    sheet.write(count, col, value)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(count, 1), max(len(spec.headers) - 1, 0))
    book.close()
    return buffer.getvalue()


def bad_sheet(zh: str, en: str) -> DomainError:
    return DomainError(Msg(zh, en), code="bad_file")


def read_rows(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """(header, rows): the header cells and every non-empty data row as (line, cells padded to
    the header's width). An XLSX is recognised by content, anything else must be UTF-8 CSV."""
    try:
        raw = _xlsx_rows(data) if data.startswith(XLSX_MAGIC) else _csv_rows(data)
        header = next(raw, None)
    except Exception as exc:  # a corrupt workbook or undecodable text: tell the user, never a 500
        raise bad_sheet(
            "无法读取文件，请上传 XLSX 或 UTF-8 编码的 CSV", "The file cannot be read: upload XLSX or UTF-8 CSV"
        ) from exc
    if not header or not any(header):
        raise bad_sheet("文件为空或缺少表头行", "The file is empty or has no header row")
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for line, row in enumerate(raw, start=2):
            if any(row):
                yield line, (row + [""] * width)[:width]

    return [h.strip().lstrip("\ufeff").strip("*").strip() for h in header], rows()


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from python_calamine import CalamineWorkbook

    workbook_ = CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = [[_cell_text(cell) for cell in row] for row in workbook_.get_sheet_by_index(0).iter_rows()]
    return iter(rows)


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = data.decode("utf-8-sig")
    return iter([[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))])


def _cell_text(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()
