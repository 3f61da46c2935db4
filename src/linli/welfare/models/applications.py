"""Social assistance: applications (救助申请), their append-only steps and the objections to their
public notice. The household's facts (incomes, property, illness) and the survey's findings are
sealed at rest; names shown are the household's, never an ID number in clear."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.ids import uuid7
from linli.welfare.domain.applications import ApplicationState, CheckResult, ObjectionOutcome
from linli.welfare.domain.classes import AreaType, AssistanceClass

__all__ = ["Application", "ApplicationMember", "ApplicationStep", "Objection"]

USER = settings.AUTH_USER_MODEL


class Application(models.Model):
    """One application for 低保/特困/边缘/刚性支出困难, from the desk's acceptance to the county's
    decision. `path` is the household's building path (scope: its community records, its street
    reviews, its district decides); `accepted_path` is the window that took it."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    number = models.CharField(_("application number"), max_length=24, unique=True)
    applied_class = models.CharField(_("class applied for"), max_length=8, choices=AssistanceClass.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=ApplicationState.choices, default=ApplicationState.RECORDING
    )
    applicant_ref = models.UUIDField(_("applicant"))
    applicant_name = models.CharField(_("applicant"), max_length=50)
    applicant_id_masked = models.CharField(max_length=24, blank=True)
    household_ref = models.UUIDField(_("household"), null=True, blank=True, db_index=True)
    path = models.CharField(max_length=18, db_index=True)
    accepted_path = models.CharField(max_length=18)
    head_name = models.CharField(_("head of household"), max_length=50)
    area = models.CharField(_("urban or rural"), max_length=8, choices=AreaType.choices, default=AreaType.URBAN)
    desk_case_number = models.CharField(_("desk case"), max_length=30, blank=True, db_index=True)
    desk_case_ref = models.UUIDField(null=True, blank=True)
    channel = models.CharField(max_length=16, blank=True)
    # the household's facts: seal(facts_to_json(Household), context="welfare.facts")
    facts_sealed = models.TextField(blank=True)
    materials = models.JSONField(default=dict, blank=True)  # material key → provided (bool)
    # 家庭经济状况核对
    check_requested_on = models.DateField(null=True, blank=True)
    check_result = models.CharField(_("check result"), max_length=12, choices=CheckResult.choices, blank=True)
    check_note = models.CharField(max_length=300, blank=True)
    check_recorded_on = models.DateField(null=True, blank=True)
    # 入户调查
    surveyed_on = models.DateField(_("surveyed on"), null=True, blank=True)
    surveyors = models.JSONField(default=list, blank=True)  # [{"user_id", "name"}] — two workers
    survey_conditions = models.JSONField(default=list, blank=True)
    survey_findings_sealed = models.TextField(blank=True)
    # the street's proposal (from the rules at the street review)
    proposed_class = models.CharField(max_length=8, choices=AssistanceClass.choices, blank=True)
    proposed_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    street_opinion = models.CharField(max_length=500, blank=True)
    # 公示
    notice_from = models.DateField(_("notice from"), null=True, blank=True)
    notice_until = models.DateField(_("notice until"), null=True, blank=True)  # last day shown
    community_name = models.CharField(max_length=60, blank=True)
    # the county's decision
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.CharField(max_length=1000, blank=True)
    determination = models.ForeignKey(
        "Determination", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refusal_notice_due = models.DateField(_("written refusal due by"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assistance application")
        verbose_name_plural = _("assistance applications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "path"], name="welfare_application_state_path")]

    def __str__(self) -> str:
        return self.number


class ApplicationMember(models.Model):
    """A member of the applying household as recorded (names for display; the pool's public id
    for a pool member, so a resident is never in two assistance households at once)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="member_rows")
    resident_ref = models.UUIDField(null=True, blank=True, db_index=True)  # None for an outsider
    name = models.CharField(_("member's name"), max_length=50)
    relation = models.CharField(max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class ApplicationStep(models.Model):
    """Append-only timeline of an application: acceptance, each step, each objection."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=24)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=150)
    note = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["application", "at"], name="welfare_appstep_app_at")]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.action}"


class Objection(models.Model):
    """An objection raised during the public notice (公示异议), and its answer. The text may name
    people: sealed."""

    public_id = models.UUIDField(default=uuid7, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField(_("received on"))
    text_sealed = models.TextField()
    recorded_by_name = models.CharField(max_length=150)
    answer_sealed = models.TextField(blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=ObjectionOutcome.choices, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answered_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.received_on}"
