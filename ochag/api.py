"""The JSON API: one NinjaAPI composed of the routers each app exposes (OpenAPI at /api/docs)."""

from __future__ import annotations

from importlib import import_module

from ninja import NinjaAPI

api = NinjaAPI(
    title="Ochag API",
    version="1",
    description="Interfaces for agencies' own systems. Authenticate with the agency's token.",
    urls_namespace="api",
)

# Each app that has an api.py exposes `router`; mounted at /api/<app>/.
for _app in ("registry", "signals", "cases"):
    try:
        _module = import_module(f"ochag.{_app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"ochag.{_app}.api":
            raise
        continue
    api.add_router(f"/{_app}/", _module.router)
