"""Safe community, stage reasoning (慧评理): pages (thin: parse, one service or selector, render).

Residents (phone-first): start a case, join by code or link, my cases, one case as a conversation
with the post form and the actions the actor may take (accept a proposal, publish consent, close
or turn formal with a confirmation). Reasoners and mediators: the open cases of their community.
Anyone: the published examples. Staff (MEDIATION_VIEW): the area's cases as summaries, one case's
posts read with a reason."""

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

from linli.accounts.domain import MEDIATION_APPLY, MEDIATION_REASON, MEDIATION_VIEW
from linli.core.errors import DomainError
from linli.core.forms import add_domain_errors
from linli.core.web import resident_page, staff_page
from linli.mediation.domain.reasoning import CODE_LENGTH, TEXT_MAX, TITLE_MAX, ReasoningState, invitation_lapsed
from linli.mediation.selectors import reasoning as sel
from linli.mediation.selectors.disputes import dispute_kinds
from linli.mediation.selectors.scope import is_mediator_only
from linli.mediation.services import reasoning as svc

PAGE_SIZE = 30
TEXTAREA = forms.Textarea(attrs={"rows": 5})


def _kind_choices():
    return [("", "—"), *((k.code, k.name_zh) for k in dispute_kinds())]


class StartForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of dispute"), choices=())
    title = forms.CharField(
        label=gettext_lazy("The matter in one line"),
        max_length=TITLE_MAX,
        help_text=gettext_lazy("Others may read this line: no names, no phone numbers."),
    )
    statement = forms.CharField(label=gettext_lazy("Your side of the story"), max_length=TEXT_MAX, widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kind_choices()


class JoinForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Invitation code"),
        max_length=CODE_LENGTH + 4,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}),
    )
    statement = forms.CharField(label=gettext_lazy("Your side of the story"), max_length=TEXT_MAX, widget=TEXTAREA)


class LinkJoinForm(forms.Form):
    statement = forms.CharField(label=gettext_lazy("Your side of the story"), max_length=TEXT_MAX, widget=TEXTAREA)


class PostForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("What you want to say"), max_length=TEXT_MAX, widget=TEXTAREA)


class ProposalPostForm(PostForm):
    proposal = forms.BooleanField(label=gettext_lazy("This is a proposal for both sides"), required=False)


class CloseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why end it"), max_length=300)
    confirm = forms.BooleanField(label=gettext_lazy("I confirm; this cannot be undone"))


class FormalForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why ask for mediation (optional)"), max_length=300, required=False)
    confirm = forms.BooleanField(label=gettext_lazy("I confirm; this cannot be undone"))


class PublishForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text of the example"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "The two names become 甲方 and 乙方 and phone and ID numbers are masked when published."
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for reading"), max_length=300)


def _post_form(rights, data=None):
    return (ProposalPostForm if rights.commenter else PostForm)(data)


# ---- residents: start, join, my cases --------------------------------------------------------


@resident_page(MEDIATION_APPLY)
def mine(request):
    cases = sel.my_reasoning_cases(actor=request.actor)
    return render(
        request,
        "mediation/resident/reasoning/mine.html",
        {"cases": cases, "commenter": request.actor.has_perm(MEDIATION_REASON)},
    )


