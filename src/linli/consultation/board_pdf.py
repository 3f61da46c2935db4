"""A community's public board as a PDF for the physical board (公开栏), in Chinese whatever the
reader's language (a paper for a Chinese community's wall): A4, Chinese through the
vendored font (`core.pdf`, CJK line breaking), the notices showing today grouped by kind and the
conventions in force. Laid out from `selectors.board.public_board`; this module only lays out."""

from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from linli.consultation.domain.board import NOTICE_KIND_ZH
from linli.consultation.selectors.board import PublicBoard
from linli.core.pdf import pdf_font


def _styles() -> dict[str, ParagraphStyle]:
    font = pdf_font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=22, leading=30, alignment=1, spaceAfter=4),
        "date": ParagraphStyle("date", fontName=font, fontSize=10, leading=14, alignment=1, spaceAfter=10),
        "h2": ParagraphStyle("h2", fontName=font, fontSize=15, leading=22, spaceBefore=10, spaceAfter=4),
        "h3": ParagraphStyle("h3", fontName=font, fontSize=12, leading=18, spaceBefore=6, spaceAfter=2),
        "body": ParagraphStyle("body", fontName=font, fontSize=11, leading=18, firstLineIndent=22, wordWrap="CJK"),
        "small": ParagraphStyle("small", fontName=font, fontSize=9, leading=13, wordWrap="CJK"),
    }


def _paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return [Paragraph(escape(line), style) for line in lines]


def _period(notice) -> str:
    if notice.public_until:
        return f"公示期：{notice.public_from:%Y年%m月%d日}至{notice.public_until:%Y年%m月%d日}"
    return f"公示起始：{notice.public_from:%Y年%m月%d日}"


def board_pdf(board: PublicBoard, today: dt.date) -> bytes:
    s = _styles()
    story: list = [
        Paragraph(escape(f"{board.name}公开栏"), s["title"]),
        Paragraph(escape(f"{today:%Y年%m月%d日}"), s["date"]),
    ]
    for kind, notices in board.by_kind:
        story.append(Paragraph(escape(NOTICE_KIND_ZH[kind]), s["h2"]))
        for notice in notices:
            story += [Paragraph(escape(notice.title), s["h3"]), *_paragraphs(notice.body, s["body"])]
            story.append(Paragraph(escape(_period(notice)), s["small"]))
    if board.conventions:
        story.append(Paragraph(escape("现行公约章程"), s["h2"]))
        for convention, version in board.conventions:
            head = (
                f"{convention.title}（{version.adopted_on:%Y年%m月%d日}通过）"
                if version.adopted_on
                else convention.title
            )
            story += [Paragraph(escape(head), s["h3"]), *_paragraphs(version.text, s["body"])]
    if len(story) == 2:
        story.append(Paragraph(escape("今日暂无公开事项。"), s["body"]))
    story.append(Spacer(1, 6 * mm))
    buffer = io.BytesIO()
    margin = 18 * mm
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin
    )
    document.title = board.name
    document.build(story)
    return buffer.getvalue()
