"""The demo plan and budget: Welzijn13 2020 as in the report, loaded idempotently."""

from decimal import Decimal
from typing import Any

import pytest

from regie.accounts.models import User
from regie.network.models import Body, BodyKind, Meeting
from regie.network.tests.factories import BodyFactory, MeetingFactory
from regie.plans.demo import plans_demo_load
from regie.plans.models import (
    Action,
    ActionStatus,
    BudgetLine,
    CarryOver,
    CarryOverStatus,
    Expense,
    Grant,
    Indicator,
    StatusChange,
)
from regie.plans.selectors import budget_balance
from regie.registry.demo import demo_region_load
from regie.registry.models import Region

pytestmark = pytest.mark.django_db

MODELS: list[Any] = [Action, StatusChange, Indicator, Grant, BudgetLine, Expense, CarryOver]


@pytest.fixture
def region() -> Region:
    demo_region_load()
    return Region.objects.get(code="w13")


@pytest.fixture
def actor(region) -> User:
    return User.objects.get(username="coordinator")


@pytest.fixture
def rase(region) -> Body:
    """The networks' demo has the werkgroep RASE; the plan links it by name."""
    body = Body.objects.filter(region=region, name__iexact="werkgroep RASE").first()
    return body or Body.objects.create(
        region=region, name="werkgroep RASE", kind=BodyKind.WORKING_GROUP
    )


def test_the_2020_grant_comes_from_the_population_rule(region, actor):
    plans_demo_load(region=region, actor=actor)
    grant = Grant.objects.get(region=region, year=2020)
    # 321,307 inhabitants: the 290–360k band (€125,000), capped at Kortrijk's €25,000 + €50,000
    assert grant.calculation["population"] == 321_307
    assert grant.amount == grant.calculated_amount == Decimal("75000.00")
    assert grant.calculation["centre_city"] == "Kortrijk"


def test_actions_under_the_three_pillars_with_corona_postponements(region, actor, rase):
    plans_demo_load(region=region, actor=actor)
    actions = Action.objects.filter(region=region).in_year(2020)
    assert {a.pillar.code for a in actions} == {"OD-1", "OD-2", "OD-3"}
    postponed = actions.filter(status=ActionStatus.POSTPONED)
    assert postponed.count() >= 3
    for action in postponed:
        change = action.status_changes.get(to_status=ActionStatus.POSTPONED)
        assert change.reason == "corona"
        assert change.new_start is not None
        assert change.new_start.year == 2021
        assert action.last_year == 2021
    rase_action = actions.get(title__startswith="Werkgroep RASE")
    assert rase_action.status == ActionStatus.ON_HOLD
    assert list(rase_action.bodies.all()) == [rase]
    assert actions.filter(project_reference="ESF520 Circulair werk(t)").exists()
    assert actions.filter(title__icontains="fietsproject").exists()
    assert Action.objects.filter(region=region, year=2021).exists()


def test_part_of_the_grant_is_unspent_and_carried_over_to_2021(region, actor):
    plans_demo_load(region=region, actor=actor)
    balance_2020 = budget_balance(region=region, year=2020)
    assert balance_2020.unspent == Decimal("18300.15")
    carry_over = CarryOver.objects.get(region=region, year=2020)
    assert carry_over.status == CarryOverStatus.APPROVED
    assert carry_over.amount == balance_2020.unspent
    assert "corona" in carry_over.justification
    assert budget_balance(region=region, year=2021).carried_in == Decimal("18300.15")
    assert balance_2020.remaining == Decimal("0.00")


def test_loading_twice_adds_nothing(region, actor):
    plans_demo_load(region=region, actor=actor)
    counts = [model.objects.count() for model in MODELS]
    summary = plans_demo_load(region=region, actor=actor)
    assert summary.created == 0
    assert [model.objects.count() for model in MODELS] == counts


def test_a_body_that_appears_later_is_linked_on_the_next_run(region, actor):
    Body.objects.filter(name__iexact="werkgroep RASE").update(name="RASE (oud)")
    plans_demo_load(region=region, actor=actor)
    action = Action.objects.get(title__startswith="Werkgroep RASE")
    assert not action.bodies.exists()
    body = Body.objects.create(region=region, name="Werkgroep RASE", kind=BodyKind.WORKING_GROUP)
    plans_demo_load(region=region, actor=actor)
    assert action.bodies.get() == body


def test_rose_and_trefdag_link_the_bodies_and_meetings_of_the_networks(region, actor):
    body = Body.objects.filter(region=region, name="Regionaal overleg").first()
    body = body or BodyFactory.create(region=region, name="Regionaal overleg")
    if not Meeting.objects.filter(body=body, title="ROSE 2020").exists():
        MeetingFactory.create(body=body, title="ROSE 2020")
    plans_demo_load(region=region, actor=actor)
    rose = Action.objects.get(title__startswith="ROSE –")
    assert list(rose.bodies.all()) == [body]
    assert rose.meetings.get().title == "ROSE 2020"
