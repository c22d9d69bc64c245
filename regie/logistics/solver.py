"""Round planning: which van visits which stop when, as a vehicle routing problem (PyVRP).

The computational core of the logistics app: plain frozen dataclasses in, plain frozen
dataclasses out, no Django import. Services translate orders and vans to a :class:`Problem`
and the :class:`Plan` back to rows; benchmarks and tests call :func:`plan_routes` directly::

    plan = plan_routes(problem, seconds=10)

Units: times are whole seconds since midnight of the planned day, durations whole seconds,
distances whole metres (whatever unit the matrix provider uses: the benchmarks feed it tenths of
a Solomon unit), amounts whole units per load dimension (``Problem.dimensions``, by default
volume and weight). Costs are in euro: ``cost_per_km`` per 1000 distance units,
``cost_per_hour`` per 3600 time units.

What the plan promises:

- every route respects the vans' capacities (deliveries loaded at the depot, pick-ups carried
  back), the stops' time windows (a stop may have several; one of them is used), the vans'
  shifts, the depot's opening hours and the maximum route duration;
- an infeasible day never ends in an error: the plan serves what can be served — every required
  stop it can, then optional stops by priority — and gives every stop it leaves out a reason
  (:class:`UnservedReason`);
- a locked stop (:class:`Lock`, a planner's hand-made choice) stays on its van, at its position
  or earlier when the van has fewer stops before it, even where that breaks a window; the
  other stops are planned around it, on every van;
- the search stops at ``seconds`` and returns the best plan found by then; ``progress``, when
  given, hears the share of that time spent (0.0 to 1.0) as the search goes.
"""

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import numpy as np
from pyvrp import Client, ClientGroup, ProblemData, VehicleType
from pyvrp import Depot as PyvrpDepot
from pyvrp import Location as PyvrpLocation
from pyvrp import Route as PyvrpRoute

from regie.logistics import solver_search
from regie.logistics.solver_matrix import (
    Location,
    MatrixProvider,
    StraightLineProvider,
    TravelMatrix,
)

__all__ = [
    "Depot",
    "InvalidProblem",
    "Location",
    "Lock",
    "Plan",
    "Problem",
    "Route",
    "SearchRun",
    "Stop",
    "TimeWindow",
    "Unserved",
    "UnservedReason",
    "Vehicle",
    "Visit",
    "plan_routes",
]

DAY = 24 * 3600
DEFAULT_SERVICE_TIME = 10 * 60  # the doorstep chat
MAX_WORKERS = 2
UNLIMITED = int(np.iinfo(np.int64).max)  # PyVRP's own "no limit"


class InvalidProblem(ValueError):
    """The round cannot be planned as given (a window ending before it starts, no vans …)."""


class UnservedReason(StrEnum):
    TIME_WINDOW = "time_window"
    CAPACITY = "capacity"
    WORKING_HOURS = "working_hours"


REASON_DETAILS = {
    UnservedReason.TIME_WINDOW: "No van can be there within any of the stop's time windows.",
    UnservedReason.CAPACITY: "The load does not fit in any van that could still take it.",
    UnservedReason.WORKING_HOURS: (
        "The stop does not fit in the vans' working hours or maximum route duration."
    ),
}


