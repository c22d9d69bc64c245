"""Balances: one definition (``balances.balance_of``), always consistent, computed by one
selector in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from regie.plans.balances import ZERO, LineUse, balance_of
from regie.plans.models import CarryOverStatus, ExpenseStatus
from regie.plans.selectors import budget_balance, budget_year
from regie.plans.tests.factories import (
    BudgetLineFactory,
    CarryOverFactory,
    ExpenseFactory,
    GrantFactory,
)
from regie.registry.tests.factories import RegionFactory

amounts = st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2)
positive = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)
line_uses = st.builds(LineUse, planned=amounts, spent=amounts, committed=amounts)


@given(
    grant=amounts,
    carried_in=amounts,
    lines=st.lists(line_uses, max_size=8),
    unlined_spent=amounts,
    unlined_committed=amounts,
)
def test_the_balance_always_adds_up(grant, carried_in, lines, unlined_spent, unlined_committed):
    balance = balance_of(
        grant=grant,
        carried_in=carried_in,
        lines=lines,
        unlined_spent=unlined_spent,
        unlined_committed=unlined_committed,
    )
    assert balance.income == grant + carried_in
    assert balance.spent == sum((line.spent for line in lines), unlined_spent)
    assert balance.committed == sum((line.committed for line in lines), unlined_committed)
    assert balance.spent + balance.unspent == balance.income
    assert balance.available + balance.committed == balance.unspent
    assert balance.forecast_spent >= balance.spent + balance.committed
    assert balance.forecast_spent + balance.forecast_unspent == balance.income
    assert balance.forecast_unspent <= balance.available
    assert balance.still_planned >= ZERO
    assert balance.is_overspent == (balance.available < 0)


def test_still_planned_counts_only_what_a_line_has_not_used():
    line = LineUse(planned=Decimal("1000.00"), spent=Decimal("300.00"), committed=Decimal("200.00"))
    overrun = LineUse(planned=Decimal("100.00"), spent=Decimal("250.00"), committed=ZERO)
    assert line.still_planned == Decimal("500.00")
    assert overrun.still_planned == ZERO


class TestTheSelectorAgreesWithTheRows(TestCase):
    """Random expenses written to the database: the selector's balance equals plain sums."""

    @settings(max_examples=25, deadline=None)
    @given(
        expenses=st.lists(
            st.tuples(
                positive,
                st.sampled_from(list(ExpenseStatus)),
                st.integers(min_value=0, max_value=2),
            ),
            max_size=12,
        ),
        planned=st.lists(amounts, min_size=2, max_size=2),
        carried_in=st.one_of(st.none(), positive),
    )
    def test_balance(self, expenses, planned, carried_in):
        region = RegionFactory.create()
        grant = GrantFactory.create(region=region, year=2021, amount=Decimal("50000.00"))
        lines = [BudgetLineFactory.create(grant=grant, amount=amount) for amount in planned]
        if carried_in is not None:
            CarryOverFactory.create(
                region=region,
                year=2020,
                amount=carried_in,
                status=CarryOverStatus.APPROVED,
                approved_amount=carried_in,
            )
        for amount, status, line in expenses:
            ExpenseFactory.create(
                grant=grant,
                amount=amount,
                status=status,
                line=lines[line] if line < len(lines) else None,
                date=datetime.date(2021, 3, 1),
            )
        balance = budget_balance(region=region, year=2021)
        paid = sum((a for a, s, _ in expenses if s == ExpenseStatus.PAID), ZERO)
        committed = sum((a for a, s, _ in expenses if s == ExpenseStatus.COMMITTED), ZERO)
        assert balance.grant == Decimal("50000.00")
        assert balance.carried_in == (carried_in or ZERO)
        assert balance.spent == paid
        assert balance.committed == committed
        assert balance.unspent == Decimal("50000.00") + (carried_in or ZERO) - paid
        assert balance.planned == sum(planned, ZERO)
        detailed = budget_year(region=region, year=2021, details=True).balance
        assert detailed == balance


@pytest.mark.django_db
def test_a_year_without_grant_has_only_the_carried_in_income(home_region):
    CarryOverFactory.create(
        region=home_region,
        year=2020,
        amount=Decimal("1200.50"),
        status=CarryOverStatus.APPROVED,
        approved_amount=Decimal("1000.25"),
    )
    balance = budget_balance(region=home_region, year=2021)
    assert (balance.grant, balance.carried_in, balance.income) == (
        ZERO,
        Decimal("1000.25"),
        Decimal("1000.25"),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("status", [CarryOverStatus.DRAFT, CarryOverStatus.SUBMITTED, "refused"])
def test_only_an_approved_carry_over_is_income(home_region, status):
    CarryOverFactory.create(region=home_region, year=2020, status=status)
    assert budget_balance(region=home_region, year=2021).carried_in == ZERO


@pytest.mark.django_db
def test_cancelled_expenses_count_nowhere(home_region):
    grant = GrantFactory.create(region=home_region)
    ExpenseFactory.create(grant=grant, amount=Decimal("10.00"), status=ExpenseStatus.CANCELLED)
    balance = budget_balance(region=home_region, year=2020)
    assert (balance.spent, balance.committed) == (ZERO, ZERO)


@pytest.mark.django_db
@pytest.mark.parametrize("details", [True, False])
def test_query_count_does_not_grow_with_rows(home_region, details):
    grant = GrantFactory.create(region=home_region)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            budget_year(region=home_region, year=2020, details=details)
        return len(captured.captured_queries)

    few = count()
    for _ in range(20):
        line = BudgetLineFactory.create(grant=grant)
        ExpenseFactory.create(grant=grant, line=line)
        ExpenseFactory.create(grant=grant, status=ExpenseStatus.COMMITTED)
    assert count() == few <= 4


@pytest.mark.django_db
def test_a_closed_year_expects_what_it_actually_left_unspent(home_region):
    """Once the year is over nothing more is spent on it: the forecast is the actual figure."""
    this_year = timezone.localdate().year
    for year in (2020, this_year):
        grant = GrantFactory.create(region=home_region, year=year, amount=Decimal("75000.00"))
        line = BudgetLineFactory.create(grant=grant, amount=Decimal("75000.00"))
        ExpenseFactory.create(
            grant=grant, line=line, amount=Decimal("56699.85"), date=datetime.date(year, 3, 1)
        )
        ExpenseFactory.create(
            grant=grant,
            amount=Decimal("300.00"),
            status=ExpenseStatus.COMMITTED,
            date=datetime.date(year, 3, 1),
        )

    closed = budget_balance(region=home_region, year=2020)
    assert closed.unspent == Decimal("18300.15")
    assert closed.forecast_unspent == closed.unspent
    assert closed.forecast_spent == closed.spent

    running = budget_balance(region=home_region, year=this_year)
    assert running.unspent == Decimal("18300.15")
    assert running.forecast_spent == Decimal("75300.00")  # the line still plans the rest
    assert running.forecast_unspent == Decimal("-300.00")


def test_the_balance_of_a_closed_year_forecasts_the_actual_figures():
    balance = balance_of(
        grant=Decimal("100.00"),
        carried_in=ZERO,
        lines=[LineUse(planned=Decimal("80.00"), spent=Decimal("20.00"), committed=ZERO)],
        unlined_spent=ZERO,
        unlined_committed=Decimal("5.00"),
        closed=True,
    )
    assert balance.forecast_spent == Decimal("20.00")
    assert balance.forecast_unspent == Decimal("80.00")
    assert balance.unspent == balance.forecast_unspent
