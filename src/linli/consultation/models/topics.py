"""Topics: a proposal or a committee's matter, its supporters and its timeline."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.consultation.domain.topics import SUPPORTERS_NEEDED, TopicSource, TopicState
from linli.core.ids import uuid7

__all__ = ["Topic", "TopicStep", "TopicSupport"]

USER = settings.AUTH_USER_MODEL


class Topic(models.Model):
    """`path` is the community (12) the topic belongs to; `concerns_path` the building, grid or
    community it is about (what a consultation's participants default to). `body` is public: it is
    shown to every resident of the community and on the public board once decided."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    number = models.CharField(_("topic number"), max_length=32, unique=True)
    path = models.CharField(max_length=12, db_index=True)
    concerns_path = models.CharField(max_length=18)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("what residents want consulted"))
    source = models.CharField(_("source"), max_length=12, choices=TopicSource.choices)
    source_ref = models.CharField(max_length=40, blank=True)  # grid event number, payment request id, department
    state = models.CharField(_("state"), max_length=12, choices=TopicState.choices, default=TopicState.SUBMITTED)
    proposer = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    proposer_shown = models.CharField(max_length=40)  # a resident's masked name, or the body that put it
    supporters_needed = models.PositiveSmallIntegerField(default=SUPPORTERS_NEEDED)
    supporter_count = models.PositiveIntegerField(default=0)
    gathering_until = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(_("reason made public"), blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("consultation topic")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["path", "state"])]
        constraints = [
            # one topic per grid event or micro-fund payment request
            models.UniqueConstraint(
                fields=["source", "source_ref"],
                condition=Q(source__in=["grid_event", "micro_fund"]),
                name="consultation_topic_one_per_source",
            )
        ]

    def __str__(self) -> str:
        return self.number


class TopicSupport(models.Model):
    """One resident account's support (附议) of a proposal; the count on the topic moves with F()."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="consultation_support_once")]

    def __str__(self) -> str:
        return f"{self.topic_id}:{self.user_id}"


class TopicStep(models.Model):
    """The topic's timeline: one row per transition, append-only."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=24)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by_name = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.action
