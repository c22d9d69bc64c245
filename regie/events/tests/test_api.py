"""POST /api/v1/events/{id}/registrations: public, rate-limited, the rules of the web form."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from regie.events.models import Registration, RegistrationStatus
from regie.events.tests.factories import event_for
from regie.network.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def event(home_region):
    return event_for(home_region, capacity=1)


def post(event_id: int, client: Client | None = None, **fields):
    body = {
        "first_name": "Ann",
        "last_name": "Claes",
        "email": "ann@example.org",
        "organisation": "OCMW Kortrijk",
        "stakeholder_type": "ocmw",
        **fields,
    }
    return (client or Client()).post(
        f"/api/v1/events/{event_id}/registrations",
        data=json.dumps(body),
        content_type="application/json",
    )


def test_anonymous_registers_then_waits(event):
    first = post(event.pk)
    second = post(event.pk, email="bart@example.org", first_name="Bart")

    assert first.status_code == 201
    assert first.json()["status"] == "registered"
    assert first.json()["waiting_position"] is None
    assert second.status_code == 201
    assert second.json() | {"message": ""} == {
        "status": "waiting",
        "waiting_position": 1,
        "message": "",
    }


def test_a_logged_in_session_needs_no_csrf_token(event, partner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(partner)
    assert post(event.pk, client).status_code == 201


def test_a_duplicate_address_is_409_naming_the_field(event):
    post(event.pk)
    response = post(event.pk, email="ANN@example.org")

    assert response.status_code == 409
    assert set(response.json()) == {"detail", "errors"}
    assert list(response.json()["errors"]) == ["email"]
    assert Registration.objects.count() == 1


def test_bad_input_is_422_naming_the_field(event):
    response = post(event.pk, email="geen-adres", stakeholder_type="alien")

    assert response.status_code == 422
    assert {"stakeholder_type"} <= set(response.json()["errors"])
    invalid_email = post(event.pk, email="geen-adres")
    assert invalid_email.status_code == 422
    assert list(invalid_email.json()["errors"]) == ["email"]
    assert not Registration.objects.exists()


def test_unknown_fields_are_refused(event):
    response = post(event.pk, phone="056 00 00 00")
    assert response.status_code == 422
    assert "phone" in response.json()["errors"]


def test_a_closed_event_is_422(event):
    event.event.registration_closes = timezone.now() - datetime.timedelta(minutes=1)
    event.event.save()
    response = post(event.pk)
    assert response.status_code == 422
    assert response.json()["errors"]["__all__"]


def test_after_the_start_is_422(event):
    event.start = timezone.now() - datetime.timedelta(minutes=1)
    event.save()
    assert post(event.pk).status_code == 422


def test_a_meeting_that_is_no_event_is_404(home_region):
    meeting = MeetingFactory.create()
    assert post(meeting.pk).status_code == 404
    assert post(999999).status_code == 404


def test_an_event_that_closed_registration_is_still_an_event(event):
    post(event.pk)
    event.event.registration_open = False
    event.event.save()
    response = post(event.pk, email="late@example.org")
    assert response.status_code == 422


def test_the_rate_limit(event, settings):
    settings.REGIE_REGISTRATION_RATE = (2, 600)
    statuses = [post(event.pk, email=f"p{n}@example.org").status_code for n in range(3)]

    assert statuses == [201, 201, 429]
    limited = post(event.pk, email="p9@example.org")
    assert set(limited.json()) == {"detail", "errors"}
    assert Registration.objects.filter(status=RegistrationStatus.WAITING).count() == 1
