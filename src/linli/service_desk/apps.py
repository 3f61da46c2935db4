from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceDeskConfig(AppConfig):
    name = "linli.service_desk"
    label = "service_desk"
    verbose_name = _("Service desk")

    def ready(self) -> None:
        from linli.core.workbench import workbench_register
        from linli.service_desk.workbench import desk_person, desk_search, desk_today

        workbench_register("desk", order=10, today=desk_today, search=desk_search, person=desk_person)
