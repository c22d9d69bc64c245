"""A small plan of the home region: three actions under the 2020 pillars and a budget."""

import datetime
from decimal import Decimal
from typing import Any

import pytest

from regie.plans.models import ActionStatus, ExpenseStatus
from regie.plans.services import action_create, action_status_change
from regie.plans.tests.factories import BudgetLineFactory, ExpenseFactory, GrantFactory
from regie.registry.models import Pillar

d = datetime.date


@pytest.fixture
def plan(coordinator, home_region, partner_organisation) -> dict[str, Any]:
    """ROSE (OD-2, done, with the partner's organisation), sociale clausules (OD-1, postponed
    for corona to 2021) and nothing for OD-3 (MVO)."""

    def new(title: str, pillar: str, **kwargs: Any) -> Any:
        return action_create(
            actor=coordinator,
            region=home_region,
            on=d(2020, 1, 6),
            pillar=Pillar.objects.get(code=pillar),
            title=title,
            year=2020,
            **kwargs,
        )

    rose = new(
        "ROSE",
        "OD-2",
        partner_organisations=[partner_organisation],
        planned_budget=Decimal("2500.00"),
    )
    rose = action_status_change(
        actor=coordinator,
        action=rose,
        expected_version=rose.version,
        status=ActionStatus.DONE,
        on=d(2020, 2, 20),
    )
    clauses = new("Infosessie sociale clausules", "OD-1", planned_budget=Decimal("3000.00"))
    clauses = action_status_change(
        actor=coordinator,
        action=clauses,
        expected_version=clauses.version,
        status=ActionStatus.POSTPONED,
        reason="corona",
        on=d(2020, 3, 16),
        new_start=d(2021, 3, 1),
        new_end=d(2021, 6, 30),
    )
    return {"rose": rose, "clauses": clauses}


@pytest.fixture
def budget(home_region, plan) -> dict[str, Any]:
    """€75,000 granted for 2020; €1,642.50 paid for ROSE, €300 committed: €73,357.50 unspent."""
    grant = GrantFactory.create(region=home_region, year=2020, amount=Decimal("75000.00"))
    line = BudgetLineFactory.create(
        grant=grant, title="ROSE en Trefdag", amount=Decimal("4500.00"), action=plan["rose"]
    )
    paid = ExpenseFactory.create(
        grant=grant,
        line=line,
        action=plan["rose"],
        amount=Decimal("1642.50"),
        supplier="Ontmoetingscentrum De Schakel",
        description="Zaalhuur ROSE",
        date=d(2020, 2, 20),
    )
    committed = ExpenseFactory.create(
        grant=grant,
        amount=Decimal("300.00"),
        status=ExpenseStatus.COMMITTED,
        supplier="Drukkerij Letterzetter",
        description="Folders",
    )
    return {"grant": grant, "line": line, "paid": paid, "committed": committed}
