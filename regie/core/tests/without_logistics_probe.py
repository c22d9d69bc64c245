"""Run by ``test_plugins`` inside a copy of the project without the ``logistics`` app (its folder
and its ``INSTALLED_APPS`` line gone): the site checks, migrates and serves its pages.

Not collected in the project itself (the name does not start with ``test_``).
"""

import importlib.util
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

import regie

pytestmark = pytest.mark.django_db


def test_the_copy_has_no_logistics():
    assert Path(regie.__file__).resolve().parent.parent == Path.cwd().resolve()
    assert importlib.util.find_spec("regie.logistics") is None
    assert not apps.is_installed("regie.logistics")
    call_command("check", fail_level="WARNING")
    with pytest.raises(NoReverseMatch):
        reverse("logistics:plan_list")


def test_the_login_page_opens(client):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode()


@pytest.mark.parametrize("role", ["coordinator", "partner", "counsellor", "viewer", "admin"])
def test_the_home_page_opens_with_the_menu_of_the_apps_left(client, cast, role):
    client.force_login(cast[role])
    response = client.get("/")
    assert response.status_code == 200
    keys = [link.key for _label, links in response.context["nav_groups"] for link in links]
    assert "home" in keys
    assert "plans" in keys
    assert not {"rounds", "orders", "vans", "home_work", "my_rounds"} & set(keys)
    assert "Thuiswerk" not in response.content.decode()


def test_the_pages_of_the_other_apps_open(client, coordinator):
    client.force_login(coordinator)
    for name in (
        "registry:organisation_list",
        "network:body_list",
        "knowledge:home",
        "events:calendar",
        "plans:home",
        "clients:client_list",
    ):
        response = client.get(reverse(name), follow=True)
        assert response.status_code == 200, name
        assert "<title>" in response.content.decode(), name


def test_the_api_has_no_rounds(client, coordinator):
    client.force_login(coordinator)
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/bodies" in schema["paths"]
    assert not [path for path in schema["paths"] if path.startswith("/api/v1/rounds")]
