"""Safe community, stage disputes: pages (thin: parse, one service or selector, render).

Staff: the queue, the intake form (also from a grid event), the dispute's page with the parties'
consent, assignment, recusal, withdrawal, escalation and the timeline (the sessions stage adds its
section through `sessions_context`). Residents: apply for mediation, my disputes, withdraw."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts.domain import MEDIATION_APPLY, MEDIATION_INTAKE, MEDIATION_MEDIATE, MEDIATION_VIEW
from linli.areas.selectors import community_paths
from linli.core.errors import DomainError
from linli.core.forms import DateInput, add_domain_errors
from linli.core.web import resident_page, staff_page
from linli.grid_events.selectors import event_get
from linli.mediation.domain.disputes import Consent, DisputeLevel, DisputeSource, DisputeState, PartySide
from linli.mediation.selectors import disputes as sel
from linli.mediation.services import intake as svc
from linli.mediation.web.sessions import sessions_context
from linli.residents.selectors import applicant_for_user, care_people_search, care_person

PAGE_SIZE = 30
DATE = DateInput()
STAFF_SOURCES = [(value, label) for value, label in DisputeSource.choices if value != DisputeSource.PORTAL]
PARTY_FORMS = 4  # applicant, respondent and two more rows on the intake form


def _kind_choices():
    return [("", "—"), *((k.code, k.name_zh) for k in sel.dispute_kinds())]


class DisputeForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of dispute"), choices=())
    community = forms.ChoiceField(label=gettext_lazy("Community"), choices=(), required=False)
    source = forms.ChoiceField(label=gettext_lazy("Source"), choices=STAFF_SOURCES)
    source_ref = forms.CharField(label=gettext_lazy("Source reference"), max_length=40, required=False)
    level = forms.ChoiceField(
        label=gettext_lazy("Level"),
        choices=[("", gettext_lazy("As the kind says")), *DisputeLevel.choices],
        required=False,
    )
    title = forms.CharField(label=gettext_lazy("Summary (no names)"), max_length=60, required=False)
    facts = forms.CharField(
        label=gettext_lazy("Facts of the dispute (kept sealed)"), widget=forms.Textarea(attrs={"rows": 5})
    )
    claim = forms.CharField(
        label=gettext_lazy("Claim (kept sealed)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    registered_on = forms.DateField(
        label=gettext_lazy("Registered on (a paper record entered late)"), widget=DATE, required=False
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kind_choices()
        self.fields["community"].choices = [("", "—"), *community_paths(actor=actor)]
        for i in range(PARTY_FORMS):
            side = PartySide.APPLICANT if i == 0 else PartySide.RESPONDENT
            self.fields[f"parties-{i}-side"] = forms.ChoiceField(
                label=gettext_lazy("Side"), choices=PartySide.choices, initial=side
            )
            self.fields[f"parties-{i}-person_ref"] = forms.CharField(
                label=gettext_lazy("Resident of the pool (public id)"), required=False, max_length=40
            )
            self.fields[f"parties-{i}-name"] = forms.CharField(label=gettext_lazy("Full name"), required=False)
            self.fields[f"parties-{i}-phone"] = forms.CharField(
                label=gettext_lazy("Phone (kept sealed)"), required=False, max_length=20
            )
            self.fields[f"parties-{i}-id_number"] = forms.CharField(
                label=gettext_lazy("ID number (optional, kept sealed)"), required=False, max_length=18
            )
            self.fields[f"parties-{i}-address"] = forms.CharField(
                label=gettext_lazy("Address"), required=False, max_length=120
            )

    def party_rows(self):
        """The party fields grouped per row, for the template."""
        names = ("side", "person_ref", "name", "phone", "id_number", "address")
        return [[self[f"parties-{i}-{n}"] for n in names] for i in range(PARTY_FORMS)]

    def data_for_service(self) -> svc.DisputeInput:
        data = self.cleaned_data
        parties = []
        for i in range(PARTY_FORMS):
            row = {
                n: data.get(f"parties-{i}-{n}", "") or ""
                for n in ("person_ref", "name", "phone", "id_number", "address")
            }
            if row["person_ref"] or row["name"]:
                parties.append(svc.PartyInput(side=data[f"parties-{i}-side"], **row))
        return svc.DisputeInput(
            kind=data["kind"],
            facts=data["facts"],
            parties=parties,
            title=data["title"],
            claim=data["claim"],
            level=data["level"],
            source=data["source"],
            source_ref=data["source_ref"],
            community=data["community"],
            registered_on=data["registered_on"],
        )


class ConsentForm(forms.Form):
    party = forms.IntegerField(widget=forms.HiddenInput)
    consent = forms.ChoiceField(
        label=gettext_lazy("Will"),
        choices=[(Consent.AGREED, Consent.AGREED.label), (Consent.REFUSED, Consent.REFUSED.label)],
    )
    on = forms.DateField(label=gettext_lazy("Day"), widget=DATE, required=False)
    note = forms.CharField(label=gettext_lazy("Note (how it was asked)"), max_length=200, required=False)


class AssignForm(forms.Form):
    mediator = forms.CharField(label=gettext_lazy("Mediator"))
    reason = forms.CharField(label=gettext_lazy("Reason (when reassigning)"), max_length=300, required=False)


class PartyReasonForm(forms.Form):
    party = forms.IntegerField(label=gettext_lazy("Party"), required=False)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)
    confirm = forms.BooleanField(label=gettext_lazy("I confirm; this cannot be undone"))


class EscalateForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("What happened (where it was taken)"), max_length=300)
    confirm = forms.BooleanField(label=gettext_lazy("I confirm; this cannot be undone"))


class RevealForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for reading"), max_length=300)


# ---- staff: the queue and the intake ---------------------------------------------------------


@staff_page(MEDIATION_VIEW, MEDIATION_MEDIATE)
def dispute_list(request):
    get = request.GET
    state, kind, level = get.get("state", ""), get.get("kind", ""), get.get("level", "")
    overdue = get.get("overdue") == "1"
    disputes = sel.dispute_queue(actor=request.actor, state=state, kind=kind, level=level, overdue=overdue)
    page = Paginator(disputes, PAGE_SIZE).get_page(get.get("page"))
    context = {"page": page, "state": state, "kind": kind, "level": level, "overdue": overdue}
    context |= {"states": DisputeState.choices, "kinds": _kind_choices()[1:], "levels": DisputeLevel.choices}
    context |= {"today": timezone.localdate(), "may_intake": request.actor.has_perm(MEDIATION_INTAKE)}
    return render(request, "mediation/staff/disputes/list.html", context)


def _event_initial(request, number: str) -> tuple[dict, object]:
    """The form's first values from a grid event the actor may see (community, facts, reporter)."""
    event = event_get(actor=request.actor, key=number)
    existing = sel.dispute_for_event(actor=request.actor, event_number=event.number)
    initial = {
        "source": DisputeSource.GRID_EVENT,
        "source_ref": event.number,
        "community": event.community_path,
        "facts": event.description,
    }
    reporter = applicant_for_user(event.reporter_id) if event.reporter_id else None
    if reporter is not None:
        initial |= {"parties-0-person_ref": reporter.public_id, "parties-0-name": reporter.name}
    return initial, existing


