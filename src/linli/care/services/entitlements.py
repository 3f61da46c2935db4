"""Care services, stage entitlements: writes (one transaction, checks, audit).

The list: a new version starts as a draft copied from the one in force; only a draft's items are
edited; publishing is a conditional update (a draft published twice at once is published once)
and a published version is never edited again. Assessments: scored by the form as data, the
answers sealed, the elder's earlier current assessment superseded under a row lock."""

from __future__ import annotations

import json
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from linli.accounts.domain import CARE_MANAGE
from linli.care.domain.entitlements import (
    ItemValues,
    assessment_form,
    assessment_score,
    item_values_check,
    valid_until,
)
from linli.care.models import CareAssessment, ServiceItem, ServiceList
from linli.care.selectors.entitlements import list_in_force, may_edit_list
from linli.care.services.locks import elder_lock
from linli.core.actor import Actor
from linli.core.crypto import seal, unseal
from linli.core.dates import years_before
from linli.core.errors import Msg, conflict, field_error, not_found, permission_denied, validation_failed
from linli.core.services import audit_record
from linli.residents.domain import CareKind
from linli.residents.selectors import care_person

ANSWERS_CONTEXT = "care.assessment.answers"
NAME_MAX = 50
REASON_MAX = 200
ELDER_AGE = 60


def _audit(actor: Actor, action: str, object_type: str, object_id, path: str = "", reason: str = "", **details):
    audit_record(
        actor=actor,
        action=f"care.{action}",
        object_type=object_type,
        object_id=object_id,
        org_path=path,
        reason=reason[:REASON_MAX],
        details={k: str(v) for k, v in details.items()},
    )


def _editor(actor: Actor) -> None:
    if actor.user_id is None or not may_edit_list(actor):
        raise permission_denied()


def _locked_draft(service_list: ServiceList) -> ServiceList:
    """The list row locked for the write; a published version refuses every edit."""
    locked = ServiceList.objects.select_for_update().get(pk=service_list.pk)
    if locked.published_at is not None:
        raise conflict(
            Msg("已发布的清单不能修改，请起草新版本", "A published list is never edited; draft a new version")
        )
    return locked


# ================================================================ the list


def list_draft_new(*, actor: Actor) -> ServiceList:
    """A new version as a draft, a copy of the version in force today (or of the latest one).
    One draft at a time: finish or publish the open draft first."""
    _editor(actor)
    today = timezone.localdate()
    with transaction.atomic():
        # Two editors at once: the second waits on the latest version's row, then sees the first's
        # draft (the version's unique constraint covers the very first list, which has no row yet).
        ServiceList.objects.select_for_update().order_by("-version").values_list("pk", flat=True).first()
        if ServiceList.objects.filter(published_at__isnull=True).exists():
            raise conflict(Msg("已有一份草稿，请先完成并发布", "There is a draft already; finish and publish it first"))
        source = list_in_force(today) or ServiceList.objects.order_by("-version").first()
        version = (ServiceList.objects.aggregate(v=Max("version"))["v"] or 0) + 1
        try:
            with transaction.atomic():
                draft = ServiceList.objects.create(
                    version=version,
                    title=source.title if source else "基本养老服务清单",
                    note=f"复制自第 {source.version} 版" if source else "",
                )
        except IntegrityError as error:  # another editor drafted the same version at once
            raise conflict(
                Msg("已有一份草稿，请先完成并发布", "There is a draft already; finish and publish it first")
            ) from error
        if source is not None:
            ServiceItem.objects.bulk_create(
                ServiceItem(
                    service_list=draft,
                    **{f: getattr(item, f) for f in COPIED_FIELDS},
                )
                for item in source.items.all()
            )
        _audit(
            actor,
            "list.drafted",
            "care.servicelist",
            draft.public_id,
            version=version,
            copied=source.version if source else "",
        )
    return draft


COPIED_FIELDS = (
    "code",
    "name",
    "name_en",
    "category",
    "description",
    "description_en",
    "unit",
    "unit_en",
    "duration_minutes",
    "unit_price",
    "monthly_cap",
    "conditions",
    "own_cost_allowed",
    "needs_photo",
    "for_beds",
    "order",
)


