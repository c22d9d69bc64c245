"""Round plans run as a task: immediately by default (and in tests), queued in the database for
``manage.py db_worker`` when REGIE_TASKS_BACKEND=database."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from regie import settings as regie_settings
from regie.logistics.tasks import round_plan_task

SETTINGS_FILE = Path(regie_settings.__file__)


def _settings(monkeypatch: pytest.MonkeyPatch, backend: str | None) -> dict:
    if backend is None:
        monkeypatch.delenv("REGIE_TASKS_BACKEND", raising=False)
    else:
        monkeypatch.setenv("REGIE_TASKS_BACKEND", backend)
    return runpy.run_path(str(SETTINGS_FILE))


def test_tasks_run_immediately_by_default(monkeypatch):
    loaded = _settings(monkeypatch, None)
    assert loaded["TASKS"]["default"]["BACKEND"].endswith("ImmediateBackend")
    assert "django_tasks_db" not in loaded["INSTALLED_APPS"]


def test_the_database_backend_installs_its_app(monkeypatch):
    loaded = _settings(monkeypatch, "database")
    assert loaded["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "django_tasks_db" in loaded["INSTALLED_APPS"]


def test_an_unknown_backend_fails_loudly(monkeypatch):
    with pytest.raises(ImproperlyConfigured):
        _settings(monkeypatch, "redis")


def test_the_plan_task_is_a_django_task():
    assert round_plan_task.name == "round_plan_task"
    assert round_plan_task.module_path == "regie.logistics.tasks.round_plan_task"
