"""Who sees which home work, vans and rounds: the one place where logistics scoping is decided.

- a coordinator sees the floors, vans and plans of their region;
- a partner sees those of their own organisation (the floors they plan rounds for);
- a driver (a user whose registry person drives the van) sees their own van's stops: the round
  sheet and the check-in pages, whatever their role;
- counsellors, viewers and the technical administrator see nothing here (counsellors find the
  doorstep contacts in the client file).
"""

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from regie.core.permissions import Actor, Role, in_region, role_of

if TYPE_CHECKING:
    from regie.logistics.models import (  # noqa: F401 (names used in string annotations)
        HomeWorkAssignment,
        Order,
        RoundPlan,
        RoundStop,
        Van,
    )

PLANNERS = frozenset({Role.COORDINATOR, Role.PARTNER})
"""Who plans the home work and the rounds: a coordinator for their region's floors, a partner
for their own organisation's."""


def _organisation_scope(actor: Actor, prefix: str) -> Q | None:
    """The organisations whose floors ``actor`` plans for, as a filter on ``prefix``."""
    match role_of(actor):
        case Role.COORDINATOR:
            return in_region(actor, f"{prefix}__region_id")
        case Role.PARTNER:
            return Q(**{f"{prefix}_id": actor.organisation_id})
        case _:
            return None


class AssignmentQuerySet(models.QuerySet["HomeWorkAssignment"]):
    def visible_to(self, actor: Actor) -> "AssignmentQuerySet":
        scope = _organisation_scope(actor, "organisation")
        return self.filter(scope) if scope is not None else self.none()

    def editable_by(self, actor: Actor) -> "AssignmentQuerySet":
        return self.visible_to(actor)


class OrderQuerySet(models.QuerySet["Order"]):
    def visible_to(self, actor: Actor) -> "OrderQuerySet":
        scope = _organisation_scope(actor, "assignment__organisation")
        return self.filter(scope) if scope is not None else self.none()

    def editable_by(self, actor: Actor) -> "OrderQuerySet":
        return self.visible_to(actor)


class VanQuerySet(models.QuerySet["Van"]):
    def visible_to(self, actor: Actor) -> "VanQuerySet":
        scope = _organisation_scope(actor, "organisation")
        return self.filter(scope) if scope is not None else self.none()

    def editable_by(self, actor: Actor) -> "VanQuerySet":
        return self.visible_to(actor)

    def driven_by(self, actor: Actor) -> "VanQuerySet":
        if role_of(actor) in (None, Role.ADMIN) or not actor.person_id:
            return self.none()
        return self.filter(driver_id=actor.person_id)


class RoundPlanQuerySet(models.QuerySet["RoundPlan"]):
    def visible_to(self, actor: Actor) -> "RoundPlanQuerySet":
        scope = _organisation_scope(actor, "organisation")
        return self.filter(scope) if scope is not None else self.none()

    def editable_by(self, actor: Actor) -> "RoundPlanQuerySet":
        return self.visible_to(actor)


class RoundStopQuerySet(models.QuerySet["RoundStop"]):
    def visible_to(self, actor: Actor) -> "RoundStopQuerySet":
        """The planners' stops, and a driver's own van's stops."""
        scope = _organisation_scope(actor, "plan__organisation")
        if role_of(actor) not in (None, Role.ADMIN) and actor.person_id:
            driver = Q(van__driver_id=actor.person_id)
            scope = driver if scope is None else scope | driver
        return self.filter(scope) if scope is not None else self.none()

    def editable_by(self, actor: Actor) -> "RoundStopQuerySet":
        return self.visible_to(actor)
