"""Care services, stage entitlements: reads, scoped by the actor's paths, failing closed. The list
in force on a day, an elder's facts for the list's conditions, and `entitlement_check`, the one
answer every order (resident, worker, family bed) goes through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.domain import CARE_LIST_EDIT, CARE_MANAGE, CARE_VIEW
from linli.areas.selectors import holds_citywide
from linli.care.domain.entitlements import (
    CareLevel,
    Condition,
    Entitlement,
    ItemTerms,
    PersonFacts,
    assessment_form,
    best_share,
    entitlement_decide,
)
from linli.care.domain.orders import OrderState
from linli.care.domain.targets import Target
from linli.care.models import CareAssessment, Order, ServiceItem, ServiceList
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection
from linli.residents.selectors import CarePerson, care_people_by_refs, care_person

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


# ================================================================ the list, for staff


def may_read_list(actor: Actor) -> bool:
    return actor.has_perm(CARE_VIEW) or actor.has_perm(CARE_MANAGE) or actor.has_perm(CARE_LIST_EDIT)


def may_edit_list(actor: Actor) -> bool:
    """CARE_LIST_EDIT and a posting that covers the whole city (a district's officer reads it)."""
    return holds_citywide(actor, CARE_LIST_EDIT)


def list_versions() -> list[ServiceList]:
    """Every version, newest first, with its item count (one query)."""
    return list(ServiceList.objects.annotate(item_count=Count("items")).order_by("-version"))


def list_get(*, actor: Actor, version: int) -> ServiceList:
    if not may_read_list(actor):
        raise not_found("清单", "List")
    found = ServiceList.objects.filter(version=version).first()
    if found is None:
        raise not_found("清单", "List")
    return found


def list_items(service_list: ServiceList) -> list[ServiceItem]:
    return list(service_list.items.order_by("order", "code"))


def list_item_get(*, actor: Actor, version: int, code: str) -> ServiceItem:
    item = ServiceItem.objects.filter(service_list__version=version, code=code).select_related("service_list").first()
    if item is None or not may_read_list(actor):
        raise not_found("清单项目", "List item")
    return item


def list_state(service_list: ServiceList, today: date) -> str:
    """ "draft", "in_force", "coming" (published, from a later day) or "past" (replaced)."""
    if service_list.published_at is None:
        return "draft"
    if service_list.effective_from and service_list.effective_from > today:
        return "coming"
    current = list_in_force(today)
    return "in_force" if current is not None and current.pk == service_list.pk else "past"


# ================================================================ an elder's entitlements


@dataclass(frozen=True)
class EntitlementRow:
    """One item of the list in force as it stands for one elder this month (one unit asked)."""

    item: ServiceItem
    entitlement: Entitlement
    government_per_unit: Decimal
    resident_per_unit: Decimal
    remaining: int | None  # subsidised units left this month; None: no cap

    @property
    def allowed(self) -> bool:
        return self.entitlement.allowed

    @property
    def subsidised(self) -> bool:
        return self.entitlement.subsidised_units > 0


def used_by_item(person_ref: str, month: date) -> dict[str, int]:
    """Units ordered for the elder in the month per item code, not cancelled or refused (one query)."""
    rows = (
        Order.objects.filter(person_ref=person_ref, month=month)
        .exclude(state__in=NOT_COUNTED)
        .values("item__code")
        .annotate(n=Sum("quantity"))
        .values_list("item__code", "n")
    )
    return {code: int(n or 0) for code, n in rows}


def entitlement_rows(person: CarePerson, on: date, items: list[ServiceItem] | None = None) -> list[EntitlementRow]:
    """Every item in force for the elder on the day: allowed or not with the reason, the share,
    what each side pays for one unit and the units left under the cap (three queries)."""
    items = items_in_force(on) if items is None else items
    facts = person_facts(person, on)
    used = used_by_item(person.public_id, on.replace(day=1))
    rows = []
    for item in items:
        terms = item_terms(item)
        answer = entitlement_decide(terms, facts, used=used.get(item.code, 0), quantity=1)
        remaining = None if not item.monthly_cap else max(0, item.monthly_cap - answer.used)
        if answer.allowed and answer.subsidised_units == 0 and best_share(terms, facts) is not None:
            remaining = 0
        rows.append(EntitlementRow(item, answer, answer.government_pays, answer.resident_pays, remaining))
    return rows


def elder_get(*, actor: Actor, person_ref: str) -> CarePerson:
    """An elder of the actor's scope for the staff pages; one 404 for missing and outside."""
    if not (actor.has_perm(CARE_VIEW) or actor.has_perm(CARE_MANAGE)):
        raise not_found("老人", "Elder")
    person = care_person(actor=actor, public_id=person_ref)
    if person is None:
        raise not_found("老人", "Elder")
    return person


# ================================================================ assessments


def assessments_of(person_ref: str) -> list[CareAssessment]:
    """An elder's assessments, newest first (the caller has checked the elder is theirs)."""
    return list(CareAssessment.objects.filter(person_ref=person_ref).order_by("-assessed_on", "-pk"))


def assessment_get(*, actor: Actor, public_id) -> CareAssessment:
    if not (actor.has_perm(CARE_VIEW) or actor.has_perm(CARE_MANAGE)):
        raise not_found("评估", "Assessment")
    try:
        found = actor.scoped(CareAssessment.objects.all()).filter(public_id=public_id).first()
    except ValidationError:  # not a UUID: the same answer as missing
        found = None
    if found is None:
        raise not_found("评估", "Assessment")
    return found


def _due_queryset(actor: Actor, today: date):
    horizon = today + timedelta(days=assessment_form().due_within_days)
    return actor.scoped(CareAssessment.objects.filter(superseded=False, valid_until__lte=horizon))


@dataclass(frozen=True)
class DueRow:
    assessment: CareAssessment
    person: CarePerson | None
    expired: bool


def assessments_due(*, actor: Actor, today: date, limit: int | None = None) -> list[DueRow]:
    """Elders of the actor's scope whose current assessment has expired or expires within the
    form's notice (30 days), soonest first, with their names (two more queries)."""
    if not actor.has_perm(CARE_MANAGE) or not actor.scope_paths:
        return []
    rows = list(
        _due_queryset(actor, today).order_by("valid_until", "pk")[:limit]
        if limit
        else _due_queryset(actor, today).order_by("valid_until", "pk")
    )
    people = care_people_by_refs([str(r.person_ref) for r in rows])
    return [
        DueRow(r, people.get(str(r.person_ref)), r.valid_until < today) for r in rows if str(r.person_ref) in people
    ]


def entitlements_today(actor: Actor, today: date) -> WorkSection | None:
    """The workbench's section for a community or street: assessments due (expired, expiring)."""
    if not actor.has_perm(CARE_MANAGE) or not actor.scope_paths:
        return None
    counts = _due_queryset(actor, today).aggregate(
        expired=Count("pk", filter=Q(valid_until__lt=today)), soon=Count("pk", filter=Q(valid_until__gte=today))
    )
    if not counts["expired"] and not counts["soon"]:
        return None
    url = reverse("portal:care:entitlements-due")
    rows = [
        WorkRow(
            title=row.person.name if row.person else "—",
            detail=str(CareLevel(row.assessment.level).label),
            url=reverse("portal:care:entitlements-elder", args=[row.assessment.person_ref]),
            due=row.assessment.valid_until,
            due_label=_("Expired") if row.expired else _("Expires"),
            tone="danger" if row.expired else "warn",
        )
        for row in assessments_due(actor=actor, today=today, limit=FIRST_ROWS)
    ]
    return WorkSection(
        key="care_entitlements",
        title=_("Capability assessments due"),
        counts=[
            WorkCount("care.assessments.expired", _("Expired"), counts["expired"], url, "danger"),
            WorkCount("care.assessments.soon", _("Expiring within 30 days"), counts["soon"], url, "warn"),
        ],
        rows=rows,
        more_url=url,
    )


def entitlements_targets(*, actor: Actor, today: date) -> list[Target]:
    """This stage's lines on the care overview page, for the actor's scope (none when the actor
    may not see them)."""
    return []
