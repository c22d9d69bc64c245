"""A stale edit of a client file keeps the input, shows what changed since the form was
opened, and saves on a second try (``regie.core.versioning.versioned_edit``)."""

import pytest
from django.urls import reverse

from regie.clients import services
from regie.clients.models import AccessAction, AccessLog

pytestmark = pytest.mark.django_db


def test_a_stale_client_edit_keeps_the_input_shows_the_changes_and_saves_again(
    client, counsellor, coordinator, own_client, home_municipality
):
    client.force_login(counsellor)
    url = reverse("clients:client_edit", args=[own_client.pk])
    opened = client.get(url).context["form"]["version"].value()
    services.client_update(
        actor=coordinator,
        client=own_client,
        expected_version=own_client.version,
        street="Markt 1",
        phone="056 11 22 33",
    )
    mine = {
        "first_name": "Fatima",
        "last_name": "Vandenberghe",
        "street": "Leiestraat 14",
        "postcode": "8500",
        "municipality": home_municipality.pk,
        "email": "fatima@example.org",
        "language": "nl",
        "vdab_reference": "VDAB-123456",
        "version": opened,
    }

    response = client.post(url, mine)

    assert response.status_code == 200
    form = response.context["form"]
    assert response.context["stale"] == [
        (form.fields["street"].label, "Leiestraat 12", "Markt 1", "Leiestraat 14"),
        (form.fields["phone"].label, "0470 00 00 00", "056 11 22 33", "—"),
    ]
    assert "<td>Leiestraat 12</td><td>Markt 1</td><td>Leiestraat 14</td>" in response.text
    assert 'value="Leiestraat 14"' in response.text
    # What is stored now was shown: a read of the file, as the form itself on opening.
    views = AccessLog.objects.filter(client=own_client, action=AccessAction.VIEW)
    assert views.filter(user=counsellor).count() == 2

    again = client.post(url, {**mine, "phone": "056 11 22 33", "version": form["version"].value()})

    assert again.status_code == 302
    own_client.refresh_from_db()
    assert (own_client.street, own_client.phone) == ("Leiestraat 14", "056 11 22 33")
