"""A case file (办件档案) for someone who may see the case: a PDF with the record and its
timeline, or a ZIP holding that PDF, the record as JSON, the timeline as CSV and the uploaded
materials. Chinese renders in the PDF through the vendored WenQuanYi Micro Hei font (embedded as
a subset), so any viewer shows it. Identity stays masked; the export itself is audited."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from linli.core.actor import Actor
from linli.core.pdf import pdf_font
from linli.service_desk.domain import CaseState, MaterialStatus, action_label
from linli.service_desk.models import ServiceCase
from linli.service_desk.selectors import Receipt
from linli.service_desk.services import case_audit, case_snapshot, material_read


def _styles() -> dict[str, ParagraphStyle]:
    font = pdf_font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=6),
        "h2": ParagraphStyle("h2", fontName=font, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK"),
    }


def case_file_pdf(snapshot: dict) -> bytes:
    styles = _styles()
    body = styles["body"]

    def p(text) -> Paragraph:
        return Paragraph(escape(str(text if text not in (None, "") else "—")), body)

    def table(rows: list[list], widths: list[float]) -> Table:
        grid = Table([[p(c) for c in row] for row in rows], colWidths=widths, repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, "#9aa4b2"),
                    ("BACKGROUND", (0, 0), (-1, 0), "#e7f0fb"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return grid

    dates = snapshot["dates"]
    facts = [
        ["项目 Field", "内容 Value"],
        ["办件编号 Case number", snapshot["number"]],
        ["事项 Item", f"{snapshot['item']['name']} ({snapshot['item']['code']} v{snapshot['item']['version']})"],
        ["申请人 Applicant", f"{snapshot['applicant']['name']} {snapshot['applicant']['id_number']}"],
        ["渠道 Channel", snapshot["channel"]],
        ["承办单位 Deciding unit", snapshot["handling_department"] or snapshot["handling_path"]],
        ["状态 State", str(CaseState(snapshot["state"]).label)],
        ["决定 Decision", f"{snapshot['decision']} {snapshot['decision_note']}".strip()],
        ["提交 Submitted", dates["submitted_at"]],
        ["受理 Accepted", dates["accepted_at"]],
        ["承诺办结 Due", dates["due_on"]],
        ["办结 Decided", dates["decided_at"]],
        ["按期 On time", {True: "是 yes", False: "否 no"}.get(snapshot["finished_on_time"], "—")],
        ["补正暂停工作日 Paused", snapshot["paused_working_days"]],
    ]
    if snapshot["rating"]:
        facts.append(["评价 Rating", f"{snapshot['rating']['score']} {snapshot['rating']['comment']}".strip()])
    story = [
        Paragraph("办件档案 Case file", styles["title"]),
        table(facts, [45 * mm, 125 * mm]),
        Paragraph("办理过程 Timeline", styles["h2"]),
        table(
            [["时间 Time", "环节 Step", "经办 By", "说明 Note"]]
            + [
                [e["at"][:16].replace("T", " "), str(action_label(e["action"])), e["by"], e["note"]]
                for e in snapshot["timeline"]
            ],
            [32 * mm, 28 * mm, 45 * mm, 65 * mm],
        ),
    ]
    if snapshot["materials"]:
        story += [
            Paragraph("材料 Materials", styles["h2"]),
            table(
                [["材料 Material", "文件 File", "SHA-256"]]
                + [[m["key"], m["file"], m["sha256"][:16] + "…"] for m in snapshot["materials"]],
                [30 * mm, 80 * mm, 60 * mm],
            ),
        ]
    if snapshot["rectifications"]:
        story += [Paragraph("差评整改 Rectification", styles["h2"])]
        for r in snapshot["rectifications"]:
            story.append(p(f"{r['state']} {r['verdict']} {r['summary']}"))
            story += [p(f"回访 {f['at'][:16]} {f['method']}: {f['summary']}") for f in r["follow_ups"]]
    story.append(Spacer(1, 6 * mm))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, title=f"办件档案 {snapshot['number']}", leftMargin=20 * mm, rightMargin=20 * mm
    ).build(story)
    return buffer.getvalue()


def case_file_export(*, actor: Actor, case: ServiceCase, kind: str) -> tuple[bytes, str, str]:
    """(bytes, content type, file name) of the case file as "pdf" or "zip"; audited."""
    snapshot = case_snapshot(case)
    pdf = case_file_pdf(snapshot)
    case_audit(actor, "export", case, {"kind": kind})
    if kind == "pdf":
        return pdf, "application/pdf", f"{case.number}.pdf"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{case.number}.pdf", pdf)
        archive.writestr("case.json", json.dumps(snapshot, ensure_ascii=False, indent=1))
        timeline = io.StringIO()
        writer = csv.writer(timeline)
        writer.writerow(["at", "action", "to_state", "by", "note"])
        for event in snapshot["timeline"]:
            writer.writerow([event["at"], event["action"], event["to"], event["by"], event["note"]])
        archive.writestr("timeline.csv", "\ufeff" + timeline.getvalue())
        for material in case.materials.filter(purged_at__isnull=True):
            data = material_read(actor=actor, material=material, reason="导出办件档案")
            archive.writestr(f"materials/{material.material_key}-{material.filename}", data)
    return buffer.getvalue(), "application/zip", f"{case.number}.zip"


def receipt_pdf(*, actor: Actor, receipt: Receipt) -> tuple[bytes, str]:
    """(bytes, file name) of the acceptance receipt (受理回执) as an A4 PDF in both languages, to
    print at the window or send; audited like every export of a case."""
    case = receipt.case
    styles = _styles()
    body = styles["body"]

    def p(text) -> Paragraph:
        return Paragraph(escape(str(text if text not in (None, "") else "—")), body)

    window = receipt.window
    facts = [
        ["办件编号 Case number", case.number],
        ["事项 Item", case.item_version.name],
        ["申请人 Applicant", f"{case.applicant_name} {case.applicant_id_masked}"],
        ["受理时间 Accepted", timezone.localtime(case.accepted_at).strftime("%Y-%m-%d %H:%M")],
        ["受理单位 Accepted at", receipt.accepted_unit],
        ["受理人 Accepted by", receipt.accepted_by],
        ["审批单位 Decided by", receipt.handling_unit],
        ["承诺办结 Promised by", case.due_on.isoformat() if case.due_on else "即办 same day"],
    ]
    if case.deferred_until:
        facts.append(["容缺补交 Promised material by", case.deferred_until.isoformat()])
    if window:
        facts += [
            ["服务窗口 Window", window.name],
            ["地址 Address", window.address],
            ["电话 Phone", f"{window.phone} {window.hours}".strip()],
        ]
    grid = Table([[p(a), p(b)] for a, b in facts], colWidths=[48 * mm, 122 * mm])
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, "#9aa4b2"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    materials = Table(
        [[p("材料 Material"), p("状态 Status")]]
        + [[p(line.material.name), p(MaterialStatus(line.status).label)] for line in receipt.lines],
        colWidths=[120 * mm, 50 * mm],
    )
    materials.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.4, "#9aa4b2"), ("BACKGROUND", (0, 0), (-1, 0), "#e7f0fb")])
    )
    story = [
        Paragraph("受理回执 Acceptance receipt", styles["title"]),
        grid,
        Paragraph("收到的材料 Materials received", styles["h2"]),
        materials,
        Spacer(1, 4 * mm),
        p(
            "凭办件编号可在“我的申请”或拨打窗口电话查询办理进度。 Follow the case by its number under "
            "\u201cMy applications\u201d or by calling the window."
        ),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, title=f"受理回执 {case.number}", leftMargin=20 * mm, rightMargin=20 * mm
    ).build(story)
    case_audit(actor, "receipt", case)
    return buffer.getvalue(), f"{case.number}-receipt.pdf"
