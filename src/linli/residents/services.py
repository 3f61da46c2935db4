"""Writes to the resident pool."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from faker import Faker

from linli.areas.selectors import building_list
from linli.core.actor import Actor
from linli.core.crypto import blind_index, mask_id_number, mask_phone, seal
from linli.core.services import audit_record
from linli.residents.domain import Gender, ResidenceType, id_number_make
from linli.residents.models import Household, Resident

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
    weights = [DISTRICT_WEIGHT.get(b.grid.community.parent.parent.name, 400) for b in buildings]
    if focus_path:
        weights = _focused(weights, [b.path.startswith(focus_path) for b in buildings], focus_share)
    used_rooms = set(Household.objects.values_list("building_id", "room"))
    created = 0
    today = date.today()
    while created < missing:
        chunk = min(2000, missing - created)
        households, people = _households_chunk(rng, fake, buildings, weights, used_rooms, chunk, today)
        Household.objects.bulk_create(households, batch_size=1000)
        for resident in people:
            resident.household_id = resident.household.pk
        Resident.objects.bulk_create(people, batch_size=1000)
        created += len(people)
    audit_record(actor=actor, action="demo.population", details={"residents": created})
    return created


def _focused(weights: list[float], in_focus: list[bool], share: float) -> list[float]:
    """Scale the weights inside the focus area so that it draws `share` of all people."""
    focus = sum(w for w, f in zip(weights, in_focus, strict=True) if f)
    rest = sum(weights) - focus
    if not focus or not rest:
        return weights
    factor = share * rest / ((1 - share) * focus)
    return [w * factor if f else w for w, f in zip(weights, in_focus, strict=True)]


def _households_chunk(rng, fake, buildings, weights, used_rooms, size, today):
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
            people.append(_person(rng, fake, household, building, position == 0, today))
    return households, people


def _person(rng, fake, household, building, is_head, today) -> Resident:
    gender = rng.choice(list(Gender))
    age = rng.randint(25, 90) if is_head else rng.randint(0, 90)
    birth = today - timedelta(days=age * 365 + rng.randint(0, 364))
    id_number = id_number_make(building.path[:6], birth, rng.randint(0, 999), gender)
    name = fake.name_male() if gender == Gender.MALE else fake.name_female()
    return Resident(
        household=household,
        name=name,
        gender=gender,
        birth_date=birth,
        is_head=is_head,
        path=building.path,
        **sealed_identity(id_number, fake.phone_number()),
    )


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
