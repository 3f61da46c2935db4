"""Care services, stage entitlements: pages (thin: parse, one service or selector, render). The route
lists at the end are joined in `web/urls.py` (staff, /staff/care/), `web/resident_urls.py`
(/my/care/) and `web/provider_urls.py` (/provider/).

Staff: the service list's versions (the city drafts, edits and publishes a version), the elders'
capability assessments (record one on a phone, the list of those due, reading the answers with a
reason) and an elder's care page with the entitlements table. Residents: what the people they
care for are entitled to."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts.domain import CARE_LIST_EDIT, CARE_MANAGE, CARE_ORDER, CARE_VIEW
from linli.care.domain.entitlements import (
    AssessmentForm,
    CareLevel,
    ItemCategory,
    assessment_form,
    yuan,
)
from linli.care.selectors.entitlements import (
    assessment_get,
    assessments_due,
    assessments_of,
    elder_get,
    entitlement_rows,
    list_get,
    list_in_force,
    list_item_get,
    list_items,
    list_state,
    list_versions,
    may_edit_list,
)
from linli.care.selectors.orders import people_i_care_for
from linli.care.services.entitlements import (
    assessment_answers,
    assessment_record,
    list_draft_new,
    list_item_remove,
    list_item_save,
    list_publish,
)
from linli.core.errors import DomainError, Msg
from linli.core.forms import DateInput, add_domain_errors
from linli.core.web import resident_page, staff_page
from linli.residents.domain import CareKind, Disability
from linli.residents.selectors import care_people_search, care_person

LIST_READERS = (CARE_VIEW, CARE_MANAGE, CARE_LIST_EDIT)
DATE = DateInput()


# ================================================================ page helpers: data in the reader's language

CONDITION_ROWS = 4  # condition rows on the item form (the list's items have up to four)
CONDITION_FIELDS = ("min_age", "care_kinds", "min_level", "disability_levels", "subsidy_share")


def url_if_built(name: str) -> str:
    """The orders stage's page, once it exists (the button waits for it rather than breaking)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def local(zh: str, en: str) -> str:
    return str(Msg(zh, en or zh))


def describe_condition(condition: dict) -> str:
    """One way to qualify in plain words: "60 岁及以上 · 特困、低保 → 政府付 100%"."""
    kinds = dict(CareKind.choices)
    levels = dict(CareLevel.choices)
    parts = []
    if condition.get("min_age"):
        parts.append(_("aged %(age)s or over") % {"age": condition["min_age"]})
    if condition.get("care_kinds"):
        parts.append(" / ".join(str(kinds.get(k, k)) for k in condition["care_kinds"]))
    if condition.get("min_level") is not None:
        parts.append(_("%(level)s or worse") % {"level": levels.get(int(condition["min_level"]), "")})
    if condition.get("disability_levels"):
        names = dict(Disability.choices)
        parts.append(" / ".join(str(names.get(str(d), d)) for d in condition["disability_levels"]))
    return _("%(who)s: the government pays %(share)s%%") % {
        "who": " · ".join(parts) or _("everyone"),
        "share": condition.get("subsidy_share", 0),
    }


def item_rows(items) -> list[dict]:
    categories = dict(ItemCategory.choices)
    return [
        {
            "item": item,
            "name": local(item.name, item.name_en),
            "unit": local(item.unit, item.unit_en),
            "category": categories.get(item.category, ""),
            "price": yuan(item.unit_price),
            "conditions": [describe_condition(c) for c in item.conditions or ()],
        }
        for item in items
    ]


class ConditionRow:
    """One row of conditions on the item form, as stored or as typed."""

    def __init__(self, index: int, data: dict):
        self.index = index
        self.min_age = data.get("min_age", "") or ""
        self.care_kinds = [str(k) for k in data.get("care_kinds") or ()]
        self.min_level = "" if data.get("min_level") in (None, "") else str(data["min_level"])
        self.disability_levels = [str(d) for d in data.get("disability_levels") or ()]
        self.subsidy_share = "" if data.get("subsidy_share") in (None, "") else str(data["subsidy_share"])

    @property
    def empty(self) -> bool:
        return not any((self.min_age, self.care_kinds, self.min_level, self.disability_levels, self.subsidy_share))

    @property
    def data(self) -> dict:
        return {
            "min_age": self.min_age,
            "care_kinds": self.care_kinds,
            "min_level": self.min_level,
            "disability_levels": self.disability_levels,
            "subsidy_share": self.subsidy_share,
        }


