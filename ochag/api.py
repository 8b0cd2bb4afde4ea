"""The JSON API: one NinjaAPI composed of the routers each app exposes (OpenAPI at /api/docs)."""

from __future__ import annotations

from ninja import NinjaAPI

from ochag.signals.api import router as signals_router

api = NinjaAPI(
    title="Ochag API",
    version="1",
    description="Interfaces for agencies' own systems. Authenticate with the agency's token.",
    urls_namespace="api",
)

# Each app that offers an API mounts its router at /api/<app>/.
api.add_router("/signals/", signals_router)
