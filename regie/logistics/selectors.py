"""Page-sized reads of the logistics app."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol, TypedDict

from django.db.models import Prefetch, QuerySet

from regie.core.permissions import Actor
from regie.logistics.models import (
    HomeWorkAssignment,
    Order,
    OrderStatus,
    RoundPlan,
    RoundRoute,
    RoundStop,
    Van,
)
from regie.registry.models import Organisation, Site

COLOURS = ("#0d6efd", "#d63384", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#dc3545")


def assignment_list(*, user: Actor) -> QuerySet[HomeWorkAssignment]:
    return HomeWorkAssignment.objects.visible_to(user).select_related(
        "client", "organisation", "site"
    )


def order_list(*, user: Actor, status: str = "") -> QuerySet[Order]:
    orders = (
        Order.objects.visible_to(user)
        .select_related("assignment__client", "assignment__organisation")
        .prefetch_related("windows")
    )
    return orders.filter(status=status) if status else orders


def orders_for_day(*, user: Actor, day: datetime.date) -> QuerySet[Order]:
    return (
        order_list(user=user)
        .filter(
            status__in=[OrderStatus.OPEN, OrderStatus.PLANNED],
            requested_from__lte=day,
        )
        .exclude(requested_until__lt=day)
        .exclude(requested_until__isnull=True, requested_from__lt=day)
    )


def van_list(*, user: Actor) -> QuerySet[Van]:
    return Van.objects.visible_to(user).select_related(
        "organisation",
        "depot__organisation",  # a depot is named by its organisation when it has no name
        "depot__municipality",  # … and placed in its municipality when it has no place
        "driver",
    )


# A form's choices are read row by row (``ModelChoiceIterator`` streams them with ``iterator()``),
# so ``FETCH_PEERS`` cannot batch what their labels read: the choices come with it.


def assignment_choices(*, user: Actor) -> QuerySet[HomeWorkAssignment]:
    """The active home work an order is for, with the client each choice is named by."""
    return (
        HomeWorkAssignment.objects.editable_by(user).filter(is_active=True).select_related("client")
    )


def site_choices(*, organisations: QuerySet[Organisation]) -> QuerySet[Site]:
    """The open sites of ``organisations``, with the organisation and municipality each choice
    is named by (``Site.__str__``)."""
    return Site.objects.filter(organisation__in=organisations, is_archived=False).select_related(
        "organisation", "municipality"
    )


@dataclass
class RouteRow:
    route: RoundRoute | None
    van: Van
    stops: list[RoundStop] = field(default_factory=list)
    colour: str = COLOURS[0]


def plan_routes(*, plan: RoundPlan) -> list[RouteRow]:
    """Every van of the plan with its route and stops (those without stops too)."""
    routes = {route.van_id: route for route in plan.routes.all()}
    stops = (
        plan.stops.select_related("order__assignment__client__municipality", "van")
        .prefetch_related("order__windows")
        .order_by("position")
    )
    rows = [
        RouteRow(route=routes.get(van.pk), van=van, colour=COLOURS[index % len(COLOURS)])
        for index, van in enumerate(plan.vans.select_related("depot", "driver").order_by("name"))
    ]
    by_van = {row.van.pk: row for row in rows}
    for stop in stops:
        by_van[stop.van_id].stops.append(stop)
    return rows


class Place(Protocol):
    """A site or a client's home: where a van goes, when its coordinates are known."""

    @property
    def latitude(self) -> Decimal | None: ...
    @property
    def longitude(self) -> Decimal | None: ...


class MapStop(TypedDict):
    at: list[float]
    label: str


class MapRoute(TypedDict):
    van: str
    colour: str
    line: list[list[float]]
    stops: list[MapStop]


class PlanMap(TypedDict):
    """What ``logistics/round_map.js`` draws (the page hands it over with ``json_script``)."""

    depot: list[float] | None
    routes: list[MapRoute]


def _point(place: Place | None) -> list[float] | None:
    if place is None or place.latitude is None or place.longitude is None:
        return None
    return [float(place.latitude), float(place.longitude)]


def plan_map(*, plan: RoundPlan, rows: list[RouteRow]) -> PlanMap:
    """The data of the Leaflet map: the depot and, per van, its line and its stops."""
    home = _point(rows[0].van.depot) if rows else None
    routes: list[MapRoute] = []
    for row in rows:
        stops: list[MapStop] = [
            {"at": point, "label": f"{stop.position}. {stop.order.assignment.client.first_name}"}
            for stop in row.stops
            if (point := _point(stop.order.assignment.client))
        ]
        points = [stop["at"] for stop in stops]
        line = [home, *points, home] if home and points else points
        routes.append({"van": row.van.name, "colour": row.colour, "line": line, "stops": stops})
    return {"depot": home, "routes": routes}


def plan_list(*, user: Actor) -> QuerySet[RoundPlan]:
    return RoundPlan.objects.visible_to(user).select_related("organisation", "created_by")


def plan_with_everything(*, plan: RoundPlan) -> RoundPlan:
    return (
        RoundPlan.objects.select_related("organisation")
        .prefetch_related(
            "vans",  # every stop's move form lists them
            Prefetch(
                "unserved", queryset=plan.unserved.select_related("order__assignment__client")
            ),
        )
        .get(pk=plan.pk)
    )


def driver_stops(*, user: Actor, plans: int = 5) -> QuerySet[RoundStop]:
    """The stops of the van(s) ``user`` drives, in their latest ``plans`` round plans."""
    if not user.person_id:
        return RoundStop.objects.none()
    mine = RoundStop.objects.filter(van__driver_id=user.person_id)
    latest = list(
        RoundPlan.objects.filter(stops__in=mine)
        .distinct()
        .order_by("-date")
        .values_list("pk", flat=True)[:plans]
    )
    return (
        mine.filter(plan_id__in=latest)
        .select_related("plan", "van", "order__assignment__client")
        .order_by("-plan__date", "plan_id", "van__name", "position")
    )
