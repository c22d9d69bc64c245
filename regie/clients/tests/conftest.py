"""Client fixtures on top of the shared cast, and a guard over the whole run of these tests:
no national number made by ``synthetic_insz`` may ever appear in a log record."""

import datetime
import logging
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.utils import translation
from stdnum.be import nn

from regie.clients.models import Client, ClientCounsellor, EndReason
from regie.clients.tests import factories
from regie.registry.tests.factories import OrganisationFactory


class NationalNumberGuard(logging.Handler):
    """Sees every record at every level and remembers those that carry an issued number."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.leaks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a broken log call is not our concern here
            return
        if record.exc_info and record.exc_info[1] is not None:
            text += f" {record.exc_info[1]}"
        for number in factories.ISSUED:
            if number in text or nn.format(number) in text:
                self.leaks.append(f"{record.name}: {text[:200]}")


@pytest.fixture(scope="session", autouse=True)
def _national_numbers_never_logged() -> Iterator[None]:
    root = logging.getLogger()
    guard = NationalNumberGuard()
    previous = root.level
    # The other handlers keep printing what they printed before; only the guard sees it all.
    quieted = [h for h in root.handlers if h.level == logging.NOTSET]
    for handler in quieted:
        handler.setLevel(previous)
    root.addHandler(guard)
    root.setLevel(logging.DEBUG)
    yield
    root.setLevel(previous)
    root.removeHandler(guard)
    for handler in quieted:
        handler.setLevel(logging.NOTSET)
    assert not guard.leaks, "a national number reached the logs:\n" + "\n".join(guard.leaks)


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Services' messages are checked against their English msgids; pages, whose middleware
    switches to Dutch, are checked on fields and markup instead."""
    with translation.override("en"):
        yield


@pytest.fixture
def other_organisation(home_region):
    return OrganisationFactory.create(region=home_region, name="Elders Maatwerk")


@pytest.fixture
def own_client(home_region, home_municipality, partner_organisation, counsellor) -> Client:
    """A client the cast's counsellor follows, with a step at the partner's organisation."""
    client = factories.ClientFactory.create(
        region=home_region,
        organisation=partner_organisation,
        municipality=home_municipality,
        first_name="Fatima",
        last_name="Vandenberghe",
        street="Leiestraat 12",
        postcode="8500",
        email="fatima@example.org",
        vdab_reference="VDAB-123456",
    )
    ClientCounsellor.objects.create(
        client=client, counsellor=counsellor, start=datetime.date(2019, 1, 1)
    )
    trajectory = factories.TrajectoryFactory.create(client=client)
    factories.StepFactory.create(
        trajectory=trajectory, organisation=partner_organisation, hours_per_week=Decimal("19")
    )
    return client


@pytest.fixture
def foreign_client(home_region, home_municipality, other_organisation) -> Client:
    """A client of the same region that nobody of the cast follows or works with."""
    client = factories.ClientFactory.create(
        region=home_region,
        organisation=other_organisation,
        municipality=home_municipality,
        first_name="Jonas",
        last_name="Elders",
    )
    trajectory = factories.TrajectoryFactory.create(client=client)
    factories.StepFactory.create(trajectory=trajectory, organisation=other_organisation)
    return client


@pytest.fixture
def insz_basis(partner_organisation, coordinator):
    return factories.OrganisationLegalBasisFactory.create(
        organisation=partner_organisation, recorded_by=coordinator
    )


@pytest.fixture
def region_with_clients(home_region, home_municipality, partner_organisation):
    """Six AZ clients moving on to CMW in 2019, two dropping out, one LDE to a regular job."""
    D = datetime.date
    for month in range(1, 7):
        factories.trajectory_with_steps(
            home_region,
            home_municipality,
            partner_organisation,
            ("AZ", D(2017, month, 1), D(2019, 3, 31), EndReason.OTHER_MEASURE),
            ("CMW", D(2019, 4, 1), None, ""),
        )
    for _ in range(2):
        factories.trajectory_with_steps(
            home_region,
            home_municipality,
            partner_organisation,
            ("AZ", D(2018, 9, 1), D(2019, 5, 31), EndReason.DROP_OUT),
        )
    factories.trajectory_with_steps(
        home_region,
        home_municipality,
        partner_organisation,
        ("LDE", D(2016, 5, 1), D(2019, 10, 31), EndReason.REGULAR_JOB),
    )
    return home_region
