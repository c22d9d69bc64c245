"""The main journey of the roles that no capability's browser test walks yet, on the demo as
loaded, as the user guides tell it: the van driver (docs/logistics.md, "Mijn rondes") and the
technical administrator (README, "Beheer")."""

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from regie.clients.models import ClientFollowUp
from regie.logistics.models import RoundStop
from regie.tests.browser.conftest import AxeCheck, demo_login, nl

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(live_server: Any) -> None:
    call_command("load_demo", force=True, stdout=io.StringIO())


def test_the_driver_checks_in_at_the_door_and_a_worry_reaches_a_person(
    page: Page, demo: None, axe: AxeCheck
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    demo_login(page, "driver")
    page.get_by_role("button", name=nl("Toggle navigation")).click()
    page.get_by_role("button", name=nl("Home work"), exact=True).click()
    page.get_by_role("link", name=nl("My rounds")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("My rounds"))
    axe(page)

    check_in = page.get_by_role("link", name=nl("Check in")).first
    stop_pk = int((check_in.get_attribute("href") or "").split("/")[-3])
    check_in.click()
    page.get_by_label(nl("Not home")).check()
    page.get_by_label(nl("Doorstep note")).fill("Niemand thuis, brievenbus puilt uit.")
    page.get_by_label(nl("I am worried about this person")).check()
    axe(page)
    page.get_by_role("button", name=nl("Save check-in")).click()

    expect(page.get_by_role("alert")).to_contain_text(nl("The check-in was recorded."))
    stop = RoundStop.objects.get(pk=stop_pk)
    assert stop.checked_in_at is not None
    follow_up = ClientFollowUp.objects.get(contact=stop.contact)
    assert follow_up.assignee is not None  # a worry always reaches a person


def test_the_administrator_finds_a_user_through_the_menu(
    page: Page, demo: None, axe: AxeCheck
) -> None:
    demo_login(page, "admin")
    page.get_by_role("link", name=nl("Administration")).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.get_by_role("link", name="Gebruikers", exact=True).first.click()
    page.locator("#searchbar").fill("counsellor")
    page.locator("#searchbar").press("Enter")
    expect(page.get_by_role("link", name="counsellor", exact=True)).to_be_visible()
