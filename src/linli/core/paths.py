"""Counting under org-tree paths without walking the tree."""

from __future__ import annotations

from django.db.models import Count, Model, Q
from django.db.models.functions import Substr


def prefix_upper_bound(prefix: str) -> str | None:
    """The smallest digit string greater than every string that starts with `prefix`:
    "210102" → "210103", "2109" → "211"; None for "999…" (no upper bound)."""
    digits = prefix.rstrip("9")
    if not digits:
        return None
    return digits[:-1] + str(int(digits[-1]) + 1)


def under_path(field: str, prefix: str) -> Q:
    """Rows whose digit-only path `field` starts with `prefix`, as a range.

    A range uses the plain B-tree index on both databases, where `LIKE 'p%'` cannot on SQLite
    (Django adds an ESCAPE clause) and needs a pattern-ops index on PostgreSQL. Paths are digit
    strings (division codes and their extensions), which every collation orders like ASCII.
    """
    if not prefix.isdigit():
        raise ValueError(f"paths are digit strings, not {prefix!r}")
    upper = prefix_upper_bound(prefix)
    bounds = {f"{field}__gte": prefix}
    if upper is not None:
        bounds[f"{field}__lt"] = upper
    return Q(**bounds)


def subtree_counts(
    *, model: type[Model], parent_path: str, child_length: int, path_field: str = "path"
) -> dict[str, int]:
    """Rows of `model` under each child of `parent_path`, in one GROUP BY on the path prefix:
    every child of a unit has a path of the same length, so the prefix names the child."""
    rows = (
        model.objects.filter(under_path(path_field, parent_path))
        .annotate(child=Substr(path_field, 1, child_length))
        .values("child")
        .annotate(n=Count("pk"))
    )
    return {row["child"]: row["n"] for row in rows}
