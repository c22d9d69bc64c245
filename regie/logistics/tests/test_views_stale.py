"""A stale edit of a van keeps the input, shows what changed since the form was opened, and
saves on a second try (``regie.core.versioning.versioned_edit``)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from regie.logistics import services
from regie.logistics.models import Van
from regie.logistics.tests.factories import VanFactory

pytestmark = pytest.mark.django_db


def test_a_stale_van_edit_keeps_the_input_shows_the_changes_and_saves_again(
    client, partner, coordinator, partner_organisation
):
    van = VanFactory.create(organisation=partner_organisation, name="Wagen A")
    client.force_login(partner)
    url = reverse("logistics:van_edit", args=[van.pk])
    opened = client.get(url).context["form"]["version"].value()
    services.van_update(
        actor=coordinator, van=van, expected_version=van.version, capacity_weight=750
    )
    mine = {
        "organisation": partner_organisation.pk,
        "depot": van.depot_id,
        "name": "Wagen Noord",
        "capacity_volume": 1000,
        "capacity_weight": 600,
        "shift_start": "08:00",
        "shift_end": "17:00",
        "cost_per_km": "0.30",
        "cost_per_hour": "0",
        "version": opened,
    }

    response = client.post(url, mine)

    assert response.status_code == 200
    form = response.context["form"]
    assert response.context["stale"] == [
        (form.fields["capacity_weight"].label, "500", "750", "600")
    ]
    assert "<td>500</td><td>750</td><td>600</td>" in response.text
    assert 'value="Wagen Noord"' in response.text
    assert Van.objects.get(pk=van.pk).name == "Wagen A"

    again = client.post(url, {**mine, "version": form["version"].value()})

    assert again.status_code == 302
    van.refresh_from_db()
    assert (van.name, van.capacity_weight, van.cost_per_km) == ("Wagen Noord", 600, Decimal("0.30"))
