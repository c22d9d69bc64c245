import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from regie.network import models
from regie.registry.tests.factories import OrganisationFactory, PersonFactory, RegionFactory


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """An aware moment in the project's time zone (Europe/Brussels)."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


class BodyFactory(DjangoModelFactory[models.Body]):
    class Meta:
        model = models.Body

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Werkgroep {n}")
    kind = models.BodyKind.WORKING_GROUP


class MembershipFactory(DjangoModelFactory[models.Membership]):
    class Meta:
        model = models.Membership

    body = factory.SubFactory(BodyFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, region=factory.SelfAttribute("..body.region")
    )
    role = models.MemberRole.MEMBER


class MeetingFactory(DjangoModelFactory[models.Meeting]):
    class Meta:
        model = models.Meeting

    body = factory.SubFactory(BodyFactory)
    title = factory.Sequence(lambda n: f"Vergadering {n}")
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    end = factory.LazyAttribute(lambda meeting: meeting.start + datetime.timedelta(hours=2))
    format = models.MeetingFormat.PHYSICAL
    location = "Welzijn13, President Kennedypark 10, Kortrijk"


class AgendaItemFactory(DjangoModelFactory[models.AgendaItem]):
    class Meta:
        model = models.AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agendapunt {n}")


class AttendanceFactory(DjangoModelFactory[models.Attendance]):
    class Meta:
        model = models.Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(
        PersonFactory, region=factory.SelfAttribute("..meeting.body.region")
    )


class FollowUpFactory(DjangoModelFactory[models.FollowUp]):
    class Meta:
        model = models.FollowUp

    meeting = factory.SubFactory(MeetingFactory)
    body = factory.SelfAttribute("meeting.body")
    title = factory.Sequence(lambda n: f"Opvolgpunt {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class DecisionFactory(DjangoModelFactory[models.Decision]):
    class Meta:
        model = models.Decision

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Beslissing {n}")
