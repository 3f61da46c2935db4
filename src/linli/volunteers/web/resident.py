"""Resident pages of volunteers and activities (phone first, elder mode): register, browse
activities near home, sign up and cancel, check in and out (the organiser's QR link or the
phone's position), report neighbourly help, my hours and stars. The public page of an activity
shows no personal data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.errors import DomainError
from linli.core.forms import add_domain_errors
from linli.volunteers import selectors, services
from linli.volunteers.domain import STAR_THRESHOLDS_HOURS, Skill, hours_label, next_star_minutes
from linli.volunteers.web.forms import RegisterForm, ReportForm

RESIDENT_LOGIN = "portal:login"


def _skill_names(codes) -> list[str]:
    labels = dict(Skill.choices)
    return [str(labels.get(code, code)) for code in codes]


def home(request):
    """The volunteer's start page: hours and stars, upcoming sign-ups, activities near home; for
    a visitor or a resident not yet registered, what volunteering is and how to register."""
    volunteer = selectors.own_volunteer(request.actor)
    home_path = selectors.home_path_for(request.actor)
    context: dict = {
        "volunteer": volunteer,
        "activities": selectors.published_activities(home_path=home_path)[:8],
        "names": {},
    }
    if volunteer is not None:
        brief = selectors.volunteer_for_user(request.actor.user_id)
        context |= {
            "brief": brief,
            "hours": hours_label(brief.total_minutes) if brief else "0",
            "to_next": next_star_minutes(brief.total_minutes) if brief else None,
            "signups": list(selectors.my_signups(volunteer)[:10]),
        }
    context["names"] = selectors.names_of_units({a.organiser_path for a in context["activities"]})
    return render(request, "volunteers/resident/home.html", context)


@login_required(login_url=RESIDENT_LOGIN)
def register(request):
    if selectors.own_volunteer(request.actor) is not None:
        return redirect("portal:volunteer:home")
    communities = selectors.community_choices(home_path=selectors.home_path_for(request.actor))
    initial = {"registered_path": selectors.home_path_for(request.actor)}
    form = RegisterForm(request.POST or None, communities=communities, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.volunteer_register(
                actor=request.actor,
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
            messages.success(request, _("Welcome! You are registered as a volunteer."))
            return redirect("portal:volunteer:home")
    return render(request, "volunteers/resident/register.html", {"form": form}, status=400 if form.errors else 200)


def activities(request):
    home_path = selectors.home_path_for(request.actor)
    rows = selectors.published_activities(home_path=home_path)
    names = selectors.names_of_units({a.organiser_path for a in rows})
    return render(
        request, "volunteers/resident/activities.html", {"activities": rows, "names": names, "home": home_path}
    )


def activity(request, public_id):
    """The public page of an activity: what, where, when, shifts and places left; a registered
    volunteer signs up, cancels or checks in from here. No personal data."""
    item = selectors.public_activity(public_id)
    volunteer = selectors.own_volunteer(request.actor)
    context = {
        "activity": item,
        "rows": selectors.shift_rows(item, volunteer=volunteer),
        "volunteer": volunteer,
        "unit_name": selectors.names_of_units([item.organiser_path]).get(item.organiser_path, ""),
        "skills": _skill_names(item.required_skills),
        "now": timezone.now(),
        "organisation": selectors.organisation_name(item.organisation_id),
    }
    return render(request, "volunteers/resident/activity.html", context)


@require_POST
@login_required(login_url=RESIDENT_LOGIN)
def sign_up(request, public_id):
    item = selectors.public_activity(public_id)
    try:
        signup = services.signup_create(actor=request.actor, shift_id=request.POST.get("shift"))
    except DomainError as error:
        if error.code == "not_volunteer":
            messages.info(request, str(error.message))
            return redirect("portal:volunteer:register")
        messages.error(request, str(error.message))
    else:
        if signup.state == "confirmed":
            messages.success(request, _("You are signed up. Please arrive on time and check in on the spot."))
        else:
            messages.success(request, _("Your sign-up was sent; the organiser will confirm it."))
    return redirect("portal:volunteer:activity", public_id=item.public_id)


@require_POST
@login_required(login_url=RESIDENT_LOGIN)
def cancel(request, public_id):
    signup = selectors.own_signup(request.actor, public_id)
    try:
        services.signup_cancel(actor=request.actor, signup=signup)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your sign-up is cancelled."))
    return redirect("portal:volunteer:activity", public_id=signup.shift.activity.public_id)


@login_required(login_url=RESIDENT_LOGIN)
def check_by_code(request, token: str):
    """The organiser's QR code opens this page: one tap checks in, the next checks out."""
    try:
        item = services.activity_from_token(token)
    except DomainError as error:
        return render(request, "volunteers/resident/check.html", {"error": error.message}, status=400)
    result = None
    if request.method == "POST":
        try:
            action = "out" if request.POST.get("action") == "out" else "in"
            result = services.check_in_or_out(actor=request.actor, activity=item, by_token=True, action=action)
        except DomainError as error:
            if error.code == "not_volunteer":
                messages.info(request, str(error.message))
                return redirect("portal:volunteer:register")
            return render(
                request,
                "volunteers/resident/check.html",
                {"activity": item, "error": error.message, "token": token},
                status=400,
            )
    state = selectors.check_state(request.actor, item)
    context = {"activity": item, "token": token, "result": result, "state": state}
    if result is not None:
        context["minutes_label"] = hours_label(result.hours.minutes)
    return render(request, "volunteers/resident/check.html", context)


