"""Writes to the resident pool: households, residents, moves, care groups, visits, consent,
reveals and key rotation. Every write is scoped, validated, in one transaction and audited."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from faker import Faker

from linli.accounts.domain import (
    RESIDENTS_APPLICANT_LOOKUP,
    RESIDENTS_EDIT,
    RESIDENTS_VISIT,
    WELFARE_DECIDE,
    WELFARE_INTAKE,
    WELFARE_REVIEW,
)
from linli.areas.selectors import building_list, city_unit
from linli.core.actor import Actor
from linli.core.crypto import blind_index, mask_id_number, mask_phone, seal, sealed_key_id, unseal
from linli.core.errors import DomainError, FieldError, Msg, conflict, not_found, permission_denied, validation_failed
from linli.core.ids import uuid_or_none
from linli.core.services import audit_record
from linli.residents.domain import (
    DETERMINED_CARE_KINDS,
    MOVE_STATUS,
    REVEAL_ROLES,
    SEALED_FIELDS,
    CareKind,
    ConsentScope,
    Disability,
    Gender,
    MoveKind,
    Relation,
    ResidenceType,
    ResidentStatus,
    age_on,
    exact_number_kind,
    id_number_make,
    id_number_normalise,
    id_number_problem,
    phone_problem,
)
from linli.residents.models import (
    CareMembership,
    CommunityPoolStats,
    Consent,
    HomeVisit,
    Household,
    ResidenceChange,
    Resident,
    RevealRight,
)
from linli.residents.selectors import (
    FIGURES,
    ApplicantCard,
    applicant_card,
    applicant_find,
    can_edit_reveal_rights,
    pool_figures_by_community,
    reveal_rights,
    revealable_for,
)

# --- households and residents -------------------------------------------------------------


def _audit_resident(
    actor: Actor, action: str, resident: Resident, details: dict | None = None, reason: str = ""
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="resident",
        object_id=resident.public_id,
        org_path=resident.path,
        details=details,
        reason=reason,
    )


def _require(actor: Actor, permission: str, path: str) -> None:
    """Fail closed: outside the scope is "not found", inside without the right is "denied"."""
    if not actor.sees_path(path):
        raise not_found()
    if not actor.has_perm(permission):
        raise permission_denied()


@transaction.atomic
def household_register(*, actor: Actor, building_code: str, room: str, residence_type: str) -> Household:
    building = building_list(actor=actor).filter(code=building_code).first()
    if building is None:
        raise not_found("楼院", "Building")
    _require(actor, RESIDENTS_EDIT, building.path)
    problems = []
    room = room.strip()
    if not room or len(room) > 20:
        problems.append(FieldError("room", Msg("房号必填，最多 20 个字符", "Room is required, at most 20 characters")))
    if residence_type not in ResidenceType.values:
        problems.append(FieldError("residence_type", Msg("居住类型无效", "Unknown residence type")))
    if problems:
        raise validation_failed(problems)
    try:  # the unique (building, room) constraint decides, so two clerks at once cannot both register it
        with transaction.atomic():
            household = Household.objects.create(
                building=building, room=room, residence_type=residence_type, path=building.path
            )
    except IntegrityError:
        raise conflict(
            Msg(f"{building.name}{room} 已登记为一户", f"{building.name} {room} is already a household")
        ) from None
    audit_record(
        actor=actor,
        action="household.register",
        object_type="household",
        object_id=household.public_id,
        org_path=household.path,
    )
    return household


@dataclass
class ResidentInput:
    """A person as a form, an API body or an import row gives it."""

    name: str
    gender: str
    birth_date: date | None
    id_number: str
    phone: str = ""
    ethnicity: str = ""
    relation: str = Relation.SELF
    party_member: bool = False
    education: str = ""
    employment: str = ""
    disability: str = ""
    notes: str = ""
    sensitive_consent: str = ""  # ConsentMethod when disability/health data is collected


# Choices' `.values` is rebuilt on every access; an import checks millions of rows.
GENDERS, RELATIONS, DISABILITIES = frozenset(Gender.values), frozenset(Relation.values), frozenset(Disability.values)


def resident_input_problems(data: ResidentInput) -> list[FieldError]:
    """Every reason the input cannot be stored, field by field (no database access)."""
    problems: list[FieldError] = []

    def add(field_name: str, zh: str, en: str) -> None:
        problems.append(FieldError(field_name, Msg(zh, en)))

    if not data.name.strip() or len(data.name) > 50:
        add("name", "姓名必填，最多 50 个字符", "Name is required, at most 50 characters")
    if data.gender not in GENDERS:
        add("gender", "性别应为 male 或 female", "Gender must be male or female")
    if data.birth_date is None:
        add("birth_date", "出生日期必填", "Birth date is required")
    if not data.id_number.strip():
        add("id_number", "身份证号必填", "ID number is required")
    else:
        problem = id_number_problem(data.id_number, data.birth_date, data.gender if data.gender in GENDERS else "")
        if problem:
            add("id_number", *problem)
    if data.phone and (problem := phone_problem(data.phone)):
        add("phone", *problem)
    if data.relation not in RELATIONS:
        add("relation", "与户主关系无效", "Unknown relation to the head")
    if data.disability not in DISABILITIES:
        add("disability", "残疾等级应为 1–4 或留空", "Disability level must be 1–4 or empty")
    if data.disability and not data.sensitive_consent:
        add(
            "sensitive_consent",
            "采集残疾信息须先取得本人单独同意",
            "Disability data needs the person's separate consent",
        )
    if len(data.notes) > 2000:
        add("notes", "备注最多 2000 个字符", "Notes are at most 2000 characters")
    return problems


def resident_plain_values(data: ResidentInput) -> dict:
    """The unsealed columns of a resident as the input gives them (also what an import compares)."""
    return {
        "name": data.name.strip(),
        "gender": data.gender,
        "birth_date": data.birth_date,
        "ethnicity": data.ethnicity.strip()[:20],
        "relation": data.relation,
        "is_head": data.relation == Relation.SELF,
        "party_member": data.party_member,
        "education": data.education,
        "employment": data.employment,
        "disability": data.disability,
    }


def resident_stored_values(data: ResidentInput) -> dict:
    return {
        **resident_plain_values(data),
        "notes_sealed": seal(data.notes.strip(), context="resident.notes"),
        **sealed_identity(data.id_number, data.phone),
    }


@transaction.atomic
def resident_add(
    *, actor: Actor, household: Household, data: ResidentInput, moved_in_on: date | None = None
) -> Resident:
    """Add a person to a household: validated, sealed, one active record per ID number, the
    move-in on the timeline, consent recorded when sensitive data is collected."""
    _require(actor, RESIDENTS_EDIT, household.path)
    problems = resident_input_problems(data)
    if problems:
        raise validation_failed(problems)
    values = resident_stored_values(data)
    try:
        with transaction.atomic():
            resident = Resident.objects.create(household=household, path=household.path, **values)
    except IntegrityError:
        raise validation_failed(
            [FieldError("id_number", Msg("此身份证号已登记在其他住户中", "This ID number is already registered"))]
        ) from None
    on = moved_in_on or timezone.localdate()
    ResidenceChange.objects.create(
        resident=resident,
        kind=MoveKind.MOVE_IN,
        household=household,
        on=on,
        path=household.path,
        recorded_by=actor.username,
    )
    # the head is whoever is "本人", else the first member; decided on the row, not on the
    # caller's possibly stale copy of the household
    heads = Household.objects.filter(pk=household.pk)
    (heads if resident.is_head else heads.filter(head__isnull=True)).update(head=resident)
    household.refresh_from_db(fields=["head"])
    if data.disability:
        Consent.objects.create(
            resident=resident,
            scope=ConsentScope.DISABILITY,
            method=data.sensitive_consent,
            given_on=on,
            recorded_by=actor.username,
        )
    _audit_resident(actor, "resident.add", resident)
    return resident


@transaction.atomic
def resident_move(
    *, actor: Actor, resident: Resident, kind: str, on: date, to_household: Household | None = None, reason: str = ""
) -> Resident:
    """Record a move-in (to `to_household`), move-out, death or deregistration. The last three end
    the person's active record, so they need a reason, kept on the record and in the audit log."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    _require(actor, RESIDENTS_EDIT, resident.path)
    if kind not in MoveKind.values:
        raise validation_failed([FieldError("kind", Msg("迁移类型无效", "Unknown kind of move"))])
    reason = reason.strip()
    if kind != MoveKind.MOVE_IN and len(reason) < 2:
        why = Msg(
            "请写明原因（如迁往何处、死亡证明编号）", "Give the reason (e.g. moved where, death certificate number)"
        )
        raise validation_failed([FieldError("reason", why)])
    if kind == MoveKind.MOVE_IN:
        if to_household is None:
            raise validation_failed([FieldError("household", Msg("迁入须指定住户", "A move-in needs a household"))])
        _require(actor, RESIDENTS_EDIT, to_household.path)
    elif resident.status != ResidentStatus.ACTIVE:
        raise conflict(Msg("此居民已不在本地居住", "This resident no longer lives here"))
    old_household = resident.household
    resident.status = MOVE_STATUS[MoveKind(kind)]
    resident.household = to_household if kind == MoveKind.MOVE_IN else None
    resident.path = to_household.path if kind == MoveKind.MOVE_IN and to_household else resident.path
    try:
        with transaction.atomic():
            resident.save(update_fields=["status", "household", "path", "updated_at"])
    except IntegrityError:
        raise conflict(Msg("此身份证号已有在住记录", "Another active record has this ID number")) from None
    if old_household is not None and old_household.head_id == resident.pk and kind != MoveKind.MOVE_IN:
        Household.objects.filter(pk=old_household.pk).update(head=None)
    ResidenceChange.objects.create(
        resident=resident,
        kind=kind,
        household=to_household or old_household,
        on=on,
        path=resident.path,
        recorded_by=actor.username,
        reason=reason[:200],
    )
    _audit_resident(actor, f"resident.{kind}", resident, reason=reason)
    return resident


