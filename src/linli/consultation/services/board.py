"""Writes of stage board: conventions and the public board. One transaction each, checked, audited.

`notice_publish` is the one way anything reaches a public board: the other stages call it inside
their own transaction (a published decision, a village resolution or result) with their source
named, the board's own form calls it for notices and finances."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from linli.accounts.domain import CONSULT_MANAGE
from linli.areas.selectors import org_unit_by_path
from linli.consultation.domain.board import (
    ADOPTING_CONSULTATION_STATES,
    ADOPTING_MATTER_STAGES,
    ADOPTING_MATTER_STATE,
    NOTICE_DEFAULT_DAYS,
    OPEN_VERSION_STATES,
    ConventionKind,
    NoticeKind,
    VersionState,
    kind_allowed,
)
from linli.consultation.models import BoardNotice, Consultation, Convention, ConventionVersion, VillageMatter
from linli.consultation.services.common import audit
from linli.core.actor import Actor
from linli.core.errors import FieldError, Msg, conflict, field_error, not_found, permission_denied, validation_failed

COMMUNITY_LEN = 12
TITLE_MAX = 100
REASON_MAX = 300
CANCELLED = "cancelled"  # a consultation's state that cannot carry a draft


@dataclass
class NoticeInput:
    path: str  # the community or village (12) whose board shows it
    kind: str
    title: str
    body: str
    public_from: dt.date | None = None  # today when blank
    public_until: dt.date | None = None  # open-ended when blank
    source_type: str = ""  # "decision", "village_step", "convention", … (what it publishes)
    source_ref: str = ""


def notice_publish(*, actor: Actor, data: NoticeInput) -> BoardNotice:
    """Put a notice on a community's public board (readable by anyone from `public_from`)."""
    _may_publish(actor, data.path)
    today = timezone.localdate()
    start = data.public_from or today
    problems = _notice_problems(data, start)
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        notice = BoardNotice.objects.create(
            path=data.path,
            kind=data.kind,
            title=data.title.strip(),
            body=data.body.strip(),
            source_type=data.source_type,
            source_ref=data.source_ref[:40],
            public_from=start,
            public_until=data.public_until,
            published_by_id=actor.user_id,
            published_by_name=actor.shown_name,
            published_at=timezone.now(),
        )
        audit(actor, "notice_publish", "consultation_notice", notice.public_id, data.path, kind=data.kind)
    return notice


def _may_publish(actor: Actor, path: str) -> None:
    if len(path) != COMMUNITY_LEN or not actor.sees_path(path):
        raise not_found("社区", "Community")
    if not actor.is_system and not actor.has_perm(CONSULT_MANAGE):
        raise permission_denied()


def _notice_problems(data: NoticeInput, start: dt.date) -> list[FieldError]:
    problems = []
    if data.kind not in NoticeKind.values:
        problems.append(field_error("kind", "请选择公开类别", "Choose what kind of notice this is"))
    if not data.title.strip():
        problems.append(field_error("title", "请填写标题", "A title is required"))
    elif len(data.title.strip()) > TITLE_MAX:
        problems.append(field_error("title", f"标题不超过 {TITLE_MAX} 字", f"At most {TITLE_MAX} characters"))
    if not data.body.strip():
        problems.append(field_error("body", "请填写公开内容", "The text is required"))
    if data.public_until is not None and data.public_until < start:
        problems.append(
            field_error("public_until", "公示截止日期不能早于起始日期", "The last day is before the first day")
        )
    return problems


def notice_withdraw(*, actor: Actor, notice: BoardNotice, reason: str) -> BoardNotice:
    """Take a notice off the board. It is kept, with the reason, for the record (and audited);
    a notice withdrawn already is refused, whoever got there first."""
    _may_publish(actor, notice.path)
    reason = reason.strip()
    if not reason:
        raise validation_failed([field_error("reason", "请填写撤下原因", "Say why it is taken down")])
    if len(reason) > REASON_MAX:
        raise validation_failed(
            [field_error("reason", f"原因不超过 {REASON_MAX} 字", f"At most {REASON_MAX} characters")]
        )
    with transaction.atomic():
        now = timezone.now()
        taken = BoardNotice.objects.filter(pk=notice.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=now, withdrawn_reason=reason
        )
        if not taken:
            raise conflict(Msg("该公开事项已撤下", "This notice was taken down already"))
        audit(actor, "notice_withdraw", "consultation_notice", notice.public_id, notice.path, reason=reason)
    notice.withdrawn_at, notice.withdrawn_reason = now, reason
    return notice


# ---------------------------------------------------------------- conventions


@dataclass
class ConventionInput:
    path: str  # the community or village (12)
    kind: str
    title: str
    text: str  # the first version's text
    adopted_on: dt.date | None = None  # given: a convention already in force before the platform
    note: str = ""  # how it was adopted then (required with `adopted_on`)


