"""Who sees which home work, vans and rounds: the one place where logistics scoping is decided.

- a coordinator sees the floors, vans and plans of their region;
- a partner sees those of their own organisation (the floors they plan rounds for);
- a driver (a user whose registry person drives the van) sees their own van's stops: the round
  sheet and the check-in pages, whatever their role;
- counsellors, viewers and the technical administrator see nothing here (counsellors find the
  doorstep contacts in the client file).
"""

from typing import Any

from django.db import models
from django.db.models import Q

from regie.accounts.models import Role


def _role(user: Any) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return Role.ADMIN if user.is_superuser else str(user.role)


def _organisation_scope(user: Any, prefix: str) -> Q | None:
    """The organisations whose floors ``user`` plans for, as a filter on ``prefix``."""
    match _role(user):
        case Role.COORDINATOR:
            return Q(**{f"{prefix}__region_id": user.region_id}) if user.region_id else None
        case Role.PARTNER:
            return Q(**{f"{prefix}_id": user.organisation_id})
        case _:
            return None


class AssignmentQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any) -> "AssignmentQuerySet":
        scope = _organisation_scope(user, "organisation")
        return self.filter(scope) if scope is not None else self.none()

    def editable_by(self, user: Any) -> "AssignmentQuerySet":
        return self.visible_to(user)


class OrderQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any) -> "OrderQuerySet":
        scope = _organisation_scope(user, "assignment__organisation")
        return self.filter(scope) if scope is not None else self.none()

    def editable_by(self, user: Any) -> "OrderQuerySet":
        return self.visible_to(user)


class VanQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any) -> "VanQuerySet":
        scope = _organisation_scope(user, "organisation")
        return self.filter(scope) if scope is not None else self.none()

    def editable_by(self, user: Any) -> "VanQuerySet":
        return self.visible_to(user)

    def driven_by(self, user: Any) -> "VanQuerySet":
        if _role(user) in (None, Role.ADMIN) or not user.person_id:
            return self.none()
        return self.filter(driver_id=user.person_id)


class RoundPlanQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any) -> "RoundPlanQuerySet":
        scope = _organisation_scope(user, "organisation")
        return self.filter(scope) if scope is not None else self.none()

    def editable_by(self, user: Any) -> "RoundPlanQuerySet":
        return self.visible_to(user)


class RoundStopQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any) -> "RoundStopQuerySet":
        """The planners' stops, and a driver's own van's stops."""
        scope = _organisation_scope(user, "plan__organisation")
        if _role(user) not in (None, Role.ADMIN) and user.person_id:
            driver = Q(van__driver_id=user.person_id)
            scope = driver if scope is None else scope | driver
        return self.filter(scope) if scope is not None else self.none()

    def editable_by(self, user: Any) -> "RoundStopQuerySet":
        return self.visible_to(user)