@transaction.atomic
def _care_edit_check(actor: Actor, resident: Resident, kind: str, determined: bool) -> None:
    """The 低保/特困 groups follow from social assistance's determinations (`determined=True`,
    passed only by `welfare` with an officer who may decide or review assistance there); every
    other group is edited by hand by staff who may edit the pool."""
    if kind in DETERMINED_CARE_KINDS and not determined:
        raise validation_failed(
            [
                FieldError(
                    "kind",
                    Msg(
                        "低保、特困群体由社会救助的认定结果决定，不能手工添加或移除",
                        "The dibao and tekun groups follow from social assistance's determinations; "
                        "they cannot be added or ended by hand",
                    ),
                )
            ]
        )
    if determined:
        if kind not in DETERMINED_CARE_KINDS or not actor.sees_path(resident.path):
            raise permission_denied()
        if not any(actor.has_perm(p) for p in (WELFARE_DECIDE, WELFARE_REVIEW, WELFARE_INTAKE)):
            raise permission_denied()
    else:
        _require(actor, RESIDENTS_EDIT, resident.path)


def care_membership_add(
    *,
    actor: Actor,
    resident: Resident,
    kind: str,
    started_on: date,
    source: str = "",
    consent_method: str = "",
    determined: bool = False,
) -> CareMembership:
    if kind not in CareKind.values:
        raise validation_failed([FieldError("kind", Msg("特殊群体类别无效", "Unknown care group"))])
    _care_edit_check(actor, resident, kind, determined)
    needs_consent = (
        kind == CareKind.DISABLED
        and not resident.consents.filter(scope=ConsentScope.DISABILITY, withdrawn_on__isnull=True).exists()
    )
    if needs_consent and not consent_method:
        raise validation_failed(
            [
                FieldError(
                    "consent_method",
                    Msg("残疾人群体信息须先取得本人单独同意", "Disability membership needs the person's consent"),
                )
            ]
        )
    if needs_consent:
        Consent.objects.create(
            resident=resident,
            scope=ConsentScope.DISABILITY,
            method=consent_method,
            given_on=started_on,
            recorded_by=actor.username,
        )
    try:
        with transaction.atomic():
            membership = CareMembership.objects.create(
                resident=resident, kind=kind, started_on=started_on, source=source[:100], path=resident.path
            )
    except IntegrityError:
        raise conflict(Msg("此居民已在该群体中", "The resident is already in this group")) from None
    _audit_resident(actor, "care.add", resident, {"kind": kind})
    return membership


