"""The plan and the budget in a real browser: the coordinator postpones an action for corona,
records an expense, asks to carry the unspent funds over and records DWSE's approval; the next
year's budget then shows the carried-over income."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from regie.accounts.models import User
from regie.core.templatetags.regie import euro
from regie.plans.models import ActionStatus, CarryOver, CarryOverStatus, Expense
from regie.plans.services import action_create, action_status_change, expense_create, grant_set
from regie.registry.models import Municipality, Pillar, Population
from regie.tests.browser.conftest import AxeCheck, Login, Screenshot, nl

pytestmark = pytest.mark.browser

d = datetime.date


@pytest.fixture
def plan_2020(coordinator: User, home_region, home_municipality, partner_organisation):
    """Kortrijk on its own (77,109 inhabitants: €25,000), three actions and a first expense."""
    Municipality.objects.filter(pk=home_municipality.pk).update(is_centre_city=True)
    Population.objects.create(municipality=home_municipality, year=2020, inhabitants=77_109)
    grant = grant_set(
        actor=coordinator,
        region=home_region,
        year=2020,
        decision_reference="RLSE/2020/W13",
        decision_date=d(2019, 12, 20),
    )

    def new(title: str, pillar: str, **fields):
        return action_create(
            actor=coordinator,
            region=home_region,
            on=d(2020, 1, 6),
            pillar=Pillar.objects.get(code=pillar),
            title=title,
            year=2020,
            **fields,
        )

    rose = new("ROSE – Regionaal Overleg Sociale Economie", "OD-2")
    action_status_change(
        actor=coordinator,
        action=rose,
        expected_version=rose.version,
        status=ActionStatus.DONE,
        on=d(2020, 2, 20),
    )
    new(
        "Infosessie sociale clausules",
        "OD-1",
        start=d(2020, 4, 1),
        end=d(2020, 5, 31),
        planned_budget=Decimal("2500.00"),
    )
    new("MVO-ontbijt met werkgevers", "OD-3", partner_organisations=[partner_organisation])
    expense_create(
        actor=coordinator,
        grant=grant,
        date=d(2020, 2, 20),
        amount=Decimal("1642.50"),
        supplier="Ontmoetingscentrum De Schakel",
        description="Zaalhuur en catering ROSE",
    )
    return grant


def test_postpone_spend_carry_over_and_see_the_income_next_year(
    page: Page,
    coordinator: User,
    plan_2020,
    login: Login,
    axe: AxeCheck,
    screenshot: Screenshot,
):
    login(page, coordinator)
    page.get_by_role("button", name=nl("Action plan")).click()
    page.get_by_role("link", name=nl("Actions"), exact=True).click()
    page.goto(reverse("plans:board", args=["w13", 2020]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("2020")
    expect(page.get_by_test_id("action-card")).to_have_count(3)
    axe(page)
    screenshot(page, "plans-board")

    # Postpone the info session: without a reason it is refused beside the field.
    page.get_by_role("link", name="Infosessie sociale clausules").click()
    page.get_by_role("link", name=nl("Change the status")).click()
    page.get_by_label(nl("New status")).select_option("postponed")
    page.get_by_label(nl("Date of the change")).fill("2020-03-16")
    page.get_by_role("button", name=nl("Save")).click()
    expect(page.locator("#id_reason_error")).to_be_visible()
    expect(page.locator("#id_new_start_error")).to_be_visible()
    expect(page.get_by_label(nl("Reason"))).to_have_attribute("aria-invalid", "true")
    axe(page)
    page.get_by_label(nl("Reason")).fill("corona")
    page.get_by_label(nl("New start")).fill("2021-03-01")
    page.get_by_label(nl("New end")).fill("2021-06-30")
    page.get_by_role("button", name=nl("Save")).click()
    history = page.get_by_test_id("status-history")
    expect(history).to_contain_text("corona")
    expect(history).to_contain_text(nl("Postponed"))
    axe(page)
    screenshot(page, "plans-action")

    # Record an expense on the 2020 budget, amount typed the Belgian way.
    page.goto(reverse("plans:budget", args=["w13", 2020]))
    axe(page)
    page.get_by_role("link", name=nl("New expense")).click()
    page.get_by_label(nl("date")).fill("2020-05-12")
    page.get_by_label(nl("amount")).fill("1.234,56")
    page.get_by_label(nl("supplier")).fill("Computerhuis Bitwijs")
    page.get_by_label(nl("description")).fill("Tablets voor digitale opvoeding")
    axe(page)
    page.get_by_role("button", name=nl("Save")).click()
    expect(page.get_by_test_id("expenses")).to_contain_text("Computerhuis Bitwijs")
    expect(page.get_by_test_id("spent")).to_have_text(euro(Decimal("2877.06")))
    unspent = Decimal("25000.00") - Decimal("2877.06")
    expect(page.get_by_test_id("unspent")).to_have_text(euro(unspent))
    assert Expense.objects.get(supplier="Computerhuis Bitwijs").amount == Decimal("1234.56")
    screenshot(page, "plans-budget")

    # Draft the carry-over request: amount and justification are pre-filled.
    page.get_by_role("link", name=nl("Draft a carry-over request")).click()
    justification = page.get_by_label(nl("Justification"))
    expect(justification).to_contain_text("Infosessie sociale clausules")
    expect(justification).to_contain_text("corona")
    amount = page.get_by_label(nl("Amount to carry over"))
    amount.fill("30.000,00")  # more than the unspent amount: refused beside the field
    page.get_by_role("button", name=nl("Save the draft")).click()
    expect(page.locator("#id_amount_error")).to_contain_text(euro(unspent))
    axe(page)
    amount.fill("20.000,00")
    page.get_by_role("button", name=nl("Save the draft")).click()
    expect(page.get_by_test_id("carry-over-status")).to_have_text(nl("Draft"))
    page.get_by_role("button", name=nl("Mark as submitted to %(funder)s").split("%")[0]).click()
    expect(page.get_by_test_id("carry-over-status")).to_have_text(nl("Submitted"))
    axe(page)
    screenshot(page, "plans-carryover")

    # Record DWSE's approval.
    page.get_by_role("link", name=nl("Record the decision")).click()
    page.get_by_role("combobox", name=nl("Decision")).select_option("approved")
    page.get_by_label(nl("Decision date")).fill(timezone.localdate().isoformat())
    page.get_by_label(nl("Decision reference")).fill("DWSE/SE/2021/0187")
    axe(page)
    page.get_by_role("button", name=nl("Save")).click()
    expect(page.get_by_test_id("carry-over-status")).to_have_text(nl("Approved"))
    request = CarryOver.objects.get()
    assert (request.status, request.approved_amount) == (
        CarryOverStatus.APPROVED,
        Decimal("20000.00"),
    )

    # The next year's budget shows the carried-over income.
    page.get_by_role("link", name=nl("income of %(next)s").replace("%(next)s", "2021")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2021")
    expect(page.get_by_test_id("carried-in")).to_have_text(euro(Decimal("20000.00")))
    expect(page.get_by_test_id("income")).to_have_text(euro(Decimal("20000.00")))
    axe(page)
    screenshot(page, "plans-budget-next-year")
