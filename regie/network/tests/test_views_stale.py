"""A stale edit of a meeting, the minutes, a rule or an event's registration settings keeps the
input, shows what changed since the form was opened, and saves on a second try
(``regie.core.versioning.versioned_edit``)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.network import knowledge, registrations, services
from regie.network.models import MeetingStatus
from regie.network.tests.event_factories import event_for
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


def test_a_stale_rule_edit_shows_the_dates_as_people_read_them(client, coordinator, home_region):
    rule = knowledge.rule_create(
        actor=coordinator,
        region=home_region,
        title="Mondmasker",
        source="Ministerieel besluit",
        effective_from=datetime.date(2020, 7, 11),
        summary="Draag een mondmasker.",
    )
    client.force_login(coordinator)
    url = reverse("knowledge:rule_edit", args=[rule.pk])
    opened = client.get(url).context["form"]["version"].value()
    knowledge.rule_update(
        actor=coordinator,
        rule=rule,
        expected_version=rule.version,
        effective_from=datetime.date(2020, 7, 25),
    )
    mine = {
        "title": rule.title,
        "source": rule.source,
        "effective_from": "2020-08-01",
        "summary": "Draag overal een mondmasker.",
        "version": opened,
    }

    response = client.post(url, mine)

    form = response.context["form"]
    assert response.context["stale"] == [
        (form.fields["effective_from"].label, "11-7-2020", "25-7-2020", "1-8-2020")
    ]
    assert "<td>11-7-2020</td><td>25-7-2020</td><td>1-8-2020</td>" in response.text
    again = client.post(url, {**mine, "version": form["version"].value()})
    assert again.status_code == 302
    rule.refresh_from_db()
    assert (rule.effective_from, rule.summary) == (
        datetime.date(2020, 8, 1),
        "Draag overal een mondmasker.",
    )


def test_stale_registration_settings_keep_the_input_and_save_again(
    client, coordinator, home_region
):
    event = event_for(home_region, capacity=10)
    client.force_login(coordinator)
    url = reverse("events:registration_manage", args=[event.pk])
    opened = client.get(url).context["form"]["version"].value()
    registrations.registration_settings_update(
        actor=coordinator,
        meeting=event,
        expected_version=event.version,
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
    assert (event.capacity, event.public_description) == (25, "Welkom!")
