from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "linli.care"
    label = "care"
    verbose_name = _("Care services")

    def ready(self) -> None:
        from linli.care.workbench import care_register

        care_register()
