"""The stored calendar: the years whose schedule is known and the days that differ from the
weekday rule. Both tables keep the names they had when the calendar lived in the service desk
(`service_desk_workcalendar…`): the move to this app (decision 0013) changed Django's state only,
so existing databases keep their rows untouched."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.workdays.domain import NAME_MAX


class WorkCalendarYear(models.Model):
    """A year whose holiday schedule is known (seeded from `chinese-calendar` or entered by an
    admin). Due dates reaching into an unknown year skip its statutory holidays only (no 调休)
    and are flagged provisional."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=40)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "service_desk_workcalendaryear"
        verbose_name = _("work calendar year")
        verbose_name_plural = _("work calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class WorkCalendarDay(models.Model):
    """A day whose status differs from the weekday rule: a public holiday on a weekday, or a
    swapped working weekend day (调休)."""

    day = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=NAME_MAX, blank=True)
    source = models.CharField(_("source"), max_length=40)

    class Meta:
        db_table = "service_desk_workcalendarday"
        verbose_name = _("work calendar day")
        verbose_name_plural = _("work calendar")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'workday' if self.is_workday else 'holiday'}"
