"""Load the shipped facility kinds and the GB 50180-2018 walking distances at install. Known
codes are kept as the city edited them; running again changes nothing."""

from django.db import migrations

from linli.facilities.migrations import _shipped


class Migration(migrations.Migration):
    dependencies = [("facilities", "0001_initial")]
    operations = [migrations.RunPython(_shipped.load, migrations.RunPython.noop)]
