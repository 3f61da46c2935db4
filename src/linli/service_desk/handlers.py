"""Desk items handled by an app above the desk (the desk stays unaware of it).

Some catalogue items are decided by a capability of their own: the 低保/特困 items by social
assistance (`welfare`), which has its own survey, notice and county decision. Such an app
registers a `DeskHandler` for its item codes in its `AppConfig.ready()`; the desk then

- calls `on_accept` **inside its own transaction** when a case of those items is accepted (at
  the window or from the online queue), with a small `HandledCase` (never the model), so the
  other app's record is created atomically with the acceptance — a refusal there refuses the
  acceptance and nothing is saved;
- shows the handler's link on the case page ("由社会救助办理 → the application");
- when `decides` is true, hides and refuses its own review and decision steps for those items:
  the decision comes back through `services.handled_case_decide`, taken with the other app's
  officer as actor; a withdrawal at the desk is passed to `on_withdraw` in the same transaction.

Item codes are data (the welfare app reads them from a setting), so a city can point other items
at a handler; several handlers may register, each for its own items.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from linli.core.actor import Actor
from linli.core.errors import Msg


@dataclass(frozen=True)
class HandledCase:
    """What a handler learns of a desk case: enough to open its own record and link back."""

    number: str
    public_id: str
    item_code: str
    applicant_ref: str  # the resident's public id in the pool
    applicant_name: str
    applicant_id_masked: str
    home_path: str
    accepted_path: str
    channel: str


@dataclass(frozen=True)
class HandlerLink:
    url: str
    label: Msg  # e.g. 查看救助申请 JZ2101022026120700001


@dataclass(frozen=True)
class DeskHandler:
    key: str  # a stable name, e.g. "welfare"; `handled_case_decide` checks it
    label: Msg  # shown on the case page: "由社会救助办理"
    on_accept: Callable[[Actor, HandledCase], None]
    link_for: Callable[[str], HandlerLink | None]  # case number → the handler's record
    decides: bool = True  # the desk's review and decision steps belong to the handler
    on_withdraw: Callable[[Actor, HandledCase, str], None] | None = None  # (actor, case, note)


_HANDLERS: dict[str, DeskHandler] = {}

# the desk steps a deciding handler takes over (and so the supplement answer that follows one)
HANDLED_ACTIONS = frozenset({"start_review", "request_supplement", "supply", "decide"})


def desk_handler_register(item_codes: Iterable[str], handler: DeskHandler) -> None:
    """Register `handler` for `item_codes`. Registering the same handler again is harmless; a
    second handler for an item already taken is a configuration error (two apps cannot both
    decide one item)."""
    for code in item_codes:
        code = code.strip()
        current = _HANDLERS.get(code)
        if current is not None and current.key != handler.key:
            raise ImproperlyConfigured(f"desk item {code} is already handled by {current.key}, not {handler.key}")
        _HANDLERS[code] = handler


def desk_handler_for(item_code: str) -> DeskHandler | None:
    return _HANDLERS.get(item_code)


def desk_handled_items(handler_key: str) -> list[str]:
    return sorted(code for code, handler in _HANDLERS.items() if handler.key == handler_key)


def desk_handler_unregister(item_codes: Iterable[str]) -> None:
    for code in item_codes:
        _HANDLERS.pop(code, None)


@contextmanager
def desk_handlers_replaced(handlers: dict[str, DeskHandler]) -> Iterator[None]:
    """For tests: exactly `handlers` registered for the duration, then the previous ones back."""
    saved = dict(_HANDLERS)
    _HANDLERS.clear()
    _HANDLERS.update(handlers)
    try:
        yield
    finally:
        _HANDLERS.clear()
        _HANDLERS.update(saved)
