"""Writes of stage village (四议一审两公开): one transaction each, checked, audited.

A matter moves through the steps in their only order (`domain.village.next_step`): the village's
two committees (CONSULT_MANAGE in a village) propose and record the meetings, the town (VILLAGE_REVIEW
above the village) reviews, the village publishes the resolution and later the result on its
public board. A meeting without quorum or a vote that does not pass is kept as a failed row and
refused with the numbers in words; the stage does not move and the step may be tried again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from linli.accounts.domain import CONSULT_MANAGE, VILLAGE_REVIEW, Role
from linli.areas.selectors import org_unit_by_path
from linli.consultation.domain.board import NoticeKind
from linli.consultation.domain.village import (
    NUMBER_PREFIX,
    PUBLICATION_MIN_DAYS,
    AssemblyKind,
    MatterState,
    StepResult,
    VillageStep,
    attendance_met,
    attendance_words,
    next_step,
    resolution_passes,
    steps_done,
    villagers_meeting_quorum,
    villagers_words,
    vote_words,
)
from linli.consultation.models import MajorMatterKind, VillageMatter, VillageMatterStep, VillageRepresentative
from linli.consultation.services import common
from linli.consultation.services.board import NoticeInput, notice_publish
from linli.core.actor import Actor
from linli.core.errors import (
    DomainError,
    FieldError,
    Msg,
    conflict,
    field_error,
    not_found,
    permission_denied,
    validation_failed,
)
from linli.residents.selectors import applicant_by_ref, roll_counts

VILLAGE_LEN = 12
TOWN_LEN = 9
TITLE_MAX = 100
LIVE = (MatterState.OPEN, MatterState.RETURNED)
STEP_LABEL = dict(VillageStep.choices)


# ---- who may do what ------------------------------------------------------------------------------


def _village_of(actor: Actor, path: str) -> str:
    """A village (OrgUnit kind village) the actor manages; the same 404 for missing and foreign."""
    unit = org_unit_by_path(path) if len(path) == VILLAGE_LEN else None
    if unit is None or unit.kind != "village" or not actor.sees_path(path):
        raise not_found("村", "Village")
    if not actor.has_perm(CONSULT_MANAGE):
        raise permission_denied()
    return path


def _locked(actor: Actor, public_id, *, review: bool = False) -> VillageMatter:
    """The matter, locked, if the actor may act on it: the village's committees, or the town."""
    matter = VillageMatter.objects.select_for_update().filter(public_id=public_id).first()
    if matter is None or not actor.sees_path(matter.path):
        raise not_found("重大事项", "Major matter")
    if not actor.has_perm(VILLAGE_REVIEW if review else CONSULT_MANAGE):
        raise permission_denied()
    return matter


def may_edit_kinds(actor: Actor, path: str) -> bool:
    """The city's rows: a city administrator; a town's rows: CONSULT_MANAGE over the town."""
    if path == "":
        return actor.has_role(Role.CITY_ADMIN)
    return len(path) == TOWN_LEN and actor.has_perm(CONSULT_MANAGE) and actor.sees_path(path)


# ---- the major-matter list ------------------------------------------------------------------------


@dataclass
class KindInput:
    path: str  # "" the city, or a town (9)
    code: str
    name_zh: str
    name_en: str
    amount_over: Decimal | None = None
    active: bool = True


def kind_save(*, actor: Actor, data: KindInput) -> MajorMatterKind:
    """Add a row to the list or change one (a town's own row with the city's code overrides it)."""
    if not may_edit_kinds(actor, data.path):
        raise permission_denied()
    problems = [
        field_error(name, "请填写", "Required")
        for name in ("code", "name_zh", "name_en")
        if not str(getattr(data, name)).strip()
    ]
    if data.amount_over is not None and data.amount_over < 0:
        problems.append(field_error("amount_over", "金额不能为负", "The sum cannot be negative"))
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        kind, _created = MajorMatterKind.objects.update_or_create(
            path=data.path,
            code=data.code.strip()[:24],
            defaults={
                "name_zh": data.name_zh.strip()[:60],
                "name_en": data.name_en.strip()[:100],
                "amount_over": data.amount_over,
                "active": data.active,
            },
        )
        common.audit(actor, "major_kind_save", "consultation_major_kind", kind.pk, data.path, code=kind.code)
    return kind


