"""慧评理: a small dispute reasoned out online, and the posts of both sides and the reasoners."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.mediation.domain.reasoning import PostRole, ReasoningState

__all__ = ["ReasoningCase", "ReasoningPost"]

USER = settings.AUTH_USER_MODEL


class ReasoningCase(models.Model):
    """A case started by a resident; the other side joins with the code (or the link's token).
    Published (both consented) cases are shown with names masked (`public_text`)."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    code = models.CharField(_("invitation code"), max_length=8, unique=True)
    path = models.CharField(max_length=18, db_index=True)
    kind = models.ForeignKey("mediation.DisputeKind", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("summary"), max_length=60)
    state = models.CharField(_("state"), max_length=10, choices=ReasoningState.choices, default=ReasoningState.INVITED)
    starter = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    starter_name = models.CharField(max_length=50)
    other = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    other_name = models.CharField(max_length=50, blank=True)
    invite_until = models.DateField()
    starter_publishes = models.BooleanField(default=False)
    other_publishes = models.BooleanField(default=False)
    public_text = models.TextField(blank=True)
    # the proposal each side accepted (the latest one); both the same one → settled
    starter_accepted = models.ForeignKey(
        "mediation.ReasoningPost", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    other_accepted = models.ForeignKey(
        "mediation.ReasoningPost", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dispute = models.ForeignKey(
        "mediation.Dispute", on_delete=models.PROTECT, null=True, blank=True, related_name="reasoning_cases"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reasoning case")
        verbose_name_plural = _("reasoning cases")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.code


class ReasoningPost(models.Model):
    """One side's statement, a reasoner's comment or a mediator's proposal (append-only)."""

    case = models.ForeignKey(ReasoningCase, on_delete=models.PROTECT, related_name="posts")
    role = models.CharField(_("role"), max_length=10, choices=PostRole.choices)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=150)
    text = models.TextField(_("text"))
    is_proposal = models.BooleanField(default=False)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("reasoning post")
        verbose_name_plural = _("reasoning posts")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.role}"
