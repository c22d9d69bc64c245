"""The board and the budget load what they show of their rows with their selectors: the queries
do not grow with the rows, and with lazy loads refused (``FETCH_RAISE``) they render."""

from collections.abc import Callable

import pytest
from django.urls import reverse
from zeal import zeal_context

from regie.plans import selectors
from regie.plans.tests.factories import ActionFactory, BudgetLineFactory, ExpenseFactory
from regie.registry.tests.factories import PersonFactory
from regie.tests.n_plus_one import lazy_loads_raise
from regie.tests.queries import assert_no_growth


@pytest.fixture
def rows(home_region, partner_organisation, budget) -> Callable[[], None]:
    """Adds an action with a partner, a budget line on it and an expense on that line."""

    def add() -> None:
        action = ActionFactory.create(
            region=home_region,
            owner=PersonFactory.create(region=home_region),
            partner_organisations=[partner_organisation],
        )
        line = BudgetLineFactory.create(grant=budget["grant"], action=action)
        ExpenseFactory.create(grant=budget["grant"], line=line, action=action)

    return add


@pytest.mark.parametrize("route", ["plans:board", "plans:budget"])
def test_a_list_page_loads_its_rows_with_its_selector(
    client, coordinator, rows, route, django_assert_max_num_queries
):
    client.force_login(coordinator)
    assert_no_growth(
        client,
        reverse(route, args=["w13", 2020]),
        add_rows=lambda: [rows() for _ in range(4)],
        max_num_queries=django_assert_max_num_queries,
    )


def test_the_board_selector_loads_what_the_board_shows(coordinator, home_region, rows):
    for _ in range(3):
        rows()
    with zeal_context(), lazy_loads_raise():
        board = selectors.plan_board(user=coordinator, region=home_region, year=2020)
        shown = [
            (
                action.pillar.framework.name,
                action.owner and action.owner.full_name,
                [organisation.name for organisation in action.partner_organisations.all()],
                [change.changed_by for change in action.status_changes.all()],
            )
            for action in board.actions
        ]
    assert len(shown) == 5


def test_the_budget_selector_loads_what_the_budget_shows(home_region, rows):
    for _ in range(3):
        rows()
    with zeal_context(), lazy_loads_raise():
        budget = selectors.budget_year(region=home_region, year=2020)
        lines = [(line.title, line.action and line.action.title) for line in budget.lines]
        expenses = [
            (expense.line and expense.line.title, expense.action and expense.action.title)
            for expense in budget.expenses
        ]
    assert (len(lines), len(expenses)) == (4, 5)
