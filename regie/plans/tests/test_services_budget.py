"""The grant (from the population, never typed in), budget lines and expenses."""

import datetime
from decimal import Decimal

import pytest
from django.utils.translation import gettext

from regie.core.errors import DomainError, StaleEditError
from regie.plans.models import ExpenseStatus, Grant
from regie.plans.selectors import grant_calculation
from regie.plans.services import (
    budget_line_create,
    budget_line_update,
    expense_create,
    expense_update,
    grant_set,
)
from regie.plans.tests.factories import ActionFactory, BudgetLineFactory, GrantFactory
from regie.registry.models import Municipality, Population, Region, RegionMembership
from regie.registry.tests.factories import MunicipalityFactory, RegionFactory

pytestmark = pytest.mark.django_db

d = datetime.date


@pytest.fixture
def area(home_region, home_municipality) -> Region:
    """Kortrijk (a centrumstad, 77,109) and two neighbours; one joined in 2017."""
    Municipality.objects.filter(pk=home_municipality.pk).update(is_centre_city=True)
    Population.objects.create(municipality=home_municipality, year=2020, inhabitants=77_109)
    Population.objects.create(municipality=home_municipality, year=2016, inhabitants=75_000)
    menen = MunicipalityFactory.create(nis_code="34027", name="Menen")
    Population.objects.create(municipality=menen, year=2020, inhabitants=33_540)
    RegionMembership.objects.create(region=home_region, municipality=menen)
    waregem = MunicipalityFactory.create(nis_code="34040", name="Waregem")
    Population.objects.create(municipality=waregem, year=2019, inhabitants=38_000)
    RegionMembership.objects.create(region=home_region, municipality=waregem, start=d(2017, 1, 1))
    return home_region


def test_the_calculation_uses_the_members_of_that_year(area):
    calculation = grant_calculation(region=area, year=2016)
    assert [m.municipality.name for m in calculation.members] == ["Kortrijk", "Menen"]
    assert calculation.missing == [calculation.members[1].municipality]  # no 2016 figure
    calculation = grant_calculation(region=area, year=2020)
    assert calculation.population == 77_109 + 33_540 + 38_000
    assert [m.population_year for m in calculation.members] == [2020, 2020, 2019]
    assert calculation.older_figures[0].municipality.name == "Waregem"


def test_the_grant_is_computed_and_the_calculation_kept(area, coordinator):
    grant = grant_set(actor=coordinator, region=area, year=2020, decision_reference="RLSE/2020/1")
    # 148,649 inhabitants: band 80–150k → €50,000; Kortrijk alone €25,000 + €50,000 = cap 75,000
    assert grant.amount == grant.calculated_amount == Decimal("50000.00")
    assert grant.calculation["population"] == 148_649
    assert grant.calculation["centre_city"] == "Kortrijk"
    assert [m["name"] for m in grant.calculation["members"]] == ["Kortrijk", "Menen", "Waregem"]


def test_a_different_granted_amount_needs_a_note(area, coordinator):
    with pytest.raises(DomainError) as error:
        grant_set(actor=coordinator, region=area, year=2020, amount=Decimal("45000"))
    assert "notes" in error.value.message_dict
    grant = grant_set(
        actor=coordinator,
        region=area,
        year=2020,
        amount=Decimal("45000"),
        notes="Begroting ontoereikend: verminderd bedrag.",
    )
    assert (grant.amount, grant.calculated_amount) == (Decimal("45000"), Decimal("50000.00"))


def test_unknown_population_is_refused(area, coordinator):
    with pytest.raises(DomainError) as error:
        grant_set(actor=coordinator, region=area, year=2016)
    assert "Menen" in error.value.message_dict["amount"][0]
    assert not Grant.objects.exists()


def test_from_2023_the_amount_of_the_decision_is_entered(area, coordinator):
    with pytest.raises(DomainError) as error:
        grant_set(actor=coordinator, region=area, year=2023)
    assert "amount" in error.value.message_dict
    grant = grant_set(actor=coordinator, region=area, year=2023, amount=Decimal("81234.56"))
    assert grant.calculated_amount is None
    assert grant.calculation == {}


