"""The one Chinese font of the PDFs the apps print (notices, statements, receipts): WenQuanYi
Micro Hei, vendored in `core/fonts` with its licence, registered with ReportLab once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
FONT = "WenQuanYiMicroHei"


@lru_cache(maxsize=1)
def pdf_font() -> str:
    """The registered font's name, for ReportLab styles."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))
    return FONT
