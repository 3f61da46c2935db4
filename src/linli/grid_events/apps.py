from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridEventsConfig(AppConfig):
    name = "linli.grid_events"
    label = "grid_events"
    verbose_name = _("Grid events")
