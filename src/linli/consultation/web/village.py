"""Pages of stage village (四议一审两公开): thin — parse, one service or selector, render.

Staff: the matters of their area with the six-step progress strip, a new matter, one matter with
its steps (failed attempts shown), the tablet-friendly form for the next step (the quorum said in
words after submitting), the town's review queue and form, withdrawing, the representatives'
roll and the major-matter list. A villager: their village's matters (adopted texts and results,
no minutes). Anyone: a published resolution and result on the public board."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART, CONSULT_VIEW, VILLAGE_REVIEW
from linli.consultation.domain.village import AssemblyKind, MatterState, VillageStep
from linli.consultation.selectors import village as sel
from linli.consultation.services import village as svc
from linli.core.errors import DomainError, not_found
from linli.core.forms import DateInput, add_domain_errors, needed
from linli.core.web import any_permission, resident_page, staff_page
from linli.residents.selectors import resident_search

PAGE_SIZE = 30
DATE = DateInput()
READERS = (CONSULT_VIEW, CONSULT_MANAGE, VILLAGE_REVIEW)

NAV_LINKS: list = [
    ("", any_permission(*READERS), "portal:consultation:village-list", _("Village major matters")),
    (VILLAGE_REVIEW, None, "portal:consultation:village-review-queue", _("Town review of village matters")),
    (
        CONSULT_MANAGE,
        sel.may_manage_villages,
        "portal:consultation:village-representatives",
        _("Villagers' representatives"),
    ),
    ("", any_permission(*READERS), "portal:consultation:village-kinds", _("Major-matter list")),
]


def _number(required: bool = False, label=None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, required=required, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )


# ---- forms ---------------------------------------------------------------------------------------------


class MatterForm(forms.Form):
    path = forms.ChoiceField(label=_("Village"))
    kind_id = needed(
        forms.TypedChoiceField(label=_("Kind of major matter"), coerce=int, required=False, empty_value=None)
    )
    title = needed(forms.CharField(label=_("Matter title"), max_length=100, required=False))
    proposal = needed(
        forms.CharField(label=_("Party branch's proposal"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    )
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, max_digits=14, decimal_places=2, required=False)
    held_on = forms.DateField(label=_("Party branch meeting held on"), widget=DATE, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        villages = sel.villages_managed(actor=actor)
        self.fields["path"].choices = villages
        chosen = (self.data.get("path") if self.is_bound else "") or (villages[0][0] if villages else "")
        english = str(_("Village")) == "Village"
        self.fields["kind_id"].choices = [("", "—")] + [
            (pk, en if english else zh) for pk, zh, en in sel.kind_choices(chosen)
        ]


class StepForm(forms.Form):
    # which fields a step needs is the service's rule (a meeting's counts, the text adopted); none
    # is labelled optional, since most steps refuse without them
    held_on = needed(forms.DateField(label=_("Held on"), widget=DATE, required=False))
    assembly = needed(
        forms.ChoiceField(label=_("Kind of meeting"), choices=[("", "—"), *AssemblyKind.choices], required=False)
    )
    roll_total = needed(_number(label=_("Party members with a vote")))
    present = needed(_number(label=_("Present (people)")))
    households_present = needed(_number(label=_("Households represented")))
    votes_for = needed(_number(label=_("Votes for")))
    votes_against = needed(_number(label=_("Votes against")))
    abstentions = needed(_number(label=_("Abstentions")))
    minutes = needed(
        forms.CharField(label=_("Meeting minutes"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    )
    adopted_text = needed(
        forms.CharField(label=_("Text as adopted"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    )
    public_until = forms.DateField(label=_("On the board until"), widget=DATE, required=False)

    def step_input(self, step: str) -> svc.StepInput:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return svc.StepInput(step=step, **data)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Review decision"),
        choices=[("approve", _("Approve the matter")), ("return", _("Return to the village"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons for returning"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class WithdrawForm(forms.Form):
    reason = needed(
        forms.CharField(label=_("Reason for withdrawing"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    )
    confirmed = forms.BooleanField(label=_("I confirm withdrawing this matter; it cannot be undone"), required=False)


class RepresentativeForm(forms.Form):
    resident_ref = forms.CharField(widget=forms.HiddenInput, required=False)
    since = forms.DateField(label=_("Term begins"), widget=DATE)
    until = forms.DateField(label=_("Term until"), widget=DATE, required=False)


class KindForm(forms.Form):
    path = forms.ChoiceField(label=_("Applies in"), required=False)  # "" is the whole city
    code = forms.SlugField(label=_("Code"), max_length=24)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=60)
    name_en = forms.CharField(label=_("English name"), max_length=100)
    amount_over = forms.DecimalField(
        label=_("Major above (yuan)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["path"].choices = choices


# ---- staff: the matters --------------------------------------------------------------------------------


@staff_page(*READERS)
def matter_list(request):
    state = request.GET.get("state", "live")
    page = Paginator(sel.matter_list(actor=request.actor, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [(m, sel.strip(m)) for m in page.object_list],
        "state": state,
        "states": MatterState.choices,
        "names": sel.unit_names_of(page.object_list),
        "may_propose": sel.may_manage_villages(request.actor),
    }
    return render(request, "consultation/staff/village/list.html", context)


@staff_page(CONSULT_MANAGE)
def matter_new(request):
    if not sel.may_manage_villages(request.actor):
        raise not_found("页面", "Page")
    form = MatterForm(request.POST or None, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        try:
            matter = svc.matter_propose(actor=request.actor, data=svc.MatterInput(**form.cleaned_data))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The matter is proposed."))
            return redirect("portal:consultation:village-matter", matter.public_id)
    return render(request, "consultation/staff/village/new.html", {"form": form}, status=422 if form.errors else 200)


def _matter_context(actor, public_id) -> dict:
    matter = sel.matter_get(actor=actor, public_id=public_id)
    rows = sel.matter_steps(matter)
    upcoming = sel.upcoming_step(matter)
    return {
        "matter": matter,
        "rows": rows,
        "strip": sel.strip(matter, rows),
        "upcoming": upcoming,
        "village": sel.village_name(matter.path),
        "may_record": actor.has_perm(CONSULT_MANAGE) and upcoming not in (None, VillageStep.REVIEW),
        "may_review": actor.has_perm(VILLAGE_REVIEW) and upcoming == VillageStep.REVIEW,
        "may_withdraw": actor.has_perm(CONSULT_MANAGE) and upcoming is not None,
    }


@staff_page(*READERS)
def matter(request, public_id):
    return render(request, "consultation/staff/village/matter.html", _matter_context(request.actor, public_id))


@staff_page(CONSULT_MANAGE)
def step(request, public_id):
    """The next step's form (the only one there is); a failed meeting comes back with its numbers."""
    context = _matter_context(request.actor, public_id)
    if not context["may_record"]:
        raise not_found("页面", "Page")
    form = StepForm(request.POST or None, initial={"held_on": DATE.format_value(timezone.localdate())})
    if request.method == "POST" and form.is_valid():
        try:
            tried = svc.step_record(actor=request.actor, public_id=public_id, data=form.step_input(context["upcoming"]))
        except DomainError as error:
            add_domain_errors(form, error)
            context["failed"] = error.code in ("no_quorum", "not_passed")
        else:
            messages.success(request, " ".join(filter(None, [str(_("The step is recorded.")), str(tried.words)])))
            return redirect("portal:consultation:village-matter", public_id)
    context["form"] = form
    return render(request, "consultation/staff/village/step.html", context, status=422 if form.errors else 200)


