from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "linli.welfare"
    label = "welfare"
    verbose_name = _("Social assistance")

    def ready(self) -> None:
        from linli.welfare.workbench import welfare_register

        welfare_register()

        # applications: the desk's 低保/特困/边缘/刚性 items open an application here (stage applications)
        from linli.welfare.desk import desk_register_applications

        desk_register_applications()

        # relief: the desk's temporary-assistance item opens a record here (stage relief)
        from linli.welfare.desk_relief import desk_register_relief

        desk_register_relief()
