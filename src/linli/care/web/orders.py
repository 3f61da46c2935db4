"""Care services, stage orders: pages (thin: parse, one service or selector, render). Residents
order for the people they care for (/my/care/orders/…, phone and elder mode first); staff approve,
order by proxy, verify and answer bad ratings (/staff/care/orders/…, /staff/care/providers/…);
a provider's dispatcher accepts and assigns, a carer checks in and out (/provider/…, phone).
The route lists at the end are joined in `web/urls.py`, `web/resident_urls.py` and
`web/provider_urls.py`."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.domain import CARE_MANAGE, CARE_ORDER, CARE_PROVIDE, CARE_VIEW, CARE_VISIT
from linli.areas.selectors import community_paths, unit_names
from linli.care.domain.orders import (
    MAX_DAYS_AHEAD,
    MemberKind,
    OrderState,
    ProviderKind,
    RatingLevel,
    VisitState,
    slot_choices,
    step_label,
)
from linli.care.selectors.entitlements import entitlement_check, items_in_force
from linli.care.selectors.orders import (
    bad_ratings,
    carer_visit_get,
    carer_visits,
    dispatcher_providers,
    family_links_of,
    mark_overdue,
    my_order_get,
    my_orders,
    my_person_refs,
    order_counts,
    order_get,
    order_list,
    order_steps,
    order_visits,
    photo_for,
    provider_areas,
    provider_carers,
    provider_get,
    provider_list,
    provider_members,
    provider_order_get,
    provider_orders,
    providers_serving,
    rating_labelled,
    visit_get,
    visits_to_verify,
)
from linli.care.services.orders import (
    CheckIn,
    OrderInput,
    PhotoUpload,
    ProviderInput,
    card_issue,
    family_link_at_window,
    family_link_by_card,
    family_link_end,
    member_create,
    member_end,
    needs_read,
    order_accept,
    order_approve,
    order_assign,
    order_decline,
    order_place,
    order_provider_choose,
    order_refuse,
    photo_read,
    provider_area_add,
    provider_register,
    rating_answer,
    verify_problems,
    visit_check_in,
    visit_check_out,
    visit_rate,
    visits_verify_batch,
)
from linli.core.errors import DomainError, not_found
from linli.core.web import resident_page, staff_page
from linli.residents.selectors import care_people_search, care_person

PAGE_SIZE = 30
STAFF = (CARE_VIEW, CARE_MANAGE)


def _problems(error: DomainError) -> dict[str, str]:
    """Field → message for the template; the error's message under "" when no field is named."""
    found = {f.field: str(f.message) for f in error.fields}
    return found or {"": str(error.message)}


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return None


def _item_name(item) -> str:
    from django.utils.translation import get_language

    return item.name_en if (get_language() or "").startswith("en") and item.name_en else item.name


