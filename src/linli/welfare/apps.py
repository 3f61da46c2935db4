from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "linli.welfare"
    label = "welfare"
    verbose_name = _("Social assistance")

    def ready(self) -> None:
        from linli.core.workbench import workbench_register
        from linli.welfare.workbench import welfare_today

        workbench_register("welfare", order=30, today=welfare_today)

        # applications: the desk's 低保/特困/边缘/刚性 items open an application here (stage applications)
        from linli.welfare.desk import desk_register_applications

        desk_register_applications()

        # relief: the desk's temporary-assistance item opens a record here (stage relief)
        from linli.welfare.desk_relief import desk_register_relief

        desk_register_relief()
