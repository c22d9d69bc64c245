"""An independent check of a round plan: recomputes every route from the problem and the matrix.

Shares nothing with the solver but the dataclasses: loads, times and distances are worked out
again here, and every promise of the plan is checked against them.
"""

import itertools
from collections.abc import Sequence

from regie.logistics.solver import Plan, Problem, Stop, TimeWindow, Vehicle
from regie.logistics.solver_matrix import TravelMatrix


def amounts(values: tuple[int, ...], size: int) -> tuple[int, ...]:
    return values or (0,) * size


def earliest_schedule(
    problem: Problem,
    matrix: TravelMatrix,
    vehicle: Vehicle,
    stops: Sequence[Stop],
    windows: Sequence[TimeWindow],
) -> int | None:
    """Leave as early as allowed, serve in order: the time back at the depot, or None if late."""
    index = {stop.id: number + 1 for number, stop in enumerate(problem.stops)}
    moment = max(vehicle.shift.start, problem.depot.opening.start)
    previous = 0
    for stop, window in zip(stops, windows, strict=True):
        moment = max(moment + matrix.duration[previous][index[stop.id]], window.start)
        if moment > window.end:
            return None
        moment += stop.service_time
        previous = index[stop.id]
    moment += matrix.duration[previous][0]
    if moment > min(vehicle.shift.end, problem.depot.opening.end):
        return None
    return moment


def route_distance(problem: Problem, matrix: TravelMatrix, stops: Sequence[Stop]) -> int:
    index = {stop.id: number + 1 for number, stop in enumerate(problem.stops)}
    path = [0, *(index[stop.id] for stop in stops), 0]
    return sum(matrix.distance[a][b] for a, b in itertools.pairwise(path))


# C901 until refactored: test oracle: one check per promise of the plan.
def violations(problem: Problem, matrix: TravelMatrix, plan: Plan) -> list[str]:  # noqa: C901
    """Everything wrong with the plan; an empty list for a plan that keeps its promises."""
    found = []
    size = len(problem.dimensions)
    stops = {stop.id: stop for stop in problem.stops}
    vehicles = {vehicle.id: vehicle for vehicle in problem.vehicles}
    index = {stop.id: number + 1 for number, stop in enumerate(problem.stops)}
    served = [visit.stop_id for route in plan.routes for visit in route.visits]
    unserved = [item.stop_id for item in plan.unserved]
    if sorted(served + unserved) != sorted(stops):
        found.append("every stop is either served once or unserved with a reason")
    used = [route.vehicle_id for route in plan.routes]
    if len(used) != len(set(used)) or not set(used) <= set(vehicles):
        found.append("a van drives twice, or an unknown van")
    for route in plan.routes:
        vehicle = vehicles[route.vehicle_id]
        name = f"route of {vehicle.id}"
        if not route.visits:
            found.append(f"{name}: an empty route")
            continue
        load = [
            sum(amounts(stops[visit.stop_id].delivery, size)[dim] for visit in route.visits)
            for dim in range(size)
        ]
        if tuple(load) != route.load_at_start:
            found.append(f"{name}: load at the start is {route.load_at_start}, not {load}")
        if any(load[dim] > vehicle.capacity[dim] for dim in range(size)):
            found.append(f"{name}: leaves the depot overloaded")
        opening = problem.depot.opening
        if route.start < max(vehicle.shift.start, opening.start):
            found.append(f"{name}: leaves before the shift starts or the depot opens")
        moment, previous = route.start, 0
        for visit in route.visits:
            stop = stops[visit.stop_id]
            travel = matrix.duration[previous][index[stop.id]]
            if visit.arrival < moment + travel:
                found.append(f"{name}: arrives at {stop.id} faster than the road allows")
            if visit.window not in (stop.windows or (visit.window,)):
                found.append(f"{name}: {stop.id} served in a window it does not have")
            if visit.start < visit.arrival or not (
                visit.window.start <= visit.start <= visit.window.end
            ):
                found.append(f"{name}: {stop.id} served at {visit.start}, outside {visit.window}")
            if visit.departure != visit.start + stop.service_time:
                found.append(f"{name}: {stop.id} left before the service was done")
            for dim in range(size):
                load[dim] += amounts(stop.pickup, size)[dim] - amounts(stop.delivery, size)[dim]
            if tuple(load) != visit.load_after:
                found.append(f"{name}: load after {stop.id} is {visit.load_after}, not {load}")
            if any(load[dim] > vehicle.capacity[dim] for dim in range(size)):
                found.append(f"{name}: overloaded after {stop.id}")
            moment, previous = visit.departure, index[stop.id]
        if route.end < moment + matrix.duration[previous][0]:
            found.append(f"{name}: back at the depot faster than the road allows")
        if route.end > min(vehicle.shift.end, opening.end):
            found.append(f"{name}: back after the shift or after the depot closes")
        if route.duration != route.end - route.start:
            found.append(f"{name}: duration {route.duration} is not end minus start")
        if vehicle.max_duration is not None and route.duration > vehicle.max_duration:
            found.append(f"{name}: longer than the maximum route duration")
        ordered = [stops[visit.stop_id] for visit in route.visits]
        if route.distance != route_distance(problem, matrix, ordered):
            found.append(f"{name}: distance {route.distance} does not add up")
    if plan.distance != sum(route.distance for route in plan.routes):
        found.append("the plan's distance is not the sum of its routes")
    return found