def convention_create(*, actor: Actor, data: ConventionInput) -> Convention:
    """A new convention with its first version: a draft to be consulted on, or — with the date
    and a note on how it was adopted — a convention already in force recorded as it stands."""
    _may_publish(actor, data.path)
    unit = org_unit_by_path(data.path)
    problems = _convention_problems(data, unit.kind if unit else "")
    if problems:
        raise validation_failed(problems)
    now = timezone.now()
    adopted = data.adopted_on is not None
    with transaction.atomic():
        convention = Convention.objects.create(path=data.path, kind=data.kind, title=data.title.strip(), created_at=now)
        version = ConventionVersion.objects.create(
            convention=convention,
            version=1,
            text=data.text.strip(),
            state=VersionState.ADOPTED if adopted else VersionState.DRAFT,
            adopted_on=data.adopted_on,
            note=data.note.strip()[:REASON_MAX],
            created_by_id=actor.user_id,
            created_at=now,
        )
        audit(actor, "convention_draft", "consultation_convention", convention.public_id, data.path, version=1)
        if adopted:
            audit(actor, "convention_adopt", "consultation_convention", convention.public_id, data.path, version=1)
            _publish_adopted(actor, convention, version)
    return convention


def _convention_problems(data: ConventionInput, unit_kind: str) -> list[FieldError]:
    problems = []
    if data.kind not in ConventionKind.values:
        problems.append(field_error("kind", "请选择公约类别", "Choose the kind of convention"))
    elif not kind_allowed(data.kind, unit_kind):
        problems.append(
            field_error(
                "kind",
                "村规民约只用于村，居民公约只用于社区",
                "Village rules are for villages, residents' conventions for communities",
            )
        )
    if not data.title.strip():
        problems.append(field_error("title", "请填写标题", "A title is required"))
    elif len(data.title.strip()) > TITLE_MAX:
        problems.append(field_error("title", f"标题不超过 {TITLE_MAX} 字", f"At most {TITLE_MAX} characters"))
    if not data.text.strip():
        problems.append(field_error("text", "请填写公约正文", "The text is required"))
    if data.adopted_on is not None:
        problems += _adoption_date_problems(data.adopted_on)
        if not data.note.strip():
            problems.append(
                field_error("note", "请说明当时如何通过（会议、日期）", "Say how it was adopted then (meeting, date)")
            )
    return problems


def _adoption_date_problems(day: dt.date) -> list[FieldError]:
    if day > timezone.localdate():
        return [field_error("adopted_on", "通过日期不能晚于今天", "The adoption date cannot be in the future")]
    return []


def _locked(actor: Actor, convention: Convention) -> Convention:
    """The convention's row locked (its versions change one writer at a time)."""
    _may_publish(actor, convention.path)
    return Convention.objects.select_for_update().get(pk=convention.pk)


def _open_version(convention: Convention) -> ConventionVersion | None:
    return convention.versions.filter(state__in=OPEN_VERSION_STATES).first()


def version_draft(*, actor: Actor, convention: Convention, text: str = "") -> ConventionVersion:
    """A new draft, from the text in force unless another is given. One draft at a time."""
    with transaction.atomic():
        locked = _locked(actor, convention)
        if _open_version(locked) is not None:
            raise conflict(Msg("已有一份修订稿在起草或协商中", "A draft is already being written or consulted on"))
        in_force = locked.versions.filter(state=VersionState.ADOPTED).first()
        body = text.strip() or (in_force.text if in_force else "")
        if not body:
            raise validation_failed([field_error("text", "请填写公约正文", "The text is required")])
        last = locked.versions.order_by("-version").values_list("version", flat=True).first() or 0
        version = ConventionVersion.objects.create(
            convention=locked,
            version=last + 1,
            text=body,
            created_by_id=actor.user_id,
            created_at=timezone.now(),
        )
        audit(actor, "convention_draft", "consultation_convention", locked.public_id, locked.path, version=last + 1)
    return version


def version_edit(*, actor: Actor, version: ConventionVersion, text: str) -> ConventionVersion:
    """Rewrite a draft not yet put to consultation (what residents are consulted on stays fixed)."""
    if not text.strip():
        raise validation_failed([field_error("text", "请填写公约正文", "The text is required")])
    with transaction.atomic():
        _locked(actor, version.convention)
        changed = ConventionVersion.objects.filter(pk=version.pk, state=VersionState.DRAFT).update(text=text.strip())
        if not changed:
            raise conflict(Msg("只有尚未协商的草稿可以修改", "Only a draft not yet consulted on can be edited"))
        audit(
            actor,
            "convention_draft",
            "consultation_convention",
            version.convention.public_id,
            version.convention.path,
            version=version.version,
            edited=True,
        )
    version.text = text.strip()
    return version


