"""Exports of volunteers and activity rosters (XLSX or CSV), masked as every export is.

The national volunteer information system (全国志愿服务信息系统) publishes no import format we
could find, so the columns below are our own, documented in docs/volunteers.md; they carry what
its volunteer and service-record templates ask for (name, ID type and number, phone, area,
service hours), with ID numbers and phones masked."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils import timezone

from linli.core.actor import Actor
from linli.core.services import audit_record
from linli.core.sheets import Sheet, workbook
from linli.core.web import xlsx_response
from linli.volunteers import selectors
from linli.volunteers.domain import SKILL_ZH, VolunteerStatus, hours_label, star_level
from linli.volunteers.models import Activity

VOLUNTEER_COLUMNS = [
    "志愿者编号",
    "姓名",
    "证件类型",
    "证件号码（脱敏）",
    "性别",
    "出生日期",
    "手机号码（脱敏）",
    "所在社区代码",
    "所在社区",
    "服务技能",
    "可服务时间",
    "注册时间",
    "状态",
    "累计服务时长（小时）",
    "星级",
]
ROSTER_COLUMNS = [
    "班次开始",
    "班次结束",
    "姓名",
    "手机号码（脱敏）",
    "报名状态",
    "签到时间",
    "签退时间",
    "服务分钟",
    "评价",
]
MAX_ROWS = 100_000


def volunteer_rows(volunteers) -> list[list]:
    rows = list(volunteers[:MAX_ROWS])
    names = selectors.names_of_units({v.registered_path for v in rows})
    minutes = selectors.approved_minutes_of([v.pk for v in rows])
    skills = {str(k): v for k, v in SKILL_ZH.items()}
    statuses = dict(VolunteerStatus.choices)
    out = []
    for v in rows:
        total = minutes.get(v.pk, 0)
        out.append(
            [
                str(v.public_id),
                v.name,
                "居民身份证",
                v.id_number_masked,
                "男" if v.gender == "male" else "女",
                v.birth_date.isoformat(),
                v.phone_masked,
                v.registered_path,
                names.get(v.registered_path, ""),
                "、".join(str(skills.get(s, s)) for s in v.skills),
                v.availability,
                timezone.localtime(v.registered_at).strftime("%Y-%m-%d %H:%M"),
                str(statuses.get(v.status, v.status)),
                hours_label(total),
                star_level(total),
            ]
        )
    return out


def volunteers_download(*, actor: Actor, volunteers, fmt: str) -> HttpResponse:
    rows = volunteer_rows(volunteers)
    audit_record(actor=actor, action="volunteer.export", object_type="volunteer", details={"rows": len(rows)})
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(VOLUNTEER_COLUMNS)
        writer.writerows(rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="volunteers-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response
    content = workbook([Sheet("志愿者", VOLUNTEER_COLUMNS, rows)])
    return xlsx_response(content, f"志愿者-{stamp}.xlsx")


def roster_download(activity: Activity) -> HttpResponse:
    checks = selectors.activity_hours(activity)
    rows = []
    for s in selectors.roster(activity):
        row = checks.get((s.volunteer_id, s.shift_id))
        rows.append(
            [
                timezone.localtime(s.shift.starts_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(s.shift.ends_at).strftime("%H:%M"),
                s.volunteer.name,
                s.volunteer.phone_masked,
                str(s.get_state_display()),
                timezone.localtime(row.checked_in_at).strftime("%H:%M") if row and row.checked_in_at else "",
                timezone.localtime(row.checked_out_at).strftime("%H:%M") if row and row.checked_out_at else "",
                row.minutes if row else "",
                s.rating or "",
            ]
        )
    content = workbook([Sheet("花名册", ROSTER_COLUMNS, rows)])
    return xlsx_response(content, f"花名册-{activity.title[:30]}.xlsx")