@resident_page(MEDIATION_APPLY)
def start(request):
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = svc.reasoning_start(actor=request.actor, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Your case is started. Send the code or the link to the other side."))
            return redirect("portal:mediation-resident:reasoning-case", case.public_id)
    status = 422 if request.method == "POST" else 200
    return render(request, "mediation/resident/reasoning/start.html", {"form": form}, status=status)


def _join(request, form, *, code, public_id=None):
    try:
        case = svc.reasoning_join(
            actor=request.actor, code=code, statement=form.cleaned_data["statement"], public_id=public_id
        )
    except DomainError as error:
        add_domain_errors(form, error, aliases={"code": "code" if "code" in form.fields else ""})
        return None
    messages.success(request, _("You have joined. Both sides have now spoken; the community's reasoners may comment."))
    return redirect("portal:mediation-resident:reasoning-case", case.public_id)


@resident_page(MEDIATION_APPLY)
def join(request):
    form = JoinForm(request.POST or None, initial={"code": request.GET.get("code", "")[: CODE_LENGTH + 4]})
    if request.method == "POST" and form.is_valid():
        done = _join(request, form, code=form.cleaned_data["code"])
        if done:
            return done
    status = 422 if request.method == "POST" else 200
    return render(request, "mediation/resident/reasoning/join.html", {"form": form}, status=status)


@resident_page(MEDIATION_APPLY)
def join_link(request, public_id, code):
    form = LinkJoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _join(request, form, code=code, public_id=public_id)
        if done:
            return done
    status = 422 if request.method == "POST" else 200
    return render(request, "mediation/resident/reasoning/join.html", {"form": form, "by_link": True}, status=status)


# ---- one case --------------------------------------------------------------------------------


def _case_page(request, public_id, given=None, status=200):
    actor = request.actor
    case = sel.reasoning_case_get(actor=actor, public_id=public_id)
    rights = sel.case_rights(actor, case)
    if not rights.reads_posts:  # area staff read the posts on their own page, with a reason
        return redirect("portal:mediation:reasoning-case", case.public_id)
    given = given or {}
    is_open = case.state == ReasoningState.OPEN
    both = case.starter_publishes and case.other_publishes
    context = {
        "case": case,
        "rights": rights,
        "posts": sel.case_posts(case),
        "is_open": is_open,
        "post_form": given.get("post") or _post_form(rights),
        "close_form": given.get("close") or CloseForm(),
        "formal_form": given.get("formal") or FormalForm(),
        "may_close": bool(rights.side) and case.state in (ReasoningState.INVITED, ReasoningState.OPEN),
        "may_formal": bool(rights.side) and case.state in (ReasoningState.OPEN, ReasoningState.SETTLED),
        "may_consent": bool(rights.side) and case.state != ReasoningState.INVITED and case.state != "lapsed",
        "i_publish": case.starter_publishes if rights.side == "starter" else case.other_publishes,
        "both_publish": both,
        "publish_form": given.get("publish")
        or (
            PublishForm(initial={"text": case.public_text or sel.public_draft(case)})
            if rights.commenter and both
            else None
        ),
        "my_accepted": case.starter_accepted_id if rights.side == "starter" else case.other_accepted_id,
    }
    lapsed = case.state == ReasoningState.INVITED and invitation_lapsed(case.invite_until, timezone.localdate())
    context["state_label"] = ReasoningState.LAPSED.label if lapsed else case.get_state_display()
    if rights.side == "starter" and case.state == ReasoningState.INVITED and not lapsed:
        link = reverse("portal:mediation-resident:reasoning-join-link", args=[case.public_id, case.code])
        context["invite_link"] = request.build_absolute_uri(link)
    return render(request, "mediation/resident/reasoning/case.html", context, status=status)


@resident_page(MEDIATION_APPLY, MEDIATION_REASON)
def case_page(request, public_id):
    return _case_page(request, public_id)


def _act(request, public_id, key, form, work, done):
    """One action of the case page: the service's field errors stay beside the inputs."""
    if form.is_valid():
        try:
            work(form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("portal:mediation-resident:reasoning-case", public_id)
    return _case_page(request, public_id, {key: form}, status=422)


def _simple(request, public_id, work, done):
    """A one-button action (accept, propose, consent): a refusal is shown as a message."""
    try:
        work()
    except DomainError as error:
        if error.code == "not_found":
            raise
        messages.error(request, str(error.message))
    else:
        messages.success(request, done)
    return redirect("portal:mediation-resident:reasoning-case", public_id)


@resident_page(MEDIATION_APPLY, MEDIATION_REASON)
@require_POST
def act(request, public_id, action):
    actor = request.actor
    case = sel.reasoning_case_get(actor=actor, public_id=public_id)
    post_id = request.POST.get("post", "")
    if action == "post":
        form = _post_form(sel.case_rights(actor, case), request.POST)
        return _act(
            request,
            public_id,
            "post",
            form,
            lambda d: svc.reasoning_post(actor=actor, case=case, text=d["text"], proposal=d.get("proposal", False)),
            _("Posted."),
        )
    if action == "close":
        return _act(
            request,
            public_id,
            "close",
            CloseForm(request.POST),
            lambda d: svc.reasoning_close(actor=actor, case=case, reason=d["reason"]),
            _("The reasoning case is ended."),
        )
    if action == "formal":
        return _act(
            request,
            public_id,
            "formal",
            FormalForm(request.POST),
            lambda d: svc.reasoning_formal(actor=actor, case=case, reason=d["reason"]),
            _("Your application for people's mediation is registered; the community will ask the other side."),
        )
    if action == "publish":
        return _act(
            request,
            public_id,
            "publish",
            PublishForm(request.POST),
            lambda d: svc.reasoning_publish(actor=actor, case=case, text=d["text"]),
            _("The example is published."),
        )
    simple = {
        "accept": (lambda: svc.reasoning_accept(actor=actor, case=case, post_id=post_id), _("You accepted it.")),
        "propose": (lambda: svc.reasoning_propose(actor=actor, case=case, post_id=post_id), _("Marked as a proposal.")),
        "consent": (
            lambda: svc.reasoning_consent(actor=actor, case=case, consent=request.POST.get("consent") == "1"),
            _("Your choice about publishing is saved."),
        ),
    }
    if action not in simple:
        return redirect("portal:mediation-resident:reasoning-case", public_id)
    work, done = simple[action]
    return _simple(request, public_id, work, done)


# ---- reasoners and mediators -----------------------------------------------------------------


@resident_page(MEDIATION_REASON)
def commenter(request):
    cases = sel.reasoning_for_commenter(actor=request.actor)
    waiting = set(sel.reasoning_waiting(actor=request.actor).values_list("pk", flat=True))
    return render(request, "mediation/resident/reasoning/commenter.html", {"cases": cases, "waiting": waiting})


# ---- the public examples (no log-in) ---------------------------------------------------------


def examples(request):
    page = Paginator(sel.reasoning_examples(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "mediation/resident/reasoning/examples.html", {"page": page})


def example(request, public_id):
    case = sel.reasoning_example_get(public_id=public_id)
    return render(request, "mediation/resident/reasoning/example.html", {"case": case})


# ---- staff -----------------------------------------------------------------------------------


@staff_page(MEDIATION_VIEW)  # mediators hold it too; reasoners (residents) do not
def staff_list(request):
    actor, state = request.actor, request.GET.get("state", "")
    if not is_mediator_only(actor):
        rows = sel.reasoning_staff_list(actor=actor, state=state)
    else:  # a mediator only: the open cases of the communities they serve
        rows = sel.reasoning_for_commenter(actor=actor)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "state": state, "states": ReasoningState.choices}
    return render(request, "mediation/staff/reasoning/list.html", context)


@staff_page(MEDIATION_VIEW)  # mediators hold it too; reasoners (residents) do not
def staff_case(request, public_id):
    actor = request.actor
    case = sel.reasoning_case_get(actor=actor, public_id=public_id)
    rights = sel.case_rights(actor, case)
    form, posts, status = ReasonForm(request.POST or None), None, 200
    if rights.reads_posts:
        posts = sel.case_posts(case)
    elif request.method == "POST" and form.is_valid():
        try:
            posts = svc.reasoning_posts_read(actor=actor, case=case, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_errors(form, error)
            status = 422
    elif request.method == "POST":
        status = 422
    context = {"case": case, "rights": rights, "form": form, "posts": posts}
    return render(request, "mediation/staff/reasoning/case.html", context, status=status)


staff_urls = [
    path("reasoning/", staff_list, name="reasoning-list"),
    path("reasoning/<uuid:public_id>/", staff_case, name="reasoning-case"),
]
resident_urls = [
    path("reasoning/", mine, name="reasoning-mine"),
    path("reasoning/new/", start, name="reasoning-start"),
    path("reasoning/join/", join, name="reasoning-join"),
    path("reasoning/join/<uuid:public_id>/<str:code>/", join_link, name="reasoning-join-link"),
    path("reasoning/open/", commenter, name="reasoning-commenter"),
    path("reasoning/examples/", examples, name="reasoning-examples"),
    path("reasoning/examples/<uuid:public_id>/", example, name="reasoning-example"),
    path("reasoning/<uuid:public_id>/", case_page, name="reasoning-case"),
    path("reasoning/<uuid:public_id>/<slug:action>/", act, name="reasoning-act"),
]
