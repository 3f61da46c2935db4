from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "linli.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        from linli.core.workbench import workbench_register
        from linli.volunteers.workbench import volunteers_today

        workbench_register("volunteers", order=40, today=volunteers_today)
