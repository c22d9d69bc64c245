"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Fixtures: ``browser`` (one chromium per session), ``page`` (a fresh Dutch-speaking tab per test
that may only reach the live server), ``login(page, user)``, ``axe(page)`` (fails on serious or
critical accessibility violations) and ``screenshot(page, name)`` (writes docs/img/<name>.png).
Run them with ``make test-browser``.
"""

import importlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, Page, Playwright, Request, Route, sync_playwright

from regie.accounts.models import User
from regie.accounts.tests.factories import PASSWORD
from regie.registry.demo import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BLOCKING_IMPACTS = {"serious", "critical"}
# The user guide's pictures are refreshed by `make screenshots`; ordinary runs keep theirs in var/.
SCREENSHOT_DIR = Path(settings.BASE_DIR) / (
    "docs/img" if os.environ.get("REGIE_SCREENSHOTS") else "var/screenshots"
)
TIMEOUT_MS = 10_000
REFERENCE_DATA_MIGRATIONS = [
    "regie.registry.migrations.0002_load_measures",
    "regie.registry.migrations.0004_load_policy_frameworks",
]

Login = Callable[[Page, User], None]
AxeCheck = Callable[[Page], None]
Screenshot = Callable[[Page, str], Path]


def nl(text: str) -> str:
    """The Dutch text the page shows for an English msgid (the msgid while it is untranslated)."""
    with translation.override("nl"):
        return translation.gettext(text)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    # Playwright's sync API keeps an event loop running in this thread; Django's ORM would
    # refuse to run beside it, though every call here is in fact synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    yield manager
    manager.stop()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does this)")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _reference_data(live_server: Any) -> None:
    """The live server's database is flushed between tests, data migrations included: reload
    the reference data they put there (it is idempotent)."""
    from django.apps import apps

    for name in REFERENCE_DATA_MIGRATIONS:
        importlib.import_module(name).load(apps, None)


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A tab of a fresh browser profile in Dutch (Belgium) that may only talk to the live server.

    Any request elsewhere (a CDN, a font service) is refused and fails the test, and so does a
    JavaScript error or a missing static file.
    """
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-BE",
        timezone_id="Europe/Brussels",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(TIMEOUT_MS)
    outside_requests: list[str] = []
    problems: list[str] = []

    def only_live_server(route: Route, request: Request) -> None:
        if request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside_requests.append(request.url)
            route.abort()

    context.route("**/*", only_live_server)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}")
            if response.status >= 400 and "/static/" in response.url
            else None
        ),
    )
    yield page
    context.close()
    assert not outside_requests, f"the page tried to reach the network: {outside_requests}"
    assert not problems, "\n".join(problems)


def demo_login(page: Page, username: str) -> None:
    """Log in as one of the demo logins of ``load_demo`` (they share one published password)."""
    page.goto(reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: not url.split("?")[0].endswith(reverse("login")))


@pytest.fixture
def login() -> Login:
    def log_in(page: Page, user: User) -> None:
        """Log in through the login form, as a person would, and wait for the overview."""
        page.goto(reverse("login"))
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(lambda url: not url.split("?")[0].endswith(reverse("login")))

    return log_in


def describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} serious or critical accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"  * {', '.join(map(str, node['target']))}")
            lines.append(f"    {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = " ".join(node["failureSummary"].split())
                lines.append(f"    {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"  … and {len(violation['nodes']) - 5} more element(s)")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe_engine() -> Axe:
    # Axe() reads the axe-core script bundled with axe-playwright-python: nothing is fetched.
    return Axe()


@pytest.fixture
def axe(axe_engine: Axe) -> AxeCheck:
    def check(page: Page) -> None:
        """Run axe-core on the page as it is now; fail on serious or critical violations."""
        results = axe_engine.run(page)
        blocking = [
            violation
            for violation in results.response["violations"]
            if violation["impact"] in BLOCKING_IMPACTS
        ]
        if blocking:
            pytest.fail(describe_violations(page.url, blocking), pytrace=False)

    return check


@pytest.fixture
def screenshot() -> Screenshot:
    def save(page: Page, name: str) -> Path:
        """Save the full page as <name>.png (in docs/img/ with REGIE_SCREENSHOTS=1)."""
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=path, full_page=True, animations="disabled")
        return path

    return save
