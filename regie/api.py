"""The JSON API under /api/v1: assembles each app's router."""

from ninja import NinjaAPI

api = NinjaAPI(title="Regie API", version="1", urls_namespace="api")
