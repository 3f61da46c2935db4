from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimeBankConfig(AppConfig):
    name = "linli.timebank"
    label = "timebank"
    verbose_name = _("Time bank")

    def ready(self) -> None:
        from linli.core.workbench import workbench_register
        from linli.timebank.services import on_hours_approved
        from linli.timebank.workbench import timebank_today
        from linli.volunteers.signals import hours_approved

        # credited inside the approving transaction: an approval and its credit commit together
        hours_approved.connect(on_hours_approved, dispatch_uid="timebank.hours_credit")
        workbench_register("timebank", order=60, today=timebank_today)