# ---- the representatives' roll --------------------------------------------------------------------


def representative_add(
    *, actor: Actor, path: str, resident_ref: str, since: dt.date, until: dt.date | None = None
) -> VillageRepresentative:
    """A villager from the pool joins the village's representatives for a term."""
    _village_of(actor, path)
    card = applicant_by_ref(resident_ref) if resident_ref else None
    if card is None or not card.home_path.startswith(path):
        raise validation_failed([field_error("resident_ref", "请选择本村村民", "Choose a resident of this village")])
    if until is not None and until < since:
        raise validation_failed([field_error("until", "任期结束早于开始", "The term ends before it begins")])
    with transaction.atomic():
        if VillageRepresentative.objects.filter(path=path, resident_ref=card.public_id, until__isnull=True).exists():
            raise conflict(Msg("此人已是本村村民代表", "Already a representative of this village"))
        rep = VillageRepresentative.objects.create(
            path=path,
            resident_ref=card.public_id,
            name_shown=card.name,
            since=since,
            until=until,
            created_at=timezone.now(),
        )
        common.audit(actor, "representative_save", "consultation_representative", rep.pk, path, change="add")
    return rep


def representative_end(*, actor: Actor, rep_id: int, until: dt.date, reason: str) -> VillageRepresentative:
    """A representative's term ends (left the village, resigned, a new term)."""
    if not reason.strip():
        raise validation_failed([field_error("reason", "请填写事由", "Give the reason")])
    with transaction.atomic():
        rep = VillageRepresentative.objects.select_for_update().filter(pk=rep_id).first()
        if rep is None or not actor.sees_path(rep.path):
            raise not_found("村民代表", "Representative")
        _village_of(actor, rep.path)
        if rep.until is not None and rep.until <= until:
            raise conflict(Msg("任期已结束", "The term has already ended"))
        if until < rep.since:
            raise validation_failed([field_error("until", "任期结束早于开始", "The term ends before it begins")])
        rep.until = until
        rep.save(update_fields=["until"])
        common.audit(
            actor, "representative_save", "consultation_representative", rep.pk, rep.path, reason, change="end"
        )
    return rep


def representatives_on(path: str, day: dt.date) -> int:
    """The representatives in office on a day: the denominator of a representatives' meeting."""
    return (
        VillageRepresentative.objects.filter(path=path, since__lte=day)
        .filter(Q(until__isnull=True) | Q(until__gte=day))
        .count()
    )


# ---- proposing --------------------------------------------------------------------------------------


@dataclass
class MatterInput:
    path: str  # the village
    kind_id: int | None
    title: str
    proposal: str
    amount: Decimal | None = None
    held_on: dt.date | None = None  # the party branch's meeting; today when blank
    source_ref: str = ""


def kinds_for(path: str):
    """The active rows that apply in a village: the city's and its town's."""
    return MajorMatterKind.objects.filter(Q(path="") | Q(path=path[:TOWN_LEN]), active=True)


def matter_propose(*, actor: Actor, data: MatterInput) -> VillageMatter:
    """The party branch proposes (党支部提议): the matter and its PROPOSE step."""
    path = _village_of(actor, data.path)
    today = timezone.localdate()
    held_on = data.held_on or today
    problems = _matter_problems(data, held_on, today)
    kind = kinds_for(path).filter(pk=data.kind_id).first() if data.kind_id else None
    if kind is None:
        problems.append(field_error("kind_id", "请选择重大事项类别", "Choose the kind of major matter"))
    if problems or kind is None:
        raise validation_failed(problems)
    now = timezone.now()
    with transaction.atomic():
        matter = common.numbered_create(
            VillageMatter,
            NUMBER_PREFIX,
            path,
            today,
            path=path,
            kind=kind,
            title=data.title.strip(),
            proposal=data.proposal.strip(),
            amount=data.amount,
            source_ref=data.source_ref[:40],
            stage=VillageStep.PROPOSE,
            created_by_id=actor.user_id,
            created_at=now,
            updated_at=now,
        )
        _step_row(actor, matter, VillageStep.PROPOSE, StepResult.DONE, held_on, adopted_text=matter.proposal)
        common.audit(actor, "matter_propose", "consultation_village_matter", matter.public_id, path, kind=kind.code)
    return matter


