"""The rounds' JSON API: plan a day (a background task) and read a plan with its routes.

``POST /rounds/plan`` answers 202 with the plan's id as soon as the plan is queued; poll
``GET /rounds/{id}`` until ``status`` is ``done`` (or ``failed``). Only coordinators and the
floors' own partners plan and read rounds; a plan outside the scope answers 404.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from regie.core.api import ApiRequest, ErrorOut
from regie.core.errors import DomainError
from regie.core.permissions import role_of
from regie.logistics import selectors, services
from regie.logistics.models import Order, PlanStatus, RoundPlan, UnservedReason, Van
from regie.logistics.querysets import PLANNERS

router = Router(tags=["rounds"])


class PlanIn(Schema):
    date: datetime.date
    orders: list[int] = Field(description="Ids of the orders to plan.")
    vans: list[int] = Field(description="Ids of the vans to use (of one depot).")
    time_limit: int = Field(
        10, ge=services.MIN_SECONDS, le=services.MAX_SECONDS, description="Seconds of search."
    )


class PlanQueued(Schema):
    id: int = Field(description="The plan's id: poll GET /api/v1/rounds/{id}.")
    status: PlanStatus


class StopOut(Schema):
    position: int
    order: int
    client: str = Field(description="The client's first name.")
    arrival: datetime.time
    departure: datetime.time
    load_volume_after: int
    load_weight_after: int
    locked: bool
    outcome: str


class RouteOut(Schema):
    van: int
    van_name: str
    start: datetime.time | None
    end: datetime.time | None
    distance_m: int
    stops: list[StopOut]


class UnservedOut(Schema):
    order: int
    reason: UnservedReason
    detail: str


class PlanOut(Schema):
    id: int
    date: datetime.date
    organisation: int
    status: PlanStatus
    progress: int
    matrix_source: str
    fallback_note: str
    distance_m: int
    routes: list[RouteOut]
    unserved: list[UnservedOut]


def _planner(request: ApiRequest) -> None:
    if role_of(request.auth) not in PLANNERS:
        raise PermissionDenied(_("Only coordinators and partners plan rounds."))


@router.post(
    "/rounds/plan",
    response={202: PlanQueued, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
)
def round_plan(request: ApiRequest, payload: PlanIn) -> Status[PlanQueued]:
    """Queue the planning of a day for the given orders and vans."""
    _planner(request)
    user = request.auth
    orders = list(
        Order.objects.editable_by(user)
        .filter(pk__in=payload.orders)
        .select_related("assignment__client", "assignment__organisation")
    )
    vans = list(Van.objects.editable_by(user).filter(pk__in=payload.vans).select_related("depot"))
    if len(orders) != len(set(payload.orders)):
        raise DomainError({"orders": _("Some orders do not exist or are not yours to plan.")})
    if len(vans) != len(set(payload.vans)):
        raise DomainError({"vans": _("Some vans do not exist or are not yours to plan.")})
    organisation = services.plan_organisation(orders=orders, vans=vans)
    plan = services.round_plan(
        actor=user,
        organisation=organisation,
        day=payload.date,
        orders=orders,
        vans=vans,
        seconds=payload.time_limit,
    )
    return Status(202, PlanQueued(id=plan.pk, status=PlanStatus(plan.status)))


@router.get("/rounds/{id}", response={200: PlanOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def round_detail(request: ApiRequest, id: int) -> PlanOut:
    """A plan: its routes with stops, times and loads, and the unserved orders with reasons."""
    plan = get_object_or_404(RoundPlan.objects.visible_to(request.auth), pk=id)
    rows = selectors.plan_routes(plan=plan) if plan.is_finished else []
    return PlanOut(
        id=plan.pk,
        date=plan.date,
        organisation=plan.organisation_id,
        status=PlanStatus(plan.status),
        progress=plan.progress,
        matrix_source=plan.matrix_source,
        fallback_note=plan.fallback_note,
        distance_m=plan.distance,
        routes=[
            RouteOut(
                van=row.van.pk,
                van_name=row.van.name,
                start=row.route.start if row.route else None,
                end=row.route.end if row.route else None,
                distance_m=row.route.distance if row.route else 0,
                stops=[
                    StopOut(
                        position=stop.position,
                        order=stop.order_id,
                        client=stop.order.assignment.client.first_name,
                        arrival=stop.arrival,
                        departure=stop.departure,
                        load_volume_after=stop.load_volume_after,
                        load_weight_after=stop.load_weight_after,
                        locked=stop.locked,
                        outcome=stop.outcome,
                    )
                    for stop in row.stops
                ],
            )
            for row in rows
        ],
        unserved=[
            UnservedOut(
                order=item.order_id,
                reason=UnservedReason(item.reason),
                detail=str(item.get_reason_display()),
            )
            for item in plan.unserved.all()
        ],
    )
