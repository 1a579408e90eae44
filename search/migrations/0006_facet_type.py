from django.db import migrations, models

FILL_TYPES = (
    "UPDATE search_searchfacet SET doc_type = (SELECT d.doc_type FROM search_searchdocument d "
    "WHERE d.id = search_searchfacet.document_id)"
)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_undated_matches")]

    operations = [
        migrations.AddField(
            model_name="searchfacet",
            name="doc_type",
            field=models.CharField(default="", max_length=40),
            preserve_default=False,
        ),
        migrations.RunSQL(FILL_TYPES, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="searchfacet",
            index=models.Index(fields=["doc_type", "field", "value"], name="search_facet_by_type"),
        ),
    ]
