"""The round planner's core: optimal on what can be checked by hand, feasible always, and honest
about what it leaves out."""

import itertools
import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest

from regie.logistics.solver import (
    Depot,
    InvalidProblem,
    Location,
    Lock,
    Plan,
    Problem,
    Stop,
    TimeWindow,
    UnservedReason,
    Vehicle,
    plan_routes,
)
from regie.logistics.solver_matrix import TravelMatrix
from regie.logistics.tests.feasibility import earliest_schedule, route_distance, violations

H = 3600
DAY = TimeWindow(8 * H, 17 * H)


class GridProvider:
    """Locations on a kilometre grid (lat = y, lon = x); 36 km/h, so 1 km takes 100 s."""

    def matrix(self, locations: Sequence[Location]) -> TravelMatrix:
        distance = tuple(
            tuple(round(1000 * math.hypot(a.lon - b.lon, a.lat - b.lat)) for b in locations)
            for a in locations
        )
        duration = tuple(tuple(round(metres / 10) for metres in row) for row in distance)
        return TravelMatrix(distance=distance, duration=duration, source="grid")


GRID = GridProvider()
DEPOT = Depot(Location(lat=0, lon=0), TimeWindow(7 * H, 18 * H))


def at(x: float, y: float) -> Location:
    return Location(lat=y, lon=x)


def van(
    name: str = "van", capacity: tuple[int, ...] = (100, 500), shift: TimeWindow = DAY, **more: Any
) -> Vehicle:
    return Vehicle(id=name, capacity=capacity, shift=shift, **more)


def stop(name: str, x: float, y: float, **more: Any) -> Stop:
    return Stop(id=name, location=at(x, y), **more)


def problem(
    vehicles: Sequence[Vehicle],
    stops: Sequence[Stop],
    depot: Depot = DEPOT,
    dimensions: tuple[str, ...] = ("volume", "weight"),
) -> Problem:
    return Problem(depot=depot, vehicles=tuple(vehicles), stops=tuple(stops), dimensions=dimensions)


def solve(given: Problem, seconds: float = 0.5, workers: int = 1) -> Plan:
    plan = plan_routes(given, seconds=seconds, provider=GRID, workers=workers)
    assert violations(given, GRID.matrix(_locations(given)), plan) == []
    return plan


def _locations(given: Problem) -> list[Location]:
    return [given.depot.location, *(item.location for item in given.stops)]


def reasons(plan: Plan) -> dict[str, UnservedReason]:
    return {item.stop_id: item.reason for item in plan.unserved}


def brute_force_optimum(given: Problem) -> int:
    """The shortest total distance over every split of the stops into two vans' ordered routes."""
    matrix = GRID.matrix(_locations(given))
    first, second = given.vehicles
    best = math.inf
    for order in itertools.permutations(given.stops):
        for cut in range(len(order) + 1):
            total = 0
            for vehicle, part in ((first, order[:cut]), (second, order[cut:])):
                if not part:
                    continue
                load = sum(item.delivery[0] for item in part)
                windows = [item.windows[0] for item in part]
                if load > vehicle.capacity[0] or (
                    earliest_schedule(given, matrix, vehicle, part, windows) is None
                ):
                    break
                total += route_distance(given, matrix, part)
            else:
                best = min(best, total)
    return int(best)


def test_a_small_day_is_solved_to_its_proven_optimum():
    stops = [
        stop("a", 4, 1, delivery=(30,), windows=(TimeWindow(8 * H, 9 * H),)),
        stop("b", 5, 3, delivery=(30,), windows=(TimeWindow(9 * H, 11 * H),)),
        stop("c", -3, 4, delivery=(40,), windows=(TimeWindow(8 * H, 10 * H),)),
        stop("d", -4, -2, delivery=(20,), windows=(TimeWindow(10 * H, 12 * H),)),
        stop("e", 1, -5, delivery=(30,), windows=(TimeWindow(8 * H, 16 * H),)),
        stop("f", 3, -3, delivery=(30,), windows=(TimeWindow(13 * H, 14 * H),)),
    ]
    vans = [van("v1", (100,)), van("v2", (100,))]
    given = problem(vans, stops, dimensions=("volume",))

    plan = solve(given)

    assert plan.unserved == ()
    assert plan.distance == brute_force_optimum(given)


def test_every_route_keeps_capacity_windows_shifts_and_durations():
    stops = [
        stop(
            f"s{number}",
            (number * 7) % 11 - 5,
            (number * 5) % 9 - 4,
            delivery=(number % 4 + 1, 10 * (number % 3)),
            pickup=(number % 2, 5),
            windows=(TimeWindow((8 + number % 6) * H, (10 + number % 6) * H),),
            service_time=15 * 60,
            required=number % 3 != 0,
            priority=number % 4 + 1,
        )
        for number in range(24)
    ]
    vans = [
        van("v1", (12, 80), max_duration=4 * H, fixed_cost=20, cost_per_km=0.35, cost_per_hour=30),
        van("v2", (10, 60), shift=TimeWindow(10 * H, 15 * H), cost_per_km=0.35, cost_per_hour=30),
        van("v3", (12, 80), max_duration=3 * H, fixed_cost=20, cost_per_km=0.35, cost_per_hour=30),
    ]

    plan = solve(problem(vans, stops), seconds=1.0, workers=2)

    assert plan.routes
    assert len(plan.runs) == 2
    assert sum(run.won for run in plan.runs) == 1


