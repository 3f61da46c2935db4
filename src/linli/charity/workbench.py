"""Charity's part of the staff workbench: open needs past their date and still unmatched, matches
to deliver, large payments waiting for the residents' decision; the first of each as rows.
Registered in `CharityConfig.ready()`."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.charity.selectors import manages, match_list, needs_overdue, requests_waiting, workbench_counts
from linli.core.actor import Actor
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection


def charity_today(actor: Actor, today: date) -> WorkSection | None:
    if not manages(actor):
        return None
    counts = workbench_counts(actor=actor)
    home = reverse("portal:charity:home")
    items = [
        WorkCount(
            "charity.overdue", _("Needs unmatched past their date"), counts["overdue"], f"{home}?state=open", "danger"
        ),
        WorkCount(
            "charity.to_deliver",
            _("Matches to deliver"),
            counts["to_deliver"],
            reverse("portal:charity:deliveries"),
            "warn",
        ),
        WorkCount(
            "charity.waiting",
            _("Large payments waiting for a decision"),
            counts["waiting"],
            reverse("portal:charity:funds"),
            "info",
        ),
    ]
    rows: list[WorkRow] = []
    still, to_deliver, waiting = _("still needed"), _("To deliver"), _("Waiting for a decision")
    if counts["overdue"]:
        for need in needs_overdue(actor=actor, limit=FIRST_ROWS):
            rows.append(
                WorkRow(
                    title=need.title,
                    detail=f"{need.beneficiary} · {still} {need.remaining} {need.unit}",
                    url=reverse("portal:charity:need", args=[need.public_id]),
                    due=need.needed_by,
                    due_label=_("needed by %(day)s") % {"day": f"{need.needed_by:%m-%d}"} if need.needed_by else "",
                    tone="danger",
                )
            )
    if counts["to_deliver"] and len(rows) < FIRST_ROWS:
        for match in match_list(actor=actor, state="confirmed")[: FIRST_ROWS - len(rows)]:
            rows.append(
                WorkRow(
                    title=f"{to_deliver}: {match.need.title}",
                    detail=f"{match.offer.title} × {match.quantity} · {match.need.beneficiary}",
                    url=reverse("portal:charity:need", args=[match.need.public_id]),
                )
            )
    if counts["waiting"] and len(rows) < FIRST_ROWS:
        for request in requests_waiting(actor=actor)[: FIRST_ROWS - len(rows)]:
            rows.append(
                WorkRow(
                    title=f"{waiting}: {request.purpose}",
                    detail=f"{request.fund.name} · ¥{request.amount:,.2f}",
                    url=reverse("portal:charity:fund", args=[request.fund.public_id]),
                )
            )
    return WorkSection("charity", _("Charity and micro-funds"), items, rows, more_url=home)
