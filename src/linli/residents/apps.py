from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "linli.residents"
    label = "residents"
    verbose_name = _("Residents")

    def ready(self) -> None:
        from linli.core.services import task_abandoned
        from linli.core.workbench import workbench_register
        from linli.residents.tasks import import_task_abandoned
        from linli.residents.workbench import residents_search, visits_today

        workbench_register("residents", order=30, today=visits_today, search=residents_search)
        task_abandoned.connect(import_task_abandoned, dispatch_uid="residents.import_task_abandoned")
