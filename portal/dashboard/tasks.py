from django_tasks import task

from .selectors import refresh_reads


@task()
def refresh_dashboard_reads() -> None:
    """Reads the dashboard's figures and charts again after a write, off the request."""
    refresh_reads()
