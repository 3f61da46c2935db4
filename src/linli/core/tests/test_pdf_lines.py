"""Chinese papers never begin a line with a comma or a full stop (the wrapping's hanging rule
knows Chinese punctuation once the font is registered)."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from linli.core.pdf import pdf_font

TEXT = (
    "本协议自各方当事人签名、调解员签名并加盖人民调解委员会印章之日起生效，具有法律约束力，"
    "当事人应当按照约定履行。当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。"
)


def _lines(width: int) -> list[str]:
    style = ParagraphStyle("body", fontName=pdf_font(), fontSize=11, leading=18, firstLineIndent=22, wordWrap="CJK")
    paragraph = Paragraph(TEXT, style)
    paragraph.wrap(width, 1000)
    return ["".join(line[1]) for line in paragraph.blPara.lines]


def test_no_line_of_a_paragraph_begins_with_chinese_punctuation():
    for width in range(250, 480, 3):  # every break position the paragraph meets
        lines = _lines(width)
        assert "".join(lines) == TEXT
        assert [line[0] for line in lines[1:] if line[0] in "，。、；："] == [], width
