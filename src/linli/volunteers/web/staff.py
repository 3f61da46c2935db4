"""Staff and organiser pages of volunteers and activities: the volunteers of one's area (masked,
reveal with a reason), publishing activities with shifts and their check-in QR code, confirming
sign-ups, approving reported hours, rating, hours recorded for volunteers with no phone (代录),
corrections, roster and volunteer exports, roster import, figures."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.domain import VOLUNTEER_MANAGE, VOLUNTEER_REVEAL, VOLUNTEER_VIEW
from linli.core.errors import DomainError
from linli.core.forms import add_domain_errors
from linli.core.web import staff_page, xlsx_response
from linli.volunteers import exports, imports, selectors, services
from linli.volunteers.domain import Skill, hours_label
from linli.volunteers.web.charts import figures_charts
from linli.volunteers.web.forms import (
    ActivityForm,
    CorrectionForm,
    ImportForm,
    ProxyForm,
    ReasonForm,
    RegisterForm,
    RevealForm,
)

ANY = (VOLUNTEER_VIEW, VOLUNTEER_MANAGE)


def _may_manage(request) -> bool:
    return request.actor.has_perm(VOLUNTEER_MANAGE)


@staff_page(*ANY)
def home(request):
    actor = request.actor
    context = {
        "to_confirm": list(selectors.signups_to_confirm(actor=actor)[:20]),
        "to_approve": list(selectors.hours_to_approve(actor=actor)[:20]),
        "today": list(selectors.activities_today(actor=actor)),
        "upcoming": list(
            selectors.activity_list(actor=actor).filter(ends_at__gt=timezone.now()).order_by("starts_at")[:20]
        ),
        "may_manage": _may_manage(request),
    }
    context["names"] = selectors.names_of_units(
        {a.organiser_path for a in context["upcoming"] + context["today"]}
        | {h.served_path for h in context["to_approve"]}
    )
    return render(request, "volunteers/staff/home.html", context)


# ---- volunteers ----------------------------------------------------------------------------------


@staff_page(*ANY)
def volunteer_list(request):
    q = request.GET.get("q", "").strip()[:40]
    rows = selectors.volunteer_search(actor=request.actor, q=q)
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "csv"):
        return exports.volunteers_download(actor=request.actor, volunteers=rows, fmt=fmt)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    names = selectors.names_of_units({v.registered_path for v in page})
    context = {"page": page, "q": q, "names": names, "may_manage": _may_manage(request)}
    return render(request, "volunteers/staff/volunteers.html", context)


@staff_page(VOLUNTEER_MANAGE)
def volunteer_new(request):
    """Record a volunteer who has no phone or account (an elderly neighbour)."""
    communities = selectors.staff_community_choices(actor=request.actor)
    form = RegisterForm(request.POST or None, communities=communities, phone_required=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            volunteer = services.volunteer_register(
                actor=request.actor,
                for_self=False,
                data=services.VolunteerInput(
                    name=data["name"],
                    id_number=data["id_number"],
                    phone=data["phone"],
                    registered_path=data["registered_path"],
                    skills=data["skills"],
                    availability=data["availability"],
                    guardian_name=data["guardian_name"],
                    guardian_phone=data["guardian_phone"],
                    guardian_consent=data["guardian_consent"],
                ),
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The volunteer is registered."))
            return redirect("portal:volunteers:volunteer", public_id=volunteer.public_id)
    return render(request, "volunteers/staff/volunteer_form.html", {"form": form}, status=400 if form.errors else 200)


@staff_page(*ANY)
def volunteer_page(request, public_id, reveal_form=None, proxy_form=None, revealed=None):
    volunteer = selectors.volunteer_get(actor=request.actor, public_id=public_id)
    brief = selectors.volunteer_brief(actor=request.actor, public_id=public_id)
    hours = list(selectors.my_hours(volunteer)[:100])
    activities = selectors.activity_list(actor=request.actor).order_by("-starts_at")[:50]
    context = {
        "volunteer": volunteer,
        "brief": brief,
        "hours_total": hours_label(brief.total_minutes),
        "hours": hours,
        "signups": list(selectors.my_signups(volunteer, upcoming=False)[:50]),
        "skills": [str(dict(Skill.choices).get(s, s)) for s in volunteer.skills],
        "unit_name": brief.unit_name,
        "names": selectors.names_of_units({h.served_path for h in hours}),
        "may_manage": _may_manage(request),
        "may_reveal": request.actor.has_perm(VOLUNTEER_REVEAL) and request.actor.sees_path(volunteer.registered_path),
        "reveal_form": reveal_form or RevealForm(),
        "proxy_form": proxy_form or ProxyForm(activities=[(str(a.public_id), a.title) for a in activities]),
        "correction_form": CorrectionForm(),
        "revealed": revealed,
    }
    status = 400 if (reveal_form and reveal_form.errors) or (proxy_form and proxy_form.errors) else 200
    return render(request, "volunteers/staff/volunteer.html", context, status=status)


@require_POST
@staff_page(VOLUNTEER_REVEAL)
def volunteer_reveal(request, public_id):
    volunteer = selectors.volunteer_get(actor=request.actor, public_id=public_id)
    form = RevealForm(request.POST)
    revealed = None
    if form.is_valid():
        try:
            value = services.volunteer_reveal(
                actor=request.actor,
                volunteer=volunteer,
                field_name=form.cleaned_data["field"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            revealed = (dict(form.fields["field"].choices)[form.cleaned_data["field"]], value or "—")
    return volunteer_page(request, public_id, reveal_form=form if form.errors else None, revealed=revealed)


@require_POST
@staff_page(VOLUNTEER_MANAGE)
def volunteer_proxy(request, public_id):
    """Hours recorded by staff for a volunteer with no phone (代录)."""
    volunteer = selectors.volunteer_get(actor=request.actor, public_id=public_id)
    activities = selectors.activity_list(actor=request.actor).order_by("-starts_at")[:50]
    form = ProxyForm(request.POST, activities=[(str(a.public_id), a.title) for a in activities])
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.hours_proxy(
                actor=request.actor,
                volunteer=volunteer,
                data=services.HoursInput(
                    description=data["description"],
                    started_at=data["started_at"],
                    minutes=data["minutes"],
                    activity_id=data["activity_id"],
                ),
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The hours are recorded in the volunteer's name."))
            return redirect("portal:volunteers:volunteer", public_id=volunteer.public_id)
    return volunteer_page(request, public_id, proxy_form=form)


@staff_page(VOLUNTEER_MANAGE)
def volunteer_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.volunteers_import(actor=request.actor, data=form.cleaned_data["file"].read())
        except DomainError as error:
            add_domain_errors(form, error)
    context = {"form": form, "result": result, "columns": imports.COLUMNS}
    return render(request, "volunteers/staff/import.html", context, status=400 if form.errors else 200)


@staff_page(VOLUNTEER_MANAGE)
def volunteer_import_template(request):
    return xlsx_response(imports.template_xlsx(), "志愿者导入模板.xlsx")


# ---- activities ----------------------------------------------------------------------------------


@staff_page(*ANY)
def activity_list(request):
    when = request.GET.get("when", "upcoming")
    rows = selectors.activity_list(actor=request.actor)
    now = timezone.now()
    rows = rows.filter(ends_at__gt=now).order_by("starts_at") if when == "upcoming" else rows.order_by("-starts_at")
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    names = selectors.names_of_units({a.organiser_path for a in page})
    context = {"page": page, "when": when, "names": names, "may_manage": _may_manage(request)}
    return render(request, "volunteers/staff/activities.html", context)


@staff_page(VOLUNTEER_MANAGE)
def activity_new(request):
    actor = request.actor
    units = selectors.staff_unit_choices(actor=actor)
    organisations = selectors.organisation_choices(actor=actor)
    initial = {"organiser_path": units[0][0] if units else "", "radius_m": 300, "needed": 10, "publish": True}
    form = ActivityForm(
        request.POST or None,
        units=units,
        organisations=organisations,
        organisation_required=selectors.organiser_only(actor),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            shifts = services.shifts_from_text(data["shifts"], data["starts_at"])
            activity = services.activity_create(
                actor=actor,
                data=services.ActivityInput(
                    title=data["title"],
                    description=data["description"],
                    organiser_path=data["organiser_path"],
                    organisation_id=data["organisation_id"],
                    place=data["place"],
                    lat=data["lat"],
                    lng=data["lng"],
                    radius_m=data["radius_m"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    recurring=data["recurring"],
                    recurrence=data["recurrence"],
                    shifts=[services.ShiftInput(*s) for s in shifts],
                    needed=data["needed"],
                    signup_mode=data["signup_mode"],
                    required_skills=data["required_skills"],
                    publish=data["publish"],
                ),
            )
        except DomainError as error:
            add_domain_errors(form, error, aliases={"shifts[1]": "shifts", "shifts[2]": "shifts"})
        else:
            messages.success(request, _("The activity is saved."))
            return redirect("portal:volunteers:activity", public_id=activity.public_id)
    return render(request, "volunteers/staff/activity_form.html", {"form": form}, status=400 if form.errors else 200)


@staff_page(*ANY)
def activity_page(request, public_id):
    activity = selectors.activity_get(actor=request.actor, public_id=public_id)
    roster = list(selectors.roster(activity))
    checks = selectors.activity_hours(activity)
    rows = [(s, checks.get((s.volunteer_id, s.shift_id))) for s in roster]
    context = {
        "activity": activity,
        "shifts": selectors.shift_rows(activity),
        "rows": rows,
        "unit_name": selectors.names_of_units([activity.organiser_path]).get(activity.organiser_path, ""),
        "organisation": selectors.organisation_name(activity.organisation_id),
        "skills": [str(dict(Skill.choices).get(s, s)) for s in activity.required_skills],
        "may_manage": _may_manage(request),
        "reason_form": ReasonForm(),
        "public_url": request.build_absolute_uri(reverse("portal:volunteer:activity", args=[activity.public_id])),
    }
    return render(request, "volunteers/staff/activity.html", context)


@staff_page(VOLUNTEER_MANAGE)
def activity_qr(request, public_id):
    """The check-in QR code to show on a screen or print: a signed link, valid for 12 hours."""
    activity = selectors.activity_get(actor=request.actor, public_id=public_id)
    link = request.build_absolute_uri(reverse("portal:volunteer:check", args=[services.qr_token(activity)]))
    qr = segno.make(link, error="m")
    context = {"activity": activity, "qr": qr.svg_data_uri(scale=8, border=2), "link": link}
    response = render(request, "volunteers/staff/qr.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@staff_page(VOLUNTEER_MANAGE)
def activity_status(request, public_id):
    activity = selectors.activity_get(actor=request.actor, public_id=public_id)
    try:
        services.activity_set_status(
            actor=request.actor,
            activity=activity,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        messages.error(request, str(error.fields[0].message if error.fields else error.message))
    else:
        messages.success(request, _("The activity is now: %(state)s.") % {"state": activity.get_status_display()})
    return redirect("portal:volunteers:activity", public_id=activity.public_id)


@staff_page(*ANY)
def activity_roster(request, public_id):
    activity = selectors.activity_get(actor=request.actor, public_id=public_id)
    return exports.roster_download(activity)


@require_POST
@staff_page(VOLUNTEER_MANAGE)
def signup_decide(request, public_id):
    signup = selectors.signup_get(actor=request.actor, public_id=public_id)
    action = request.POST.get("action")
    try:
        if action == "rate":
            services.signup_rate(actor=request.actor, signup=signup, rating=int(request.POST.get("rating") or 0))
        else:
            services.signup_decide(
                actor=request.actor, signup=signup, confirm=action == "confirm", reason=request.POST.get("reason", "")
            )
    except DomainError as error:
        messages.error(request, str(error.fields[0].message if error.fields else error.message))
    except ValueError:
        messages.error(request, _("Choose a rating from 1 to 5."))
    else:
        messages.success(request, _("Saved."))
    back = reverse("portal:volunteers:activity", args=[signup.shift.activity.public_id])
    return redirect(request.POST.get("next") or back)


# ---- hours ---------------------------------------------------------------------------------------


@staff_page(*ANY)
def hours_queue(request):
    rows = list(selectors.hours_to_approve(actor=request.actor)[:100])
    names = selectors.names_of_units({r.served_path for r in rows} | {r.registered_path for r in rows})
    context = {"rows": rows, "names": names, "may_manage": _may_manage(request)}
    return render(request, "volunteers/staff/hours.html", context)


@require_POST
@staff_page(VOLUNTEER_MANAGE)
def hours_decide(request, public_id):
    row = selectors.hours_get(actor=request.actor, public_id=public_id)
    approve = request.POST.get("action") == "approve"
    try:
        services.hours_decide(actor=request.actor, row=row, approve=approve, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, str(error.fields[0].message if error.fields else error.message))
    else:
        messages.success(request, _("Hours approved.") if approve else _("Hours rejected."))
    return redirect(request.POST.get("next") or "portal:volunteers:hours")


@require_POST
@staff_page(VOLUNTEER_MANAGE)
def hours_correct(request, public_id):
    row = selectors.hours_get(actor=request.actor, public_id=public_id)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.hours_correct(
                actor=request.actor, row=row, minutes=form.cleaned_data["minutes"], reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, str(error.fields[0].message if error.fields else error.message))
        else:
            messages.success(request, _("The correction is recorded as a new row."))
    else:
        messages.error(request, _("Give the minutes and the reason of the correction."))
    return redirect("portal:volunteers:volunteer", public_id=row.volunteer.public_id)


# ---- figures -------------------------------------------------------------------------------------


@staff_page(*ANY)
def figures(request):
    report = selectors.figures_report(actor=request.actor)
    return render(request, "volunteers/staff/figures.html", {"report": report, "charts": figures_charts(report)})
