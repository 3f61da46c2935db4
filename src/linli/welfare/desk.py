"""Social assistance's handler of the desk's items (the desk stays unaware of welfare): the items
named in `LINLI_WELFARE_DESK_ITEMS` with an assistance class open an application when the desk
accepts them, the desk's case page links to it, and the county's decision decides the case."""

from __future__ import annotations

from django.urls import reverse

from linli.core.errors import Msg
from linli.service_desk.handlers import DeskHandler, HandlerLink, desk_handler_register

HANDLER_KEY = "welfare"


def _link_for(case_number: str) -> HandlerLink | None:
    from linli.welfare.models import Application

    app = Application.objects.filter(desk_case_number=case_number).only("public_id", "number").first()
    if app is None:
        return None
    url = reverse("portal:welfare:application", args=[app.public_id])
    return HandlerLink(url=url, label=Msg(f"查看救助申请 {app.number}", f"Open application {app.number}"))


def _on_accept(actor, case) -> None:
    from linli.welfare.services.applications import desk_application_open

    desk_application_open(actor, case)


def _on_withdraw(actor, case, note: str) -> None:
    from linli.welfare.services.applications import desk_application_withdrawn

    desk_application_withdrawn(actor, case, note)


APPLICATIONS_HANDLER = DeskHandler(
    key=HANDLER_KEY,
    label=Msg(
        "由社会救助办理（审核确认在救助申请中进行）", "Handled in social assistance (decided in its application)"
    ),
    on_accept=_on_accept,
    link_for=_link_for,
    decides=True,
    on_withdraw=_on_withdraw,
)


def desk_register_applications() -> None:
    from linli.welfare.services.applications import desk_items

    desk_handler_register(desk_items().keys(), APPLICATIONS_HANDLER)
