"""Role checks shared by every app. Object scoping lives in each model's ``visible_to``."""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


def role_of(user: Any) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return "admin" if user.is_superuser else str(user.role)


def role_required(*roles: str) -> Callable[..., Any]:
    """Only these roles reach the view; everyone else gets a 404, as for a foreign object."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if role_of(request.user) not in roles:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


if TYPE_CHECKING:
    from regie.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """The request type of views behind ``login_required`` or ``role_required``."""

    user: "User"
