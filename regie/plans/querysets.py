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

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Exists, OuterRef, Q

from regie.accounts.models import Role
from regie.registry.models import Region, RegionMembership

if TYPE_CHECKING:
    from regie.plans.models import (  # noqa: F401 (names used in string annotations)
        Action,
        BudgetLine,
        CarryOver,
        Expense,
        Grant,
    )


def _role(user: Any) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return Role.ADMIN if user.is_superuser else str(user.role)


def _viewer_regions(user: Any) -> Q:
    """The regions a viewer's municipality is (or was) a member of, and their own region."""
    member_of = RegionMembership.objects.filter(municipality_id=user.municipality_id).values(
        "region_id"
    )
    regions = Q(pk__in=member_of)
    if user.region_id:
        regions |= Q(pk=user.region_id)
    return regions


def plan_regions(user: Any) -> models.QuerySet[Region]:
    """The regions whose action plan the user may open (the board shows what they may see)."""
    from regie.plans.models import Action

    match _role(user):
        case Role.ADMIN:
            return Region.objects.all()
        case Role.COORDINATOR:
            return Region.objects.filter(pk=user.region_id)
        case Role.VIEWER:
            return Region.objects.filter(_viewer_regions(user))
        case Role.PARTNER | Role.COUNSELLOR:
            own = Q(organisations__pk=user.organisation_id)
            partner_in = Q(pk__in=Action.objects.visible_to(user).values("region_id"))
            return Region.objects.filter(own | partner_in).distinct()
        case _:
            return Region.objects.none()


def budget_regions(user: Any) -> models.QuerySet[Region]:
    """The regions whose budget totals the user may see."""
    match _role(user):
        case Role.ADMIN:
            return Region.objects.all()
        case Role.COORDINATOR:
            return Region.objects.filter(pk=user.region_id)
        case Role.VIEWER:
            return Region.objects.filter(_viewer_regions(user))
        case _:
            return Region.objects.none()


def managed_regions(user: Any) -> models.QuerySet[Region]:
    """The regions whose plan and budget the user may change, and whose budget lines, expenses
    and carry-over requests they may see: the coordinator's own region, all for an admin."""
    match _role(user):
        case Role.ADMIN:
            return Region.objects.all()
        case Role.COORDINATOR:
            return Region.objects.filter(pk=user.region_id)
        case _:
            return Region.objects.none()


def sees_budget_details(user: Any) -> bool:
    return _role(user) in {Role.ADMIN, Role.COORDINATOR}


def sees_whole_plan(user: Any) -> bool:
    """Partners and counsellors see a part of the plan: they get no "missing pillar" warning."""
    return _role(user) in {Role.ADMIN, Role.COORDINATOR, Role.VIEWER}


class ActionQuerySet(models.QuerySet["Action"]):
    def visible_to(self, user: Any) -> "ActionQuerySet":
        from regie.plans.models import Action

        match _role(user):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR:
                return self.filter(region_id=user.region_id) if user.region_id else self.none()
            case Role.VIEWER:
                return self.filter(region__in=Region.objects.filter(_viewer_regions(user)))
            case Role.PARTNER | Role.COUNSELLOR:
                if not user.organisation_id:
                    return self.none()
                partner = Action.partner_organisations.through.objects.filter(
                    action_id=OuterRef("pk"), organisation_id=user.organisation_id
                )
                return self.filter(Exists(partner))
            case _:
                return self.none()

    def editable_by(self, user: Any) -> "ActionQuerySet":
        match _role(user):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR:
                return self.filter(region_id=user.region_id) if user.region_id else self.none()
            case _:
                return self.none()

    def in_year(self, year: int) -> "ActionQuerySet":
        return self.filter(year__lte=year, last_year__gte=year)


class GrantQuerySet(models.QuerySet["Grant"]):
    def visible_to(self, user: Any) -> "GrantQuerySet":
        return self.filter(region__in=budget_regions(user))

    def editable_by(self, user: Any) -> "GrantQuerySet":
        return self.filter(region__in=managed_regions(user))


class BudgetLineQuerySet(models.QuerySet["BudgetLine"]):
    def visible_to(self, user: Any) -> "BudgetLineQuerySet":
        return self.filter(grant__region__in=managed_regions(user))

    def editable_by(self, user: Any) -> "BudgetLineQuerySet":
        return self.visible_to(user)


class ExpenseQuerySet(models.QuerySet["Expense"]):
    def visible_to(self, user: Any) -> "ExpenseQuerySet":
        return self.filter(grant__region__in=managed_regions(user))

    def editable_by(self, user: Any) -> "ExpenseQuerySet":
        return self.visible_to(user)


class CarryOverQuerySet(models.QuerySet["CarryOver"]):
    def visible_to(self, user: Any) -> "CarryOverQuerySet":
        """Status and amounts are budget totals (viewers see them); the justification and the
        letter are shown only where ``editable_by`` allows."""
        return self.filter(region__in=budget_regions(user))

    def editable_by(self, user: Any) -> "CarryOverQuerySet":
        return self.filter(region__in=managed_regions(user))
