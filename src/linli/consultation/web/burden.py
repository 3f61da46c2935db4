"""Stage burden's pages (thin: parse, one service or selector, render).

Community (BURDEN_CERTIFY): issue a certificate of a listed kind, the issued list (masked names),
a printable certificate, void one, the lists in force, record an unlisted ask. Department
(BURDEN_REQUEST): file a request, their requests. District (BURDEN_MANAGE): the lists (edit),
requests to decide, the figures. Public (`/board/burden/<district>/`): a district's lists."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.domain import BURDEN_CERTIFY, BURDEN_MANAGE, BURDEN_REQUEST
from linli.consultation.domain.burden import FORBIDDEN_SOURCE, RequestState, district_of, forbidden_certificates
from linli.consultation.selectors import burden as sel
from linli.consultation.services import burden as svc
from linli.core.charts import Chart, Series
from linli.core.errors import DomainError
from linli.core.forms import DateInput, add_domain_errors, needed
from linli.core.web import any_permission, staff_page

ALL = (BURDEN_CERTIFY, BURDEN_REQUEST, BURDEN_MANAGE)

# this stage's lines of the staff menu (see `web/nav.py` for the shape)
NAV_LINKS: list = [
    (BURDEN_CERTIFY, None, "portal:consultation:burden-certificates", gettext_lazy("Certificates issued")),
    (BURDEN_CERTIFY, None, "portal:consultation:burden-asks", gettext_lazy("Unlisted asks")),
    (
        "",
        any_permission(BURDEN_REQUEST, BURDEN_MANAGE),
        "portal:consultation:burden-requests",
        gettext_lazy("Task entry requests"),
    ),
    ("", any_permission(*ALL), "portal:consultation:burden-lists", gettext_lazy("Certificate and task lists")),
    (BURDEN_MANAGE, None, "portal:consultation:burden-figures", gettext_lazy("Burden figures")),
]


# ---------------------------------------------------------------- forms


def _choices(form: forms.Form, name: str, choices: list) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class KindForm(forms.Form):
    code = needed(forms.CharField(label=gettext_lazy("List code"), max_length=24, required=False))
    name = needed(forms.CharField(label=gettext_lazy("Certificate name"), max_length=100, required=False))
    legal_basis = needed(forms.CharField(label=gettext_lazy("Legal basis"), max_length=300, required=False))
    since = forms.DateField(label=gettext_lazy("Listed since"), widget=DateInput(), required=False)


class EndForm(forms.Form):
    reason = needed(forms.CharField(label=gettext_lazy("Why it leaves the list"), max_length=300, required=False))
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm: from today no community may issue this certificate. Issued ones stay valid.")
    )


class CertificateForm(forms.Form):
    path = forms.ChoiceField(label=gettext_lazy("Community"), choices=())
    kind_id = forms.TypedChoiceField(label=gettext_lazy("Certificate item"), choices=(), coerce=int, required=False)
    subject_ref = forms.CharField(widget=forms.HiddenInput, required=False)
    subject_name = forms.CharField(
        label=gettext_lazy("Certificate for (name)"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("Or pick a resident found above; lists show the name masked."),
    )
    purpose = needed(forms.CharField(label=gettext_lazy("Purpose of the certificate"), max_length=200, required=False))

    def __init__(self, *args, communities=(), kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "path", list(communities))
        _choices(self, "kind_id", [("", "—"), *[(k.pk, k.name) for k in kinds]])


class VoidForm(forms.Form):
    reason = needed(forms.CharField(label=gettext_lazy("Why it is voided"), max_length=300, required=False))
    confirm = forms.BooleanField(label=gettext_lazy("I confirm: the certificate is void. This cannot be undone."))


class AskForm(forms.Form):
    path = forms.ChoiceField(label=gettext_lazy("Community"), choices=())
    department_name = needed(
        forms.CharField(label=gettext_lazy("Department that asked"), max_length=100, required=False)
    )
    what = needed(forms.CharField(label=gettext_lazy("What was asked"), max_length=200, required=False))
    asked_on = forms.DateField(label=gettext_lazy("Asked on"), widget=DateInput(), required=False)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "path", list(communities))


class RequestForm(forms.Form):
    department_id = forms.TypedChoiceField(label=gettext_lazy("Department"), choices=(), coerce=int)
    title = needed(forms.CharField(label=gettext_lazy("Task"), max_length=100, required=False))
    legal_basis = needed(forms.CharField(label=gettext_lazy("Legal basis"), max_length=300, required=False))
    work = needed(
        forms.CharField(label=gettext_lazy("The work asked of communities"), widget=forms.Textarea, required=False)
    )
    funds_amount = needed(
        forms.DecimalField(label=gettext_lazy("Funds (yuan)"), max_digits=14, decimal_places=2, required=False)
    )

    funds_source = needed(forms.CharField(label=gettext_lazy("Source of funds"), max_length=200, required=False))

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "department_id", list(departments))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("approve", gettext_lazy("Approve: put it on the task list")),
            ("refuse", gettext_lazy("Refuse entry")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=gettext_lazy("Reason given to the department"), max_length=300, required=False)
    confirm = forms.BooleanField(label=gettext_lazy("I confirm this decision. It cannot be changed afterwards."))


def _submit(form, write):
    """Run a service on a valid form; its domain errors go onto the form (403/404 stay pages)."""
    if not form.is_valid():
        return None
    try:
        made = write(form.cleaned_data)
    except DomainError as error:
        if error.status in (403, 404):
            raise Http404 from error
        add_domain_errors(form, error)
        return None
    return made or True


def _status(form) -> int:
    return 422 if form.is_bound and form.errors else 200


# ---------------------------------------------------------------- lists


def _district(request) -> tuple[str, list]:
    """The district the page is about: the one asked for among the actor's, else their first."""
    districts = sel.districts_of(request.actor)
    wanted = request.GET.get("district", "")
    chosen = next((d for d, _n in districts if d == wanted), districts[0][0] if districts else "")
    if not chosen:
        raise Http404
    return chosen, districts


