"""A quick run of the VRPTW benchmark: it reads the instances and prints what it promises."""

import json
import os
from pathlib import Path

from benchmarks import routing
from regie.tests.needs import needs

# The shared benchmark files: REGIE_BENCHMARKS (set by .ci/run), else beside the clone.
BENCHMARKS = Path(__file__).resolve().parents[3].parent / "shared" / "benchmarks"
VRPTW = Path(os.environ.get("REGIE_BENCHMARKS") or BENCHMARKS) / "vrptw"
C101 = VRPTW / "solomon" / "C101.txt"

needs_instances = needs(C101.exists(), reason=f"the shared VRPTW instances are not at {VRPTW}")


@needs_instances
def test_a_solomon_file_is_read_in_the_dimacs_convention():
    instance = routing.read_instance(C101)

    assert instance.name == "C101"
    assert len(instance.customers) == 100
    assert (instance.vehicles, instance.capacity) == (25, 200)
    assert instance.due[0] == 12_360  # 1236 × 10
    assert instance.service[1] == 900  # 90 × 10
    # depot (40, 50) to customer 1 (45, 68): 18.681 → 186 tenths
    assert instance.distance[0][1] == 186


@needs_instances
def test_the_checker_refuses_an_overloaded_route():
    instance = routing.read_instance(C101)

    verdict = routing.check(instance, [list(instance.customers)])

    assert not verdict.feasible
    assert any("capacity" in problem for problem in verdict.problems)


def test_a_vrplib_file_is_read_too(tmp_path):
    path = tmp_path / "tiny.vrp"
    path.write_text(
        "NAME : tiny\nTYPE : VRPTW\nDIMENSION : 3\nVEHICLES : 2\nCAPACITY : 10\n"
        "EDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 3 4\n3 0 2\n"
        "DEMAND_SECTION\n1 0\n2 5\n3 5\nTIME_WINDOW_SECTION\n1 0 100\n2 0 50\n3 10 60\n"
        "SERVICE_TIME_SECTION\n1 0\n2 1\n3 1\nDEPOT_SECTION\n1\n-1\nEOF\n"
    )

    instance = routing.read_instance(path)

    assert (instance.name, instance.vehicles, instance.capacity) == ("tiny", 2, 10)
    assert instance.distance[0][1] == 50
    assert instance.due[2] == 600
    verdict = routing.check(instance, [[1, 2]])
    assert verdict.feasible
    assert verdict.distance == 50 + 36 + 20


@needs_instances
def test_one_second_of_regie_prints_one_valid_json_line(capsys):
    routing.main([str(C101), "--seconds", "1", "--solver", "regie", "--json", "--workers", "1"])

    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert set(row) == {"instance", "solver", "distance", "vehicles", "feasible", "seconds"}
    assert (row["instance"], row["solver"], row["feasible"]) == ("C101", "regie", True)
    assert row["distance"] >= 827.3
    assert row["vehicles"] >= 10