@dataclass(frozen=True)
class TimeWindow:
    """From ``start`` to ``end`` (seconds since midnight); service must start within it."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise InvalidProblem(f"A time window ends before it starts: {self.start}–{self.end}.")

    def __contains__(self, moment: int) -> bool:
        return self.start <= moment <= self.end


@dataclass(frozen=True)
class Depot:
    location: Location
    opening: TimeWindow = TimeWindow(0, DAY)


@dataclass(frozen=True)
class Vehicle:
    """A van: its capacity per load dimension, its shift and what it costs."""

    id: str
    capacity: tuple[int, ...]
    shift: TimeWindow
    max_duration: int | None = None  # seconds, from leaving the depot to coming back
    fixed_cost: float = 0.0
    cost_per_km: float = 1.0
    cost_per_hour: float = 0.0


@dataclass(frozen=True)
class Stop:
    """A client's address: what to deliver and pick up, and when someone is home.

    No windows means any time in the vans' shifts. An optional stop (``required=False``) is
    worth ``priority`` (1 or more; higher is more important) when the day is too full for all.
    """

    id: str
    location: Location
    delivery: tuple[int, ...] = ()
    pickup: tuple[int, ...] = ()
    windows: tuple[TimeWindow, ...] = ()
    service_time: int = DEFAULT_SERVICE_TIME
    required: bool = True
    priority: int = 1


@dataclass(frozen=True)
class Lock:
    """Stop ``stop_id`` goes on van ``vehicle_id`` as its ``position``-th visit (1 is first)."""

    stop_id: str
    vehicle_id: str
    position: int


@dataclass(frozen=True)
class Problem:
    depot: Depot
    vehicles: tuple[Vehicle, ...]
    stops: tuple[Stop, ...]
    dimensions: tuple[str, ...] = ("volume", "weight")
    locks: tuple[Lock, ...] = ()


@dataclass(frozen=True)
class Visit:
    stop_id: str
    window: TimeWindow  # the window this visit keeps
    arrival: int
    start: int  # service starts (after waiting for the window, if early)
    departure: int
    load_after: tuple[int, ...]  # what is on board when the van leaves
    distance_from_previous: int


@dataclass(frozen=True)
class Route:
    vehicle_id: str
    visits: tuple[Visit, ...]
    start: int  # leaves the depot
    end: int  # back at the depot
    distance: int
    duration: int
    load_at_start: tuple[int, ...]
    cost: float


@dataclass(frozen=True)
class Unserved:
    stop_id: str
    reason: UnservedReason
    detail: str


@dataclass(frozen=True)
class Plan:
    routes: tuple[Route, ...]
    unserved: tuple[Unserved, ...]
    distance: int
    duration: int
    cost: float
    matrix_source: str
    fallback_reason: str | None  # set when the configured matrix provider failed
    seconds: float
    notes: tuple[str, ...] = ()
    runs: tuple["SearchRun", ...] = ()  # the parallel searches; the cheapest feasible one won


@dataclass(frozen=True)
class SearchRun:
    strategy: str
    seed: int
    feasible: bool
    relaxed: bool  # had to give up on serving every required stop
    iterations: int
    won: bool


@dataclass(frozen=True)
class _VehicleType:
    """Vans that differ only in their id share one PyVRP vehicle type (a van with locked stops
    has a type of its own)."""

    template: Vehicle
    vehicles: tuple[Vehicle, ...]
    early: int
    late: int
    fixed_cost: int
    unit_distance_cost: int
    unit_duration_cost: int


@dataclass(frozen=True)
class _Model:
    """A ProblemData and how its clients map back to stops and windows."""

    data: ProblemData
    alternatives: tuple[tuple[int, ...], ...]  # per included stop, its clients (one per window)
    client_stop: tuple[tuple[int, int], ...]  # per client: (stop index, window index)


# C901 until refactored: matrix, search and fallback in one place; to split into steps.
def plan_routes(  # noqa: C901
    problem: Problem,
    *,
    seconds: float = 10.0,
    provider: MatrixProvider | None = None,
    workers: int | None = None,
    seed: int = 1,
    progress: Callable[[float], None] | None = None,
) -> Plan:
    """Plan the day: routes for the vans, and a reason for every stop left out.

    ``workers`` parallel processes search with different seeds (default: the number of CPUs,
    at most two); ``provider`` gives the distances and travel times (default: straight lines
    × 1.3 at 40 km/h); ``progress`` is called with the share of ``seconds`` spent so far.
    """
    clock = time.perf_counter()
    _validate(problem)

    def report(share: float) -> None:
        if progress is not None:
            progress(min(1.0, max(0.0, share)))

    if workers is None:
        workers = min(os.cpu_count() or 1, MAX_WORKERS)
    provider = provider or StraightLineProvider()
    matrix = provider.matrix([problem.depot.location, *(stop.location for stop in problem.stops)])
    if len(matrix.distance) != len(problem.stops) + 1:
        raise InvalidProblem("The matrix provider returned a matrix of the wrong size.")
    types, notes = _vehicle_types(problem)
    windows = _windows(problem, types)
    type_of = {vehicle.id: number for number, kind in enumerate(types) for vehicle in kind.vehicles}
    stop_index = {stop.id: index for index, stop in enumerate(problem.stops)}
    # Locks on a van that is not used (it works only while the depot is closed) cannot hold.
    locks = {stop_index[lock.stop_id]: lock for lock in problem.locks if lock.vehicle_id in type_of}

    def finish(
        routes: list[Route], unserved: list[Unserved], runs: Sequence[SearchRun] = ()
    ) -> Plan:
        report(1.0)
        return Plan(
            routes=tuple(routes),
            unserved=tuple(unserved),
            distance=sum(route.distance for route in routes),
            duration=sum(route.duration for route in routes),
            cost=round(sum(route.cost for route in routes), 2),
            matrix_source=matrix.source,
            fallback_reason=matrix.fallback_reason,
            seconds=round(time.perf_counter() - clock, 3),
            notes=tuple(notes),
            runs=tuple(runs),
        )

    if not types:
        hours = UnservedReason.WORKING_HOURS
        return finish([], [_unserved(stop, hours) for stop in problem.stops])
    prizes = _prizes(problem, types, matrix)
    # A stop no van could serve even on its own stays out of the search: it would only hide
    # the plan for the others behind an infeasible one.
    everything = range(len(problem.stops))
    screen = _model(problem, types, matrix, windows, prizes, everything, locks, relaxed=True)
    kept, unserved = [], []
    for index, alternatives in zip(everything, screen.alternatives, strict=True):
        if index in locks:  # kept where the planner put it, whatever the cost
            kept.append(index)
            continue
        failure = solver_search.alone_failure(screen.data, alternatives)
        if failure is None:
            kept.append(index)
        else:
            unserved.append(_unserved(problem.stops[index], UnservedReason(failure)))
    if not kept:
        return finish([], unserved)

    model = _model(problem, types, matrix, windows, prizes, kept, locks, relaxed=False)
    relaxed = None
    if any(problem.stops[index].required for index in kept if index not in locks):
        relaxed = _model(problem, types, matrix, windows, prizes, kept, locks, relaxed=True)
    scoring = (relaxed or model).data
    spent = time.perf_counter() - clock
    budget = max(0.05, seconds - spent - min(0.2, 0.02 * seconds))
    report(spent / seconds)
    outcomes = solver_search.search(
        model.data,
        relaxed.data if relaxed else None,
        seconds=budget,
        workers=workers,
        seed=seed,
        progress=lambda share: report((spent + share * budget) / seconds),
        max_penalty=_max_penalty(
            prizes, [index for index in kept if not problem.stops[index].required]
        ),
        relaxed_max_penalty=_max_penalty(prizes, kept),
    )
    feasible = [outcome for outcome in outcomes if outcome.feasible]
    best = min(
        feasible,
        key=lambda outcome: solver_search.solution_cost(scoring, outcome.routes),
        default=None,
    )
    routes = list(best.routes) if best else []
    pinned = {
        client: lock.position - 1
        for position, index in enumerate(kept)
        if (lock := locks.get(index)) is not None
        for client in model.alternatives[position]
    }
    if locks:
        routes = _with_locks(model, kept, locks, type_of, routes)
    # What the search left out goes in where it still fits, most important first; what does
    # not fit anywhere gets its reason.
    served = {model.client_stop[client][0] for _, visits in routes for client in visits}
    pending = sorted(
        (position for position, index in enumerate(kept) if index not in served),
        key=lambda position: (
            not problem.stops[kept[position]].required,
            -problem.stops[kept[position]].priority,
        ),
    )
    routes, left = solver_search.insert_greedily(
        model.data, routes, [model.alternatives[position] for position in pending], pinned
    )
    for number in left:
        position = pending[number]
        reason = solver_search.why_unserved(model.data, routes, model.alternatives[position])
        unserved.append(_unserved(problem.stops[kept[position]], UnservedReason(reason)))
    order = {stop.id: index for index, stop in enumerate(problem.stops)}
    unserved.sort(key=lambda item: order[item.stop_id])
    runs = [
        SearchRun(
            strategy=outcome.strategy,
            seed=outcome.seed,
            feasible=outcome.feasible,
            relaxed=outcome.relaxed,
            iterations=outcome.iterations,
            won=outcome is best,
        )
        for outcome in outcomes
    ]
    return finish(_routes(problem, types, windows, matrix, model, routes), unserved, runs)


# C901 until refactored: one check per rule of the input, each with its own message.
def _validate(problem: Problem) -> None:  # noqa: C901
    size = len(problem.dimensions)
    if not problem.vehicles:
        raise InvalidProblem("No vans: choose at least one van.")
    for ids, kind in (
        ([vehicle.id for vehicle in problem.vehicles], "van"),
        ([stop.id for stop in problem.stops], "stop"),
    ):
        if len(set(ids)) != len(ids):
            raise InvalidProblem(f"Every {kind} needs its own id.")
    vehicle_ids = {vehicle.id for vehicle in problem.vehicles}
    stop_ids = {stop.id for stop in problem.stops}
    locked = [lock.stop_id for lock in problem.locks]
    if len(set(locked)) != len(locked):
        raise InvalidProblem("A stop is locked once, on one van.")
    for lock in problem.locks:
        if lock.stop_id not in stop_ids or lock.vehicle_id not in vehicle_ids:
            raise InvalidProblem(f"Lock of {lock.stop_id}: no such stop or van.")
        if lock.position < 1:
            raise InvalidProblem(f"Lock of {lock.stop_id}: positions start at 1.")
    for vehicle in problem.vehicles:
        if len(vehicle.capacity) != size or min(vehicle.capacity, default=0) < 0:
            raise InvalidProblem(
                f"Van {vehicle.id}: give a capacity (zero or more) for each of {size} dimensions."
            )
        if vehicle.max_duration is not None and vehicle.max_duration <= 0:
            raise InvalidProblem(f"Van {vehicle.id}: the maximum route duration must be positive.")
        if min(vehicle.fixed_cost, vehicle.cost_per_km, vehicle.cost_per_hour) < 0:
            raise InvalidProblem(f"Van {vehicle.id}: costs cannot be negative.")
    for stop in problem.stops:
        for amounts in (stop.delivery, stop.pickup):
            if len(amounts) not in (0, size) or min(amounts, default=0) < 0:
                raise InvalidProblem(
                    f"Stop {stop.id}: give amounts (zero or more) for each of {size} dimensions."
                )
        if stop.service_time < 0:
            raise InvalidProblem(f"Stop {stop.id}: the service time cannot be negative.")
        if stop.priority < 1:
            raise InvalidProblem(f"Stop {stop.id}: the priority is 1 or more.")


def _cost_scale(vehicles: Sequence[Vehicle]) -> float:
    """Integer cost units per euro: the cheapest positive unit cost becomes a (near) integer."""
    unit_costs = [vehicle.cost_per_km / 1000 for vehicle in vehicles]
    unit_costs += [vehicle.cost_per_hour / 3600 for vehicle in vehicles]
    positive = [cost for cost in unit_costs if cost > 0]
    if not positive:
        return 1000.0  # no running costs: the fixed costs alone, in thousandths of a euro
    scale = 1 / min(positive)
    for _ in range(4):
        if all(abs(cost * scale - round(cost * scale)) <= 0.01 * cost * scale for cost in positive):
            break
        scale *= 10
    return scale


def _vehicle_types(problem: Problem) -> tuple[list[_VehicleType], list[str]]:
    groups: dict[Vehicle, list[Vehicle]] = {}
    notes = []
    opening = problem.depot.opening
    holding = {lock.vehicle_id for lock in problem.locks}
    for vehicle in problem.vehicles:
        if min(vehicle.shift.end, opening.end) < max(vehicle.shift.start, opening.start):
            notes.append(f"Van {vehicle.id} works only while the depot is closed; not used.")
            continue
        key = vehicle if vehicle.id in holding else replace(vehicle, id="")
        groups.setdefault(key, []).append(vehicle)
    scale = _cost_scale(list(groups))
    types = [
        _VehicleType(
            template=template,
            vehicles=tuple(vehicles),
            early=max(template.shift.start, opening.start),
            late=min(template.shift.end, opening.end),
            fixed_cost=round(template.fixed_cost * scale),
            unit_distance_cost=round(template.cost_per_km / 1000 * scale),
            unit_duration_cost=round(template.cost_per_hour / 3600 * scale),
        )
        for template, vehicles in groups.items()
    ]
    return types, notes


def _windows(problem: Problem, types: Sequence[_VehicleType]) -> list[tuple[TimeWindow, ...]]:
    if types:
        horizon = TimeWindow(min(kind.early for kind in types), max(kind.late for kind in types))
    else:
        horizon = problem.depot.opening
    return [stop.windows or (horizon,) for stop in problem.stops]


def _prizes(problem: Problem, types: Sequence[_VehicleType], matrix: TravelMatrix) -> list[int]:
    """Prizes that make serving a stop worth more than any detour, and priorities count.

    ``base`` exceeds what one stop can add to a plan (a van's fixed cost plus driving to the
    farthest point and back for the longest shift, twice over for the fleet pressure the search
    applies). An optional stop is worth ``base × priority``; a required stop (in the relaxed
    model of an over-full day) more than all optional stops together.
    """
    longest = max(max(row) for row in matrix.distance)
    base = 1 + max(kind.fixed_cost for kind in types)
    base += 2 * max(
        kind.unit_distance_cost * 2 * longest + kind.unit_duration_cost * (kind.late - kind.early)
        for kind in types
    )
    optional = sum(stop.priority for stop in problem.stops if not stop.required)
    return [
        base * (1 + optional) if stop.required else base * stop.priority for stop in problem.stops
    ]


def _max_penalty(prizes: Sequence[int], stops: Sequence[int]) -> float:
    """Penalties must be able to outgrow the prizes, or a violation would pay for a stop."""
    highest = max((prizes[index] for index in stops), default=0)
    return max(solver_search.DEFAULT_MAX_PENALTY, 10.0 * highest)


def _model(
    problem: Problem,
    types: Sequence[_VehicleType],
    matrix: TravelMatrix,
    windows: Sequence[tuple[TimeWindow, ...]],
    prizes: Sequence[int],
    included: Sequence[int],
    locks: dict[int, Lock],
    *,
    relaxed: bool,
) -> _Model:
    """The PyVRP model of the ``included`` stops. Locked stops are in it (their routes are
    evaluated with them) as optional clients worth nothing: the search leaves them out, and
    :func:`_with_locks` puts them where they belong."""
    size = len(problem.dimensions)
    depot = problem.depot
    locations = [PyvrpLocation(x=depot.location.lon, y=depot.location.lat, name="depot")]
    clients: list[Client] = []
    groups: list[ClientGroup] = []
    alternatives: list[tuple[int, ...]] = []
    client_stop: list[tuple[int, int]] = []
    for index in included:
        stop = problem.stops[index]
        location = len(locations)
        locations.append(PyvrpLocation(x=stop.location.lon, y=stop.location.lat, name=stop.id))
        locked = index in locks
        required = stop.required and not relaxed and not locked
        several = len(windows[index]) > 1
        if several:
            groups.append(ClientGroup(required=required, name=stop.id))
        first = len(clients)
        for number, window in enumerate(windows[index]):
            clients.append(
                Client(
                    location=location,
                    delivery=list(stop.delivery or (0,) * size),
                    pickup=list(stop.pickup or (0,) * size),
                    service_duration=stop.service_time,
                    tw_early=window.start,
                    tw_late=window.end,
                    prize=0 if required or locked else prizes[index],
                    required=required and not several,
                    group=len(groups) - 1 if several else None,
                    name=stop.id,
                )
            )
            if several:
                groups[-1].add_client(len(clients) - 1)
            client_stop.append((index, number))
        alternatives.append(tuple(range(first, len(clients))))
    vehicle_types = []
    for kind in types:
        vehicle_types.append(
            VehicleType(
                num_available=len(kind.vehicles),
                capacity=list(kind.template.capacity),
                fixed_cost=kind.fixed_cost,
                tw_early=kind.early,
                tw_late=kind.late,
                unit_distance_cost=kind.unit_distance_cost,
                unit_duration_cost=kind.unit_duration_cost,
                shift_duration=kind.template.max_duration or UNLIMITED,
                name=",".join(vehicle.id for vehicle in kind.vehicles),
            )
        )
    rows = [0, *(index + 1 for index in included)]
    # PyVRP's stubs spell the matrix type oddly; these are plain int64 arrays.
    distance: Any = np.asarray(matrix.distance, dtype=np.int64)[np.ix_(rows, rows)]
    duration: Any = np.asarray(matrix.duration, dtype=np.int64)[np.ix_(rows, rows)]
    data = ProblemData(
        locations=locations,
        clients=clients,
        depots=[PyvrpDepot(location=0, tw_early=depot.opening.start, tw_late=depot.opening.end)],
        vehicle_types=vehicle_types,
        distance_matrices=[distance],
        duration_matrices=[duration],
        groups=groups,
    )
    return _Model(data=data, alternatives=tuple(alternatives), client_stop=tuple(client_stop))


def _with_locks(
    model: _Model,
    kept: Sequence[int],
    locks: dict[int, Lock],
    type_of: dict[str, int],
    routes: Sequence[solver_search.RouteVisits],
) -> list[solver_search.RouteVisits]:
    """The search's routes with every locked stop on its van at its position (or earlier when
    fewer stops come before it). A van that no longer fits what the search gave it besides its
    locked stops gives back stops until it does; the caller inserts them elsewhere."""
    position_of = {index: position for position, index in enumerate(kept)}
    locked_clients = {
        client for index in locks for client in model.alternatives[position_of[index]]
    }
    free = [
        (kind, tuple(client for client in visits if client not in locked_clients))
        for kind, visits in routes
    ]
    holding: dict[int, list[Lock]] = {}
    for lock in locks.values():
        holding.setdefault(type_of[lock.vehicle_id], []).append(lock)
    result = [(kind, visits) for kind, visits in free if visits and kind not in holding]
    stop_of = {lock.stop_id: index for index, lock in locks.items()}
    for kind, van_locks in holding.items():
        others = next((list(visits) for number, visits in free if number == kind), [])
        route: list[int] = []
        for lock in sorted(van_locks, key=lambda lock: (lock.position, lock.stop_id)):
            while len(route) < lock.position - 1 and others:
                route.append(others.pop(0))
            alternatives = model.alternatives[position_of[stop_of[lock.stop_id]]]
            route.append(
                min(
                    alternatives,
                    key=lambda client: solver_search.penalised_cost(
                        model.data, kind, [*route, client, *others]
                    ),
                )
            )
        route += others
        while not solver_search.is_feasible(model.data, kind, route):
            # Give back stops after the last locked one first: that moves no locked stop.
            last = max(number for number, client in enumerate(route) if client in locked_clients)
            candidates = route[last + 1 :] or [
                client for client in route if client not in locked_clients
            ]
            if not candidates:
                break  # the locked stops alone break a window: the planner's choice stands
            worst = min(
                candidates,
                key=lambda client: solver_search.penalised_cost(
                    model.data, kind, [item for item in route if item != client]
                ),
            )
            route.remove(worst)
        result.append((kind, tuple(route)))
    return result


def _unserved(stop: Stop, reason: UnservedReason) -> Unserved:
    return Unserved(stop_id=stop.id, reason=reason, detail=REASON_DETAILS[reason])


def _routes(
    problem: Problem,
    types: Sequence[_VehicleType],
    windows: Sequence[tuple[TimeWindow, ...]],
    matrix: TravelMatrix,
    model: _Model,
    routes: Sequence[solver_search.RouteVisits],
) -> list[Route]:
    size = len(problem.dimensions)
    scheduled = sorted(
        (PyvrpRoute(model.data, list(visits), kind) for kind, visits in routes if visits),
        key=lambda route: (route.vehicle_type(), route.start_time()),
    )
    handed_out = dict.fromkeys(range(len(types)), 0)
    result = []
    for route in scheduled:
        kind = types[route.vehicle_type()]
        vehicle = kind.vehicles[handed_out[route.vehicle_type()]]
        handed_out[route.vehicle_type()] += 1
        stops = [model.client_stop[client] for client in solver_search.visits(route)]
        load = [
            sum((problem.stops[index].delivery or (0,) * size)[dim] for index, _ in stops)
            for dim in range(size)
        ]
        load_at_start = tuple(load)
        visits = []
        previous = 0
        activities = [activity for activity in route.schedule() if activity.is_client()]
        for (index, number), activity in zip(stops, activities, strict=True):
            stop = problem.stops[index]
            for dim in range(size):
                load[dim] += (stop.pickup or (0,) * size)[dim] - (stop.delivery or (0,) * size)[dim]
            visits.append(
                Visit(
                    stop_id=stop.id,
                    window=windows[index][number],
                    arrival=activity.start_time - activity.wait_duration,
                    start=activity.start_time,
                    departure=activity.end_time,
                    load_after=tuple(load),
                    distance_from_previous=matrix.distance[previous][index + 1],
                )
            )
            previous = index + 1
        template = kind.template
        cost = template.fixed_cost + template.cost_per_km * route.distance() / 1000
        cost += template.cost_per_hour * route.duration() / 3600
        result.append(
            Route(
                vehicle_id=vehicle.id,
                visits=tuple(visits),
                start=route.start_time(),
                end=route.end_time(),
                distance=route.distance(),
                duration=route.duration(),
                load_at_start=load_at_start,
                cost=round(cost, 2),
            )
        )
    order = {vehicle.id: index for index, vehicle in enumerate(problem.vehicles)}
    return sorted(result, key=lambda route: order[route.vehicle_id])
