"""The payroll's file for the bank (XLSX or CSV, UTF-8 with a byte-order mark so that Excel opens
it in Chinese). The layout is documented in docs/assistance.md ("The bank file"): one header row,
then one row per line in the order of the payroll, then a total row."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from linli.core.sheets import Sheet, workbook
from linli.welfare.domain.classes import AssistanceClass

HEADERS = [
    "序号 No.",
    "名册编号 Payroll",
    "发放月份 Month",
    "区县代码 District",
    "街道代码 Street",
    "社区代码 Community",
    "户主姓名 Head of household",
    "开户银行 Bank",
    "银行账号 Account",
    "救助类别 Class",
    "保障人数 Members",
    "金额（元） Amount (yuan)",
    "更正原名册 Corrects payroll",
    "备注 Note",
]
CLASS_ZH = {
    AssistanceClass.TEKUN: "特困供养",
    AssistanceClass.DIBAO: "最低生活保障",
    AssistanceClass.EDGE: "低保边缘",
    AssistanceClass.RIGID: "刚性支出困难",
}


def payroll_rows(payroll, lines, accounts: dict[int, str]) -> tuple[list[list], Decimal]:
    rows: list[list] = []
    total = Decimal("0")
    for number, line in enumerate(lines, start=1):
        total += line.amount
        rows.append(
            [
                number,
                payroll.number,
                f"{payroll.month:%Y-%m}",
                line.path[:6],
                line.path[:9],
                line.path[:12],
                line.head_name,
                line.bank_name,
                accounts.get(line.pk, line.account_masked),
                CLASS_ZH.get(line.assistance_class, line.assistance_class),
                line.members,
                f"{line.amount:.2f}",
                line.corrects.payroll.number if line.corrects_id else "",
                line.note,
            ]
        )
    return rows, total


def payroll_file(payroll, lines, accounts: dict[int, str], file_format: str) -> tuple[bytes, str, str]:
    rows, total = payroll_rows(payroll, lines, accounts)
    footer = [
        "",
        payroll.number,
        f"{payroll.month:%Y-%m}",
        "",
        "",
        "",
        "合计 Total",
        "",
        "",
        "",
        sum(line.members for line in lines),
        f"{total:.2f}",
        "",
        f"{len(rows)} 行 lines",
    ]
    masked = "" if accounts else "-masked"
    stem = f"{payroll.number}{masked}"  # a supplementary payroll's number ends in -B<n>
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADERS)
        writer.writerows(rows)
        writer.writerow(footer)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8"), f"{stem}.csv", "text/csv; charset=utf-8"
    # amounts are text in both files: the bank reads them exactly as written, two places
    content = workbook([Sheet(title=payroll.number, headers=HEADERS, rows=[*rows, footer], widths={6: 16, 8: 24})])
    return (
        content,
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
