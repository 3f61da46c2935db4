"""Writes of stage board: conventions and the public board. One transaction each, checked, audited.

`notice_publish` is the one way anything reaches a public board: the other stages call it inside
their own transaction (a published decision, a village resolution or result) with their source
named, the board's own form calls it for notices and finances."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from linli.accounts.domain import CONSULT_MANAGE
from linli.consultation.domain.board import NoticeKind
from linli.consultation.models import BoardNotice
from linli.consultation.services.common import audit
from linli.core.actor import Actor
from linli.core.errors import FieldError, field_error, not_found, permission_denied, validation_failed

COMMUNITY_LEN = 12
TITLE_MAX = 100


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
