"""The time bank's part of the staff workbench: exchanges waiting to be arranged, delivered or
confirmed in the community worker's area. Registered in `TimeBankConfig.ready()`."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from linli.core.actor import Actor
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection
from linli.timebank.domain import ExchangeState, minutes_text
from linli.timebank.selectors import QUEUE_STATES, exchange_counts, exchange_list, may_manage

TONES = {ExchangeState.REQUESTED: "warn", ExchangeState.ARRANGED: "info", ExchangeState.DELIVERED: "info"}


def _labels() -> dict[str, str]:
    return {
        ExchangeState.REQUESTED: _("Exchanges to arrange"),
        ExchangeState.ARRANGED: _("Exchanges to deliver"),
        ExchangeState.DELIVERED: _("Exchanges to confirm"),
    }


def timebank_today(actor: Actor, today: date) -> WorkSection | None:
    """Two queries: the counts per state, the first rows."""
    if not may_manage(actor):
        return None
    counts = exchange_counts(actor=actor)
    board = reverse("portal:timebank:exchanges")
    labels = _labels()
    items = [
        WorkCount(f"timebank.{state}", labels[state], counts[state], f"{board}?state={state}", TONES[state])
        for state in QUEUE_STATES
    ]
    language = "en" if (translation.get_language() or "").startswith("en") else "zh"
    rows = [
        WorkRow(
            title=f"{exchange.service.name_zh if language == 'zh' else exchange.service.name_en} × {exchange.units}",
            detail=f"{minutes_text(exchange.minutes, language)} · {exchange.get_state_display()}",
            url=reverse("portal:timebank:exchange", args=[exchange.public_id]),
            due=timezone.localtime(exchange.scheduled_for).date() if exchange.scheduled_for else None,
            tone="warn" if exchange.state == ExchangeState.REQUESTED else "",
        )
        for exchange in exchange_list(actor=actor, state="open")[:FIRST_ROWS]
    ]
    return WorkSection("timebank", _("Time bank"), items, rows, more_url=board)