def _matter_problems(data: MatterInput, held_on: dt.date, today: dt.date) -> list[FieldError]:
    problems = []
    if not data.title.strip():
        problems.append(field_error("title", "请填写事项名称", "A title is required"))
    elif len(data.title.strip()) > TITLE_MAX:
        problems.append(field_error("title", f"名称不超过 {TITLE_MAX} 字", f"At most {TITLE_MAX} characters"))
    if not data.proposal.strip():
        problems.append(field_error("proposal", "请填写提议内容", "The proposal is required"))
    if data.amount is not None and data.amount < 0:
        problems.append(field_error("amount", "金额不能为负", "The amount cannot be negative"))
    if held_on > today:
        problems.append(field_error("held_on", "会议日期不能晚于今天", "The meeting cannot be in the future"))
    return problems


# ---- recording the steps ----------------------------------------------------------------------------


@dataclass
class StepInput:
    step: str
    held_on: dt.date | None = None
    minutes: str = ""
    adopted_text: str = ""
    assembly: str = ""  # RESOLVE: villagers' or representatives' meeting
    roll_total: int = 0  # DELIBERATE: the party members with a vote (typed: issue 19 keeps them)
    present: int = 0  # people present (adults at a villagers' meeting)
    households_present: int = 0  # a villagers' meeting: households represented
    votes_for: int = 0
    votes_against: int = 0
    abstentions: int = 0
    public_until: dt.date | None = None  # a publication's last day on the board


@dataclass
class Tried:
    """What a meeting step came to: its row and, when it failed, why (in words)."""

    step: VillageMatterStep
    passed: bool
    words: Msg


def step_record(*, actor: Actor, public_id, data: StepInput) -> Tried:
    """Record the next step of the procedure (never another): a meeting (DISCUSS, DELIBERATE,
    RESOLVE) or a publication. A failed meeting's row is kept and then refused (DomainError
    `no_quorum` / `not_passed`) with the numbers in words."""
    if data.step in (VillageStep.PUBLISH_RESOLUTION, VillageStep.PUBLISH_RESULT):
        publish = publish_resolution if data.step == VillageStep.PUBLISH_RESOLUTION else publish_result
        row = publish(actor=actor, public_id=public_id, data=data)
        return Tried(row, True, Msg("", ""))
    if data.step == VillageStep.REVIEW:
        raise conflict(Msg("乡镇审核由乡镇（街道）办理", "The town records its own review"))
    with transaction.atomic():
        matter = _locked(actor, public_id)
        _expect(matter, data.step)
        held_on = _held_on(matter, data.held_on)
        _meeting_problems(data)
        tried = _meeting(actor, matter, data, held_on)
        if tried.passed:
            _advance(matter, data.step)
        common.audit(
            actor,
            "matter_step",
            "consultation_village_matter",
            matter.public_id,
            matter.path,
            step=data.step,
            result=tried.step.result,
        )
    if not tried.passed:
        raise DomainError(tried.words, code=tried.step.result, status=409, details={"step": data.step})
    return tried


def _expect(matter: VillageMatter, step: str) -> None:
    """Only the next step; the refusal names the step that must come first."""
    if matter.state not in LIVE:
        raise conflict(Msg("此事项已结束，不能再记录", "This matter is finished; nothing more can be recorded"))
    if step not in STEP_LABEL:
        raise validation_failed([field_error("step", "请选择步骤", "Choose a step")])
    expected = next_step(steps_done(matter.stage))
    if expected is None:
        raise conflict(Msg("程序已全部完成", "The procedure is complete"))
    if step != expected:
        raise conflict(
            Msg(
                f"不能跳过或颠倒步骤：须先完成「{_zh(expected)}」",
                f"Steps cannot be skipped or reordered: “{_en(expected)}” must come first",
            )
        )


