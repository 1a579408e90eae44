"""The configured engine: Elasticsearch when ELASTICSEARCH_URL is set, else the database."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from ..base import Engine


@cache
def get_engine() -> Engine:
    path = (
        "search.engines.elasticsearch.ElasticsearchEngine"
        if settings.ELASTICSEARCH_URL
        else "search.engines.database.DatabaseEngine"
    )
    return import_string(path)()