def _item_fields(values: ItemValues) -> dict:
    return {
        "code": values.code,
        "name": values.name,
        "name_en": values.name_en,
        "category": values.category,
        "unit": values.unit,
        "unit_en": values.unit_en,
        "unit_price": values.unit_price,
        "duration_minutes": values.duration_minutes,
        "monthly_cap": values.monthly_cap,
        "conditions": list(values.conditions),
        "own_cost_allowed": values.own_cost_allowed,
        "needs_photo": values.needs_photo,
        "for_beds": values.for_beds,
    }


def list_item_save(*, actor: Actor, service_list: ServiceList, code: str, raw: dict) -> ServiceItem:
    """Save an item of a draft: `code` is the item's code before the edit ("" adds a new item).
    Every problem is named by its field; a code another item of the draft has is refused."""
    _editor(actor)
    problems, values = item_values_check(raw, care_kinds=frozenset(CareKind.values))
    if problems:
        raise validation_failed(problems)
    assert values is not None
    with transaction.atomic():
        draft = _locked_draft(service_list)
        items = draft.items.all()
        item = items.filter(code=code).first() if code else None
        if code and item is None:
            raise not_found("清单项目", "List item")
        others = items.exclude(pk=item.pk) if item is not None else items
        if others.filter(code=values.code).exists():
            raise validation_failed(
                [field_error("code", "本版清单已有此编码的项目", "Another item of this version has this code")]
            )
        fields = _item_fields(values)
        if item is None:
            item = ServiceItem.objects.create(
                service_list=draft, order=(items.aggregate(o=Max("order"))["o"] or 0) + 1, **fields
            )
        else:
            for name, value in fields.items():
                setattr(item, name, value)
            item.save()
        _audit(
            actor,
            "list.item_saved",
            "care.serviceitem",
            item.pk,
            version=draft.version,
            code=item.code,
            price=item.unit_price,
        )
    return item


def list_item_remove(*, actor: Actor, service_list: ServiceList, code: str) -> None:
    _editor(actor)
    with transaction.atomic():
        draft = _locked_draft(service_list)
        item = draft.items.filter(code=code).first()
        if item is None:
            raise not_found("清单项目", "List item")
        item.delete()
        _audit(actor, "list.item_removed", "care.serviceitem", code, version=draft.version, code=code)


def list_publish(
    *,
    actor: Actor,
    service_list: ServiceList,
    effective_from: date | None,
    document: str,
    reason: str,
    confirm_past: bool = False,
) -> ServiceList:
    """Publish a draft from a day, with the document that decided it and why. A day in the past
    asks for confirmation (orders already placed keep their terms); a day before the version in
    force would never come into force and is refused."""
    _editor(actor)
    today = timezone.localdate()
    document, reason = (document or "").strip(), (reason or "").strip()
    problems = []
    current = list_in_force(today)
    if effective_from is None:
        problems.append(field_error("effective_from", "请填写生效日期", "Give the day it comes into force"))
    elif current is not None and current.effective_from and effective_from < current.effective_from:
        problems.append(
            field_error(
                "effective_from",
                f"生效日期不能早于现行第 {current.version} 版的生效日期 {current.effective_from:%Y-%m-%d}",
                f"The day cannot be before {current.effective_from:%Y-%m-%d}, "
                f"when version {current.version} came into force",
            )
        )
    elif effective_from < today and not confirm_past:
        problems.append(
            field_error(
                "confirm_past",
                "生效日期早于今天：已下的订单按原清单结算，请确认后再发布",
                "The day is in the past: orders already placed keep their terms; confirm to publish",
            )
        )
    if not document or len(document) > 200:
        problems.append(
            field_error(
                "document", "请填写发文文号（不超过 200 字）", "Give the document number (up to 200 characters)"
            )
        )
    if not reason or len(reason) > REASON_MAX:
        problems.append(
            field_error("reason", "请填写发布理由（不超过 200 字）", "Give the reason (up to 200 characters)")
        )
    if problems:
        raise validation_failed(problems)
    assert effective_from is not None  # a missing day is one of the problems raised above
    with transaction.atomic():
        draft = _locked_draft(service_list)
        if not draft.items.exists():
            raise validation_failed([field_error("items", "清单没有项目，不能发布", "The list has no item to publish")])
        published = ServiceList.objects.filter(pk=draft.pk, published_at__isnull=True).update(
            effective_from=effective_from,
            document=document,
            published_at=timezone.now(),
            published_by_name=actor.shown_name,
        )
        if not published:
            raise conflict(Msg("该清单已发布", "This list is published already"))
        _audit(
            actor,
            "list.published",
            "care.servicelist",
            draft.public_id,
            reason=reason,
            version=draft.version,
            effective_from=effective_from,
            document=document,
            past_date=effective_from < today,
        )
    draft.refresh_from_db()
    return draft


