"""Counting under org-tree paths without walking the tree."""

from __future__ import annotations

from django.db.models import Count, Model
from django.db.models.functions import Substr


def subtree_counts(
    *, model: type[Model], parent_path: str, child_length: int, path_field: str = "path"
) -> dict[str, int]:
    """Rows of `model` under each child of `parent_path`, in one GROUP BY on the path prefix:
    every child of a unit has a path of the same length, so the prefix names the child."""
    rows = (
        model.objects.filter(**{f"{path_field}__startswith": parent_path})
        .annotate(child=Substr(path_field, 1, child_length))
        .values("child")
        .annotate(n=Count("pk"))
    )
    return {row["child"]: row["n"] for row in rows}
