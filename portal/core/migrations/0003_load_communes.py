"""Hanoi's 126 wards and communes are reference data every installation needs."""

from django.db import migrations


def load(apps, schema_editor):
    from portal.core.services import communes_load

    communes_load(model=apps.get_model("core", "Commune"))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_scheduled_job_run")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
