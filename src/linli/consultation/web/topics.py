"""Pages of stage topics (thin: parse, one service or selector, render).

Staff: the topic list (filters by state and source, counts per state), a new topic put to the
committees (prefilled from a grid event or a micro-fund payment), the topic page (body, supporters,
timeline, the decision with its public reason, the way on to a consultation). Residents: their
community's topics (gathering ones first, with their progress), a short proposal form, the topic
page with the support button, and their own topics (withdraw with a reason)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART, CONSULT_VIEW
from linli.consultation.domain.topics import TopicSource, TopicState
from linli.consultation.selectors import topics as sel
from linli.consultation.services import topics as svc
from linli.core.errors import DomainError
from linli.core.forms import add_domain_errors, needed
from linli.core.web import resident_page, staff_page

NAV_LINKS = [(CONSULT_VIEW, None, "portal:consultation:topics-list", gettext_lazy("Consultation topics"))]
PAGE_SIZE = 25
CONCERNS = [
    ("building", gettext_lazy("My building")),
    ("grid", gettext_lazy("My grid")),
    ("community", gettext_lazy("The whole community")),
]
PUT_SOURCES = [(v, label) for v, label in TopicSource.choices if v != TopicSource.RESIDENT]


class ProposeForm(forms.Form):
    title = needed(forms.CharField(label=gettext_lazy("Topic title"), max_length=100, required=False))
    body = needed(
        forms.CharField(
            label=gettext_lazy("What should be consulted"), widget=forms.Textarea(attrs={"rows": 5}), required=False
        )
    )
    concerns = forms.ChoiceField(
        label=gettext_lazy("It concerns"), choices=CONCERNS, initial="community", widget=forms.RadioSelect
    )


class PutForm(forms.Form):
    community = forms.ChoiceField(label=gettext_lazy("Community"))
    title = needed(forms.CharField(label=gettext_lazy("Topic title"), max_length=100, required=False))
    body = needed(
        forms.CharField(
            label=gettext_lazy("What should be consulted"), widget=forms.Textarea(attrs={"rows": 5}), required=False
        )
    )
    source = forms.ChoiceField(label=gettext_lazy("Topic source"), choices=PUT_SOURCES)
    source_ref = forms.CharField(
        label=gettext_lazy("Department or record"),
        help_text=gettext_lazy("The department's name, or the grid event's number"),
        max_length=40,
        required=False,
    )

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = list(communities)  # type: ignore[attr-defined]


class DecideForm(forms.Form):
    reason = needed(
        forms.CharField(
            label=gettext_lazy("Reason made public"),
            help_text=gettext_lazy("Residents and the public board will see it."),
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=300,
            required=False,
        )
    )


class WithdrawForm(forms.Form):
    reason = needed(
        forms.CharField(label=gettext_lazy("Why withdraw"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    )


def _detail_url(topic) -> str:
    return reverse("portal:consultation:topics-detail", args=[topic.public_id])


def consultation_new_url(topic) -> str:
    """The consultations stage's form, from this topic (a plain path if that page is not there)."""
    try:
        base = reverse("portal:consultation:consultations-new")
    except NoReverseMatch:
        base = "/staff/consultation/consultations/new/"
    return f"{base}?topic={topic.public_id}"


# ---- staff ----------------------------------------------------------------------------------------


@staff_page(CONSULT_VIEW, CONSULT_MANAGE)
def staff_list(request):
    state, source = request.GET.get("state", ""), request.GET.get("source", "")
    rows = sel.topic_list(actor=request.actor, state=state, source=source)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = sel.state_counts(actor=request.actor)
    context = {
        "page": page,
        "state": state,
        "source": source,
        "states": [(v, label, counts.get(v, 0)) for v, label in TopicState.choices],
        "sources": TopicSource.choices,
        "total": sum(counts.values()),
        "may_create": bool(sel.manageable_communities(request.actor)),
    }
    return render(request, "consultation/staff/topics/list.html", context)


def _prefill(request) -> dict:
    """First values from a grid event or a micro-fund payment (read through their apps)."""
    return sel.topic_prefill(request.actor, event=request.GET.get("event", ""), payment=request.GET.get("payment", ""))


