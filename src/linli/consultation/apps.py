from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "linli.consultation"
    label = "consultation"
    verbose_name = _("Deliberation and self-governance")

    def ready(self) -> None:
        from linli.consultation.handoff import handoffs_register
        from linli.consultation.workbench import consultation_register

        handoffs_register()  # a grid event or a micro-fund payment may become a topic
        consultation_register()