@transaction.atomic
def care_membership_end(
    *, actor: Actor, resident: Resident, kind: str, ended_on: date, determined: bool = False
) -> int:
    _care_edit_check(actor, resident, kind, determined)
    ended = CareMembership.objects.filter(resident=resident, kind=kind, ended_on__isnull=True).update(ended_on=ended_on)
    if ended:
        _audit_resident(actor, "care.end", resident, {"kind": kind})
    return ended


def care_membership_determined(
    *, actor: Actor, resident_refs: list[str], kind: str, on: date, member: bool, source: str = ""
) -> int:
    """Social assistance's determination sets (`member=True`) or ends the 低保/特困 group of the
    household members it names by public id (the pool's people; outsiders are skipped). Returns
    how many memberships were added or ended. One transaction with the caller's."""
    changed = 0
    with transaction.atomic():
        refs = [ref for ref in (uuid_or_none(r) for r in resident_refs) if ref is not None]
        for resident in Resident.objects.filter(public_id__in=refs).order_by("pk"):
            if member:
                if CareMembership.objects.filter(resident=resident, kind=kind, ended_on__isnull=True).exists():
                    _care_edit_check(actor, resident, kind, True)
                    continue
                care_membership_add(
                    actor=actor, resident=resident, kind=kind, started_on=on, source=source, determined=True
                )
                changed += 1
            else:
                changed += care_membership_end(actor=actor, resident=resident, kind=kind, ended_on=on, determined=True)
    return changed


