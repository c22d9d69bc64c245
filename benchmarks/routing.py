"""VRPTW benchmark of the round planner against PyVRP, OR-Tools and VROOM.

    uv run python -m benchmarks.routing FILE... --seconds S [--solver regie|pyvrp|ortools|vroom]
        [--json] [--bks CSV] [--markdown]

Reads Solomon-format (and VRPLIB) VRPTW instances and solves them with the DIMACS convention of
the 12th DIMACS challenge: distances and travel times truncated to one decimal (the integer
matrix ``floor(10 · euclid)``, ready times, due dates and service times × 10), fleet free,
distance-only objective. ``regie`` is :func:`regie.logistics.solver.plan_routes` on the instance
turned into its dataclasses; ``pyvrp`` is one plain PyVRP run (seed 1); ``ortools`` is OR-Tools
routing with guided local search; ``vroom`` is VROOM through pyvroom. Every solver gets the same
time limit, one after the other. Every answer is checked by :func:`check` (each customer once,
capacity, time windows, back at the depot in time) — ``feasible`` and ``distance`` come from that
check, not from the solver.

With ``--json`` one object per instance and solver: ``{"instance", "solver", "distance",
"vehicles", "feasible", "seconds"}`` (plus ``bks``, ``gap`` and ``reference`` with ``--bks``).
"""

import argparse
import csv
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from regie.logistics.solver_matrix import TravelMatrix

SOLVERS = ("regie", "pyvrp", "ortools", "vroom")
DIMACS = 10  # distances and times in tenths


@dataclass(frozen=True)
class Instance:
    """A VRPTW instance in DIMACS integers; index 0 is the depot."""

    name: str
    coords: tuple[tuple[float, float], ...]
    demand: tuple[int, ...]
    ready: tuple[int, ...]
    due: tuple[int, ...]
    service: tuple[int, ...]
    capacity: int
    vehicles: int
    distance: tuple[tuple[int, ...], ...]

    @property
    def customers(self) -> range:
        return range(1, len(self.coords))


@dataclass(frozen=True)
class Check:
    feasible: bool
    distance: int  # tenths
    vehicles: int
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Reference:
    distance: float
    label: str


@dataclass(frozen=True)
class Outcome:
    instance: str
    solver: str
    check: Check | None
    seconds: float
    error: str | None = None
    reference: Reference | None = None

    def as_dict(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "instance": self.instance,
            "solver": self.solver,
            "distance": round(self.check.distance / DIMACS, 1) if self.check else None,
            "vehicles": self.check.vehicles if self.check else None,
            "feasible": bool(self.check and self.check.feasible),
            "seconds": round(self.seconds, 2),
        }
        if self.reference is not None:
            row["bks"] = self.reference.distance
            row["gap"] = self.gap
            row["reference"] = self.reference.label
        if self.error:
            row["error"] = self.error
        return row

    @property
    def gap(self) -> float | None:
        """Percentage above the reference, for a feasible answer."""
        if self.reference is None or self.check is None or not self.check.feasible:
            return None
        value = self.check.distance / DIMACS
        return round(100 * (value - self.reference.distance) / self.reference.distance, 2)


def dimacs_matrix(coords: Sequence[tuple[float, float]]) -> tuple[tuple[int, ...], ...]:
    points = np.asarray(coords, dtype=np.float64)
    euclid = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=-1))
    return tuple(map(tuple, (DIMACS * euclid).astype(np.int64).tolist()))


def _tenths(values: Sequence[float]) -> tuple[int, ...]:
    return tuple(round(DIMACS * value) for value in values)


def read_instance(path: Path) -> Instance:
    """A Solomon text file, or a VRPLIB file (recognised by ``NAME :`` or a ``.vrp`` suffix)."""
    text = path.read_text()
    first = text.lstrip().split("\n", 1)[0]
    if path.suffix == ".vrp" or (":" in first and first.split(":")[0].strip().upper() == "NAME"):
        return _read_vrplib(path)
    return _read_solomon(path.stem, text)


