"""Load the kinds care services added to the shipped list (children's homes, minors' protection
stations, women's homes, happy-education classrooms) into an existing install; known codes are
kept as the city edited them."""

from django.db import migrations

from linli.facilities.migrations import _shipped


class Migration(migrations.Migration):
    dependencies = [("facilities", "0003_network_summary")]
    operations = [migrations.RunPython(_shipped.load, migrations.RunPython.noop)]
