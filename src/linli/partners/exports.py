"""Spreadsheets of the register: the list as filtered (phones masked), and the import template
(the same columns, with one example row and the kinds)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from linli.core.actor import Actor
from linli.core.sheets import Sheet, workbook
from linli.partners.domain import KIND_EN, KIND_ZH, REGISTER_COLUMNS, STATUS_ZH, OrgKind
from linli.partners.selectors import social_org_list, unit_name_map


def register_xlsx(*, actor: Actor, **filters) -> bytes:
    orgs = list(social_org_list(actor=actor, **filters))
    names = unit_name_map({org.unit_path for org in orgs})
    headers = [zh for _key, zh, _en in REGISTER_COLUMNS] + ["所在单位", "等级", "评定年度", "状态", "编号"]
    rows = (
        [
            org.name,
            KIND_ZH.get(org.kind, org.kind),
            STATUS_ZH.get(org.status, org.status),
            org.credit_code,
            org.unit_path,
            "是" if org.citywide else "否",
            org.responsible_name,
            org.responsible_phone_masked,
            org.premises,
            org.services,
            org.founded_on.isoformat() if org.founded_on else "",
            org.filed_on.isoformat() if org.filed_on else "",
            org.name_en,
            names.get(org.unit_path, ""),
            org.grade,
            org.grade_year,
            "正常" if org.active else "已注销",
            str(org.public_id),
        ]
        for org in orgs
    )
    return workbook([Sheet(_("Social organisations"), headers, rows, {0: 28, 3: 22, 8: 24, 9: 30, 13: 16})])


def template_xlsx() -> bytes:
    example = [
        [
            "示例社区邻里互助会",
            "居民互助类",
            "备案",
            "",
            "210102001002",
            "否",
            "王丽",
            "13812345678",
            "社区党群服务中心二楼",
            "邻里守望、助老送餐",
            "2023-05-01",
            "2023-06-01",
            "",
        ],
        [
            "示例社区公益服务中心",
            "公益慈善类",
            "登记",
            "91350100M000100Y43",
            "210102001000",
            "否",
            "李强",
            "024-22345678",
            "街道社会组织孵化基地",
            "助学、助残",
            "2019-09-10",
            "2019-10-08",
            "",
        ],
    ]
    kinds = [[KIND_ZH[k], KIND_EN[k], k.value] for k in OrgKind]
    notes = [
        ["登记或备案", "填“登记”（须有统一社会信用代码）或“备案”（不填代码）"],
        ["所在单位代码", "社区、街道或区县的12位区划代码；全市性组织填市的代码并在“全市性”填“是”"],
        ["日期", "写成 2024-03-01"],
    ]
    return workbook(
        [
            Sheet(_("Social organisations"), [zh for _k, zh, _en in REGISTER_COLUMNS], example, {0: 28, 3: 22}),
            Sheet(_("Kinds"), ["类别", "Kind", "code"], kinds, {0: 16, 1: 28}),
            Sheet(_("Notes"), ["列", "说明"], notes, {0: 16, 1: 80}),
        ]
    )
