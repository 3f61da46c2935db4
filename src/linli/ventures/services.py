"""Writes of venture projects: one transaction each, validated and audited. A call's steps lock
the call row and append one `CallStep`; money (grants against the call's budget, spending
against a project's grant) is checked under a row lock of the call or project, so two people
acting at once cannot pass the limit together. A refusal names the field or line and the reason,
and leaves nothing half-saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from uuid import UUID

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from linli.accounts.domain import VENTURES_APPLY, VENTURES_MANAGE, VENTURES_REVIEW
from linli.accounts.selectors import actor_for_user, user_by_username
from linli.areas.selectors import org_unit_by_path
from linli.core.actor import Actor
from linli.core.errors import FieldError, Msg, conflict, field_error, not_found, permission_denied, validation_failed
from linli.core.files import Signature, sniffed_type
from linli.core.notify import notify
from linli.core.services import audit_record
from linli.ventures.domain import (
    CENT,
    MONEY_MAX,
    PEOPLE_MAX,
    ApplicationState,
    BudgetLine,
    CallKind,
    CallState,
    Criterion,
    MilestoneState,
    ProjectState,
    budget_problems,
    criteria_problem,
    deadline_passed,
    grade_for,
    score_problem,
    transition_for,
    weighted_total,
)
from linli.ventures.models import (
    BudgetLineRow,
    CallStep,
    Milestone,
    PanelMember,
    Review,
    ReviewCriterion,
    ReviewScore,
    ServiceContract,
    Spending,
    VentureApplication,
    VentureCall,
    VentureFile,
    VentureProject,
)
from linli.ventures.selectors import (
    application_list,
    call_list,
    may_manage,
    may_manage_project,
    org_brief,
    org_ids_for,
    project_list,
)

FILE_MAX_BYTES = 5 * 1024 * 1024
FILE_TYPES: dict[str, tuple[Signature, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
TEXT_MAX = 4000


def _audit(actor: Actor, action: str, obj, path: str, reason: str = "", details: dict | None = None) -> None:
    audit_record(
        actor=actor,
        action=f"ventures.{action}",
        object_type=type(obj).__name__.lower(),
        object_id=getattr(obj, "public_id", obj.pk),
        org_path=path,
        reason=reason,
        details=details or {},
    )


def money_parse(value, field_name: str, problems: list[FieldError], label: Msg) -> Decimal:
    """A positive amount in yuan with at most two decimals; a problem names the field."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
    if not amount.is_finite() or amount <= 0 or amount > MONEY_MAX or amount != amount.quantize(CENT):
        problems.append(
            FieldError(
                field_name,
                Msg(
                    f"{label.zh}须为正数金额（元），最多两位小数",
                    f"{label.en}: a positive amount in yuan, at most two decimals",
                ),
            )
        )
        return Decimal(0)
    return amount


def _now(when: datetime | None) -> datetime:
    """Now, or the time a replay of earlier records gives (`when`: only the demo and imports of
    past calls pass it; no page or endpoint does)."""
    return when or timezone.now()


def _speaks_for(actor: Actor, org_id: UUID) -> bool:
    """An organiser's account speaks for its own organisations; a system actor (the demo, an
    import of past calls) for any organisation in the register."""
    if actor.is_system and actor.has_perm(VENTURES_APPLY):
        return org_brief(org_id) is not None
    return org_id in org_ids_for(actor)


# ---- calls ---------------------------------------------------------------------------------------


@dataclass
class CriterionInput:
    name: str
    weight: int
    max_score: int
    name_en: str = ""


@dataclass
class CallInput:
    kind: str
    title: str
    unit_path: str
    opens_on: date
    deadline: date
    total_budget: Decimal | str
    project_cap: Decimal | str
    themes: list[str] = field(default_factory=list)
    eligibility: str = ""
    criteria: list[CriterionInput] = field(default_factory=list)
    panel: list[str] = field(default_factory=list)  # usernames


def _panel_users(usernames: list[str], problems: list[FieldError]) -> list:
    users = []
    for username in dict.fromkeys(u.strip() for u in usernames if u.strip()):
        user = user_by_username(username)
        if user is None or not actor_for_user(user).has_perm(VENTURES_REVIEW):
            problems.append(
                field_error(
                    "panel",
                    f"评审账号「{username}」不存在或没有评审权限",
                    f"Reviewer '{username}': no such account, or it may not review",
                )
            )
        else:
            users.append(user)
    if not users and not problems:
        problems.append(field_error("panel", "至少需要一名评审", "At least one reviewer is needed"))
    return users