@staff_page(*ALL)
def lists(request):
    district, districts = _district(request)
    today = timezone.localdate()
    may_edit = sel.may_edit_list(request.actor, district)
    context = {
        "district": district,
        "districts": districts,
        "kinds": sel.kinds_of_district(district) if may_edit else sel.kinds_in_force(district, today),
        "tasks": sel.tasks_in_force(district, today),
        "may_edit": may_edit,
        "may_edit_city": sel.may_edit_list(request.actor, ""),
        "forbidden": sorted(forbidden_certificates()),
        "forbidden_source": FORBIDDEN_SOURCE,
        "today": today,
    }
    return render(request, "consultation/staff/burden/lists.html", context)


@staff_page(BURDEN_MANAGE)
def kind_new(request):
    district, _districts = _district(request)
    form = KindForm(request.POST or None)
    write = lambda d: svc.certificate_kind_save(actor=request.actor, data=svc.KindInput(path=district, **d))  # noqa: E731
    if request.method == "POST" and _submit(form, write):
        messages.success(request, _("The certificate is on the list."))
        return redirect(f"{_lists_url()}?district={district}")
    context = {"form": form, "district": district}
    return render(request, "consultation/staff/burden/kind_new.html", context, status=_status(form))


@staff_page(BURDEN_MANAGE)
def kind_end(request, pk):
    kind = sel.kind_get(actor=request.actor, pk=pk)
    form = EndForm(request.POST or None)
    write = lambda d: svc.certificate_kind_end(actor=request.actor, kind=kind, reason=d["reason"])  # noqa: E731
    if request.method == "POST" and _submit(form, write):
        messages.success(request, _("The certificate is off the list from today."))
        return redirect(f"{_lists_url()}?district={kind.path}" if kind.path else _lists_url())
    return render(request, "consultation/staff/burden/kind_end.html", {"k": kind, "form": form}, status=_status(form))


