"""Sign-in throttling that cannot be turned against users.

django-axes locks a user name *from one address* after repeated failures (settings
``AXES_LOCKOUT_PARAMETERS``), so knowing the coordinator's user name is not enough to lock them
out. Password spraying — many user names from one address — meets a separate, higher ceiling
per address (``REGIE_LOGIN_ADDRESS_RATE``), counted on the shared cache: it stops signing in from
that address for the rest of the window without locking any account.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from regie.core import throttle

if TYPE_CHECKING:
    from regie.accounts.models import User


def username_of(request: HttpRequest | None, credentials: Mapping[str, object] | None) -> str:
    """The user name axes counts under: case-folded, so ``Coordinator`` is ``coordinator``."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username")
    return str(raw or "").strip().casefold()


def _address_key(request: HttpRequest) -> str:
    return f"login-address:{throttle.client_ip(request)}"


def address_blocked(request: HttpRequest | None) -> bool:
    """True when this address failed to sign in more often than the ceiling in this window."""
    limit, period = settings.REGIE_LOGIN_ADDRESS_RATE
    if request is None or limit <= 0:
        return False
    return throttle.count(_address_key(request), period=period) >= limit


def count_failure(
    sender: object,
    credentials: Mapping[str, object],
    request: HttpRequest | None = None,
    **kwargs: object,
) -> None:
    """``user_login_failed`` receiver (connected in ``AccountsConfig.ready``): one more failure
    for the address, whichever user name it tried."""
    limit, period = settings.REGIE_LOGIN_ADDRESS_RATE
    if request is not None and limit > 0:
        throttle.hit(_address_key(request), period=period)


ADDRESS_BLOCKED_MESSAGE = _(
    "Too many failed sign-ins from your connection. Wait a quarter of an hour and try again."
)


class AddressCeilingBackend(ModelBackend):
    """First in ``AUTHENTICATION_BACKENDS``: refuses every sign-in from an address over the
    ceiling (the project's login and the admin's), before any password is checked. It checks no
    password itself; it reads a session's user as Django's backend does (being first, it is the
    one ``Client.force_login`` and Django record in the session)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> "User | None":
        if address_blocked(request):
            raise PermissionDenied(ADDRESS_BLOCKED_MESSAGE)
        return None