def _picked(request) -> dict:
    """Pool residents chosen with the search box (`applicant=` / `respondent=` public ids), with
    their names shown beside the id (the service keeps the pool's name anyway)."""
    initial = {}
    for index, key in ((0, "applicant"), (1, "respondent")):
        ref = request.GET.get(key, "")[:40]
        person = care_person(actor=request.actor, public_id=ref) if ref else None
        if person is not None:
            initial |= {f"parties-{index}-person_ref": person.public_id, f"parties-{index}-name": person.name}
    return initial


@staff_page(MEDIATION_INTAKE)
def dispute_new(request):
    actor, event = request.actor, request.GET.get("event", "").strip()[:32]
    initial, existing = _event_initial(request, event) if event else ({}, None)
    initial |= _picked(request)
    q = request.GET.get("q", "").strip()[:40]
    found = care_people_search(actor=actor, q=q, limit=10) if q else []
    form = DisputeForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dispute = svc.dispute_register(actor=actor, data=form.data_for_service())
        except DomainError as error:
            add_domain_errors(form, error)
            existing = error.details.get("dispute") or existing
        else:
            messages.success(request, _("The dispute %(number)s is registered.") % {"number": dispute.number})
            return redirect("portal:mediation:dispute", dispute.number)
    existing_number = existing if isinstance(existing, str) else getattr(existing, "number", "")
    context = {"form": form, "event": event, "existing": existing_number, "q": q, "found": found}
    context |= {"applicant": request.GET.get("applicant", ""), "respondent": request.GET.get("respondent", "")}
    return render(request, "mediation/staff/disputes/new.html", context, status=422 if form.errors else 200)


