"""The JSON API under /api/v1: assembles each app's router.

Authentication: a personal token (``Authorization: Bearer <token>``, made with
``manage.py create_api_token``) or the browser's session with its CSRF token. The docs at
/api/v1/docs and the schema at /api/v1/openapi.json are for logged-in users only.
"""

from ninja import NinjaAPI

from regie.accounts.services import api_token_authenticate
from regie.clients.api import router as clients_router
from regie.core.api import (
    BearerTokenAuth,
    SessionAuth,
    docs_login_required,
    install_error_handlers,
)
from regie.logistics.api import router as logistics_router
from regie.network.api import router as network_router
from regie.network.event_api import router as event_router
from regie.network.knowledge_api import router as knowledge_router
from regie.plans.api import router as plans_router
from regie.registry.api import router as registry_router

token_auth = BearerTokenAuth(api_token_authenticate)

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
api.add_router("", registry_router)
api.add_router("", network_router)
api.add_router("", knowledge_router)
api.add_router("", plans_router)
api.add_router("", event_router)
api.add_router("", clients_router)
api.add_router("", logistics_router)