def test_setting_the_grant_again_updates_it_and_detects_stale_edits(area, coordinator):
    grant = grant_set(actor=coordinator, region=area, year=2020)
    grant_set(
        actor=coordinator,
        region=area,
        year=2020,
        decision_reference="A",
        expected_version=grant.version,
    )
    with pytest.raises(StaleEditError):
        grant_set(
            actor=coordinator,
            region=area,
            year=2020,
            decision_reference="B",
            expected_version=grant.version,
        )
    assert Grant.objects.get().decision_reference == "A"


def test_a_region_without_members_has_no_grant(coordinator):
    with pytest.raises(DomainError):
        grant_set(actor=coordinator, region=RegionFactory.create(), year=2020)


@pytest.mark.parametrize("amount", [Decimal("-0.01"), Decimal("-100"), Decimal("0")])
def test_an_expense_must_be_above_zero(home_region, coordinator, amount):
    grant = GrantFactory.create(region=home_region)
    with pytest.raises(DomainError) as error:
        expense_create(
            actor=coordinator,
            grant=grant,
            date=d(2020, 5, 1),
            amount=amount,
            supplier="X",
            description="Y",
        )
    assert "amount" in error.value.message_dict


@pytest.mark.parametrize("day", [d(2019, 12, 31), d(2021, 1, 1)])
def test_an_expense_is_dated_in_its_grant_year(home_region, coordinator, day):
    grant = GrantFactory.create(region=home_region, year=2020)
    with pytest.raises(DomainError) as error:
        expense_create(
            actor=coordinator,
            grant=grant,
            date=day,
            amount=Decimal("10.00"),
            supplier="X",
            description="Y",
        )
    message = error.value.message_dict["date"][0]
    assert str(day.year) in message
    assert "2020" in message


def test_an_expense_on_a_line_of_another_year_is_refused(home_region, coordinator):
    grant = GrantFactory.create(region=home_region, year=2020)
    other_line = BudgetLineFactory.create(grant=GrantFactory.create(region=home_region, year=2021))
    with pytest.raises(DomainError) as error:
        expense_create(
            actor=coordinator,
            grant=grant,
            date=d(2020, 5, 1),
            amount=Decimal("10.00"),
            supplier="X",
            description="Y",
            line=other_line,
        )
    assert "line" in error.value.message_dict


def test_an_action_of_another_region_is_refused(home_region, other_region, coordinator):
    grant = GrantFactory.create(region=home_region, year=2020)
    with pytest.raises(DomainError) as error:
        budget_line_create(
            actor=coordinator,
            grant=grant,
            title="X",
            amount=Decimal("1"),
            action=ActionFactory.create(region=other_region),
        )
    assert "action" in error.value.message_dict


def test_a_commitment_is_paid_later(home_region, coordinator):
    grant = GrantFactory.create(region=home_region)
    expense = expense_create(
        actor=coordinator,
        grant=grant,
        date=d(2020, 5, 1),
        amount=Decimal("450.00"),
        supplier="Sprekers",
        description="Infosessie",
        status=ExpenseStatus.COMMITTED,
    )
    paid = expense_update(
        actor=coordinator,
        expense=expense,
        expected_version=expense.version,
        status=ExpenseStatus.PAID,
        amount=Decimal("437.50"),
    )
    assert (paid.status, paid.amount, paid.version) == ("paid", Decimal("437.50"), 2)
    assert paid.history.count() == 2


def test_budget_lines_refuse_negative_amounts_and_stale_edits(home_region, coordinator):
    grant = GrantFactory.create(region=home_region)
    with pytest.raises(DomainError) as error:
        budget_line_create(actor=coordinator, grant=grant, title="X", amount=Decimal("-1"))
    assert error.value.message_dict["amount"] == [gettext("An amount cannot be negative.")]
    line = budget_line_create(actor=coordinator, grant=grant, title="X", amount=Decimal("10"))
    budget_line_update(actor=coordinator, line=line, expected_version=1, amount=Decimal("20"))
    with pytest.raises(StaleEditError):
        budget_line_update(actor=coordinator, line=line, expected_version=1, amount=Decimal("30"))
    line.refresh_from_db()
    assert line.amount == Decimal("20.00")
