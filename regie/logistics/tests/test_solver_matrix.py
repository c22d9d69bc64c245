"""Distances and travel times: straight lines offline, OSRM when configured, and the fallback."""

import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from regie.logistics.solver import Depot, Problem, Stop, TimeWindow, Vehicle, plan_routes
from regie.logistics.solver_matrix import (
    Location,
    OsrmProvider,
    StraightLineProvider,
    haversine_m,
)

EQUATOR = Location(lat=0.0, lon=0.0)
ONE_DEGREE_NORTH = Location(lat=1.0, lon=0.0)
UNREACHABLE = "http://127.0.0.1:9/"  # the discard port: nothing listens there


def test_one_degree_of_latitude_is_111_195_metres():
    assert haversine_m(EQUATOR, ONE_DEGREE_NORTH) == pytest.approx(111_195.08, abs=0.01)


def test_the_straight_line_provider_adds_the_detour_factor_and_drives_at_40_kmh():
    matrix = StraightLineProvider().matrix([EQUATOR, ONE_DEGREE_NORTH])

    assert matrix.distance == ((0, 144_554), (144_554, 0))  # 111 195.08 m × 1.3
    assert matrix.duration == ((0, 13_010), (13_010, 0))  # 144 554 m at 40 km/h
    assert matrix.source == "straight_line"
    assert matrix.fallback_reason is None


def test_kortrijk_to_brussels_as_the_crow_flies_times_the_detour_factor():
    kortrijk, brussels = Location(50.8280, 3.2649), Location(50.8467, 4.3525)
    provider = StraightLineProvider(detour_factor=1.3, speed_kmh=60)

    metres = provider.matrix([kortrijk, brussels]).distance[0][1]

    assert metres == round(1.3 * haversine_m(kortrijk, brussels))
    assert 76_000 < haversine_m(kortrijk, brussels) < 77_000


def test_an_unreachable_osrm_falls_back_to_straight_lines_and_says_so():
    locations = [EQUATOR, ONE_DEGREE_NORTH]

    matrix = OsrmProvider(UNREACHABLE, timeout=1.0).matrix(locations)

    assert matrix.distance == StraightLineProvider().matrix(locations).distance
    assert matrix.source == "straight_line"
    assert matrix.fallback_reason is not None
    assert "OSRM" in matrix.fallback_reason


def test_the_plan_reports_the_fallback():
    depot = Depot(Location(50.8280, 3.2649), TimeWindow(7 * 3600, 18 * 3600))
    vans = (Vehicle("van", (10,), TimeWindow(8 * 3600, 16 * 3600)),)
    stops = (Stop("a", Location(50.80, 3.30), delivery=(1,)),)
    problem = Problem(depot=depot, vehicles=vans, stops=stops, dimensions=("volume",))

    plan = plan_routes(problem, seconds=0.2, provider=OsrmProvider(UNREACHABLE), workers=1)

    assert plan.matrix_source == "straight_line"
    assert plan.fallback_reason is not None
    assert [visit.stop_id for route in plan.routes for visit in route.visits] == ["a"]


class FakeOsrm(BaseHTTPRequestHandler):
    """Answers the table service with |i − j| km and |i − j| minutes between points i and j."""

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        coordinates = path.rsplit("/", 1)[1].split(";")
        params = urllib.parse.parse_qs(query)
        sources = [int(value) for value in params["sources"][0].split(";")]
        targets = [int(value) for value in params["destinations"][0].split(";")]
        points = [float(pair.split(",")[0]) for pair in coordinates]  # the longitude is the id
        body = {
            "code": "Ok",
            "distances": [[1000.0 * abs(points[i] - points[j]) for j in targets] for i in sources],
            "durations": [[60.0 * abs(points[i] - points[j]) for j in targets] for i in sources],
        }
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def osrm_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), FakeOsrm)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_osrm_distances_are_used_in_blocks_small_enough_for_the_server(osrm_url):
    locations = [Location(lat=50.0, lon=float(number)) for number in range(5)]

    matrix = OsrmProvider(osrm_url, max_table_size=4).matrix(locations)

    assert matrix.source == "osrm"
    assert matrix.fallback_reason is None
    assert matrix.distance == tuple(tuple(1000 * abs(i - j) for j in range(5)) for i in range(5))
    assert matrix.duration[0][4] == 240