def _read_solomon(stem: str, text: str) -> Instance:
    lines = text.splitlines()
    name = lines[0].strip() or stem
    vehicles = capacity = None
    rows: list[list[float]] = []
    for number, line in enumerate(lines):
        if line.strip().upper().startswith("NUMBER") and vehicles is None:
            vehicles, capacity = (int(value) for value in lines[number + 1].split()[:2])
        parts = line.split()
        if len(parts) == 7 and parts[0].isdigit():
            rows.append([float(value) for value in parts])
    if vehicles is None or capacity is None or not rows:
        raise ValueError(f"{stem}: not a Solomon instance (no VEHICLE or CUSTOMER section)")
    if [int(row[0]) for row in rows] != list(range(len(rows))):
        raise ValueError(f"{stem}: customers must be numbered 0 (the depot), 1, 2 …")
    coords = tuple((row[1], row[2]) for row in rows)
    return Instance(
        name=name,
        coords=coords,
        demand=tuple(int(row[3]) for row in rows),
        ready=_tenths([row[4] for row in rows]),
        due=_tenths([row[5] for row in rows]),
        service=_tenths([row[6] for row in rows]),
        capacity=capacity,
        vehicles=vehicles,
        distance=dimacs_matrix(coords),
    )


def _read_vrplib(path: Path) -> Instance:
    import vrplib

    data = vrplib.read_instance(str(path), compute_edge_weights=False)
    depots = [int(depot) for depot in np.atleast_1d(data.get("depot", [0]))]
    if depots != [0]:
        raise ValueError(f"{path.name}: only one depot, the first node, is supported")
    coords = tuple((float(x), float(y)) for x, y in data["node_coord"])
    size = len(coords)
    windows = np.asarray(data["time_window"], dtype=np.float64)
    service = np.asarray(data.get("service_time", np.zeros(size)), dtype=np.float64)
    if service.ndim == 0:
        service = np.full(size, float(service))
    return Instance(
        name=str(data.get("name", path.stem)),
        coords=coords,
        demand=tuple(int(value) for value in data["demand"]),
        ready=_tenths(windows[:, 0].tolist()),
        due=_tenths(windows[:, 1].tolist()),
        service=_tenths(service.tolist()),
        capacity=int(np.atleast_1d(data["capacity"])[0]),
        vehicles=int(data.get("vehicles", size - 1)),
        distance=dimacs_matrix(coords),
    )


def check(instance: Instance, routes: Sequence[Sequence[int]]) -> Check:
    """Independent feasibility check: every customer once, capacity, windows, back in time."""
    problems = []
    routes = [list(route) for route in routes if route]
    seen = [customer for route in routes for customer in route]
    missing = set(instance.customers) - set(seen)
    if missing:
        problems.append(f"{len(missing)} customers not visited")
    if len(seen) != len(set(seen)) or not set(seen) <= set(instance.customers):
        problems.append("a customer visited twice, or an unknown customer")
    if len(routes) > instance.vehicles:
        problems.append(f"{len(routes)} routes for {instance.vehicles} vehicles")
    total = 0
    matrix = instance.distance
    for number, route in enumerate(routes, start=1):
        if any(customer not in instance.customers for customer in route):
            continue
        load = sum(instance.demand[customer] for customer in route)
        if load > instance.capacity:
            problems.append(f"route {number}: load {load} > capacity {instance.capacity}")
        moment, previous = instance.ready[0], 0
        for customer in route:
            total += matrix[previous][customer]
            moment = max(moment + matrix[previous][customer], instance.ready[customer])
            if moment > instance.due[customer]:
                problems.append(f"route {number}: customer {customer} served after its due date")
            moment += instance.service[customer]
            previous = customer
        total += matrix[previous][0]
        if moment + matrix[previous][0] > instance.due[0]:
            problems.append(f"route {number}: back at the depot after it closes")
    return Check(
        feasible=not problems, distance=total, vehicles=len(routes), problems=tuple(problems)
    )


