"""The rate limit of the public registration form and API, per client address."""

from django.conf import settings
from django.utils.translation import gettext as _

from regie.core import throttle
from regie.core.throttle import client_ip

__all__ = ["client_ip", "rate_limit_message", "registration_rate_limited"]


def registration_rate_limited(*, ip: str, now: float | None = None) -> bool:
    """Count one attempt from ``ip``; True once it made more than the allowed number in the
    current window (``REGIE_REGISTRATION_RATE``, e.g. 10 per 600 seconds)."""
    limit, period = settings.REGIE_REGISTRATION_RATE
    if limit <= 0:
        return False
    return throttle.hit(f"registration:{ip}", period=period, now=now) > limit


def rate_limit_message() -> str:
    return _(
        "Too many registrations from your connection in a short time. "
        "Wait a few minutes and try again."
    )
