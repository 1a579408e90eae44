"""The open-data API root: `/api/v1/`, its OpenAPI schema and its documentation page."""

from ninja import NinjaAPI

from sandbox.api import router as sandbox_router
from search.api import router as search_router
from startups.api import router as startups_router

api = NinjaAPI(
    title="Hanoi Innovation Portal open data",
    version="1",
    description="Read-only public data of the Hanoi Innovation Portal. Vietnamese text throughout.",
    urls_namespace="api",
)
api.add_router("/", search_router)
api.add_router("/startups", startups_router)
api.add_router("/sandbox", sandbox_router)