class DimacsProvider:
    """The instance's own DIMACS matrix, as a matrix provider for the round planner."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance

    def matrix(self, locations: Sequence[object]) -> "TravelMatrix":
        from regie.logistics.solver_matrix import TravelMatrix  # after django.setup()

        if len(locations) != len(self.instance.coords):
            raise ValueError("the planner asked for other locations than the instance has")
        return TravelMatrix(
            distance=self.instance.distance, duration=self.instance.distance, source="dimacs"
        )


def solve_regie(instance: Instance, seconds: float, workers: int | None) -> list[list[int]]:
    from regie.logistics import solver

    opening = solver.TimeWindow(instance.ready[0], instance.due[0])
    problem = solver.Problem(
        depot=solver.Depot(
            solver.Location(lat=instance.coords[0][1], lon=instance.coords[0][0]), opening
        ),
        vehicles=tuple(
            solver.Vehicle(id=f"v{number}", capacity=(instance.capacity,), shift=opening)
            for number in range(1, instance.vehicles + 1)
        ),
        stops=tuple(
            solver.Stop(
                id=str(customer),
                location=solver.Location(
                    lat=instance.coords[customer][1], lon=instance.coords[customer][0]
                ),
                delivery=(instance.demand[customer],),
                windows=(solver.TimeWindow(instance.ready[customer], instance.due[customer]),),
                service_time=instance.service[customer],
            )
            for customer in instance.customers
        ),
        dimensions=("demand",),
    )
    plan = solver.plan_routes(
        problem, seconds=seconds, provider=DimacsProvider(instance), workers=workers
    )
    return [[int(visit.stop_id) for visit in route.visits] for route in plan.routes]


def solve_pyvrp(instance: Instance, seconds: float, workers: int | None) -> list[list[int]]:
    from pyvrp import Client, Depot, Location, ProblemData, VehicleType, solve
    from pyvrp.stop import MaxRuntime

    matrix: Any = np.asarray(instance.distance, dtype=np.int64)  # PyVRP's stubs say ndarray[int]
    data = ProblemData(
        locations=[Location(x=x, y=y) for x, y in instance.coords],
        clients=[
            Client(
                location=customer,
                delivery=[instance.demand[customer]],
                service_duration=instance.service[customer],
                tw_early=instance.ready[customer],
                tw_late=instance.due[customer],
            )
            for customer in instance.customers
        ],
        depots=[Depot(location=0, tw_early=instance.ready[0], tw_late=instance.due[0])],
        vehicle_types=[
            VehicleType(
                num_available=instance.vehicles,
                capacity=[instance.capacity],
                tw_early=instance.ready[0],
                tw_late=instance.due[0],
            )
        ],
        distance_matrices=[matrix],
        duration_matrices=[matrix],
    )
    result = solve(data, stop=MaxRuntime(seconds), seed=1, collect_stats=False, display=False)
    return [
        [activity.idx + 1 for activity in route.schedule() if activity.is_client()]
        for route in result.best.routes()
    ]


def solve_ortools(instance: Instance, seconds: float, workers: int | None) -> list[list[int]]:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    size = len(instance.coords)
    manager = pywrapcp.RoutingIndexManager(size, instance.vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)
    matrix = [list(row) for row in instance.distance]
    arc = routing.RegisterTransitMatrix(matrix)
    routing.SetArcCostEvaluatorOfAllVehicles(arc)
    travel = [[matrix[i][j] + instance.service[i] for j in range(size)] for i in range(size)]
    horizon = instance.due[0]
    routing.AddDimension(routing.RegisterTransitMatrix(travel), horizon, horizon, False, "Time")
    clock = routing.GetDimensionOrDie("Time")
    for customer in instance.customers:
        index = manager.NodeToIndex(customer)
        clock.CumulVar(index).SetRange(instance.ready[customer], instance.due[customer])
    for vehicle in range(instance.vehicles):
        clock.CumulVar(routing.Start(vehicle)).SetRange(instance.ready[0], instance.due[0])
        clock.CumulVar(routing.End(vehicle)).SetRange(instance.ready[0], instance.due[0])
    demand = routing.RegisterUnaryTransitVector(list(instance.demand))
    routing.AddDimensionWithVehicleCapacity(
        demand, 0, [instance.capacity] * instance.vehicles, True, "Load"
    )
    params = pywrapcp.DefaultRoutingSearchParameters()
    strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    params.first_solution_strategy = strategy
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return []
    routes = []
    for vehicle in range(instance.vehicles):
        index = solution.Value(routing.NextVar(routing.Start(vehicle)))
        route = []
        while not routing.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        if route:
            routes.append(route)
    return routes


def solve_vroom(instance: Instance, seconds: float, workers: int | None) -> list[list[int]]:
    import vroom

    problem = vroom.Input()
    matrix = np.asarray(instance.distance, dtype=np.uint32)
    problem.set_durations_matrix("car", matrix)
    problem.set_costs_matrix("car", matrix)
    window = vroom.TimeWindow(instance.ready[0], instance.due[0])
    problem.add_vehicle(
        [
            vroom.Vehicle(number, start=0, end=0, capacity=[instance.capacity], time_window=window)
            for number in range(instance.vehicles)
        ]
    )
    problem.add_job(
        [
            vroom.Job(
                customer,
                location=customer,
                default_service=instance.service[customer],
                delivery=[instance.demand[customer]],
                time_windows=[vroom.TimeWindow(instance.ready[customer], instance.due[customer])],
            )
            for customer in instance.customers
        ]
    )
    solution = problem.solve(
        exploration_level=5, nb_threads=workers or 2, timeout=timedelta(seconds=seconds)
    )
    return [
        [int(step["id"]) for step in route["steps"] if step["type"] == "job"]
        for route in solution.to_dict().get("routes", [])
    ]


RUNNERS: dict[str, Callable[[Instance, float, int | None], list[list[int]]]] = {
    "regie": solve_regie,
    "pyvrp": solve_pyvrp,
    "ortools": solve_ortools,
    "vroom": solve_vroom,
}


def run(instance: Instance, solver: str, seconds: float, workers: int | None) -> Outcome:
    started = time.perf_counter()
    try:
        routes = RUNNERS[solver](instance, seconds, workers)
    except ImportError as error:
        return Outcome(instance.name, solver, None, 0.0, error=f"not installed: {error.name}")
    elapsed = time.perf_counter() - started
    return Outcome(instance.name, solver, check(instance, routes), elapsed)


def read_sintef_solution(path: Path) -> list[list[int]]:
    """Routes of a SINTEF solution file (``Route 1 : 5 3 7 …``)."""
    routes = []
    for line in path.read_text().splitlines():
        head, _, tail = line.partition(":")
        if head.strip().lower().startswith("route") and tail.strip():
            routes.append([int(value) for value in tail.split()])
    return routes


def load_references(path: Path, instances: Sequence[Instance]) -> dict[str, Reference]:
    """The DIMACS best-known distance per instance, or the next best thing, with its label.

    Instances with a ``distance_dimacs`` row use it. For the others (the Gehring & Homberger
    instances have a best-known solution only in the hierarchical objective), the best-known
    route set, when its SINTEF file lies under the CSV's folder, is re-evaluated in the DIMACS
    convention: a feasible DIMACS solution, so an upper bound on the DIMACS distance-only
    optimum, which may use more vehicles and be shorter. Without that file, the hierarchical
    double-precision distance is used, labelled as such.
    """
    rows: dict[tuple[str, str], float] = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            rows[(row["instance"].lower(), row["objective"])] = float(row["distance"])
    references = {}
    for instance in instances:
        key = instance.name.lower()
        if (key, "distance_dimacs") in rows:
            references[instance.name] = Reference(rows[(key, "distance_dimacs")], "distance_dimacs")
            continue
        if (key, "hierarchical_double") not in rows:
            continue
        files = sorted(path.parent.glob(f"**/bks_solutions/{instance.name}.*"))
        if files:
            verdict = check(instance, read_sintef_solution(files[0]))
            if verdict.feasible:
                references[instance.name] = Reference(
                    verdict.distance / DIMACS, "hierarchical BKS routes, DIMACS-evaluated"
                )
                continue
        references[instance.name] = Reference(
            rows[(key, "hierarchical_double")], "hierarchical_double"
        )
    return references


def _format_table(outcomes: Sequence[Outcome]) -> str:
    header = ["instance", "solver", "distance", "vehicles", "feasible", "seconds", "bks", "gap %"]
    lines = []
    for outcome in outcomes:
        row = outcome.as_dict()
        lines.append(
            [
                row["instance"],
                row["solver"],
                "—" if row["distance"] is None else f"{row['distance']:.1f}",
                "—" if row["vehicles"] is None else str(row["vehicles"]),
                "yes" if row["feasible"] else "NO",
                f"{row['seconds']:.2f}",
                "" if outcome.reference is None else f"{outcome.reference.distance:.1f}",
                "" if outcome.gap is None else f"{outcome.gap:+.2f}",
            ]
        )
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=True)]
    text = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in [header, *lines]
    ]
    for solver in dict.fromkeys(outcome.solver for outcome in outcomes):
        gaps = [outcome.gap for outcome in outcomes if outcome.solver == solver]
        if gaps and all(gap is not None for gap in gaps):
            known = [gap for gap in gaps if gap is not None]
            text.append(f"mean gap {solver}: {sum(known) / len(known):+.2f} %")
    return "\n".join(text)


def _format_markdown(outcomes: Sequence[Outcome]) -> str:
    lines = [
        "| instance | solver | distance | vehicles | feasible | seconds | gap % |",
        "|---|---|---:|---:|---|---:|---:|",
    ]
    for outcome in outcomes:
        row = outcome.as_dict()
        distance = "—" if row["distance"] is None else f"{row['distance']:.1f}"
        gap = "—" if outcome.gap is None else f"{outcome.gap:+.2f}"
        lines.append(
            f"| {row['instance']} | {row['solver']} | {distance} | {row['vehicles'] or '—'} | "
            f"{'yes' if row['feasible'] else 'no'} | {row['seconds']:.2f} | {gap} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.routing", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--seconds", type=float, required=True, help="time limit per solver run")
    parser.add_argument("--solver", choices=SOLVERS, help="one solver; all four when omitted")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--bks", type=Path, help="CSV of best-known values (bks.csv)")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table at the end")
    parser.add_argument("--workers", type=int, help="processes/threads for regie and vroom")
    args = parser.parse_args(argv)
    if args.seconds <= 0:
        parser.error("--seconds must be positive")
    instances = [read_instance(path) for path in args.files]
    references = load_references(args.bks, instances) if args.bks else {}
    solvers = [args.solver] if args.solver else list(SOLVERS)
    outcomes = []
    for instance in instances:
        for solver in solvers:
            outcome = run(instance, solver, args.seconds, args.workers)
            if instance.name in references:
                outcome = Outcome(
                    outcome.instance,
                    outcome.solver,
                    outcome.check,
                    outcome.seconds,
                    outcome.error,
                    references[instance.name],
                )
            outcomes.append(outcome)
            if args.json:
                print(json.dumps(outcome.as_dict()), flush=True)
            elif outcome.check is not None and outcome.check.problems:
                print(f"{instance.name} {solver}: {'; '.join(outcome.check.problems[:3])}")
    if not args.json:
        print(_format_table(outcomes))
    if args.markdown:
        print(_format_markdown(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
