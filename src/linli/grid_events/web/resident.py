"""Resident pages of grid events: 随手拍 (a photo report from the phone, with the spot on the map
or the phone's position), my reports with their progress, and rating a closed one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.errors import DomainError, not_found
from linli.core.forms import add_domain_errors
from linli.grid_events.domain import Channel
from linli.grid_events.selectors import (
    event_actions,
    event_get,
    event_outcome,
    event_photos,
    event_queue,
    event_timeline,
    is_reporter,
    photo_get,
)
from linli.grid_events.services import ReportInput, StepInput, event_report, event_transition, photo_read
from linli.grid_events.web.forms import ReportForm, StepForm
from linli.grid_events.web.staff import map_settings

RESIDENT_LOGIN = "portal:login"


@login_required(login_url=RESIDENT_LOGIN)
def report(request):
    """随手拍: what and where, with photos. Duplicates are not asked of residents: the community
    merges them at registration and the resident follows the original."""
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = event_report(
                actor=request.actor,
                data=ReportInput(
                    description=data["description"],
                    lat=data.get("lat"),
                    lng=data.get("lng"),
                    urgency=data["urgency"],
                    address=data.get("address") or "",
                    photos=data.get("photos") or [],
                    channel=Channel.RESIDENT_PHOTO,
                    not_duplicate=True,
                ),
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your report number is %(number)s.") % {"number": event.number})
            return redirect("portal:my-event", number=event.number)
    context = {"form": form, "map": map_settings(request.actor)}
    return render(request, "grid_events/resident/report.html", context, status=400 if form.errors else 200)


@login_required(login_url=RESIDENT_LOGIN)
def my_events(request):
    events = event_queue(actor=request.actor, queue="mine").select_related("category")
    page = Paginator(events, 20).get_page(request.GET.get("page"))
    return render(request, "grid_events/resident/events.html", {"page": page})


def _mine(request, number: str):
    event = event_get(actor=request.actor, key=number)
    if not is_reporter(request.actor, event):
        raise not_found("事件", "Event")
    return event


@login_required(login_url=RESIDENT_LOGIN)
def my_event(request, number: str, form=None):
    event = _mine(request, number)
    context = {
        "event": event,
        "timeline": event_timeline(event),
        "photos": event_photos(event, "report"),
        # the outcome comes first: the reporter sees what was done before being asked to rate it
        "outcome": event_outcome(event),
        "may_rate": "rate" in event_actions(actor=request.actor, event=event),
        "form": form or StepForm(),
        "map": map_settings(request.actor),
    }
    return render(request, "grid_events/resident/event.html", context, status=400 if form else 200)


@login_required(login_url=RESIDENT_LOGIN)
def photo_file(request, number: str, photo_id):
    """A photo of the reporter's own event (theirs, the handler's, the check's); audited."""
    event = _mine(request, number)
    photo = photo_get(event, photo_id)
    response = HttpResponse(photo_read(actor=request.actor, event=event, photo=photo), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required(login_url=RESIDENT_LOGIN)
def rate(request, number: str):
    event = _mine(request, number)
    form = StepForm(request.POST)
    if form.is_valid():
        data = StepInput(note=form.cleaned_data.get("note") or "", score=form.cleaned_data.get("score"))
        try:
            event_transition(actor=request.actor, event=event, action="rate", data=data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("portal:my-event", number=event.number)
    return my_event(request, number, form=form)
