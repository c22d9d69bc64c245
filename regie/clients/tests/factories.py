"""Factories of client records, and synthetic national numbers (valid, but nobody's).

Only tests make national numbers, and only with ``synthetic_insz``: the demo has none.
"""

import datetime
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from regie.clients import models
from regie.registry.models import Measure
from regie.registry.tests.factories import MunicipalityFactory, OrganisationFactory, RegionFactory

# Every number made here: the test run checks that none of them ever reaches a log record.
ISSUED: set[str] = set()


def synthetic_insz(birth: datetime.date, counter: int = 1, *, bis: bool = False) -> str:
    """A national number (or a BIS number: month + 40) with valid check digits."""
    month = birth.month + (40 if bis else 0)
    base = f"{birth:%y}{month:02d}{birth:%d}{counter:03d}"
    number = int(("2" if birth.year >= 2000 else "") + base)
    insz = f"{base}{97 - number % 97:02d}"
    ISSUED.add(insz)
    return insz


def measure(code: str) -> Measure:
    return Measure.objects.get(code=code)


class ClientFactory(DjangoModelFactory[models.Client]):
    class Meta:
        model = models.Client

    region = factory.SubFactory(RegionFactory)
    organisation = factory.SubFactory(OrganisationFactory, region=factory.SelfAttribute("..region"))
    municipality = factory.SubFactory(MunicipalityFactory)
    first_name = factory.Sequence(lambda n: f"Cliëntvoornaam{n}")
    last_name = factory.Sequence(lambda n: f"Cliëntnaam{n}")
    birth_date = datetime.date(1980, 5, 17)
    phone = "0470 00 00 00"
    status = models.ClientStatus.ACTIVE


class ClientCounsellorFactory(DjangoModelFactory[models.ClientCounsellor]):
    class Meta:
        model = models.ClientCounsellor

    client = factory.SubFactory(ClientFactory)
    start = datetime.date(2019, 1, 1)


class TrajectoryFactory(DjangoModelFactory[models.Trajectory]):
    class Meta:
        model = models.Trajectory

    client = factory.SubFactory(ClientFactory)
    started_on = datetime.date(2019, 1, 1)


class StepFactory(DjangoModelFactory[models.Step]):
    class Meta:
        model = models.Step

    trajectory = factory.SubFactory(TrajectoryFactory)
    measure = factory.LazyFunction(lambda: measure("AZ"))
    organisation = factory.SubFactory(OrganisationFactory)
    start = datetime.date(2019, 1, 1)
    hours_per_week = Decimal("19")


class ReferralFactory(DjangoModelFactory[models.Referral]):
    class Meta:
        model = models.Referral

    client = factory.SubFactory(ClientFactory)
    referring_organisation = factory.SubFactory(OrganisationFactory)
    target_organisation = factory.SubFactory(OrganisationFactory)
    measure = factory.LazyFunction(lambda: measure("AZ"))
    referred_on = datetime.date(2018, 12, 1)


class ContactFactory(DjangoModelFactory[models.Contact]):
    class Meta:
        model = models.Contact

    client = factory.SubFactory(ClientFactory)
    kind = models.ContactKind.DOORSTEP
    on = datetime.date(2020, 4, 2)


class DeviceFactory(DjangoModelFactory[models.Device]):
    class Meta:
        model = models.Device

    organisation = factory.SubFactory(OrganisationFactory)
    kind = models.DeviceKind.LAPTOP
    label = factory.Sequence(lambda n: f"Laptop {n}")
    serial_number = factory.Sequence(lambda n: f"SN-{n:05d}")


class LoanFactory(DjangoModelFactory[models.Loan]):
    class Meta:
        model = models.Loan

    device = factory.SubFactory(DeviceFactory)
    client = factory.SubFactory(ClientFactory)
    start = datetime.date(2020, 4, 1)
    due = datetime.date(2020, 6, 30)


class SkillsSessionFactory(DjangoModelFactory[models.SkillsSession]):
    class Meta:
        model = models.SkillsSession

    region = factory.SubFactory(RegionFactory)
    organisation = factory.SubFactory(OrganisationFactory, region=factory.SelfAttribute("..region"))
    title = factory.Sequence(lambda n: f"Aan de slag met de computer {n}")
    starts_at = factory.LazyFunction(
        lambda: datetime.datetime(2020, 10, 5, 9, 30, tzinfo=datetime.UTC)
    )


class EnrolmentFactory(DjangoModelFactory[models.Enrolment]):
    class Meta:
        model = models.Enrolment

    session = factory.SubFactory(SkillsSessionFactory)
    client = factory.SubFactory(ClientFactory)


class LegalBasisFactory(DjangoModelFactory[models.LegalBasis]):
    class Meta:
        model = models.LegalBasis

    client = factory.SubFactory(ClientFactory)
    purpose = models.Purpose.SUPPORT_NEED
    ground = models.Ground.EXPLICIT_CONSENT
    reference = "Toestemmingsformulier"


class OrganisationLegalBasisFactory(DjangoModelFactory[models.OrganisationLegalBasis]):
    class Meta:
        model = models.OrganisationLegalBasis

    organisation = factory.SubFactory(OrganisationFactory)
    reference = "Machtiging informatieveiligheidscomité"


def trajectory_with_steps(
    region: Any, municipality: Any, organisation: Any, *steps: tuple[Any, ...]
) -> models.Client:
    """One client whose steps follow each other, each given as (code, start, end, reason)."""
    client = ClientFactory.create(
        region=region, organisation=organisation, municipality=municipality
    )
    trajectory = TrajectoryFactory.create(client=client, started_on=steps[0][1])
    for code, start, end, reason in steps:
        StepFactory.create(
            trajectory=trajectory,
            organisation=organisation,
            measure=measure(code),
            start=start,
            end=end,
            end_reason=reason,
            hours_per_week=Decimal("19"),
        )
    return client
