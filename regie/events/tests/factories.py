"""Factories and helpers for the tests of invitations, events and the calendar."""

import base64
import datetime

import factory
import icalendar
from django.utils import timezone
from factory.django import DjangoModelFactory

from regie.core.models import OutgoingMail
from regie.events import models
from regie.network.tests.factories import BodyFactory, MeetingFactory

EVENT_FIELDS = ("registration_open", "registration_closes", "public_description")


class EventFactory(DjangoModelFactory[models.Event]):
    class Meta:
        model = models.Event

    meeting = factory.SubFactory(MeetingFactory)
    registration_open = True


class RegistrationFactory(DjangoModelFactory[models.Registration]):
    class Meta:
        model = models.Registration
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = factory.Sequence(lambda n: f"Achternaam{n}")
    email = factory.Sequence(lambda n: f"deelnemer{n}@example.org")
    organisation_name = "OCMW Kortrijk"
    stakeholder_type = models.StakeholderType.OCMW

    @factory.post_generation
    def _event(self, create: bool, extracted: object, **kwargs: object) -> None:
        """A meeting with registrations is an event (its registration need not be open)."""
        if create:
            models.Event.objects.get_or_create(meeting=self.meeting)  # type: ignore[misc]  # a Meeting once created


def event_for(
    region, *, title="Trefdag voor toeleiders 2020", capacity=2, days=14, hour=None, **fields
):
    """An event open for registration in ``days`` days (at ``hour``), in a body of ``region``:
    the meeting, with its ``Event`` (``meeting.event``) holding the registration settings."""
    settings = {name: fields.pop(name) for name in EVENT_FIELDS if name in fields}
    start = (timezone.now() + datetime.timedelta(days=days)).replace(second=0, microsecond=0)
    if hour is not None:
        start = timezone.localtime(start).replace(hour=hour, minute=0)
    fields.setdefault("location", "Hangar K, Kortrijk")
    meeting = MeetingFactory.create(
        body=BodyFactory.create(region=region, name="Regionaal overleg", kind="regional"),
        title=title,
        start=start,
        end=start + datetime.timedelta(hours=4),
        **fields,
    )
    EventFactory.create(meeting=meeting, capacity=capacity, **settings)
    return meeting


def ics_of(mail: OutgoingMail) -> icalendar.Calendar:
    """The calendar attached to a queued mail, parsed back."""
    (attachment,) = [a for a in mail.attachments if a["mimetype"].startswith("text/calendar")]
    return icalendar.Calendar.from_ical(base64.b64decode(attachment["content"]))


def the_event(calendar: icalendar.Calendar) -> icalendar.Event:
    (event,) = calendar.events
    return event
