"""Safe community, stage sessions (the dispute's sessions, outcome, confirmation and follow-up,
and the mediator's own pages): pages (thin: parse, one service or selector, render).

The mediator's phone pages (`my/`: their queue, one dispute with every form at 390 px), the
forms of the staff dispute page's sessions section (`sessions_context`, posted to
`disputes/<number>/sessions/<action>/`), the agreement PDF (masked; ID numbers in full only with
a reason, posted), and the resident's view of their dispute's sessions (`resident_sessions`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts.domain import MEDIATION_INTAKE, MEDIATION_MEDIATE, MEDIATION_VIEW
from linli.core.errors import DomainError, not_found
from linli.core.forms import DateInput, DateTimeInput, add_domain_errors, needed
from linli.core.web import staff_page
from linli.mediation.agreements_pdf import agreement_pdf
from linli.mediation.domain.disputes import (
    EXTENSION_MAX_DAYS,
    ConfirmationResult,
    DisputeState,
    OnwardRoute,
    OutcomeKind,
    Performance,
    SessionState,
    is_overdue,
)
from linli.mediation.selectors import sessions as sel
from linli.mediation.selectors.disputes import dispute_get
from linli.mediation.services import sessions as svc

DATE, DATETIME = DateInput(), DateTimeInput()
AGREEMENT_KINDS = [
    (OutcomeKind.WRITTEN.value, OutcomeKind.WRITTEN.label),
    (OutcomeKind.ORAL.value, OutcomeKind.ORAL.label),
]
CONFIRM = gettext_lazy("I confirm; this cannot be undone")
RESULTS = [
    (ConfirmationResult.CONFIRMED.value, ConfirmationResult.CONFIRMED.label),
    (ConfirmationResult.REJECTED.value, ConfirmationResult.REJECTED.label),
]


class ScheduleForm(forms.Form):
    starts_at = needed(forms.DateTimeField(label=gettext_lazy("Session starts at"), widget=DATETIME, required=False))
    facility_ref = forms.ChoiceField(label=gettext_lazy("Mediation room"), required=False)
    place = forms.CharField(label=gettext_lazy("Place (if not a room listed)"), max_length=100, required=False)

    def __init__(self, *args, rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility_ref"].choices = [("", "—"), *rooms]


class RecordForm(forms.Form):
    session = forms.CharField(widget=forms.HiddenInput)
    attended = forms.MultipleChoiceField(
        label=gettext_lazy("Parties present"), widget=forms.CheckboxSelectMultiple, required=False
    )
    minutes = needed(
        forms.CharField(
            label=gettext_lazy("Minutes (kept sealed)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
        )
    )

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(str(p.pk), f"{p.name}（{p.get_side_display()}）") for p in parties]


class CancelForm(forms.Form):
    session = forms.CharField(widget=forms.HiddenInput)
    reason = needed(forms.CharField(label=gettext_lazy("Reason for cancelling"), max_length=300, required=False))
    confirm = forms.BooleanField(label=CONFIRM)


class ExtendForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("Extend by (days)"), min_value=1, max_value=EXTENSION_MAX_DAYS, required=False
    )
    parties_agree = forms.BooleanField(label=gettext_lazy("Every party agrees to the extension"), required=False)
    reason = needed(forms.CharField(label=gettext_lazy("Reason for the extension"), max_length=300, required=False))
    confirm = forms.BooleanField(label=CONFIRM)


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Agreement"), choices=AGREEMENT_KINDS, widget=forms.RadioSelect)
    terms = needed(
        forms.CharField(
            label=gettext_lazy("Terms agreed (kept sealed)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
        )
    )
    signed_on = forms.DateField(label=gettext_lazy("Agreed on"), widget=DATE, required=False)
    perform_by = forms.DateField(label=gettext_lazy("Perform by"), widget=DATE, required=False)
    confirm = forms.BooleanField(label=CONFIRM)


class FailForm(forms.Form):
    onward_route = forms.ChoiceField(
        label=gettext_lazy("Route onward told to the parties"), choices=OnwardRoute.choices
    )
    reason = needed(forms.CharField(label=gettext_lazy("Why mediation failed"), max_length=300, required=False))
    confirm = forms.BooleanField(label=CONFIRM)


class ConfirmationForm(forms.Form):
    applied_on = forms.DateField(label=gettext_lazy("Applied to the court on"), widget=DATE, required=False)
    court = forms.CharField(label=gettext_lazy("Court"), max_length=100, required=False)


class ConfirmationResultForm(forms.Form):
    result = forms.ChoiceField(label=gettext_lazy("Court's ruling"), choices=RESULTS, widget=forms.RadioSelect)
    decided_on = forms.DateField(label=gettext_lazy("Ruled on"), widget=DATE, required=False)


class FollowUpForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Followed up on"), widget=DATE, required=False)
    performance = forms.ChoiceField(label=gettext_lazy("Performance"), choices=Performance.choices)
    note = forms.CharField(
        label=gettext_lazy("Follow-up note (kept sealed)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for closing (needed unless performed in full)"), max_length=300, required=False
    )
    confirm = forms.BooleanField(label=CONFIRM)


class ReadForm(forms.Form):
    reason = needed(forms.CharField(label=gettext_lazy("Reason for reading"), max_length=300, required=False))


class PrintForm(forms.Form):
    reveal_reason = needed(
        forms.CharField(label=gettext_lazy("Reason for printing ID numbers in full"), max_length=300, required=False)
    )


# ---- the sessions section ------------------------------------------------------------------------


def _session_rows(sessions, parties, minutes: dict) -> list[dict]:
    names = {p.pk: p.name for p in parties}
    return [
        {"s": s, "attended": [names.get(pk, "?") for pk in s.attended], "minutes": minutes.get(s.pk)} for s in sessions
    ]


def _ids(key: str) -> str:
    """Ids of this section's inputs, apart from the host page's and from each other."""
    return f"sessions-{key}-%s"


def _session_key(public_id) -> str:
    return str(public_id)[-12:]  # the random end (a uuid7 begins with the time)


def _session_forms(session, parties, given: dict) -> dict:
    """The record and cancel forms of one scheduled session (the posted one keeps its errors)."""
    key = _session_key(session.public_id)
    posted = given.get("session_key") == key
    return {
        "s": session,
        "record": (given.get("record") if posted else None)
        or RecordForm(parties=parties, auto_id=_ids(f"record-{key}")),
        "cancel": (given.get("cancel") if posted else None) or CancelForm(auto_id=_ids(f"cancel-{key}")),
    }


def sessions_context(request, dispute, given: dict | None = None, revealed: dict | None = None, back: str = "") -> dict:
    """What the dispute page's sessions section needs (`staff/disputes/_sessions.html`), under one
    key so that it does not clash with the page's own names."""
    actor, today = request.actor, timezone.localdate()
    given, revealed = given or {}, revealed or {}
    parties = sel.dispute_parties(dispute)
    sessions = sel.dispute_sessions(dispute)
    agreement = sel.dispute_agreement(dispute)
    handles = sel.may_handle(actor, dispute)
    state = dispute.state
    part = {
        "dispute": dispute,
        "back": back,
        "handles": handles,
        "parties": parties,
        "sessions": _session_rows(sessions, parties, revealed.get("minutes", {})),
        "scheduled": [s for s in sessions if s.state == SessionState.SCHEDULED],
        "has_minutes": any(s.minutes_sealed for s in sessions),
        "agreement": agreement,
        "follow_ups": [
            {"f": f, "note": revealed.get("follow_ups", {}).get(f.pk)}
            for f in (sel.dispute_follow_ups(dispute) if agreement else [])
        ],
        "overdue": is_overdue(state, dispute.due_on, today),
        "revealed": revealed,
        "mediating": state == DisputeState.MEDIATING,
        "agreed": state == DisputeState.AGREED,
        "read_form": given.get("read") or ReadForm(auto_id=_ids("read")),
    }
    if handles and state == DisputeState.MEDIATING:
        part |= {
            "schedule_form": given.get("schedule")
            or ScheduleForm(rooms=sel.mediation_rooms(dispute), auto_id=_ids("schedule")),
            "scheduled_forms": [_session_forms(s, parties, given) for s in part["scheduled"]],
            "extend_form": None if dispute.extended else given.get("extend") or ExtendForm(auto_id=_ids("extend")),
            "agreement_form": given.get("agreement")
            or AgreementForm(initial={"kind": OutcomeKind.WRITTEN, "signed_on": today}, auto_id=_ids("agreement")),
            "fail_form": given.get("fail") or FailForm(auto_id=_ids("fail")),
        }
    if handles and agreement is not None and agreement.kind == OutcomeKind.WRITTEN:
        part["print_form"] = given.get("print") or PrintForm(auto_id=_ids("print"))
        if not agreement.confirmation_result:
            part["confirmation_form"] = given.get("confirmation") or ConfirmationForm(
                initial={"applied_on": today}, auto_id=_ids("confirmation")
            )
        elif agreement.confirmation_result == ConfirmationResult.PENDING:
            part["result_form"] = given.get("result") or ConfirmationResultForm(
                initial={"decided_on": today}, auto_id=_ids("result")
            )
    if handles and state == DisputeState.AGREED:
        part["follow_up_form"] = given.get("follow_up") or FollowUpForm(
            initial={"on": today}, auto_id=_ids("follow_up")
        )
        part["close_form"] = given.get("close") or CloseForm(auto_id=_ids("close"))
    return {"sessions_part": part}


