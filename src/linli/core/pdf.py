"""The one Chinese font of the PDFs the apps print (notices, statements, receipts): WenQuanYi
Micro Hei, vendored in `core/fonts` with its licence, registered with ReportLab once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
FONT = "WenQuanYiMicroHei"


# Chinese punctuation that must not begin a line. ReportLab's CJK wrapping (`wordWrap="CJK"`)
# hangs such a character on the line before, but its table knows Japanese punctuation only, so
# "，" or "；" could start a line of a Chinese paper; the table is extended once, with the font.
CANNOT_START_LINE = "，、；：！？）》」』】〕…"


@lru_cache(maxsize=1)
def pdf_font() -> str:
    """The registered font's name, for ReportLab styles."""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))
    for module in (textsplit, paragraph):  # each holds its own reference to the table
        module.ALL_CANNOT_START += "".join(c for c in CANNOT_START_LINE if c not in module.ALL_CANNOT_START)
    return FONT