# ---- staff: a dispute ------------------------------------------------------------------------


def _dispute_page(request, number: str, given=None, status=200, revealed=None, phone=None):
    actor = request.actor
    dispute = sel.dispute_get(actor=actor, number=number)
    given = given or {}
    may_intake = actor.has_perm(MEDIATION_INTAKE)
    context = {
        "dispute": dispute,
        "parties": sel.dispute_parties(dispute),
        "steps": sel.dispute_steps(dispute),
        "candidates": sel.assign_candidates(dispute) if may_intake and dispute.state != DisputeState.CONSENT else [],
        "may_intake": may_intake,
        "is_open": dispute.state in svc.OPEN,
        "consent_form": given.get("consent") or ConsentForm(initial={"on": timezone.localdate()}),
        "assign_form": given.get("assign") or AssignForm(),
        "recusal_form": given.get("recusal") or PartyReasonForm(),
        "withdraw_form": given.get("withdraw") or PartyReasonForm(),
        "escalate_form": given.get("escalate") or EscalateForm(),
        "reveal_form": given.get("reveal") or RevealForm(),
        "revealed": revealed,
        "phone_party": phone[0] if phone else None,
        "phone_full": phone[1] if phone else "",
        "today": timezone.localdate(),
    }
    context |= sessions_context(request, dispute)
    return render(request, "mediation/staff/disputes/dispute.html", context, status=status)


@staff_page(MEDIATION_VIEW, MEDIATION_MEDIATE)
def dispute(request, number):
    return _dispute_page(request, number)


def _dispute_post(request, number, form_class, key, save, done: str):
    """One form of the dispute's page: the service's field errors stay beside the inputs."""
    dispute = sel.dispute_get(actor=request.actor, number=number)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            save(dispute, form.cleaned_data)
        except DomainError as error:
            if error.status == 404:
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("portal:mediation:dispute", number)
    return _dispute_page(request, number, {key: form}, status=422)


@staff_page(MEDIATION_INTAKE)
@require_POST
def dispute_consent(request, number):
    def save(dispute, data):
        svc.party_consent(
            actor=request.actor,
            dispute=dispute,
            party_id=data["party"],
            consent=data["consent"],
            note=data["note"],
            on=data["on"],
        )

    return _dispute_post(request, number, ConsentForm, "consent", save, _("The party's will is recorded."))


@staff_page(MEDIATION_INTAKE)
@require_POST
def dispute_assign(request, number):
    def save(dispute, data):
        svc.dispute_assign(actor=request.actor, dispute=dispute, mediator_id=data["mediator"], reason=data["reason"])

    return _dispute_post(request, number, AssignForm, "assign", save, _("The mediator is assigned."))


@staff_page(MEDIATION_INTAKE)
@require_POST
def dispute_recusal(request, number):
    def save(dispute, data):
        svc.dispute_recusal(actor=request.actor, dispute=dispute, party_id=data["party"], reason=data["reason"])

    done = _("The mediator steps aside; assign another.")
    return _dispute_post(request, number, PartyReasonForm, "recusal", save, done)


@staff_page(MEDIATION_INTAKE)
@require_POST
def dispute_withdraw(request, number):
    def save(dispute, data):
        svc.dispute_withdraw(actor=request.actor, dispute=dispute, party_id=data["party"], reason=data["reason"])

    return _dispute_post(request, number, PartyReasonForm, "withdraw", save, _("The withdrawal is recorded."))


