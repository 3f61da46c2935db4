"""Import page (upload, job list with HTMX progress, template and error-file downloads) and XLSX
exports of the resident search and care lists. Thin: form → one service → page or file."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import RESIDENTS_EXPORT, RESIDENTS_IMPORT
from linli.core.errors import DomainError, not_found
from linli.core.web import xlsx_response
from linli.residents.domain import SEALED_FIELDS
from linli.residents.exports import export_fields, export_residents_xlsx, export_revealable
from linli.residents.imports import (
    COLUMNS,
    import_job_create,
    import_job_error_file,
    import_job_get,
    import_job_list,
    template_xlsx,
)
from linli.residents.selectors import care_list, resident_search
from linli.residents.tasks import residents_import_task
from linli.residents.web.staff import staff_page


def _url(request, name: str, *args) -> str:
    """Reverse one of these views under whatever namespace they are included in."""
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    return reverse(f"{namespace}:{name}" if namespace else name, args=args)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


def _job_row(request, job) -> dict:
    return {
        "job": job,
        "running": job.status in ("queued", "running"),
        "percent": job.rows_done * 100 // job.rows_total if job.rows_total else 0,
        "status_url": _url(request, "residents-import-job", job.public_id),
        "errors_url": _url(request, "residents-import-errors", job.public_id) if job.error_file else "",
    }


@staff_page(RESIDENTS_IMPORT)
def import_page(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = import_job_create(actor=request.actor, uploaded=form.cleaned_data["file"])
            except DomainError as exc:
                for problem in exc.fields or []:
                    form.add_error("file", str(problem.message))
                if not exc.fields:
                    form.add_error("file", str(exc.message))
            else:
                transaction.on_commit(lambda: residents_import_task.enqueue(job.pk))
                return redirect(_url(request, "residents-import"))
        status = 400
    context = {
        "form": form,
        "columns": COLUMNS,
        "rows": [_job_row(request, job) for job in import_job_list(actor=request.actor)],
        "template_url": _url(request, "residents-import-template"),
    }
    return render(request, "residents/staff/import.html", context, status=status)


@staff_page(RESIDENTS_IMPORT)
def import_job_status(request, public_id):
    job = import_job_get(actor=request.actor, public_id=public_id)
    return render(request, "residents/staff/import_job.html", {"row": _job_row(request, job)})


@staff_page(RESIDENTS_IMPORT)
def import_template(request):
    return xlsx_response(template_xlsx(), "居民导入模板.xlsx")


@staff_page(RESIDENTS_IMPORT)
def import_errors(request, public_id):
    path, name = import_job_error_file(actor=request.actor, public_id=public_id)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    response["Cache-Control"] = "no-store"
    return response


# --- exports ------------------------------------------------------------------------------------


class ExportForm(forms.Form):
    unmasked = forms.MultipleChoiceField(
        label=_("Export in clear"), required=False, choices=[(f, f) for f in SEALED_FIELDS]
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


def _export_residents(request, what: str):
    actor = request.actor
    if what == "care":
        rows = care_list(
            actor=actor, kind=request.GET.get("kind", "")[:32], overdue_only=request.GET.get("overdue") == "1"
        )
        return [row.resident for row in rows], "特殊群体"
    return list(resident_search(actor=actor, q=request.GET.get("q", "")[:50])), "居民查询"


@staff_page(RESIDENTS_EXPORT)
def export_xlsx(request, what: str):
    """GET: the list as the actor reads it, masked. POST with fields and a reason: those sealed
    fields in clear (only if the role may reveal them; audited)."""
    if what not in ("search", "care"):
        raise not_found("页面", "Page")
    form = ExportForm(request.POST or None)
    unmasked, reason = [], ""
    if request.method == "POST":
        if not form.is_valid():
            raise not_found("页面", "Page")
        unmasked, reason = form.cleaned_data["unmasked"], form.cleaned_data["reason"]
    residents, title = _export_residents(request, what)
    content = export_residents_xlsx(request.actor, residents, unmasked_fields=unmasked, reason=reason)
    return xlsx_response(content, f"{title}-{timezone.localdate():%Y%m%d}.xlsx")


def export_options(actor) -> list[str]:
    """The sealed fields this actor could export in clear (for a form on a list page)."""
    return sorted(export_revealable(actor) & export_fields(actor) & frozenset(SEALED_FIELDS))