# ================================================================ assessments


def assessment_record(
    *,
    actor: Actor,
    person_ref: str,
    answers: dict,
    assessed_on: date | None,
    second_assessor_name: str = "",
) -> CareAssessment:
    """Record an elder's capability assessment on the form in force: the score and level from the
    answers (every missing answer named), the answers sealed, valid for the form's months, and
    the elder's earlier current assessment superseded."""
    if (actor.user_id is None and not actor.is_system) or not actor.has_perm(CARE_MANAGE):
        raise permission_denied()
    person = care_person(actor=actor, public_id=person_ref)
    if person is None:
        raise not_found("老人", "Elder")
    today = timezone.localdate()
    form = assessment_form()
    problems, result = assessment_score(form, answers or {})
    if assessed_on is None:
        problems.append(field_error("assessed_on", "请填写评估日期", "Give the day of the assessment"))
    elif assessed_on > today:
        problems.append(field_error("assessed_on", "评估日期不能晚于今天", "The day cannot be in the future"))
    elif assessed_on < years_before(today, 1):
        problems.append(field_error("assessed_on", "评估日期不能早于一年前", "The day cannot be more than a year ago"))
    if person.age_on(today) < ELDER_AGE:
        problems.append(
            field_error("person", "能力评估只适用于 60 岁及以上老人", "Assessments are for people aged 60 and over")
        )
    second = (second_assessor_name or "").strip()
    if not second or len(second) > NAME_MAX:
        problems.append(
            field_error(
                "second_assessor_name",
                "请填写第二评估员姓名（不超过 50 字）",
                "Give the second assessor's name (up to 50 characters)",
            )
        )
    if problems:
        raise validation_failed(problems)
    assert result is not None and assessed_on is not None
    with transaction.atomic():
        elder_lock(person.public_id)
        earlier = list(CareAssessment.objects.filter(person_ref=person.public_id, superseded=False))
        CareAssessment.objects.filter(pk__in=[a.pk for a in earlier]).update(superseded=True)
        assessment = CareAssessment.objects.create(
            person_ref=person.public_id,
            household_ref=person.household_ref or None,
            path=person.path,
            form_code=form.code,
            answers_sealed=seal(json.dumps(result.answers, sort_keys=True), context=ANSWERS_CONTEXT),
            score=result.score,
            level=result.level,
            assessed_on=assessed_on,
            valid_until=valid_until(form, assessed_on),
            assessor_id=actor.user_id,
            assessor_name=actor.shown_name,
            second_assessor_name=second,
            created_at=timezone.now(),
        )
        _audit(
            actor,
            "assessment.recorded",
            "care.careassessment",
            assessment.public_id,
            path=person.path,
            level=result.level,
            score=result.score,
            superseded=len(earlier),
        )
    return assessment


def assessment_answers(*, actor: Actor, assessment: CareAssessment, reason: str) -> dict[str, int]:
    """The sealed answers of an assessment (health data): CARE_MANAGE in scope and a reason, audited."""
    if not actor.has_perm(CARE_MANAGE) or not actor.sees_path(assessment.path):
        raise permission_denied()
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise validation_failed(
            [
                field_error(
                    "reason", "请填写查看理由（不超过 200 字）", "Give the reason for reading (up to 200 characters)"
                )
            ]
        )
    answers = json.loads(unseal(assessment.answers_sealed, context=ANSWERS_CONTEXT))
    _audit(
        actor, "assessment.revealed", "care.careassessment", assessment.public_id, path=assessment.path, reason=reason
    )
    return answers