def call_create(*, actor: Actor, data: CallInput, when: datetime | None = None) -> VentureCall:
    """A new call in draft, with its criteria (weights summing to 100) and panel."""
    if not actor.has_perm(VENTURES_MANAGE):
        raise permission_denied()
    problems: list[FieldError] = []
    if data.kind not in CallKind.values:
        problems.append(field_error("kind", "类型无效", "Unknown kind"))
    title = data.title.strip()
    if not title or len(title) > 120:
        problems.append(field_error("title", "请填写标题（最多 120 字）", "A title is needed (at most 120 characters)"))
    unit = org_unit_by_path(data.unit_path.strip())
    if unit is None or unit.kind not in ("city", "district", "street") or not actor.sees_path(unit.path):
        problems.append(
            field_error(
                "unit_path", "主办单位须为您辖区内的区或街道", "The unit must be a district or street in your area"
            )
        )
    if data.deadline < data.opens_on:
        problems.append(
            field_error("deadline", "截止日期不能早于开始日期", "The deadline cannot be before the opening date")
        )
    budget = money_parse(data.total_budget, "total_budget", problems, Msg("总预算", "Total budget"))
    cap = money_parse(data.project_cap, "project_cap", problems, Msg("单个项目上限", "Per-project cap"))
    if budget and cap and cap > budget:
        problems.append(
            field_error("project_cap", "单个项目上限不能超过总预算", "The per-project cap cannot exceed the budget")
        )
    themes = [t.strip()[:30] for t in data.themes if t.strip()]
    if not themes:
        problems.append(field_error("themes", "至少填写一个主题", "At least one theme is needed"))
    criteria = [Criterion(str(i), c.name.strip(), c.weight, c.max_score) for i, c in enumerate(data.criteria)]
    if problem := criteria_problem(criteria):
        problems.append(FieldError("criteria", problem))
    users = _panel_users(data.panel, problems)
    if problems:
        raise validation_failed(problems)
    assert unit is not None
    now = _now(when)
    with transaction.atomic():
        call = VentureCall.objects.create(
            kind=data.kind,
            title=title,
            themes=list(dict.fromkeys(themes)),
            total_budget=budget,
            project_cap=cap,
            unit_path=unit.path,
            opens_on=data.opens_on,
            deadline=data.deadline,
            eligibility=data.eligibility.strip()[:TEXT_MAX],
            created_by_id=actor.user_id,
            created_at=now,
        )
        ReviewCriterion.objects.bulk_create(
            ReviewCriterion(
                call=call,
                position=i,
                name=c.name.strip()[:60],
                name_en=c.name_en.strip()[:60],
                weight=c.weight,
                max_score=c.max_score,
            )
            for i, c in enumerate(data.criteria)
        )
        PanelMember.objects.bulk_create(
            PanelMember(call=call, user=u, name=(u.display_name or u.username)[:150]) for u in users
        )
        _step(call, actor, "create", "", CallState.DRAFT, now)
        _audit(actor, "call.create", call, call.unit_path, details={"kind": call.kind})
    return call


def _step(call: VentureCall, actor: Actor, action: str, from_state: str, to_state: str, at, note: str = "") -> None:
    CallStep.objects.create(
        call=call,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor_id=actor.user_id,
        actor_name=actor.shown_name[:150],
        note=note[:2000],
        at=at,
    )


def _locked_call(call_id: int) -> VentureCall:
    return VentureCall.objects.select_for_update().get(pk=call_id)