# Where a follow-up goes once the grid-event or service-desk app exists: they register a callable
# here (household visit → their object's reference). Empty until then; the flag is kept.
FOLLOW_UP_HANDLERS: list[Callable[[HomeVisit, Actor], str]] = []


@transaction.atomic
def home_visit_record(
    *,
    actor: Actor,
    household: Household,
    visited_at: datetime | None = None,
    findings: str = "",
    follow_up_needed: bool = False,
) -> HomeVisit:
    _require(actor, RESIDENTS_VISIT, household.path)
    visited_at = visited_at or timezone.now()
    if visited_at > timezone.now() + timedelta(minutes=5):
        raise validation_failed(
            [FieldError("visited_at", Msg("走访时间不能晚于现在", "A visit cannot be in the future"))]
        )
    if len(findings) > 4000:
        raise validation_failed(
            [FieldError("findings", Msg("走访情况最多 4000 字", "Findings are at most 4,000 characters"))]
        )
    if actor.user_id is None:  # a visit is made by a person
        raise permission_denied()
    visit = HomeVisit.objects.create(
        household=household,
        visitor_id=actor.user_id,
        visited_at=visited_at,
        follow_up_needed=follow_up_needed,
        findings_sealed=seal(findings.strip(), context="visit.findings"),
        path=household.path,
    )
    for handler in FOLLOW_UP_HANDLERS if follow_up_needed else []:
        visit.follow_up_ref = handler(visit, actor)
        visit.save(update_fields=["follow_up_ref"])
    audit_record(
        actor=actor,
        action="visit.record",
        object_type="household",
        object_id=household.public_id,
        org_path=household.path,
    )
    return visit


def resident_reveal(*, actor: Actor, resident: Resident, field_name: str, reason: str) -> str:
    """The plaintext of one sealed field of one resident, for a role with the need and a reason;
    every reveal is audited (who, whom, which field, why, from where)."""
    if not actor.sees_path(resident.path):
        raise not_found("居民", "Resident")
    if field_name not in revealable_for(actor):
        raise permission_denied()
    reason = reason.strip()
    if len(reason) < 2:
        raise validation_failed([FieldError("reason", Msg("请填写查看原因", "Give the reason for viewing"))])
    _audit_resident(actor, "resident.reveal", resident, {"field": field_name}, reason)
    return unseal(getattr(resident, f"{field_name}_sealed"), context=f"resident.{field_name}")


@dataclass(frozen=True)
class RevealRightsChange:
    granted: frozenset[tuple[str, str]]
    revoked: frozenset[tuple[str, str]]


def _right_codes(rights) -> list[str]:
    return sorted(f"{role}:{field_name}" for role, field_name in rights)


def reveal_rights_set(
    *, actor: Actor, rights: set[tuple[str, str]], reason: str, seen: frozenset[tuple[str, str]] | None = None
) -> RevealRightsChange:
    """Replace the reveal-rights table with `rights` (the whole matrix as the city wants it), for
    the city's administrator, with a reason; one audit line names who, before, after and why.

    A right may only go to a role holding `residents.reveal` (the permission behind the log-in's
    second factor) and to a sealed field. `seen` is the table as the editor's page showed it:
    when someone else changed it meanwhile the edit is refused (409) instead of silently undoing
    theirs. An edit that changes nothing writes nothing."""
    if not can_edit_reveal_rights(actor):
        raise permission_denied()
    problems = []
    if any(role not in REVEAL_ROLES or field_name not in SEALED_FIELDS for role, field_name in rights):
        problems.append(
            FieldError(
                "rights",
                Msg(
                    "只能授予持有查看敏感信息权限的角色查看身份证号、电话或备注",
                    "Only roles holding the reveal permission may be given the ID number, phone or notes",
                ),
            )
        )
    reason = reason.strip()
    if len(reason) < 2:
        problems.append(FieldError("reason", Msg("请填写修改原因", "Give the reason for the change")))
    if problems:
        raise validation_failed(problems)
    wanted = frozenset(rights)
    with transaction.atomic():
        # lock the current rows so that two editors at once take turns (on PostgreSQL)
        before = frozenset(RevealRight.objects.select_for_update().values_list("role", "field_name"))
        if seen is not None and frozenset(seen) != before:
            raise conflict(
                Msg(
                    "查看权限已被他人修改，请刷新后重新编辑",
                    "The reveal rights were changed meanwhile; reload and edit again",
                )
            )
        change = RevealRightsChange(granted=wanted - before, revoked=before - wanted)
        if not change.granted and not change.revoked:
            return change
        for role, field_name in change.revoked:
            RevealRight.objects.filter(role=role, field_name=field_name).delete()
        RevealRight.objects.bulk_create(
            [RevealRight(role=role, field_name=field_name) for role, field_name in change.granted],
            ignore_conflicts=True,
        )
        audit_record(
            actor=actor,
            action="reveal_rights.change",
            object_type="reveal_rights",
            org_path=min(actor.scope_paths, key=len, default=""),
            reason=reason,
            details={
                "before": _right_codes(before),
                "after": _right_codes(reveal_rights()),
                "granted": _right_codes(change.granted),
                "revoked": _right_codes(change.revoked),
            },
        )
    return change


