"""The role vocabulary shared by every app: the roles, ``role_of``, the named role sets and
``role_required``. Object scoping lives in each model's ``visible_to`` / ``editable_by``, which
read a user only through ``Actor``.

Each queryset states, per role, its scope, in one ``match``::

    def visible_to(self, actor: Actor) -> "OrganisationQuerySet":
        match role_of(actor):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR | Role.COUNSELLOR:
                return self.filter(in_region(actor))
            case Role.PARTNER:
                return self.filter(pk=actor.organisation_id)
            case _:
                return self.none()
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, Concatenate, Protocol, cast

from django.contrib.auth.decorators import login_required
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    # ``_User`` is django-stubs' name for the user model ``AUTH_USER_MODEL`` names (the mypy
    # plugin resolves it), so core types the signed-in user without importing ``accounts``.
    from django.contrib.auth.models import AnonymousUser, _User


class Role(models.TextChoices):
    """What a user does in the regie; ``accounts.User.role`` stores the value."""

    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")
    COUNSELLOR = "counsellor", _("Counsellor")
    VIEWER = "viewer", _("Viewer")
    ADMIN = "admin", _("Administrator")


# The role sets several apps name. An app's own set (the budget's readers, the round planners)
# lives in that app, spelled with ``Role`` members.
MANAGERS = frozenset({Role.ADMIN, Role.COORDINATOR})
"""Who changes a region's registry, networks and plan: the coordinator, and the admin."""
NETWORK_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.PARTNER, Role.COUNSELLOR})
"""Everyone who works in the region's network: every role but the viewer."""
FIELD_ROLES = frozenset({Role.COORDINATOR, Role.PARTNER, Role.COUNSELLOR})
"""The roles that work with clients and on the rounds (not the viewer, not the admin)."""


class Actor(Protocol):
    """What scoping reads from a user. ``accounts.User`` is one; ``core`` and ``registry`` name
    only this, so they need not import ``accounts``."""

    @property
    def pk(self) -> Any: ...  # noqa: ANN401 — Django types every model's pk as Any
    @property
    def role(self) -> str: ...
    @property
    def region_id(self) -> int | None: ...
    @property
    def organisation_id(self) -> int | None: ...
    @property
    def municipality_id(self) -> int | None: ...
    @property
    def person_id(self) -> int | None: ...
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_active(self) -> bool: ...
    @property
    def is_superuser(self) -> bool: ...
    @property
    def is_staff(self) -> bool: ...


def role_of(actor: "Actor | AnonymousUser | None") -> Role | None:
    """The role scoping applies: ``None`` for nobody (anonymous or deactivated); a superuser is
    an admin whatever their stored role."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return None
    if actor.is_superuser:
        return Role.ADMIN
    try:
        return Role(str(getattr(actor, "role", "")))  # an AnonymousUser has none; it left above
    except ValueError:
        return None


def has_role(actor: "Actor | AnonymousUser | None", roles: "frozenset[Role]") -> bool:
    """``role_of(actor)`` is one of ``roles`` (a named set above, or the app's own)."""
    return role_of(actor) in roles


# A role's binding as a filter: ``field`` names the region, organisation or municipality on the
# model; an actor without one (a coordinator always has a region: ``accounts.User``'s
# constraints) gets no rows.
def in_region(actor: Actor, field: str = "region_id") -> Q:
    """Rows of the actor's region."""
    return _bound(field, actor.region_id)


def in_organisation(actor: Actor, field: str = "organisation_id") -> Q:
    """Rows of the actor's organisation (a partner's or a counsellor's)."""
    return _bound(field, actor.organisation_id)


def in_municipality(actor: Actor, field: str = "municipality_id") -> Q:
    """Rows of the actor's municipality (a viewer's)."""
    return _bound(field, actor.municipality_id)


def _bound(field: str, pk: int | None) -> Q:
    return Q(**{field: pk}) if pk else Q(pk__in=[])


type RoleView[**P, R] = Callable[Concatenate["AuthenticatedRequest", P], R]
"""A view behind ``role_required``: its request has a signed-in user."""
type View[**P, R] = Callable[Concatenate[HttpRequest, P], R]


def role_required[**P, R: HttpResponseBase](
    *roles: Role,
) -> Callable[[RoleView[P, R]], View[P, R]]:
    """Only these roles reach the view; everyone else gets a 404, as for a foreign object."""

    def decorator(view: RoleView[P, R]) -> View[P, R]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> R:
            if role_of(request.user) not in roles:
                raise Http404
            # ``login_required`` let only a signed-in user through.
            return view(cast(AuthenticatedRequest, request), *args, **kwargs)

        return wrapped

    return decorator


class AuthenticatedRequest(HttpRequest):
    """The request type of views behind ``login_required`` or ``role_required``: the user is
    signed in (an ``Actor``, and the model ``AUTH_USER_MODEL`` names)."""

    user: "_User"