@staff_page(CONSULT_MANAGE)
def staff_new(request):
    communities = sel.manageable_communities(request.actor)
    initial = _prefill(request) if request.method == "GET" else {}
    form = PutForm(request.POST or None, initial=initial, communities=communities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = svc.topic_put(
                actor=request.actor,
                data=svc.TopicInput(
                    title=data["title"],
                    body=data["body"],
                    path=data["community"],
                    source=data["source"],
                    source_ref=data["source_ref"],
                ),
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Topic put to the committees: %(number)s") % {"number": topic.number})
            return redirect(_detail_url(topic))
    return render(request, "consultation/staff/topics/form.html", {"form": form}, status=422 if form.errors else 200)


def _staff_detail(request, topic, decide_form=None, status=200):
    manages = request.actor.has_perm(CONSULT_MANAGE)
    context = {
        "topic": topic,
        "concerns": sel.concerns_name(topic),
        "steps": sel.steps(topic),
        "state_labels": TopicState.choices,
        "may_decide": manages and topic.state == TopicState.SUBMITTED,
        "consult_url": consultation_new_url(topic) if manages and topic.state == TopicState.ACCEPTED else "",
        "form": decide_form or DecideForm(auto_id="decide-%s"),
    }
    return render(request, "consultation/staff/topics/detail.html", context, status=status)


@staff_page(CONSULT_VIEW, CONSULT_MANAGE)
def staff_detail(request, public_id):
    return _staff_detail(request, sel.topic_get(actor=request.actor, public_id=public_id))


@staff_page(CONSULT_MANAGE)
def staff_decide(request, public_id):
    topic = sel.topic_get(actor=request.actor, public_id=public_id)
    form = DecideForm(request.POST or None, auto_id="decide-%s")
    if request.method != "POST" or not form.is_valid():
        return redirect(_detail_url(topic))
    accept = request.POST.get("decision") == "accept"
    try:
        svc.topic_decide(
            actor=request.actor, public_id=topic.public_id, accept=accept, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        add_domain_errors(form, error)
        return _staff_detail(request, topic, form, status=422)
    messages.success(request, _("To be consulted.") if accept else _("Not put to consultation."))
    return redirect(_detail_url(topic))


# ---- residents ---------------------------------------------------------------------------------


def _resident_url(topic) -> str:
    return reverse("portal:consultation-resident:topics-detail", args=[topic.public_id])


@resident_page(CONSULT_TAKE_PART)
def resident_list(request):
    page = Paginator(sel.resident_topics(actor=request.actor), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(topic, sel.progress_percent(topic)) for topic in page]
    return render(request, "consultation/resident/topics/list.html", {"page": page, "rows": rows})


@resident_page(CONSULT_TAKE_PART)
def resident_mine(request):
    rows = list(sel.my_topics(actor=request.actor)[:100])
    return render(request, "consultation/resident/topics/mine.html", {"rows": rows})


@resident_page(CONSULT_TAKE_PART)
def resident_new(request):
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = svc.topic_propose(
                actor=request.actor,
                data=svc.TopicInput(title=data["title"], body=data["body"], concerns=data["concerns"]),
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Your topic is now gathering supporters."))
            return redirect(_resident_url(topic))
    return render(request, "consultation/resident/topics/form.html", {"form": form}, status=422 if form.errors else 200)


@resident_page(CONSULT_TAKE_PART)
def resident_detail(request, public_id):
    topic = sel.resident_topic_get(actor=request.actor, public_id=public_id)
    if request.method == "POST":
        try:
            svc.topic_support(actor=request.actor, public_id=topic.public_id)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Thank you for your support."))
        return redirect(_resident_url(topic))
    mine = topic.proposer_id == request.actor.user_id
    context = {
        "topic": topic,
        "progress": sel.progress_percent(topic),
        "supported": sel.supported(request.actor, topic),
        "mine": mine,
        "may_withdraw": mine and topic.state in svc.WITHDRAWABLE,
    }
    return render(request, "consultation/resident/topics/detail.html", context)


@resident_page(CONSULT_TAKE_PART)
def resident_withdraw(request, public_id):
    topic = sel.resident_topic_get(actor=request.actor, public_id=public_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.topic_withdraw(actor=request.actor, public_id=topic.public_id, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Your topic was withdrawn."))
            return redirect("portal:consultation-resident:topics-mine")
    context = {"topic": topic, "form": form}
    return render(request, "consultation/resident/topics/withdraw.html", context, status=422 if form.errors else 200)


staff_urls = [
    path("topics/", staff_list, name="topics-list"),
    path("topics/new/", staff_new, name="topics-new"),
    path("topics/<uuid:public_id>/", staff_detail, name="topics-detail"),
    path("topics/<uuid:public_id>/decide/", staff_decide, name="topics-decide"),
]
resident_urls = [
    path("topics/", resident_list, name="topics-list"),
    path("topics/mine/", resident_mine, name="topics-mine"),
    path("topics/new/", resident_new, name="topics-new"),
    path("topics/<uuid:public_id>/", resident_detail, name="topics-detail"),
    path("topics/<uuid:public_id>/withdraw/", resident_withdraw, name="topics-withdraw"),
]
public_urls: list = []
