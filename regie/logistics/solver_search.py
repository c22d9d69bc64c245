"""The search behind the round planner: PyVRP runs in parallel processes, then repair and reasons.

Everything here works on ``pyvrp.ProblemData``; :mod:`regie.logistics.solver` translates the
plain dataclasses of a round to and from it. Each worker process runs PyVRP's iterated local
search with its own seed and strategy until a shared deadline, and the best feasible answer wins:

- ``plain``: PyVRP as it comes;
- ``fleet_pressure``: first a while with an extra fixed cost per van, which pushes the search
  towards plans with fewer, fuller vans; then the true objective on only the vans that plan used,
  starting from it. Plain distance-minimising search tends to get stuck on plans with one van too
  many; this worker gets out of there, while the plain worker covers days where more vans are
  better.

When some stops are required and a worker has not found any plan that serves all of them by half
its time, the day is probably over-full: it switches to the *relaxed* model, where every stop is
optional and a required stop is worth more than all optional ones together, so that the answer is
the best plan that serves what can be served.

No Django import: this module is part of the computational core.
"""

import _thread
import multiprocessing
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing.context import BaseContext

import numpy as np
from pyvrp import CostEvaluator, ProblemData, Route, Solution, solve
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.PenaltyManager import PenaltyParams
from pyvrp.solve import SolveParams

PLAIN = "plain"
FLEET_PRESSURE = "fleet_pressure"
PRESSURE_SHARE = 0.4  # share of its time the fleet-pressure worker spends under pressure
GIVE_UP_SHARE = 0.5  # share of its time a worker looks for a plan serving every required stop

CAPACITY = "capacity"
TIME_WINDOW = "time_window"
WORKING_HOURS = "working_hours"

INFEASIBLE_COST = int(np.iinfo(np.int64).max)
TICK = 0.5  # seconds between two progress reports
DEFAULT_MAX_PENALTY = PenaltyParams().max_penalty

RouteVisits = tuple[int, tuple[int, ...]]  # (vehicle type, client indices in visiting order)


@dataclass(frozen=True)
class SearchJob:
    data: ProblemData
    relaxed: ProblemData | None  # every client optional; None when no client is required
    deadline: float  # time.time() at which to stop
    seed: int
    strategy: str
    max_penalty: float  # for the model as given
    relaxed_max_penalty: float  # for the relaxed model, whose prizes are higher


@dataclass(frozen=True)
class SearchOutcome:
    routes: tuple[RouteVisits, ...]
    feasible: bool
    relaxed: bool
    strategy: str
    seed: int
    iterations: int


class _Deadline:
    """PyVRP stopping criterion: the deadline, or ``give_up`` if nothing feasible by then."""

    def __init__(self, deadline: float, give_up: float | None = None) -> None:
        self.deadline = deadline
        self.give_up = give_up

    def __call__(self, best_cost: int) -> bool:
        now = time.time()
        if now >= self.deadline:
            return True
        return self.give_up is not None and now >= self.give_up and best_cost >= INFEASIBLE_COST


@dataclass
class _WidePenalties(PenaltyParams):
    """PyVRP's penalty parameters, with room to grow as high as the prizes are."""

    def midpoint_penalties(self, data: ProblemData) -> tuple[list[float], float, float]:
        return PenaltyParams().midpoint_penalties(data)


def _ils(
    data: ProblemData,
    stop: _Deadline,
    seed: int,
    max_penalty: float,
    initial: Solution | None = None,
) -> tuple[Solution, int]:
    params = SolveParams()
    if max_penalty > DEFAULT_MAX_PENALTY:
        params = SolveParams(penalty=_WidePenalties(max_penalty=max_penalty))
    result = solve(
        data,
        stop=stop,
        seed=seed,
        collect_stats=False,
        display=False,
        params=params,
        initial_solution=initial,
    )
    return result.best, result.num_iterations


def visits(route: Route) -> tuple[int, ...]:
    return tuple(activity.idx for activity in route.schedule() if activity.is_client())


def _outcome(
    solution: Solution, job: SearchJob, *, relaxed: bool, iterations: int
) -> SearchOutcome:
    return SearchOutcome(
        routes=tuple((route.vehicle_type(), visits(route)) for route in solution.routes()),
        feasible=solution.is_feasible(),
        relaxed=relaxed,
        strategy=job.strategy,
        seed=job.seed,
        iterations=iterations,
    )


def _plain(job: SearchJob, start: float) -> SearchOutcome:
    give_up = None
    if job.relaxed is not None:
        give_up = start + GIVE_UP_SHARE * (job.deadline - start)
    best, iterations = _ils(job.data, _Deadline(job.deadline, give_up), job.seed, job.max_penalty)
    if best.is_feasible() or job.relaxed is None:
        return _outcome(best, job, relaxed=False, iterations=iterations)
    relaxed, more = _ils(job.relaxed, _Deadline(job.deadline), job.seed, job.relaxed_max_penalty)
    return _outcome(relaxed, job, relaxed=True, iterations=iterations + more)


