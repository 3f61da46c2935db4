"""Care services, stage orders: reads, scoped by the actor's paths, failing closed. Staff see the
orders and visits of their scope; a resident those of the people they care for; a provider's
dispatcher its provider's; a carer only the visits assigned to them. Missing and forbidden are one
answer (None → 404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from linli.accounts.domain import CARE_MANAGE, CARE_ORDER, CARE_PROVIDE, CARE_VIEW, CARE_VISIT
from linli.areas.models import OrgUnit
from linli.care.domain.orders import (
    APPROVAL_WORKING_DAYS,
    BAD_RATING,
    MemberKind,
    OrderState,
    RatingLevel,
    VisitState,
)
from linli.care.domain.targets import Target
from linli.care.models import FamilyLink, Order, Provider, ProviderArea, ProviderMember, Visit, VisitPhoto
from linli.core.actor import Actor
from linli.core.crypto import mask_phone
from linli.core.workbench import WorkCount, WorkSection
from linli.residents.selectors import CarePerson, care_household_people, care_people_by_refs, care_person_for_user
from linli.workdays.selectors import work_calendar

STAFF_PERMS = (CARE_VIEW, CARE_MANAGE)


def people_i_care_for(user_id: int | None) -> list[CarePerson]:
    """The people a resident account may order for: themself, the people of their household and
    the elders linked to the account (FamilyLink), each once, themself first."""
    if user_id is None:  # an actor without an account (anonymous, system) has no one to care for
        return []
    me = care_person_for_user(user_id)
    people: dict[str, CarePerson] = {}
    if me is not None:
        people[me.public_id] = me
        for person in care_household_people(me.household_ref) if me.household_ref else []:
            people.setdefault(person.public_id, person)
    linked = FamilyLink.objects.filter(user_id=user_id, ended_at__isnull=True).values_list("person_ref", flat=True)
    for ref, person in care_people_by_refs([str(r) for r in linked]).items():
        people.setdefault(ref, person)
    return list(people.values())


# ================================================================ providers


def _serving(path: str, day: date) -> Q:
    community = path[:12]
    return Q(
        areas__path=community,
        areas__since__lte=day,
        active=True,
    ) & (Q(areas__until__isnull=True) | Q(areas__until__gte=day))


def provider_serves(provider: Provider, path: str, day: date) -> bool:
    return Provider.objects.filter(_serving(path, day), pk=provider.pk).exists()


def providers_serving(path: str, day: date) -> list[Provider]:
    return list(Provider.objects.filter(_serving(path, day)).distinct().order_by("name"))


def provider_list(*, actor: Actor) -> QuerySet[Provider]:
    """Providers based in the scope or serving a community in it."""
    if not any(actor.has_perm(p) for p in STAFF_PERMS) or not actor.scope_paths:
        return Provider.objects.none()
    in_scope = ProviderArea.objects.filter(actor.scope_q("path")).values("provider_id")
    return (
        Provider.objects.filter(Q(pk__in=in_scope) | actor.scope_q("path"))
        .annotate(area_count=Count("areas", distinct=True), member_count=Count("members", distinct=True))
        .order_by("name")
    )


def provider_get(*, actor: Actor, public_id) -> Provider | None:
    try:
        return provider_list(actor=actor).filter(public_id=public_id).first()
    except Exception:  # not a UUID
        return None


def provider_areas(provider: Provider) -> list[ProviderArea]:
    return list(provider.areas.order_by("path"))


def provider_members(provider: Provider) -> list[ProviderMember]:
    """The provider's accounts, active first, each with `open_visits`: its visits not yet started
    (what ending a carer must hand over)."""
    return list(
        provider.members.select_related("user")
        .annotate(open_visits=Count("visits", filter=Q(visits__state=VisitState.SCHEDULED)))
        .order_by("-active", "kind", "name")
    )


@dataclass(frozen=True)
class FamilyAccount:
    """A family account linked to an elder, as the window shows it."""

    link: FamilyLink
    holder: str
    login_masked: str


def family_links_of(*, actor: Actor, person_ref) -> list[FamilyAccount]:
    """The accounts linked to an elder now, for the community worker (CARE_MANAGE, the elder's
    community in scope), with the holder's name; the login name is masked (it may be a phone
    number)."""
    if not actor.has_perm(CARE_MANAGE):
        return []
    links = FamilyLink.objects.filter(person_ref=person_ref, ended_at__isnull=True).select_related("user")
    return [
        FamilyAccount(
            link=link,
            holder=link.user.display_name,
            login_masked=mask_phone(link.user.username) if link.user.username.isdigit() else link.user.username,
        )
        for link in links.order_by("linked_at")
        if actor.sees_path(link.path)
    ]


def dispatcher_providers(actor: Actor) -> list[Provider]:
    if not actor.has_perm(CARE_PROVIDE) or actor.user_id is None:
        return []
    return list(
        Provider.objects.filter(
            members__user_id=actor.user_id, members__kind=MemberKind.DISPATCHER, members__active=True
        ).order_by("name")
    )


def provider_carers(provider_id: int) -> list[ProviderMember]:
    return list(ProviderMember.objects.filter(provider_id=provider_id, active=True).order_by("kind", "name"))


# ================================================================ orders, staff


def _with_item(qs: QuerySet[Order]) -> QuerySet[Order]:
    return qs.select_related("item", "provider", "carer")


def order_list(*, actor: Actor, state: str = "", q: str = "") -> QuerySet[Order]:
    if not any(actor.has_perm(p) for p in STAFF_PERMS):
        return Order.objects.none()
    orders = _with_item(actor.scoped(Order.objects.all()))
    if state == "no_provider":
        orders = orders.filter(state=OrderState.APPROVED, provider__isnull=True)
    elif state:
        orders = orders.filter(state=state)
    if q:
        orders = orders.filter(Q(number__icontains=q) | Q(person_name__contains=q))
    return orders


def order_get(*, actor: Actor, number: str) -> Order | None:
    return order_list(actor=actor).filter(number=number).first()


def approval_due_on(order: Order) -> date:
    return work_calendar().add_working_days(timezone.localtime(order.created_at).date(), APPROVAL_WORKING_DAYS)


def mark_overdue(orders, today: date):
    """Sets `approval_due` and `overdue` on each placed order (the work calendar, 2 working days)."""
    calendar = work_calendar()
    for order in orders:
        if order.state == OrderState.PLACED:
            order.approval_due = calendar.add_working_days(
                timezone.localtime(order.created_at).date(), APPROVAL_WORKING_DAYS
            )
            order.overdue = order.approval_due < today
        else:
            order.approval_due, order.overdue = None, False
    return orders


def order_counts(*, actor: Actor, today: date) -> dict[str, int]:
    orders = order_list(actor=actor)
    counts = dict(orders.order_by().values_list("state").annotate(n=Count("pk")))
    placed = list(orders.filter(state=OrderState.PLACED).select_related(None).only("created_at", "state"))
    counts["overdue"] = sum(1 for o in mark_overdue(placed, today) if o.overdue)
    counts["no_provider"] = orders.filter(state=OrderState.APPROVED, provider__isnull=True).count()
    return counts


def order_steps(order: Order):
    return list(order.steps.all())


def rating_labelled(visits):
    """Sets `rating_label` (the 好差评 level's name) on each visit."""
    for visit in visits:
        visit.rating_label = RatingLevel(visit.rating).label if visit.rating else ""
    return visits


def order_visits(order: Order) -> list[Visit]:
    return rating_labelled(list(order.visits.select_related("carer").prefetch_related("photos").order_by("slot_start")))


# ================================================================ orders, residents


def my_person_refs(actor: Actor) -> dict[str, CarePerson]:
    if not actor.has_perm(CARE_ORDER):
        return {}
    return {p.public_id: p for p in people_i_care_for(actor.user_id)}


def my_orders(*, actor: Actor) -> QuerySet[Order]:
    refs = list(my_person_refs(actor))
    return _with_item(Order.objects.filter(person_ref__in=refs)) if refs else Order.objects.none()


def my_order_get(*, actor: Actor, number: str) -> Order | None:
    return my_orders(actor=actor).filter(number=number).first()


# ================================================================ orders, providers and carers


def provider_orders(*, actor: Actor, state: str = "") -> QuerySet[Order]:
    providers = [p.pk for p in dispatcher_providers(actor)]
    if not providers:
        return Order.objects.none()
    orders = _with_item(Order.objects.filter(provider_id__in=providers)).exclude(state=OrderState.PLACED)
    if state:
        orders = orders.filter(state=state)
    return orders


def provider_order_get(*, actor: Actor, number: str) -> Order | None:
    return provider_orders(actor=actor).filter(number=number).first()


def carer_visits(*, actor: Actor, day: date | None = None) -> QuerySet[Visit]:
    """The visits assigned to the carer (today's by default, and any still open before it)."""
    if not actor.has_perm(CARE_VISIT) or actor.user_id is None:
        return Visit.objects.none()
    visits = Visit.objects.filter(carer__user_id=actor.user_id, carer__active=True).select_related(
        "order__item", "bed__item"
    )
    if day is not None:
        start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
        visits = visits.filter(slot_start__gte=start, slot_start__lt=start + timedelta(days=1))
    return visits.order_by("slot_start", "pk")


def carer_visit_get(*, actor: Actor, public_id) -> Visit | None:
    try:
        return carer_visits(actor=actor).filter(public_id=public_id).first()
    except Exception:  # not a UUID
        return None


# ================================================================ visits, staff


def visit_list(*, actor: Actor) -> QuerySet[Visit]:
    if not any(actor.has_perm(p) for p in STAFF_PERMS):
        return Visit.objects.none()
    return actor.scoped(Visit.objects.all()).select_related("order__item", "bed__item", "provider", "carer")


def visits_to_verify(*, actor: Actor) -> QuerySet[Visit]:
    return visit_list(actor=actor).filter(state=VisitState.DONE).order_by("slot_start", "pk")


def visit_get(*, actor: Actor, public_id) -> Visit | None:
    try:
        return visit_list(actor=actor).filter(public_id=public_id).first()
    except Exception:  # not a UUID
        return None


def bad_ratings(*, actor: Actor, answered: bool = False) -> QuerySet[Visit]:
    visits = visit_list(actor=actor).filter(rating__lte=BAD_RATING)
    return visits.filter(answer__isnull=not answered).select_related("answer").order_by("-rated_at", "-pk")


def photo_for(*, visit: Visit, public_id) -> VisitPhoto | None:
    try:
        return visit.photos.filter(public_id=public_id).first()
    except Exception:
        return None


@dataclass(frozen=True)
class ProviderFigures:
    visits: int
    late: int
    missed: int
    bad: int


def provider_figures(provider: Provider, month: date) -> ProviderFigures:
    """Late, missed and bad-rated visits of a provider in a month (the providers' page)."""
    row = Visit.objects.filter(provider=provider, month=month).aggregate(
        visits=Count("pk"),
        late=Count("pk", filter=Q(late=True)),
        missed=Count("pk", filter=Q(state=VisitState.MISSED)),
        bad=Count("pk", filter=Q(rating__lte=BAD_RATING)),
    )
    return ProviderFigures(**row)


# ================================================================ targets


def orders_targets(*, actor: Actor, today: date) -> list[Target]:
    """Coverage of government-purchased home care: urban communities in scope with an active
    ProviderArea, against all urban communities in scope (goal 100 % by 2025)."""
    if not any(actor.has_perm(p) for p in (*STAFF_PERMS, "care.figures")) or not actor.scope_paths:
        return []
    communities = actor.scoped(OrgUnit.objects.filter(kind="community", urban_rural="urban", is_active=True))
    paths = set(communities.values_list("path", flat=True))
    covered = set(
        ProviderArea.objects.filter(path__in=paths, since__lte=today, provider__active=True)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .values_list("path", flat=True)
    )
    return [
        Target(
            key="home_care_coverage",
            label=gettext("Urban communities covered by government-purchased home care"),
            done=len(covered),
            base=len(paths),
            goal=1.0,
            goal_label=gettext("Every urban community by 2025"),
            url="/staff/care/providers/",
        )
    ]


# ================================================================ workbench


def orders_today(actor: Actor, today: date) -> WorkSection | None:
    """The workbench's care-orders section: the community's orders to approve (overdue apart),
    visits to verify and bad ratings; a dispatcher's orders to accept; a carer's visits today."""
    counts: list[WorkCount] = []
    if actor.has_perm(CARE_MANAGE):
        c = order_counts(actor=actor, today=today)
        counts += [
            WorkCount(
                "care.orders.placed",
                gettext("Care orders to approve"),
                c.get(OrderState.PLACED, 0),
                "/staff/care/orders/?state=placed",
            ),
            WorkCount(
                "care.orders.overdue",
                gettext("Care orders overdue for approval"),
                c["overdue"],
                "/staff/care/orders/?state=placed",
                tone="danger",
            ),
            WorkCount(
                "care.visits.verify",
                gettext("Care visits to verify"),
                visits_to_verify(actor=actor).count(),
                "/staff/care/orders/visits/",
            ),
            WorkCount(
                "care.ratings.bad",
                gettext("Bad ratings to answer"),
                bad_ratings(actor=actor).count(),
                "/staff/care/orders/ratings/",
            ),
        ]
    if actor.has_perm(CARE_PROVIDE):
        waiting = provider_orders(actor=actor, state=OrderState.APPROVED).count()
        counts.append(WorkCount("care.orders.accept", gettext("Care orders to accept"), waiting, "/provider/orders/"))
    if actor.has_perm(CARE_VISIT):
        mine = carer_visits(actor=actor, day=today).filter(state__in=[VisitState.SCHEDULED, VisitState.CHECKED_IN])
        counts.append(WorkCount("care.visits.today", gettext("Home visits today"), mine.count(), "/provider/today/"))
    if not counts:
        return None
    return WorkSection("care_orders", gettext("Home-care orders"), counts)


def visit_by_public_id(public_id) -> int:
    """A visit's row id, 0 when there is none (the rating service checks who may rate it)."""
    try:
        return Visit.objects.filter(public_id=public_id).values_list("pk", flat=True).first() or 0
    except Exception:  # not a UUID
        return 0
