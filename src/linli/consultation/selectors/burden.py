"""Reads of stage burden, scoped (`selectors.scope`). A district's lists are its own rows and the
city's (path ""), in force on a day. Staff see certificates of their area; a department-only
officer sees only their own department's requests; the public reads a district's lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Length

from linli.accounts.domain import BURDEN_CERTIFY, BURDEN_MANAGE, BURDEN_REQUEST
from linli.areas.models import Department, OrgUnit
from linli.consultation.domain.burden import CITY_ROWS, DISTRICT_LEN, RequestState, district_of
from linli.consultation.models import Certificate, CertificateKind, CommunityTask, TaskEntryRequest, TaskRefusal
from linli.consultation.selectors.scope import area_q
from linli.core.actor import Actor
from linli.core.crypto import mask_name
from linli.core.errors import not_found
from linli.residents.selectors import resident_search


def _in_force_q(day: date) -> Q:
    return Q(since__lte=day) & (Q(until__isnull=True) | Q(until__gt=day))


def _district_rows_q(district: str) -> Q:
    return Q(path__in=[CITY_ROWS, district])


def kinds_in_force(district: str, day: date):
    """The certificates a community of the district may issue that day."""
    return CertificateKind.objects.filter(_district_rows_q(district) & _in_force_q(day)).order_by("name")


def kinds_of_district(district: str):
    """Every row the district's list ever had (ended ones with their `until`), for editing."""
    return CertificateKind.objects.filter(_district_rows_q(district)).order_by("until", "path", "code")


def kind_get(*, actor: Actor, pk: int) -> CertificateKind:
    kind = CertificateKind.objects.filter(pk=pk).first()
    if kind is None or not may_edit_list(actor, kind.path):
        raise not_found("证明事项", "Certificate kind")
    return kind


def tasks_in_force(district: str, day: date):
    return CommunityTask.objects.filter(_district_rows_q(district) & _in_force_q(day)).order_by("name")


def may_edit_list(actor: Actor, path: str) -> bool:
    """A district's rows by its district or city admins; the city's rows by a city-wide admin."""
    if not actor.has_perm(BURDEN_MANAGE):
        return False
    if path == CITY_ROWS:
        return any(len(p) < DISTRICT_LEN for p in actor.scope_paths)
    return actor.sees_path(path)


def districts_of(actor: Actor) -> list[tuple[str, str]]:
    """The districts whose lists the actor works with: (path, name)."""
    prefixes = {district_of(p) for p in actor.scope_paths if len(p) >= DISTRICT_LEN}
    query = Q(path__in=prefixes)
    for p in actor.scope_paths:
        if len(p) < DISTRICT_LEN:
            query |= Q(path__startswith=p)
    if not actor.scope_paths:
        return []
    units = OrgUnit.objects.annotate(n=Length("path")).filter(query, n=DISTRICT_LEN).order_by("path")
    return list(units.values_list("path", "name"))


def district_public(path: str) -> str:
    """A district's name for the public lists; one 404 for anything that is not a district."""
    unit = OrgUnit.objects.filter(path=path).first() if len(path) == DISTRICT_LEN else None
    if unit is None:
        raise not_found("区县", "District")
    return unit.name


def communities_of(actor: Actor) -> list[tuple[str, str]]:
    """The communities (12) an actor may certify for."""
    if not actor.has_perm(BURDEN_CERTIFY):
        return []
    units = OrgUnit.objects.annotate(n=Length("path")).filter(area_q(actor), n=12).order_by("path")
    return list(units.values_list("path", "name"))


def certificate_list(*, actor: Actor):
    return Certificate.objects.filter(area_q(actor)).select_related("kind")


def certificate_get(*, actor: Actor, public_id) -> Certificate:
    found = certificate_list(actor=actor).filter(public_id=public_id).first()
    if found is None:
        raise not_found("证明", "Certificate")
    return found


def request_list(*, actor: Actor):
    """Own department's requests (BURDEN_REQUEST); the area's requests (BURDEN_MANAGE)."""
    query = Q(pk__in=[])
    if actor.has_perm(BURDEN_REQUEST):
        query |= Q(department_id__in=actor.department_ids)
    if actor.has_perm(BURDEN_MANAGE):
        query |= area_q(actor)
    return TaskEntryRequest.objects.filter(query).select_related("department")


def request_get(*, actor: Actor, public_id) -> TaskEntryRequest:
    found = request_list(actor=actor).filter(public_id=public_id).first()
    if found is None:
        raise not_found("准入申请", "Task entry request")
    return found


def request_departments(actor: Actor) -> list[tuple[int, str]]:
    if not actor.has_perm(BURDEN_REQUEST):
        return []
    return list(Department.objects.filter(pk__in=actor.department_ids).values_list("pk", "name"))


def refusal_list(*, actor: Actor):
    return TaskRefusal.objects.filter(area_q(actor))


@dataclass
class Figures:
    district: str
    refused_by_department: list[tuple[str, int, int]]  # department, requests refused, unlisted asks
    issued: list[tuple[str, str, int]]  # community path, certificate, count (valid ones)


def figures(district: str) -> Figures:
    """A district's burden figures (three queries)."""
    refused = dict(
        TaskEntryRequest.objects.filter(path=district, state=RequestState.REFUSED)
        .values_list("department__name")
        .annotate(n=Count("pk"))
    )
    asks = dict(
        TaskRefusal.objects.filter(path__startswith=district).values_list("department_name").annotate(n=Count("pk"))
    )
    departments = sorted(set(refused) | set(asks))
    issued = (
        Certificate.objects.filter(path__startswith=district, voided_at__isnull=True)
        .values_list("path", "kind__name")
        .annotate(n=Count("pk"))
        .order_by("path", "kind__name")
    )
    rows = [(d, refused.get(d, 0), asks.get(d, 0)) for d in departments]
    return Figures(district, rows, list(issued))


def requests_awaiting(*, actor: Actor):
    if not actor.has_perm(BURDEN_MANAGE):
        return TaskEntryRequest.objects.none()
    return TaskEntryRequest.objects.filter(area_q(actor), state=RequestState.SUBMITTED).select_related("department")


def unit_names(paths) -> dict[str, str]:
    from linli.areas.selectors import unit_names as names

    return names(paths)


def requests_decided_since(*, actor: Actor, since: date):
    """The actor's departments' requests decided since that day (their workbench)."""
    if not actor.has_perm(BURDEN_REQUEST) or not actor.department_ids:
        return TaskEntryRequest.objects.none()
    return TaskEntryRequest.objects.filter(
        department_id__in=actor.department_ids, decided_at__date__gte=since
    ).select_related("department")


SUBJECT_ROWS = 10


def certificate_subjects(*, actor: Actor, community: str, q: str) -> list[tuple[str, str]]:
    """Residents of the community the pool's scoped search finds, masked (never an ID or phone)."""
    q = q.strip()
    if not q:
        return []
    rows = resident_search(actor=actor, q=q).filter(path__startswith=community)[:SUBJECT_ROWS]
    return [(str(r.public_id), mask_name(r.name)) for r in rows]
