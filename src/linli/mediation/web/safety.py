"""Safe community, stage safety: pages (thin: parse, one service or selector, render).

The four-zero board (map, charts, table, XLSX), the police beats' staffing view (一社区一警),
the community police officer's page (security events of the beat, cases for the four-zero
figure), safety incidents and emergency drills. Route lists at the end, joined in `web/urls.py`."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.domain import (
    ACCOUNTS_MANAGE,
    MEDIATION_MANAGE,
    MEDIATION_VIEW,
    SAFETY_FIGURES,
    SAFETY_POLICE,
    SAFETY_RECORD,
)
from linli.core.charts import Chart, Series
from linli.core.errors import DomainError
from linli.core.forms import DateInput, add_domain_errors, needed
from linli.core.sheets import Sheet, workbook
from linli.core.web import staff_page, xlsx_response
from linli.mediation.domain.four_zero import four_zero_definition, month_end, month_parse, month_start
from linli.mediation.domain.safety import IncidentKind, PoliceCaseKind, Severity, ZeroState
from linli.mediation.selectors import safety as sel
from linli.mediation.services import safety as svc

PAGE_SIZE = 30
DATE = DateInput()
GREEN, RED, GREY = "#2e7d32", "#b00020", "#9aa5b1"
EVENT_DAYS = 30  # the officer's page shows the beat's security events of the last 30 days


# ---- forms -------------------------------------------------------------------------------------


class CommunityForm(forms.Form):
    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community_path"] = forms.ChoiceField(label=gettext_lazy("Community"), choices=list(communities))
        self.order_fields(["community_path"])


class PoliceCaseForm(CommunityForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of case"), choices=PoliceCaseKind.choices)
    occurred_on = forms.DateField(label=gettext_lazy("Day it happened"), widget=DATE, required=False)
    note = forms.CharField(
        label=gettext_lazy("Short note"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("No names, phone numbers or ID numbers: the case is counted, not the people."),
    )
    grid_event_number = forms.CharField(
        label=gettext_lazy("Grid event number (optional)"), max_length=32, required=False
    )


class IncidentForm(CommunityForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of accident"), choices=IncidentKind.choices)
    severity = forms.ChoiceField(label=gettext_lazy("Severity"), choices=Severity.choices)
    occurred_on = forms.DateField(label=gettext_lazy("Day it happened"), widget=DATE, required=False)
    description = forms.CharField(
        label=gettext_lazy("What happened"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("No names, phone numbers or ID numbers."),
    )
    grid_event_number = forms.CharField(
        label=gettext_lazy("Grid event number (optional)"), max_length=32, required=False
    )


class DrillForm(CommunityForm):
    held_on = forms.DateField(label=gettext_lazy("Day of the drill"), widget=DATE, required=False)
    scenario = forms.CharField(label=gettext_lazy("Scenario"), max_length=100, required=False)
    participants = forms.IntegerField(label=gettext_lazy("Participants"), required=False)
    note = forms.CharField(
        label=gettext_lazy("Note (the place, if not in the registry)"), max_length=300, required=False
    )

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Elsewhere (say where in the note)")), *places]
        self.fields["facility_ref"] = forms.ChoiceField(label=gettext_lazy("Place"), choices=choices, required=False)
        self.order_fields(["community_path", "held_on", "scenario", "participants", "facility_ref", "note"])


class BeatForm(forms.Form):
    community_path = forms.CharField(widget=forms.HiddenInput)
    user_id = forms.IntegerField(label=gettext_lazy("Police officer"))
    since = forms.DateField(label=gettext_lazy("From"), widget=DATE, required=False)


class BeatEndForm(forms.Form):
    until = forms.DateField(label=gettext_lazy("Last day"), widget=DATE, required=False)
    reason = needed(forms.CharField(label=gettext_lazy("Reason for ending"), max_length=300, required=False))


def _tabs(actor) -> dict:
    """Which of the stage's tabs the actor may open (`_nav.html`)."""
    return {
        "perms_board": actor.has_perm(SAFETY_FIGURES) or actor.has_perm(MEDIATION_VIEW),
        "perms_police": actor.has_perm(SAFETY_POLICE),
        "perms_record": actor.has_perm(SAFETY_RECORD),
        "perms_beats": actor.has_perm(MEDIATION_MANAGE) or actor.has_perm(ACCOUNTS_MANAGE),
    }


def _named(rows, names: dict[str, str], field: str = "path"):
    """Each row with its community's name (`community_name`) for the template."""
    for row in rows:
        path = getattr(row, field)
        row.community_name = names.get(path, path)
    return rows


def _month(request) -> dt.date:
    return month_parse(request.GET.get("month", "")) or month_start(timezone.localdate())


# ---- the four-zero board -----------------------------------------------------------------------


def _board(request):
    actor, month = request.actor, _month(request)
    svc.four_zero_refresh(actor=actor, month=month)
    return sel.four_zero_board(actor=actor, month=month, street=request.GET.get("street", "")), month