def call_transition(
    *, actor: Actor, call: VentureCall, action: str, note: str = "", when: datetime | None = None
) -> VentureCall:
    """One step of a call's workflow. Closing applications before the deadline is an early close
    and needs a reason; publishing the decisions needs every submitted application decided and
    creates the funded projects."""
    transition = transition_for(action)
    if transition is None:
        raise not_found("操作", "Action")
    note = note.strip()
    with transaction.atomic():
        locked = _locked_call(call.pk)
        if not may_manage(actor, locked):
            if call_list(actor=actor).filter(pk=locked.pk).exists():
                raise permission_denied()
            raise not_found("申报通知", "Venture call")
        if locked.state not in transition.sources:
            raise conflict(
                Msg(
                    f"本期当前为「{CallState(locked.state).label}」，不能「{transition.label.zh}」",
                    f"The call is {locked.state}; '{transition.label.en}' is not allowed now",
                )
            )
        now = _now(when)
        today = timezone.localdate(now)
        early = action == "review" and not deadline_passed(locked.deadline, today)
        if (transition.needs_reason or early) and not note:
            message = (
                Msg(
                    f"申报截止日期为 {locked.deadline:%Y-%m-%d}，提前截止须填写原因",
                    f"The deadline is {locked.deadline:%Y-%m-%d}; closing early needs a reason",
                )
                if early
                else Msg("请填写原因", "A reason is required")
            )
            raise validation_failed([FieldError("note", message)])
        if action == "decide":
            _publish_decisions(locked, actor, now)
        from_state = locked.state
        locked.state = transition.target
        locked.save(update_fields=["state", "decided_at"])
        _step(locked, actor, action, from_state, locked.state, now, note)
        _audit(actor, f"call.{action}", locked, locked.unit_path, reason=note[:200])
    return locked


def _publish_decisions(call: VentureCall, actor: Actor, now) -> None:
    undecided = VentureApplication.objects.filter(call=call, state=ApplicationState.SUBMITTED).order_by("pk")
    waiting = list(undecided.values_list("title", flat=True)[:5])
    if waiting:
        raise conflict(
            Msg(
                f"还有申请未作资助决定：{'、'.join(waiting)}",
                f"Some applications are not decided yet: {', '.join(waiting)}",
            )
        )
    call.decided_at = now
    today = timezone.localdate(now)
    funded = VentureApplication.objects.filter(call=call, state=ApplicationState.FUNDED).order_by("pk")
    VentureProject.objects.bulk_create(
        VentureProject(
            application=a,
            call=call,
            org_id=a.org_id,
            org_name=a.org_name,
            unit_path=call.unit_path,
            title=a.title,
            grant=a.granted or Decimal(0),
            year=today.year,
            started_on=today,
        )
        for a in funded
    )
    notify(
        user_ids=[
            a.created_by_id for a in VentureApplication.objects.filter(call=call).exclude(state=ApplicationState.DRAFT)
        ],
        kind="ventures.decided",
        text=Msg(f"「{call.title}」的资助结果已公布", f"Funding decisions of '{call.title}' are published"),
        link=reverse("portal:ventures:mine"),
    )


# ---- applications --------------------------------------------------------------------------------


@dataclass
class BudgetLineInput:
    item: str
    amount: Decimal | str


@dataclass
class ApplicationInput:
    org_id: UUID | str
    title: str
    summary: str
    beneficiaries_count: int
    beneficiaries_who: str
    outputs: str
    budget: list[BudgetLineInput]
    themes: list[str] = field(default_factory=list)


@dataclass
class FileUpload:
    name: str
    data: bytes


def _call_open_for(call: VentureCall, today: date) -> None:
    if call.state != CallState.OPEN or today < call.opens_on:
        raise conflict(Msg("本期未在申报期内", "The call is not open for applications"))
    if deadline_passed(call.deadline, today):
        raise conflict(
            Msg(
                f"申报已于 {call.deadline:%Y-%m-%d} 截止（按自然日计算），不能再提交或修改",
                f"Applications closed on {call.deadline:%Y-%m-%d} (calendar days);"
                " it can no longer be submitted or changed",
            )
        )


