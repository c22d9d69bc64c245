"""Rounds in a real browser: the coordinator plans a day, moves a stop to the other van,
re-plans the rest, opens a van's round sheet and records a doorstep check-in that appears in
the client file."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from regie.accounts.models import User
from regie.logistics.models import RoundPlan, RoundStop
from regie.logistics.tests.factories import (
    OrderFactory,
    VanFactory,
    WindowFactory,
    with_coordinates,
)
from regie.tests.browser.conftest import AxeCheck, Login, Screenshot, nl

pytestmark = pytest.mark.browser

DAY = datetime.date(2020, 4, 21)
NAMES = ("Fatima", "Jonas", "Sofie", "Mehmet", "Lotte", "Yusuf")


@pytest.fixture
def day_of_orders(partner_organisation):
    with_coordinates(partner_organisation.sites.get())
    VanFactory.create(organisation=partner_organisation, name="Wagen A")
    VanFactory.create(organisation=partner_organisation, name="Wagen B")
    orders = []
    for index, name in enumerate(NAMES):
        order = OrderFactory.create(
            assignment__organisation=partner_organisation,
            assignment__client__first_name=name,
            assignment__client__street=f"Leiestraat {index + 1}",
            requested_from=DAY,
        )
        morning = index % 2 == 0
        WindowFactory.create(
            order=order,
            weekday=DAY.weekday(),
            start=datetime.time(9 if morning else 13),
            end=datetime.time(12 if morning else 16),
        )
        orders.append(order)
    return orders


def test_plan_a_day_move_replan_sheet_and_check_in(
    page: Page,
    coordinator: User,
    day_of_orders,
    login: Login,
    axe: AxeCheck,
    screenshot: Screenshot,
):
    login(page, coordinator)
    page.goto(reverse("logistics:plan_list"))
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Rounds"))
    axe(page)
    page.locator("#id_date").fill(DAY.isoformat())
    page.get_by_role("button", name=nl("Plan a day")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Plan a day"))
    for order in day_of_orders:
        expect(page.get_by_label(str(order))).to_be_checked()
    page.locator("#id_time_limit").fill("1")
    axe(page)
    page.get_by_role("button", name=nl("Plan the rounds")).click()

    expect(page.get_by_role("heading", name="Wagen A")).to_be_visible()
    plan = RoundPlan.objects.get()
    assert plan.status == "done"
    expect(page.locator("#round-map path.leaflet-interactive").first).to_be_attached()
    axe(page)
    screenshot(page, "logistics-map")

    # Move the first stop of the busiest van to the start of the other van.
    busiest = max(plan.vans.all(), key=lambda van: plan.stops.filter(van=van).count())
    other = plan.vans.exclude(pk=busiest.pk).get()
    stop = plan.stops.get(van=busiest, position=1)
    page.locator(f"#move-van-{stop.pk}").select_option(str(other.pk))
    page.locator(f"#move-position-{stop.pk}").fill("1")
    page.locator(f"#move-position-{stop.pk}").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(nl("The stop was moved and locked."))
    stop.refresh_from_db()
    assert (stop.van, stop.position, stop.locked) == (other, 1, True)

    page.get_by_role("button", name=nl("Re-plan the unlocked stops")).click()
    expect(page.get_by_role("alert")).to_contain_text(nl("The unlocked stops were planned again."))
    stop.refresh_from_db()
    assert (stop.van, stop.position, stop.locked) == (other, 1, True)
    axe(page)

    sheet_link = page.get_by_role("link", name=f"{nl('Round sheet (PDF)')} {other.name}")
    sheet = page.request.get(sheet_link.get_attribute("href") or "")
    assert sheet.status == 200
    assert sheet.headers["content-type"] == "application/pdf"

    page.goto(reverse("logistics:check_in", args=[stop.pk]))
    client = stop.order.assignment.client
    expect(page.get_by_role("heading", level=1)).to_contain_text(client.first_name)
    page.set_viewport_size({"width": 390, "height": 844})
    axe(page)
    page.get_by_label(nl("Delivered")).check()
    page.get_by_label(nl("Doorstep note")).fill("Mist de werkvloer; vraagt naar de collega's.")
    page.get_by_label(nl("I am worried about this person")).check()
    page.get_by_role("button", name=nl("Save check-in")).click()
    expect(page.get_by_role("alert")).to_contain_text(nl("The check-in was recorded."))
    assert RoundStop.objects.get(pk=stop.pk).checked_in_at is not None

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(reverse("clients:client_detail", args=[client.pk]))
    expect(page.get_by_text("Mist de werkvloer; vraagt naar de collega's.")).to_be_visible()
    axe(page)
