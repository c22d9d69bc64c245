"""Reading client files: the page decorator (roles and ``Cache-Control: no-store``) and the
access log that every view, export and reveal of a file writes to."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Protocol, cast

from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from regie.accounts.models import User
from regie.clients.models import AccessAction, AccessLog, Channel, Client
from regie.core.permissions import Role, role_of, role_required


class _NoStoreMarked(Protocol):
    no_store: bool  # read by the tests: every client page answers ``no-store``


def no_store[**P](view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Browsers and proxies keep no copy of the response (shared office computers)."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        response = view(*args, **kwargs)
        patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        response["Pragma"] = "no-cache"
        return response

    cast(_NoStoreMarked, wrapped).no_store = True
    return wrapped


def client_page(
    *roles: Role,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Only these roles reach the page (others get 404), and the answer is never cached."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        guarded: Callable[..., HttpResponse] = role_required(*roles)(view)
        return no_store(guarded)

    return decorator


def access_record(
    *,
    user: User,
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
