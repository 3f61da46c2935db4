"""Pages of stage voting (thin: parse, one service or selector, render).

The consultation pages include this stage's panels (`staff_panel`, `resident_panel` and the two
`_panel.html`); the same panels stand on their own pages here (`voting-detail`, `voting-ballot`),
which are also where the forms come back with their errors. Staff: open the vote (the roll size it
will freeze, confirmed), the live turnout and counts, close and count (confirmed, a reason when
early), meeting votes of signed-in attendees, the result in words, the roll (masked, paginated).
Residents: the ballot (big radio buttons), the receipt, the result once counted."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART, CONSULT_VIEW
from linli.consultation.domain.consultations import ConsultationState
from linli.consultation.domain.voting import Majority, VoteUnit
from linli.consultation.selectors import voting as sel
from linli.consultation.services import voting as svc
from linli.core.errors import DomainError
from linli.core.forms import DateTimeInput, add_domain_errors, needed
from linli.core.web import resident_page, staff_page

# this stage's lines of the staff menu (see `web/nav.py` for the shape): none — voting is reached
# from a consultation's page
NAV_LINKS: list = []
CONFIRM = gettext_lazy("I confirm; this cannot be undone")
COUNTED_STATES = (
    ConsultationState.COUNTED,
    ConsultationState.DECIDED,
    ConsultationState.IMPLEMENTING,
    ConsultationState.COMPLETED,
)


class OpenForm(forms.Form):
    voting_until = needed(
        forms.DateTimeField(label=gettext_lazy("Voting closes at"), widget=DateTimeInput(), required=False)
    )
    confirm = forms.BooleanField(label=gettext_lazy("I confirm: the roll is frozen and the rule cannot change"))


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (needed when closing before the set time)"), max_length=300, required=False
    )
    confirm = forms.BooleanField(label=CONFIRM)


def _option_choices(options) -> list[tuple[str, str]]:
    return [(o.key, o.label) for o in options]


class RecordForm(forms.Form):
    resident = forms.ChoiceField(label=gettext_lazy("Attendee signed in"))
    option = forms.ChoiceField(label=gettext_lazy("Their choice"), widget=forms.RadioSelect)

    def __init__(self, *args, attendees=(), options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [("", "—"), *((a["ref"], a["name"]) for a in attendees)]
        self.fields["option"].choices = _option_choices(options)


class BallotForm(forms.Form):
    option = forms.ChoiceField(
        label=gettext_lazy("Your choice"), widget=forms.RadioSelect(attrs={"class": "ballot-choice"})
    )

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = _option_choices(options)


# ---- what both panels show ------------------------------------------------------------------------


def rule_words(consultation) -> str:
    """The rule in a sentence: who votes, the quorum, the majority."""
    unit = VoteUnit(consultation.vote_unit).label
    majority = Majority(consultation.majority).label
    if consultation.quorum_percent:
        return _("%(unit)s; at least %(quorum)s%% of the roll must vote; carried by: %(majority)s.") % {
            "unit": unit,
            "quorum": consultation.quorum_percent,
            "majority": majority,
        }
    return _("%(unit)s; no quorum; carried by: %(majority)s.") % {"unit": unit, "majority": majority}


def _rows(options, counts: dict, winner) -> list[dict]:
    return [{"label": o.label, "count": counts.get(o.key, 0), "winner": o.key == winner} for o in options]


def _turnout(cast: int, roll: int) -> str:
    return f"{cast * 100 / roll:.1f}" if roll else "0.0"


def _result(consultation, options) -> dict:
    stored = consultation.result or {}
    winner = stored.get("winner")
    won = next((o.label for o in options if o.key == winner), "")
    return {
        "rows": _rows(options, stored.get("counts", {}), winner),
        "cast": stored.get("cast", 0),
        "roll_size": stored.get("roll_size", consultation.roll_size),
        "turnout": _turnout(stored.get("cast", 0), stored.get("roll_size", 0)),
        "quorum_met": stored.get("quorum_met", False),
        "winner": won,
    }


def _live(consultation, options) -> dict:
    result = sel.live_tally(consultation, options)
    return {
        "rows": _rows(options, result.counts, None),
        "cast": result.cast,
        "roll_size": result.roll_size,
        "turnout": _turnout(result.cast, result.roll_size),
        "quorum_met": result.quorum_met,
    }


# ---- the staff panel ---------------------------------------------------------------------------


def staff_panel(request, consultation, given: dict | None = None) -> dict:
    """This stage's part of the staff consultation page (`consultations` renders
    `consultation/staff/voting/_panel.html` with this under `voting_panel`)."""
    given, state = given or {}, consultation.state
    manages = request.actor.has_perm(CONSULT_MANAGE)
    options = sel.option_list(consultation)
    part = {"c": consultation, "rule": rule_words(consultation), "options": options, "manages": manages}
    part["back"] = given.get("back") or request.path
    if state == ConsultationState.DISCUSSING and manages:
        part["roll_preview"] = sel.roll_preview(consultation, timezone.localdate())
        part["open_form"] = given.get("open") or OpenForm(
            initial={"voting_until": consultation.voting_until}, auto_id="voting-open-%s"
        )
    if state == ConsultationState.VOTING:
        part["live"] = _live(consultation, options)
        if manages:
            part["close_form"] = given.get("close") or CloseForm(auto_id="voting-close-%s")
            attendees = sel.attendees_to_record(consultation)
            if attendees:
                part["record_form"] = given.get("record") or RecordForm(
                    attendees=attendees, options=options, auto_id="voting-record-%s"
                )
    if state in COUNTED_STATES:
        part["result"] = _result(consultation, options)
    return part


def _staff_page(request, consultation, given=None, status=200):
    context = {"consultation": consultation, "voting_panel": staff_panel(request, consultation, given)}
    return render(request, "consultation/staff/voting/page.html", context, status=status)


@staff_page(CONSULT_VIEW, CONSULT_MANAGE)
def voting_detail(request, number: str):
    return _staff_page(request, sel.voting_consultation_get(actor=request.actor, number=number))


@staff_page(CONSULT_VIEW, CONSULT_MANAGE)
def voting_roll(request, number: str):
    consultation = sel.voting_consultation_get(actor=request.actor, number=number)
    page = Paginator(sel.roll_entries(consultation), sel.ROLL_PAGE).get_page(request.GET.get("page"))
    context = {"consultation": consultation, "page": page, "rule": rule_words(consultation)}
    return render(request, "consultation/staff/voting/roll.html", context)


def _back(request, fallback: str, prefix: str) -> str:
    """Back to the page the panel was on (one of this app's), else this stage's own page."""
    back = request.POST.get("back", "")
    return back if back.startswith(prefix) and "//" not in back else fallback


def _open(request, consultation, form):
    svc.voting_open(actor=request.actor, consultation=consultation, voting_until=form.cleaned_data["voting_until"])
    return _("Voting is open; the roll is frozen.")


def _close(request, consultation, form):
    svc.voting_close(actor=request.actor, consultation=consultation, reason=form.cleaned_data["reason"])
    return _("Voting is closed and counted.")


def _record(request, consultation, form):
    data = form.cleaned_data
    svc.vote_record(
        actor=request.actor, consultation=consultation, resident_ref=data["resident"], option_key=data["option"]
    )
    return _("The vote is recorded.")


ACTIONS = {"open": (OpenForm, _open), "close": (CloseForm, _close), "record": (RecordForm, _record)}


@staff_page(CONSULT_MANAGE)
@require_POST
def voting_post(request, number: str, action: str):
    consultation = sel.voting_consultation_get(actor=request.actor, number=number)
    if action not in ACTIONS:
        return redirect("portal:consultation:voting-detail", number)
    form_class, save = ACTIONS[action]
    extra = {"attendees": sel.attendees_to_record(consultation), "options": sel.option_list(consultation)}
    form = form_class(request.POST, **(extra if action == "record" else {}), auto_id=f"voting-{action}-%s")
    if form.is_valid():
        try:
            messages.success(request, save(request, consultation, form))
            fallback = reverse("portal:consultation:voting-detail", args=[number])
            return redirect(_back(request, fallback, "/staff/consultation/") + "#voting")
        except DomainError as error:
            add_domain_errors(form, error)
    return _staff_page(request, consultation, {action: form, "back": request.POST.get("back", "")}, status=422)


# ---- the resident's panel -----------------------------------------------------------------------


def resident_panel(request, consultation, given: dict | None = None) -> dict:
    """This stage's part of the resident's consultation page
    (`consultation/resident/voting/_panel.html`, context key `voting_panel`)."""
    given, state = given or {}, consultation.state
    part = {"c": consultation, "rule": rule_words(consultation), "back": given.get("back") or request.path}
    if state == ConsultationState.VOTING:
        receipt = sel.vote_receipt(actor=request.actor, consultation=consultation)
        part["receipt"] = receipt
        if receipt.on_roll and receipt.voted_at is None:
            part["ballot"] = given.get("ballot") or BallotForm(
                options=sel.option_list(consultation), auto_id="voting-ballot-%s"
            )
        elif given.get("ballot") is not None:  # a refused ballot (a second vote): say why, not just the receipt
            part["refusal"] = [error for errors in given["ballot"].errors.values() for error in errors]
    if state in COUNTED_STATES:
        part["result"] = _result(consultation, sel.option_list(consultation))
    return part


def _resident_page(request, consultation, given=None, status=200):
    context = {"consultation": consultation, "voting_panel": resident_panel(request, consultation, given)}
    return render(request, "consultation/resident/voting/page.html", context, status=status)


@resident_page(CONSULT_TAKE_PART)
def voting_ballot(request, number: str):
    return _resident_page(request, sel.resident_consultation_get(actor=request.actor, number=number))


@resident_page(CONSULT_TAKE_PART)
@require_POST
def voting_vote(request, number: str):
    consultation = sel.resident_consultation_get(actor=request.actor, number=number)
    form = BallotForm(request.POST, options=sel.option_list(consultation), auto_id="voting-ballot-%s")
    if form.is_valid():
        try:
            svc.vote_cast(actor=request.actor, consultation=consultation, option_key=form.cleaned_data["option"])
            messages.success(request, _("Your vote is in. Thank you."))
            fallback = reverse("portal:consultation-resident:voting-ballot", args=[number])
            return redirect(_back(request, fallback, "/my/consultation/") + "#voting")
        except DomainError as error:
            add_domain_errors(form, error)
    given = {"ballot": form, "back": request.POST.get("back", "")}
    return _resident_page(request, consultation, given, status=422)


staff_urls: list = [
    path("voting/<str:number>/", voting_detail, name="voting-detail"),
    path("voting/<str:number>/roll/", voting_roll, name="voting-roll"),
    path("voting/<str:number>/<str:action>/", voting_post, name="voting-post"),
]
resident_urls: list = [
    path("voting/<str:number>/", voting_ballot, name="voting-ballot"),
    path("voting/<str:number>/vote/", voting_vote, name="voting-vote"),
]
public_urls: list = []
