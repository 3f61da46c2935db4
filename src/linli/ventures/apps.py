from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenturesConfig(AppConfig):
    name = "linli.ventures"
    label = "ventures"
    verbose_name = _("Venture projects")

    def ready(self) -> None:
        from linli.core.workbench import workbench_register
        from linli.ventures.workbench import ventures_today

        workbench_register("ventures", order=60, today=ventures_today)
