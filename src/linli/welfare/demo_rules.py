"""Social assistance demo: rules. One plausible city edit recorded through the service, so that
the rules page shows both kinds of value (shipped examples and the city's own): the urban and
rural dibao standards raised together from 2026-07-01, under a document number marked as a demo.
Idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from linli.accounts.selectors import actor_for_user, user_by_username
from linli.welfare.models import ParameterChange
from linli.welfare.services.rules import parameter_change_record

CITY_OFFICER = "demo_civil_affairs_city"
DEMO_DOCUMENT = "演示文号（非真实文件）沈民发〔2026〕00号"
DEMO_FROM = dt.date(2026, 7, 1)
DEMO_VALUE = Decimal("850")
DEMO_REASON = "演示：市政府年度调整城乡低保标准（城乡统一）"


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    user = user_by_username(CITY_OFFICER)
    if user is None:
        log(f"救助规则 welfare rules: no {CITY_OFFICER} account, no city edit recorded")
        return
    actor = actor_for_user(user)
    added = 0
    for name in ("dibao.standard.urban", "dibao.standard.rural"):
        if ParameterChange.objects.filter(name=name, valid_from=DEMO_FROM, document=DEMO_DOCUMENT).exists():
            continue
        parameter_change_record(
            actor=actor,
            name=name,
            value=DEMO_VALUE,
            valid_from=DEMO_FROM,
            reason=DEMO_REASON,
            document=DEMO_DOCUMENT,
            confirm_past=True,
        )
        added += 1
    log(f"救助规则 welfare rules: {added} city edit(s) of the dibao standard recorded (demo document)")
