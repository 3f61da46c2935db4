"""The Django admin's view of the work calendar (operators): the stored days and the known years,
read only — entries go through the calendar page or the API, which audit them and keep the
statutory holidays of a year when it is first entered."""

from django.contrib import admin

from linli.workdays.models import WorkCalendarDay, WorkCalendarYear


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkCalendarDay)
class WorkCalendarDayAdmin(_ReadOnly):
    list_display = ("day", "is_workday", "name", "source")
    list_filter = ("is_workday", "source")
    date_hierarchy = "day"


@admin.register(WorkCalendarYear)
class WorkCalendarYearAdmin(_ReadOnly):
    list_display = ("year", "source", "updated_at")
