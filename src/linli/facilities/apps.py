from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "linli.facilities"
    label = "facilities"
    verbose_name = _("Facilities")

    def ready(self) -> None:
        from linli.core.services import task_abandoned
        from linli.facilities.tasks import analysis_task_abandoned

        task_abandoned.connect(analysis_task_abandoned, dispatch_uid="facilities.analysis_task_abandoned")