def _zh(step: str | None) -> str:
    return STEP_ZH.get(step or "", "")


def _en(step: str | None) -> str:
    return STEP_EN.get(step or "", "")


STEP_ZH: dict[str, str] = {
    VillageStep.PROPOSE: "党支部提议",
    VillageStep.DISCUSS: "两委会商议",
    VillageStep.DELIBERATE: "党员大会审议",
    VillageStep.RESOLVE: "村民会议或村民代表会议决议",
    VillageStep.REVIEW: "乡镇审核",
    VillageStep.PUBLISH_RESOLUTION: "决议公开",
    VillageStep.PUBLISH_RESULT: "实施结果公开",
}
STEP_EN: dict[str, str] = {
    VillageStep.PROPOSE: "Party branch proposes",
    VillageStep.DISCUSS: "Two committees discuss",
    VillageStep.DELIBERATE: "Party members' meeting deliberates",
    VillageStep.RESOLVE: "Villagers' meeting resolves",
    VillageStep.REVIEW: "Town reviews",
    VillageStep.PUBLISH_RESOLUTION: "Resolution published",
    VillageStep.PUBLISH_RESULT: "Result published",
}


def _held_on(matter: VillageMatter, held_on: dt.date | None) -> dt.date:
    """Today when blank; never in the future, never before the step before it."""
    day = held_on or timezone.localdate()
    if day > timezone.localdate():
        raise validation_failed([field_error("held_on", "日期不能晚于今天", "The date cannot be in the future")])
    last = matter.steps.filter(result__in=_SUCCESS).order_by("-held_on").values_list("held_on", flat=True).first()
    if last is not None and day < last:
        raise validation_failed(
            [
                field_error(
                    "held_on", f"日期不能早于上一步（{last:%Y-%m-%d}）", f"The date is before the last step ({last})"
                )
            ]
        )
    return day


_SUCCESS = (StepResult.DONE, StepResult.PASSED, StepResult.APPROVED)


def _meeting_problems(data: StepInput) -> None:
    problems = []
    if not data.minutes.strip():
        problems.append(field_error("minutes", "请填写会议记录", "The minutes are required"))
    if not data.adopted_text.strip():
        problems.append(field_error("adopted_text", "请填写通过的文本", "The text as adopted is required"))
    numbers = ("roll_total", "present", "households_present", "votes_for", "votes_against", "abstentions")
    problems += [field_error(name, "不能为负数", "Cannot be negative") for name in numbers if getattr(data, name) < 0]
    if data.votes_for + data.votes_against + data.abstentions > data.present:
        problems.append(field_error("votes_for", "票数之和超过到会人数", "More votes than people present"))
    if data.step == VillageStep.RESOLVE and data.assembly not in AssemblyKind.values:
        problems.append(field_error("assembly", "请选择会议形式", "Choose the kind of meeting"))
    if data.step == VillageStep.DELIBERATE and data.roll_total <= 0:
        problems.append(field_error("roll_total", "请填写应到党员人数", "Give the number of party members"))
    if problems:
        raise validation_failed(problems)


def _meeting(actor: Actor, matter: VillageMatter, data: StepInput, held_on: dt.date) -> Tried:
    """The row of a meeting, with its verdict: DISCUSS is a committees' meeting (no quorum
    here), DELIBERATE the party members' meeting, RESOLVE the villagers' (representatives')."""
    roll, households, rule = _roll(matter, data, held_on)
    present_ok, words = _attendance(data, rule, roll, households)
    if data.present > roll or data.households_present > households:
        raise validation_failed([field_error("present", "到会人数超过应到人数", "More present than on the roll")])
    if rule and present_ok:
        passes = resolution_passes(_pass_rule(rule), data.votes_for, data.present)
        words = vote_words(_pass_rule(rule), data.votes_for, data.present)
        result = StepResult.PASSED if passes else StepResult.NOT_PASSED
    elif rule:
        result = StepResult.NO_QUORUM
    else:
        result = StepResult.DONE
    row = _step_row(
        actor,
        matter,
        data.step,
        result,
        held_on,
        assembly=data.assembly if data.step == VillageStep.RESOLVE else "",
        roll_total=roll,
        roll_households=households,
        present=data.present,
        households_present=data.households_present,
        votes_for=data.votes_for,
        votes_against=data.votes_against,
        abstentions=data.abstentions,
        minutes=data.minutes.strip(),
        adopted_text=data.adopted_text.strip(),
        note=words.zh if rule else "",
    )
    return Tried(row, result in _SUCCESS, words)


