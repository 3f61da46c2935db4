"""Writes about accounts: users, postings, tokens, log-in records."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from linli.accounts.domain import POSTING_TARGET, POSTING_UNIT_KINDS, Role
from linli.accounts.models import ApiToken, Posting, User
from linli.accounts.selectors import token_hash
from linli.core.actor import Actor
from linli.core.errors import DomainError, FieldError, Msg, not_found, validation_failed
from linli.core.services import audit_record

LOGIN_FAILURE_LIMIT = 10
LOGIN_FAILURE_WINDOW = 15 * 60


def user_create(*, username: str, password: str, display_name: str = "") -> User:
    if User.objects.filter(username=username).exists():
        raise validation_failed([FieldError("username", Msg("用户名已被使用", "Username is taken"))])
    return User.objects.create_user(username=username, password=password, display_name=display_name)


@transaction.atomic
def posting_add(*, actor: Actor, user: User, role: str, place) -> Posting:
    """Give `user` a role at `place` (an OrgUnit, Grid or Department, as the role requires)."""
    target = POSTING_TARGET[Role(role)]
    kind_of_place = type(place).__name__.lower()
    expected = {"org_unit": "orgunit", "grid": "grid", "department": "department"}[target]
    if kind_of_place != expected or (
        target == "org_unit" and place.kind not in POSTING_UNIT_KINDS.get(Role(role), {place.kind})
    ):
        raise validation_failed(
            [FieldError("place", Msg(f"该角色不能设在{place}", f"This role cannot be held at {place}"))]
        )
    posting = Posting.objects.create(
        user=user,
        role=role,
        scope_path=place.path,
        citywide=getattr(place, "kind", "") == "city",
        **{target: place},
    )
    _audit_posting(actor, "posting.add", user, role, place)
    return posting


@transaction.atomic
def account_grant(
    *, actor: Actor, username: str, role: str, place, create: bool = False, display_name: str = ""
) -> tuple[User, str]:
    """Grant `role` at `place`, creating the account first if asked. All or nothing: a refused
    posting leaves no new account behind. Returns the user and the new password ("" if none)."""
    user = User.objects.filter(username=username).first()
    password = ""
    if user is None:
        if not create:
            raise validation_failed([FieldError("username", Msg(f"账号「{username}」不存在", "No such account"))])
        password = secrets.token_urlsafe(12)
        user = user_create(username=username, password=password, display_name=display_name)
    posting_add(actor=actor, user=user, role=role, place=place)
    return user, password


@transaction.atomic
def posting_end(*, actor: Actor, user: User, role: str, place) -> int:
    """End the user's active postings of `role` at `place`; returns how many ended."""
    target = POSTING_TARGET[Role(role)]
    ended = Posting.objects.filter(user=user, role=role, ended_at__isnull=True, **{target: place}).update(
        ended_at=timezone.now()
    )
    if ended:
        _audit_posting(actor, "posting.end", user, role, place)
    return ended


def _audit_posting(actor: Actor, action: str, user: User, role: str, place) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="user",
        object_id=user.public_id,
        org_path=place.path,
        details={"role": role},
    )


def login_check(*, username: str, password: str, client_address: str) -> User:
    """Authenticate, with a per-account and per-address limit on failures."""
    throttle_key = f"login-failures:{username.lower()}:{client_address}"
    if cache.get(throttle_key, 0) >= LOGIN_FAILURE_LIMIT:
        raise DomainError(
            Msg("登录失败次数过多，请 15 分钟后再试", "Too many failed log-ins; try again in 15 minutes"),
            code="too_many_attempts",
            status=429,
        )
    user = authenticate(username=username, password=password)
    anonymous = Actor.anonymous(client_address)
    if user is None:
        # add-then-incr is atomic on Redis; with the local-memory cache the limit is per process
        cache.add(throttle_key, 0, LOGIN_FAILURE_WINDOW)
        cache.incr(throttle_key)
        audit_record(actor=anonymous, action="login.failed", details={"username": username[:150]})
        raise DomainError(Msg("用户名或密码不正确", "Wrong username or password"), code="bad_credentials", status=401)
    cache.delete(throttle_key)
    audit_record(
        actor=Actor(user_id=user.pk, username=user.username, client_address=client_address),
        action="login.succeeded",
    )
    return user


def token_issue(*, user: User, client_address: str, name: str = "") -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    raw = "lnl_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:80],
        key_hash=token_hash(raw),
        prefix=raw[:12],
        expires_at=timezone.now() + timedelta(hours=settings.LINLI_TOKEN_TTL_HOURS),
    )
    audit_record(
        actor=Actor(user_id=user.pk, username=user.username, client_address=client_address),
        action="token.issue",
        object_type="api_token",
        object_id=token.public_id,
    )
    return token, raw


def token_revoke(*, actor: Actor, public_id) -> ApiToken:
    """Revoke one of the actor's own tokens. Revoking twice is harmless."""
    token = ApiToken.objects.filter(user_id=actor.user_id, public_id=public_id).first()
    if token is None:
        raise not_found("令牌", "Token")
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if updated:
        audit_record(actor=actor, action="token.revoke", object_type="api_token", object_id=token.public_id)
    token.refresh_from_db(fields=["revoked_at"])
    return token


def token_touch(token_id: int) -> None:
    """Record use at most once a minute, so authenticated reads do not write on every request."""
    cutoff = timezone.now() - timedelta(minutes=1)
    ApiToken.objects.filter(pk=token_id, last_used_at__lt=cutoff).update(last_used_at=timezone.now())
    ApiToken.objects.filter(pk=token_id, last_used_at__isnull=True).update(last_used_at=timezone.now())


def tokens_prune() -> str:
    """Periodic job: delete tokens that expired or were revoked more than 30 days ago."""
    cutoff = timezone.now() - timedelta(days=30)
    deleted, _ = ApiToken.objects.filter(expires_at__lt=cutoff).delete()
    deleted_revoked, _ = ApiToken.objects.filter(revoked_at__lt=cutoff).delete()
    return f"tokens pruned: {deleted + deleted_revoked}"