def fleet_pressure_costs(data: ProblemData) -> list[int]:
    """Per vehicle type, the cost of driving to an average stop and back: the extra fixed cost."""
    clients = [client.location for client in data.clients()]
    costs = []
    for vehicle_type in data.vehicle_types():
        depot = data.depot(vehicle_type.start_depot).location
        distance = data.distance_matrix(vehicle_type.profile)[depot, clients]
        duration = data.duration_matrix(vehicle_type.profile)[depot, clients]
        per_stop = (
            vehicle_type.unit_distance_cost * distance + vehicle_type.unit_duration_cost * duration
        )
        costs.append(int(2 * per_stop.mean()) if clients else 0)
    return costs


def _fleet_pressure(job: SearchJob) -> SearchOutcome:
    start = time.time()
    switch = start + PRESSURE_SHARE * (job.deadline - start)
    types = job.data.vehicle_types()
    pressured = job.data.replace(
        vehicle_types=[
            vehicle_type.replace(fixed_cost=vehicle_type.fixed_cost + extra)
            for vehicle_type, extra in zip(types, fleet_pressure_costs(job.data), strict=True)
        ]
    )
    first, iterations = _ils(pressured, _Deadline(switch), job.seed, job.max_penalty)
    if not first.is_feasible() or not first.routes():
        return _plain(job, time.time())
    used = Counter(route.vehicle_type() for route in first.routes())
    kept = sorted(used)
    capped = job.data.replace(
        vehicle_types=[types[index].replace(num_available=used[index]) for index in kept]
    )
    position = {index: pos for pos, index in enumerate(kept)}
    warm = Solution(
        capped,
        [
            Route(capped, list(visits(route)), position[route.vehicle_type()])
            for route in first.routes()
        ],
    )
    best, more = _ils(capped, _Deadline(job.deadline), job.seed + 1, job.max_penalty, warm)
    return SearchOutcome(
        routes=tuple((kept[route.vehicle_type()], visits(route)) for route in best.routes()),
        feasible=best.is_feasible(),
        relaxed=False,
        strategy=job.strategy,
        seed=job.seed,
        iterations=iterations + more,
    )


def run_job(job: SearchJob) -> SearchOutcome:
    """One worker: one seed, one strategy, until the deadline."""
    with warnings.catch_warnings():
        # An over-full day drives penalties to their bound; that is expected, not news.
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        if job.strategy == FLEET_PRESSURE:
            return _fleet_pressure(job)
        return _plain(job, time.time())


def _single_threaded() -> bool:
    # _thread also counts threads started without the threading module (pytest-xdist's execnet)
    return threading.active_count() == 1 and _thread._count() == 0


def _context() -> BaseContext:
    # fork is cheap, but only safe in a single-threaded parent (a threaded server is not one);
    # there a fork server, started once with PyVRP imported, forks the workers instead.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and _single_threaded():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def _await(
    pool: Executor,
    jobs: Sequence[SearchJob],
    *,
    start: float,
    seconds: float,
    progress: Callable[[float], None],
) -> list[SearchOutcome]:
    """The jobs' outcomes; meanwhile, every TICK, the share of the search time spent."""
    futures: list[Future[SearchOutcome]] = [pool.submit(run_job, job) for job in jobs]
    while wait(futures, timeout=TICK).not_done:
        progress(min(1.0, (time.time() - start) / seconds))
    progress(1.0)
    return [future.result() for future in futures]


def search(
    data: ProblemData,
    relaxed: ProblemData | None,
    *,
    seconds: float,
    workers: int,
    seed: int,
    max_penalty: float,
    relaxed_max_penalty: float,
    progress: Callable[[float], None] | None = None,
) -> list[SearchOutcome]:
    """Run ``workers`` independent searches in parallel processes until ``seconds`` have passed;
    ``progress`` (called in this thread) hears the share of that time spent."""
    start = time.time()
    deadline = start + seconds
    jobs = [
        SearchJob(
            data=data,
            relaxed=relaxed,
            deadline=deadline,
            seed=seed + index,
            strategy=FLEET_PRESSURE if index % 2 else PLAIN,
            max_penalty=max_penalty,
            relaxed_max_penalty=relaxed_max_penalty,
        )
        for index in range(max(1, workers))
    ]
    if len(jobs) == 1:
        if progress is None:
            return [run_job(jobs[0])]
        with ThreadPoolExecutor(max_workers=1) as threads:
            return _await(threads, jobs, start=start, seconds=seconds, progress=progress)
    try:
        with ProcessPoolExecutor(max_workers=len(jobs), mp_context=_context()) as pool:
            if progress is None:
                return list(pool.map(run_job, jobs))
            return _await(pool, jobs, start=start, seconds=seconds, progress=progress)
    except (BrokenProcessPool, OSError, AssertionError):
        # A daemonic parent (some task workers) may not start processes: search here instead.
        return [run_job(replace(jobs[0], deadline=max(deadline, time.time() + 0.1)))]


