"""Reads about accounts, and the one place where an Actor is built."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.db.models import Max, Q, QuerySet, Sum
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from linli.accounts.domain import Role, is_demo_device, permissions_for, role_gives_data_scope
from linli.accounts.models import ApiToken, Posting, User
from linli.core.actor import Actor, normalise_paths
from linli.core.models import AuditEntry


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
    password_change_required: bool = False


# Every API request runs this, so it is one hand-written statement: building the same join
# through the ORM cost more CPU than executing it (docs/benchmarks.md). Expiry, revocation and
# ended postings are checked in Python on the few rows the unique key_hash returns.
ACTOR_BY_KEY_HASH_SQL = """
SELECT t.id, t.last_used_at, t.expires_at, t.revoked_at, u.id, u.username, u.display_name, u.is_active,
       u.password_change_required, p.role, p.scope_path, p.department_id, p.citywide, p.ended_at
  FROM accounts_apitoken t
  JOIN accounts_user u ON u.id = t.user_id
  LEFT JOIN accounts_posting p ON p.user_id = u.id
 WHERE t.key_hash = %s
"""


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive UTC datetimes from a raw cursor; PostgreSQL aware ones."""
    return timezone.make_aware(value, UTC) if timezone.is_naive(value) else value


def actor_for_token(raw: str, *, client_address: str = "") -> TokenLogin | None:
    """The Actor behind a bearer token in one query (token, user and postings joined). None for
    an unknown, expired or revoked token or an inactive user."""
    with connection.cursor() as cursor:
        cursor.execute(ACTOR_BY_KEY_HASH_SQL, [token_hash(raw)])
        rows = cursor.fetchall()
    if not rows:
        return None
    token_id, last_used_at, expires_at, revoked_at, user_id, username, display_name, is_active, must_change = rows[0][
        :9
    ]
    now = timezone.now()
    if revoked_at is not None or _aware(expires_at) <= now or not is_active:
        return None
    postings = [
        (role, path, dept, bool(citywide))
        for *_, role, path, dept, citywide, ended_at in rows
        if role is not None and (ended_at is None or _aware(ended_at) > now)
    ]
    actor = _actor(user_id, username, display_name, postings, client_address, token_id)
    return TokenLogin(actor, token_id, _aware(last_used_at) if last_used_at else None, bool(must_change))


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
    if actor.user_id is None:  # the system and anonymous callers hold no tokens
        return ApiToken.objects.none()
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


def posted_user_ids(*, roles: set[str], scope_path: str = "", department_id: int | None = None) -> list[int]:
    """Users holding one of `roles` now, posted at exactly `scope_path` or to `department_id`:
    the people a notice about that unit's or department's work should reach."""
    postings = Posting.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=timezone.now()), role__in=roles)
    if department_id is not None:
        postings = postings.filter(department_id=department_id)
    else:
        postings = postings.filter(scope_path=scope_path)
    return sorted(set(postings.values_list("user_id", flat=True)))


def home_path(user_id: int | None) -> str:
    """A resident's community (their posting names it without granting any view of others)."""
    if user_id is None:
        return ""
    return active_postings(user_id).filter(role=Role.RESIDENT).values_list("scope_path", flat=True).first() or ""


@dataclass(frozen=True)
class Lockout:
    """Failed log-ins still counting for one account or one address."""

    kind: str  # "username" or "address"
    value: str
    failures: int
    last_at: datetime
    locked: bool


def login_lockouts() -> list[Lockout]:
    """Accounts and addresses with failures inside the cool-off, locked ones first."""
    recent = AccessAttempt.objects.filter(attempt_time__gt=timezone.now() - settings.AXES_COOLOFF_TIME)
    rows: list[Lockout] = []
    for kind, column in (("username", "username"), ("address", "ip_address")):
        grouped = (
            recent.exclude(**{f"{column}__isnull": True})
            .values(column)
            .annotate(failures=Sum("failures_since_start"), last_at=Max("attempt_time"))
        )
        rows += [
            Lockout(kind, row[column], row["failures"], row["last_at"], row["failures"] >= settings.AXES_FAILURE_LIMIT)
            for row in grouped
        ]
    return sorted(rows, key=lambda r: (not r.locked, -r.last_at.timestamp()))


def login_failures_recent(limit: int = 50):
    """The latest failed log-ins, lock-outs and unlocks from the audit log."""
    return AuditEntry.objects.filter(action__in=("login.failed", "login.locked", "login.unlock")).order_by("-at")[
        :limit
    ]


def totp_device_confirmed(user):
    """The user's confirmed authenticator-app device, if any."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def demo_code_shown(user) -> str:
    """The demo accounts' current code, shown on their code page (their key is public anyway);
    empty for every real authenticator."""
    device = totp_device_confirmed(user)
    if device is None or not is_demo_device(device.name, device.key, user.username):
        return ""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"
