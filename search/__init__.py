"""Discovery: the engine interface, Elasticsearch and database engines, indexing tasks."""
