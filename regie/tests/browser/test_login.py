"""Logging in and out in a real browser, by mouse and by keyboard alone."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from regie.accounts.forms import LoginForm
from regie.accounts.models import User
from regie.accounts.tests.factories import PASSWORD
from regie.tests.browser.conftest import AxeCheck, Login, Screenshot, nl

pytestmark = pytest.mark.browser


def field_label(name: str) -> str:
    with translation.override("nl"):
        return str(LoginForm().fields[name].label)


def focused_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def press_tab_until(page: Page, element_id: str, limit: int = 10) -> None:
    for _ in range(limit):
        if focused_id(page) == element_id:
            return
        page.keyboard.press("Tab")
    assert focused_id(page) == element_id, f"#{element_id} not reached with {limit} x Tab"


def test_coordinator_logs_in_sees_the_overview_and_logs_out(
    page: Page, live_server, coordinator: User, axe: AxeCheck, screenshot: Screenshot
):
    page.goto(reverse("login"))
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Log in to Regie"))
    axe(page)
    screenshot(page, "login")

    page.get_by_label(field_label("username")).fill("coordinator")
    page.get_by_label(field_label("password")).fill(PASSWORD)
    page.get_by_role("button", name=nl("Log in"), exact=True).click()

    page.wait_for_url(live_server.url + reverse("home"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(nl("Overview"))
    axe(page)

    page.get_by_role("button", name="coordinator").click()
    page.get_by_role("button", name=nl("Log out")).click()

    page.wait_for_url(live_server.url + reverse("login"))
    expect(page.get_by_label(field_label("username"))).to_be_visible()
    page.goto(reverse("home"))
    expect(page.get_by_role("button", name="coordinator")).to_have_count(0)


def test_wrong_password_is_reported_beside_the_form(page: Page, coordinator: User, axe: AxeCheck):
    page.goto(reverse("login"))
    page.get_by_label(field_label("username")).fill("coordinator")
    page.get_by_label(field_label("password")).fill("niet-het-wachtwoord")
    page.get_by_role("button", name=nl("Log in"), exact=True).click()

    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label(field_label("password"))).to_have_value("")
    axe(page)


def test_login_form_works_with_the_keyboard_alone(page: Page, live_server, coordinator: User):
    page.goto(reverse("login"))

    press_tab_until(page, "id_username")
    page.keyboard.type("coordinator")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    page.wait_for_url(live_server.url + reverse("home"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(nl("Overview"))


def test_skip_link_is_the_first_stop_and_jumps_to_the_content(
    page: Page, coordinator: User, login: Login
):
    login(page, coordinator)
    page.goto(reverse("home"))
    skip_link = page.get_by_role("link", name=nl("Skip to content"))

    page.keyboard.press("Tab")

    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box is not None
    assert box["width"] > 20, "the skip link must become visible when it has focus"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    assert focused_id(page) == "main"
