"""The community burden list (减负): the district's list of certificates a community may issue
(证明事项清单) and of tasks it may take (社区工作事项准入, 费随事转). A department asks for a task by
naming its legal basis, the work and the funds it provides; the district approves or refuses; an
unlisted ask is refused and counted against the department."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

CERTIFICATE_PREFIX = "ZM"  # 证明: ZM + community code + yyyymm + serial
REQUEST_PREFIX = "ZR"  # 准入: ZR + district code + yyyymm + serial


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting the district")
    APPROVED = "approved", _("Approved: on the community task list")
    REFUSED = "refused", _("Entry refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


AUDIT_ACTIONS: dict[str, Msg] = {
    "consultation.certificate_kind_save": Msg("维护证明事项清单", "Certificate list edited"),
    "consultation.certificate_issue": Msg("出具证明", "Certificate issued"),
    "consultation.certificate_void": Msg("作废证明", "Certificate voided"),
    "consultation.task_request": Msg("部门申请社区工作事项准入", "Task entry requested"),
    "consultation.task_request_decide": Msg("审核社区工作事项准入", "Task entry decided"),
    "consultation.task_refusal": Msg("社区拒绝清单外事项", "Unlisted task refused by a community"),
    "consultation.community_task_end": Msg("社区工作事项退出清单", "Community task taken off the list"),
}

DISTRICT_LEN = 6  # a district's path: the first six digits of its division code
COMMUNITY_LEN = 12
CITY_ROWS = ""  # the city's list rows: they apply in every district
LIST_FILE = Path(__file__).resolve().parent.parent / "data" / "certificate_kinds.yaml"
FORBIDDEN_SOURCE = "民发〔2020〕20号"


@cache
def forbidden_certificates() -> frozenset[str]:
    """The national list of certificates a 居(村)委会 must not issue (民发〔2020〕20号)."""
    data = yaml.safe_load(LIST_FILE.read_text(encoding="utf-8"))
    return frozenset(data["forbidden"])


def is_forbidden(name: str) -> bool:
    """A name on the no-issue list, also when the list's name is written inside it (亲属关系证明（用于…）)."""
    name = name.strip()
    return any(item in name for item in forbidden_certificates())


def district_of(path: str) -> str:
    return path[:DISTRICT_LEN]


def in_force(since, until, day) -> bool:
    """On the list that day: `until` is the first day off the list (ending today stops it today)."""
    return since <= day and (until is None or until > day)
