from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "linli.partners"
    label = "partners"
    verbose_name = _("Social organisations")

    def ready(self) -> None:
        from linli.core.workbench import workbench_register
        from linli.partners.workbench import partners_today

        workbench_register("partners", order=55, today=partners_today)
