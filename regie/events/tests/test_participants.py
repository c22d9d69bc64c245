"""A meeting becomes an event, and what events add to a meeting (``network.extensions``): its
participants' failed mails on the meeting's page, a postponed event's description."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.core.errors import StaleEditError
from regie.core.models import OutgoingMail
from regie.events import services
from regie.events.models import Event, RegistrationStatus
from regie.events.services import NO_EVENT_VERSION
from regie.events.tests.factories import event_for
from regie.network import services as network_services
from regie.network.invitations import reminders_send
from regie.network.tests.factories import BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(home_region):
    """A plain meeting: nobody opened its registration yet."""
    start = (timezone.now() + datetime.timedelta(days=10)).replace(second=0, microsecond=0)
    return MeetingFactory.create(
        body=BodyFactory.create(region=home_region, name="Regionaal overleg", kind="regional"),
        title="Trefdag voor toeleiders 2020",
        start=start,
        end=start + datetime.timedelta(hours=4),
    )


def open_registration(meeting, coordinator, *, expected_version=NO_EVENT_VERSION, capacity=30):
    return services.registration_settings_update(
        actor=coordinator,
        meeting=meeting,
        expected_version=expected_version,
        registration_open=True,
        capacity=capacity,
        registration_closes=None,
        public_description="Voor de toeleiders.",
    )


def test_a_meeting_is_no_event_until_its_registration_settings_are_saved(meeting, coordinator):
    assert not Event.objects.exists()

    event = open_registration(meeting, coordinator)

    assert (event.meeting, event.registration_open, event.capacity) == (meeting, True, 30)
    assert event.version == 1
    assert event.history.count() == 1
    with pytest.raises(StaleEditError):  # someone else made it an event in the meantime
        open_registration(meeting, coordinator, capacity=40)
    event = open_registration(meeting, coordinator, expected_version=1, capacity=40)
    assert (event.version, event.capacity) == (2, 40)


def test_the_registration_page_of_a_meeting_that_is_no_event(client, coordinator, meeting):
    client.force_login(coordinator)
    page = reverse("events:registration_manage", args=[meeting.pk])

    response = client.get(page)

    assert response.status_code == 200
    assert 'data-testid="public-url"' not in response.text
    data = {"version": NO_EVENT_VERSION, "registration_open": "on", "capacity": "12"}
    assert client.post(page, data).status_code == 302
    assert 'data-testid="public-url"' in client.get(page).text
    meeting.refresh_from_db()
    assert (meeting.event.registration_open, meeting.event.capacity) == (True, 12)


def test_a_walk_in_makes_a_plain_meeting_an_event_and_is_reminded(meeting, coordinator):
    walk_in = services.registration_walk_in(
        actor=coordinator,
        meeting=meeting,
        first_name="Wout",
        last_name="Deur",
        stakeholder_type="other",
        email="wout@example.org",
    )
    meeting.refresh_from_db()
    assert meeting.event.registration_open is False
    assert walk_in.status == RegistrationStatus.REGISTERED

    assert reminders_send(now=meeting.start - datetime.timedelta(hours=30)) == 1
    (reminder,) = OutgoingMail.objects.filter(to=["wout@example.org"])
    assert f"/events/{meeting.event.registration_token}/cancel/" in reminder.body


def test_a_participants_failed_mail_shows_on_the_meeting(client, coordinator, home_region):
    event = event_for(home_region, capacity=5)
    registration = services.registration_create(
        meeting=event,
        first_name="Ann",
        last_name="Peeters",
        email="ann@example.org",
        stakeholder_type="ocmw",
    )
    OutgoingMail.objects.filter(about=f"events.registration:{registration.pk}").update(
        status=OutgoingMail.Status.FAILED, last_error="Mailbox unavailable"
    )
    client.force_login(coordinator)

    page = client.get(reverse("network:meeting_detail", args=[event.pk])).text

    failures = page[page.index('data-testid="failed-mails"') :].split("</section>")[0]
    assert "ann@example.org" in failures
    assert "Mailbox unavailable" in failures


def test_a_postponed_event_keeps_its_description_not_its_registration(meeting, coordinator):
    open_registration(meeting, coordinator)

    new = network_services.meeting_postpone(
        actor=coordinator,
        meeting=meeting,
        start=meeting.start + datetime.timedelta(days=7),
        end=meeting.end + datetime.timedelta(days=7),
        reason="Lockdown",
    )

    assert new.event.public_description == "Voor de toeleiders."
    assert (new.event.registration_open, new.event.capacity) == (False, None)
    assert new.event.registration_token != meeting.event.registration_token


def test_postponing_a_plain_meeting_makes_no_event(meeting, coordinator):
    new = network_services.meeting_postpone(
        actor=coordinator,
        meeting=meeting,
        start=meeting.start + datetime.timedelta(days=7),
        end=meeting.end + datetime.timedelta(days=7),
    )
    assert not Event.objects.filter(meeting__in=[meeting, new]).exists()