def _photo_response(actor, visit, photo_id) -> HttpResponse:
    photo = photo_for(visit=visit, public_id=photo_id) if visit else None
    if photo is None:
        raise not_found("照片", "Photo")
    response = HttpResponse(photo_read(actor=actor, photo=photo), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# ================================================================ ordering (resident and proxy)


def _order_form_context(actor, get, people, *, proxy: bool) -> dict:
    """The ordering page's choices: the person, the item (with the price split for that person),
    the providers serving the person's community, the days and slots."""
    today = timezone.localdate()
    person = next((p for p in people if p.public_id == get.get("person")), None)
    if person is None and len(people) == 1:
        person = people[0]
    items = items_in_force(today)
    item = next((i for i in items if i.code == get.get("item")), None)
    split = entitlement_check(person=person, item=item, quantity=1, on=today) if person and item else None
    return {
        "people": people,
        "person": person,
        "items": [(i, _item_name(i)) for i in items],
        "item": item,
        "item_name": _item_name(item) if item else "",
        "split": split,
        "providers": providers_serving(person.path, today) if person else [],
        "slots": slot_choices(),
        "min_day": today.isoformat(),
        "max_day": (today + dt.timedelta(days=MAX_DAYS_AHEAD)).isoformat(),
        "proxy": proxy,
    }


def _order_input(post) -> OrderInput:
    return OrderInput(
        person=post.get("person", ""),
        item=post.get("item", ""),
        day=_day(post.get("day")),
        slot=post.get("slot", ""),
        provider=post.get("provider", ""),
        quantity=post.get("quantity", "1") or "1",
        needs=post.get("needs", ""),
        own_cost_ok=post.get("own_cost_ok") == "yes",
    )


def _order_page(request, people, *, proxy: bool, done_url: str):
    source = request.POST if request.method == "POST" else request.GET
    context = _order_form_context(request.actor, source, people, proxy=proxy)
    context["values"] = source
    context["base"] = "portal/staff/base.html" if proxy else "portal/resident/base.html"
    if request.method == "POST":
        try:
            order = order_place(actor=request.actor, data=_order_input(request.POST), by_proxy=proxy)
        except DomainError as error:
            context["errors"] = _problems(error)
            return render(request, "care/resident/orders/new.html", context, status=422)
        messages.success(request, _("Ordered. Order number %(number)s.") % {"number": order.number})
        return redirect(done_url, number=order.number)
    return render(request, "care/resident/orders/new.html", context)


@resident_page(CARE_ORDER)
def resident_new(request):
    people = list(my_person_refs(request.actor).values())
    return _order_page(request, people, proxy=False, done_url="portal:care-resident:orders-detail")


@staff_page(CARE_MANAGE)
def staff_new(request):
    """代下单: the worker finds the resident (name, address or ID number), then orders for them."""
    q = request.GET.get("q", "").strip()[:40]
    chosen = care_person(actor=request.actor, public_id=request.GET.get("person") or request.POST.get("person"))
    if chosen is None:
        found = care_people_search(actor=request.actor, q=q) if q else []
        return render(request, "care/staff/orders/find.html", {"q": q, "found": found})
    return _order_page(request, [chosen], proxy=True, done_url="portal:care:orders-detail")


# ================================================================ the resident's orders


@resident_page(CARE_ORDER)
def resident_list(request):
    orders = list(my_orders(actor=request.actor)[:50])
    return render(request, "care/resident/orders/list.html", {"orders": orders})


@resident_page(CARE_ORDER)
def resident_detail(request, number: str):
    order = my_order_get(actor=request.actor, number=number)
    if order is None:
        raise not_found("订单", "Order")
    context = {
        "order": order,
        "visits": order_visits(order),
        "levels": RatingLevel.choices,
        "steps": [(s, step_label(s.action)) for s in order_steps(order)],
    }
    return render(request, "care/resident/orders/detail.html", context)


@resident_page(CARE_ORDER)
@require_POST
def resident_rate(request, number: str, visit_id):
    order = my_order_get(actor=request.actor, number=number)
    visit = next((v for v in order_visits(order) if str(v.public_id) == str(visit_id)), None) if order else None
    if visit is None:
        raise not_found("服务", "Visit")
    try:
        visit_rate(
            actor=request.actor,
            visit_id=visit.pk,
            rating=request.POST.get("rating"),
            comment=request.POST.get("comment", ""),
        )
        messages.success(request, _("Thank you for your rating."))
    except DomainError as error:
        messages.error(request, " ".join(_problems(error).values()))
    return redirect("portal:care-resident:orders-detail", number=number)


@resident_page(CARE_ORDER)
def resident_photo(request, number: str, visit_id, photo_id):
    order = my_order_get(actor=request.actor, number=number)
    visit = next((v for v in order_visits(order) if str(v.public_id) == str(visit_id)), None) if order else None
    return _photo_response(request.actor, visit, photo_id)


@resident_page(CARE_ORDER)
def resident_link(request):
    """A family member links an elder with the elder's ID number and service card code."""
    errors = {}
    if request.method == "POST":
        try:
            family_link_by_card(
                actor=request.actor,
                id_number=request.POST.get("id_number", ""),
                code=request.POST.get("code", ""),
                relation=request.POST.get("relation", ""),
            )
            messages.success(request, _("Linked. You can now order services for them."))
            return redirect("portal:care-resident:orders-new")
        except DomainError as error:
            errors = _problems(error)
    return render(
        request,
        "care/resident/orders/link.html",
        {"errors": errors, "values": request.POST},
        status=422 if errors else 200,
    )


# ================================================================ staff: queue, order, verification, ratings


@staff_page(*STAFF)
def staff_queue(request):
    today = timezone.localdate()
    state = request.GET.get("state", OrderState.PLACED)
    rows = order_list(actor=request.actor, state="" if state == "all" else state)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    mark_overdue(page.object_list, today)
    counts = order_counts(actor=request.actor, today=today)
    tabs = [(OrderState.PLACED, _("To approve")), ("no_provider", _("Without a provider"))]
    tabs += [(v, label) for v, label in OrderState.choices if v != OrderState.PLACED] + [("all", _("All"))]
    context = {"page": page, "state": state, "counts": counts, "tabs": tabs}
    return render(request, "care/staff/orders/queue.html", context)


def _staff_order(request, number: str):
    order = order_get(actor=request.actor, number=number)
    if order is None:
        raise not_found("订单", "Order")
    return order


@staff_page(*STAFF)
def staff_detail(request, number: str, errors=None, status=200):
    order = _staff_order(request, number)
    mark_overdue([order], timezone.localdate())
    steps = [(s, step_label(s.action)) for s in order_steps(order)]
    context = {
        "order": order,
        "steps": steps,
        "visits": order_visits(order),
        "providers": providers_serving(order.path, timezone.localdate()),
        "may_manage": request.actor.has_perm(CARE_MANAGE),
        "errors": errors or {},
        "community": unit_names([order.path[:12]]).get(order.path[:12], ""),
    }
    return render(request, "care/staff/orders/detail.html", context, status=status)


@require_POST
@staff_page(CARE_MANAGE)
def staff_act(request, number: str, action: str):
    """Approve (choosing the provider if none), refuse with a reason, give to a provider, or
    reveal the elder's needs (audited)."""
    order = _staff_order(request, number)
    provider = (
        provider_get(actor=request.actor, public_id=request.POST.get("provider"))
        if request.POST.get("provider")
        else None
    )
    try:
        if action == "approve":
            order_approve(actor=request.actor, order=order, provider=provider)
        elif action == "refuse":
            order_refuse(actor=request.actor, order=order, reason=request.POST.get("reason", ""))
        elif action == "provider" and provider is not None:
            order_provider_choose(actor=request.actor, order=order, provider=provider)
        elif action == "needs":
            messages.info(request, _("Needs: %(text)s") % {"text": needs_read(actor=request.actor, order=order) or "—"})
        else:
            raise not_found("页面", "Page")
    except DomainError as error:
        if error.status == 404:
            raise
        return staff_detail(request, number, errors=_problems(error), status=422)
    return redirect("portal:care:orders-detail", number=number)


@staff_page(*STAFF)
def staff_photo(request, visit_id, photo_id):
    return _photo_response(request.actor, visit_get(actor=request.actor, public_id=visit_id), photo_id)


@staff_page(*STAFF)
def staff_verify(request):
    """Done visits to verify: one by one or ticked in a batch; what a visit lacks is named."""
    refused = []
    if request.method == "POST" and request.actor.has_perm(CARE_MANAGE):
        ids = [v.pk for v in visits_to_verify(actor=request.actor).filter(public_id__in=request.POST.getlist("visit"))]
        done, refused = visits_verify_batch(actor=request.actor, visit_ids=ids)
        messages.success(request, _("Verified: %(n)d") % {"n": done})
        if not refused:
            return redirect("portal:care:orders-verify")
    visits = list(visits_to_verify(actor=request.actor)[:100])
    for visit in visits:
        visit.problems = verify_problems(visit)
    context = {"visits": visits, "refused": refused, "may_manage": request.actor.has_perm(CARE_MANAGE)}
    return render(request, "care/staff/orders/verify.html", context)


@staff_page(*STAFF)
def staff_ratings(request):
    errors = {}
    if request.method == "POST":
        visit = visit_get(actor=request.actor, public_id=request.POST.get("visit"))
        if visit is None:
            raise not_found("评价", "Rating")
        try:
            rating_answer(actor=request.actor, visit_id=visit.pk, text=request.POST.get("text", ""))
            messages.success(request, _("Answer recorded."))
            return redirect("portal:care:orders-ratings")
        except DomainError as error:
            errors = {str(visit.public_id): " ".join(_problems(error).values())}
    context = {
        "open": rating_labelled(list(bad_ratings(actor=request.actor)[:100])),
        "answered": rating_labelled(list(bad_ratings(actor=request.actor, answered=True)[:30])),
        "errors": errors,
        "levels": dict(RatingLevel.choices),
    }
    return render(request, "care/staff/orders/ratings.html", context)


@staff_page(CARE_MANAGE)
def staff_card(request):
    """Issue an elder's service card: the code is shown once, to print."""
    q = request.GET.get("q", "").strip()[:40]
    code, person = "", None
    if request.method == "POST":
        person = care_person(actor=request.actor, public_id=request.POST.get("person"))
        if person is None:
            raise not_found("居民", "Resident")
        code = card_issue(actor=request.actor, person_ref=person.public_id)
    found = care_people_search(actor=request.actor, q=q) if q else []
    return render(request, "care/staff/orders/card.html", {"q": q, "found": found, "code": code, "person": person})


@staff_page(CARE_MANAGE)
def staff_family(request, person_ref):
    """At the window: link a family member's resident account to an elder (they then order,
    follow and rate for the elder on their phone), or end a link with the reason."""
    person = care_person(actor=request.actor, public_id=person_ref)
    if person is None:
        raise not_found("居民", "Resident")
    errors = {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "end":
                family_link_end(
                    actor=request.actor, link_id=request.POST.get("link", ""), reason=request.POST.get("reason", "")
                )
                messages.success(request, _("The link is ended."))
            else:
                family_link_at_window(
                    actor=request.actor,
                    username=request.POST.get("username", ""),
                    person_ref=person.public_id,
                    relation=request.POST.get("relation", ""),
                )
                messages.success(request, _("Linked. They can now order for the elder on their phone."))
            return redirect("portal:care:orders-family", person_ref=person.public_id)
        except DomainError as error:
            if error.status == 404:
                raise
            errors = _problems(error)
    context = {
        "person": person,
        "links": family_links_of(actor=request.actor, person_ref=person.public_id),
        "errors": errors,
        "values": request.POST,
    }
    return render(request, "care/staff/orders/family.html", context, status=422 if errors else 200)


# ================================================================ staff: providers


def _provider_input(post) -> ProviderInput:
    return ProviderInput(
        name=post.get("name", ""),
        kind=post.get("kind", ""),
        path=post.get("path", ""),
        uscc=post.get("uscc", "").strip(),
        contact_name=post.get("contact_name", ""),
        contact_phone=post.get("contact_phone", ""),
        checkin_radius_m=post.get("checkin_radius_m", "200"),
        contract_from=_day(post.get("contract_from")),
        contract_to=_day(post.get("contract_to")),
    )


@staff_page(*STAFF)
def staff_providers(request):
    errors = {}
    if request.method == "POST":
        try:
            provider = provider_register(actor=request.actor, data=_provider_input(request.POST))
            return redirect("portal:care:orders-provider", public_id=provider.public_id)
        except DomainError as error:
            errors = _problems(error)
    units = community_paths(actor=request.actor)
    context = {
        "providers": list(provider_list(actor=request.actor)[:200]),
        "kinds": ProviderKind.choices,
        "errors": errors,
        "values": request.POST,
        "may_manage": request.actor.has_perm(CARE_MANAGE),
        "places": [(p[:12], n) for p, n in units] + [(p, n) for p, n in _street_paths(request.actor)],
    }
    return render(request, "care/staff/orders/providers.html", context, status=422 if errors else 200)


def _street_paths(actor) -> list[tuple[str, str]]:
    names = unit_names({p[:9] for p in actor.scope_paths if len(p) >= 9})
    return sorted(names.items())


NO_TEAM_POST = {"errors": {}, "password": "", "new_member": None, "ended": None}


def _team_post(request, provider) -> dict:
    """The account forms of a provider page (create one, end one): the errors, the new password
    and member, the member the end form was for (keys of NO_TEAM_POST)."""
    ended = None
    try:
        if request.POST.get("action") == "end":
            ended = _int(request.POST.get("member"))
            member = next((m for m in provider_members(provider) if m.pk == ended and m.active), None)
            if member is None:
                raise not_found("账号", "Account")
            moved = member_end(
                actor=request.actor,
                member=member,
                reason=request.POST.get("reason", ""),
                successor_id=request.POST.get("successor") or None,
            )
            if moved:
                messages.success(
                    request, _("The account is ended; %(n)s visits moved to the new carer.") % {"n": moved}
                )
            else:
                messages.success(request, _("The account is ended."))
            return NO_TEAM_POST
        new_member, password = member_create(
            actor=request.actor,
            provider=provider,
            username=request.POST.get("username", ""),
            name=request.POST.get("name", ""),
            kind=request.POST.get("kind", ""),
        )
        return {**NO_TEAM_POST, "password": password, "new_member": new_member}
    except DomainError as error:
        if error.status == 404:
            raise
        return {**NO_TEAM_POST, "errors": _problems(error), "ended": ended}


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _team_context(request, provider, posted: dict, *, may_manage: bool, carer_only: bool) -> dict:
    return {
        **posted,
        "provider": provider,
        "members": provider_members(provider),
        "member_kinds": MemberKind.choices,
        "manageable_kinds": [MemberKind.CARER] if carer_only else MemberKind.values,
        "values": request.POST,
        "may_manage": may_manage,
        "carer_only": carer_only,
    }


@staff_page(*STAFF)
def staff_provider(request, public_id):
    provider = provider_get(actor=request.actor, public_id=public_id)
    if provider is None:
        raise not_found("服务商", "Provider")
    posted = NO_TEAM_POST
    if request.method == "POST":
        if request.POST.get("action") == "area":
            try:
                provider_area_add(
                    actor=request.actor,
                    provider=provider,
                    community_path=request.POST.get("community", ""),
                    since=_day(request.POST.get("since")) or timezone.localdate(),
                )
            except DomainError as error:
                posted = {**NO_TEAM_POST, "errors": _problems(error)}
        else:
            posted = _team_post(request, provider)
        if not posted["errors"] and not posted["password"]:
            return redirect("portal:care:orders-provider", public_id=public_id)
    areas = provider_areas(provider)
    names = unit_names([a.path for a in areas])
    context = {
        **_team_context(request, provider, posted, may_manage=request.actor.has_perm(CARE_MANAGE), carer_only=False),
        "areas": [(a, names.get(a.path, a.path)) for a in areas],
        "communities": community_paths(actor=request.actor),
    }
    return render(request, "care/staff/orders/provider.html", context, status=422 if posted["errors"] else 200)


@staff_page(CARE_PROVIDE)
def provider_team(request):
    """The dispatcher's carers: add one (the temporary password shown once), end one with the
    reason, handing their visits not yet started to another carer."""
    providers = dispatcher_providers(request.actor)
    if not providers:
        raise not_found("服务商", "Provider")
    chosen = next((p for p in providers if str(p.public_id) == request.GET.get("provider")), providers[0])
    posted = NO_TEAM_POST
    if request.method == "POST":
        posted = _team_post(request, chosen)
        if not posted["errors"] and not posted["password"]:
            return redirect(reverse("portal:care-provider:orders-team") + f"?provider={chosen.public_id}")
    context = {
        **_team_context(request, chosen, posted, may_manage=True, carer_only=True),
        "providers": providers,
    }
    return render(request, "care/provider/orders/team.html", context, status=422 if posted["errors"] else 200)


# ================================================================ provider: dispatcher and carer


@staff_page(CARE_PROVIDE)
def provider_queue(request):
    state = request.GET.get("state", OrderState.APPROVED)
    orders = list(provider_orders(actor=request.actor, state=state)[:100])
    tabs = [(v, label) for v, label in OrderState.choices if v not in (OrderState.PLACED, OrderState.REFUSED)]
    context = {"orders": orders, "state": state, "tabs": tabs, "providers": dispatcher_providers(request.actor)}
    return render(request, "care/provider/orders/queue.html", context)


@staff_page(CARE_PROVIDE)
def provider_detail(request, number: str):
    order = provider_order_get(actor=request.actor, number=number)
    if order is None:
        raise not_found("订单", "Order")
    errors = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                order_accept(actor=request.actor, order=order, carer_id=request.POST.get("carer"))
            elif action == "assign":
                order_assign(actor=request.actor, order=order, carer_id=request.POST.get("carer"))
            else:
                order_decline(actor=request.actor, order=order, reason=request.POST.get("reason", ""))
                return redirect("portal:care-provider:orders-queue")
            return redirect("portal:care-provider:orders-detail", number=number)
        except DomainError as error:
            errors = _problems(error)
    carers = [m for m in provider_carers(order.provider_id) if m.kind == MemberKind.CARER]
    context = {
        "order": order,
        "carers": carers,
        "errors": errors,
        "visits": order_visits(order),
        "item_name": _item_name(order.item),
    }
    return render(request, "care/provider/orders/detail.html", context, status=422 if errors else 200)


@staff_page(CARE_VISIT)
def carer_today(request):
    today = timezone.localdate()
    visits = list(carer_visits(actor=request.actor, day=today))
    open_before = list(
        carer_visits(actor=request.actor)
        .filter(state__in=[VisitState.SCHEDULED, VisitState.CHECKED_IN])
        .exclude(pk__in=[v.pk for v in visits])[:20]
    )
    for visit in [*visits, *open_before]:
        visit.item_name = _item_name((visit.order or visit.bed).item)
    return render(
        request, "care/provider/orders/today.html", {"visits": visits, "open_before": open_before, "today": today}
    )


@staff_page(CARE_VISIT)
def carer_visit(request, public_id):
    """The visit at the home: the elder's name, address, needs (read audited) and the item; never
    the ID number or phone. Check in by position or card code; check out with the record."""
    visit = carer_visit_get(actor=request.actor, public_id=public_id)
    if visit is None:
        raise not_found("服务", "Visit")
    errors = {}
    if request.method == "POST":
        try:
            _carer_act(request, visit)
            return redirect("portal:care-provider:orders-visit", public_id=public_id)
        except DomainError as error:
            if error.status == 404:
                raise
            errors = _problems(error)
    home = visit.order or visit.bed
    needs = needs_read(actor=request.actor, order=visit.order) if visit.order_id else ""
    context = {
        "visit": visit,
        "home": home,
        "needs": needs,
        "item_name": _item_name(home.item),
        "needs_photo": home.item.needs_photo,
        "errors": errors,
        "values": request.POST,
    }
    return render(request, "care/provider/orders/visit.html", context, status=422 if errors else 200)


def _carer_act(request, visit) -> None:
    if request.POST.get("action") == "check_in":
        data = CheckIn(
            lat=request.POST.get("lat"),
            lng=request.POST.get("lng"),
            accuracy=request.POST.get("accuracy"),
            card_code=request.POST.get("card_code", ""),
        )
        visit_check_in(actor=request.actor, visit_id=visit.pk, data=data)
        messages.success(request, _("Checked in."))
    else:
        photos = [PhotoUpload(f.name, f.read()) for f in request.FILES.getlist("photos")[:7]]
        visit_check_out(actor=request.actor, visit_id=visit.pk, record=request.POST.get("record", ""), photos=photos)
        messages.success(request, _("Checked out. Thank you."))


staff_urls = [
    path("orders/", staff_queue, name="orders-queue"),
    path("orders/new/", staff_new, name="orders-new"),
    path("orders/visits/", staff_verify, name="orders-verify"),
    path("orders/ratings/", staff_ratings, name="orders-ratings"),
    path("orders/cards/", staff_card, name="orders-card"),
    path("orders/family/<uuid:person_ref>/", staff_family, name="orders-family"),
    path("orders/visits/<uuid:visit_id>/photos/<uuid:photo_id>/", staff_photo, name="orders-photo"),
    path("orders/<str:number>/", staff_detail, name="orders-detail"),
    path("orders/<str:number>/<str:action>/", staff_act, name="orders-act"),
    path("providers/", staff_providers, name="orders-providers"),
    path("providers/<uuid:public_id>/", staff_provider, name="orders-provider"),
]
resident_urls = [
    path("orders/", resident_list, name="orders-mine"),
    path("orders/new/", resident_new, name="orders-new"),
    path("orders/link/", resident_link, name="orders-link"),
    path("orders/<str:number>/", resident_detail, name="orders-detail"),
    path("orders/<str:number>/visits/<uuid:visit_id>/rate/", resident_rate, name="orders-rate"),
    path("orders/<str:number>/visits/<uuid:visit_id>/photos/<uuid:photo_id>/", resident_photo, name="orders-photo"),
]
provider_urls = [
    path("orders/", provider_queue, name="orders-queue"),
    path("orders/<str:number>/", provider_detail, name="orders-detail"),
    path("today/", carer_today, name="orders-today"),
    path("team/", provider_team, name="orders-team"),
    path("visits/<uuid:public_id>/", carer_visit, name="orders-visit"),
]
