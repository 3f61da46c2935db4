"""Stage board on the staff workbench: for the two committees, notices coming down within three
days (to renew or let go) and convention drafts under consultation (to adopt once decided). One
query for counts and rows together (a union); nothing for an actor with nothing to do."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.consultation.selectors.board import board_work
from linli.core.actor import Actor
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection, workbench_register


def board_today(actor: Actor, today: date) -> WorkSection | None:
    items = board_work(actor=actor, today=today)
    if not items:
        return None
    expiring = [i for i in items if i.what == "expiring"]
    consulting = [i for i in items if i.what == "consulting"]
    boards = reverse("portal:consultation:board-list")
    conventions = reverse("portal:consultation:board-conventions")
    counts = [
        WorkCount("board.expiring", _("Notices coming down within 3 days"), len(expiring), boards, "warn"),
        WorkCount("board.consulting", _("Convention drafts under consultation"), len(consulting), conventions),
    ]
    rows = [_row(i) for i in items[:FIRST_ROWS]]
    return WorkSection(
        "consultation_board", _("Public board and conventions"), [c for c in counts if c.count], rows, boards
    )


def _row(item) -> WorkRow:
    if item.what == "expiring":
        url = reverse("portal:consultation:board-manage", args=[item.path])
        return WorkRow(item.title, _("Notice"), url, item.day, _("Shown until"), "warn")
    url = reverse("portal:consultation:board-convention", args=[item.public_id])
    return WorkRow(item.title, _("Draft under consultation"), url)


def register() -> None:
    workbench_register("consultation_board", order=76, today=board_today)
