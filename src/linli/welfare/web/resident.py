"""Resident pages of social assistance (phone first): "I want a job / training" (我想找工作/参加培训)
for a logged-in resident whose account is linked to the pool; the community follows it up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from linli.core.errors import DomainError
from linli.welfare.domain.relief import NeedKind
from linli.welfare.selectors.relief import my_job_needs_for_user
from linli.welfare.services.relief import job_need_mine

RESIDENT_LOGIN = "portal:login"


@login_required(login_url=RESIDENT_LOGIN)
def jobs(request):
    actor = request.actor
    error = ""
    if request.method == "POST":
        try:
            job_need_mine(actor=actor, kind=request.POST.get("kind", ""), wish=request.POST.get("wish", ""))
        except DomainError as problem:
            error = " ".join(str(f.message) for f in problem.fields) or str(problem.message)
        else:
            messages.success(request, _("Thank you. Your community will contact you."))
            return redirect("portal:welfare-resident:jobs")
    return render(
        request,
        "welfare/resident/jobs.html",
        {
            "needs": my_job_needs_for_user(actor.user_id),
            "kinds": NeedKind.choices,
            "error": error,
            "kind": request.POST.get("kind", NeedKind.JOB),
            "wish": request.POST.get("wish", ""),
        },
        status=400 if error else 200,
    )
