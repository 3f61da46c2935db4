"""Stage board's pages (thin: parse, one service or selector, render).

Staff: each community's board (what is showing, coming, expired, withdrawn; publish a notice or a
finance notice; withdraw one with a reason), and the conventions (new, a draft, put to
consultation, adopted, every version kept, two versions compared). Residents: a link to their
community's board. Public (`/board/…`, no log-in): find a community or village, its board, the
A4 print view and PDF, a convention's versions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, re_path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART, CONSULT_VIEW
from linli.consultation.board_pdf import board_pdf
from linli.consultation.domain.board import STAFF_NOTICE_KINDS, ConventionKind, text_diff
from linli.consultation.selectors import board as sel
from linli.consultation.selectors.scope import home_community
from linli.consultation.services import board as svc
from linli.core.errors import DomainError
from linli.core.forms import DateInput, add_domain_errors, needed
from linli.core.web import resident_page, staff_page

READERS = (CONSULT_VIEW, CONSULT_MANAGE)
DATE = DateInput()

# this stage's lines of the staff menu (see `web/nav.py` for the shape)
NAV_LINKS: list = [
    (CONSULT_VIEW, None, "portal:consultation:board-list", gettext_lazy("Public boards")),
    (CONSULT_VIEW, None, "portal:consultation:board-conventions", gettext_lazy("Conventions and charters")),
]


# ---------------------------------------------------------------- forms


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of notice"), choices=[(k.value, k.label) for k in STAFF_NOTICE_KINDS]
    )
    title = needed(forms.CharField(label=gettext_lazy("Title"), max_length=100, required=False))
    body = needed(forms.CharField(label=gettext_lazy("Text shown"), widget=forms.Textarea, required=False))
    public_from = forms.DateField(label=gettext_lazy("Shown from"), widget=DATE, required=False)
    public_until = forms.DateField(
        label=gettext_lazy("Shown until"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("Leave empty to keep it up until it is taken down."),
    )


class WithdrawForm(forms.Form):
    reason = needed(forms.CharField(label=gettext_lazy("Why it is taken down"), max_length=300, required=False))
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm: the notice leaves the public board at once. It is kept with the reason.")
    )


class ConventionForm(forms.Form):
    path = forms.ChoiceField(label=gettext_lazy("Community or village"), choices=())
    kind = forms.ChoiceField(label=gettext_lazy("Kind of convention"), choices=ConventionKind.choices)
    title = needed(forms.CharField(label=gettext_lazy("Title"), max_length=100, required=False))
    text = needed(
        forms.CharField(label=gettext_lazy("Text of the first version"), widget=forms.Textarea, required=False)
    )
    adopted_on = forms.DateField(
        label=gettext_lazy("Already in force since"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("Only for a convention adopted before it was kept here; leave empty for a draft."),
    )
    note = forms.CharField(label=gettext_lazy("How it was adopted then"), max_length=300, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["path"].choices = list(units)


class TextForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Text of the draft"), widget=forms.Textarea, required=False)


class ConsultForm(forms.Form):
    consultation = forms.ChoiceField(label=gettext_lazy("Consultation"), choices=(), required=False)
    matter = forms.ChoiceField(label=gettext_lazy("Village major matter"), choices=(), required=False)

    def __init__(self, *args, consultations=(), matters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].choices = [("", "—"), *consultations]
        if matters:
            self.fields["matter"].choices = [("", "—"), *matters]
        else:
            del self.fields["matter"]


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(label=gettext_lazy("Adopted on"), widget=DATE)
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm: this version comes into force and the one in force is replaced.")
    )


# ---------------------------------------------------------------- staff: boards


@staff_page(*READERS)
def board_list(request):
    units = sel.board_units(actor=request.actor)
    if len(units) == 1:
        return redirect("portal:consultation:board-manage", units[0][0])
    return render(request, "consultation/staff/board/list.html", {"units": units})


def _manage(request, path, form=None, status=200):
    today = timezone.localdate()
    board = sel.board_managed(actor=request.actor, path=path, today=today)
    may_manage = request.actor.has_perm(CONSULT_MANAGE)
    context = {"board": board, "form": form or NoticeForm(initial={"public_from": today}), "may_manage": may_manage}
    return render(request, "consultation/staff/board/manage.html", context, status=status)


@staff_page(*READERS)
def board_manage(request, path):
    if request.method != "POST":
        return _manage(request, path)
    form = NoticeForm(request.POST)
    if form.is_valid():
        try:
            svc.notice_publish(actor=request.actor, data=svc.NoticeInput(path=path, **form.cleaned_data))
        except DomainError as error:
            if error.status in (403, 404):
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The notice is on the public board."))
            return redirect("portal:consultation:board-manage", path)
    return _manage(request, path, form, status=422)


@staff_page(CONSULT_MANAGE)
def notice_withdraw(request, public_id):
    notice = sel.notice_get(actor=request.actor, public_id=public_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.notice_withdraw(actor=request.actor, notice=notice, reason=form.cleaned_data["reason"])
        except DomainError as error:
            if error.status in (403, 404):
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The notice is taken off the public board."))
            return redirect("portal:consultation:board-manage", notice.path)
    status = 422 if form.errors else 200
    return render(request, "consultation/staff/board/withdraw.html", {"n": notice, "form": form}, status=status)


# ---------------------------------------------------------------- staff: conventions


@staff_page(*READERS)
def conventions(request):
    rows = [
        (c, sel.convention_in_force(c), sel.convention_open_version(c))
        for c in sel.convention_list(actor=request.actor)
    ]
    names = sel.names_of({c.path for c, _a, _b in rows})
    context = {"rows": rows, "names": names, "may_manage": request.actor.has_perm(CONSULT_MANAGE)}
    return render(request, "consultation/staff/board/conventions.html", context)


@staff_page(CONSULT_MANAGE)
def convention_new(request):
    form = ConventionForm(request.POST or None, units=sel.board_units(actor=request.actor))
    if request.method == "POST" and form.is_valid():
        try:
            made = svc.convention_create(actor=request.actor, data=svc.ConventionInput(**form.cleaned_data))
        except DomainError as error:
            if error.status in (403, 404):
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The convention is saved."))
            return redirect("portal:consultation:board-convention", made.public_id)
    status = 422 if form.errors else 200
    return render(request, "consultation/staff/board/new.html", {"form": form}, status=status)


def _convention(request, convention, given=None, status=200):
    open_version = sel.convention_open_version(convention)
    given = given or {}
    matters = sel.matter_choices(convention.path) if convention.kind != ConventionKind.RESIDENTS else []
    context = {
        "c": convention,
        "unit_name": sel.names_of([convention.path]).get(convention.path, ""),
        "versions": list(convention.versions.all()),
        "in_force": sel.convention_in_force(convention),
        "open_version": open_version,
        "may_manage": request.actor.has_perm(CONSULT_MANAGE),
        "draft_form": given.get("draft") or TextForm(),
        "consult_form": given.get("consult")
        or ConsultForm(consultations=sel.consultation_choices(convention.path), matters=matters),
        "adopt_form": given.get("adopt") or AdoptForm(initial={"adopted_on": timezone.localdate()}),
    }
    return render(request, "consultation/staff/board/convention.html", context, status=status)


@staff_page(*READERS)
def convention_detail(request, public_id):
    return _convention(request, sel.convention_get(actor=request.actor, public_id=public_id))


def _act(request, convention, key, form, do, done):
    """One form of the convention's page: the service's field errors stay beside the inputs."""
    if form.is_valid():
        try:
            do(form.cleaned_data)
        except DomainError as error:
            if error.status in (403, 404):
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("portal:consultation:board-convention", convention.public_id)
    return _convention(request, convention, {key: form}, status=422)


@staff_page(CONSULT_MANAGE)
@require_POST
def version_draft(request, public_id):
    convention = sel.convention_get(actor=request.actor, public_id=public_id)

    def do(data):
        svc.version_draft(actor=request.actor, convention=convention, text=data["text"])

    return _act(request, convention, "draft", TextForm(request.POST), do, _("A new draft is started."))


@staff_page(CONSULT_MANAGE)
@require_POST
def version_consult(request, public_id, number):
    convention = sel.convention_get(actor=request.actor, public_id=public_id)
    version = sel.version_get(convention, number)
    matters = sel.matter_choices(convention.path) if convention.kind != ConventionKind.RESIDENTS else []
    form = ConsultForm(request.POST, consultations=sel.consultation_choices(convention.path), matters=matters)

    def do(data):
        svc.version_consult(
            actor=request.actor, version=version, consultation_id=data["consultation"], matter_id=data.get("matter")
        )

    return _act(request, convention, "consult", form, do, _("The draft is put to consultation."))


@staff_page(CONSULT_MANAGE)
@require_POST
def version_adopt(request, public_id, number):
    convention = sel.convention_get(actor=request.actor, public_id=public_id)
    version = sel.version_get(convention, number)

    def do(data):
        svc.version_adopt(actor=request.actor, version=version, adopted_on=data["adopted_on"])

    return _act(request, convention, "adopt", AdoptForm(request.POST), do, _("The new version is in force."))


@staff_page(*READERS)
def version_detail(request, public_id, number):
    convention = sel.convention_get(actor=request.actor, public_id=public_id)
    version = sel.version_get(convention, number)
    form = TextForm(request.POST or None, initial={"text": version.text})
    if request.method == "POST" and request.actor.has_perm(CONSULT_MANAGE) and form.is_valid():
        try:
            svc.version_edit(actor=request.actor, version=version, text=form.cleaned_data["text"])
        except DomainError as error:
            if error.status in (403, 404):
                raise
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("portal:consultation:board-version", convention.public_id, number)
    context = {"c": convention, "v": version, "form": form, "may_manage": request.actor.has_perm(CONSULT_MANAGE)}
    return render(request, "consultation/staff/board/version.html", context, status=422 if form.errors else 200)


def _diff(versions, request) -> tuple[object, object, str]:
    """The two versions asked for (`a`, `b`; default: the two latest) and their table."""
    by_number = {v.version: v for v in versions}
    numbers = sorted(by_number)
    a = _number(request.GET.get("a"), numbers[-2] if len(numbers) > 1 else numbers[0])
    b = _number(request.GET.get("b"), numbers[-1])
    first, second = by_number.get(a, by_number[numbers[0]]), by_number.get(b, by_number[numbers[-1]])
    label = _("Version %(n)s")
    table = text_diff(first.text, second.text, label % {"n": first.version}, label % {"n": second.version})
    return first, second, mark_safe(table)  # noqa: S308 (difflib escapes every cell; the labels are escaped)


def _number(value, default: int) -> int:
    return int(value) if (value or "").isdigit() else default


@staff_page(*READERS)
def version_diff(request, public_id):
    convention = sel.convention_get(actor=request.actor, public_id=public_id)
    versions = list(convention.versions.all())
    first, second, table = _diff(versions, request)
    context = {"c": convention, "versions": versions, "a": first, "b": second, "table": table, "staff": True}
    return render(request, "consultation/staff/board/diff.html", context)


# ---------------------------------------------------------------- residents


@resident_page(CONSULT_TAKE_PART)
def resident_board(request):
    """The resident's own community's public board (a resident not yet linked to the pool is
    told so and shown the finder)."""
    community = home_community(request.actor)
    if community:
        return redirect("portal:board:board-show", community)
    return render(request, "consultation/resident/board/none.html")


# ---------------------------------------------------------------- public (no log-in)


def board_find(request):
    q = request.GET.get("q", "").strip()[:20]
    trail, children = sel.find_children(request.GET.get("in", ""))
    context = {"q": q, "found": sel.find_units(q) if q else None, "trail": trail, "children": children}
    return render(request, "consultation/public/board/find.html", context)


def _public(path):
    return sel.public_board(path, timezone.localdate())


def board_show(request, path):
    return render(request, "consultation/public/board/board.html", {"b": _public(path), "today": timezone.localdate()})


def board_print(request, path):
    return render(request, "consultation/public/board/print.html", {"b": _public(path), "today": timezone.localdate()})


def board_download(request, path):
    content = board_pdf(_public(path), timezone.localdate())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="board-{path}.pdf"'
    return response


def convention_public(request, public_id):
    convention, versions = sel.public_convention(public_id)
    unit = sel.public_unit(convention.path)
    context = {"c": convention, "versions": versions, "unit": unit}
    return render(request, "consultation/public/board/convention.html", context)


def convention_public_diff(request, public_id):
    convention, versions = sel.public_convention(public_id)
    first, second, table = _diff(versions, request)
    context = {"c": convention, "versions": versions, "a": first, "b": second, "table": table, "staff": False}
    return render(request, "consultation/public/board/diff.html", context)


BOARD_PATH = r"(?P<path>\d{12})"
staff_urls: list = [
    path("board/", board_list, name="board-list"),
    re_path(rf"^board/{BOARD_PATH}/$", board_manage, name="board-manage"),
    path("board/notices/<uuid:public_id>/withdraw/", notice_withdraw, name="board-withdraw"),
    path("conventions/", conventions, name="board-conventions"),
    path("conventions/new/", convention_new, name="board-convention-new"),
    path("conventions/<uuid:public_id>/", convention_detail, name="board-convention"),
    path("conventions/<uuid:public_id>/draft/", version_draft, name="board-version-draft"),
    path("conventions/<uuid:public_id>/diff/", version_diff, name="board-diff"),
    path("conventions/<uuid:public_id>/v<int:number>/", version_detail, name="board-version"),
    path("conventions/<uuid:public_id>/v<int:number>/consult/", version_consult, name="board-version-consult"),
    path("conventions/<uuid:public_id>/v<int:number>/adopt/", version_adopt, name="board-version-adopt"),
]
resident_urls: list = [path("board/", resident_board, name="board-mine")]
public_urls: list = [
    path("", board_find, name="board-find"),
    re_path(rf"^{BOARD_PATH}/$", board_show, name="board-show"),
    re_path(rf"^{BOARD_PATH}/print/$", board_print, name="board-print"),
    re_path(rf"^{BOARD_PATH}/board\.pdf$", board_download, name="board-pdf"),
    path("conventions/<uuid:public_id>/", convention_public, name="board-convention"),
    path("conventions/<uuid:public_id>/diff/", convention_public_diff, name="board-convention-diff"),
]
