"""A provider's statement as files: XLSX (lines, totals by item and by community) and a PDF in
Chinese for the file (reportlab with the vendored WenQuanYi font). The font and table helpers
are the welfare PDFs' (`welfare/exports.py`), copied because `care` and `welfare` are siblings
that do not import each other; they belong in `core` when a third app needs them."""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from linli.care.domain.statements import StatementKind, StatementState
from linli.core.pdf import pdf_font
from linli.core.sheets import Sheet, workbook

STATE_ZH = {
    StatementState.DRAFT: "草稿（待审核）",
    StatementState.APPROVED: "已审核（待付款）",
    StatementState.PAID: "已付款",
}
LINE_HEADERS = [
    "序号 No.",
    "日期 Date",
    "老人 Elder",
    "服务项目 Item",
    "社区 Community",
    "政府支付 Government (yuan)",
    "个人支付 Resident (yuan)",
    "更正原因 Correction",
]


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _title(statement) -> str:
    kind = "补充结算单" if statement.kind == StatementKind.SUPPLEMENTARY else "结算单"
    return f"{statement.provider.name} {statement.month:%Y年%m月} 居家养老服务{kind}"


def _line_rows(lines) -> list[list]:
    return [
        [
            n,
            f"{line.visit_on:%Y-%m-%d}",
            line.person_name,
            line.item_name,
            getattr(line, "community_name", "") or line.community_path,
            _yuan(line.government_pays),
            _yuan(line.resident_pays),
            line.reason,
        ]
        for n, line in enumerate(lines, start=1)
    ]


def statement_xlsx(statement, lines, by_item, by_community) -> tuple[bytes, str]:
    totals = [[t.label, t.visits, _yuan(t.government), _yuan(t.resident)] for t in by_item]
    communities = [[t.label, t.visits, _yuan(t.government), _yuan(t.resident)] for t in by_community]
    total_headers = ["项目或社区 Item or community", "次数 Visits", "政府支付 Government", "个人支付 Resident"]
    content = workbook(
        [
            Sheet(
                title="明细 Lines", headers=LINE_HEADERS, rows=_line_rows(lines), widths={2: 12, 3: 20, 4: 16, 7: 30}
            ),
            Sheet(title="按项目 By item", headers=total_headers, rows=totals, widths={0: 24}),
            Sheet(title="按社区 By community", headers=total_headers, rows=communities, widths={0: 24}),
        ]
    )
    return content, f"{statement.number}.xlsx"


def _styles() -> dict[str, ParagraphStyle]:
    font = pdf_font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=15, leading=22, alignment=1, spaceAfter=4),
        "sub": ParagraphStyle("sub", fontName=font, fontSize=9.5, leading=14, alignment=1, spaceAfter=8),
        "h2": ParagraphStyle("h2", fontName=font, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4),
        "small": ParagraphStyle("small", fontName=font, fontSize=8.5, leading=12, wordWrap="CJK"),
    }


def _table(rows: list[list], widths: list[float], style: ParagraphStyle) -> Table:
    def p(text) -> Paragraph:
        return Paragraph(escape(str(text if text not in (None, "") else "—")), style)

    grid = Table([[p(c) for c in row] for row in rows], colWidths=widths, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, "#9aa4b2"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), "#e7f0fb"),
            ]
        )
    )
    return grid


def statement_pdf(statement, lines, by_item, by_community) -> bytes:
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=14 * mm)
    state = STATE_ZH.get(statement.state, "")
    story = [
        Paragraph(escape(_title(statement)), styles["title"]),
        Paragraph(
            escape(
                f"编号 {statement.number} · 状态 {state} · 共 {statement.line_count} 笔 · "
                f"政府支付 {_yuan(statement.government_total)} 元 · 个人支付 {_yuan(statement.resident_total)} 元"
            ),
            styles["sub"],
        ),
    ]
    if statement.approved_at:
        story.append(
            Paragraph(
                escape(f"审核：{statement.approved_by_name} {statement.approved_at:%Y-%m-%d}")
                + escape(f" 意见：{statement.approve_reason}"),
                styles["small"],
            )
        )
    if statement.paid_on:
        story.append(
            Paragraph(escape(f"付款：{statement.paid_on:%Y-%m-%d} 凭证号 {statement.payment_ref}"), styles["small"])
        )
    totals_head = ["项目", "次数", "政府支付（元）", "个人支付（元）"]
    for heading, rows, first in (("按服务项目合计", by_item, "项目"), ("按社区合计", by_community, "社区")):
        story += [Paragraph(heading, styles["h2"])]
        body = [[t.label, t.visits, _yuan(t.government), _yuan(t.resident)] for t in rows]
        story.append(_table([[first, *totals_head[1:]], *body], [70 * mm, 25 * mm, 42 * mm, 42 * mm], styles["small"]))
    story += [Paragraph("服务明细（仅列已核验的服务）", styles["h2"]), Spacer(1, 2)]
    head = ["序号", "日期", "老人", "服务项目", "社区", "政府支付", "个人支付", "更正原因"]
    widths = [11 * mm, 21 * mm, 20 * mm, 32 * mm, 28 * mm, 21 * mm, 21 * mm, 28 * mm]
    story.append(_table([head, *_line_rows(lines)], widths, styles["small"]))
    doc.build(story)
    return buffer.getvalue()