def resident_search_audit(*, actor: Actor, q: str, found: list) -> None:
    """An exact search by ID or phone number is a look-up of a person: write who looked, for
    which (masked) number and whom it found. Name and address searches are not logged."""
    kind = exact_number_kind(q)
    if not kind:
        return
    if kind == "id_number":
        masked = mask_id_number(id_number_normalise(q))
    else:
        masked = mask_phone(q.replace("-", "").replace(" ", ""))
    audit_record(
        actor=actor,
        action="resident.search_exact",
        object_type="resident",
        object_id=found[0].public_id if len(found) == 1 else "",
        org_path=found[0].path if len(found) == 1 else "",
        details={"by": kind, "masked": masked, "found": len(found)},
    )


def applicant_lookup(*, actor: Actor, id_number: str, purpose: str) -> ApplicantCard:
    """Find an applicant anywhere in the city by exact ID number for the service desk (全市通办):
    any community's window serves any resident. Exact match only (no browsing), masked card only,
    and every lookup is audited with its purpose."""
    if not actor.has_perm(RESIDENTS_APPLICANT_LOOKUP) or not actor.scope_paths:
        raise permission_denied()
    problem = id_number_problem(id_number)
    if problem:
        raise validation_failed([FieldError("id_number", Msg(*problem))])
    resident = applicant_find(id_number)
    if resident is None:
        raise DomainError(
            Msg(
                "本市常住人口信息池中没有此身份证号的居民，请先到居住地社区登记",
                "No resident of this city has that ID number; register at the home community first",
            ),
            code="applicant_not_found",
            fields=[FieldError("id_number", Msg("未找到该居民", "No such resident"))],
            status=404,
        )
    _audit_resident(actor, "resident.applicant_lookup", resident, {"purpose": purpose[:80]}, purpose)
    return applicant_card(resident)


def applicant_from_pool(*, actor: Actor, resident: Resident, purpose: str) -> ApplicantCard:
    """Start a desk case from a person's page: the staff member already sees the person (the
    page is scoped), so no ID number is typed; the look-up is audited like one at the window."""
    if not actor.has_perm(RESIDENTS_APPLICANT_LOOKUP) or not actor.sees_path(resident.path):
        raise permission_denied()
    if resident.status != ResidentStatus.ACTIVE:
        raise conflict(Msg("此居民已不在本地居住，不能为其受理", "This resident no longer lives here"))
    _audit_resident(actor, "resident.applicant_lookup", resident, {"purpose": purpose[:80]}, purpose)
    return applicant_card(resident)


# --- stored figures ---------------------------------------------------------------------------


@transaction.atomic
def pool_stats_refresh() -> str:
    """Periodic job: recompute every community's pool figures (a few GROUP BY scans) and store
    them, so that street, district and city rates are sums of stored rows. Skipped while the
    stored figures are younger than LINLI_POOL_STATS_MINUTES."""
    now = timezone.now()
    newest = CommunityPoolStats.objects.aggregate(newest=models.Max("computed_at"))["newest"]
    if newest and now - newest < timedelta(minutes=settings.LINLI_POOL_STATS_MINUTES):
        return f"pool figures are fresh (computed {newest:%H:%M})"
    city = city_unit()
    figures = pool_figures_by_community(path=city.path, now=now) if city else {}
    CommunityPoolStats.objects.all().delete()  # replaced whole, inside this transaction
    rows = [
        CommunityPoolStats(path=path, computed_at=now, **{name: getattr(f, name) for name in FIGURES})
        for path, f in figures.items()
    ]
    CommunityPoolStats.objects.bulk_create(rows, batch_size=1000)
    return f"pool figures for {len(rows)} communities"


# --- data-key rotation ----------------------------------------------------------------------

SEALED_COLUMNS = {
    Resident: ("id_number_sealed", "phone_sealed", "notes_sealed"),
    HomeVisit: ("findings_sealed",),
}


def _context(model, column: str) -> str:
    return ("visit." if model is HomeVisit else "resident.") + column.removesuffix("_sealed")


