"""Who may see and change which part of the plan and the budget: scoping is decided here.

| role | actions | budget |
|---|---|---|
| admin | every region, read and write | everything |
| coordinator | their region, read and write | their region: grant, lines, expenses, carry-overs |
| partner, counsellor | read-only: the actions their organisation is a partner in | nothing |
| viewer | read-only: the actions of the regions their municipality belongs to | totals only |

A viewer's budget page shows the totals (grant, income, spent, committed, unspent, the
carry-over's status and amount) and never a budget line, an expense or a supplier.
"""

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q

from regie.core.permissions import (
    MANAGERS,
    Actor,
    Role,
    has_role,
    in_municipality,
    in_region,
    role_of,
)
from regie.registry.models import Region, RegionMembership

if TYPE_CHECKING:
    from regie.plans.models import (  # noqa: F401 (names used in string annotations)
        Action,
        BudgetLine,
        CarryOver,
        Expense,
        Grant,
    )


def _viewer_regions(actor: Actor) -> Q:
    """The regions a viewer's municipality is (or was) a member of, and their own region."""
    member_of = RegionMembership.objects.filter(in_municipality(actor)).values("region_id")
    regions = Q(pk__in=member_of)
    if actor.region_id:
        regions |= Q(pk=actor.region_id)
    return regions


def plan_regions(actor: Actor) -> models.QuerySet[Region]:
    """The regions whose action plan the user may open (the board shows what they may see)."""
    from regie.plans.models import Action

    match role_of(actor):
        case Role.ADMIN:
            return Region.objects.all()
        case Role.COORDINATOR:
            return Region.objects.filter(in_region(actor, "pk"))
        case Role.VIEWER:
            return Region.objects.filter(_viewer_regions(actor))
        case Role.PARTNER | Role.COUNSELLOR:
            own = Q(organisations__pk=actor.organisation_id)
            partner_in = Q(pk__in=Action.objects.visible_to(actor).values("region_id"))
            return Region.objects.filter(own | partner_in).distinct()
        case _:
            return Region.objects.none()


def budget_regions(actor: Actor) -> models.QuerySet[Region]:
    """The regions whose budget totals the user may see."""
    match role_of(actor):
        case Role.ADMIN:
            return Region.objects.all()
        case Role.COORDINATOR:
            return Region.objects.filter(in_region(actor, "pk"))
        case Role.VIEWER:
            return Region.objects.filter(_viewer_regions(actor))
        case _:
            return Region.objects.none()


def managed_regions(actor: Actor) -> models.QuerySet[Region]:
    """The regions whose plan and budget the user may change, and whose budget lines, expenses
    and carry-over requests they may see: the coordinator's own region, all for an admin."""
    match role_of(actor):
        case Role.ADMIN:
            return Region.objects.all()
        case Role.COORDINATOR:
            return Region.objects.filter(in_region(actor, "pk"))
        case _:
            return Region.objects.none()


BUDGET_READERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.VIEWER})
"""Who sees a region's budget: its details (``MANAGERS``), or its totals only (the viewer)."""


def sees_budget_details(actor: Actor) -> bool:
    return has_role(actor, MANAGERS)


def sees_whole_plan(actor: Actor) -> bool:
    """Partners and counsellors see a part of the plan: they get no "missing pillar" warning."""
    return has_role(actor, BUDGET_READERS)


class ActionQuerySet(models.QuerySet["Action"]):
    def visible_to(self, actor: Actor) -> "ActionQuerySet":
        from regie.plans.models import Action

        match role_of(actor):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR:
                return self.filter(in_region(actor))
            case Role.VIEWER:
                return self.filter(region__in=Region.objects.filter(_viewer_regions(actor)))
            case Role.PARTNER | Role.COUNSELLOR:
                if not actor.organisation_id:
                    return self.none()
                partner = Action.partner_organisations.through.objects.filter(
                    action_id=OuterRef("pk"), organisation_id=actor.organisation_id
                )
                return self.filter(Exists(partner))
            case _:
                return self.none()

    def editable_by(self, actor: Actor) -> "ActionQuerySet":
        match role_of(actor):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR:
                return self.filter(in_region(actor))
            case _:
                return self.none()

    def in_year(self, year: int) -> "ActionQuerySet":
        return self.filter(year__lte=year, last_year__gte=year)


class GrantQuerySet(models.QuerySet["Grant"]):
    def visible_to(self, actor: Actor) -> "GrantQuerySet":
        return self.filter(region__in=budget_regions(actor))

    def editable_by(self, actor: Actor) -> "GrantQuerySet":
        return self.filter(region__in=managed_regions(actor))


class BudgetLineQuerySet(models.QuerySet["BudgetLine"]):
    def visible_to(self, actor: Actor) -> "BudgetLineQuerySet":
        return self.filter(grant__region__in=managed_regions(actor))

    def editable_by(self, actor: Actor) -> "BudgetLineQuerySet":
        return self.visible_to(actor)


class ExpenseQuerySet(models.QuerySet["Expense"]):
    def visible_to(self, actor: Actor) -> "ExpenseQuerySet":
        return self.filter(grant__region__in=managed_regions(actor))

    def editable_by(self, actor: Actor) -> "ExpenseQuerySet":
        return self.visible_to(actor)


class CarryOverQuerySet(models.QuerySet["CarryOver"]):
    def visible_to(self, actor: Actor) -> "CarryOverQuerySet":
        """Status and amounts are budget totals (viewers see them); the justification and the
        letter are shown only where ``editable_by`` allows."""
        return self.filter(region__in=budget_regions(actor))

    def editable_by(self, actor: Actor) -> "CarryOverQuerySet":
        return self.filter(region__in=managed_regions(actor))