def _trend_chart(board) -> Chart:
    return Chart(
        id="four-zero-trend",
        kind="line",
        title=_("Four-zero communities per month"),
        category_label=_("Month"),
        categories=[f"{m:%Y-%m}" for m, _, _ in board.trend],
        series=[
            Series(_("Four-zero communities"), [yes for _, yes, _ in board.trend], color=GREEN),
            Series(_("Communities with a status"), [n for _, _, n in board.trend], color=GREY),
        ],
    )


def _misses_chart(board) -> Chart:
    zeros = four_zero_definition().zeros()
    return Chart(
        id="four-zero-misses",
        kind="stack",
        title=_("Zeros missed by street"),
        category_label=_("Street"),
        categories=[street for street, _ in board.misses_by_street],
        series=[Series(_zero_name(z), [counts[z.key] for _, counts in board.misses_by_street]) for z in zeros],
    )


def _zero_name(zero) -> str:
    """A zero's name from the definitions (data, in both languages)."""
    return zero.en if (get_language() or "").startswith("en") else zero.zh


@staff_page(SAFETY_FIGURES, MEDIATION_VIEW)
def board_page(request):
    board, month = _board(request)
    points = [
        {"lat": r.lat, "lng": r.lng, "name": r.name, "state": r.colour, "label": _state_label(r.colour)}
        for r in board.rows
        if r.lat is not None
    ]
    context = {
        "board": board,
        "month": month,
        "month_text": f"{month:%Y-%m}",
        "zeros": [_zero_name(z) for z in four_zero_definition().zeros()],
        "definition": four_zero_definition(),
        "trend_chart": _trend_chart(board),
        "misses_chart": _misses_chart(board),
        "points": points,
        "street": request.GET.get("street", ""),
        # the streets of the rows shown (no extra query); narrowed to one, the form offers "all"
        "streets": sorted({(r.path[:9], r.street) for r in board.rows}),
        "map": sel.map_settings(actor=request.actor),
    } | _tabs(request.actor)
    return render(request, "mediation/staff/safety/board.html", context)


def _state_label(colour: str) -> str:
    return {"met": _("Four-zero"), "missed": _("A zero missed"), "no_data": _("No records for a zero")}[colour]


@staff_page(SAFETY_FIGURES, MEDIATION_VIEW)
def board_export(request):
    board, month = _board(request)
    labels = dict(ZeroState.choices)
    zeros = [_zero_name(z) for z in four_zero_definition().zeros()]
    headers = [_("Community"), _("Street"), *zeros, _("Four-zero"), _("Petitions"), _("Accidents"), _("Criminal cases")]
    headers += [_("Drills this year"), _("Shelter m² per resident")]
    rows = [
        [
            r.name,
            r.street,
            *[str(labels[m]) for m in r.marks],
            _("Yes") if r.status.four_zero else _("No"),
            r.status.petitions,
            r.status.accidents,
            r.status.cases,
            r.status.drills,
            "" if r.status.shelter_m2_per_resident is None else float(r.status.shelter_m2_per_resident),
        ]
        for r in board.rows
    ]
    content = workbook([Sheet(f"{month:%Y-%m}", headers, rows)])
    return xlsx_response(content, f"四零社区-{month:%Y-%m}.xlsx")


# ---- police beats ------------------------------------------------------------------------------


@staff_page(MEDIATION_MANAGE, ACCOUNTS_MANAGE)
def beats_page(request):
    return _beats(request)


def _beats(request, form=None, end_form=None, status=200):
    rows = sel.beat_staffing(actor=request.actor)
    officers = sel.officers_by_district({r.path[:6] for r in rows})
    context = {
        "rows": [(r, officers.get(r.path[:6], [])) for r in rows],
        "missing": sum(1 for r in rows if r.beat is None),
        "form": form,
        "end_form": end_form,
        "today": timezone.localdate(),
    } | _tabs(request.actor)
    return render(request, "mediation/staff/safety/beats.html", context, status=status)


@staff_page(MEDIATION_MANAGE, ACCOUNTS_MANAGE)
@require_POST
def beat_set(request):
    form = BeatForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            svc.beat_set(
                actor=request.actor, community_path=data["community_path"], user_id=data["user_id"], since=data["since"]
            )
        except DomainError as error:
            if error.status == 404:
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The police officer now serves the community."))
            return redirect("portal:mediation:safety-beats")
    return _beats(request, form=form, status=422)


