"""Reading client files: the page decorator (roles and ``Cache-Control: no-store``) and the
access log that every view, export and reveal of a file writes to."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from regie.clients.models import AccessAction, AccessLog, Channel, Client
from regie.core.permissions import Role, role_of, role_required


def no_store[V: Callable[..., HttpResponse]](view: V) -> V:
    """Browsers and proxies keep no copy of the response (shared office computers)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        response["Pragma"] = "no-cache"
        return response

    wrapped.no_store = True  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]


def client_page(
    *roles: Role,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Only these roles reach the page (others get 404), and the answer is never cached."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        return no_store(role_required(*roles)(view))

    return decorator


def access_record(
    *,
    user: Any,
    clients: Iterable[Client],
    action: AccessAction,
    what: str,
    reason: str = "",
    channel: Channel = Channel.WEB,
) -> int:
    """Write one access-log row per client; returns how many. Never carries a client's data."""
    rows = [
        AccessLog(
            user=user,
            username=user.get_username(),
            role=role_of(user) or "",
            client=client,
            client_code=client.code,
            region_id=client.region_id,
            action=action,
            what=what[:100],
            reason=reason[:300],
            channel=channel,
        )
        for client in clients
    ]
    AccessLog.objects.bulk_create(rows)
    return len(rows)
