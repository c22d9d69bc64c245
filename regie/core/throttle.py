"""Who is asking, and how often: the client address and one counter per key and time window.

Every limit of the project counts here (the public registration form, the login ceiling per
address, the API), on the shared cache, so that several web workers count together.
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone


def client_ip(request: HttpRequest) -> str:
    """The client's address, as the trusted reverse proxies saw it.

    ``REGIE_TRUSTED_PROXIES`` says how many proxies stand before gunicorn (docs/deployment.md:
    one). Each appends the address it received from to ``X-Forwarded-For``, so with ``n``
    proxies the ``n``-th entry from the right is the client; the entries before it are whatever
    the client wrote and are never believed. The header counts only when the request comes from
    a private or loopback address (the proxy); with no trusted proxy it is ignored.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies: int = settings.REGIE_TRUSTED_PROXIES
    forwarded = [
        entry.strip()
        for entry in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if entry.strip()
    ]
    if proxies <= 0 or not forwarded or not _is_internal(remote):
        return remote
    candidate = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _is_internal(address: str) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return parsed.is_private or parsed.is_loopback


def hit(key: str, *, period: int, now: float | None = None) -> int:
    """Count one event under ``key`` in the current window of ``period`` seconds; the count."""
    moment = timezone.now().timestamp() if now is None else now
    window_key = f"regie:throttle:{key}:{int(moment // period)}"
    cache.add(window_key, 0, timeout=period)
    try:
        return int(cache.incr(window_key))
    except ValueError:  # expired between add and incr
        cache.set(window_key, 1, timeout=period)
        return 1


def count(key: str, *, period: int, now: float | None = None) -> int:
    """The events counted under ``key`` in the current window, without counting one."""
    moment = timezone.now().timestamp() if now is None else now
    return int(cache.get(f"regie:throttle:{key}:{int(moment // period)}", 0))
