from django.db import migrations, models

from search.models import UNDATED


def date_the_undated(apps, schema_editor):
    apps.get_model("search", "SearchMatch").objects.filter(published_at__isnull=True).update(
        published_at=UNDATED
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0004_covering_facet_index")]

    operations = [
        migrations.RunPython(date_the_undated, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="searchmatch", name="published_at", field=models.DateTimeField()
        ),
    ]