def _roll(matter: VillageMatter, data: StepInput, held_on: dt.date) -> tuple[int, int, str]:
    """(people on the roll, households on the roll, the quorum rule) of this meeting."""
    if data.step == VillageStep.DELIBERATE:
        return data.roll_total, 0, "party_members"
    if data.step != VillageStep.RESOLVE:
        return data.present, 0, ""  # the committees' meeting: who came is the record
    if data.assembly == AssemblyKind.REPRESENTATIVES:
        return representatives_on(matter.path, held_on), 0, "representatives"
    adults, households = roll_counts(under=matter.path, on=held_on)
    return adults, households, "villagers"


def _attendance(data: StepInput, rule: str, roll: int, households: int) -> tuple[bool, Msg]:
    if rule == "villagers":
        counts = {
            "adults": roll,
            "adults_present": data.present,
            "households": households,
            "households_present": data.households_present,
        }
        return villagers_meeting_quorum(**counts), villagers_words(**counts)
    if rule:
        return attendance_met(rule, data.present, roll), attendance_words(rule, data.present, roll)
    return True, Msg("", "")


def _pass_rule(rule: str) -> str:
    return "villagers_adults" if rule == "villagers" else rule


def _advance(matter: VillageMatter, step: str, state: str = MatterState.OPEN) -> None:
    matter.stage, matter.state, matter.updated_at = step, state, timezone.now()
    matter.save(update_fields=["stage", "state", "updated_at"])


def _step_row(actor: Actor, matter: VillageMatter, step: str, result: str, held_on: dt.date, **values):
    return VillageMatterStep.objects.create(
        matter=matter,
        step=step,
        round=matter.round,
        result=result,
        held_on=held_on,
        recorded_by_id=actor.user_id,
        recorded_by_name=actor.shown_name,
        recorded_at=timezone.now(),
        **values,
    )


# ---- the town's review ------------------------------------------------------------------------------


def matter_review(*, actor: Actor, public_id, approve: bool, reasons: str = "") -> VillageMatter:
    """The town approves, or returns the matter with reasons: a new round from the committees'
    discussion (the branch's proposal stands)."""
    if not approve and not reasons.strip():
        raise validation_failed([field_error("reasons", "退回须写明理由", "Give the reasons for returning it")])
    with transaction.atomic():
        matter = _locked(actor, public_id, review=True)
        if matter.path == "" or len(matter.path) != VILLAGE_LEN:
            raise not_found("重大事项", "Major matter")
        _expect(matter, VillageStep.REVIEW)
        result = StepResult.APPROVED if approve else StepResult.RETURNED
        _step_row(actor, matter, VillageStep.REVIEW, result, timezone.localdate(), note=reasons.strip())
        if approve:
            _advance(matter, VillageStep.REVIEW)
        else:
            matter.round += 1
            matter.stage, matter.state, matter.updated_at = VillageStep.PROPOSE, MatterState.RETURNED, timezone.now()
            matter.save(update_fields=["round", "stage", "state", "updated_at"])
        common.audit(
            actor, "matter_review", "consultation_village_matter", matter.public_id, matter.path, reasons, result=result
        )
    return matter


# ---- the two publications -----------------------------------------------------------------------------


def publish_resolution(*, actor: Actor, public_id, data: StepInput) -> VillageMatterStep:
    """The resolution on the village's public board for at least PUBLICATION_MIN_DAYS."""
    return _publish(actor, public_id, data, VillageStep.PUBLISH_RESOLUTION)


