"""The plan's and the budget's JSON API.

Reads start from ``visible_to`` (and the budget's region scoping); writes look the action up in
``editable_by`` and call one service. A record or region outside the user's scope answers 404;
a stale ``version`` answers 409 and saves nothing. Amounts are decimal strings in euro.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict

from regie.core.api import ApiRequest, ErrorOut, ListPagination, StaleOut
from regie.core.permissions import Actor
from regie.plans import selectors, services
from regie.plans.models import (
    FIRST_YEAR,
    Action,
    ActionStatus,
    CarryOverStatus,
    Indicator,
    StatusChange,
)
from regie.plans.querysets import ActionQuerySet, budget_regions, sees_budget_details

router = Router()

READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    404: ErrorOut,
    409: StaleOut,
    422: ErrorOut,
}


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class StatusChangeOut(Schema):
    date: datetime.date
    from_status: ActionStatus | None = Field(description="null for the first row (created).")
    to_status: ActionStatus
    reason: str
    new_start: datetime.date | None = Field(description="Postponed: the new start.")
    new_end: datetime.date | None

    @staticmethod
    def resolve_from_status(obj: StatusChange) -> str | None:
        return obj.from_status or None


class IndicatorOut(Schema):
    name: str
    unit: str
    target: Decimal | None
    actual: Decimal | None


class ActionOut(Schema):
    id: int
    title: str
    description: str
    region: str = Field(description="Code of the regie area.")
    pillar: str = Field(description="Code of the pillar, e.g. OD-1 or WSE-LR2.")
    year: int = Field(description="The first year of the action.")
    last_year: int
    start: datetime.date | None
    end: datetime.date | None
    status: ActionStatus
    status_since: datetime.date | None
    status_history: list[StatusChangeOut] = Field(description="Oldest first.")
    partner_organisations: list[int] = Field(description="Organisation ids.")
    project_reference: str
    indicators: list[IndicatorOut]
    planned_budget: Decimal | None = Field(
        description="null for roles that do not see the budget (partners, viewers)."
    )
    version: int = Field(description="Send it back unchanged in a PATCH or status change.")

    @staticmethod
    def resolve_region(obj: Action) -> str:
        return obj.region.code

    @staticmethod
    def resolve_pillar(obj: Action) -> str:
        return obj.pillar.code

    @staticmethod
    def resolve_status_history(obj: Action) -> list[StatusChange]:
        return list(obj.status_changes.all())

    @staticmethod
    def resolve_partner_organisations(obj: Action) -> list[int]:
        return [organisation.pk for organisation in obj.partner_organisations.all()]

    @staticmethod
    def resolve_indicators(obj: Action) -> list[Indicator]:
        return list(obj.indicators.all())

    @staticmethod  # Any: ninja's resolver context, the request (``auth`` set by ninja) and more
    def resolve_planned_budget(obj: Action, context: dict[str, Any]) -> Decimal | None:
        user = context["request"].auth
        return obj.planned_budget if sees_budget_details(user) else None


class ActionFilters(Schema):
    year: int | None = Field(None, description="Actions running in this year (first to last).")
    region: str = Field("", description="Region code.")
    pillar: str = Field("", description="Pillar code.")
    status: ActionStatus | None = None


class ActionPatch(InputSchema):
    version: int = Field(description="The version the change is based on.")
    title: str | None = None
    description: str | None = None
    last_year: int | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    project_reference: str | None = None
    planned_budget: Decimal | None = None


class StatusIn(InputSchema):
    version: int = Field(description="The version the change is based on.")
    status: ActionStatus
    reason: str = Field("", description="Required for postponed, on_hold and dropped.")
    date: datetime.date | None = Field(None, description="Today when not given.")
    new_start: datetime.date | None = Field(None, description="Required when postponing.")
    new_end: datetime.date | None = None


def _actions(user: Actor) -> ActionQuerySet:
    return (
        Action.objects.visible_to(user)
        .select_related("region", "pillar")
        .prefetch_related(
            "partner_organisations",
            "indicators",
            Prefetch("status_changes", queryset=StatusChange.objects.order_by("date", "id")),
        )
        .order_by("year", "pillar__sort_order", "title", "pk")
    )


@router.get("/actions", response={200: list[ActionOut], **READ_ERRORS}, tags=["plans"])
@paginate(ListPagination)
def action_list(request: ApiRequest, filters: Query[ActionFilters]) -> QuerySet[Action]:
    """The actions the user may see, with their status history; ``year`` gives the actions that
    run in that year (an action of 2020–2021 is in both)."""
    actions = _actions(request.auth)
    if filters.year is not None:
        actions = actions.in_year(filters.year)
    if filters.region:
        actions = actions.filter(region__code=filters.region)
    if filters.pillar:
        actions = actions.filter(pillar__code__iexact=filters.pillar)
    if filters.status:
        actions = actions.filter(status=filters.status)
    return actions


@router.get(
    "/actions/{id}", response={200: ActionOut, 401: ErrorOut, 404: ErrorOut}, tags=["plans"]
)
def action_detail(request: ApiRequest, id: int) -> Action:
    """One action; 404 when it does not exist or lies outside the user's scope."""
    return get_object_or_404(_actions(request.auth), pk=id)


