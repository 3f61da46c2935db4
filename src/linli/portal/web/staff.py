"""Staff workbench pages: log-in, home, org tree browser, audit search."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from linli.accounts.domain import RESIDENTS_VIEW
from linli.accounts.selectors import posting_list
from linli.accounts.services import login_check
from linli.areas.selectors import org_unit_ancestors, org_unit_get
from linli.core.errors import DomainError
from linli.core.selectors import audit_list
from linli.portal.selectors import org_children_with_counts, scope_summary
from linli.portal.web.forms import LoginForm
from linli.residents.selectors import pool_rates_by_child


def login_page(request, *, template: str, landing: str):
    """One log-in for staff and residents (same checks, throttle and audit), two looks."""
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = login_check(client_address=request.actor.client_address, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            login(request, user)
            return redirect(safe_next(request) or landing)
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


def staff_login(request):
    return login_page(request, template="portal/staff/login.html", landing="portal:staff-home")


def safe_next(request) -> str:
    """The `next` parameter only when it points back into this site (no open redirect)."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@require_POST
def staff_logout(request):
    logout(request)
    return redirect("portal:staff-login")


@login_required
def staff_home(request):
    actor = request.actor
    return render(
        request,
        "portal/staff/home.html",
        {
            "postings": posting_list(actor=actor),
            "summary": scope_summary(actor=actor),
        },
    )


@login_required
def staff_org(request, code: str = ""):
    actor = request.actor
    if not code:
        return render(
            request,
            "portal/staff/org_tree.html",
            {
                "rows": org_children_with_counts(actor=actor, unit=None),
                "unit": None,
                "ancestors": [],
                "show_rates": False,
                "perms_residents": actor.has_perm(RESIDENTS_VIEW),
            },
        )
    unit = org_unit_get(actor=actor, code=code)
    rows = org_children_with_counts(actor=actor, unit=unit)
    return render(
        request,
        "portal/staff/org_tree.html",
        {
            "unit": unit,
            "ancestors": [a for a in org_unit_ancestors(unit) if actor.sees_path(a.path)],
            "rows": _with_rates(actor, unit, rows),
            "show_rates": unit.kind == "street" and actor.has_perm(RESIDENTS_VIEW),
            "perms_residents": actor.has_perm(RESIDENTS_VIEW),
        },
    )


def _with_rates(actor, unit, rows):
    """Under a street, each community's resident-pool rates, all children in one go."""
    if unit.kind != "street" or not actor.has_perm(RESIDENTS_VIEW):
        return rows
    by_child = pool_rates_by_child(actor=actor, path=unit.path, child_length=len(rows[0].path)) if rows else {}
    for row in rows:
        row.rates = by_child.get(row.path)
    return rows


@login_required
def staff_audit(request):
    entries = audit_list(
        actor=request.actor, action=request.GET.get("action", "")[:80], actor_name=request.GET.get("actor", "")[:150]
    )[:200]
    return render(request, "portal/staff/audit.html", {"entries": entries})
