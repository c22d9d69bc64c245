"""The settings module: typed environment helpers that fail loudly, and the database defaults."""

import runpy
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import ConnectionHandler

from regie import settings as regie_settings
from regie.settings import env_bool, env_int, env_list

SETTINGS_FILE = Path(regie_settings.__file__)
VARIABLES = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "SQLITE_BUSY_TIMEOUT",
    "SECURE_SSL_REDIRECT",
]


def load_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """Execute settings.py afresh with exactly these variables set (of those it reads)."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), (" Yes ", True), ("ON", True), ("0", False), ("false", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("REGIE_TEST_FLAG", raw)

    assert env_bool("REGIE_TEST_FLAG", not expected) is expected


@pytest.mark.parametrize("raw", [None, ""])
def test_env_bool_falls_back_to_the_default_when_unset_or_empty(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("REGIE_TEST_FLAG", raising=False)
    else:
        monkeypatch.setenv("REGIE_TEST_FLAG", raw)

    assert env_bool("REGIE_TEST_FLAG", True) is True
    assert env_bool("REGIE_TEST_FLAG", False) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "nee", "tru"])
def test_env_bool_refuses_anything_else_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("REGIE_TEST_FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match="REGIE_TEST_FLAG"):
        env_bool("REGIE_TEST_FLAG", False)


def test_env_int_reads_an_integer_or_the_default(monkeypatch):
    monkeypatch.setenv("REGIE_TEST_NUMBER", " 42 ")
    assert env_int("REGIE_TEST_NUMBER", 7) == 42

    monkeypatch.delenv("REGIE_TEST_NUMBER")
    assert env_int("REGIE_TEST_NUMBER", 7) == 7


@pytest.mark.parametrize("raw", ["twenty", "2.5", "20s"])
def test_env_int_refuses_a_non_integer_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("REGIE_TEST_NUMBER", raw)

    with pytest.raises(ImproperlyConfigured, match="REGIE_TEST_NUMBER"):
        env_int("REGIE_TEST_NUMBER", 7)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("REGIE_TEST_LIST", "regie.example.org, ,www.regie.example.org,")

    assert env_list("REGIE_TEST_LIST", []) == ["regie.example.org", "www.regie.example.org"]


def test_a_bad_value_stops_the_settings_from_loading(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SQLITE_BUSY_TIMEOUT"):
        load_settings(monkeypatch, SQLITE_BUSY_TIMEOUT="lang")


def test_production_needs_a_secret_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings(monkeypatch, DEBUG="false")


def test_production_defaults_are_secure(monkeypatch):
    loaded = load_settings(monkeypatch, DEBUG="false", SECRET_KEY="x" * 50)

    assert loaded["ALLOWED_HOSTS"] == []
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SECURE_HSTS_SECONDS"] >= 31536000
    assert loaded["MAILERS"]["default"]["BACKEND"] == loaded["SMTP_BACKEND"]


def test_development_defaults_need_no_configuration(monkeypatch):
    loaded = load_settings(monkeypatch)

    assert loaded["DEBUG"] is True
    assert loaded["SECRET_KEY"]
    assert loaded["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["MAILERS"]["default"]["BACKEND"] == loaded["CONSOLE_BACKEND"]
    assert loaded["TIME_ZONE"] == "Europe/Brussels"
    assert loaded["LANGUAGE_CODE"] == "nl-be"


def test_database_url_selects_postgresql(monkeypatch):
    loaded = load_settings(monkeypatch, DATABASE_URL="postgres://regie:geheim@db:5432/regie")

    database = loaded["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["USER"]) == ("db", "regie", "regie")


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(monkeypatch, tmp_path, django_db_blocker):
    # The test database may live in memory, where WAL does not apply: open a file database.
    loaded = load_settings(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path / 'regie.sqlite3'}")
    connections = ConnectionHandler({"default": loaded["DATABASES"]["default"]})
    connection = connections["default"]

    with django_db_blocker.unblock():
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                journal_mode = cursor.fetchone()[0]
                cursor.execute("PRAGMA busy_timeout")
                busy_timeout_ms = cursor.fetchone()[0]
        finally:
            connection.close()

    assert journal_mode == "wal"
    assert busy_timeout_ms == 20_000
