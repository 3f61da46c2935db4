"""Care services, stage entitlements: reads, scoped by the actor's paths, failing closed. The list
in force on a day, an elder's facts for the list's conditions, and `entitlement_check`, the one
answer every order (resident, worker, family bed) goes through."""

from __future__ import annotations

from datetime import date

from django.db.models import Sum

from linli.care.domain.entitlements import Condition, Entitlement, ItemTerms, PersonFacts, entitlement_decide
from linli.care.domain.orders import OrderState
from linli.care.domain.targets import Target
from linli.care.models import CareAssessment, Order, ServiceItem, ServiceList
from linli.core.actor import Actor
from linli.residents.selectors import CarePerson

# orders that no longer hold a place under the monthly cap
NOT_COUNTED = (OrderState.CANCELLED, OrderState.REFUSED)


def list_in_force(on: date) -> ServiceList | None:
    """The published list version in force on a day (the latest effective on or before it)."""
    return (
        ServiceList.objects.filter(published_at__isnull=False, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )


def items_in_force(on: date) -> list[ServiceItem]:
    service_list = list_in_force(on)
    return list(service_list.items.all()) if service_list else []


def level_of(person_ref: str, on: date) -> int | None:
    """The level of the elder's latest assessment valid on the day; None when there is none."""
    return (
        CareAssessment.objects.filter(person_ref=person_ref, assessed_on__lte=on, valid_until__gte=on)
        .order_by("-assessed_on", "-pk")
        .values_list("level", flat=True)
        .first()
    )


def person_facts(person: CarePerson, on: date) -> PersonFacts:
    return PersonFacts(
        age=person.age_on(on),
        care_kinds=frozenset(person.care_kinds),
        disability=person.disability or "",
        level=level_of(person.public_id, on),
    )


def item_terms(item: ServiceItem) -> ItemTerms:
    return ItemTerms(
        code=item.code,
        unit_price=item.unit_price,
        monthly_cap=item.monthly_cap,
        conditions=tuple(Condition.from_data(c) for c in item.conditions or ()),
        own_cost_allowed=item.own_cost_allowed,
    )


def units_used(*, person_ref: str, item_code: str, month: date) -> int:
    """Units of an item (by code, whichever list version) ordered for the elder in the month and
    not cancelled or refused."""
    used = (
        Order.objects.filter(person_ref=person_ref, item__code=item_code, month=month)
        .exclude(state__in=NOT_COUNTED)
        .aggregate(n=Sum("quantity"))["n"]
    )
    return int(used or 0)


def entitlement_check(*, person: CarePerson, item: ServiceItem, quantity: int, on: date) -> Entitlement:
    """Whether `quantity` units of `item` may be ordered for the elder in the month of `on`, at
    what share and who pays what. Call it inside the ordering transaction, after locking what
    serialises orders for the elder, so two orders cannot both take the last unit under the cap."""
    month = on.replace(day=1)
    used = units_used(person_ref=person.public_id, item_code=item.code, month=month)
    return entitlement_decide(item_terms(item), person_facts(person, on), used=used, quantity=quantity)


def entitlements_targets(*, actor: Actor, today: date) -> list[Target]:
    """This stage's lines on the care overview page, for the actor's scope (none when the actor
    may not see them)."""
    return []