def _dispute_for(request, number: str):
    """The dispute for a staff form: the area's staff and its mediator read it (one 404)."""
    return dispute_get(actor=request.actor, number=number)


def _done(request, dispute, back: str):
    if back == "my":
        return redirect("portal:mediation:sessions-my-dispute", dispute.number)
    try:
        return redirect(reverse("portal:mediation:dispute", args=[dispute.number]) + "#sessions")
    except NoReverseMatch:  # the intake stage's page is not there: the phone page shows it all
        return redirect("portal:mediation:sessions-my-dispute", dispute.number)


def _page(request, dispute, given=None, revealed=None, status=200, back=""):
    context = sessions_context(request, dispute, given, revealed, back=back)
    context |= {"dispute": dispute, "parties": context["sessions_part"]["parties"], "today": timezone.localdate()}
    context["overdue"] = context["sessions_part"]["overdue"]
    context["staff_back"] = back != "my"
    return render(request, "mediation/mediator/dispute.html", context, status=status)


def _session_for(dispute, data):
    return sel.session_of(dispute, data.get("session") or "")


def _save_schedule(actor, dispute, data):
    svc.session_schedule(
        actor=actor,
        dispute=dispute,
        starts_at=data["starts_at"],
        place=data["place"],
        facility_ref=data["facility_ref"] or None,
    )
    return _("The session is scheduled.")


