"""The population rule of 2014–2022 at every band edge and cap (pure function, no database)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regie.plans.subsidy import BANDS, band_for, grant_for

K = Decimal("1000")


def group(population: int, centre_city: int | None = None) -> Decimal:
    return grant_for(
        population=population,
        has_centre_city=centre_city is not None,
        centre_city_population=centre_city,
    ).amount


def alone(population: int) -> Decimal:
    return grant_for(
        population=population,
        has_centre_city=True,
        centre_city_population=population,
        centre_city_alone=True,
    ).amount


@pytest.mark.parametrize(
    ("population", "amount"),
    [
        (0, 25),
        (80_000, 25),
        (80_001, 50),
        (150_000, 50),
        (150_001, 75),
        (220_000, 75),
        (220_001, 100),
        (290_000, 100),
        (290_001, 125),
        (360_000, 125),
        (360_001, 150),
        (430_000, 150),
        (430_001, 175),
        (500_000, 175),
        (500_001, 200),
        (5_000_000, 200),
    ],
)
def test_every_band_edge(population, amount):
    assert band_for(population).amount == amount * K


@pytest.mark.parametrize(
    ("population", "amount"),
    [(0, 0), (59_999, 0), (60_000, 25), (80_000, 25), (80_001, 50), (500_001, 50)],
)
def test_a_group_without_centrumstad_needs_60000_and_gets_at_most_50000(population, amount):
    assert group(population) == amount * K


@pytest.mark.parametrize(
    ("population", "amount"),
    [
        (40_000, 25),  # a centrumstad on its own has no lower limit
        (80_000, 25),
        (80_001, 50),
        (150_001, 75),
        (500_001, 200),  # and no cap
    ],
)
def test_a_centrumstad_on_its_own(population, amount):
    assert alone(population) == amount * K


@pytest.mark.parametrize(
    ("population", "centre_city", "amount"),
    [
        (59_999, 40_000, 0),  # a group still needs 60,000 inhabitants
        (60_000, 40_000, 25),  # band 25,000 < cap 25,000 + 50,000
        (150_000, 77_109, 50),
        (220_000, 77_109, 75),  # band 75,000 = cap: not capped
        (220_001, 77_109, 75),  # band 100,000 capped at 75,000
        (321_307, 77_109, 75),  # Welzijn13 2020: band 125,000, Kortrijk alone 25,000
        (321_307, 80_001, 100),  # a centrumstad just above 80,000 gets 50,000 alone
        (500_001, 150_001, 125),  # band 200,000, cap 75,000 + 50,000
        (500_001, 500_000, 200),  # cap 175,000 + 50,000 does not bind
    ],
)
def test_the_cap_of_a_group_with_a_centrumstad(population, centre_city, amount):
    assert group(population, centre_city) == amount * K


def test_the_result_explains_the_steps():
    result = grant_for(population=321_307, has_centre_city=True, centre_city_population=77_109)
    assert result.band is not None
    assert (result.band.lowest, result.band.highest) == (290_001, 360_000)
    assert result.band_amount == Decimal("125000.00")
    assert result.centre_city_amount == Decimal("25000.00")
    assert result.cap == Decimal("75000.00")
    assert result.is_capped
    assert result.amount == Decimal("75000.00")
    assert isinstance(result.amount, Decimal)


def test_below_the_minimum_the_band_is_missing():
    result = grant_for(population=59_999, has_centre_city=False)
    assert result.below_minimum
    assert result.amount == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"population": -1, "has_centre_city": False},
        {"population": 100_000, "has_centre_city": True},  # centrumstad population missing
        {"population": 100_000, "has_centre_city": True, "centre_city_population": 100_001},
        {"population": 100_000, "has_centre_city": False, "centre_city_alone": True},
        {
            "population": 100_000,
            "has_centre_city": True,
            "centre_city_population": 90_000,
            "centre_city_alone": True,
        },
    ],
)
def test_impossible_input_is_refused(kwargs):
    with pytest.raises(ValueError):
        grant_for(**kwargs)


def test_bands_increase_by_25000():
    amounts = [amount for _highest, amount in BANDS]
    assert amounts == [Decimal(25_000 * n) for n in range(1, 9)]


@given(
    population=st.integers(min_value=0, max_value=2_000_000),
    share=st.floats(min_value=0, max_value=1),
    with_city=st.booleans(),
)
def test_the_grant_never_exceeds_its_cap_nor_the_band(population, share, with_city):
    city = int(population * share) if with_city else None
    result = grant_for(
        population=population, has_centre_city=with_city, centre_city_population=city
    )
    assert Decimal(0) <= result.amount <= result.band_amount
    assert result.cap is not None
    assert result.amount <= result.cap
    assert result.amount % 25_000 == 0


@given(st.integers(min_value=0, max_value=1_000_000), st.integers(min_value=0, max_value=1_000))
def test_more_inhabitants_never_mean_less(population, more):
    assert band_for(population + more).amount >= band_for(population).amount
