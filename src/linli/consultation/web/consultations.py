"""Pages of stage consultations (thin: parse, one service or selector, render).

Staff: the list (filters by state and form, counts), the new/edit form (options as repeated
inputs), the consultation page (question, rule in words, participants, stakeholders, timeline,
comments with moderation, meetings; the voting and decisions panels), and the meeting page made
for a tablet at the door. Residents: their community's consultations and the consultation page
(question, options, shown comments with masked names, add a comment, meetings, the panels)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART, CONSULT_VIEW
from linli.consultation.domain.consultations import (
    COMMENT_MAX,
    ConsultationForm,
    ConsultationState,
    ParticipantScope,
)
from linli.consultation.domain.voting import Majority, VoteUnit
from linli.consultation.selectors import consultations as sel
from linli.consultation.services import consultations as svc
from linli.consultation.web import decisions, voting
from linli.core.errors import DomainError
from linli.core.forms import DateInput, DateTimeInput, add_domain_errors, needed
from linli.core.web import resident_page, staff_page

NAV_LINKS = [(CONSULT_VIEW, None, "portal:consultation:consultations-list", gettext_lazy("Consultations"))]
PAGE_SIZE = 25
OPTION_INPUTS = 4  # empty option inputs offered at first: most consultations have two to four


class ConsultationFormFields(forms.Form):
    title = needed(forms.CharField(label=gettext_lazy("Consultation title"), max_length=100, required=False))
    question = needed(
        forms.CharField(
            label=gettext_lazy("What is to be decided"), widget=forms.Textarea(attrs={"rows": 4}), required=False
        )
    )
    form = forms.ChoiceField(label=gettext_lazy("Form of consultation"), choices=ConsultationForm.choices)
    scope_kind = forms.ChoiceField(
        label=gettext_lazy("Who takes part"), choices=ParticipantScope.choices, initial=ParticipantScope.COMMUNITY
    )
    scope_path = forms.ChoiceField(label=gettext_lazy("Building or grid"), required=False)
    stakeholders = forms.CharField(
        label=gettext_lazy("Stakeholders (one unit per line)"),
        help_text=gettext_lazy("For example: 物业公司, 业主委员会, units in the area"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    discussion_until = forms.DateField(label=gettext_lazy("Comments until"), widget=DateInput(), required=False)
    voting_until = forms.DateTimeField(label=gettext_lazy("Voting until"), widget=DateTimeInput(), required=False)
    vote_unit = forms.ChoiceField(label=gettext_lazy("Who votes"), choices=VoteUnit.choices)
    quorum_percent = forms.IntegerField(
        label=gettext_lazy("Quorum (% of the roll)"), min_value=0, max_value=100, initial=50
    )
    majority = forms.ChoiceField(label=gettext_lazy("Carried by"), choices=Majority.choices)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_path"].choices = [("", _("The whole community")), *places]


class CancelForm(forms.Form):
    reason = needed(forms.CharField(label=gettext_lazy("Reason for cancelling"), max_length=300, required=False))
    confirm = forms.BooleanField(label=gettext_lazy("I confirm the cancellation"))


class HideForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for hiding"), max_length=200, required=False)


class MeetingForm(forms.Form):
    starts_at = needed(forms.DateTimeField(label=gettext_lazy("Starts at"), widget=DateTimeInput(), required=False))
    place = needed(forms.CharField(label=gettext_lazy("Meeting place"), max_length=100, required=False))


class StakeholderForm(forms.Form):
    stakeholder = needed(forms.CharField(label=gettext_lazy("Unit"), max_length=100, required=False))
    name = needed(forms.CharField(label=gettext_lazy("Representative's name"), max_length=40, required=False))


class MinutesForm(forms.Form):
    minutes = needed(
        forms.CharField(label=gettext_lazy("Meeting minutes"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    )


class CommentForm(forms.Form):
    body = needed(
        forms.CharField(
            label=gettext_lazy("Your comment"),
            max_length=COMMENT_MAX,
            widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX}),
            required=False,
        )
    )


# ---- parsing ------------------------------------------------------------------------------------


def _places(request, path: str) -> list[tuple[str, str]]:
    return sel.scope_places(request.actor, path)


def _input(form: ConsultationFormFields, request, path: str, topic_id: str = "") -> svc.ConsultationInput:
    data = form.cleaned_data
    return svc.ConsultationInput(
        path=path,
        title=data.get("title") or "",
        question=data.get("question") or "",
        form=data.get("form") or "",
        scope_kind=data.get("scope_kind") or "",
        scope_path=data.get("scope_path") or "",
        stakeholders=(data.get("stakeholders") or "").splitlines(),
        discussion_until=data.get("discussion_until"),
        voting_until=data.get("voting_until"),
        vote_unit=data.get("vote_unit") or "",
        quorum_percent=data.get("quorum_percent") or 0,
        majority=data.get("majority") or "",
        options=request.POST.getlist("option"),
        topic_id=topic_id,
    )


def _option_inputs(values: list[str]) -> list[str]:
    values = [v for v in values if v.strip()]
    return values + [""] * max(OPTION_INPUTS - len(values), 1)


def _detail_url(c) -> str:
    return reverse("portal:consultation:consultations-detail", args=[c.public_id])


# ---- staff: list, form ------------------------------------------------------------------------


@staff_page(CONSULT_VIEW, CONSULT_MANAGE)
def staff_list(request):
    state, form = request.GET.get("state", ""), request.GET.get("form", "")
    rows = sel.consultation_list(actor=request.actor, state=state, form=form)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = sel.state_counts(actor=request.actor)
    context = {
        "page": page,
        "state": state,
        "form_filter": form,
        "states": [(v, label, counts.get(v, 0)) for v, label in ConsultationState.choices],
        "forms": ConsultationForm.choices,
        "total": sum(counts.values()),
        "may_create": request.actor.has_perm(CONSULT_MANAGE) and bool(sel.manageable_communities(request.actor)),
    }
    return render(request, "consultation/staff/consultations/list.html", context)


@staff_page(CONSULT_MANAGE)
def staff_new(request):
    topic = sel.accepted_topic(actor=request.actor, public_id=request.GET.get("topic", ""))
    communities = sel.manageable_communities(request.actor)
    path = topic.path if topic else request.POST.get("community") or (communities[0][0] if communities else "")
    initial = {"title": topic.title, "question": topic.body} if topic else {}
    form = ConsultationFormFields(request.POST or None, initial=initial, places=_places(request, path))
    if request.method == "POST" and form.is_valid():
        try:
            c = svc.consultation_create(
                actor=request.actor, data=_input(form, request, path, str(topic.public_id) if topic else "")
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Consultation prepared: %(number)s") % {"number": c.number})
            return redirect(_detail_url(c))
    context = {
        "form": form,
        "topic": topic,
        "communities": communities,
        "community": path,
        "option_values": _option_inputs(request.POST.getlist("option")),
        "option_error": form.errors.get("options") if form.errors else None,
    }
    return render(request, "consultation/staff/consultations/form.html", context)


@staff_page(CONSULT_MANAGE)
def staff_edit(request, public_id):
    c = sel.consultation_get(actor=request.actor, public_id=public_id)
    initial = {**{f: getattr(c, f) for f in ConsultationFormFields.base_fields if hasattr(c, f)}}
    initial["stakeholders"] = "\n".join(c.stakeholders)
    initial["scope_path"] = "" if c.scope_path == c.path else c.scope_path
    form = ConsultationFormFields(request.POST or None, initial=initial, places=_places(request, c.path))
    if request.method == "POST" and form.is_valid():
        try:
            svc.consultation_edit(actor=request.actor, public_id=c.public_id, data=_input(form, request, c.path))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(_detail_url(c))
    values = request.POST.getlist("option") if request.method == "POST" else [o.label for o in c.options.all()]
    context = {"form": form, "c": c, "option_values": _option_inputs(values), "community": c.path}
    return render(request, "consultation/staff/consultations/form.html", context)


# ---- staff: the consultation page ---------------------------------------------------------------


def _staff_detail(request, c, *, meeting_form=None, cancel_form=None, status=200):
    manages = request.actor.has_perm(CONSULT_MANAGE)
    context = {
        "c": c,
        "names": sel.scope_names(c),
        "options": list(c.options.all()),
        "rule": voting.rule_words(c),
        "comments": sel.comments_for_staff(c),
        "steps": sel.steps(c),
        "meetings": sel.meeting_rows(c),
        "manages": manages,
        "may_edit": manages and c.state == ConsultationState.DRAFT,
        "may_open": manages and c.state == ConsultationState.DRAFT,
        "may_cancel": manages and c.state in svc.BEFORE_DECISION,
        "may_schedule": manages and c.state in svc.MEETINGS_OPEN,
        "meeting_form": meeting_form or MeetingForm(auto_id="meeting-%s"),
        "cancel_form": cancel_form,
        "voting_panel": voting.staff_panel(request, c),
        "decisions_panel": decisions.staff_panel(request, c),
    }
    return render(request, "consultation/staff/consultations/detail.html", context, status=status)


@staff_page(CONSULT_VIEW, CONSULT_MANAGE)
def staff_detail(request, public_id):
    return _staff_detail(request, sel.consultation_get(actor=request.actor, public_id=public_id))


def _post_action(request, public_id, act, done: str):
    """Run one write on the consultation, then back to its page with the outcome."""
    c = sel.consultation_get(actor=request.actor, public_id=public_id)
    if request.method == "POST":
        try:
            act(c)
        except DomainError as error:
            messages.error(request, str(error.message) + "".join(f" {f.message}" for f in error.fields))
        else:
            messages.success(request, done)
    return redirect(_detail_url(c))


@staff_page(CONSULT_MANAGE)
def staff_open(request, public_id):
    return _post_action(
        request,
        public_id,
        lambda c: svc.consultation_open(actor=request.actor, public_id=c.public_id),
        _("Open for comments."),
    )


@staff_page(CONSULT_MANAGE)
def staff_cancel(request, public_id):
    c = sel.consultation_get(actor=request.actor, public_id=public_id)
    form = CancelForm(request.POST or None, auto_id="cancel-%s")
    if request.method == "POST" and form.is_valid():
        try:
            svc.consultation_cancel(actor=request.actor, public_id=c.public_id, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The consultation was cancelled."))
            return redirect(_detail_url(c))
    return render(request, "consultation/staff/consultations/cancel.html", {"c": c, "form": form})


@staff_page(CONSULT_MANAGE)
def staff_moderate(request, public_id, comment_id):
    form = HideForm(request.POST or None)
    form.is_valid()
    show = request.POST.get("decision") == "show"
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    return _post_action(
        request,
        public_id,
        lambda c: svc.comment_moderate(actor=request.actor, public_id=comment_id, show=show, reason=reason),
        _("Comment shown.") if show else _("Comment hidden."),
    )


@staff_page(CONSULT_MANAGE)
def staff_meeting_new(request, public_id):
    c = sel.consultation_get(actor=request.actor, public_id=public_id)
    form = MeetingForm(request.POST or None, auto_id="meeting-%s")
    if request.method == "POST" and form.is_valid():
        try:
            m = svc.meeting_schedule(
                actor=request.actor,
                public_id=c.public_id,
                starts_at=form.cleaned_data["starts_at"],
                place=form.cleaned_data["place"],
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Meeting scheduled."))
            return redirect("portal:consultation:consultations-meeting", m.public_id)
    return _staff_detail(request, c, meeting_form=form, status=200 if request.method == "GET" else 422)


# ---- staff: the meeting page (a tablet at the door) ---------------------------------------------------


def _meeting_page(request, meeting, *, stakeholder_form=None, minutes_form=None, status=200):
    q = request.GET.get("q", "")
    manages = request.actor.has_perm(CONSULT_MANAGE)
    context = {
        "m": meeting,
        "c": meeting.consultation,
        "q": q,
        "hits": sel.door_search(actor=request.actor, meeting=meeting, q=q) if manages else [],
        "sign_ins": sel.sign_ins(meeting),
        "manages": manages,
        "started": meeting.starts_at <= timezone.now(),
        "stakeholder_form": stakeholder_form or StakeholderForm(auto_id="stakeholder-%s"),
        "minutes_form": minutes_form or MinutesForm(initial={"minutes": meeting.minutes}, auto_id="minutes-%s"),
    }
    return render(request, "consultation/staff/consultations/meeting.html", context, status=status)


@staff_page(CONSULT_VIEW, CONSULT_MANAGE)
def staff_meeting(request, public_id):
    return _meeting_page(request, sel.meeting_get(actor=request.actor, public_id=public_id))


@staff_page(CONSULT_MANAGE)
def staff_sign_in(request, public_id):
    meeting = sel.meeting_get(actor=request.actor, public_id=public_id)
    back = reverse("portal:consultation:consultations-meeting", args=[meeting.public_id])
    if request.method != "POST":
        return redirect(back)
    form = StakeholderForm(request.POST, auto_id="stakeholder-%s")
    resident = request.POST.get("resident", "")
    data = form.cleaned_data if form.is_valid() else {}
    try:
        row = svc.meeting_sign_in(
            actor=request.actor,
            meeting_id=meeting.public_id,
            resident_ref=resident,
            stakeholder=data.get("stakeholder", "") if not resident else "",
            name=data.get("name", "") if not resident else "",
        )
    except DomainError as error:
        if resident:
            messages.error(request, str(error.message) + "".join(f" {f.message}" for f in error.fields))
            return redirect(back)
        add_domain_errors(form, error)
        return _meeting_page(request, meeting, stakeholder_form=form, status=422)
    messages.success(request, _("Signed in: %(name)s") % {"name": row.name_shown})
    return redirect(back)


@staff_page(CONSULT_MANAGE)
def staff_minutes(request, public_id):
    meeting = sel.meeting_get(actor=request.actor, public_id=public_id)
    form = MinutesForm(request.POST or None, auto_id="minutes-%s")
    if request.method == "POST" and form.is_valid():
        try:
            svc.meeting_minutes(actor=request.actor, meeting_id=meeting.public_id, minutes=form.cleaned_data["minutes"])
        except DomainError as error:
            add_domain_errors(form, error)
            return _meeting_page(request, meeting, minutes_form=form, status=422)
        messages.success(request, _("Minutes saved."))
    return redirect("portal:consultation:consultations-meeting", meeting.public_id)


# ---- residents ------------------------------------------------------------------------------------


@resident_page(CONSULT_TAKE_PART)
def resident_list(request):
    rows = sel.resident_consultations(actor=request.actor)
    return render(request, "consultation/resident/consultations/list.html", {"rows": rows})


@resident_page(CONSULT_TAKE_PART)
def resident_detail(request, public_id):
    c = sel.resident_consultation_get(actor=request.actor, public_id=public_id)
    may_comment = sel.may_comment(request.actor, c)
    form = CommentForm(request.POST or None, auto_id="comment-%s")
    if request.method == "POST" and form.is_valid():
        try:
            svc.comment_add(actor=request.actor, consultation=c, body=form.cleaned_data["body"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your comment will be shown once the committee has read it."))
            return redirect("portal:consultation-resident:consultations-detail", c.public_id)
    context = {
        "c": c,
        "names": sel.scope_names(c),
        "options": list(c.options.all()),
        "comments": list(sel.comments_shown(c)),
        "mine_pending": sel.my_pending_comments(request.actor, c).count(),
        "meetings": sel.meeting_rows(c),
        "may_comment": may_comment,
        "form": form,
        "voting_panel": voting.resident_panel(request, c),
        "decisions_panel": decisions.resident_panel(request, c),
    }
    return render(
        request, "consultation/resident/consultations/detail.html", context, status=422 if form.errors else 200
    )


staff_urls = [
    path("consultations/", staff_list, name="consultations-list"),
    path("consultations/new/", staff_new, name="consultations-new"),
    path("consultations/<uuid:public_id>/", staff_detail, name="consultations-detail"),
    path("consultations/<uuid:public_id>/edit/", staff_edit, name="consultations-edit"),
    path("consultations/<uuid:public_id>/open/", staff_open, name="consultations-open"),
    path("consultations/<uuid:public_id>/cancel/", staff_cancel, name="consultations-cancel"),
    path("consultations/<uuid:public_id>/meetings/new/", staff_meeting_new, name="consultations-meeting-new"),
    path(
        "consultations/<uuid:public_id>/comments/<uuid:comment_id>/moderate/",
        staff_moderate,
        name="consultations-moderate",
    ),
    path("consultations/meetings/<uuid:public_id>/", staff_meeting, name="consultations-meeting"),
    path("consultations/meetings/<uuid:public_id>/sign-in/", staff_sign_in, name="consultations-sign-in"),
    path("consultations/meetings/<uuid:public_id>/minutes/", staff_minutes, name="consultations-minutes"),
]
resident_urls = [
    path("consultations/", resident_list, name="consultations-list"),
    path("consultations/<uuid:public_id>/", resident_detail, name="consultations-detail"),
]
public_urls: list = []
