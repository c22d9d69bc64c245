"""The demo registrations of the ROSE and the Trefdag voor toeleiders of 2020."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from regie.events.demo import event_demo_load
from regie.events.models import Registration, RegistrationStatus
from regie.network.tests.factories import BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def at(year: int, month: int, day: int, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def events(home_region):
    body = BodyFactory.create(region=home_region, name="Regionaal overleg", kind="regional")
    return {
        "rose": MeetingFactory.create(
            body=body, title="ROSE 2020", start=at(2020, 2, 13, 13), end=at(2020, 2, 13, 17)
        ),
        "trefdag": MeetingFactory.create(
            body=body,
            title="Trefdag voor toeleiders 2020",
            start=at(2020, 3, 5, 9),
            end=at(2020, 3, 5, 16),
        ),
    }


def statuses(meeting_or_registrations) -> Counter[str]:
    registrations = getattr(meeting_or_registrations, "registrations", meeting_or_registrations)
    return Counter(registrations.values_list("status", flat=True))


def test_both_events_are_filled_with_a_waiting_list(events):
    summary = event_demo_load()

    assert summary.events == 2
    rose, trefdag = events["rose"], events["trefdag"]
    rose.refresh_from_db()
    assert (rose.event.registration_open, rose.event.capacity) == (True, 40)
    assert rose.event.registration_closes < rose.start
    assert (
        statuses(rose.registrations.filter(is_walk_in=False))[RegistrationStatus.REGISTERED] == 40
    )
    walk_ins = rose.registrations.filter(is_walk_in=True)
    assert walk_ins.count() == 2  # beyond the 40 seats, checked in at the door
    assert all(r.checked_in_at and r.status == RegistrationStatus.REGISTERED for r in walk_ins)
    assert walk_ins.filter(email="").exists()
    assert statuses(rose)[RegistrationStatus.WAITING] >= 1
    assert statuses(trefdag)[RegistrationStatus.REGISTERED] == 30
    assert statuses(trefdag)[RegistrationStatus.WAITING] >= 1
    assert set(trefdag.registrations.values_list("stakeholder_type", flat=True)) == {
        "ocmw",
        "vdab",
    }
    assert {"se_organisation", "local_government", "vdab", "workplace_architect"} <= set(
        rose.registrations.values_list("stakeholder_type", flat=True)
    )
    promoted = rose.registrations.filter(promoted_at__isnull=False)
    assert promoted.exists()
    assert all(r.status == RegistrationStatus.REGISTERED for r in promoted)
    checked_in = rose.registrations.filter(checked_in_at__isnull=False)
    assert 0 < checked_in.filter(is_walk_in=False).count() < 40
    assert not checked_in.exclude(status=RegistrationStatus.REGISTERED).exists()
    assert all(r.email.endswith("@example.org") for r in Registration.objects.exclude(email=""))
    assert all(r.created_at < rose.start for r in rose.registrations.all())


def test_loading_twice_adds_and_changes_nothing(events):
    event_demo_load()
    before = list(Registration.objects.order_by("pk").values())

    summary = event_demo_load()

    assert summary.created == 0
    assert list(Registration.objects.order_by("pk").values()) == before


def test_without_the_events_nothing_happens(home_region):
    assert event_demo_load().events == 0
    assert not Registration.objects.exists()
