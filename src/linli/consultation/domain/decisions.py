"""The decision a consultation reaches, published, then carried out: tasks (who, what, by when) with
progress updates until done, and the participants' evaluation (five levels) once it is done."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.errors import Msg

RATINGS = (1, 2, 3, 4, 5)  # 非常不满意 … 非常满意
EVALUATION_DAYS = 30  # participants may evaluate for this many days after the last task is done


class TaskState(models.TextChoices):
    OPEN = "open", _("In progress")
    DONE = "done", _("Done")


AUDIT_ACTIONS: dict[str, Msg] = {
    "consultation.decision_publish": Msg("公布协商决定", "Decision published"),
    "consultation.task_save": Msg("落实协商决定的任务", "Implementation task set"),
    "consultation.task_progress": Msg("登记落实进展", "Implementation progress recorded"),
    "consultation.task_done": Msg("协商决定任务完成", "Implementation task done"),
    "consultation.decision_evaluate": Msg("评价协商成效", "Decision evaluated"),
    "consultation.consultation_complete": Msg("协商事项办结", "Consultation completed"),
}

# what the five levels are called, best first on the page (非常满意 … 非常不满意)
RATING_WORDS = {
    5: _("Very satisfied"),
    4: _("Satisfied"),
    3: _("Neutral"),
    2: _("Dissatisfied"),
    1: _("Very dissatisfied"),
}
PERCENT_MAX = 100


def evaluation_open(last_done_on, today) -> bool:
    """Participants may evaluate from the day the last task is done for EVALUATION_DAYS days."""
    return last_done_on is not None and 0 <= (today - last_done_on).days < EVALUATION_DAYS


def progress_allowed(current: int, given: int) -> bool:
    """Progress only moves forward, and never beyond 100%."""
    return current <= given <= PERCENT_MAX
