"""The Actor: who is acting, with which roles, permissions and data scope.

Built once per request, command or task (by `linli.accounts.selectors.actor_for_user`) and
passed explicitly to every selector and service. The data scope is a set of org-tree path
prefixes; scoped queries filter on an indexed path column with a prefix match, so "everything
under street S" is one indexed query and never a walk of the tree in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from linli.core.paths import under_path


def normalise_paths(paths: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Drop paths already covered by a shorter prefix, so filters stay small."""
    kept: list[str] = []
    # an empty path would be a prefix of everything; it is never a scope
    for path in sorted(set(paths) - {""}, key=len):
        if not any(path.startswith(p) for p in kept):
            kept.append(path)
    return tuple(sorted(kept))


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    username: str = ""
    roles: frozenset[str] = frozenset()
    permissions: frozenset[str] = frozenset()
    scope_paths: tuple[str, ...] = ()
    department_ids: frozenset[int] = frozenset()
    client_address: str = ""
    is_system: bool = False
    citywide: bool = False
    display_name: str = ""
    token_id: int | None = field(default=None, compare=False)

    @classmethod
    def anonymous(cls, client_address: str = "") -> Actor:
        return cls(client_address=client_address)

    @classmethod
    def system(cls, name: str, *, permissions: frozenset[str] = frozenset(), root_path: str = "") -> Actor:
        """An actor for commands and tasks acting on behalf of the platform itself."""
        return cls(
            username=f"system:{name}",
            permissions=permissions,
            scope_paths=(root_path,) if root_path else (),
            is_system=True,
            citywide=bool(root_path),
        )

    @property
    def shown_name(self) -> str:
        """The name written into records (timelines, hand-offs, follow-ups)."""
        return self.display_name or self.username or "system"

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None or self.is_system

    @property
    def is_staff_member(self) -> bool:
        return bool(self.scope_paths)

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    def has_perm(self, permission: str) -> bool:
        return permission in self.permissions

    def sees_path(self, path: str) -> bool:
        return any(path.startswith(prefix) for prefix in self.scope_paths)

    def scope_q(self, field_name: str = "path") -> Q:
        """A filter for rows whose `field_name` lies in the scope; matches nothing when empty."""
        query = Q(pk__in=[])
        for prefix in self.scope_paths:
            query |= under_path(field_name, prefix)
        return query

    def scoped(self, queryset: QuerySet, field_name: str = "path") -> QuerySet:
        if not self.scope_paths:
            return queryset.none()
        return queryset.filter(self.scope_q(field_name))
