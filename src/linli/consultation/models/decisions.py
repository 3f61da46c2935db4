"""A consultation's decision, its implementation tasks and their progress, and the participants'
evaluations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.consultation.domain.decisions import TaskState
from linli.core.ids import uuid7

__all__ = ["Decision", "Evaluation", "ImplementationTask", "TaskProgress"]

USER = settings.AUTH_USER_MODEL


class Decision(models.Model):
    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    consultation = models.OneToOneField("consultation.Consultation", on_delete=models.PROTECT, related_name="decision")
    option = models.ForeignKey(
        "consultation.ConsultationOption", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("decision"))
    decided_on = models.DateField(_("decided on"))
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.public_id)


class ImplementationTask(models.Model):
    """Who does what by when to carry the decision out; done once, with its progress kept."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="tasks")
    what = models.CharField(_("what"), max_length=200)
    who = models.CharField(_("responsible"), max_length=100)
    due_on = models.DateField(_("due on"))
    state = models.CharField(max_length=8, choices=TaskState.choices, default=TaskState.OPEN)
    percent = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="consultation_task_percent")]

    def __str__(self) -> str:
        return self.what


class TaskProgress(models.Model):
    """A progress update on a task (append-only)."""

    task = models.ForeignKey(ImplementationTask, on_delete=models.CASCADE, related_name="progress")
    note = models.CharField(_("progress"), max_length=500)
    percent = models.PositiveSmallIntegerField(default=0)
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by_name = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.note


class Evaluation(models.Model):
    """A participant's evaluation of how the decision was carried out, once per account."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="evaluations")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "user"], name="consultation_evaluate_once"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="consultation_rating_range"),
        ]

    def __str__(self) -> str:
        return str(self.rating)
