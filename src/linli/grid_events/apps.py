from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridEventsConfig(AppConfig):
    name = "linli.grid_events"
    label = "grid_events"
    verbose_name = _("Grid events")

    def ready(self) -> None:
        from linli.core.workbench import workbench_register
        from linli.grid_events.workbench import grid_person, grid_search, grid_today

        workbench_register("grid", order=20, today=grid_today, search=grid_search, person=grid_person)
