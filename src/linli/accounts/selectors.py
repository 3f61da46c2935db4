"""Reads about accounts, and the one place where an Actor is built."""

from __future__ import annotations

import hashlib

from django.db.models import Q, QuerySet
from django.utils import timezone

from linli.accounts.domain import permissions_for, role_gives_data_scope
from linli.accounts.models import ApiToken, Posting, User
from linli.core.actor import Actor, normalise_paths


def active_postings(user_id: int) -> QuerySet[Posting]:
    now = timezone.now()
    return Posting.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now), user_id=user_id)


def actor_for_user(user: User | None, *, client_address: str = "", token_id: int | None = None) -> Actor:
    """Build the Actor for an authenticated user (one query), or an anonymous one."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Actor.anonymous(client_address)
    rows = list(active_postings(user.pk).values_list("role", "scope_path", "department_id", "citywide"))
    roles = {role for role, *_ in rows}
    scoped = [row for row in rows if role_gives_data_scope(row[0])]
    return Actor(
        user_id=user.pk,
        username=user.username,
        display_name=user.display_name or user.username,
        roles=frozenset(roles),
        permissions=permissions_for(roles),
        scope_paths=normalise_paths([path for _, path, _, _ in scoped]),
        department_ids=frozenset(dept for _, _, dept, _ in scoped if dept),
        citywide=any(citywide for *_, citywide in scoped),
        client_address=client_address,
        token_id=token_id,
    )


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_user(raw: str) -> tuple[User, ApiToken] | None:
    """The user behind a bearer token, if it is known, unexpired and not revoked."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user, token


def token_list(*, actor: Actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=actor.user_id).order_by("-created_at")


def posting_list(*, actor: Actor) -> QuerySet[Posting]:
    """The actor's own active postings with the names of the places they are held at."""
    if actor.user_id is None:
        return Posting.objects.none()
    return active_postings(actor.user_id).select_related("org_unit", "grid", "department").order_by("scope_path")


def user_by_username(username: str) -> User | None:
    return User.objects.filter(username=username).first()