def condition_rows_initial(conditions) -> list[ConditionRow]:
    rows = [ConditionRow(i, c) for i, c in enumerate(conditions or ())]
    return rows + [ConditionRow(i, {}) for i in range(len(rows), max(CONDITION_ROWS, len(rows) + 1))]


def condition_rows_from_post(post) -> list[ConditionRow]:
    count = min(int(post.get("rows", CONDITION_ROWS)) if str(post.get("rows", "")).isdigit() else CONDITION_ROWS, 20)
    return [
        ConditionRow(
            i,
            {
                "min_age": post.get(f"c{i}-min_age", "").strip(),
                "care_kinds": post.getlist(f"c{i}-care_kinds"),
                "min_level": post.get(f"c{i}-min_level", ""),
                "disability_levels": post.getlist(f"c{i}-disability_levels"),
                "subsidy_share": post.get(f"c{i}-subsidy_share", "").strip(),
            },
        )
        for i in range(count)
    ]


def elder_facts(person, today) -> dict:
    """What the list's conditions read of an elder, in words (the level of the valid assessment)."""
    from linli.care.selectors.entitlements import person_facts

    facts = person_facts(person, today)
    kinds = dict(CareKind.choices)
    return {
        "age": facts.age,
        "care_kinds": [str(kinds.get(k, k)) for k in person.care_kinds],
        "disability": str(dict(Disability.choices).get(person.disability or "", "")) if person.disability else "",
        "level": CareLevel(facts.level).label if facts.level is not None else "",
    }


def answer_rows(form: AssessmentForm, answers: dict) -> list[tuple[str, list[tuple[str, str, int]]]]:
    """The revealed answers per indicator: (indicator, [(question, chosen answer, score)])."""
    result = []
    for indicator in form.indicators:
        lines = []
        for question in indicator.questions:
            score = answers.get(question.code)
            option = next((o for o in question.options if o.score == score), None)
            lines.append(
                (local(question.name, question.name_en), local(option.name, option.name_en) if option else "—", score)
            )
        result.append((local(indicator.name, indicator.name_en), lines))
    return result


def entitled_rows(rows) -> list[dict]:
    """The entitlements table's rows in the reader's language."""
    return [
        {
            "row": row,
            "name": local(row.item.name, row.item.name_en),
            "unit": local(row.item.unit, row.item.unit_en),
            "price": yuan(row.item.unit_price),
            "government": yuan(row.government_per_unit),
            "resident": yuan(row.resident_per_unit),
            "reason": str(row.entitlement.reason) if row.entitlement.reason else "",
        }
        for row in rows
    ]


# ================================================================ the list


@staff_page(*LIST_READERS)
def list_home(request):
    today = timezone.localdate()
    current = list_in_force(today)
    versions = [(v, list_state(v, today)) for v in list_versions()]
    return render(
        request,
        "care/staff/entitlements/list_home.html",
        {
            "current": current,
            "items": item_rows(list_items(current)) if current else [],
            "versions": versions,
            "may_edit": may_edit_list(request.actor),
            "has_draft": any(state == "draft" for _v, state in versions),
        },
    )


@staff_page(CARE_LIST_EDIT)
@require_POST
def list_draft(request):
    try:
        draft = list_draft_new(actor=request.actor)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("portal:care:entitlements-list")
    messages.success(request, _("Version %(version)s drafted from the list in force.") % {"version": draft.version})
    return redirect("portal:care:entitlements-version", version=draft.version)


class PublishForm(forms.Form):
    effective_from = forms.DateField(label=gettext_lazy("In force from"), widget=DATE, required=False)
    document = forms.CharField(label=gettext_lazy("Document number"), max_length=200, required=False)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)
    confirm_past = forms.BooleanField(label=gettext_lazy("The day is in the past: publish anyway"), required=False)


def _version_page(request, service_list, publish_form=None, status=200):
    today = timezone.localdate()
    state = list_state(service_list, today)
    return render(
        request,
        "care/staff/entitlements/version.html",
        {
            "service_list": service_list,
            "state": state,
            "items": item_rows(list_items(service_list)),
            "may_edit": state == "draft" and may_edit_list(request.actor),
            "publish_form": publish_form or PublishForm(),
        },
        status=status,
    )


@staff_page(*LIST_READERS)
def list_version(request, version: int):
    return _version_page(request, list_get(actor=request.actor, version=version))


