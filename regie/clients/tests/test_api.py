"""The clients' API: scoped reads with the fields a role may see, and suppressed aggregates."""

import datetime

import pytest

from regie.clients import services
from regie.clients.tests.factories import synthetic_insz

pytestmark = pytest.mark.django_db


def test_the_partner_gets_nulls_for_what_they_may_not_see(client, partner, own_client):
    client.force_login(partner)
    body = client.get(f"/api/v1/clients/{own_client.pk}").json()

    assert body["last_name"] == "Vandenberghe"
    assert body["street"] == "Leiestraat 12"
    assert body["birth_date"] is None
    assert body["email"] is None
    assert body["vdab_reference"] is None
    assert body["national_number"] is None


def test_the_national_number_is_masked(client, counsellor, own_client, insz_basis):
    number = synthetic_insz(datetime.date(1977, 8, 9), 456)
    services.client_national_number_set(actor=counsellor, client=own_client, national_number=number)
    client.force_login(counsellor)

    body = client.get(f"/api/v1/clients/{own_client.pk}").json()

    assert body["national_number"] == "INSZ ••.••.••-456.••"
    assert body["birth_date"] == "1980-05-17"
    assert number not in client.get("/api/v1/clients").text


def test_a_foreign_client_is_not_found(client, counsellor, foreign_client):
    client.force_login(counsellor)
    response = client.get(f"/api/v1/clients/{foreign_client.pk}")
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


def test_progression_suppresses_small_counts(client, coordinator, region_with_clients):
    client.force_login(coordinator)
    body = client.get("/api/v1/progression?region=w13&year=2019").json()

    az = next(row for row in body["measures"] if row["key"] == "AZ")
    assert az["ended"] == {"value": 8, "suppressed": False}
    assert az["reasons"]["drop_out"] == {"value": None, "suppressed": True}
    lde = next(row for row in body["measures"] if row["key"] == "LDE")
    assert lde["ended"] == {"value": None, "suppressed": True}
    assert lde["median_months"]["value"] is None


def test_progression_of_another_region_is_not_found(client, outsider, region_with_clients):
    client.force_login(outsider)
    assert client.get("/api/v1/progression?region=w13&year=2019").status_code == 404


def test_an_unknown_region_is_named(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/api/v1/progression?region=nergens&year=2019")
    assert response.status_code == 422
    assert "region" in response.json()["errors"]


def test_a_viewer_gets_their_municipality(client, viewer, region_with_clients):
    client.force_login(viewer)
    body = client.get("/api/v1/progression?year=2019").json()
    assert body["municipality"] == "34022"
    assert [row["key"] for row in body["municipalities"]] == ["34022"]
