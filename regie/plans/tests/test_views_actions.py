"""Action pages: create, edit with concurrent edits, status changes with their messages."""

import datetime

import pytest
from django.urls import reverse

from regie.plans.models import Action, ActionStatus, StatusChange
from regie.registry.models import Pillar

pytestmark = pytest.mark.django_db


def test_create_an_action(client, coordinator, home_region, partner_organisation):
    client.force_login(coordinator)
    url = reverse("plans:action_create", args=["w13", 2020])
    assert client.get(url).context["form"]["year"].value() == 2020
    response = client.post(
        url,
        {
            "title": "MVO-ontbijt",
            "pillar": Pillar.objects.get(code="OD-3").pk,
            "year": 2020,
            "partner_organisations": [partner_organisation.pk],
            "planned_budget": "1.500,00",
            "version": 1,
        },
    )
    action = Action.objects.get(title="MVO-ontbijt")
    assert response.status_code == 302
    assert response.url == reverse("plans:action_detail", args=[action.pk])
    assert action.last_year == 2020
    assert str(action.planned_budget) == "1500.00"
    assert list(action.partner_organisations.all()) == [partner_organisation]
    assert action.status_changes.get().to_status == ActionStatus.PLANNED


def test_a_wrong_pillar_is_refused_beside_the_field(client, coordinator, home_region):
    client.force_login(coordinator)
    response = client.post(
        reverse("plans:action_create", args=["w13", 2020]),
        {
            "title": "Te vroeg",
            "pillar": Pillar.objects.get(code="WSE-LR1").pk,
            "year": 2020,
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["pillar"]
    assert 'id="id_pillar_error"' in response.text
    assert not Action.objects.exists()


def test_a_status_change_without_reason_is_refused_beside_the_field(client, coordinator, plan):
    action = plan["rose"]
    client.force_login(coordinator)
    url = reverse("plans:action_status", args=[action.pk])
    response = client.post(
        url,
        {"status": "dropped", "date": "2020-12-01", "reason": "", "version": action.version},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert 'id="id_reason_error"' in response.text
    assert StatusChange.objects.filter(action=action).count() == 2


def test_postponing_through_the_form(client, coordinator, plan):
    action = plan["rose"]
    client.force_login(coordinator)
    url = reverse("plans:action_status", args=[action.pk])
    response = client.post(
        url,
        {
            "status": "postponed",
            "date": "2020-12-01",
            "reason": "corona",
            "version": action.version,
        },
    )
    assert response.context["form"].errors["new_start"]
    response = client.post(
        url,
        {
            "status": "postponed",
            "date": "2020-12-01",
            "reason": "corona",
            "new_start": "2021-02-01",
            "version": action.version,
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.start, action.last_year) == (
        "postponed",
        datetime.date(2021, 2, 1),
        2021,
    )
    detail = client.get(reverse("plans:action_detail", args=[action.pk]))
    assert "corona" in detail.text


def test_a_stale_status_change_keeps_the_input_and_saves_nothing(client, coordinator, plan):
    action = plan["clauses"]
    client.force_login(coordinator)
    url = reverse("plans:action_status", args=[action.pk])
    stale = action.version
    client.post(url, {"status": "running", "date": "2020-12-01", "version": stale})
    response = client.post(
        url, {"status": "dropped", "date": "2020-12-02", "reason": "geen tijd", "version": stale}
    )
    assert response.status_code == 200
    assert response.context["stale"] is not None
    assert response.context["form"].data["version"] == stale + 1
    assert Action.objects.get(pk=action.pk).status == ActionStatus.RUNNING


def test_a_stale_edit_shows_what_changed(client, coordinator, plan):
    action = plan["rose"]
    client.force_login(coordinator)
    url = reverse("plans:action_edit", args=[action.pk])
    data = {
        "title": "ROSE 2020",
        "pillar": action.pillar.pk,
        "year": 2020,
        "last_year": 2020,
        "version": action.version,
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "title": "ROSE februari"})
    assert response.status_code == 200
    labels = [row.label for row in response.context["stale"]]
    assert str(Action._meta.get_field("title").verbose_name) in [label.lower() for label in labels]
    assert Action.objects.get(pk=action.pk).title == "ROSE 2020"


def test_indicators(client, coordinator, plan):
    action = plan["rose"]
    client.force_login(coordinator)
    response = client.post(
        reverse("plans:indicator_create", args=[action.pk]),
        {"name": "Deelnemers", "unit": "personen", "target": "80", "actual": "-3", "version": 1},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["actual"]
    client.post(
        reverse("plans:indicator_create", args=[action.pk]),
        {"name": "Deelnemers", "unit": "personen", "target": "80", "actual": "74", "version": 1},
    )
    assert action.indicators.get().actual == 74


def test_partners_cannot_change_anything(client, partner, plan):
    client.force_login(partner)
    action = plan["rose"]
    assert client.get(reverse("plans:action_detail", args=[action.pk])).status_code == 200
    for name in ("plans:action_edit", "plans:action_status", "plans:indicator_create"):
        assert client.post(reverse(name, args=[action.pk]), {}).status_code == 404