def _lists_url() -> str:
    return reverse("portal:consultation:burden-lists")


# ---------------------------------------------------------------- certificates


@staff_page(BURDEN_CERTIFY)
def certificates(request):
    rows = sel.certificate_list(actor=request.actor)[:200]
    return render(request, "consultation/staff/burden/certificates.html", {"rows": rows})


def _found(request, community: str) -> list[tuple[str, str]]:
    return sel.certificate_subjects(actor=request.actor, community=community, q=request.GET.get("q", ""))


@staff_page(BURDEN_CERTIFY)
def certificate_new(request):
    communities = sel.communities_of(request.actor)
    if not communities:
        raise Http404
    community = request.POST.get("path") or request.GET.get("path") or communities[0][0]
    kinds = sel.kinds_in_force(district_of(community), timezone.localdate())
    initial = {"path": community, "subject_ref": request.GET.get("subject", "")}
    form = CertificateForm(request.POST or None, initial=initial, communities=communities, kinds=kinds)
    write = lambda d: svc.certificate_issue(actor=request.actor, data=svc.CertificateInput(**d))  # noqa: E731
    if request.method == "POST" and (made := _submit(form, write)):
        messages.success(request, _("The certificate is issued."))
        return redirect("portal:consultation:burden-certificate", made.public_id)
    found = _found(request, community)
    chosen = request.GET.get("subject", "")
    context = {"form": form, "found": found, "q": request.GET.get("q", ""), "chosen": chosen, "path": community}
    return render(request, "consultation/staff/burden/certificate_new.html", context, status=_status(form))


@staff_page(BURDEN_CERTIFY)
def certificate_detail(request, public_id):
    certificate = sel.certificate_get(actor=request.actor, public_id=public_id)
    names = sel.unit_names([certificate.path])
    context = {"c": certificate, "community": names.get(certificate.path)}
    return render(request, "consultation/staff/burden/certificate.html", context)


@staff_page(BURDEN_CERTIFY)
def certificate_void(request, public_id):
    certificate = sel.certificate_get(actor=request.actor, public_id=public_id)
    form = VoidForm(request.POST or None)
    write = lambda d: svc.certificate_void(actor=request.actor, certificate=certificate, reason=d["reason"])  # noqa: E731
    if request.method == "POST" and _submit(form, write):
        messages.success(request, _("The certificate is void."))
        return redirect("portal:consultation:burden-certificate", certificate.public_id)
    context = {"c": certificate, "form": form}
    return render(request, "consultation/staff/burden/void.html", context, status=_status(form))


# ---------------------------------------------------------------- unlisted asks


@staff_page(BURDEN_CERTIFY)
def asks(request):
    communities = sel.communities_of(request.actor)
    initial = {"asked_on": timezone.localdate()}
    form = AskForm(request.POST or None, initial=initial, communities=communities)
    write = lambda d: svc.task_refusal_record(actor=request.actor, data=svc.RefusalInput(**d))  # noqa: E731
    if request.method == "POST" and _submit(form, write):
        messages.success(request, _("The unlisted ask is recorded."))
        return redirect("portal:consultation:burden-asks")
    rows = sel.refusal_list(actor=request.actor)[:100]
    context = {"form": form, "rows": rows}
    return render(request, "consultation/staff/burden/asks.html", context, status=_status(form))


# ---------------------------------------------------------------- task entry requests


@staff_page(BURDEN_REQUEST, BURDEN_MANAGE)
def requests(request):
    rows = sel.request_list(actor=request.actor)[:200]
    context = {"rows": rows, "may_file": request.actor.has_perm(BURDEN_REQUEST), "submitted": RequestState.SUBMITTED}
    return render(request, "consultation/staff/burden/requests.html", context)


