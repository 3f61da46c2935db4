"""Forms of the desk's pages. Field names follow the services' FieldError names so that each
refusal lands next to its input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DateInput, DateTimeInput
from linli.service_desk.domain import (
    FORM_MAX_BYTES,
    Category,
    Channel,
    DecidingLevel,
    Decision,
    DeliveryMethod,
    FollowUpMethod,
    MaterialStatus,
    ProxyConsentMethod,
    RatingLevel,
    RectificationVerdict,
)

DATE = DateInput()


class LookupForm(forms.Form):
    id_number = forms.CharField(
        label=_("Applicant's ID number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "autofocus": True}),
        help_text=_("Any resident of the city, whichever community they live in (全市通办)."),
    )


class IntakeForm(forms.Form):
    """Step two: item, channel, the materials checklist and, for proxy or home handling, the
    consent or the visit. The checklist fields are added per item's materials."""

    item_code = forms.ChoiceField(label=_("Service item"))
    channel = forms.ChoiceField(
        label=_("How is it handled?"),
        choices=[(c.value, c.label) for c in (Channel.WINDOW, Channel.PROXY, Channel.HOME)],
        widget=forms.RadioSelect,
        initial=Channel.WINDOW,
    )
    desk_path = forms.ChoiceField(label=_("Accepting window"), required=False)
    deferred_until = forms.DateField(
        label=_("Promised material due by"), required=False, widget=DATE, help_text=_("Only with 容缺 materials.")
    )
    proxy_method = forms.ChoiceField(
        label=_("Consent given by"), required=False, choices=[("", "—"), *ProxyConsentMethod.choices]
    )
    proxy_reason = forms.CharField(label=_("Why by proxy"), required=False, max_length=200)
    proxy_valid_until = forms.DateField(label=_("Consent valid until"), required=False, widget=DATE)
    home_visit_at = forms.DateTimeField(label=_("Home visit at"), required=False, widget=DateTimeInput())
    note = forms.CharField(
        label=_("Details of the application"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, items=(), desks=(), materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_code"].choices = [("", "—"), *[(i.code, f"{i.code} {i.current.name}") for i in items]]
        self.fields["desk_path"].choices = list(desks)
        if len(desks) <= 1:
            self.fields["desk_path"].widget = forms.HiddenInput()
        self.materials = list(materials)
        for material in self.materials:
            if material.pool_held:
                continue
            choices = [(MaterialStatus.PROVIDED, _("Provided")), (MaterialStatus.MISSING, _("Missing"))]
            if material.deferrable:
                choices.insert(1, (MaterialStatus.DEFERRED, _("Promised later (容缺)")))
            self.fields[f"checklist.{material.key}"] = forms.ChoiceField(
                label=material.name,
                choices=choices,
                widget=forms.RadioSelect,
                initial=MaterialStatus.MISSING,
                required=False,
            )

    def checklist(self) -> dict[str, str]:
        return {
            name.split(".", 1)[1]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("checklist.") and value
        }


class ApplyForm(forms.Form):
    """A resident's online application: what they will send and a few words."""

    note = forms.CharField(
        label=_("Anything the office should know"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        for material in materials:
            if material.pool_held:
                continue
            self.fields[f"checklist.{material.key}"] = forms.BooleanField(label=material.name, required=False)
        self.order_fields([name for name in self.fields if name != "note"] + ["note"])

    def checklist(self) -> dict[str, str]:
        return {
            name.split(".", 1)[1]: MaterialStatus.PROVIDED
            for name, value in self.cleaned_data.items()
            if name.startswith("checklist.") and value
        }


class StepForm(forms.Form):
    """One form for every workflow step; each step uses the fields it needs. Accepting an
    online application also posts the checked materials (`checklist.<key>`)."""

    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    decision = forms.ChoiceField(label=_("Decision"), required=False, choices=[("", "—"), *Decision.choices])
    delivery_method = forms.ChoiceField(
        label=_("Delivered by"), required=False, choices=[("", "—"), *DeliveryMethod.choices]
    )
    deferred_until = forms.DateField(label=_("Promised material due by"), required=False, widget=DATE)
    score = forms.TypedChoiceField(
        label=_("Rating given by the applicant"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *RatingLevel.choices],
    )


def posted_checklist(data) -> dict[str, str]:
    """The `checklist.<key>` fields of a posted form: material key → status."""
    return {name.split(".", 1)[1]: value for name, value in data.items() if name.startswith("checklist.") and value}


class FollowUpForm(forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=FollowUpMethod.choices)
    summary = forms.CharField(label=_("What the resident said"), widget=forms.Textarea(attrs={"rows": 2}))
    resident_satisfied = forms.NullBooleanField(label=_("Resident satisfied now"), required=False)


class RectificationCloseForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=RectificationVerdict.choices)
    summary = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))


MATERIAL_FLAGS = {
    "可选": "optional",
    "optional": "optional",
    "原件": "original",
    "original": "original",
    "免提交": "pool_held",
    "pool": "pool_held",
    "容缺": "deferrable",
    "defer": "deferrable",
}


def materials_to_text(materials: list[dict]) -> str:
    lines = []
    for m in materials:
        flags = [
            word
            for word, on in (
                ("可选", not m["required"]),
                ("原件", m["original"]),
                ("免提交", m["pool_held"]),
                ("容缺", m["deferrable"]),
            )
            if on
        ]
        if m.get("name_en"):
            flags.append(f"en: {m['name_en']}")
        lines.append(" | ".join([m["name"], *flags]))
    return "\n".join(lines)


def materials_from_lines(text: str, previous: list[dict]) -> list[dict]:
    """One material a line: `name | flag | flag`, flags 可选 原件 免提交 容缺. A name that was
    already there keeps its key, so cases under older versions still match their checklist."""
    keys = {m["name"]: m["key"] for m in previous}
    used = set(keys.values())
    materials = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = [p.strip() for p in line.split("|")]
        if not parts[0]:
            continue
        name_en = next((p[3:].strip() for p in parts[1:] if p.lower().startswith("en:")), "")
        parts = [p for p in parts if not p.lower().startswith("en:")]
        unknown = [p for p in parts[1:] if p and p not in MATERIAL_FLAGS]
        if unknown:
            raise forms.ValidationError(
                _("Line %(n)s: unknown mark %(mark)s (use 可选, 原件, 免提交 or 容缺)"),
                params={"n": number, "mark": unknown[0]},
            )
        flags = {MATERIAL_FLAGS[p] for p in parts[1:] if p}
        key = keys.get(parts[0])
        if key is None:
            n = len(used) + 1
            while f"m{n}" in used:
                n += 1
            key = f"m{n}"
            used.add(key)
        materials.append(
            {
                "key": key,
                "name": parts[0],
                "required": "optional" not in flags,
                "original": "original" in flags,
                "pool_held": "pool_held" in flags,
                "deferrable": "deferrable" in flags,
                "name_en": name_en,
            }
        )
    return materials


def pairs_to_text(rows: list[dict], zh: str, en: str) -> str:
    """Guide lines for editing: `中文 | English` a line (steps, forms)."""
    return "\n".join(" | ".join(filter(None, [row[zh], row.get(en, "")])) for row in rows)


def pairs_from_lines(text: str) -> list[tuple[str, str]]:
    pairs = []
    for line in text.splitlines():
        zh, _bar, en = line.partition("|")
        if zh.strip():
            pairs.append((zh.strip(), en.strip()))
    return pairs


def forms_to_text(rows: list[dict]) -> str:
    return "\n".join(" | ".join(filter(None, [f["file"], f["name"], f.get("name_en", "")])) for f in rows)


def faq_to_text(faq: list[dict]) -> str:
    return "\n".join(
        " | ".join(filter(None, [q["q"] + q["a"], q.get("q_en", "") + " " + q.get("a_en", "")])).strip() for q in faq
    )


def faq_from_lines(text: str) -> list[dict]:
    """One question a line: `问题？回答 | Question? Answer` (the English half may be left out)."""
    faq = []
    for number, (zh, en) in enumerate(pairs_from_lines(text), start=1):
        q, mark, a = zh.partition("？")
        q_en, mark_en, a_en = en.partition("?")
        if not mark or not a.strip() or (en and (not mark_en or not a_en.strip())):
            raise forms.ValidationError(
                _("Line %(n)s: write the question, a question mark, then the answer"), params={"n": number}
            )
        faq.append(
            {"q": q + mark, "a": a.strip(), "q_en": (q_en + mark_en).strip() if en else "", "a_en": a_en.strip()}
        )
    return faq


class CatalogueItemForm(forms.Form):
    code = forms.CharField(label=_("Item code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=200)
    item_type = forms.ChoiceField(label=_("Item type"))
    deciding_level = forms.ChoiceField(label=_("Decided at"), choices=DecidingLevel.choices)
    department_kind = forms.ChoiceField(label=_("Deciding department"), required=False)
    promised_days = forms.IntegerField(label=_("Promised time limit (working days)"), min_value=0, max_value=365)
    legal_days = forms.IntegerField(
        label=_("Legal time limit (working days)"), min_value=0, max_value=365, required=False
    )
    limits_verified = forms.BooleanField(label=_("Time limits checked against the official text"), required=False)
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    citywide = forms.BooleanField(label=_("Handled anywhere in the city (全市通办)"), required=False)
    allows_deferral = forms.BooleanField(label=_("Accepts promised material (容缺)"), required=False)
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    materials_text = forms.CharField(
        label=_("Materials"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One a line: name | marks. Marks: 可选 (optional), 原件 (original), 免提交, 容缺, and en: the English name."
        ),
    )
    fee = forms.CharField(label=_("Fee"), max_length=100, required=False)
    retention_years = forms.IntegerField(label=_("Archive retention (years)"), min_value=1, max_value=100)
    # the guide residents read
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Theme"), required=False)
    keywords = forms.CharField(
        label=_("Search words"),
        max_length=500,
        required=False,
        help_text=_("Words residents use for this item, separated by spaces (e.g. 老人 八十岁 补贴)."),
    )
    steps_text = forms.CharField(
        label=_("How it is handled (steps)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One step a line: 中文 | English."),
    )
    legal_basis = forms.CharField(label=_("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    faq_text = forms.CharField(
        label=_("Common questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: 问题？回答 | Question? Answer."),
    )
    phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    forms_text = forms.CharField(
        label=_("Forms to download"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line: file | 中文名 | English name. Delete a line to remove the form."),
    )
    form_file = forms.FileField(
        label=_("Add a form (PDF, Word or Excel, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}),
    )
    form_name = forms.CharField(label=_("Name of the added form"), max_length=100, required=False)
    form_name_en = forms.CharField(label=_("English name of the added form"), max_length=100, required=False)

    def __init__(self, *args, previous_materials=(), item_types=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.previous_materials = list(previous_materials)
        self.fields["item_type"].choices = list(item_types)
        self.fields["department_kind"].choices = [("", "—"), *departments]
        self.fields["category"].choices = [("", "—"), *Category.choices]

    def clean_materials_text(self):
        return materials_from_lines(self.cleaned_data.get("materials_text", ""), self.previous_materials)

    def clean_steps_text(self):
        return [{"name": zh, "name_en": en} for zh, en in pairs_from_lines(self.cleaned_data.get("steps_text", ""))]

    def clean_faq_text(self):
        return faq_from_lines(self.cleaned_data.get("faq_text", ""))

    def clean_forms_text(self):
        rows = []
        for line in self.cleaned_data.get("forms_text", "").splitlines():
            file, _bar, names = line.partition("|")
            name, _bar, name_en = names.partition("|")
            if file.strip():
                rows.append({"name": name.strip() or file.strip(), "name_en": name_en.strip(), "file": file.strip()})
        return rows

    def clean_form_file(self) -> bytes | None:
        upload = self.cleaned_data.get("form_file")
        if not upload:
            return None
        if upload.size > FORM_MAX_BYTES:
            raise forms.ValidationError(_("A form file must be at most 5 MB."))
        return upload.read()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("form_file") and not (cleaned.get("form_name") or "").strip():
            self.add_error("form_name", _("Give the added form a name."))
        return cleaned

    def guide_data(self) -> dict:
        """The cleaned fields as the catalogue service's names (the upload is handled apart)."""
        data = dict(self.cleaned_data)
        data["materials"] = data.pop("materials_text")
        data["steps"] = data.pop("steps_text")
        data["faq"] = data.pop("faq_text")
        data["forms"] = data.pop("forms_text")
        for name in ("form_file", "form_name", "form_name_en"):
            data.pop(name, None)
        return data
