"""The mediation agreement (人民调解协议书) as a PDF the parties sign, after the template of the
People's Mediation Law (art. 29: the parties' basic facts, the main facts and issues of the
dispute, the terms agreed, how and when they are performed), with signature lines for the
parties and the mediator and a place for the committee's seal. Chinese through the vendored
font (`core.pdf`). The contents come from `services.sessions.agreement_paper`, which audits the
printing; this module only lays them out."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from linli.core.pdf import pdf_font
from linli.mediation.domain.disputes import PartySide
from linli.mediation.services.sessions import AgreementPaper

SIDE_ZH = {PartySide.APPLICANT: "申请人", PartySide.RESPONDENT: "被申请人"}  # a legal paper: Chinese always


def _styles() -> dict[str, ParagraphStyle]:
    font = pdf_font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=26, alignment=1, spaceAfter=4),
        "number": ParagraphStyle("number", fontName=font, fontSize=10, leading=14, alignment=2, spaceAfter=8),
        "h2": ParagraphStyle("h2", fontName=font, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=font, fontSize=11, leading=18, firstLineIndent=22, wordWrap="CJK"),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=10, leading=14, wordWrap="CJK"),
        "sign": ParagraphStyle("sign", fontName=font, fontSize=11, leading=22, wordWrap="CJK"),
    }


CHINESE_DIGITS = "零一二三四五六七八九"


def _chinese_count(n: int) -> str:
    """一式三份: a legal paper writes its copies in Chinese numerals (up to 99)."""
    if n < 10:
        return CHINESE_DIGITS[n]
    tens, ones = divmod(n, 10)
    return f"{CHINESE_DIGITS[tens] if tens > 1 else ''}十{CHINESE_DIGITS[ones] if ones else ''}"


def _text(text: str, style: ParagraphStyle) -> list[Paragraph]:
    """One paragraph per line of the text (the terms are usually numbered lines)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return [Paragraph(escape(line), style) for line in lines] or [Paragraph("—", style)]


def _parties_table(paper: AgreementPaper, style: ParagraphStyle) -> Table:
    head = ["当事人", "姓名", "身份证号码", "联系电话", "住址"]
    rows = [
        [
            SIDE_ZH.get(party.side, party.side),
            party.name,
            party.id_number or "—",
            party.phone or "—",
            party.address or "—",
        ]
        for party in paper.parties
    ]
    table = Table(
        [[Paragraph(escape(str(cell)), style) for cell in row] for row in [head, *rows]],
        colWidths=[20 * mm, 24 * mm, 44 * mm, 30 * mm, 56 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "#555555"),
                ("BACKGROUND", (0, 0), (-1, 0), "#eeeeee"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _signatures(paper: AgreementPaper, style: ParagraphStyle) -> Table:
    lines = [
        [f"{SIDE_ZH.get(party.side, '当事人')}（{party.name}）签名：", "________________"] for party in paper.parties
    ]
    lines += [["调解员签名：", "________________"], ["人民调解委员会（盖章）", ""]]
    table = Table([[Paragraph(escape(a), style), Paragraph(escape(b), style)] for a, b in lines], [70 * mm, 60 * mm])
    table.setStyle(TableStyle([("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    return table


def agreement_pdf(paper: AgreementPaper) -> bytes:
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=16 * mm, title="人民调解协议书"
    )
    perform = f"{paper.perform_by:%Y年%m月%d日}前" if paper.perform_by else "协议生效后即时履行"
    story = [
        Paragraph(escape(paper.committee), styles["title"]),
        Paragraph("人民调解协议书", styles["title"]),
        Paragraph(escape(f"编号：{paper.number}"), styles["number"]),
        Paragraph("一、当事人基本情况", styles["h2"]),
        _parties_table(paper, styles["cell"]),
        Paragraph(escape(f"二、纠纷主要事实、争议事项（{paper.kind_name}）"), styles["h2"]),
        *_text(paper.facts, styles["body"]),
        Paragraph("三、经调解，当事人自愿达成如下协议", styles["h2"]),
        *_text(paper.terms, styles["body"]),
        Paragraph("四、履行方式和期限", styles["h2"]),
        Paragraph(escape(f"当事人应按上述约定于{perform}履行。"), styles["body"]),
        Paragraph(
            escape(
                "本协议自各方当事人签名、调解员签名并加盖人民调解委员会印章之日起生效，具有法律约束力，"
                "当事人应当按照约定履行。当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。"
                f"本协议一式{_chinese_count(len(paper.parties) + 1)}份，当事人各执一份，人民调解委员会留存一份。"
            ),
            styles["body"],
        ),
        Spacer(1, 10),
        _signatures(paper, styles["sign"]),
        Spacer(1, 6),
        Paragraph(escape(f"调解员：{paper.mediator_name or '—'}"), styles["sign"]),
        Paragraph(escape(f"{paper.signed_on:%Y年%m月%d日}"), styles["sign"]),
    ]
    doc.build(story)
    return buffer.getvalue()