@staff_page(BURDEN_REQUEST)
def request_new(request):
    form = RequestForm(request.POST or None, departments=sel.request_departments(request.actor))
    write = lambda d: svc.task_request_file(actor=request.actor, data=svc.RequestInput(**d))  # noqa: E731
    if request.method == "POST" and (made := _submit(form, write)):
        messages.success(request, _("The request is sent to the district."))
        return redirect("portal:consultation:burden-request", made.public_id)
    return render(request, "consultation/staff/burden/request_new.html", {"form": form}, status=_status(form))


@staff_page(BURDEN_REQUEST, BURDEN_MANAGE)
def request_detail(request, public_id):
    entry = sel.request_get(actor=request.actor, public_id=public_id)
    may_decide = entry.state == RequestState.SUBMITTED and sel.may_edit_list(request.actor, entry.path)
    form = DecideForm(request.POST or None) if may_decide else None
    write = lambda d: svc.task_request_decide(  # noqa: E731
        actor=request.actor, request=entry, approve=d["decision"] == "approve", reason=d["reason"]
    )
    if request.method == "POST" and form is not None and _submit(form, write):
        messages.success(request, _("The request is decided."))
        return redirect("portal:consultation:burden-request", entry.public_id)
    status = _status(form) if form is not None else 200
    return render(request, "consultation/staff/burden/request.html", {"r": entry, "form": form}, status=status)


# ---------------------------------------------------------------- figures


@staff_page(BURDEN_MANAGE)
def figures(request):
    district, districts = _district(request)
    found = sel.figures(district)
    names = sel.unit_names({p for p, _k, _n in found.issued})
    issued = [(names.get(p), kind, n) for p, kind, n in found.issued]
    context = {"f": found, "issued": issued, "districts": districts, "chart": _refusal_chart(found)}
    return render(request, "consultation/staff/burden/figures.html", context)


def _refusal_chart(found) -> Chart:
    rows = found.refused_by_department
    return Chart(
        id="burden-refusals",
        kind="hbars",
        title=_("Refused requests and unlisted asks per department"),
        category_label=_("Department"),
        categories=[d for d, _r, _a in rows],
        series=[
            Series(_("Requests refused"), [r for _d, r, _a in rows]),
            Series(_("Unlisted asks"), [a for _d, _r, a in rows]),
        ],
    )


# ---------------------------------------------------------------- public


def public_lists(request, district):
    today = timezone.localdate()
    context = {
        "name": sel.district_public(district),
        "kinds": sel.kinds_in_force(district, today),
        "tasks": sel.tasks_in_force(district, today),
        "forbidden": sorted(forbidden_certificates()),
        "forbidden_source": FORBIDDEN_SOURCE,
        "today": today,
    }
    return render(request, "consultation/public/burden/lists.html", context)


DISTRICT = r"(?P<district>\d{6})"
staff_urls: list = [
    path("burden/", lists, name="burden-lists"),
    path("burden/kinds/new/", kind_new, name="burden-kind-new"),
    path("burden/kinds/<int:pk>/end/", kind_end, name="burden-kind-end"),
    path("burden/certificates/", certificates, name="burden-certificates"),
    path("burden/certificates/new/", certificate_new, name="burden-certificate-new"),
    path("burden/certificates/<uuid:public_id>/", certificate_detail, name="burden-certificate"),
    path("burden/certificates/<uuid:public_id>/void/", certificate_void, name="burden-certificate-void"),
    path("burden/asks/", asks, name="burden-asks"),
    path("burden/requests/", requests, name="burden-requests"),
    path("burden/requests/new/", request_new, name="burden-request-new"),
    path("burden/requests/<uuid:public_id>/", request_detail, name="burden-request"),
    path("burden/figures/", figures, name="burden-figures"),
]
resident_urls: list = []
public_urls: list = [re_path(rf"^burden/{DISTRICT}/$", public_lists, name="burden-public")]