def _save_record(actor, dispute, data):
    session = _session_for(dispute, data)
    svc.session_record(actor=actor, session=session, attended_party_ids=data["attended"], minutes=data["minutes"])
    return _("The session is recorded.")


def _save_cancel(actor, dispute, data):
    svc.session_cancel(actor=actor, session=_session_for(dispute, data), reason=data["reason"])
    return _("The session is cancelled.")


def _save_extend(actor, dispute, data):
    svc.dispute_extend(
        actor=actor, dispute=dispute, days=data["days"], reason=data["reason"], parties_agree=data["parties_agree"]
    )
    return _("The time limit is extended.")


def _save_agreement(actor, dispute, data):
    svc.agreement_record(
        actor=actor,
        dispute=dispute,
        kind=data["kind"],
        terms=data["terms"],
        signed_on=data["signed_on"],
        perform_by=data["perform_by"],
    )
    return _("The agreement is recorded.")


def _save_fail(actor, dispute, data):
    svc.dispute_fail(actor=actor, dispute=dispute, onward_route=data["onward_route"], reason=data["reason"])
    return _("The mediation is recorded as failed.")


def _save_confirmation(actor, dispute, data):
    svc.confirmation_record(actor=actor, dispute=dispute, applied_on=data["applied_on"], court=data["court"])
    return _("The application for judicial confirmation is recorded.")


def _save_result(actor, dispute, data):
    svc.confirmation_result(actor=actor, dispute=dispute, result=data["result"], decided_on=data["decided_on"])
    return _("The court's ruling is recorded.")


def _save_follow_up(actor, dispute, data):
    svc.follow_up_record(
        actor=actor, dispute=dispute, on=data["on"], performance=data["performance"], note=data["note"]
    )
    return _("The follow-up is recorded.")


def _save_close(actor, dispute, data):
    svc.dispute_close(actor=actor, dispute=dispute, reason=data["reason"])
    return _("The dispute is closed.")


ACTIONS = {
    "schedule": (ScheduleForm, _save_schedule),
    "record": (RecordForm, _save_record),
    "cancel": (CancelForm, _save_cancel),
    "extend": (ExtendForm, _save_extend),
    "agreement": (AgreementForm, _save_agreement),
    "fail": (FailForm, _save_fail),
    "confirmation": (ConfirmationForm, _save_confirmation),
    "result": (ConfirmationResultForm, _save_result),
    "follow_up": (FollowUpForm, _save_follow_up),
    "close": (CloseForm, _save_close),
}


def _bound(form_class, action: str, request, dispute):
    """The posted form, with the ids it had on the page."""
    if form_class is ScheduleForm:
        return ScheduleForm(request.POST, rooms=sel.mediation_rooms(dispute), auto_id=_ids(action))
    key = _session_key(request.POST.get("session", ""))
    if form_class is RecordForm:
        return RecordForm(request.POST, parties=sel.dispute_parties(dispute), auto_id=_ids(f"record-{key}"))
    if form_class is CancelForm:
        return CancelForm(request.POST, auto_id=_ids(f"cancel-{key}"))
    return form_class(request.POST, auto_id=_ids(action))