def test_a_stop_with_two_windows_is_served_in_the_one_a_van_can_make():
    morning, afternoon = TimeWindow(6 * H, 7 * H), TimeWindow(14 * H, 15 * H)
    given = problem([van()], [stop("home", 3, 4, windows=(morning, afternoon))])

    plan = solve(given)

    (visit,) = plan.routes[0].visits
    assert visit.window == afternoon
    assert 14 * H <= visit.start <= 15 * H


def test_two_clients_with_two_windows_each_share_one_van():
    first = (TimeWindow(9 * H, 10 * H), TimeWindow(13 * H, 14 * H))
    second = (TimeWindow(9 * H, 10 * H), TimeWindow(15 * H, 16 * H))
    stops = [
        stop("a", 2, 0, windows=first, service_time=2 * H),
        stop("b", -2, 0, windows=second, service_time=2 * H),
    ]

    plan = solve(problem([van()], stops))

    assert plan.unserved == ()
    (route,) = plan.routes
    assert len(route.visits) == 2
    windows = {visit.stop_id: visit.window for visit in route.visits}
    assert windows["a"] in first
    assert windows["b"] in second
    assert windows["a"].start != windows["b"].start  # two hours of service cannot overlap


def test_a_load_larger_than_any_van_is_left_out_for_capacity():
    stops = [stop("fits", 2, 2, delivery=(10, 10)), stop("piano", 3, 3, delivery=(10, 900))]

    plan = solve(problem([van("v1"), van("v2", (120, 600))], stops))

    assert reasons(plan) == {"piano": UnservedReason.CAPACITY}


def test_a_window_no_van_can_reach_is_left_out_for_its_window():
    stops = [
        stop("early bird", 1, 1, windows=(TimeWindow(5 * H, 6 * H),)),
        stop("far too soon", 30, 40, windows=(TimeWindow(8 * H, 8 * H + 600),)),
        stop("anytime", 2, 1),
    ]

    plan = solve(problem([van()], stops))

    assert reasons(plan) == {
        "early bird": UnservedReason.TIME_WINDOW,
        "far too soon": UnservedReason.TIME_WINDOW,
    }


def test_a_stop_beyond_the_working_hours_is_left_out_for_them():
    stops = [
        stop("near", 1, 0),
        stop("far away", 180, 0),  # 5 hours each way
        stop("too far for the short route", 0, 80),  # 2h13 each way
    ]
    vans = [van("v1", shift=TimeWindow(8 * H, 16 * H), max_duration=4 * H)]

    plan = solve(problem(vans, stops))

    assert reasons(plan) == {
        "far away": UnservedReason.WORKING_HOURS,
        "too far for the short route": UnservedReason.WORKING_HOURS,
    }


def test_vans_that_are_full_leave_the_rest_for_capacity():
    stops = [stop(f"s{number}", number, 1, delivery=(40, 0)) for number in range(1, 5)]

    plan = solve(problem([van("v1"), van("v2")], stops))

    assert len(plan.unserved) == 0
    more = [*stops, stop("s5", 5, 1, delivery=(40, 0))]
    plan = solve(problem([van("v1"), van("v2")], more))
    assert list(reasons(plan).values()) == [UnservedReason.CAPACITY]


def test_on_an_over_full_day_the_low_priority_stop_is_dropped_first():
    # One van, five hours, two hours of service per stop: only two of the three stops fit.
    stops = [
        stop("low, and nearest", 1, 0, service_time=2 * H, required=False, priority=1),
        stop("high", 0, 6, service_time=2 * H, required=False, priority=3),
        stop("higher", -6, 0, service_time=2 * H, required=False, priority=4),
    ]
    vans = [van(shift=TimeWindow(8 * H, 13 * H), cost_per_km=0.35, cost_per_hour=30)]

    plan = solve(problem(vans, stops))

    assert reasons(plan) == {"low, and nearest": UnservedReason.WORKING_HOURS}


def test_required_stops_go_before_optional_ones():
    stops = [
        stop("optional", 1, 0, service_time=2 * H, required=False, priority=5),
        stop("required", 0, 6, service_time=2 * H),
        stop("also required", -6, 0, service_time=2 * H),
    ]
    vans = [van(shift=TimeWindow(8 * H, 13 * H))]

    plan = solve(problem(vans, stops))

    assert set(reasons(plan)) == {"optional"}