@router.patch("/actions/{id}", response={200: ActionOut, **WRITE_ERRORS}, tags=["plans"])
def action_update(request: ApiRequest, id: int, payload: ActionPatch) -> Action:
    """Change the fields sent (coordinators of the region, admins). A stale ``version`` answers
    409 and nothing is saved."""
    action = get_object_or_404(Action.objects.editable_by(request.auth), pk=id)
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    for text in ("title", "description", "project_reference"):
        if text in changes and changes[text] is None:
            changes[text] = ""
    services.action_update(
        actor=request.auth, action=action, expected_version=payload.version, **changes
    )
    return get_object_or_404(_actions(request.auth), pk=id)


@router.post("/actions/{id}/status", response={200: ActionOut, **WRITE_ERRORS}, tags=["plans"])
def action_status(request: ApiRequest, id: int, payload: StatusIn) -> Action:
    """Change the status; postponing needs a ``reason`` and a ``new_start``, putting on hold and
    dropping need a ``reason``. The change is added to ``status_history``."""
    action = get_object_or_404(Action.objects.editable_by(request.auth), pk=id)
    services.action_status_change(
        actor=request.auth,
        action=action,
        expected_version=payload.version,
        status=payload.status,
        reason=payload.reason,
        on=payload.date,
        new_start=payload.new_start,
        new_end=payload.new_end,
    )
    return get_object_or_404(_actions(request.auth), pk=id)


class CarryOverOut(Schema):
    status: CarryOverStatus
    amount: Decimal = Field(description="The requested amount.")
    approved_amount: Decimal | None
    submitted_on: datetime.date | None
    decision_date: datetime.date | None
    decision_reference: str


class BudgetOut(Schema):
    region: str
    year: int
    grant: Decimal | None = Field(description="null when no grant is recorded for the year.")
    carried_in: Decimal = Field(description="Approved carry-over from the year before.")
    income: Decimal = Field(description="grant + carried_in")
    spent: Decimal = Field(description="Paid expenses.")
    committed: Decimal = Field(description="Ordered, not yet paid.")
    unspent: Decimal = Field(description="income − spent")
    available: Decimal = Field(description="unspent − committed")
    forecast_spent: Decimal = Field(
        description="spent + committed + what budget lines still plan; for a year that is over, "
        "what was spent."
    )
    forecast_unspent: Decimal
    carry_over: CarryOverOut | None = Field(
        description="The request to carry this year's unspent funds to the next, or null."
    )


@router.get(
    "/budgets/{region_code}/{year}",
    response={200: BudgetOut, 401: ErrorOut, 404: ErrorOut},
    tags=["plans"],
)
def budget_detail(request: ApiRequest, region_code: str, year: int) -> dict[str, object]:
    """The totals of a region's budget in a year (coordinators of the region, its viewers,
    admins); 404 for another region or a role without budget access."""
    region = get_object_or_404(budget_regions(request.auth), code=region_code)
    if not FIRST_YEAR <= year <= timezone.localdate().year + 5:
        raise Http404
    budget = selectors.budget_year(region=region, year=year, details=False)
    balance = budget.balance
    return {
        "region": region.code,
        "year": year,
        "grant": budget.grant.amount if budget.grant is not None else None,
        "carried_in": balance.carried_in,
        "income": balance.income,
        "spent": balance.spent,
        "committed": balance.committed,
        "unspent": balance.unspent,
        "available": balance.available,
        "forecast_spent": balance.forecast_spent,
        "forecast_unspent": balance.forecast_unspent,
        "carry_over": budget.carry_over,
    }