@staff_page(MEDIATION_VIEW, MEDIATION_INTAKE, MEDIATION_MEDIATE)
@require_POST
def sessions_post(request, number: str, action: str):
    """One form of the sessions section: the service's field errors stay beside the inputs."""
    dispute = _dispute_for(request, number)
    back = "my" if request.POST.get("back") == "my" else "staff"
    if action == "read":
        return _read(request, dispute, back)
    if action not in ACTIONS:
        raise not_found("页面", "Page")
    form_class, save = ACTIONS[action]
    form = _bound(form_class, action, request, dispute)
    if form.is_valid():
        try:
            done = save(request.actor, dispute, form.cleaned_data)
        except DomainError as error:
            if error.status == 404:
                raise
            add_domain_errors(form, error, aliases={"attended": "attended"})
        else:
            messages.success(request, done)
            return _done(request, dispute, back)
    given = {action: form, "session_key": _session_key(request.POST.get("session", ""))}
    return _page(request, dispute, given, status=422, back=back)


def _read(request, dispute, back: str):
    """Read minutes, terms or follow-up notes in clear, with a reason (audited)."""
    form = ReadForm(request.POST, auto_id=_ids("read"))
    what = request.POST.get("what", "")
    try:
        reason = form.data.get("reason", "")
        if what.startswith("minutes:"):
            session = sel.session_of(dispute, what.removeprefix("minutes:"))
            revealed = {
                "minutes": {session.pk: svc.session_minutes_read(actor=request.actor, session=session, reason=reason)}
            }
        elif what == "terms":
            revealed = {"terms": svc.agreement_terms_read(actor=request.actor, dispute=dispute, reason=reason)}
        elif what == "follow_ups":
            notes = svc.follow_up_notes_read(actor=request.actor, dispute=dispute, reason=reason)
            revealed = {"follow_ups": {row.pk: note for row, note in notes}}
        else:
            raise not_found("记录", "Record")
    except DomainError as error:
        if error.status == 404:
            raise
        form.is_valid()
        add_domain_errors(form, error)
        return _page(request, dispute, {"read": form}, status=422, back=back)
    return _page(request, dispute, revealed=revealed, back=back)


@staff_page(MEDIATION_VIEW, MEDIATION_INTAKE, MEDIATION_MEDIATE)
def agreement_pdf_view(request, number: str):
    """The 调解协议书 to print: GET with ID numbers masked; POST with a reason prints them in full."""
    dispute = _dispute_for(request, number)
    reveal = ""
    if request.method == "POST":
        form = PrintForm(request.POST)
        reveal = form.data.get("reveal_reason", "")
    try:
        paper = svc.agreement_paper(actor=request.actor, dispute=dispute, reveal_reason=reveal)
    except DomainError as error:
        if error.status in (403, 404):
            raise not_found("调解协议", "Agreement") from error
        form = PrintForm(request.POST, auto_id=_ids("print"))
        form.is_valid()
        add_domain_errors(form, error)
        return _page(request, dispute, {"print": form}, status=422, back=request.POST.get("back", ""))
    response = HttpResponse(agreement_pdf(paper), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dispute.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# ---- the mediator's own pages ---------------------------------------------------------------------


@staff_page(MEDIATION_MEDIATE)
def my_queue(request):
    """The mediator's queue: due soonest first, the next session of each; today's sessions on top."""
    actor, today = request.actor, timezone.localdate()
    rows = list(sel.mediator_queue(actor=actor, today=today)[:200])
    for row in rows:
        row.overdue = is_overdue(row.state, row.due_on, today)
        row.due_soon = (
            not row.overdue
            and row.state == DisputeState.MEDIATING
            and row.due_on is not None
            and (row.due_on - today).days <= sel.DUE_SOON_DAYS
        )
    context = {"rows": rows, "today_sessions": sel.sessions_today(actor=actor, today=today), "today": today}
    return render(request, "mediation/mediator/queue.html", context)


@staff_page(MEDIATION_MEDIATE)
def my_dispute(request, number: str):
    dispute = sel.my_queue_dispute_get(actor=request.actor, number=number)
    return _page(request, dispute, back="my")


@staff_page(MEDIATION_INTAKE)
def follow_ups_list(request):
    """The area's agreements past their perform-by day with no follow-up since, oldest first."""
    today = timezone.localdate()
    rows = list(sel.follow_ups_due(actor=request.actor, today=today).select_related("kind", "mediator")[:200])
    return render(request, "mediation/staff/sessions/follow_ups.html", {"rows": rows, "today": today})


staff_urls = [
    path("my/", my_queue, name="sessions-my"),
    path("follow-ups/", follow_ups_list, name="sessions-follow-ups"),
    path("my/<str:number>/", my_dispute, name="sessions-my-dispute"),
    path("disputes/<str:number>/sessions/<slug:action>/", sessions_post, name="sessions-post"),
    path("disputes/<str:number>/agreement.pdf", agreement_pdf_view, name="sessions-agreement-pdf"),
]
resident_urls: list = []
