"""Stale registration settings keep the input, show what changed since the form was opened,
and save on a second try (``regie.core.versioning.versioned_edit``)."""

import pytest
from django.urls import reverse

from regie.events import services
from regie.events.tests.factories import event_for

pytestmark = pytest.mark.django_db


def test_stale_registration_settings_keep_the_input_and_save_again(
    client, coordinator, home_region
):
    event = event_for(home_region, capacity=10)
    client.force_login(coordinator)
    url = reverse("events:registration_manage", args=[event.pk])
    opened = client.get(url).context["form"]["version"].value()
    services.registration_settings_update(
        actor=coordinator,
        meeting=event,
        expected_version=event.event.version,
        registration_open=True,
        capacity=40,
        registration_closes=None,
        public_description="",
    )
    mine = {
        "registration_open": "on",
        "capacity": "25",
        "public_description": "Welkom!",
        "version": opened,
    }

    response = client.post(url, mine)

    assert response.status_code == 200
    form = response.context["form"]
    assert response.context["stale"] == [(form.fields["capacity"].label, "10", "40", "25")]
    assert "<td>10</td><td>40</td><td>25</td>" in response.text
    assert "Welkom!</textarea>" in response.text

    again = client.post(url, {**mine, "version": form["version"].value()})

    assert again.status_code == 302
    event.refresh_from_db()
    assert (event.event.capacity, event.event.public_description) == (25, "Welkom!")
