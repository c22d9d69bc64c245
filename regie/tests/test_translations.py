"""Dutch first: the catalogue is complete, compiled, current, and Dutch is what users get."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from regie.tests.needs import needs

LOCALE = Path(settings.BASE_DIR) / "regie" / "locale"
CATALOGUE = LOCALE / "nl" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
needs_gettext = needs(shutil.which("msgfmt") is not None, reason="GNU gettext is not installed")


def _msgids(po: Path) -> set[str]:
    """The msgids of a .po file, as msgfmt sees them (via msgcat's one-line output)."""
    text = subprocess.run(
        ["msgcat", "--no-wrap", "--no-location", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        line.removeprefix("msgid ")
        for line in text.splitlines()
        if line.startswith("msgid ") and line != 'msgid ""'
    }


@needs_gettext
def test_dutch_catalogue_is_complete():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


@needs_gettext
def test_compiled_catalogue_matches_the_source(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(CATALOGUE)], check=True)
    assert COMPILED.read_bytes() == fresh.read_bytes(), "run `make compilemessages` and commit"


@needs_gettext
def test_catalogue_has_every_string_of_the_code(tmp_path):
    copy = tmp_path / "regie"
    shutil.copytree(
        Path(settings.BASE_DIR) / "regie",
        copy,
        ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"),
    )
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nl", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": os.environ["PATH"]},  # no DJANGO_SETTINGS_MODULE: write into the copy
    )
    missing = _msgids(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po") - _msgids(CATALOGUE)
    assert not missing, f"run `make messages` and translate: {sorted(missing)[:10]}"


@pytest.mark.django_db
def test_dutch_whatever_the_browser_asks(client):
    response = client.get(reverse("login"), headers={"accept-language": "en-GB,en"})
    assert '<html lang="nl">' in response.text


@pytest.mark.django_db
def test_english_when_chosen(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get(reverse("login")).text