@login_required(login_url=RESIDENT_LOGIN)
def check_by_position(request, public_id):
    """Check in or out by the phone's position (within the activity's radius)."""
    item = selectors.public_activity(public_id)
    result, error = None, None
    if request.method == "POST":
        try:
            lat = float(request.POST.get("lat", ""))
            lng = float(request.POST.get("lng", ""))
        except ValueError:
            lat = lng = None
        try:
            action = "out" if request.POST.get("action") == "out" else "in"
            result = services.check_in_or_out(actor=request.actor, activity=item, lat=lat, lng=lng, action=action)
        except DomainError as failure:
            if failure.code == "not_volunteer":
                messages.info(request, str(failure.message))
                return redirect("portal:volunteer:register")
            error = failure.fields[0].message if failure.fields else failure.message
    context = {
        "activity": item,
        "result": result,
        "error": error,
        "state": selectors.check_state(request.actor, item),
        "by_position": True,
        "minutes_label": hours_label(result.hours.minutes) if result else "",
    }
    return render(request, "volunteers/resident/check.html", context, status=400 if error else 200)


@login_required(login_url=RESIDENT_LOGIN)
def report(request):
    """Report unplanned neighbourly help (邻里互助) for approval."""
    volunteer = selectors.own_volunteer(request.actor)
    if volunteer is None:
        messages.info(request, _("Register as a volunteer first."))
        return redirect("portal:volunteer:register")
    communities = selectors.community_choices(home_path=volunteer.registered_path)
    form = ReportForm(request.POST or None, communities=communities, initial={"served_path": volunteer.registered_path})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.hours_report(
                actor=request.actor,
                data=services.HoursInput(
                    description=data["description"],
                    beneficiary=data["beneficiary"],
                    started_at=data["started_at"],
                    minutes=data["minutes"],
                    served_path=data["served_path"] or volunteer.registered_path,
                ),
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your hours wait for your community's approval."))
            return redirect("portal:volunteer:hours")
    return render(request, "volunteers/resident/report.html", {"form": form}, status=400 if form.errors else 200)


@login_required(login_url=RESIDENT_LOGIN)
def my_hours(request):
    volunteer = selectors.own_volunteer(request.actor)
    if volunteer is None:
        return redirect("portal:volunteer:register")
    brief = selectors.volunteer_for_user(request.actor.user_id)
    assert brief is not None
    rows = list(selectors.my_hours(volunteer)[:200])
    context = {
        "brief": brief,
        "hours": hours_label(brief.total_minutes),
        "rows": rows,
        "to_next": next_star_minutes(brief.total_minutes),
        "thresholds": STAR_THRESHOLDS_HOURS,
        "names": selectors.names_of_units({r.served_path for r in rows}),
    }
    return render(request, "volunteers/resident/hours.html", context)
