"""Reads about accounts, and the one place where an Actor is built."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from linli.accounts.domain import permissions_for, role_gives_data_scope
from linli.accounts.models import ApiToken, Posting, User
from linli.core.actor import Actor, normalise_paths


def active_postings(user_id: int) -> QuerySet[Posting]:
    now = timezone.now()
    return Posting.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now), user_id=user_id)


def actor_for_user(user: User | None, *, client_address: str = "") -> Actor:
    """Build the Actor for an authenticated user (one query), or an anonymous one."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Actor.anonymous(client_address)
    rows = list(active_postings(user.pk).values_list("role", "scope_path", "department_id", "citywide"))
    return _actor(user.pk, user.username, user.display_name, rows, client_address)


@dataclass(frozen=True)
class TokenLogin:
    actor: Actor
    token_id: int
    last_used_at: datetime | None


def actor_for_token(raw: str, *, client_address: str = "") -> TokenLogin | None:
    """The Actor behind a bearer token in ONE query (token, user and postings joined), since
    every API request pays for it. None for an unknown, expired or revoked token or an inactive
    user."""
    now = timezone.now()
    rows = list(
        ApiToken.objects.filter(
            key_hash=token_hash(raw), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True
        ).values_list(
            "pk",
            "last_used_at",
            "user_id",
            "user__username",
            "user__display_name",
            "user__postings__role",
            "user__postings__scope_path",
            "user__postings__department_id",
            "user__postings__citywide",
            "user__postings__ended_at",
        )
    )
    if not rows:
        return None
    token_id, last_used_at, user_id, username, display_name = rows[0][:5]
    postings = [
        (role, path, dept, citywide)
        for *_, role, path, dept, citywide, ended_at in rows
        if role is not None and (ended_at is None or ended_at > now)
    ]
    return TokenLogin(
        _actor(user_id, username, display_name, postings, client_address, token_id), token_id, last_used_at
    )


def _actor(user_id, username, display_name, postings, client_address, token_id=None) -> Actor:
    roles = {role for role, *_ in postings}
    scoped = [row for row in postings if role_gives_data_scope(row[0])]
    return Actor(
        user_id=user_id,
        username=username,
        display_name=display_name or username,
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


def token_list(*, actor: Actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=actor.user_id).order_by("-created_at")


def posting_list(*, actor: Actor) -> QuerySet[Posting]:
    """The actor's own active postings with the names of the places they are held at."""
    if actor.user_id is None:
        return Posting.objects.none()
    return active_postings(actor.user_id).select_related("org_unit", "grid", "department").order_by("scope_path")


def user_by_username(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def user_by_id(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id).first()
