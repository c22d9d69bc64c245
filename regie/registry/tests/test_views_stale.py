"""A stale edit of a registry record keeps the input, shows what changed, and saves on a
second try (``regie.core.versioning.versioned_edit``)."""

import pytest
from django.urls import reverse

from regie.registry import services

pytestmark = pytest.mark.django_db


def test_a_stale_site_edit_keeps_the_input_shows_the_changes_and_saves_again(
    client, coordinator, partner_organisation, home_municipality
):
    site = partner_organisation.sites.get()
    client.force_login(coordinator)
    url = reverse("registry:site_edit", args=[partner_organisation.pk, site.pk])
    opened = client.get(url).context["form"]["version"].value()
    services.site_update(
        actor=coordinator, site=site, expected_version=site.version, street="Marktplein 2"
    )
    mine = {
        "street": "Kerkstraat 9",
        "postcode": "8500",
        "municipality": home_municipality.pk,
        "is_main": "on",
        "version": opened,
    }

    response = client.post(url, mine)

    assert response.status_code == 200
    assert response.context["stale"] == [
        ("Straat en huisnummer", site.street, "Marktplein 2", "Kerkstraat 9")
    ]
    row = f"<td>{site.street}</td><td>Marktplein 2</td><td>Kerkstraat 9</td>"
    assert f'<th scope="row">Straat en huisnummer</th>{row}' in response.text
    assert 'value="Kerkstraat 9"' in response.text
    assert response.context["form"]["version"].value() == opened + 1
    site.refresh_from_db()
    assert site.street == "Marktplein 2"

    again = client.post(url, {**mine, "version": response.context["form"]["version"].value()})

    assert again.status_code == 302
    site.refresh_from_db()
    assert (site.street, site.version) == ("Kerkstraat 9", opened + 2)
