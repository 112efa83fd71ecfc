"""The HTTP API (Django Ninja; OpenAPI at /api/docs). Routers stay thin: parse, authorise, call a service."""

from ninja import NinjaAPI

from hushdor import __version__
from hushdor.api import alerts

api = NinjaAPI(title="Hushdor API", version=__version__, urls_namespace="api")
api.add_router("/alerts/", alerts.router)
alerts.install_error_handlers(api)
