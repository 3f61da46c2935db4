from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import Role
from linli.core.ids import uuid7


class User(AbstractUser):
    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    # Set when an administrator chose the password (a new account, a reset): the holder must
    # replace it before doing anything else, so the administrator never knows a live password.
    password_change_required = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class Posting(models.Model):
    """A role held at one place: an org unit, a grid or a department. The scope path is copied
    from that place when the posting is made, so building an Actor needs no join."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="postings")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    org_unit = models.ForeignKey("areas.OrgUnit", on_delete=models.PROTECT, null=True, blank=True)
    grid = models.ForeignKey("areas.Grid", on_delete=models.PROTECT, null=True, blank=True)
    department = models.ForeignKey("areas.Department", on_delete=models.PROTECT, null=True, blank=True)
    scope_path = models.CharField(_("scope path"), max_length=40, db_index=True)
    citywide = models.BooleanField(default=False)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        constraints = [
            models.CheckConstraint(
                name="posting_exactly_one_place",
                condition=(
                    Q(org_unit__isnull=False, grid__isnull=True, department__isnull=True)
                    | Q(org_unit__isnull=True, grid__isnull=False, department__isnull=True)
                    | Q(org_unit__isnull=True, grid__isnull=True, department__isnull=False)
                ),
            ),
            # An empty prefix would match every row in the city: never allow one.
            models.CheckConstraint(name="posting_scope_path_not_empty", condition=~Q(scope_path="")),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope_path}"


class ApiToken(models.Model):
    """A bearer token for API clients. Only a SHA-256 hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=80, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