@staff_page(VILLAGE_REVIEW)
def review_queue(request):
    matters = list(sel.review_queue(actor=request.actor)[:200])
    context = {"matters": matters, "names": sel.unit_names_of(matters)}
    return render(request, "consultation/staff/village/review_queue.html", context)


@staff_page(VILLAGE_REVIEW)
def review(request, public_id):
    context = _matter_context(request.actor, public_id)
    if not context["may_review"]:
        raise not_found("页面", "Page")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            svc.matter_review(
                actor=request.actor, public_id=public_id, approve=approve, reasons=form.cleaned_data["reasons"]
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Approved.") if approve else _("Returned to the village."))
            return redirect("portal:consultation:village-review-queue")
    context["form"] = form
    return render(request, "consultation/staff/village/review.html", context, status=422 if form.errors else 200)


@staff_page(CONSULT_MANAGE)
def withdraw(request, public_id):
    context = _matter_context(request.actor, public_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.matter_withdraw(actor=request.actor, public_id=public_id, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The matter is withdrawn."))
            return redirect("portal:consultation:village-matter", public_id)
    context["form"] = form
    return render(request, "consultation/staff/village/withdraw.html", context, status=422 if form.errors else 200)


# ---- staff: representatives and the major-matter list --------------------------------------------------


@staff_page(CONSULT_MANAGE)
def representatives(request):
    actor, villages = request.actor, sel.villages_managed(actor=request.actor)
    chosen = request.GET.get("village") or (villages[0][0] if villages else "")
    if chosen not in dict(villages):
        raise not_found("村", "Village")
    form = RepresentativeForm(request.POST or None, initial={"since": DATE.format_value(timezone.localdate())})
    if request.method == "POST" and form.is_valid():
        try:
            _representative_act(actor, chosen, request.POST.get("act", "add"), form.cleaned_data, request.POST)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The roll is updated."))
            return redirect(f"{reverse('portal:consultation:village-representatives')}?village={chosen}")
    q = request.GET.get("q", "").strip()[:40]
    found = [r for r in resident_search(actor=actor, q=q) if r.path.startswith(chosen)] if q else []
    context = {
        "villages": villages,
        "chosen": chosen,
        "reps": sel.representative_list(actor=actor, path=chosen, on=timezone.localdate()),
        "today": timezone.localdate(),
        "form": form,
        "q": q,
        "found": found,
    }
    return render(
        request, "consultation/staff/village/representatives.html", context, status=422 if form.errors else 200
    )


def _representative_act(actor, village: str, act: str, data: dict, posted) -> None:
    if act == "end":
        rep_id = int(posted.get("rep", "0")) if posted.get("rep", "").isdigit() else 0
        until = data.get("until") or timezone.localdate()
        svc.representative_end(actor=actor, rep_id=rep_id, until=until, reason=posted.get("reason", ""))
        return
    svc.representative_add(
        actor=actor, path=village, resident_ref=data["resident_ref"], since=data["since"], until=data.get("until")
    )


@staff_page(*READERS)
def kinds(request):
    actor = request.actor
    choices = sel.kind_paths_editable(actor)
    form = KindForm(request.POST or None, choices=choices) if choices else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            svc.kind_save(actor=actor, data=svc.KindInput(**form.cleaned_data))
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The list is saved."))
            return redirect("portal:consultation:village-kinds")
    context = {"kinds": sel.kind_list(actor=actor), "form": form, "names": sel.kind_unit_names(actor)}
    status = 422 if form is not None and form.errors else 200
    return render(request, "consultation/staff/village/kinds.html", context, status=status)


# ---- a villager's pages and the public board -----------------------------------------------------------


@resident_page(CONSULT_TAKE_PART)
def resident_list(request):
    village = sel.home_village(request.actor)
    context = {
        "matters": list(sel.resident_matters(path=village)[:100]),
        "village": sel.village_name(village) if village else "",
    }
    return render(request, "consultation/resident/village/list.html", context)


@resident_page(CONSULT_TAKE_PART)
def resident_matter(request, public_id):
    found, rows = sel.resident_matter(path=sel.home_village(request.actor), public_id=public_id)
    context = {"matter": found, "rows": rows, "strip": sel.strip(found, rows), "village": sel.village_name(found.path)}
    return render(request, "consultation/resident/village/matter.html", context)


def public_matter(request, public_id):
    """No log-in: the resolution and the result as published on the village's board."""
    found, rows = sel.public_matter(public_id=public_id)
    context = {"matter": found, "rows": rows, "village": sel.village_name(found.path)}
    return render(request, "consultation/public/village/matter.html", context)


staff_urls = [
    path("village/", matter_list, name="village-list"),
    path("village/new/", matter_new, name="village-new"),
    path("village/review/", review_queue, name="village-review-queue"),
    path("village/representatives/", representatives, name="village-representatives"),
    path("village/kinds/", kinds, name="village-kinds"),
    path("village/<uuid:public_id>/", matter, name="village-matter"),
    path("village/<uuid:public_id>/step/", step, name="village-step"),
    path("village/<uuid:public_id>/review/", review, name="village-review"),
    path("village/<uuid:public_id>/withdraw/", withdraw, name="village-withdraw"),
]
resident_urls = [
    path("village/", resident_list, name="village-list"),
    path("village/<uuid:public_id>/", resident_matter, name="village-matter"),
]
public_urls = [
    path("village/<uuid:public_id>/", public_matter, name="village-public"),
]