def publish_result(*, actor: Actor, public_id, data: StepInput) -> VillageMatterStep:
    """The result of carrying it out, after the resolution was published; the matter is DONE."""
    return _publish(actor, public_id, data, VillageStep.PUBLISH_RESULT)


def _publish(actor: Actor, public_id, data: StepInput, step: str) -> VillageMatterStep:
    with transaction.atomic():
        matter = _locked(actor, public_id)
        _expect(matter, step)
        held_on = _held_on(matter, data.held_on)
        _publication_problems(data, held_on, step)
        text = data.adopted_text.strip() or _resolution_text(matter)
        notice = notice_publish(actor=actor, data=_notice(matter, step, text, held_on, data.public_until))
        row = _step_row(
            actor,
            matter,
            step,
            StepResult.DONE,
            held_on,
            adopted_text=text,
            public_until=data.public_until,
            note=str(notice.public_id),
        )
        _advance(matter, step, MatterState.DONE if step == VillageStep.PUBLISH_RESULT else MatterState.OPEN)
        common.audit(actor, "matter_step", "consultation_village_matter", matter.public_id, matter.path, step=step)
    return row


def _publication_problems(data: StepInput, held_on: dt.date, step: str) -> None:
    problems = []
    earliest = held_on + dt.timedelta(days=PUBLICATION_MIN_DAYS)
    if data.public_until is None or data.public_until < earliest:
        problems.append(
            field_error(
                "public_until",
                f"公示期不少于 {PUBLICATION_MIN_DAYS} 天（至少到 {earliest:%Y-%m-%d}）",
                f"Keep it on the board at least {PUBLICATION_MIN_DAYS} days (until {earliest} or later)",
            )
        )
    if step == VillageStep.PUBLISH_RESULT and not data.adopted_text.strip():
        problems.append(field_error("adopted_text", "请填写实施结果", "Describe the result of carrying it out"))
    if problems:
        raise validation_failed(problems)


def _resolution_text(matter: VillageMatter) -> str:
    """The text as the villagers' (representatives') meeting adopted it, in this round."""
    row = matter.steps.filter(step=VillageStep.RESOLVE, round=matter.round, result=StepResult.PASSED).first()
    return row.adopted_text if row else matter.proposal


def _notice(matter: VillageMatter, step: str, text: str, held_on: dt.date, until: dt.date | None) -> NoticeInput:
    resolution = step == VillageStep.PUBLISH_RESOLUTION
    # the board's text is stored once, in Chinese (a notice is read by everyone, printed, and made
    # by a command or the demo as well as by a page in either language)
    title = f"{'决议公开' if resolution else '实施结果公开'}：{matter.title}"
    return NoticeInput(
        path=matter.path,
        kind=NoticeKind.VILLAGE_RESOLUTION if resolution else NoticeKind.VILLAGE_RESULT,
        title=title[:100],
        body=text,
        public_from=held_on,
        public_until=until,
        source_type="village_step",
        source_ref=str(matter.public_id),
    )


# ---- withdrawing -----------------------------------------------------------------------------------------


def matter_withdraw(*, actor: Actor, public_id, reason: str, confirmed: bool = True) -> VillageMatter:
    """The village withdraws a matter still in procedure (irreversible: a reason and a confirmation)."""
    problems = []
    if not reason.strip():
        problems.append(field_error("reason", "请填写撤回理由", "Give the reason for withdrawing"))
    if not confirmed:
        problems.append(field_error("confirmed", "请确认撤回", "Confirm the withdrawal"))
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        matter = _locked(actor, public_id)
        if matter.state not in LIVE:
            raise conflict(Msg("此事项已结束，不能撤回", "This matter is finished and cannot be withdrawn"))
        matter.state, matter.updated_at = MatterState.WITHDRAWN, timezone.now()
        matter.save(update_fields=["state", "updated_at"])
        common.audit(actor, "matter_withdraw", "consultation_village_matter", matter.public_id, matter.path, reason)
    return matter
