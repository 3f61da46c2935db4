"""Deploy checks of our own: `linli check --deploy` refuses the development secrets."""

import base64

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def development_secrets(app_configs, **kwargs):
    errors = []
    if settings.LINLI_DEV_SECRETS["secret_key"] == settings.SECRET_KEY:
        errors.append(Error("LINLI_SECRET_KEY is the development default.", id="linli.E001"))
    if any(k == settings.LINLI_DEV_SECRETS["data_key"] for k in _encoded_keys()):
        errors.append(Error("LINLI_DATA_KEYS contains the development key.", id="linli.E002"))
    if base64.b64encode(settings.LINLI_INDEX_KEY).decode() == settings.LINLI_DEV_SECRETS["index_key"]:
        errors.append(Error("LINLI_INDEX_KEY is the development default.", id="linli.E004"))
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        errors.append(Error("Production runs on PostgreSQL; set LINLI_DATABASE_URL=postgres://…", id="linli.E003"))
    return errors


def _encoded_keys() -> list[str]:
    return [base64.b64encode(k).decode() for k in settings.LINLI_DATA_KEYS.values()]
