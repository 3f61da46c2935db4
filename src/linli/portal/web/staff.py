"""Staff workbench pages: log-in, home, org tree browser, audit search."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.domain import DESK_ACCEPT, GRID_REPORT, RESIDENTS_VIEW, RESIDENTS_VISIT
from linli.accounts.selectors import posting_list
from linli.accounts.services import EXPIRED_KEY, login_check
from linli.areas.selectors import org_unit_ancestors, org_unit_get, org_unit_top
from linli.core.errors import DomainError, not_found
from linli.core.notify import inbox_mark_read, inbox_message_open, inbox_messages, inbox_unread_count
from linli.core.selectors import audit_list
from linli.core.workbench import search_groups, today_sections
from linli.portal.audit_actions import action_choices, action_name
from linli.portal.selectors import id_number_problem_text, org_children_with_counts, search_query_parse
from linli.portal.web.forms import AuditFilterForm, LoginForm
from linli.residents.selectors import pool_rates_by_child

INBOX_PAGE = 30
AUDIT_PAGE = 50
INBOX_PREVIEW = 5


def login_page(request, *, template: str, landing: str):
    """One log-in for staff and residents (same checks, throttle and audit), two looks. A second
    factor or a forced password change, where due, follows (accounts.middleware.AccountGateMiddleware)."""
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = login_check(request=request, **form.cleaned_data)
        except DomainError as exc:
            if exc.code == "locked_out":
                return _locked_out(request, exc, template)
            form.add_error(None, str(exc.message))
        else:
            login(request, user)
            return redirect(safe_next(request) or landing)
    # set by the idle time-out: say why the user is here again
    idle_minutes = request.session.pop(EXPIRED_KEY, None) if request.method == "GET" else None
    context = {"form": form, "idle_minutes": idle_minutes}
    return render(request, template, context, status=400 if form.errors else 200)


def _locked_out(request, error: DomainError, template: str):
    context = {
        "base": "portal/staff/base.html" if "staff" in template else "portal/resident/base.html",
        "message": str(error.message),
        "limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "login_url": request.get_full_path(),
    }
    return render(request, "accounts/locked_out.html", context, status=429)


def staff_login(request):
    return login_page(request, template="portal/staff/login.html", landing="portal:staff-home")


def safe_next(request, params=None) -> str:
    """The `next` parameter only when it points back into this site (no open redirect)."""
    target = (params if params is not None else request.GET).get("next", "")
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
    """Today (工作台): every app's counts and first rows of what is this actor's to do now."""
    actor = request.actor
    today = timezone.localdate()
    context = {
        "today": today,
        "sections": today_sections(actor=actor, today=today),
        "postings": posting_list(actor=actor),
        "units": org_unit_top(actor=actor),
        "messages_unread": inbox_messages(user_id=actor.user_id, unread_only=True)[:INBOX_PREVIEW],
        "quick": _quick_actions(actor),
    }
    return render(request, "portal/staff/home.html", context)


def _quick_actions(actor) -> list[dict]:
    """The two or three things a worker starts from the home page, as big buttons."""
    actions = [
        (DESK_ACCEPT, "portal:desk:intake", _("New case at the window")),
        (GRID_REPORT, "portal:grid:report", _("Report a problem")),
        (RESIDENTS_VISIT, "portal:residents:visit-new", _("Record a visit")),
    ]
    return [{"url": reverse(name), "label": label} for perm, name, label in actions if actor.has_perm(perm)]


# ---------------------------------------------------------------- inbox


@login_required
def staff_inbox(request):
    return inbox_page(request, template="portal/staff/inbox.html")


def inbox_page(request, *, template: str):
    """The actor's own messages, 30 to a page, unread ones marked; staff and residents alike."""
    messages_all = inbox_messages(user_id=request.actor.user_id)
    page = Paginator(messages_all, INBOX_PAGE).get_page(request.GET.get("page"))
    return render(request, template, {"page": page})


@login_required
def staff_inbox_open(request, pk: int):
    return inbox_open(request, pk, fallback="portal:staff-inbox")


def inbox_open(request, pk: int, *, fallback: str):
    """Open a message: mark it read and go to what it is about (only a link on this site)."""
    message = inbox_message_open(user_id=request.actor.user_id, pk=pk)
    if message is None:
        raise not_found("消息", "Message")
    link = message.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect(fallback)


@require_POST
@login_required
def inbox_read_all(request):
    """Mark every message read, then back to the page the button was on."""
    inbox_mark_read(user_id=request.actor.user_id)
    return redirect(safe_next(request, request.POST) or "portal:staff-inbox")


@login_required
def inbox_badge(request):
    """The unread count for the header, fetched after the page (HTMX, every minute) so pages do
    not pay a query for it and the number stays fresh while a worker keeps a page open."""
    return render(request, "portal/_inbox_badge.html", {"unread": inbox_unread_count(request.actor.user_id)})


# ---------------------------------------------------------------- search


@login_required
def staff_search(request):
    """One box in the header: case and event numbers, ID numbers (exact, audited), names and
    addresses, each app answering within the actor's scope. By POST, so an ID number never
    lands in a URL."""
    from_url = request.method != "POST"  # the workbench's "more" links carry names and addresses
    text = ((request.GET if from_url else request.POST).get("q") or "").strip()[:50]
    query = search_query_parse(text)
    by_id = query.kind in {"id_number", "bad_id_number"}
    if by_id and from_url:
        # an ID number in a web address lands in histories and logs: it is not looked up
        problem: tuple[str, str] | None = (
            "身份证号不从网址查询，请在上面的搜索框中输入",
            "an ID number is not looked up from a web address; type it in the box above",
        )
    else:
        problem = id_number_problem_text(query)
    groups = search_groups(actor=request.actor, query=query) if text and not problem else []
    # an ID number is not written back into the page (history, screenshots, shoulder-surfing)
    shown = "" if by_id else text
    context = {"q": shown, "groups": groups, "problem": problem, "searched": bool(text), "from_url": from_url}
    return render(request, "portal/staff/search.html", context, status=400 if problem else 200)


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
    """The audit log in the auditor's scope, newest first, a page at a time: filtered by an action
    picked by its name and by the account that acted; actions and the system shown in words."""
    form = AuditFilterForm(request.GET, actions=action_choices())
    refused = not form.is_valid()  # an action that is not one of the choices: said on the field
    wanted = {} if refused else form.cleaned_data
    entries = audit_list(actor=request.actor, action=wanted.get("action", ""), actor_name=wanted.get("actor", ""))
    page = Paginator(entries.none() if refused else entries, AUDIT_PAGE).get_page(request.GET.get("page"))
    for entry in page:
        entry.action_name = action_name(entry.action)
    return render(request, "portal/staff/audit.html", {"form": form, "page": page}, status=400 if refused else 200)
