"""Exporting residents to XLSX: only the fields the actor's roles may read (minimum necessity),
masked by default. An unmasked export names the sealed fields to open, needs those fields to be
revealable for the actor's roles and a reason, and is audited (who, how many, which fields, why;
never the values). Every export, masked or not, writes one audit line."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import RESIDENTS_EXPORT
from linli.core.actor import Actor
from linli.core.crypto import unseal
from linli.core.errors import FieldError, Msg, not_found, permission_denied, validation_failed
from linli.core.services import audit_record
from linli.core.sheets import Sheet, workbook
from linli.residents.domain import ALL_FIELDS, SEALED_FIELDS, CareKind, age_on, fields_for
from linli.residents.models import CareMembership, Resident
from linli.residents.selectors import revealable_for

# Column order and headings of an export; a column appears only when the role reads the field.
EXPORT_COLUMNS = (
    ("name", _("Name")),
    ("gender", _("Gender")),
    ("birth_date", _("Birth date")),
    ("age", _("Age")),
    ("ethnicity", _("Ethnicity")),
    ("id_number", _("ID number")),
    ("phone", _("Phone")),
    ("relation", _("Relation to head")),
    ("party_member", _("Party member")),
    ("education", _("Education level")),
    ("employment", _("Employment")),
    ("disability", _("Disability")),
    ("notes", _("Notes")),
    ("care_groups", _("Care groups")),
    ("address", _("Address")),
    ("status", _("Status")),
)
MAX_EXPORT_ROWS = 200_000


def export_fields(actor: Actor) -> frozenset[str]:
    """What an export by this actor may contain. A system actor (a command run by an operator on
    the server) reads every field, masked."""
    return ALL_FIELDS if actor.is_system else fields_for(actor.roles)


def export_revealable(actor: Actor) -> frozenset[str]:
    return frozenset(SEALED_FIELDS) if actor.is_system else revealable_for(actor)


def _check(actor: Actor, unmasked_fields: Iterable[str], reason: str) -> tuple[frozenset[str], frozenset[str], str]:
    if not actor.has_perm(RESIDENTS_EXPORT) and not actor.is_system:
        raise permission_denied()
    visible = export_fields(actor)
    unmasked = frozenset(f for f in unmasked_fields if f)
    if unmasked - (export_revealable(actor) & visible & frozenset(SEALED_FIELDS)):
        raise permission_denied()
    reason = reason.strip()
    if unmasked and len(reason) < 2:
        raise validation_failed(
            [FieldError("reason", Msg("导出未脱敏数据须填写原因", "Give the reason for an unmasked export"))]
        )
    return visible, unmasked, reason


def export_residents_xlsx(
    actor: Actor, residents: Iterable[Resident], unmasked_fields: Iterable[str] = (), reason: str = ""
) -> bytes:
    """An XLSX of `residents` (any list the actor can see) as the actor may read them. A resident
    outside the actor's scope in the list refuses the whole export (not found)."""
    visible, unmasked, reason = _check(actor, unmasked_fields, reason)
    if isinstance(residents, QuerySet) and not residents.query.is_sliced:
        residents = residents.select_related("household__building")
    people = list(residents)
    if len(people) > MAX_EXPORT_ROWS:
        raise validation_failed(
            [FieldError("residents", Msg("一次最多导出 20 万人，请缩小范围", "At most 200,000 people per export"))]
        )
    if any(not actor.sees_path(person.path) for person in people):
        raise not_found("居民", "Resident")
    kinds = _care_kinds([p.pk for p in people]) if "care_groups" in visible else {}
    columns = [(name, label) for name, label in EXPORT_COLUMNS if name in visible]
    content = _workbook(columns, (_values(p, visible, unmasked, kinds.get(p.pk, [])) for p in people))
    audit_record(
        actor=actor,
        action="resident.export",
        object_type="resident",
        reason=reason,
        details={
            "count": len(people),
            "unmasked": sorted(unmasked),
            "columns": [name for name, _label in columns],
        },
    )
    return content


def _care_kinds(resident_ids: list[int]) -> dict[int, list[str]]:
    kinds: dict[int, list[str]] = {}
    for start in range(0, len(resident_ids), 5000):
        chunk = resident_ids[start : start + 5000]
        for resident_id, kind in CareMembership.objects.filter(
            resident_id__in=chunk, ended_on__isnull=True
        ).values_list("resident_id", "kind"):
            kinds.setdefault(resident_id, []).append(kind)
    return kinds


def _values(resident: Resident, visible: frozenset[str], unmasked: frozenset[str], kinds: list[str]) -> list:
    household = resident.household
    address = f"{household.building.address or household.building.name} {household.room}" if household else ""
    values = {
        "name": resident.name,
        "gender": str(resident.get_gender_display()),
        "birth_date": resident.birth_date.isoformat(),
        "age": age_on(resident.birth_date, timezone.localdate()),
        "ethnicity": resident.ethnicity,
        "id_number": resident.id_number_masked,
        "phone": resident.phone_masked,
        "relation": str(resident.get_relation_display()),
        "party_member": str(_("Yes") if resident.party_member else _("No")),
        "education": str(resident.get_education_display()),
        "employment": str(resident.get_employment_display()),
        "disability": str(resident.get_disability_display()) if resident.disability else "",
        "notes": "••••••" if resident.notes_sealed else "",
        "care_groups": "、".join(str(CareKind(k).label) for k in kinds),
        "address": address,
        "status": str(resident.get_status_display()),
    }
    for name in unmasked:
        values[name] = unseal(getattr(resident, f"{name}_sealed"), context=f"resident.{name}")
    return [values[name] for name, _label in EXPORT_COLUMNS if name in visible]


def _workbook(columns: list[tuple[str, object]], rows: Iterable[list]) -> bytes:
    widths = {i: 20 for i, (name, _label) in enumerate(columns) if name in ("id_number", "address", "care_groups")}
    headers = [str(label) for _name, label in columns]
    return workbook([Sheet(str(_("Residents")), headers, rows, {i: widths.get(i, 12) for i in range(len(columns))})])
