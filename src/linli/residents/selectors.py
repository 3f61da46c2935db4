"""Reads of the resident pool: scoped, masked."""

from __future__ import annotations

from django.db.models import QuerySet

from linli.core.actor import Actor
from linli.core.paths import subtree_counts
from linli.residents.models import Household, Resident


def resident_list(*, actor: Actor) -> QuerySet[Resident]:
    return actor.scoped(Resident.objects.all())


def resident_counts_under(*, parent_path: str, child_length: int) -> dict[str, int]:
    return subtree_counts(model=Resident, parent_path=parent_path, child_length=child_length)


def household_counts_under(*, parent_path: str, child_length: int) -> dict[str, int]:
    return subtree_counts(model=Household, parent_path=parent_path, child_length=child_length)


def resident_total(*, actor: Actor) -> int:
    return resident_list(actor=actor).count()
