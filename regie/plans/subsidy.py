"""The operating grant of the regie role 2014–2022: the population bands and their caps.

Pure arithmetic, no Django: the service gathers the population of the region's member
municipalities and calls ``grant_for``; tests and the docs call it directly.

The rule (besluit van de Vlaamse Regering van 26 oktober 2012, as published on
socialeeconomie.be): the amount follows the band of the area's population; without a
centrumstad the grant is at most €50,000; with one, at most €50,000 more than the centrumstad
would get on its own. A group of municipalities needs at least 60,000 inhabitants; a
centrumstad on its own has no lower limit (it gets €25,000 up to 80,000 inhabitants).

Band edges: the text says "60.000 tot 80.000, 80.000 tot 150.000 … meer dan 500.000". We read
every upper edge as included (80,000 inhabitants is still the €25,000 band; 500,000 is still
the €175,000 band, "more than 500,000" is the next one), which is the only reading that leaves
no population without a band.
"""

from dataclasses import dataclass
from decimal import Decimal

MINIMUM_POPULATION = 60_000
CAP_WITHOUT_CENTRE_CITY = Decimal("50000.00")
CAP_ABOVE_CENTRE_CITY = Decimal("50000.00")

# (highest population of the band, included; amount). The last band has no upper edge.
BANDS: tuple[tuple[int | None, Decimal], ...] = (
    (80_000, Decimal("25000.00")),
    (150_000, Decimal("50000.00")),
    (220_000, Decimal("75000.00")),
    (290_000, Decimal("100000.00")),
    (360_000, Decimal("125000.00")),
    (430_000, Decimal("150000.00")),
    (500_000, Decimal("175000.00")),
    (None, Decimal("200000.00")),
)


@dataclass(frozen=True)
class Band:
    lowest: int  # the first population of the band (the edge below is excluded)
    highest: int | None  # included; None for "more than 500,000"
    amount: Decimal


@dataclass(frozen=True)
class GrantResult:
    """The grant for an area and how it was reached, step by step."""

    population: int
    band: Band | None  # None: below the minimum population of a group
    band_amount: Decimal
    centre_city_population: int | None
    centre_city_amount: Decimal | None  # what the centrumstad would get on its own
    cap: Decimal | None  # None when the area is a centrumstad on its own
    amount: Decimal

    @property
    def is_capped(self) -> bool:
        return self.cap is not None and self.band_amount > self.cap

    @property
    def below_minimum(self) -> bool:
        return self.band is None


def band_for(population: int) -> Band:
    """The band a population falls in, without the 60,000 minimum (a centrumstad's view)."""
    if population < 0:
        raise ValueError("population cannot be negative")
    lowest = 0
    for highest, amount in BANDS:
        if highest is None or population <= highest:
            return Band(lowest=lowest, highest=highest, amount=amount)
        lowest = highest + 1
    raise AssertionError("the last band has no upper edge")  # pragma: no cover


def grant_for(
    *,
    population: int,
    has_centre_city: bool,
    centre_city_population: int | None = None,
    centre_city_alone: bool = False,
) -> GrantResult:
    """The yearly grant of an area of ``population`` inhabitants (rule of 2014–2022).

    ``has_centre_city``: a centrumstad belongs to the area, with ``centre_city_population``
    inhabitants. ``centre_city_alone``: the area is that centrumstad and nothing else.
    """
    if population < 0 or (centre_city_population is not None and centre_city_population < 0):
        raise ValueError("population cannot be negative")
    if has_centre_city and centre_city_population is None:
        raise ValueError("give the population of the centrumstad")
    if has_centre_city and centre_city_population is not None:
        if centre_city_population > population:
            raise ValueError("the centrumstad cannot have more inhabitants than the area")
        if centre_city_alone and centre_city_population != population:
            raise ValueError("a centrumstad on its own has the population of the area")
    if centre_city_alone and not has_centre_city:
        raise ValueError("an area on its own must be a centrumstad")

    if centre_city_alone:
        band = band_for(population)
        return GrantResult(
            population=population,
            band=band,
            band_amount=band.amount,
            centre_city_population=centre_city_population,
            centre_city_amount=band.amount,
            cap=None,
            amount=band.amount,
        )

    centre_amount = (
        band_for(centre_city_population).amount
        if has_centre_city and centre_city_population is not None
        else None
    )
    cap = (
        centre_amount + CAP_ABOVE_CENTRE_CITY
        if centre_amount is not None
        else CAP_WITHOUT_CENTRE_CITY
    )
    if population < MINIMUM_POPULATION:
        return GrantResult(
            population=population,
            band=None,
            band_amount=Decimal("0.00"),
            centre_city_population=centre_city_population if has_centre_city else None,
            centre_city_amount=centre_amount,
            cap=cap,
            amount=Decimal("0.00"),
        )
    band = band_for(population)
    return GrantResult(
        population=population,
        band=band,
        band_amount=band.amount,
        centre_city_population=centre_city_population if has_centre_city else None,
        centre_city_amount=centre_amount,
        cap=cap,
        amount=min(band.amount, cap),
    )
