"""Relief's handler of the desk's temporary-assistance item (临时救助, `SQ005` by default): the
items named `temporary` in `LINLI_WELFARE_DESK_ITEMS` open a temporary-assistance record when the
desk accepts them, the desk's case page links to it, and the district's grant or refusal (or the
street's refusal) decides the desk case. A second registration beside the applications' handler:
each handler registers its own items."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from linli.core.errors import Msg
from linli.service_desk.handlers import DeskHandler, HandlerLink, desk_handler_register

TEMPORARY = "temporary"


def relief_desk_items() -> list[str]:
    configured = getattr(settings, "LINLI_WELFARE_DESK_ITEMS", {}) or {}
    return sorted(code for code, kind in configured.items() if kind == TEMPORARY)


def _link_for(case_number: str) -> HandlerLink | None:
    from linli.welfare.selectors.relief import temporary_for_desk_case

    found = temporary_for_desk_case(case_number)
    if found is None:
        return None
    public_id, number = found
    url = reverse("portal:welfare:relief-item", args=[public_id])
    return HandlerLink(url=url, label=Msg(f"查看临时救助 {number}", f"Open temporary assistance {number}"))


def _on_accept(actor, case) -> None:
    from linli.welfare.services.relief import desk_temporary_open

    desk_temporary_open(actor, case)


def _on_withdraw(actor, case, note: str) -> None:
    from linli.welfare.services.relief import desk_temporary_withdrawn

    desk_temporary_withdrawn(actor, case, note)


def relief_handler() -> DeskHandler:
    from linli.welfare.services.relief import DESK_HANDLER_KEY

    return DeskHandler(
        key=DESK_HANDLER_KEY,
        label=Msg("由社会救助（临时救助）办理", "Handled in social assistance (temporary assistance)"),
        on_accept=_on_accept,
        link_for=_link_for,
        decides=True,
        on_withdraw=_on_withdraw,
    )


def desk_register_relief(codes: list[str] | None = None) -> None:
    desk_handler_register(relief_desk_items() if codes is None else codes, relief_handler())
