"""Every page one click from the home page, for every demo login, on a 390-pixel-wide phone:
no sideways scrolling, and no serious or critical accessibility violation (axe-core, WCAG 2.1 AA).
"""

import io
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Browser, ViewportSize

from regie.tests.browser.conftest import BLOCKING_IMPACTS, demo_login, describe_violations

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
ROLES = ("coordinator", "partner", "counsellor", "viewer", "admin", "driver")
SKIPPED = ("/accounts/logout/", "/i18n/", "/static/", "/media/", "/api/", "/admin/")
DOWNLOADS = (".pdf", ".docx", ".xlsx", ".csv", ".ics", ".json")


def _first_level(page: Any) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIPPED) or parts.path.endswith(DOWNLOADS):
            continue
        paths.append(parts.path)
    return list(dict.fromkeys(paths))


def test_first_level_pages_fit_a_phone_and_pass_axe(
    browser: Browser, live_server: Any, axe_engine: Axe
) -> None:
    call_command("load_demo", force=True, stdout=io.StringIO())
    problems: list[str] = []
    visited = 0
    for role in ROLES:
        context = browser.new_context(
            base_url=live_server.url, locale="nl-BE", viewport=PHONE, is_mobile=True
        )
        page = context.new_page()
        demo_login(page, role)
        for path in ["/", *_first_level(page)]:
            response = page.goto(path)
            visited += 1
            if response is None or response.status >= 400:
                status = response.status if response else "no answer"
                problems.append(f"{role} {path}: {status}")
                continue
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                problems.append(f"{role} {path}: {width} px wide on a {PHONE['width']} px phone")
            violations = [
                violation
                for violation in axe_engine.run(page).response["violations"]
                if violation["impact"] in BLOCKING_IMPACTS
            ]
            if violations:
                problems.append(f"{role} {describe_violations(path, violations)}")
        context.close()
    assert visited > 30, "the crawl's first level is missing"
    assert not problems, "\n".join(problems)


def test_the_width_check_sees_a_page_that_scrolls_sideways(browser: Browser) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_content('<div style="width: 700px">wide</div>')
    assert page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]
    context.close()
