"""The HTTP API (Django Ninja; OpenAPI at /api/docs). Routers stay thin: parse, authorise, call a service."""

from ninja import NinjaAPI

from hushdor import __version__

api = NinjaAPI(title="Hushdor API", version=__version__, urls_namespace="api")