def _application_problems(call: VentureCall, data: ApplicationInput) -> tuple[list[BudgetLine], list[FieldError]]:
    problems: list[FieldError] = []
    title = data.title.strip()
    if not title or len(title) > 120:
        problems.append(
            field_error("title", "请填写项目名称（最多 120 字）", "A project title is needed (at most 120 characters)")
        )
    if not data.summary.strip():
        problems.append(field_error("summary", "请填写项目简介", "A summary is needed"))
    if not data.outputs.strip():
        problems.append(field_error("outputs", "请填写预期产出", "The outputs are needed"))
    if not isinstance(data.beneficiaries_count, int) or not 0 < data.beneficiaries_count <= PEOPLE_MAX:
        problems.append(
            field_error(
                "beneficiaries_count",
                f"受益人数须为 1 到 {PEOPLE_MAX} 的整数",
                f"The number of beneficiaries must be 1 to {PEOPLE_MAX}",
            )
        )
    if not data.beneficiaries_who.strip() or len(data.beneficiaries_who.strip()) > 200:
        problems.append(
            field_error(
                "beneficiaries_who",
                "请说明受益对象（最多 200 字）",
                "Say who the beneficiaries are (at most 200 characters)",
            )
        )
    unknown = [t for t in data.themes if t not in call.themes]
    if unknown:
        problems.append(
            field_error(
                "themes", f"主题「{unknown[0]}」不在本期主题中", f"Theme '{unknown[0]}' is not one of the call's themes"
            )
        )
    lines: list[BudgetLine] = []
    for line in data.budget:
        try:
            amount = Decimal(str(line.amount).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            amount = Decimal(-1)
        lines.append(BudgetLine(line.item.strip()[:120], amount if amount.is_finite() else Decimal(-1)))
    for index, message in budget_problems(lines, call.project_cap):
        problems.append(FieldError(f"budget.{index}", message))
    return lines, problems


def application_save(
    *,
    actor: Actor,
    call: VentureCall,
    data: ApplicationInput,
    application: VentureApplication | None = None,
    attachments: list[FileUpload] | None = None,
    when: datetime | None = None,
) -> VentureApplication:
    """An organisation's application, new or changed while still a draft, before the deadline."""
    if not actor.has_perm(VENTURES_APPLY):
        raise permission_denied()
    try:
        org_id = UUID(str(data.org_id))
    except ValueError:
        org_id = None
    if org_id is None or not _speaks_for(actor, org_id):
        raise validation_failed(
            [field_error("org_id", "只能为本机构申报", "You may apply only for your own organisation")]
        )
    call = VentureCall.objects.get(pk=call.pk)  # its state now, not as the caller read it
    now = _now(when)
    _call_open_for(call, timezone.localdate(now))
    lines, problems = _application_problems(call, data)
    files = attachments or []
    problems.extend(_file_problems(files, "attachments"))
    if problems:
        raise validation_failed(problems)
    org = org_brief(org_id)
    with transaction.atomic():
        if application is None:
            application = VentureApplication(call=call, org_id=org_id, created_by_id=actor.user_id, created_at=now)
        else:
            application = VentureApplication.objects.select_for_update().get(pk=application.pk)
            if not _speaks_for(actor, application.org_id) or application.state != ApplicationState.DRAFT:
                raise conflict(
                    Msg("只能修改本机构未提交的申请", "Only your organisation's unsubmitted drafts can be changed")
                )
            application.org_id = org_id
        application.org_name = (org.name if org else str(org_id))[:120]
        application.title = data.title.strip()[:120]
        application.summary = data.summary.strip()[:TEXT_MAX]
        application.themes = list(dict.fromkeys(data.themes))
        application.beneficiaries_count = data.beneficiaries_count
        application.beneficiaries_who = data.beneficiaries_who.strip()[:200]
        application.outputs = data.outputs.strip()[:TEXT_MAX]
        application.requested = sum((line.amount for line in lines), Decimal(0))
        application.save()
        application.budget_lines.all().delete()
        BudgetLineRow.objects.bulk_create(
            BudgetLineRow(application=application, position=i, item=line.item, amount=line.amount)
            for i, line in enumerate(lines)
        )
        _files_save(files, actor, now, application=application)
        _audit(actor, "application.save", application, call.unit_path)
    return application


def _file_problems(files: list[FileUpload], field_name: str) -> list[FieldError]:
    problems = []
    for upload in files:
        if len(upload.data) > FILE_MAX_BYTES:
            problems.append(
                field_error(field_name, f"文件「{upload.name}」超过 5 MB", f"File '{upload.name}' is larger than 5 MB")
            )
        elif sniffed_type(upload.data, FILE_TYPES) is None:
            problems.append(
                field_error(
                    field_name,
                    f"文件「{upload.name}」须为 PDF、JPEG 或 PNG",
                    f"File '{upload.name}' must be a PDF, JPEG or PNG",
                )
            )
    return problems


def _files_save(files: list[FileUpload], actor: Actor, now, **owner) -> list[VentureFile]:
    return [
        VentureFile.objects.create(
            name=upload.name[-120:] or "file",
            content_type=sniffed_type(upload.data, FILE_TYPES) or "application/octet-stream",
            size=len(upload.data),
            data=upload.data,
            uploaded_by_name=actor.shown_name[:150],
            at=now,
            **owner,
        )
        for upload in files
    ]


def _locked_own_application(actor: Actor, application: VentureApplication) -> VentureApplication:
    locked = VentureApplication.objects.select_for_update().select_related("call").get(pk=application.pk)
    if not actor.has_perm(VENTURES_APPLY) or not _speaks_for(actor, locked.org_id):
        raise not_found("申请", "Application")
    return locked


def application_submit(
    *, actor: Actor, application: VentureApplication, when: datetime | None = None
) -> VentureApplication:
    with transaction.atomic():
        locked = _locked_own_application(actor, application)
        if locked.state != ApplicationState.DRAFT:
            raise conflict(Msg("该申请已提交或已撤回", "The application is already submitted or withdrawn"))
        now = _now(when)
        _call_open_for(locked.call, timezone.localdate(now))
        locked.state = ApplicationState.SUBMITTED
        locked.submitted_at = now
        locked.save(update_fields=["state", "submitted_at"])
        _audit(actor, "application.submit", locked, locked.call.unit_path)
    return locked


def application_withdraw(*, actor: Actor, application: VentureApplication, reason: str) -> VentureApplication:
    """The organisation pulls its application out (before the decisions are published)."""
    if not reason.strip():
        raise validation_failed([field_error("reason", "请填写撤回原因", "A reason is required")])
    with transaction.atomic():
        locked = _locked_own_application(actor, application)
        if locked.state not in (ApplicationState.DRAFT, ApplicationState.SUBMITTED) or locked.call.state not in (
            CallState.OPEN,
            CallState.REVIEWING,
        ):
            raise conflict(Msg("该申请现在不能撤回", "The application can no longer be withdrawn"))
        locked.state = ApplicationState.WITHDRAWN
        locked.withdrawn_at = timezone.now()
        locked.withdraw_reason = reason.strip()[:500]
        locked.save(update_fields=["state", "withdrawn_at", "withdraw_reason"])
        _audit(actor, "application.withdraw", locked, locked.call.unit_path, reason=locked.withdraw_reason)
    return locked


# ---- review --------------------------------------------------------------------------------------


def _reviewer_id(actor: Actor) -> int:
    if actor.user_id is None:
        raise permission_denied()
    return actor.user_id


def _review_target(actor: Actor, application: VentureApplication) -> VentureApplication:
    """The application, locked, if the actor sits on its call's panel and the call is under
    review; 404 if they cannot see it at all."""
    if not application_list(actor=actor).filter(pk=application.pk).exists():
        raise not_found("申请", "Application")
    locked = VentureApplication.objects.select_for_update().select_related("call").get(pk=application.pk)
    if (
        not actor.has_perm(VENTURES_REVIEW)
        or not PanelMember.objects.filter(call=locked.call, user_id=_reviewer_id(actor)).exists()
    ):
        raise permission_denied()
    if locked.call.state != CallState.REVIEWING or locked.state != ApplicationState.SUBMITTED:
        raise conflict(Msg("该申请现在不在评审中", "The application is not under review now"))
    return locked


def conflict_declare(*, actor: Actor, application: VentureApplication, note: str) -> Review:
    """A panel member declares a conflict of interest (利益冲突回避): they are left out of this
    application's scoring, for good."""
    if not note.strip():
        raise validation_failed(
            [field_error("conflict_note", "请说明利益冲突的情况", "Say what the conflict of interest is")]
        )
    with transaction.atomic():
        locked = _review_target(actor, application)
        if Review.objects.filter(application=locked, reviewer_id=_reviewer_id(actor)).exists():
            raise conflict(Msg("您已对该申请评分或声明回避", "You have already scored or declared a conflict on it"))
        review = Review.objects.create(
            application=locked,
            reviewer_id=_reviewer_id(actor),
            reviewer_name=actor.shown_name[:150],
            conflict=True,
            conflict_note=note.strip()[:500],
            at=timezone.now(),
        )
        _audit(actor, "review.conflict", locked, locked.call.unit_path, reason=review.conflict_note)
    return review


def review_score(
    *,
    actor: Actor,
    application: VentureApplication,
    scores: dict[int, object],
    comment: str = "",
    when: datetime | None = None,
) -> Review:
    """A panel member's scores, one per criterion (keyed by criterion position), 0 to its
    maximum; a reviewer who declared a conflict is refused. Scores may be changed until the
    decisions are published (the same row is replaced)."""
    with transaction.atomic():
        locked = _review_target(actor, application)
        existing = Review.objects.filter(application=locked, reviewer_id=_reviewer_id(actor)).first()
        if existing is not None and existing.conflict:
            raise conflict(
                Msg(
                    "您已声明与该申请存在利益冲突，不能评分",
                    "You declared a conflict of interest on it and may not score it",
                )
            )
        rows = list(ReviewCriterion.objects.filter(call=locked.call).order_by("position"))
        criteria = [Criterion(str(r.position), r.name, r.weight, r.max_score) for r in rows]
        problems = []
        for criterion in criteria:
            value = scores.get(int(criterion.key))
            if problem := score_problem(criterion, value):
                problems.append(FieldError(f"score_{criterion.key}", problem))
        if problems:
            raise validation_failed(problems)
        clean = {c.key: int(scores[int(c.key)]) for c in criteria}  # type: ignore[call-overload]
        total = weighted_total(criteria, clean)
        now = _now(when)
        if existing is None:
            existing = Review(application=locked, reviewer_id=_reviewer_id(actor))
        existing.reviewer_name = actor.shown_name[:150]
        existing.total = total
        existing.comment = comment.strip()[:TEXT_MAX]
        existing.at = now
        existing.save()
        existing.scores.all().delete()
        ReviewScore.objects.bulk_create(
            ReviewScore(review=existing, criterion=row, score=clean[str(row.position)]) for row in rows
        )
        _audit(actor, "review.score", locked, locked.call.unit_path, details={"total": str(total)})
    return existing


def application_decide(
    *,
    actor: Actor,
    application: VentureApplication,
    fund: bool,
    amount: Decimal | str | None = None,
    reason: str = "",
    when: datetime | None = None,
) -> VentureApplication:
    """The manager funds (an amount up to the request, the call's grants staying within its
    budget) or turns down (with the reason) one application, while the call is under review."""
    reason = reason.strip()
    with transaction.atomic():
        call = _locked_call(application.call_id)
        if not may_manage(actor, call):
            if application_list(actor=actor).filter(pk=application.pk).exists():
                raise permission_denied()
            raise not_found("申请", "Application")
        locked = VentureApplication.objects.select_for_update().get(pk=application.pk)
        if call.state != CallState.REVIEWING or locked.state not in (
            ApplicationState.SUBMITTED,
            ApplicationState.FUNDED,
            ApplicationState.REJECTED,
        ):
            raise conflict(Msg("该申请现在不能作资助决定", "No funding decision can be made on it now"))
        problems: list[FieldError] = []
        granted = None
        if fund:
            granted = money_parse(amount, "amount", problems, Msg("资助金额", "Amount"))
            if granted and granted > locked.requested:
                problems.append(
                    field_error(
                        "amount",
                        f"资助金额不能超过申请金额 {locked.requested} 元",
                        f"The amount cannot exceed the {locked.requested} yuan requested",
                    )
                )
            others = (
                VentureApplication.objects.filter(call=call, state=ApplicationState.FUNDED)
                .exclude(pk=locked.pk)
                .values_list("granted", flat=True)
            )
            used = sum((g or Decimal(0) for g in others), Decimal(0))
            budget, left = call.total_budget, call.total_budget - used
            if granted and used + granted > budget:
                problems.append(
                    field_error(
                        "amount",
                        f"已资助 {used} 元，再资助 {granted} 元将超过本期总预算 {budget} 元（尚余 {left} 元）",
                        f"{used} yuan is granted already; {granted} more would pass the budget of {budget} yuan"
                        f" ({left} left)",
                    )
                )
        elif not reason:
            problems.append(
                field_error("reason", "不予资助须填写原因", "A reason is required to turn an application down")
            )
        if problems:
            raise validation_failed(problems)
        locked.state = ApplicationState.FUNDED if fund else ApplicationState.REJECTED
        locked.granted = granted
        locked.decision_reason = reason[:500]
        locked.decided_at = _now(when)
        locked.decided_by_name = actor.shown_name[:150]
        locked.save(update_fields=["state", "granted", "decision_reason", "decided_at", "decided_by_name"])
        _audit(
            actor,
            "application.decide",
            locked,
            call.unit_path,
            reason=reason[:200],
            details={"fund": fund, "amount": str(granted or "")},
        )
    return locked


# ---- projects ------------------------------------------------------------------------------------


def _locked_project(
    actor: Actor, project: VentureProject, *, manage: bool = False, own: bool = False
) -> VentureProject:
    """The project, locked, if the actor manages it (manage) or reports for it (own)."""
    if not actor.is_system and not project_list(actor=actor).filter(pk=project.pk).exists():
        raise not_found("项目", "Project")
    locked = VentureProject.objects.select_for_update().select_related("call").get(pk=project.pk)
    allowed = (manage and may_manage_project(actor, locked)) or (
        own and actor.has_perm(VENTURES_APPLY) and _speaks_for(actor, locked.org_id)
    )
    if not allowed:
        raise permission_denied()
    if locked.state != ProjectState.ACTIVE:
        raise conflict(Msg("项目已完成评估，不能再修改", "The project is evaluated; it can no longer change"))
    return locked


@dataclass
class ContractInput:
    number: str
    signed_on: date
    starts_on: date
    ends_on: date
    deliverables: list[tuple[str, date]]  # (what, due)


def contract_sign(*, actor: Actor, project: VentureProject, data: ContractInput) -> ServiceContract:
    """The contract of a purchased service; each deliverable becomes a milestone."""
    problems: list[FieldError] = []
    number = data.number.strip()
    if not number or len(number) > 40:
        problems.append(
            field_error("number", "请填写合同编号（最多 40 字）", "A contract number is needed (at most 40 characters)")
        )
    elif ServiceContract.objects.filter(number=number).exists():
        problems.append(
            field_error("number", f"合同编号「{number}」已存在", f"Contract number '{number}' exists already")
        )
    if data.ends_on < data.starts_on:
        problems.append(field_error("ends_on", "结束日期不能早于开始日期", "The end cannot be before the start"))
    deliverables = [(what.strip()[:120], due) for what, due in data.deliverables if what.strip()]
    if not deliverables:
        problems.append(field_error("deliverables", "至少写明一项交付内容", "At least one deliverable is needed"))
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        locked = _locked_project(actor, project, manage=True)
        if locked.call.kind != CallKind.PURCHASE:
            raise conflict(Msg("只有政府购买服务项目签订服务合同", "Only purchased services have contracts"))
        if ServiceContract.objects.filter(project=locked).exists():
            raise conflict(Msg("该项目已签订合同", "The project has a contract already"))
        contract = ServiceContract.objects.create(
            project=locked,
            number=number[:40],
            signed_on=data.signed_on,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            deliverables=[{"what": what, "due": due.isoformat()} for what, due in deliverables],
        )
        start = locked.milestones.count()
        Milestone.objects.bulk_create(
            Milestone(project=locked, position=start + i, title=what, due_on=due)
            for i, (what, due) in enumerate(deliverables)
        )
        _audit(actor, "contract.sign", locked, locked.unit_path, details={"number": contract.number})
    return contract


def milestone_add(*, actor: Actor, project: VentureProject, title: str, due_on: date) -> Milestone:
    if not title.strip() or len(title.strip()) > 120:
        raise validation_failed(
            [
                field_error(
                    "title", "请填写节点内容（最多 120 字）", "Say what the milestone is (at most 120 characters)"
                )
            ]
        )
    with transaction.atomic():
        locked = _locked_project(actor, project, manage=True, own=True)
        milestone = Milestone.objects.create(
            project=locked, position=locked.milestones.count(), title=title.strip()[:120], due_on=due_on
        )
        _audit(actor, "milestone.add", locked, locked.unit_path, details={"due": due_on.isoformat()})
    return milestone


def _milestone_locked(actor: Actor, milestone: Milestone, **who) -> tuple[VentureProject, Milestone]:
    project = _locked_project(actor, milestone.project, **who)
    return project, Milestone.objects.select_for_update().get(pk=milestone.pk, project=project)


def milestone_report(
    *, actor: Actor, milestone: Milestone, report: str, beneficiaries: int = 0, when: datetime | None = None
) -> Milestone:
    """The organisation reports a milestone done, with the people it served."""
    problems = []
    if not report.strip():
        problems.append(field_error("report", "请填写完成情况", "Say what was done"))
    if not isinstance(beneficiaries, int) or not 0 <= beneficiaries <= PEOPLE_MAX:
        problems.append(
            field_error(
                "beneficiaries", f"服务人数须为 0 到 {PEOPLE_MAX} 的整数", f"People served must be 0 to {PEOPLE_MAX}"
            )
        )
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        project, locked = _milestone_locked(actor, milestone, own=True)
        if locked.state != MilestoneState.PLANNED:
            raise conflict(Msg("该节点已报告", "The milestone is reported already"))
        locked.state = MilestoneState.REPORTED
        locked.report = report.strip()[:TEXT_MAX]
        locked.beneficiaries = beneficiaries
        locked.reported_at = _now(when)
        locked.reported_by_name = actor.shown_name[:150]
        locked.save()
        _audit(actor, "milestone.report", project, project.unit_path, details={"milestone": locked.title})
    return locked


def milestone_accept(
    *, actor: Actor, milestone: Milestone, accept: bool = True, note: str = "", when: datetime | None = None
) -> Milestone:
    """The manager accepts a reported milestone (its people served count for the project) or
    sends it back with the reason."""
    if not accept and not note.strip():
        raise validation_failed([field_error("note", "退回须填写原因", "A reason is required to send it back")])
    with transaction.atomic():
        project, locked = _milestone_locked(actor, milestone, manage=True)
        if locked.state != MilestoneState.REPORTED:
            raise conflict(Msg("该节点尚未报告或已验收", "The milestone is not reported, or accepted already"))
        now = _now(when)
        if accept:
            locked.state = MilestoneState.ACCEPTED
            locked.accepted_at = now
            locked.accepted_by_name = actor.shown_name[:150]
            VentureProject.objects.filter(pk=project.pk).update(
                beneficiaries_served=F("beneficiaries_served") + locked.beneficiaries
            )
        else:
            locked.state = MilestoneState.PLANNED
            locked.report = f"{locked.report}\n— 退回：{note.strip()[:500]}"
        locked.save()
        _audit(
            actor,
            "milestone.accept" if accept else "milestone.return",
            project,
            project.unit_path,
            reason=note.strip()[:200],
            details={"milestone": locked.title},
        )
    return locked


def spending_record(
    *,
    actor: Actor,
    project: VentureProject,
    amount: Decimal | str,
    spent_on: date,
    what: str,
    receipt: FileUpload | None = None,
    when: datetime | None = None,
) -> Spending:
    """One payment out of the grant; the project's spending never passes its grant."""
    problems: list[FieldError] = []
    value = money_parse(amount, "amount", problems, Msg("金额", "Amount"))
    if not what.strip() or len(what.strip()) > 200:
        problems.append(
            field_error(
                "what", "请填写支出事项（最多 200 字）", "Say what the money was spent on (at most 200 characters)"
            )
        )
    if spent_on > timezone.localdate():
        problems.append(field_error("spent_on", "支出日期不能晚于今天", "The date cannot be in the future"))
    if receipt is not None:
        problems.extend(_file_problems([receipt], "receipt"))
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        locked = _locked_project(actor, project, manage=True, own=True)
        if locked.spent + value > locked.grant:
            left = locked.grant - locked.spent
            raise validation_failed(
                [
                    field_error(
                        "amount",
                        f"支出 {value} 元将使累计支出超过资助金额 {locked.grant} 元（尚余 {left} 元）",
                        f"Spending {value} yuan would pass the grant of {locked.grant} yuan ({left} left)",
                    )
                ]
            )
        now = _now(when)
        files = _files_save([receipt], actor, now, project=locked) if receipt is not None else []
        spending = Spending.objects.create(
            project=locked,
            amount=value,
            spent_on=spent_on,
            what=what.strip()[:200],
            receipt=files[0] if files else None,
            recorded_by_name=actor.shown_name[:150],
            at=now,
        )
        VentureProject.objects.filter(pk=locked.pk).update(spent=F("spent") + value)
        _audit(actor, "spending.record", locked, locked.unit_path, details={"amount": str(value)})
    return spending


def project_evaluate(
    *, actor: Actor, project: VentureProject, score: int, text: str, when: datetime | None = None
) -> VentureProject:
    """The final evaluation (score 0–100, the grade follows from it); the project is then done."""
    problems = []
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 100:
        problems.append(
            field_error("score", "评估得分须为 0 到 100 的整数", "The score must be a whole number from 0 to 100")
        )
    if not text.strip():
        problems.append(field_error("text", "请填写评估意见", "The evaluation text is needed"))
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        locked = _locked_project(actor, project, manage=True)
        locked.state = ProjectState.EVALUATED
        locked.evaluation_score = score
        locked.grade = grade_for(score)
        locked.evaluation = text.strip()[:TEXT_MAX]
        locked.evaluated_at = _now(when)
        locked.evaluated_by_name = actor.shown_name[:150]
        locked.save(
            update_fields=["state", "evaluation_score", "grade", "evaluation", "evaluated_at", "evaluated_by_name"]
        )
        _audit(actor, "project.evaluate", locked, locked.unit_path, details={"score": score, "grade": locked.grade})
    return locked