def data_key_rotate(*, batch_size: int = 1000, log: Callable[[str], None] = lambda _: None) -> int:
    """Re-seal every value not under the current key, batch by batch, each batch its own short
    transaction. A row changed meanwhile is skipped by the compare-and-set update and picked up
    by the next run, so the service keeps running while this works. Returns rows re-sealed."""
    current = settings.LINLI_DATA_KEY_ID
    done = 0
    for model, columns in SEALED_COLUMNS.items():
        last_pk = 0
        while True:
            rows = list(
                model._default_manager.filter(pk__gt=last_pk).order_by("pk").values("pk", *columns)[:batch_size]
            )
            if not rows:
                break
            last_pk = rows[-1]["pk"]
            with transaction.atomic():
                for row in rows:
                    stale = {c: row[c] for c in columns if row[c] and sealed_key_id(row[c]) != current}
                    if stale:
                        fresh = {
                            c: seal(unseal(v, context=_context(model, c)), context=_context(model, c))
                            for c, v in stale.items()
                        }
                        done += model._default_manager.filter(pk=row["pk"], **stale).update(**fresh)
            log(f"{model.__name__}: up to id {last_pk}, re-sealed {done}")
    return done


# --- demo population ------------------------------------------------------------------------

# Relative sizes of the county-level units (registered population, 2018; see shared reference).
DISTRICT_WEIGHT = {
    "和平区": 714,
    "沈河区": 713,
    "大东区": 648,
    "皇姑区": 836,
    "铁西区": 935,
    "苏家屯区": 424,
    "浑南区": 398,
    "沈北新区": 327,
    "于洪区": 472,
    "辽中区": 515,
    "康平县": 342,
    "法库县": 439,
    "新民市": 667,
}
HOUSEHOLD_SIZES = (1, 2, 2, 2, 3, 3, 4)  # mean ≈ 2.4, close to the census 2.18 plus collective


def sealed_identity(id_number: str, phone: str) -> dict[str, str]:
    """The stored form of an ID number and phone: ciphertext, blind index, display mask."""
    id_number, phone = id_number_normalise(id_number), phone.replace("-", "").replace(" ", "")
    return {
        "id_number_sealed": seal(id_number, context="resident.id_number"),
        "id_number_index": blind_index(id_number, context="resident.id_number"),
        "id_number_masked": mask_id_number(id_number),
        "phone_sealed": seal(phone, context="resident.phone"),
        "phone_index": blind_index(phone, context="resident.phone"),
        "phone_masked": mask_phone(phone),
    }


@transaction.atomic
def demo_population_generate(
    *, actor: Actor, residents: int, seed: int = 20261125, focus_path: str = "", focus_share: float = 0.1
) -> int:
    """Add synthetic households and residents until the pool holds `residents` people.

    Names and phones from Faker zh_CN; ID numbers valid (GB 11643) with the district's area code
    and the resident's birth date. Deterministic for a seed and idempotent: an existing pool of
    the requested size is left alone. `focus_share` of the people live under `focus_path` (the
    demo accounts' area), so a small demo still shows them a populated neighbourhood.
    """
    missing = residents - Resident.objects.count()
    if missing <= 0:
        return 0
    rng = random.Random(seed + Resident.objects.count())
    fake = Faker("zh_CN")
    fake.seed_instance(seed + missing)
    buildings = list(building_list(actor=actor).select_related("grid__community__parent__parent"))
    weights: list[float] = [DISTRICT_WEIGHT.get(_district_name(b), 400) for b in buildings]
    if focus_path:
        weights = _focused(weights, [b.path.startswith(focus_path) for b in buildings], focus_share)
    used_rooms = set(Household.objects.values_list("building_id", "room"))
    used_ids = set(Resident.objects.exclude(id_number_index="").values_list("id_number_index", flat=True))
    created = 0
    today = date.today()
    while created < missing:
        chunk = min(2000, missing - created)
        households, people = _households_chunk(rng, fake, buildings, weights, used_rooms, used_ids, chunk, today)
        Household.objects.bulk_create(households, batch_size=1000)
        for resident in people:
            resident.household_id = resident.household.pk
        Resident.objects.bulk_create(people, batch_size=1000)
        created += len(people)
    audit_record(actor=actor, action="demo.population", details={"residents": created})
    return created


def _district_name(building) -> str:
    street = building.grid.community.parent
    district = street.parent if street else None
    return district.name if district else ""


def _focused(weights: list[float], in_focus: list[bool], share: float) -> list[float]:
    """Scale the weights inside the focus area so that it draws `share` of all people."""
    focus = sum(w for w, f in zip(weights, in_focus, strict=True) if f)
    rest = sum(weights) - focus
    if not focus or not rest:
        return weights
    factor = share * rest / ((1 - share) * focus)
    return [w * factor if f else w for w, f in zip(weights, in_focus, strict=True)]


