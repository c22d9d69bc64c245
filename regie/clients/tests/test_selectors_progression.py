"""Progression figures: per measure and municipality for a year, in a fixed number of queries,
with counts under 5 suppressed for everyone but the region's coordinator."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regie.clients.models import EndReason
from regie.clients.selectors import (
    Cell,
    _secondary_suppression,
    progression,
    progression_page,
)
from regie.clients.tests.factories import trajectory_with_steps
from regie.registry.tests.factories import MunicipalityFactory, RegionMembershipFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _row(rows, key):
    return next(row for row in rows if row.key == key)


def test_exact_figures_for_the_coordinator(region_with_clients):
    figures = progression(region=region_with_clients, year=2019, suppress=False)

    az = _row(figures.measures, "AZ")
    assert (az.started.value, az.ended.value) == (0, 8)
    assert az.reasons[EndReason.OTHER_MEASURE].value == 6
    assert az.reasons[EndReason.DROP_OUT].value == 2
    cmw = _row(figures.measures, "CMW")
    assert (cmw.started.value, cmw.active_at_year_end.value) == (6, 6)
    lde = _row(figures.measures, "LDE")
    assert lde.median_months.value == 42.0
    transitions = {(t.from_measure, t.to_measure): t.count.value for t in figures.transitions}
    assert transitions == {("AZ", "CMW"): 6, ("LDE", "REG"): 1}
    assert _row(figures.municipalities, "34022").ended.value == 9


def test_counts_under_five_are_suppressed(region_with_clients):
    figures = progression(region=region_with_clients, year=2019, suppress=True)

    az = _row(figures.measures, "AZ")
    assert az.ended == Cell(8)
    assert az.reasons[EndReason.OTHER_MEASURE] == Cell(6)
    assert az.reasons[EndReason.DROP_OUT] == Cell(None, True)
    lde = _row(figures.measures, "LDE")
    assert lde.ended == Cell(None, True)
    assert lde.median_months == Cell(None, True)  # a median of one person is that person
    transitions = {(t.from_measure, t.to_measure): t.count for t in figures.transitions}
    assert transitions[("LDE", "REG")] == Cell(None, True)
    for row in [*figures.measures, *figures.municipalities, figures.total]:
        for cell in [row.started, row.ended, row.active_at_year_end, *row.reasons.values()]:
            assert cell.suppressed or (cell.value is not None and cell.value >= 5)


def test_a_lone_hidden_part_takes_a_second_one_with_it():
    cells = {"a": Cell(12), "b": Cell(None, True), "c": Cell(7)}
    assert _secondary_suppression(cells) == {
        "a": Cell(12),
        "b": Cell(None, True),
        "c": Cell(None, True),
    }


def test_a_viewer_sees_only_their_municipality(region_with_clients, home_municipality):
    other = MunicipalityFactory.create(name="Kuurne", nis_code="34023")
    RegionMembershipFactory.create(region=region_with_clients, municipality=other)

    figures = progression(
        region=region_with_clients, year=2019, municipality=home_municipality, suppress=True
    )

    assert [row.label for row in figures.municipalities] == ["Kortrijk"]


def test_the_figures_take_a_fixed_number_of_queries(
    region_with_clients, home_municipality, partner_organisation
):
    with CaptureQueriesContext(connection) as few:
        progression(region=region_with_clients, year=2019)
    for month in range(1, 13):
        trajectory_with_steps(
            region_with_clients,
            home_municipality,
            partner_organisation,
            ("WW", D(2019, month, 1), D(2019, month, 28), EndReason.REGULAR_JOB),
        )
    with CaptureQueriesContext(connection) as many:
        progression(region=region_with_clients, year=2019)

    assert len(few) == len(many) == 3


def test_the_page_shows_the_users_region_and_suppresses_for_all_but_the_coordinator(
    coordinator, viewer, outsider, admin_user, home_region, other_region
):
    own = progression_page(user=coordinator, region_code="", chosen=2020)
    assert own is not None
    assert (own.figures.region, own.year, own.figures.suppressed) == (home_region, 2020, False)
    assert list(own.regions) == []
    limited = progression_page(user=viewer, region_code="", chosen=2020)
    assert limited is not None
    assert limited.figures.suppressed
    assert limited.figures.municipality == viewer.municipality
    chosen = progression_page(user=admin_user, region_code=other_region.code, chosen=2020)
    assert chosen is not None
    assert chosen.figures.region == other_region
    assert set(chosen.regions) == {home_region, other_region}
    # Only an admin names a region: a coordinator asking for another one gets their own.
    asked = progression_page(user=outsider, region_code=home_region.code, chosen=2020)
    assert asked is not None
    assert asked.figures.region == other_region