@staff_page(MEDIATION_INTAKE)
@require_POST
def dispute_escalate(request, number):
    def save(dispute, data):
        svc.dispute_escalate(actor=request.actor, dispute=dispute, reason=data["reason"])

    return _dispute_post(request, number, EscalateForm, "escalate", save, _("The dispute is marked escalated."))


@staff_page(MEDIATION_VIEW)
@require_POST
def dispute_phone(request, number):
    """An outsider party's phone in clear, with a reason (audited)."""
    dispute = sel.dispute_get(actor=request.actor, number=number)
    form = RevealForm(request.POST)
    party = request.POST.get("party", "")
    try:
        phone = svc.party_phone_reveal(
            actor=request.actor, dispute=dispute, party_id=party, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        if error.status == 404:
            raise
        add_domain_errors(form, error)
        return _dispute_page(request, number, {"reveal": form}, status=422)
    return _dispute_page(request, number, phone=(int(party), phone))


@staff_page(MEDIATION_VIEW, MEDIATION_MEDIATE)
@require_POST
def dispute_facts(request, number):
    dispute = sel.dispute_get(actor=request.actor, number=number)
    form = RevealForm(request.POST)
    try:
        texts = svc.dispute_facts_reveal(actor=request.actor, dispute=dispute, reason=request.POST.get("reason", ""))
    except DomainError as error:
        if error.status == 404:
            raise
        add_domain_errors(form, error)
        return _dispute_page(request, number, {"reveal": form}, status=422)
    return _dispute_page(request, number, revealed=texts)


# ---- residents -------------------------------------------------------------------------------


class ApplyForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What is the dispute about?"), choices=())
    respondent_name = forms.CharField(label=gettext_lazy("The other side's name"), max_length=50)
    respondent_phone = forms.CharField(
        label=gettext_lazy("The other side's phone (if you know it)"), max_length=20, required=False
    )
    facts = forms.CharField(label=gettext_lazy("What happened?"), widget=forms.Textarea(attrs={"rows": 5}))
    claim = forms.CharField(
        label=gettext_lazy("What would you like?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    community = forms.ChoiceField(label=gettext_lazy("Your community"), choices=(), required=False)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kind_choices()
        if communities:
            self.fields["community"].choices = [("", "—"), *communities]
        else:
            del self.fields["community"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why do you withdraw?"), max_length=300)
    confirm = forms.BooleanField(label=gettext_lazy("I confirm; this cannot be undone"))


class MyConsentForm(forms.Form):
    consent = forms.ChoiceField(
        label=gettext_lazy("My answer"),
        choices=[(Consent.AGREED, Consent.AGREED.label), (Consent.REFUSED, Consent.REFUSED.label)],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("Anything to add"), max_length=200, required=False)


class RecusalForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why should this mediator step aside?"), max_length=300)
    confirm = forms.BooleanField(label=gettext_lazy("I confirm; this cannot be undone"))


NEXT_STEP = {
    DisputeState.CONSENT: gettext_lazy("The community is asking the other side whether they agree to mediation."),
    DisputeState.ACCEPTED: gettext_lazy("Both sides agreed; a mediator is being chosen."),
    DisputeState.MEDIATING: gettext_lazy("Your mediator will tell you the time and place of the meeting."),
    DisputeState.AGREED: gettext_lazy("An agreement was reached; the community will ask how it is carried out."),
}


@resident_page(MEDIATION_APPLY)
def my_dispute_list(request):
    disputes = list(sel.my_disputes(actor=request.actor)[:50])
    return render(request, "mediation/resident/disputes/list.html", {"disputes": disputes, "next_step": NEXT_STEP})


@resident_page(MEDIATION_APPLY)
def my_dispute_apply(request):
    actor = request.actor
    linked = applicant_for_user(actor.user_id)
    communities = () if linked else tuple(sel.communities_to_choose())
    form = ApplyForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        data = svc.ApplyInput(**{k: v for k, v in form.cleaned_data.items()})
        try:
            dispute = svc.dispute_apply(actor=actor, data=data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Your application %(number)s is sent.") % {"number": dispute.number})
            return redirect("portal:mediation-resident:dispute", dispute.number)
    return render(request, "mediation/resident/disputes/apply.html", {"form": form}, status=422 if form.errors else 200)


def _my_page(request, number, form=None, status=200, recusal_form=None, consent_form=None):
    dispute = sel.my_dispute_get(actor=request.actor, number=number)
    context = {
        "dispute": dispute,
        "parties": sel.dispute_parties(dispute),
        "next_step": NEXT_STEP.get(dispute.state, ""),
        "may_withdraw": dispute.state in svc.OPEN,
        "may_recuse": dispute.state == DisputeState.MEDIATING and dispute.mediator_id is not None,
        "my_consent_pending": dispute.state == DisputeState.CONSENT
        and sel.my_party(actor=request.actor, dispute=dispute) == Consent.PENDING,
        "consent_form": consent_form or MyConsentForm(),
        "withdraw_form": form or WithdrawForm(),
        "recusal_form": recusal_form or RecusalForm(),
    }
    return render(request, "mediation/resident/disputes/dispute.html", context, status=status)


@resident_page(MEDIATION_APPLY)
def my_dispute(request, number):
    return _my_page(request, number)


@resident_page(MEDIATION_APPLY)
@require_POST
def my_dispute_withdraw(request, number):
    dispute = sel.my_dispute_get(actor=request.actor, number=number)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            svc.dispute_withdraw(actor=request.actor, dispute=dispute, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("You withdrew from mediation."))
            return redirect("portal:mediation-resident:dispute", number)
    return _my_page(request, number, form, status=422)


@resident_page(MEDIATION_APPLY)
@require_POST
def my_dispute_consent(request, number):
    """A party answers themself whether they agree to mediation (自愿)."""
    dispute = sel.my_dispute_get(actor=request.actor, number=number)
    form = MyConsentForm(request.POST)
    if form.is_valid():
        try:
            svc.party_consent(
                actor=request.actor,
                dispute=dispute,
                consent=form.cleaned_data["consent"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect("portal:mediation-resident:dispute", number)
    return _my_page(request, number, consent_form=form, status=422)


@resident_page(MEDIATION_APPLY)
@require_POST
def my_dispute_recusal(request, number):
    dispute = sel.my_dispute_get(actor=request.actor, number=number)
    form = RecusalForm(request.POST)
    if form.is_valid():
        try:
            svc.dispute_recusal(actor=request.actor, dispute=dispute, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The mediator steps aside; the community assigns another."))
            return redirect("portal:mediation-resident:dispute", number)
    return _my_page(request, number, recusal_form=form, status=422)


staff_urls: list = [
    path("disputes/", dispute_list, name="dispute-list"),
    path("disputes/new/", dispute_new, name="dispute-new"),
    path("disputes/<str:number>/", dispute, name="dispute"),
    path("disputes/<str:number>/consent/", dispute_consent, name="dispute-consent"),
    path("disputes/<str:number>/assign/", dispute_assign, name="dispute-assign"),
    path("disputes/<str:number>/recusal/", dispute_recusal, name="dispute-recusal"),
    path("disputes/<str:number>/withdraw/", dispute_withdraw, name="dispute-withdraw"),
    path("disputes/<str:number>/escalate/", dispute_escalate, name="dispute-escalate"),
    path("disputes/<str:number>/facts/", dispute_facts, name="dispute-facts"),
    path("disputes/<str:number>/phone/", dispute_phone, name="dispute-phone"),
]
resident_urls: list = [
    path("disputes/", my_dispute_list, name="dispute-list"),
    path("disputes/apply/", my_dispute_apply, name="dispute-apply"),
    path("disputes/<str:number>/", my_dispute, name="dispute"),
    path("disputes/<str:number>/withdraw/", my_dispute_withdraw, name="dispute-withdraw"),
    path("disputes/<str:number>/recusal/", my_dispute_recusal, name="dispute-recusal"),
    path("disputes/<str:number>/consent/", my_dispute_consent, name="dispute-consent"),
]
