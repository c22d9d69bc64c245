"""Who sees which action and which budget: one rule per role, decided in ``querysets``."""

from typing import Any

import pytest

from regie.accounts.tests.factories import UserFactory
from regie.plans.models import Action, BudgetLine, CarryOver, Expense, Grant
from regie.plans.querysets import budget_regions, managed_regions, plan_regions
from regie.plans.tests.factories import (
    ActionFactory,
    BudgetLineFactory,
    CarryOverFactory,
    ExpenseFactory,
    GrantFactory,
)
from regie.registry.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(home_region, other_region, partner_organisation):
    return {
        "partnered": ActionFactory.create(
            region=home_region, partner_organisations=[partner_organisation]
        ),
        "home": ActionFactory.create(region=home_region),
        "foreign": ActionFactory.create(region=other_region),
        "grant": GrantFactory.create(region=home_region),
        "foreign_grant": GrantFactory.create(region=other_region),
    }


def names(queryset, world) -> set[str]:
    return {key for key, value in world.items() if value in set(queryset)}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("coordinator", {"partnered", "home"}),
        ("partner", {"partnered"}),
        ("counsellor", {"partnered"}),  # as their organisation: read-only, no budget
        ("viewer", {"partnered", "home"}),
        ("admin", {"partnered", "home", "foreign"}),
        ("outsider", {"foreign"}),
    ],
)
def test_actions_visible_to(cast, world, role, expected):
    assert names(Action.objects.visible_to(cast[role]), world) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("coordinator", {"partnered", "home"}),
        ("partner", set()),
        ("counsellor", set()),
        ("viewer", set()),
        ("admin", {"partnered", "home", "foreign"}),
        ("outsider", {"foreign"}),
    ],
)
def test_actions_editable_by(cast, world, role, expected):
    assert names(Action.objects.editable_by(cast[role]), world) == expected


@pytest.mark.parametrize(
    ("role", "totals", "details"),
    [
        ("coordinator", {"w13"}, {"w13"}),
        ("partner", set(), set()),
        ("counsellor", set(), set()),
        ("viewer", {"w13"}, set()),  # the totals, never lines, expenses or suppliers
        ("admin", {"w13", "other"}, {"w13", "other"}),
        ("outsider", {"other"}, {"other"}),
    ],
)
def test_budget_scopes(cast, world, role, totals, details):
    user = cast[role]
    line = BudgetLineFactory.create(grant=world["grant"])
    ExpenseFactory.create(grant=world["grant"], line=line)
    CarryOverFactory.create(region=world["grant"].region)
    assert {r.code for r in budget_regions(user)} == totals
    assert {r.code for r in managed_regions(user)} == details
    assert {g.region.code for g in Grant.objects.visible_to(user)} == totals
    assert {c.region.code for c in CarryOver.objects.visible_to(user)} == totals & {"w13"}
    assert {b.grant.region.code for b in BudgetLine.objects.visible_to(user)} == details & {"w13"}
    assert {e.grant.region.code for e in Expense.objects.visible_to(user)} == details & {"w13"}


def test_a_viewer_sees_every_region_their_municipality_belongs_to(
    home_municipality, home_region, other_region
):
    viewer = UserFactory.create(role="viewer", municipality=home_municipality)
    assert set(plan_regions(viewer)) == {home_region}
    other_region.memberships.create(municipality=home_municipality)
    assert set(plan_regions(viewer)) == {home_region, other_region}


def test_a_partner_opens_their_own_region_and_those_they_take_part_in(
    partner, home_region, other_region, partner_organisation
):
    assert set(plan_regions(partner)) == {home_region}
    ActionFactory.create(region=other_region, partner_organisations=[partner_organisation])
    assert set(plan_regions(partner)) == {home_region, other_region}


def test_inactive_and_anonymous_users_see_nothing(coordinator, world):
    from django.contrib.auth.models import AnonymousUser

    coordinator.is_active = False
    nobody: list[Any] = [coordinator, AnonymousUser()]  # role_of: no role, so no scope
    for user in nobody:
        assert not Action.objects.visible_to(user).exists()
        assert not plan_regions(user).exists()
        assert not budget_regions(user).exists()
    assert Region.objects.exists()
