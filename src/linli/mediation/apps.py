from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "linli.mediation"
    label = "mediation"
    verbose_name = _("Safe community")

    def ready(self) -> None:
        from linli.mediation.handoff import grid_event_handoff_register
        from linli.mediation.workbench import mediation_register

        grid_event_handoff_register()  # a grid event may be handed on to mediation
        mediation_register()
