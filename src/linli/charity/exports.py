"""The XLSX of a fund's ledger: every entry in order with its running balance, receipts and
decisions. Anonymous donors appear as 匿名 (the export follows the public ledger); the name kept
for the record stays in the database."""

from __future__ import annotations

from django.utils.translation import gettext as _

from linli.charity.domain import EntryKind
from linli.charity.models import FundEntry, MicroFund
from linli.core.sheets import Sheet, workbook


def donor_shown(entry: FundEntry) -> str:
    if entry.kind != EntryKind.DONATION:
        return ""
    return _("Anonymous") if entry.anonymous else entry.donor_name


def ledger_xlsx(*, fund: MicroFund, entries: list[FundEntry]) -> bytes:
    headers = [
        _("Date"),
        _("Kind"),
        _("Income (yuan)"),
        _("Spending (yuan)"),
        _("Balance (yuan)"),
        _("Receipt number"),
        _("Donor"),
        _("What for"),
        _("Payee"),
        _("Residents' decision"),
        _("Decision date"),
        _("Meeting or reference"),
        _("Corrects"),
        _("Reason"),
        _("Recorded by"),
    ]
    by_pk = {e.pk: e for e in entries}
    rows = []
    for e in entries:
        corrected = by_pk.get(e.corrects_id) if e.corrects_id else None
        rows.append(
            [
                e.on.isoformat(),
                str(e.get_kind_display()),
                float(e.amount) if e.amount > 0 else None,
                float(-e.amount) if e.amount < 0 else None,
                float(e.balance_after),
                e.receipt,
                donor_shown(e),
                e.purpose,
                e.payee,
                e.decision_text,
                e.decision_on.isoformat() if e.decision_on else "",
                e.decision_ref,
                f"{corrected.on:%Y-%m-%d} {corrected.receipt}" if corrected else "",
                e.reason,
                e.recorded_by_name,
            ]
        )
    return workbook([Sheet(fund.name, headers, rows, widths={7: 30, 9: 40})])
