"""Care services, stage orders: reads, scoped by the actor's paths, failing closed."""

from __future__ import annotations

from datetime import date

from linli.care.domain.targets import Target
from linli.care.models import FamilyLink
from linli.core.actor import Actor
from linli.residents.selectors import CarePerson, care_household_people, care_people_by_refs, care_person_for_user


def people_i_care_for(user_id: int | None) -> list[CarePerson]:
    """The people a resident account may order for: themself, the people of their household and
    the elders linked to the account (FamilyLink), each once, themself first."""
    me = care_person_for_user(user_id)
    people: dict[str, CarePerson] = {}
    if me is not None:
        people[me.public_id] = me
        for person in care_household_people(me.household_ref) if me.household_ref else []:
            people.setdefault(person.public_id, person)
    linked = FamilyLink.objects.filter(user_id=user_id, ended_at__isnull=True).values_list("person_ref", flat=True)
    for ref, person in care_people_by_refs([str(r) for r in linked]).items():
        people.setdefault(ref, person)
    return list(people.values())


def orders_targets(*, actor: Actor, today: date) -> list[Target]:
    """This stage's lines on the care overview page, for the actor's scope (none when the actor
    may not see them)."""
    return []