@staff_page(CARE_LIST_EDIT)
@require_POST
def list_version_publish(request, version: int):
    service_list = list_get(actor=request.actor, version=version)
    form = PublishForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        list_publish(
            actor=request.actor,
            service_list=service_list,
            effective_from=data.get("effective_from"),
            document=data.get("document", ""),
            reason=data.get("reason", ""),
            confirm_past=bool(data.get("confirm_past")),
        )
    except DomainError as error:
        add_domain_errors(form, error)
        return _version_page(request, service_list, form, status=400)
    messages.success(request, _("Version %(version)s published.") % {"version": version})
    return redirect("portal:care:entitlements-version", version=version)


class ItemForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Item code"), max_length=8)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    name_en = forms.CharField(label=gettext_lazy("English name"), max_length=150)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=ItemCategory.choices)
    unit = forms.CharField(label=gettext_lazy("Unit (Chinese)"), max_length=20)
    unit_en = forms.CharField(label=gettext_lazy("Unit (English)"), max_length=20)
    unit_price = forms.CharField(label=gettext_lazy("Unit price (yuan)"), max_length=12)
    duration_minutes = forms.CharField(label=gettext_lazy("Minutes per visit"), max_length=5)
    monthly_cap = forms.CharField(label=gettext_lazy("Monthly cap (0: no cap)"), max_length=4)
    needs_photo = forms.BooleanField(label=gettext_lazy("Photos required"), required=False)
    for_beds = forms.BooleanField(label=gettext_lazy("Served in family care beds"), required=False)
    own_cost_allowed = forms.BooleanField(label=gettext_lazy("May be bought at own cost"), required=False)

    def is_valid(self) -> bool:
        # the service names every problem in both languages; the form only carries the values
        super().is_valid()
        self.cleaned_data = {name: self.data.get(name, "") for name in self.fields} | {
            name: name in self.data for name in ("needs_photo", "for_beds", "own_cost_allowed")
        }
        self._errors = {}
        return True


def _item_initial(item) -> dict:
    fields = ("code", "name", "name_en", "category", "unit", "unit_en", "unit_price", "duration_minutes", "monthly_cap")
    return {f: getattr(item, f) for f in fields} | {
        "needs_photo": item.needs_photo,
        "for_beds": item.for_beds,
        "own_cost_allowed": item.own_cost_allowed,
    }


