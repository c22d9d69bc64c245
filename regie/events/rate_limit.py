"""The rate limit of the public registration form and API, per client address."""

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _


def client_ip(request: HttpRequest) -> str:
    """The visitor's address. Behind the reverse proxy of docs/deployment.md gunicorn sees the
    proxy on a loopback or private address; the proxy appends the real one to
    X-Forwarded-For, so its last entry is the one to trust (earlier ones the client wrote)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    try:
        via_proxy = ipaddress.ip_address(remote).is_private
    except ValueError:
        via_proxy = False
    if via_proxy and forwarded:
        last = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            return remote
    return remote


def registration_rate_limited(*, ip: str, now: float | None = None) -> bool:
    """Count one attempt from ``ip``; True once it made more than the allowed number in the
    current window (``REGIE_REGISTRATION_RATE``, e.g. 10 per 600 seconds)."""
    limit, period = settings.REGIE_REGISTRATION_RATE
    if limit <= 0:
        return False
    moment = timezone.now().timestamp() if now is None else now
    key = f"regie:registration-rate:{ip}:{int(moment // period)}"
    cache.add(key, 0, timeout=period)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        attempts = 1
    return attempts > limit


def rate_limit_message() -> str:
    return _(
        "Too many registrations from your connection in a short time. "
        "Wait a few minutes and try again."
    )
