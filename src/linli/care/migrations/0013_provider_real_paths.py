"""Providers based in a street or a district were stored under the unit's 12-digit code
(210102001000) instead of its path (210102001), so the unit could not be found to post the
provider's new accounts. Rewrite those providers' paths to the unit's path. Their statements keep
the path they were made with: approved ones are frozen by the database, and the code form still
lies under the unit's path, so scope reads them as before."""

from django.db import migrations


def _real_path(code: str) -> str:
    if len(code) == 12 and code.endswith("000000"):
        return code[:6]
    if len(code) == 12 and code.endswith("000"):
        return code[:9]
    return code


def forwards(apps, schema_editor):
    Provider = apps.get_model("care", "Provider")
    for provider in Provider.objects.all().only("pk", "path"):
        path = _real_path(provider.path)
        if path != provider.path:
            Provider.objects.filter(pk=provider.pk).update(path=path)


class Migration(migrations.Migration):
    dependencies = [("care", "0012_labels_distinct")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