def solution_cost(data: ProblemData, routes: Sequence[RouteVisits]) -> int:
    """The objective of a plan (costs plus prizes left uncollected); huge when infeasible."""
    solution = Solution(data, [Route(data, list(stops), kind) for kind, stops in routes])
    return CostEvaluator([0] * data.num_load_dimensions, 0, 0).cost(solution)


def route_cost(route: Route) -> int:
    return route.distance_cost() + route.duration_cost() + route.fixed_vehicle_cost()


def is_feasible(data: ProblemData, kind: int, clients: Sequence[int]) -> bool:
    return Route(data, list(clients), kind).is_feasible()


def penalised_cost(data: ProblemData, kind: int, clients: Sequence[int]) -> float:
    """A route's cost with its violations weighed heavily: less is better, feasible or not."""
    route = Route(data, list(clients), kind)
    violation = sum(route.excess_load()) + route.time_warp() + route.excess_distance()
    return route_cost(route) + 1e6 * violation


def _keeps_pins(stops: Sequence[int], position: int, pinned: Mapping[int, int]) -> bool:
    """Whether inserting at ``position`` pushes no pinned client past its largest index."""
    return all(
        index + 1 <= pinned[client]
        for index, client in enumerate(stops[position:], start=position)
        if client in pinned
    )


# C901 until refactored: the search's inner loop, kept in one function for speed.
def insert_greedily(  # noqa: C901
    data: ProblemData,
    routes: list[RouteVisits],
    pending: Sequence[Sequence[int]],
    pinned: Mapping[int, int] | None = None,
) -> tuple[list[RouteVisits], list[int]]:
    """Put each pending stop (given as its alternative clients) where it costs least, if anywhere.

    A ``pinned`` client (client: largest index in its route) is never pushed beyond that index.
    Returns the new routes and the positions in ``pending`` that found no place.
    """
    pinned = pinned or {}
    routes = list(routes)
    used = Counter(kind for kind, _ in routes)
    left = []
    for number, alternatives in enumerate(pending):
        best: tuple[int, int | None, RouteVisits] | None = None
        for index, (kind, stops) in enumerate(routes):
            current = route_cost(Route(data, list(stops), kind))
            for position in range(len(stops) + 1):
                if not _keeps_pins(stops, position, pinned):
                    continue
                for client in alternatives:
                    candidate = (*stops[:position], client, *stops[position:])
                    route = Route(data, list(candidate), kind)
                    if route.is_feasible():
                        extra = route_cost(route) - current
                        if best is None or extra < best[0]:
                            best = (extra, index, (kind, candidate))
        for kind, vehicle_type in enumerate(data.vehicle_types()):
            if used[kind] >= vehicle_type.num_available:
                continue
            for client in alternatives:
                route = Route(data, [client], kind)
                if route.is_feasible():
                    extra = route_cost(route)
                    if best is None or extra < best[0]:
                        best = (extra, None, (kind, (client,)))
        if best is None:
            left.append(number)
        elif best[1] is None:
            routes.append(best[2])
            used[best[2][0]] += 1
        else:
            routes[best[1]] = best[2]
    return routes, left


def _failure(route: Route, client: int) -> str | None:
    """Why a route with ``client`` in it does not work, or None when it does."""
    if route.is_feasible():
        return None
    if route.has_excess_load():
        return CAPACITY
    own = sum(
        activity.time_warp
        for activity in route.schedule()
        if activity.is_client() and activity.idx == client
    )
    return TIME_WINDOW if own > 0 else WORKING_HOURS


def _verdict(failures: Sequence[str]) -> str:
    if not failures or all(failure == CAPACITY for failure in failures):
        return CAPACITY if failures else WORKING_HOURS
    timing = [failure for failure in failures if failure != CAPACITY]
    return TIME_WINDOW if all(failure == TIME_WINDOW for failure in timing) else WORKING_HOURS


def alone_failure(data: ProblemData, alternatives: Sequence[int]) -> str | None:
    """Why no van could serve this stop even on its own; None when some van could."""
    failures = []
    for kind in range(data.num_vehicle_types):
        for client in alternatives:
            failure = _failure(Route(data, [client], kind), client)
            if failure is None:
                return None
            failures.append(failure)
    return _verdict(failures)


def why_unserved(
    data: ProblemData, routes: Sequence[RouteVisits], alternatives: Sequence[int]
) -> str:
    """The reason a stop is not in the plan, from every way of putting it in (best effort)."""
    alone = alone_failure(data, alternatives)
    if alone is not None:
        return alone
    failures = []
    for kind, stops in routes:
        for position in range(len(stops) + 1):
            for client in alternatives:
                candidate = [*stops[:position], client, *stops[position:]]
                failure = _failure(Route(data, candidate, kind), client)
                failures.append(failure or WORKING_HOURS)
    return _verdict(failures)
