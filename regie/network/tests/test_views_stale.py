"""A stale edit of a meeting or the minutes keeps the input, shows what changed since the form
was opened, and saves on a second try (``regie.core.versioning.versioned_edit``)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.network import services
from regie.network.models import MeetingStatus
from regie.network.tests.factories import AgendaItemFactory, BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(home_region):
    start = (timezone.now() + datetime.timedelta(days=20)).replace(second=0, microsecond=0)
    return MeetingFactory.create(
        body=BodyFactory.create(region=home_region, name="Actiegroep"),
        title="Actiegroep april",
        start=start,
        end=start + datetime.timedelta(hours=2),
        location="Welzijn13, Kortrijk",
    )


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_stale_meeting_edit_keeps_the_input_shows_the_changes_and_saves_again(
    client, coordinator, meeting
):
    client.force_login(coordinator)
    url = reverse("network:meeting_edit", args=[meeting.pk])
    opened = client.get(url).context["form"]["version"].value()
    services.meeting_update(
        actor=coordinator, meeting=meeting, expected_version=meeting.version, location="Buda"
    )
    mine = {
        "title": "Actiegroep mei",
        "start": _local(meeting.start),
        "end": _local(meeting.end),
        "format": meeting.format,
        "location": "Welzijn13, Kortrijk",
        "version": opened,
    }

    response = client.post(url, mine)

    assert response.status_code == 200
    form = response.context["form"]
    assert response.context["stale"] == [
        (form.fields["location"].label, "Welzijn13, Kortrijk", "Buda", "Welzijn13, Kortrijk")
    ]
    assert "<td>Welzijn13, Kortrijk</td><td>Buda</td><td>Welzijn13, Kortrijk</td>" in response.text
    assert 'value="Actiegroep mei"' in response.text
    meeting.refresh_from_db()
    assert (meeting.title, meeting.location) == ("Actiegroep april", "Buda")

    again = client.post(url, {**mine, "version": form["version"].value()})

    assert again.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.location) == ("Actiegroep mei", "Welzijn13, Kortrijk")


def test_the_minutes_save_on_a_second_try_after_a_stale_edit(client, coordinator, meeting):
    meeting.status = MeetingStatus.HELD
    meeting.save()
    item = AgendaItemFactory.create(meeting=meeting, position=1, title="Stoepgesprekken")
    client.force_login(coordinator)
    url = reverse("network:minutes_edit", args=[meeting.pk])
    opened = client.get(url).context["form"][f"version_{item.pk}"].value()
    services.minutes_save(actor=coordinator, meeting=meeting, texts={item.pk: ("Van Ann.", 1)})
    mine = {f"minutes_{item.pk}": "Van Bart.", f"version_{item.pk}": opened}

    response = client.post(url, mine)

    assert response.status_code == 200
    assert response.context["stale"] == [("1. Stoepgesprekken", "—", "Van Ann.", "Van Bart.")]
    assert "Van Bart.</textarea>" in response.text
    assert f'name="version_{item.pk}" value="{opened + 1}"' in response.text

    again = client.post(url, {**mine, f"version_{item.pk}": opened + 1})

    assert again.status_code == 302
    item.refresh_from_db()
    assert item.minutes == "Van Bart."