@staff_page(*LIST_READERS)
def list_item(request, version: int, code: str = ""):
    actor = request.actor
    service_list = list_get(actor=actor, version=version)
    item = list_item_get(actor=actor, version=version, code=code) if code else None
    editable = service_list.published_at is None and may_edit_list(actor)
    form = ItemForm(request.POST or None, initial=_item_initial(item) if item else {"unit": "次", "unit_en": "visit"})
    rows = condition_rows_initial(item.conditions if item else [])
    if request.method == "POST" and editable and form.is_valid():
        rows = condition_rows_from_post(request.POST)
        try:
            list_item_save(
                actor=actor,
                service_list=service_list,
                code=code,
                raw=form.cleaned_data | {"conditions": [r.data for r in rows if not r.empty]},
            )
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Item saved."))
            return redirect("portal:care:entitlements-version", version=version)
    return render(
        request,
        "care/staff/entitlements/item.html",
        {
            "service_list": service_list,
            "item": item,
            "form": form,
            "rows": rows,
            "editable": editable,
            "kinds": CareKind.choices,
            "levels": [(v, label) for v, label in CareLevel.choices if v > 0],
            "disabilities": ("1", "2", "3", "4"),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_page(CARE_LIST_EDIT)
@require_POST
def list_item_delete(request, version: int, code: str):
    service_list = list_get(actor=request.actor, version=version)
    try:
        list_item_remove(actor=request.actor, service_list=service_list, code=code)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Item %(code)s removed from the draft.") % {"code": code})
    return redirect("portal:care:entitlements-version", version=version)


# ================================================================ assessments


@staff_page(CARE_MANAGE)
def assessments_due_page(request):
    rows = assessments_due(actor=request.actor, today=timezone.localdate())
    return render(request, "care/staff/entitlements/due.html", {"rows": rows, "today": timezone.localdate()})


@staff_page(CARE_MANAGE)
def assessment_new(request):
    actor = request.actor
    ref = request.GET.get("person", "")
    person = care_person(actor=actor, public_id=ref) if ref else None
    q = request.GET.get("q", "").strip()[:40]
    today = timezone.localdate()
    found = [(p, p.age_on(today)) for p in care_people_search(actor=actor, q=q)] if q and person is None else []
    form = assessment_form()
    values = request.POST
    errors: dict[str, str] = {}
    if request.method == "POST" and person is not None:
        try:
            assessment = assessment_record(
                actor=actor,
                person_ref=person.public_id,
                answers={q.code: values.get(q.code, "") for q in form.questions},
                assessed_on=_date_or_none(values.get("assessed_on", "")),
                second_assessor_name=values.get("second_assessor_name", ""),
            )
        except DomainError as error:
            errors = {f.field: str(f.message) for f in error.fields} or {"__all__": str(error.message)}
        else:
            shown = {"score": assessment.score, "level": assessment.get_level_display()}
            messages.success(request, _("Assessment recorded: %(score)s points, %(level)s.") % shown)
            return redirect("portal:care:entitlements-elder", person_ref=person.public_id)
    questions = [
        (
            local(i.name, i.name_en),
            i.top,
            [
                (
                    q,
                    local(q.name, q.name_en),
                    [(o.score, local(o.name, o.name_en)) for o in q.options],
                    values.get(q.code, ""),
                    errors.get(q.code, ""),
                )
                for q in i.questions
            ],
        )
        for i in form.indicators
    ]
    return render(
        request,
        "care/staff/entitlements/assess.html",
        {
            "person": person,
            "q": q,
            "found": found,
            "form_title": local(form.title, form.title_en),
            "valid_months": form.valid_months,
            "questions": questions,
            "values": values,
            "errors": errors,
            "top_errors": [m for k, m in errors.items() if k not in {q.code for q in form.questions}],
            "today": timezone.localdate(),
        },
        status=400 if errors else 200,
    )


def _date_or_none(text: str):
    try:
        return forms.DateField(required=False).clean(text)
    except forms.ValidationError:
        return None


@staff_page(CARE_VIEW, CARE_MANAGE)
def assessment_page(request, public_id):
    actor = request.actor
    assessment = assessment_get(actor=actor, public_id=public_id)
    answers, error = None, ""
    if request.method == "POST":
        try:
            answers = assessment_answers(actor=actor, assessment=assessment, reason=request.POST.get("reason", ""))
        except DomainError as problem:
            error = "; ".join(str(f.message) for f in problem.fields) or str(problem.message)
    form = assessment_form()
    return render(
        request,
        "care/staff/entitlements/assessment.html",
        {
            "assessment": assessment,
            "person": care_person(actor=actor, public_id=assessment.person_ref),
            "indicators": answer_rows(form, answers) if answers is not None else [],
            "error": error,
            "may_reveal": actor.has_perm(CARE_MANAGE),
        },
        status=400 if error else 200,
    )


# ================================================================ an elder's care page


@staff_page(CARE_VIEW, CARE_MANAGE)
def elder_page(request, person_ref):
    actor = request.actor
    person = elder_get(actor=actor, person_ref=person_ref)
    today = timezone.localdate()
    return render(
        request,
        "care/staff/entitlements/elder.html",
        {
            "person": person,
            "facts": elder_facts(person, today),
            "rows": entitled_rows(entitlement_rows(person, today)),
            "assessments": assessments_of(person.public_id),
            "may_assess": actor.has_perm(CARE_MANAGE),
            "order_url": url_if_built("portal:care:orders-new"),
            "today": today,
        },
    )


# ================================================================ residents


@resident_page(CARE_ORDER)
def entitled(request):
    today = timezone.localdate()
    people = [
        (p, elder_facts(p, today), entitled_rows(entitlement_rows(p, today)))
        for p in people_i_care_for(request.user.pk)
    ]
    order_url = url_if_built("portal:care-resident:orders-new")
    return render(
        request, "care/resident/entitlements/entitled.html", {"people": people, "today": today, "order_url": order_url}
    )


staff_urls: list = [
    path("list/", list_home, name="entitlements-list"),
    path("list/new/", list_draft, name="entitlements-list-draft"),
    path("list/<int:version>/", list_version, name="entitlements-version"),
    path("list/<int:version>/publish/", list_version_publish, name="entitlements-publish"),
    path("list/<int:version>/items/new/", list_item, name="entitlements-item-new"),
    path("list/<int:version>/items/<str:code>/", list_item, name="entitlements-item"),
    path("list/<int:version>/items/<str:code>/remove/", list_item_delete, name="entitlements-item-remove"),
    path("assessments/", assessments_due_page, name="entitlements-due"),
    path("assessments/new/", assessment_new, name="entitlements-assess"),
    path("assessments/<uuid:public_id>/", assessment_page, name="entitlements-assessment"),
    path("elders/<str:person_ref>/", elder_page, name="entitlements-elder"),
]
resident_urls: list = [path("entitled/", entitled, name="entitlements-entitled")]
provider_urls: list = []
