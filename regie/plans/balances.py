"""The balance of a year's operating budget, from plain numbers (no Django).

One definition for every page, export, letter and API answer; the selector
``selectors.budget_balance`` gathers the numbers and calls ``balance_of``.

- income = grant + carried in (the approved carry-over of the year before)
- spent = paid expenses; committed = expenses ordered but not yet paid
- unspent = income − spent; available = unspent − committed
- forecast spending at year end = spent + committed + what each budget line still plans beyond
  what was spent or committed on it; forecast unspent = income − forecast spending. For a closed
  year (one that is over) the forecast is the actual figure: forecast spending = spent
- carried out = the approved carry-over of this year to the next; remaining = unspent − carried out
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def cents(value: Decimal | None) -> Decimal:
    """An amount rounded to the cent (SQLite sums come back with float noise)."""
    return (value or ZERO).quantize(CENT)


@dataclass(frozen=True)
class LineUse:
    """A budget line: what it plans, and what was spent and committed against it."""

    planned: Decimal
    spent: Decimal
    committed: Decimal

    @property
    def still_planned(self) -> Decimal:
        return max(ZERO, self.planned - self.spent - self.committed)


@dataclass(frozen=True)
class Balance:
    grant: Decimal
    carried_in: Decimal
    spent: Decimal
    committed: Decimal
    planned: Decimal
    still_planned: Decimal
    carried_out: Decimal
    closed: bool = False

    @property
    def income(self) -> Decimal:
        return self.grant + self.carried_in

    @property
    def unspent(self) -> Decimal:
        return self.income - self.spent

    @property
    def available(self) -> Decimal:
        return self.unspent - self.committed

    @property
    def forecast_spent(self) -> Decimal:
        if self.closed:
            return self.spent
        return self.spent + self.committed + self.still_planned

    @property
    def forecast_unspent(self) -> Decimal:
        return self.income - self.forecast_spent

    @property
    def remaining(self) -> Decimal:
        """Unspent after the approved carry-over to the next year."""
        return self.unspent - self.carried_out

    @property
    def is_overspent(self) -> bool:
        return self.available < ZERO


def balance_of(
    *,
    grant: Decimal,
    carried_in: Decimal,
    lines: Iterable[LineUse],
    unlined_spent: Decimal,
    unlined_committed: Decimal,
    carried_out: Decimal = ZERO,
    closed: bool = False,
) -> Balance:
    """The balance from the year's budget lines and the expenses outside any line."""
    lines = list(lines)
    return Balance(
        grant=grant,
        carried_in=carried_in,
        spent=sum((line.spent for line in lines), unlined_spent),
        committed=sum((line.committed for line in lines), unlined_committed),
        planned=sum((line.planned for line in lines), ZERO),
        still_planned=sum((line.still_planned for line in lines), ZERO),
        carried_out=carried_out,
        closed=closed,
    )
