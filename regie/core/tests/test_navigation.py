"""The page frame: the menu links Django's admin for administrators only, and every page shows
the Regie icon (also where browsers look for it by themselves, /favicon.ico)."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_menu_links_the_admin_for_administrators(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("admin:index")}"' in page


@pytest.mark.parametrize("role", ["coordinator", "partner", "counsellor", "viewer"])
def test_the_menu_has_no_admin_link_for_others(client, cast, role):
    client.force_login(cast[role])
    page = client.get(reverse("home")).content.decode()
    assert "<title>" in page
    assert f'href="{reverse("admin:index")}"' not in page


def test_every_page_links_the_icon(client):
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
    found = finders.find("favicon.svg")
    assert found is not None
    with open(found, encoding="utf-8") as icon:
        assert icon.read().startswith("<svg")