@staff_page(MEDIATION_MANAGE, ACCOUNTS_MANAGE)
@require_POST
def beat_end(request, pk: int):
    form = BeatEndForm(request.POST)
    if form.is_valid():
        try:
            svc.beat_end(
                actor=request.actor, beat_id=pk, until=form.cleaned_data["until"], reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            if error.status == 404:
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The beat is ended."))
            return redirect("portal:mediation:safety-beats")
    return _beats(request, end_form=form, status=422)


# ---- the police officer's page -----------------------------------------------------------------


def _record(request, form, save, done: str, to: str):
    """A record form: the service's field errors stay beside the inputs."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except DomainError as error:
            if error.status == 404:
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(to)
    return None


@staff_page(SAFETY_POLICE)
def police_page(request):
    actor, today = request.actor, timezone.localdate()
    communities = sel.communities_of(actor)
    initial = {"occurred_on": today}
    form = PoliceCaseForm(request.POST or None, communities=communities, initial=initial)

    def save(data):
        svc.police_case_record(actor=actor, data=svc.PoliceCaseInput(**data))

    done = _record(request, form, save, _("The case is recorded."), "portal:mediation:safety-police")
    if done:
        return done
    cases = Paginator(sel.police_case_list(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    names = dict(communities)
    _named(cases.object_list, names)
    events = _named(
        sel.security_events(actor=actor, since=today - dt.timedelta(days=EVENT_DAYS), until=today),
        names,
        "community_path",
    )
    context = {"form": form, "cases": cases, "events": events, "communities": communities, "days": EVENT_DAYS}
    context |= _tabs(actor)
    return render(request, "mediation/staff/safety/police.html", context, status=422 if form.errors else 200)


# ---- incidents and drills ----------------------------------------------------------------------


@staff_page(SAFETY_RECORD)
def incidents_page(request):
    actor, today, month = request.actor, timezone.localdate(), _month(request)
    communities = sel.communities_of(actor)
    form = IncidentForm(request.POST or None, communities=communities, initial={"occurred_on": today})

    def save(data):
        svc.incident_record(actor=actor, data=svc.IncidentInput(**data))

    done = _record(request, form, save, _("The incident is recorded."), "portal:mediation:safety-incidents")
    if done:
        return done
    names = dict(communities)
    incidents = _named(list(sel.incident_list(actor=actor, month=month)), names)
    events = _named(
        sel.safety_events(actor=actor, since=month, until=min(today, month_end(month))), names, "community_path"
    )
    context = {"form": form, "incidents": incidents, "events": events, "month": month, "month_text": f"{month:%Y-%m}"}
    context |= _tabs(actor)
    return render(request, "mediation/staff/safety/incidents.html", context, status=422 if form.errors else 200)


@staff_page(SAFETY_RECORD)
def drills_page(request):
    actor, today = request.actor, timezone.localdate()
    communities = sel.communities_of(actor)
    places = sel.drill_places_for([p for p, _ in communities])
    form = DrillForm(request.POST or None, communities=communities, places=places, initial={"held_on": today})

    def save(data):
        svc.drill_record(actor=actor, data=svc.DrillInput(**data))

    done = _record(request, form, save, _("The drill is recorded."), "portal:mediation:safety-drills")
    if done:
        return done
    drills = _named(list(sel.drill_list(actor=actor, year=today.year)), dict(communities))
    place_names = sel.drill_place_names(drills)
    for drill in drills:
        drill.place_name = place_names.get(str(drill.facility_ref), "")
    context = {
        "form": form,
        "drills": drills,
        "without": sel.communities_without_drill(actor=actor, year=today.year),
        "year": today.year,
    } | _tabs(actor)
    return render(request, "mediation/staff/safety/drills.html", context, status=422 if form.errors else 200)


def _withdraw(request, withdraw, public_id, to: str):
    """Withdraw a record entered by mistake: the reason is required (the refusal says so)."""
    try:
        withdraw(actor=request.actor, public_id=public_id, reason=request.POST.get("reason", ""))
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, " ".join(str(f.message) for f in error.fields) or str(error.message))
    else:
        messages.success(request, _("The record is withdrawn."))
    return redirect(to)


@staff_page(SAFETY_POLICE)
@require_POST
def police_case_withdraw(request, public_id):
    return _withdraw(request, svc.police_case_withdraw, public_id, "portal:mediation:safety-police")


@staff_page(SAFETY_RECORD)
@require_POST
def incident_withdraw(request, public_id):
    return _withdraw(request, svc.incident_withdraw, public_id, "portal:mediation:safety-incidents")


@staff_page(SAFETY_RECORD)
@require_POST
def drill_withdraw(request, public_id):
    return _withdraw(request, svc.drill_withdraw, public_id, "portal:mediation:safety-drills")


staff_urls = [
    path("four-zero/", board_page, name="safety-board"),
    path("four-zero/export.xlsx", board_export, name="safety-board-export"),
    path("police-beats/", beats_page, name="safety-beats"),
    path("police-beats/set", beat_set, name="safety-beat-set"),
    path("police-beats/<int:pk>/end", beat_end, name="safety-beat-end"),
    path("police/", police_page, name="safety-police"),
    path("police/cases/<uuid:public_id>/withdraw", police_case_withdraw, name="safety-police-case-withdraw"),
    path("incidents/", incidents_page, name="safety-incidents"),
    path("incidents/<uuid:public_id>/withdraw", incident_withdraw, name="safety-incident-withdraw"),
    path("drills/", drills_page, name="safety-drills"),
    path("drills/<uuid:public_id>/withdraw", drill_withdraw, name="safety-drill-withdraw"),
]
resident_urls: list = []
