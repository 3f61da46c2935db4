from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One append-only line of the audit log. Database triggers refuse UPDATE and DELETE."""

    at = models.DateTimeField(_("time"), db_index=True)
    actor_user_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=80, blank=True)
    org_path = models.CharField(_("org unit path"), max_length=40, blank=True, db_index=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    client_address = models.CharField(_("client address"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_type}:{self.object_id}"


class Heartbeat(models.Model):
    """When each periodic job last ran; /metrics exposes the age so alerts can tell a stalled
    scheduler or worker."""

    name = models.CharField(max_length=80, unique=True)
    last_run_at = models.DateTimeField()
    last_result = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_run_at:%Y-%m-%d %H:%M}"


class InboxMessage(models.Model):
    """One in-app notification for one user (the default notification channel). Both languages
    are kept so the inbox follows the reader's language."""

    user_id = models.BigIntegerField(_("recipient"), db_index=True)
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=40)
    text_zh = models.TextField()
    text_en = models.TextField()
    link = models.CharField(_("link"), max_length=200, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user_id", "read_at"], name="inbox_unread")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class IdempotencyKey(models.Model):
    """The first answer to a creating API request sent with an `Idempotency-Key` header, kept so
    that a retry gets the same answer instead of creating a second object (core/idempotency.py).

    The row is inserted, in the same transaction as the work, BEFORE the work runs: the unique
    constraint makes a concurrent request with the same key wait for the first to commit (and
    then replay its answer) on any number of processes and servers, with no extra service."""

    owner = models.CharField(_("owner"), max_length=80)  # "u:<user id>", "t:<token id>" or "a:<address>"
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    key_digest = models.CharField(_("key digest"), max_length=64)  # SHA-256: any text a client sends fits
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    body = models.JSONField(_("body"), null=True, blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["owner", "method", "path", "key_digest"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.method} {self.path} {self.created_at:%Y-%m-%d %H:%M}"
