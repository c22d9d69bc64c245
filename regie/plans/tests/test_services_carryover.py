"""Carry-over requests: draft → submitted → approved / refused, and the income of Y+1."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from regie.core.errors import DomainError, StaleEditError
from regie.plans.models import ActionStatus, CarryOver, CarryOverStatus, ExpenseStatus
from regie.plans.selectors import budget_balance, carryover_justification, short_date
from regie.plans.services import (
    action_create,
    action_status_change,
    carryover_decide,
    carryover_draft,
    carryover_save,
    carryover_submit,
    carryover_update,
)
from regie.plans.tests.factories import ExpenseFactory, GrantFactory
from regie.registry.models import Pillar

pytestmark = pytest.mark.django_db

d = datetime.date


@pytest.fixture
def year_2020(home_region):
    """€75,000 granted, €56,699.85 spent, €300 committed: €18,300.15 unspent."""
    grant = GrantFactory.create(region=home_region, year=2020, amount=Decimal("75000.00"))
    ExpenseFactory.create(grant=grant, amount=Decimal("56699.85"))
    ExpenseFactory.create(grant=grant, amount=Decimal("300.00"), status=ExpenseStatus.COMMITTED)
    return grant


def draft(region, actor, amount="18300.15", justification="Corona.") -> CarryOver:
    return carryover_draft(
        actor=actor, region=region, year=2020, amount=Decimal(amount), justification=justification
    )


def test_the_whole_flow_ends_as_income_of_the_next_year(home_region, coordinator, year_2020):
    assert budget_balance(region=home_region, year=2020).unspent == Decimal("18300.15")
    request = draft(home_region, coordinator)
    assert request.status == CarryOverStatus.DRAFT
    assert budget_balance(region=home_region, year=2021).carried_in == 0
    request = carryover_submit(
        actor=coordinator, carry_over=request, expected_version=request.version, on=d(2020, 12, 14)
    )
    assert (request.status, request.submitted_on) == (CarryOverStatus.SUBMITTED, d(2020, 12, 14))
    assert budget_balance(region=home_region, year=2021).carried_in == 0
    request = carryover_decide(
        actor=coordinator,
        carry_over=request,
        expected_version=request.version,
        approved=True,
        decision_date=d(2021, 2, 26),
        decision_reference="DWSE/2021/0187",
    )
    assert request.status == CarryOverStatus.APPROVED
    assert request.approved_amount == Decimal("18300.15")
    next_year = budget_balance(region=home_region, year=2021)
    assert next_year.carried_in == next_year.income == Decimal("18300.15")
    this_year = budget_balance(region=home_region, year=2020)
    assert this_year.carried_out == Decimal("18300.15")
    assert this_year.remaining == 0
    assert request.history.count() == 3


def test_a_partial_approval_brings_only_that_amount(home_region, coordinator, year_2020):
    request = draft(home_region, coordinator, amount="10000.00")
    request = carryover_submit(
        actor=coordinator, carry_over=request, expected_version=request.version
    )
    carryover_decide(
        actor=coordinator,
        carry_over=request,
        expected_version=request.version,
        approved=True,
        decision_date=timezone.localdate(),
        decision_reference="X",
        approved_amount=Decimal("8000.00"),
    )
    assert budget_balance(region=home_region, year=2021).carried_in == Decimal("8000.00")


def test_a_refusal_brings_nothing(home_region, coordinator, year_2020):
    request = draft(home_region, coordinator)
    request = carryover_submit(
        actor=coordinator, carry_over=request, expected_version=request.version
    )
    request = carryover_decide(
        actor=coordinator,
        carry_over=request,
        expected_version=request.version,
        approved=False,
        decision_date=timezone.localdate(),
        decision_reference="X",
        approved_amount=Decimal("5"),
    )
    assert (request.status, request.approved_amount) == (CarryOverStatus.REFUSED, None)
    assert budget_balance(region=home_region, year=2021).carried_in == 0


@pytest.mark.parametrize("amount", ["18300.16", "20000"])
def test_no_more_than_the_unspent_amount(home_region, coordinator, year_2020, amount):
    with pytest.raises(DomainError) as error:
        draft(home_region, coordinator, amount=amount)
    message = error.value.message_dict["amount"][0]
    assert "18.300,15" in message  # Belgian format, in Dutch
    assert not CarryOver.objects.exists()


@pytest.mark.parametrize("amount", ["0", "-1"])
def test_an_amount_above_zero(home_region, coordinator, year_2020, amount):
    with pytest.raises(DomainError) as error:
        draft(home_region, coordinator, amount=amount)
    assert "amount" in error.value.message_dict


def test_one_request_per_region_and_year(home_region, coordinator, year_2020):
    draft(home_region, coordinator, amount="100")
    with pytest.raises(DomainError) as error:
        draft(home_region, coordinator, amount="200")
    assert "year" in error.value.message_dict
    assert CarryOver.objects.get().amount == Decimal("100.00")


def test_the_amount_is_checked_again_at_submission(home_region, coordinator, year_2020):
    request = draft(home_region, coordinator)
    ExpenseFactory.create(grant=year_2020, amount=Decimal("1.00"))  # spent after the draft
    with pytest.raises(DomainError) as error:
        carryover_submit(actor=coordinator, carry_over=request, expected_version=request.version)
    assert "amount" in error.value.message_dict
    request.refresh_from_db()
    assert request.status == CarryOverStatus.DRAFT


def test_only_a_draft_changes_and_only_a_submitted_request_is_decided(
    home_region, coordinator, year_2020
):
    request = draft(home_region, coordinator)
    with pytest.raises(DomainError):
        carryover_decide(
            actor=coordinator,
            carry_over=request,
            expected_version=request.version,
            approved=True,
            decision_date=timezone.localdate(),
            decision_reference="X",
        )
    request = carryover_submit(
        actor=coordinator, carry_over=request, expected_version=request.version
    )
    with pytest.raises(DomainError):
        carryover_update(
            actor=coordinator,
            carry_over=request,
            expected_version=request.version,
            amount=Decimal("1"),
            justification="x",
        )
    with pytest.raises(DomainError):
        carryover_submit(actor=coordinator, carry_over=request, expected_version=request.version)


def test_the_decision_needs_a_date_after_submission_a_reference_and_a_sane_amount(
    home_region, coordinator, year_2020
):
    request = draft(home_region, coordinator)
    request = carryover_submit(
        actor=coordinator, carry_over=request, expected_version=request.version, on=d(2020, 12, 14)
    )
    with pytest.raises(DomainError) as error:
        carryover_decide(
            actor=coordinator,
            carry_over=request,
            expected_version=request.version,
            approved=True,
            decision_date=d(2020, 12, 1),
            decision_reference=" ",
            approved_amount=Decimal("20000"),
        )
    assert set(error.value.message_dict) == {
        "decision_date",
        "decision_reference",
        "approved_amount",
    }


def test_concurrent_edits_of_a_draft(home_region, coordinator, year_2020):
    request = draft(home_region, coordinator)
    carryover_update(
        actor=coordinator,
        carry_over=request,
        expected_version=1,
        amount=Decimal("100"),
        justification="a",
    )
    with pytest.raises(StaleEditError):
        carryover_update(
            actor=coordinator,
            carry_over=request,
            expected_version=1,
            amount=Decimal("200"),
            justification="b",
        )
    assert CarryOver.objects.get().amount == Decimal("100.00")


def test_the_justification_lists_postponed_and_on_hold_actions_with_reasons(
    home_region, coordinator
):
    def new(title: str, pillar: str = "OD-1"):
        return action_create(
            actor=coordinator,
            region=home_region,
            on=d(2020, 1, 6),
            pillar=Pillar.objects.get(code=pillar),
            title=title,
            year=2020,
        )

    postponed = new("Infosessie sociale clausules")
    action_status_change(
        actor=coordinator,
        action=postponed,
        expected_version=postponed.version,
        status=ActionStatus.POSTPONED,
        reason="corona",
        on=d(2020, 3, 16),
        new_start=d(2021, 3, 1),
        new_end=d(2021, 6, 30),
    )
    on_hold = new("Werkgroep RASE", "OD-3")
    action_status_change(
        actor=coordinator,
        action=on_hold,
        expected_version=on_hold.version,
        status=ActionStatus.ON_HOLD,
        reason="corona: niet fysiek samenkomen",
        on=d(2020, 3, 20),
    )
    new("ROSE")  # planned only: not in the justification
    text = carryover_justification(region=home_region, year=2020)
    assert "Infosessie sociale clausules" in text
    assert "corona" in text
    assert short_date(d(2021, 3, 1)) in text  # the new period
    assert "Werkgroep RASE" in text
    assert "corona: niet fysiek samenkomen" in text
    assert "ROSE" not in text
    assert "Infosessie" not in carryover_justification(region=home_region, year=2019)


def test_the_justification_lists_only_the_postponements_of_its_own_year(home_region, coordinator):
    def new(title: str) -> Any:
        return action_create(
            actor=coordinator,
            region=home_region,
            on=d(2020, 1, 6),
            pillar=Pillar.objects.get(code="OD-1"),
            title=title,
            year=2020,
        )

    once = new("Infosessie sociale clausules")
    action_status_change(
        actor=coordinator,
        action=once,
        expected_version=once.version,
        status=ActionStatus.POSTPONED,
        reason="corona",
        on=d(2020, 3, 16),
        new_start=d(2021, 3, 1),
        new_end=d(2021, 6, 30),
    )
    twice = new("Kaart van de lokale sociale economie")
    twice = action_status_change(
        actor=coordinator,
        action=twice,
        expected_version=twice.version,
        status=ActionStatus.POSTPONED,
        reason="corona",
        on=d(2020, 4, 20),
        new_start=d(2021, 1, 15),
    )
    twice = action_status_change(
        actor=coordinator,
        action=twice,
        expected_version=twice.version,
        status=ActionStatus.RUNNING,
        on=d(2021, 1, 15),
    )
    action_status_change(
        actor=coordinator,
        action=twice,
        expected_version=twice.version,
        status=ActionStatus.ON_HOLD,
        reason="geen kaartmaker",
        on=d(2021, 2, 1),
    )

    of_2020 = carryover_justification(region=home_region, year=2020)
    of_2021 = carryover_justification(region=home_region, year=2021)

    assert "Infosessie sociale clausules" in of_2020
    assert short_date(d(2020, 4, 20)) in of_2020
    assert "geen kaartmaker" not in of_2020
    assert "Infosessie sociale clausules" not in of_2021  # postponed in 2020, not in 2021
    assert "2020" not in of_2021
    assert "Kaart van de lokale sociale economie" in of_2021
    assert "geen kaartmaker" in of_2021


def test_save_drafts_a_new_request_then_updates_the_draft(home_region, coordinator, year_2020):
    saved = carryover_save(
        actor=coordinator,
        region=home_region,
        year=2020,
        expected_version=0,
        amount=Decimal("1000.00"),
        justification="Corona.",
    )
    assert (saved.status, saved.amount) == (CarryOverStatus.DRAFT, Decimal("1000.00"))
    again = carryover_save(
        actor=coordinator,
        region=home_region,
        year=2020,
        expected_version=saved.version,
        amount=Decimal("2000.00"),
        justification="Corona, twice.",
    )
    assert again.pk == saved.pk
    assert CarryOver.objects.get().justification == "Corona, twice."


def test_save_from_no_request_refuses_when_someone_drafted_one(home_region, coordinator, year_2020):
    draft(home_region, coordinator, amount="500.00")
    with pytest.raises(DomainError) as refused:
        carryover_save(
            actor=coordinator,
            region=home_region,
            year=2020,
            expected_version=0,
            amount=Decimal("1000.00"),
            justification="Mine.",
        )
    assert "year" in refused.value.message_dict
    assert CarryOver.objects.get().amount == Decimal("500.00")


def test_save_of_a_submitted_request_is_refused(home_region, coordinator, year_2020):
    request = draft(home_region, coordinator)
    request = carryover_submit(
        actor=coordinator, carry_over=request, expected_version=request.version, on=d(2020, 12, 14)
    )
    with pytest.raises(DomainError):
        carryover_save(
            actor=coordinator,
            region=home_region,
            year=2020,
            expected_version=request.version,
            amount=Decimal("1.00"),
            justification="Late.",
        )
    assert CarryOver.objects.get().amount == Decimal("18300.15")