def version_consult(
    *,
    actor: Actor,
    version: ConventionVersion,
    consultation_id: UUID | str | None = None,
    matter_id: UUID | str | None = None,
) -> ConventionVersion:
    """Put a draft to consultation: link it to a consultation of the same community (not
    cancelled) or, for village rules, to a village major matter of the same village."""
    convention = version.convention
    consultation, matter = _link_targets(convention, consultation_id, matter_id)
    with transaction.atomic():
        _locked(actor, convention)
        changed = ConventionVersion.objects.filter(pk=version.pk, state=VersionState.DRAFT).update(
            state=VersionState.CONSULTING, consultation=consultation, matter=matter
        )
        if not changed:
            raise conflict(Msg("只有草稿可以提交协商", "Only a draft can be put to consultation"))
        audit(
            actor,
            "convention_draft",
            "consultation_convention",
            convention.public_id,
            convention.path,
            version=version.version,
            consulting=True,
        )
    version.state, version.consultation, version.matter = VersionState.CONSULTING, consultation, matter
    return version


def _link_targets(convention: Convention, consultation_id, matter_id):
    if consultation_id:
        consultation = _consultation_of(convention, consultation_id)
        return consultation, None
    if matter_id and convention.kind in (ConventionKind.VILLAGE, ConventionKind.CHARTER):
        return None, _matter_of(convention, matter_id)
    raise validation_failed([field_error("consultation", "请选择协商事项", "Choose the consultation")])


def _consultation_of(convention: Convention, consultation_id) -> Consultation:
    key = _uuid(consultation_id)
    found = Consultation.objects.filter(public_id=key, path=convention.path).first() if key else None
    if found is None or found.state == CANCELLED:
        raise validation_failed(
            [
                field_error(
                    "consultation", "请选择本社区未取消的协商", "Choose a consultation of this community, not cancelled"
                )
            ]
        )
    return found


def _matter_of(convention: Convention, matter_id) -> VillageMatter:
    key = _uuid(matter_id)
    found = VillageMatter.objects.filter(public_id=key, path=convention.path).first() if key else None
    if found is None:
        raise validation_failed(
            [field_error("matter", "请选择本村的重大事项", "Choose a major matter of this village")]
        )
    return found


def _uuid(value) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        return None


def version_adopt(*, actor: Actor, version: ConventionVersion, adopted_on: dt.date) -> ConventionVersion:
    """Adopt the draft consulted on: its consultation's decision is published (or, for village
    rules, its village matter's resolution is). The version in force is superseded in the same
    transaction; the constraint keeps one in force; a CONVENTION notice goes on the board."""
    problems = _adoption_date_problems(adopted_on)
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        convention = _locked(actor, version.convention)
        current = ConventionVersion.objects.select_for_update().get(pk=version.pk)
        if current.state != VersionState.CONSULTING:
            raise conflict(Msg("只有协商中的修订稿可以通过施行", "Only a draft under consultation can be adopted"))
        _require_decided(current)
        convention.versions.filter(state=VersionState.ADOPTED).update(state=VersionState.SUPERSEDED)
        current.state, current.adopted_on = VersionState.ADOPTED, adopted_on
        current.save(update_fields=["state", "adopted_on"])
        audit(
            actor,
            "convention_adopt",
            "consultation_convention",
            convention.public_id,
            convention.path,
            version=current.version,
            adopted_on=adopted_on.isoformat(),
        )
        _publish_adopted(actor, convention, current)
    return current


def _require_decided(version: ConventionVersion) -> None:
    if version.consultation_id is not None:
        state = Consultation.objects.filter(pk=version.consultation_id).values_list("state", flat=True).first()
        if state in ADOPTING_CONSULTATION_STATES:
            return
        raise conflict(
            Msg("协商尚未形成并公布决定，不能通过施行", "The consultation has not published its decision yet")
        )
    if version.matter_id is not None:
        matter = VillageMatter.objects.filter(pk=version.matter_id).values_list("state", "stage").first()
        if matter and (matter[0] == ADOPTING_MATTER_STATE or matter[1] in ADOPTING_MATTER_STAGES):
            return
        raise conflict(
            Msg("村级重大事项的决议尚未公开，不能通过施行", "The village matter's resolution is not published yet")
        )
    raise conflict(Msg("修订稿未关联协商", "The draft is not linked to a consultation"))


def _publish_adopted(actor: Actor, convention: Convention, version: ConventionVersion) -> None:
    """The adoption announced on the board for the default period; the text itself stays on the
    board among the conventions in force until a later version replaces it."""
    start = max(version.adopted_on or timezone.localdate(), timezone.localdate())
    # the earlier version's announcement comes down: the board never shows two texts in force
    BoardNotice.objects.filter(
        path=convention.path, source_type="convention", source_ref=str(convention.public_id), withdrawn_at=None
    ).filter(Q(public_until__isnull=True) | Q(public_until__gte=start)).update(
        public_until=start - dt.timedelta(days=1)
    )
    notice_publish(
        actor=actor,
        data=NoticeInput(
            path=convention.path,
            kind=NoticeKind.CONVENTION,
            title=convention.title[:TITLE_MAX],
            body=version.text,
            public_from=start,
            public_until=start + dt.timedelta(days=NOTICE_DEFAULT_DAYS),
            source_type="convention",
            source_ref=str(convention.public_id),
        ),
    )