def _households_chunk(rng, fake, buildings, weights, used_rooms, used_ids, size, today):
    households: list[Household] = []
    people: list[Resident] = []
    while len(people) < size:
        building = rng.choices(buildings, weights)[0]
        # unit-floor+door, e.g. 2-1103; 99 doors a floor leaves room even in one-storey courtyards
        room = f"{rng.randint(1, 6)}-{rng.randint(1, building.floors or 1)}{rng.randint(1, 99):02d}"
        if (building.pk, room) in used_rooms:
            continue
        used_rooms.add((building.pk, room))
        household = Household(
            building=building,
            room=room,
            path=building.path,
            residence_type=rng.choices(list(ResidenceType), (70, 20, 10))[0],
        )
        households.append(household)
        for position in range(min(rng.choice(HOUSEHOLD_SIZES), size - len(people))):
            people.append(_person(rng, fake, household, building, position == 0, today, used_ids))
    return households, people


# Shenyang's registered population by age (2023 bulletin): 0–17 13.7 %, 18–34 15.7 %,
# 35–59 41.3 %, 60+ 29.4 % — so a demo community looks like a real one.
AGE_BANDS = ((0, 17, 137), (18, 34, 157), (35, 59, 413), (60, 95, 294))


def _age(rng: random.Random, is_head: bool) -> int:
    low, high, _ = rng.choices(AGE_BANDS, [w for *_, w in AGE_BANDS])[0]
    return rng.randint(max(low, 25), high) if is_head and high >= 25 else rng.randint(low, high)


def _person(rng, fake, household, building, is_head, today, used_ids: set[str]) -> Resident:
    gender = rng.choice(list(Gender))
    age = _age(rng, is_head)
    birth = today - timedelta(days=age * 365 + rng.randint(0, 364))
    sequence = rng.randint(0, 999)
    id_number = id_number_make(building.path[:6], birth, sequence, gender)
    while blind_index(id_number, context="resident.id_number") in used_ids:  # two people, one number: next one
        sequence += 2
        id_number = id_number_make(building.path[:6], birth, sequence, gender)
    used_ids.add(blind_index(id_number, context="resident.id_number"))
    name = fake.name_male() if gender == Gender.MALE else fake.name_female()
    return Resident(
        household=household,
        name=name,
        gender=gender,
        birth_date=birth,
        is_head=is_head,
        relation=Relation.SELF if is_head else rng.choice([Relation.SPOUSE, Relation.CHILD, Relation.PARENT]),
        party_member=rng.random() < 0.08,
        ethnicity=rng.choices(["汉族", "满族", "朝鲜族", "回族", "蒙古族"], [90, 6, 2, 1, 1])[0],
        path=building.path,
        **sealed_identity(id_number, fake.phone_number()),
    )


@transaction.atomic
def demo_activity_generate(*, visitor_id: int, seed: int = 20261125) -> tuple[int, int]:
    """Care groups and visits for the demo pool, once: elderly living alone, 80+, a few percent
    dibao, disabled and veterans; visits spread over the past 15 months, more often to care
    households, so the awareness rates land between 0 % and 100 % as in real life."""
    if CareMembership.objects.exists():
        return 0, 0
    rng = random.Random(seed)
    today = timezone.localdate()
    memberships, care_households = [], set()
    sizes = dict(Household.objects.annotate(n=models.Count("members")).values_list("pk", "n"))
    for resident in Resident.objects.filter(status=ResidentStatus.ACTIVE).only(
        "pk", "household_id", "birth_date", "path"
    ):
        size = sizes.get(resident.household_id, 0) if resident.household_id else 0
        for kind in _demo_kinds(rng, age_on(resident.birth_date, today), size):
            memberships.append(
                CareMembership(
                    resident=resident,
                    kind=kind,
                    path=resident.path,
                    source="演示数据",
                    started_on=today - timedelta(days=rng.randint(30, 900)),
                )
            )
            care_households.add(resident.household_id)
    CareMembership.objects.bulk_create(memberships, batch_size=2000)
    visits = []
    now = timezone.now()
    for household_id, path in Household.objects.values_list("pk", "path"):
        in_care = household_id in care_households
        if rng.random() > (0.97 if in_care else 0.85):
            continue
        for _ in range(rng.randint(1, 4) if in_care else 1):
            days_ago = rng.randint(0, 40) if in_care else rng.randint(0, 450)
            visits.append(
                HomeVisit(
                    household_id=household_id,
                    visitor_id=visitor_id,
                    path=path,
                    visited_at=now - timedelta(days=days_ago, minutes=rng.randint(0, 600)),
                )
            )
    HomeVisit.objects.bulk_create(visits, batch_size=2000)
    return len(memberships), len(visits)