def test_an_infeasible_day_of_required_stops_still_gets_the_best_plan_it_can():
    stops = [stop(f"s{number}", number % 5, number // 5, service_time=H) for number in range(12)]
    vans = [van("v1", shift=TimeWindow(8 * H, 13 * H)), van("v2", shift=TimeWindow(8 * H, 12 * H))]

    plan = solve(problem(vans, stops), seconds=1.0)

    served = sum(len(route.visits) for route in plan.routes)
    assert served == 7  # 4 + 3 hours of doorstep chats, nothing more fits
    assert set(reasons(plan).values()) == {UnservedReason.WORKING_HOURS}
    assert any(run.relaxed for run in plan.runs)


def test_a_day_without_stops_is_an_empty_plan():
    plan = solve(problem([van()], []))

    assert plan.routes == ()
    assert plan.unserved == ()


def test_a_van_working_only_while_the_depot_is_closed_is_not_used():
    depot = Depot(at(0, 0), TimeWindow(8 * H, 12 * H))
    vans = [van("night", shift=TimeWindow(20 * H, 23 * H)), van("day")]

    plan = solve(problem(vans, [stop("a", 1, 1)], depot=depot))

    assert [route.vehicle_id for route in plan.routes] == ["day"]
    assert any("night" in note for note in plan.notes)


@pytest.mark.parametrize(
    "build",
    [
        lambda: problem([], [stop("a", 1, 1)]),
        lambda: problem([van(capacity=(1,))], [stop("a", 1, 1)]),
        lambda: problem([van()], [stop("a", 1, 1, delivery=(1, 2, 3))]),
        lambda: problem([van()], [stop("a", 1, 1), stop("a", 2, 2)]),
        lambda: problem([van()], [stop("a", 1, 1, priority=0)]),
        lambda: TimeWindow(10 * H, 9 * H),
        lambda: replace(problem([van()], [stop("a", 1, 1)]), locks=(Lock("b", "van", 1),)),
        lambda: replace(problem([van()], [stop("a", 1, 1)]), locks=(Lock("a", "other", 1),)),
        lambda: replace(problem([van()], [stop("a", 1, 1)]), locks=(Lock("a", "van", 0),)),
        lambda: replace(
            problem([van()], [stop("a", 1, 1)]), locks=(Lock("a", "van", 1), Lock("a", "van", 2))
        ),
    ],
    ids=[
        "no vans",
        "capacity dims",
        "amount dims",
        "same id",
        "priority",
        "window backwards",
        "lock of no stop",
        "lock on no van",
        "lock at position 0",
        "locked twice",
    ],
)
def test_a_problem_that_cannot_be_planned_as_given_is_refused(build):
    with pytest.raises(InvalidProblem):
        plan_routes(build(), seconds=0.1, provider=GRID, workers=1)


def _visits(plan: Plan) -> dict[str, list[str]]:
    return {route.vehicle_id: [visit.stop_id for visit in route.visits] for route in plan.routes}


@pytest.mark.parametrize("workers", [1, 2])
def test_a_locked_stop_stays_at_its_place_and_its_van_still_takes_other_stops(workers):
    # Three stops fit in a van: the six need both, the one holding the locked stop included.
    stops = [
        stop(name, x, y, delivery=(30,))
        for name, x, y in zip("abcdef", [1, 2, 3, -1, -2, -3], [1, 2, 1, -1, -2, -1], strict=True)
    ]
    vans = [van("v1", (90,)), van("v2", (90,))]
    given = replace(problem(vans, stops, dimensions=("volume",)), locks=(Lock("a", "v2", 2),))

    plan = solve(given, seconds=1, workers=workers)

    visits = _visits(plan)
    assert plan.unserved == ()
    assert visits["v2"][1] == "a"
    assert len(visits["v1"]) == len(visits["v2"]) == 3


def test_a_locked_stop_comes_earlier_when_its_van_has_fewer_stops_before_it():
    stops = [stop("a", 1, 1), stop("b", 2, 2)]
    given = replace(problem([van("v1"), van("v2")], stops), locks=(Lock("a", "v1", 5),))

    plan = solve(given)

    assert "a" in _visits(plan)["v1"]
    assert plan.unserved == ()


def test_a_locked_stop_stays_even_where_it_misses_its_window():
    late = stop("late", 30, 0, windows=(TimeWindow(8 * H, 8 * H + 60),))
    given = replace(problem([van("v1")], [late, stop("b", 1, 1)]), locks=(Lock("late", "v1", 2),))

    plan = plan_routes(given, seconds=0.5, provider=GRID, workers=1)

    assert _visits(plan)["v1"][-1] == "late"


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_is_the_share_of_the_time_limit_spent(workers):
    heard: list[float] = []
    stops = [stop(str(n), n % 5, n // 5) for n in range(12)]

    plan_routes(
        problem([van("v1"), van("v2")], stops),
        seconds=1.5,
        provider=GRID,
        workers=workers,
        progress=heard.append,
    )

    assert heard == sorted(heard)
    assert heard[-1] == 1.0
    assert len([share for share in heard if 0.2 < share < 0.95]) >= 2
