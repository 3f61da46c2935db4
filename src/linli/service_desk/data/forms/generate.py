"""Writes the blank forms shipped with the catalogue (PDF, Chinese with an English subtitle).

Run `uv run python src/linli/service_desk/data/forms/generate.py` after changing a form below;
the PDFs are committed so that a server never builds them. They are sample layouts (样表): a
district that has its own official form uploads it on the staff catalogue page instead.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

HERE = Path(__file__).resolve().parent
FONT_FILE = HERE.parents[2] / "core" / "fonts" / "wqy-microhei.ttc"
FONT = "WenQuanYiMicroHei"

PERSON = ["姓名", "性别", "出生日期", "公民身份号码", "户籍地址", "现居住地址", "联系电话"]
OPINIONS = ["社区（村）受理意见", "街道（乡镇）审核意见", "区县主管部门审批意见"]
FORMS: dict[str, tuple[str, str, list[str], list[str]]] = {
    "gaoling_allowance_application.pdf": (
        "高龄津贴申请表",
        "Application form for the old-age allowance (aged 80 and over)",
        [*PERSON, "代办人姓名及关系", "开户银行", "银行卡或社会保障卡号"],
        OPINIONS,
    ),
    "dibao_application.pdf": (
        "最低生活保障申请书",
        "Application for the minimum living allowance",
        [*PERSON, "共同生活家庭成员人数", "家庭月总收入（元）", "申请理由"],
        OPINIONS,
    ),
    "temporary_assistance_application.pdf": (
        "临时救助申请书",
        "Application for temporary assistance",
        [*PERSON, "遭遇困难的时间和原因", "已获得的其他救助", "申请救助金额（元）"],
        OPINIONS,
    ),
    "economic_check_authorisation.pdf": (
        "家庭经济状况核对授权书",
        "Authorisation to check the family's finances",
        [
            "申请事项",
            "共同生活家庭成员（姓名、身份号码、与申请人关系）",
            "授权核对的内容：收入、存款、不动产、车辆、证券等",
        ],
        ["全体家庭成员签字（手印）及日期"],
    ),
    "disability_allowance_application.pdf": (
        "残疾人两项补贴申请审批表",
        "Application and approval form for the two disability allowances",
        [*PERSON, "残疾人证号", "残疾类别和等级", "申请补贴类别（生活补贴／护理补贴）", "开户银行及账号"],
        OPINIONS,
    ),
}


def _pdf(path: Path, title: str, title_en: str, fields: list[str], opinions: list[str]) -> None:
    styles = {
        "title": ParagraphStyle("t", fontName=FONT, fontSize=18, leading=24, alignment=1),
        "sub": ParagraphStyle("s", fontName=FONT, fontSize=9, leading=13, alignment=1, textColor="#4a5568"),
        "cell": ParagraphStyle("c", fontName=FONT, fontSize=10.5, leading=15, wordWrap="CJK"),
    }
    rows = [[Paragraph(f, styles["cell"]), ""] for f in fields]
    rows += [
        [Paragraph(o, styles["cell"]), Paragraph("<br/><br/>（盖章）　　年　　月　　日", styles["cell"])]
        for o in opinions
    ]
    grid = Table(rows, colWidths=[55 * mm, 115 * mm], rowHeights=[11 * mm] * len(fields) + [26 * mm] * len(opinions))
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, "#2d3748"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    sign = Paragraph("申请人（签字或手印）：　　　　　　　　　　　　　年　　月　　日", styles["cell"])
    note = Paragraph("样表：格式供参考，以受理地社区服务中心提供的表格为准。Sample layout.", styles["sub"])
    document = SimpleDocTemplate(str(path), pagesize=A4, title=title, author="Linli", creator="Linli")
    document.build(
        [
            Paragraph(title, styles["title"]),
            Paragraph(title_en, styles["sub"]),
            *(Spacer(1, 6 * mm), grid, Spacer(1, 6 * mm), sign, Spacer(1, 8 * mm), note),
        ]
    )


def main() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))
    for name, (title, title_en, fields, opinions) in FORMS.items():
        _pdf(HERE / name, title, title_en, fields, opinions)
        print(name, (HERE / name).stat().st_size)


if __name__ == "__main__":
    main()
