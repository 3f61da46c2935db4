from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharityConfig(AppConfig):
    name = "linli.charity"
    label = "charity"
    verbose_name = _("Charity and micro-funds")

    def ready(self) -> None:
        from linli.charity.workbench import charity_today
        from linli.core.workbench import workbench_register

        workbench_register("charity", order=65, today=charity_today)
