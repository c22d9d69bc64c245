"""Distances and travel times between the depot and the stops: the providers of the round planner.

A provider turns a list of locations (the depot first) into a :class:`TravelMatrix` of whole
metres and whole seconds. The default, :class:`StraightLineProvider`, needs no network: the
great-circle (haversine) distance times a detour factor, driven at an average speed.
:class:`OsrmProvider` asks an OSRM server for road distances and durations and, when the server
cannot be reached or answers nonsense, falls back to straight lines and says why in
``TravelMatrix.fallback_reason``, so the plan can show it.

No Django import: this module is part of the computational core.
"""

import http.client
import json
import math
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), the usual haversine constant
DETOUR_FACTOR = 1.3
AVERAGE_SPEED_KMH = 40.0


@dataclass(frozen=True)
class Location:
    """A point on the map in WGS84 degrees."""

    lat: float
    lon: float


@dataclass(frozen=True)
class TravelMatrix:
    """Distances (metres) and durations (seconds) from every location to every other.

    Row and column 0 are the depot; row ``i`` is the ``i``-th location given to the provider.
    ``source`` names where the numbers come from (``straight_line``, ``osrm`` …);
    ``fallback_reason`` is set when the configured provider failed and straight lines were used.
    """

    distance: tuple[tuple[int, ...], ...]
    duration: tuple[tuple[int, ...], ...]
    source: str
    fallback_reason: str | None = None

    def __post_init__(self) -> None:
        size = len(self.distance)
        rows = (*self.distance, *self.duration)
        if len(self.duration) != size or any(len(row) != size for row in rows):
            raise ValueError("A travel matrix is square, with as many durations as distances.")
        if any(value < 0 for row in rows for value in row):
            raise ValueError("Distances and durations cannot be negative.")


class MatrixProvider(Protocol):
    """Anything that can tell how far and how long it is between locations."""

    def matrix(self, locations: Sequence[Location]) -> TravelMatrix: ...


def haversine_m(a: Location, b: Location) -> float:
    """The great-circle distance between two points, in metres."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    half_dlat = (lat2 - lat1) / 2
    half_dlon = math.radians(b.lon - a.lon) / 2
    h = math.sin(half_dlat) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(half_dlon) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class StraightLineProvider:
    """Straight-line distance × ``detour_factor``, travelled at ``speed_kmh``; works offline."""

    detour_factor: float = DETOUR_FACTOR
    speed_kmh: float = AVERAGE_SPEED_KMH

    def __post_init__(self) -> None:
        if self.detour_factor < 1 or self.speed_kmh <= 0:
            raise ValueError("The detour factor is at least 1 and the speed is positive.")

    def distance_m(self, a: Location, b: Location) -> int:
        return round(haversine_m(a, b) * self.detour_factor)

    def duration_s(self, distance_m: float) -> int:
        return round(distance_m / (self.speed_kmh / 3.6))

    def matrix(self, locations: Sequence[Location]) -> TravelMatrix:
        distance = tuple(tuple(self.distance_m(a, b) for b in locations) for a in locations)
        duration = tuple(tuple(self.duration_s(d) for d in row) for row in distance)
        return TravelMatrix(distance=distance, duration=duration, source="straight_line")


class OsrmError(Exception):
    """The OSRM server could not be reached or gave an answer that cannot be used."""


@dataclass(frozen=True)
class OsrmProvider:
    """Road distances and durations from an OSRM ``table`` service, straight lines when it fails.

    ``url`` is the server's base address (``http://osrm.example.org:5000``). Requests are cut in
    blocks so that no request names more than ``max_table_size`` coordinates (OSRM's own limit,
    100 by default). A pair OSRM cannot route (``null``) gets the straight-line value.
    """

    url: str
    profile: str = "driving"
    timeout: float = 5.0
    max_table_size: int = 100
    fallback: StraightLineProvider = StraightLineProvider()

    def matrix(self, locations: Sequence[Location]) -> TravelMatrix:
        try:
            distance, duration = self._table(locations)
        except OsrmError as error:
            straight = self.fallback.matrix(locations)
            return TravelMatrix(
                distance=straight.distance,
                duration=straight.duration,
                source=straight.source,
                fallback_reason=f"OSRM at {self.url} failed, straight-line distances used: {error}",
            )
        return TravelMatrix(distance=distance, duration=duration, source="osrm")

    def _table(
        self, locations: Sequence[Location]
    ) -> tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...]]:
        size = len(locations)
        block = max(1, self.max_table_size // 2)
        distance = [[0] * size for _ in range(size)]
        duration = [[0] * size for _ in range(size)]
        for src_start in range(0, size, block):
            sources = list(range(src_start, min(size, src_start + block)))
            for dst_start in range(0, size, block):
                targets = list(range(dst_start, min(size, dst_start + block)))
                answer = self._request(locations, sources, targets)
                for row, i in enumerate(sources):
                    for col, j in enumerate(targets):
                        metres = answer["distances"][row][col]
                        seconds = answer["durations"][row][col]
                        if i == j:
                            continue
                        if metres is None or seconds is None:
                            metres = self.fallback.distance_m(locations[i], locations[j])
                            seconds = self.fallback.duration_s(metres)
                        distance[i][j] = round(metres)
                        duration[i][j] = round(seconds)
        return tuple(map(tuple, distance)), tuple(map(tuple, duration))

    def _request(
        self, locations: Sequence[Location], sources: list[int], targets: list[int]
    ) -> dict[str, list[list[float | None]]]:
        points = [*sources, *[j for j in targets if j not in sources]]
        position = {index: pos for pos, index in enumerate(points)}
        coordinates = ";".join(f"{locations[i].lon:.6f},{locations[i].lat:.6f}" for i in points)
        query = urllib.parse.urlencode(
            {
                "sources": ";".join(str(position[i]) for i in sources),
                "destinations": ";".join(str(position[j]) for j in targets),
                "annotations": "distance,duration",
            }
        )
        address = f"{self.url.rstrip('/')}/table/v1/{self.profile}/{coordinates}?{query}"
        if not address.startswith(("http://", "https://")):
            raise OsrmError("the OSRM address must start with http:// or https://")
        try:
            with urllib.request.urlopen(address, timeout=self.timeout) as response:  # noqa: S310
                answer = json.load(response)
        except (
            OSError,
            ValueError,
            http.client.HTTPException,
        ) as error:  # URLError, timeouts, bad JSON
            raise OsrmError(str(error) or type(error).__name__) from error
        if not isinstance(answer, dict) or answer.get("code") != "Ok":
            code = answer.get("code") if isinstance(answer, dict) else None
            raise OsrmError(f"OSRM answered {code or 'something unexpected'}")
        for key in ("distances", "durations"):
            table = answer.get(key)
            if (
                not isinstance(table, list)
                or len(table) != len(sources)
                or any(not isinstance(row, list) or len(row) != len(targets) for row in table)
            ):
                raise OsrmError(f"OSRM answer without a complete {key} table")
        return answer