def _demo_kinds(rng: random.Random, age: int, household_size: int) -> list[str]:
    kinds: list[str] = []
    if age >= 60 and household_size == 1:
        kinds.append(CareKind.ELDERLY_ALONE)
    if age >= 80:
        kinds.append(CareKind.ADVANCED_AGE)
    # 低保 and 特困 are not drawn here: they follow social assistance's roll (its demo enrols
    # a few per cent of households through the rules)
    if rng.random() < 0.01:
        kinds.append(CareKind.VETERAN)
    if age < 16 and rng.random() < 0.02:
        kinds.append(CareKind.LEFT_BEHIND_CHILD)
    return kinds


def resident_account_link(*, user, community_path: str) -> None:
    """Give a (demo) resident account a household head in the community as its person."""
    if Resident.objects.filter(user=user).exists():
        return
    resident = (
        Resident.objects.filter(user__isnull=True, path__startswith=community_path, is_head=True).order_by("pk").first()
    )
    if resident:
        Resident.objects.filter(pk=resident.pk).update(user=user)
        type(user).objects.filter(pk=user.pk).update(display_name=resident.name)


@transaction.atomic
def demo_employment_generate(
    *, actor: Actor, under: str, seed: int = 20261207, jobless_under: str = "", jobless_households: int = 0
) -> int:
    """Give the synthetic residents under `under` a plausible employment status where none is
    recorded (the population generator leaves it empty): pre-school and school children,
    students to 22, retired from 60 (men) or 55 (women), and of the rest most employed, a few
    unemployed — so social assistance finds some zero-employment households. Deterministic for a
    seed; idempotent (only empty fields are filled). Under `jobless_under`, the first
    `jobless_households` households with a member aged 19–54 have every member of that age out of
    work, so a small demo pool still shows zero-employment households there. Returns how many
    residents were filled."""
    rng = random.Random(seed)
    today = timezone.localdate()
    residents = list(
        Resident.objects.filter(models.Q(path__startswith=under), status=ResidentStatus.ACTIVE, employment="").only(
            "pk", "birth_date", "gender"
        )
    )
    for resident in residents:
        age = age_on(resident.birth_date, today)
        if age < 6:
            resident.employment = "preschool"
        elif age < 19 or (age < 23 and rng.random() < 0.5):
            resident.employment = "student"
        elif age >= (60 if resident.gender == Gender.MALE else 55):
            resident.employment = "retired"
        else:
            resident.employment = rng.choices(["employed", "unemployed", "other"], [86, 9, 5])[0]
    if jobless_under and residents:
        chosen: set[int] = set()
        for resident in sorted(residents, key=lambda r: (r.household_id or 0, r.pk)):
            if resident.household_id is None or not resident.path.startswith(jobless_under):
                continue
            if 19 <= age_on(resident.birth_date, today) <= 54:
                if resident.household_id not in chosen and len(chosen) >= jobless_households:
                    continue
                chosen.add(resident.household_id)
                resident.employment = "unemployed"
    Resident.objects.bulk_update(residents, ["employment"], batch_size=1000)
    if residents:
        audit_record(actor=actor, action="demo.population", org_path=under, details={"employment": len(residents)})
    return len(residents)


CHILD_CARE_KINDS = (CareKind.LEFT_BEHIND_CHILD, CareKind.CHILD_IN_DIFFICULTY, CareKind.ORPHAN_DISPERSED)


def demo_children_groups_ensure(*, actor: Actor, under: str, per_kind: int = 2, seed: int = 20261207) -> int:
    """Make sure a small demo pool shows each children's care group under `under` (the population
    generator draws few of them): active residents under 16 not yet in a children's group are
    added, through `care_membership_add`, until each group has `per_kind` members there.
    Deterministic; idempotent. Returns how many memberships were added."""
    rng = random.Random(seed)
    today = timezone.localdate()
    born_after = today.replace(year=today.year - 16)
    open_child = CareMembership.objects.filter(path__startswith=under, kind__in=CHILD_CARE_KINDS, ended_on__isnull=True)
    counts = {kind: open_child.filter(kind=kind).count() for kind in CHILD_CARE_KINDS}
    taken = set(open_child.values_list("resident_id", flat=True))
    candidates = [
        r
        for r in Resident.objects.filter(
            path__startswith=under, status=ResidentStatus.ACTIVE, birth_date__gt=born_after
        ).order_by("pk")
        if r.pk not in taken
    ]
    rng.shuffle(candidates)
    added = 0
    for kind in CHILD_CARE_KINDS:
        while counts[kind] < per_kind and candidates:
            resident = candidates.pop()
            care_membership_add(
                actor=actor, resident=resident, kind=kind, started_on=today - timedelta(days=400), source="演示"
            )
            counts[kind] += 1
            added += 1
    return added
