"""Printed papers of social assistance applications (PDF; Chinese renders through the vendored
WenQuanYi Micro Hei font, embedded as a subset — the same as the desk's case file):

- the determination notice (审核确认通知书 / 不予确认通知书): the household head (ID masked), the
  community, the class and monthly amount, paid from, and the rules' trace line by line (what,
  value, the parameters used) so a worker can explain a refusal line by line;
- the notice board (公示): the household head's surname with a masked given name, the community,
  the class and the amount — never an ID number, an address or an illness.

Printing a determination notice reads sealed facts: audited (`welfare.notice_pdf`)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from linli.core.actor import Actor
from linli.core.errors import permission_denied
from linli.core.pdf import pdf_font
from linli.core.services import audit_record
from linli.welfare.domain.applications import ApplicationState
from linli.welfare.domain.classes import AssistanceClass
from linli.welfare.domain.roll import paid_from_after
from linli.welfare.models import Application
from linli.welfare.rules.engine import yuan as engine_yuan
from linli.welfare.selectors.applications import NoticeLine, may_read_facts
from linli.welfare.services.applications import determination_trace

CLASS_ZH = {
    AssistanceClass.TEKUN: "特困人员救助供养",
    AssistanceClass.DIBAO: "最低生活保障",
    AssistanceClass.EDGE: "低保边缘家庭",
    AssistanceClass.RIGID: "刚性支出困难家庭",
    AssistanceClass.NONE: "不符合救助条件",
}
RIGHTS = (
    "如对本决定不服，可以自收到本通知书之日起六十日内向本级人民政府或上一级民政部门申请行政复议，"
    "也可以自收到本通知书之日起六个月内依法向人民法院提起行政诉讼。"
)


def yuan(amount: Decimal | None) -> str:
    return engine_yuan(amount or Decimal("0"))


def _styles() -> dict[str, ParagraphStyle]:
    font = pdf_font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=17, leading=24, alignment=1, spaceAfter=4),
        "sub": ParagraphStyle("sub", fontName=font, fontSize=9.5, leading=14, alignment=1, spaceAfter=8),
        "h2": ParagraphStyle("h2", fontName=font, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=font, fontSize=10, leading=15, wordWrap="CJK"),
        "small": ParagraphStyle("small", fontName=font, fontSize=8.5, leading=12, wordWrap="CJK"),
    }


def _table(rows: list[list], widths: list[float], style: ParagraphStyle, header: bool = True) -> Table:
    def p(text) -> Paragraph:
        return Paragraph(escape(str(text if text not in (None, "") else "—")), style)

    grid = Table([[p(c) for c in row] for row in rows], colWidths=widths, repeatRows=1 if header else 0)
    commands = [("GRID", (0, 0), (-1, -1), 0.4, "#9aa4b2"), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), "#e7f0fb"))
    grid.setStyle(TableStyle(commands))
    return grid


def determination_notice_pdf(*, actor: Actor, application: Application) -> bytes:
    """The written decision of an application decided by the county, with the trace."""
    if not may_read_facts(actor, application):
        raise permission_denied()
    app = application
    styles = _styles()
    approved = app.state == ApplicationState.APPROVED
    determination = app.determination
    assistance_class = determination.assistance_class if determination else AssistanceClass.NONE
    class_zh = CLASS_ZH.get(AssistanceClass(assistance_class), "")
    title = f"{class_zh}审核确认通知书" if approved else "社会救助不予确认通知书"
    story: list = [
        Paragraph(escape(title), styles["title"]),
        Paragraph(escape(f"编号 {app.number}　　决定日期 {app.decided_on or ''}"), styles["sub"]),
    ]
    head_id = app.applicant_id_masked if app.head_name == app.applicant_name else "（见户籍登记）"
    rows = [
        ["户主", f"{app.head_name}　身份证号 {head_id}"],
        ["所在社区", app.community_name or app.path[:12]],
        ["申请类别", CLASS_ZH.get(AssistanceClass(app.applied_class), "")],
    ]
    if approved and determination is not None:
        rows += [
            ["认定类别", class_zh],
            ["保障人数", f"{determination.members} 人"],
            ["月救助金额", yuan(determination.monthly_amount)],
            ["发放起始", f"{paid_from_after(app.decided_on or date.today()):%Y年%m月%d日}起按月发放"],
        ]
    else:
        rows += [
            ["不予确认理由", app.decision_note],
            ["书面告知期限", f"{app.refusal_notice_due or ''} 前送达"],
        ]
    story += [_table(rows, [32 * mm, 138 * mm], styles["body"], header=False)]
    if determination is not None:
        story += [
            Paragraph("认定依据（逐项计算过程）", styles["h2"]),
            Paragraph(
                escape(
                    f"规则参数截至 {determination.on}；参数集 {determination.parameters_digest[:12]}；"
                    f"规则版本 {determination.rules_version[:12]}。"
                ),
                styles["small"],
            ),
        ]
        trace_rows = [["项目", "结果", "所用参数"]]
        for line in determination_trace(determination):
            used = "；".join(f"{p[1]} {p[3]}" for p in line.get("parameters", []))
            trace_rows.append([line["label_zh"], line["value"], used])
        story.append(_table(trace_rows, [52 * mm, 38 * mm, 80 * mm], styles["small"]))
    story += [Spacer(1, 6 * mm), Paragraph(escape(RIGHTS), styles["small"])]
    story += [Spacer(1, 10 * mm), Paragraph("区县民政部门（盖章）　　　　年　　月　　日", styles["body"])]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="Linli",
    )
    document.build(story)
    audit_record(
        actor=actor,
        action="welfare.notice_pdf",
        object_type="welfare_application",
        object_id=app.number,
        org_path=app.path,
        details={"state": app.state},
    )
    return buffer.getvalue()


def notice_board_pdf(*, community: str, lines: list[NoticeLine], today: date) -> bytes:
    """The notice as posted on the community's board (no ID number, address or illness)."""
    styles = _styles()
    story: list = [
        Paragraph(escape(f"{community}社会救助审核公示"), styles["title"]),
        Paragraph(escape(f"公示日期 {today:%Y年%m月%d日}"), styles["sub"]),
        Paragraph(
            escape(
                "下列家庭申请社会救助，经入户调查、家庭经济状况核对和街道审核，拟予确认，现予公示。"
                "如有异议，请在公示期内向社区居委会或街道办事处反映（可署名或匿名）。"
            ),
            styles["body"],
        ),
        Spacer(1, 4 * mm),
    ]
    rows = [["户主", "社区", "拟认定类别", "家庭人数", "拟月救助金额", "公示期"]]
    for line in lines:
        rows.append(
            [
                line.name,
                line.community,
                CLASS_ZH.get(AssistanceClass(line.assistance_class), "") if line.assistance_class else "",
                str(line.members),
                yuan(line.amount),
                f"{line.notice_from:%m-%d} 至 {line.notice_until:%m-%d}",
            ]
        )
    story.append(_table(rows, [22 * mm, 36 * mm, 32 * mm, 18 * mm, 28 * mm, 34 * mm], styles["body"]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, title="公示").build(story)
    return buffer.getvalue()
