from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "linli.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from linli.accounts import receivers  # noqa: F401 (connects the log-in signal receivers)
