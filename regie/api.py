"""The JSON API under /api/v1: assembles the router of each app that registered one.

Authentication: a personal token (``Authorization: Bearer <token>``, made with
``manage.py create_api_token``) or the browser's session with its CSRF token. The docs at
/api/v1/docs and the schema at /api/v1/openapi.json are for logged-in users only.
"""

from django.utils.module_loading import import_string
from ninja import NinjaAPI

from regie.core import plugins
from regie.core.api import (
    BearerTokenAuth,
    SessionAuth,
    docs_login_required,
    install_error_handlers,
)

token_auth = BearerTokenAuth(import_string(plugins.declared("api_token_check")))

api = NinjaAPI(
    title="Regie API",
    version="1",
    description="Regie: registry, networks, action plan, clients and rounds of a regie area. "
    "Lists take ?limit=&offset= and answer "
    '{"items": [...], "count": N}. Errors answer {"detail": "...", "errors": {"field": [...]}}.',
    urls_namespace="api",
    auth=[token_auth, SessionAuth()],
    docs_decorator=docs_login_required(token_auth),
)
install_error_handlers(api)
for contribution in plugins.contributions():
    for router in contribution.api_routers:
        api.add_router("", import_string(router))
