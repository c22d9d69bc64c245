"""The networks API: bodies and meetings, their shapes, filters, scoping and errors."""

import datetime

import pytest
from django.test import Client

from regie.accounts.models import User
from regie.network.models import AttendanceStatus, BodyStatus
from regie.network.tests.factories import (
    AttendanceFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    at,
)
from regie.registry.models import Pillar

pytestmark = pytest.mark.django_db
BODIES = "/api/v1/bodies"
MEETINGS = "/api/v1/meetings"


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def body(home_region, partner_organisation):
    body = BodyFactory.create(
        region=home_region,
        name="AZ-fabriek",
        kind="platform",
        pillar=Pillar.objects.get(code="OD-1"),
    )
    MembershipFactory.create(body=body, organisation=partner_organisation)
    MembershipFactory.create(body=body, end=datetime.date(2019, 12, 31))
    return body


def test_bodies_shape(coordinator, body):
    response = logged_in(coordinator).get(BODIES)
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "id": body.pk,
                "name": "AZ-fabriek",
                "kind": "platform",
                "status": "active",
                "status_reason": "",
                "status_date": None,
                "pillar": "OD-1",
                "member_count": 1,
            }
        ],
        "count": 1,
    }


def test_bodies_filters(coordinator, body, home_region):
    BodyFactory.create(
        region=home_region,
        name="Werkgroep RASE",
        kind="working_group",
        status=BodyStatus.ON_HOLD,
        status_reason="Corona",
        status_date=datetime.date(2020, 3, 16),
    )
    client = logged_in(coordinator)

    def names(**params: str) -> list[str]:
        return [item["name"] for item in client.get(BODIES, params).json()["items"]]

    assert names(name="rase") == ["Werkgroep RASE"]
    assert names(kind="platform") == ["AZ-fabriek"]
    assert names(status="on_hold") == ["Werkgroep RASE"]
    response = client.get(BODIES, {"kind": "club"})
    assert response.status_code == 422
    assert "kind" in response.json()["errors"]


def test_partner_lists_only_the_bodies_of_their_organisation(partner, body, home_region):
    BodyFactory.create(region=home_region, name="Niet voor de partner")
    assert [i["name"] for i in logged_in(partner).get(BODIES).json()["items"]] == ["AZ-fabriek"]


def test_meetings_shape_with_attendance_counts(coordinator, body):
    meeting = MeetingFactory.create(
        body=body,
        title="AZ-fabriek mei",
        start=at(2020, 5, 14, 9, 30),
        end=at(2020, 5, 14, 11),
        format="digital",
        location="",
        video_url="https://meet.example.org/az",
        status="held",
    )
    AttendanceFactory.create(meeting=meeting, status=AttendanceStatus.PRESENT)
    AttendanceFactory.create(meeting=meeting, status=AttendanceStatus.PRESENT)
    AttendanceFactory.create(meeting=meeting, status=AttendanceStatus.EXCUSED)

    item = logged_in(coordinator).get(MEETINGS, {"year": 2020}).json()["items"][0]

    assert item == {
        "id": meeting.pk,
        "body": body.pk,
        "body_name": "AZ-fabriek",
        "title": "AZ-fabriek mei",
        "start": "2020-05-14T09:30:00+02:00",
        "end": "2020-05-14T11:00:00+02:00",
        "format": "digital",
        "status": "held",
        "location": "",
        "video_url": "https://meet.example.org/az",
        "postponed_to": None,
        "attendance": {"invited": 0, "confirmed": 0, "present": 2, "excused": 1, "absent": 0},
    }
    assert datetime.datetime.fromisoformat(item["start"]) == meeting.start


def test_meetings_by_year_and_body(coordinator, body, home_region):
    other = BodyFactory.create(region=home_region)
    MeetingFactory.create(body=body, start=at(2020, 2, 6, 9), end=at(2020, 2, 6, 11))
    MeetingFactory.create(body=body, start=at(2021, 2, 6, 9), end=at(2021, 2, 6, 11))
    MeetingFactory.create(body=other, start=at(2020, 3, 6, 9), end=at(2020, 3, 6, 11))
    client = logged_in(coordinator)
    assert client.get(MEETINGS, {"year": 2020}).json()["count"] == 2
    assert client.get(MEETINGS, {"year": 2020, "body": body.pk}).json()["count"] == 1
    assert client.get(MEETINGS).json()["count"] == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [({"year": "twintig"}, "year"), ({"year": "1900"}, "year"), ({"body": "x"}, "body")],
)
def test_bad_meeting_filters_name_the_field(coordinator, body, params, field):
    response = logged_in(coordinator).get(MEETINGS, params)
    assert response.status_code == 422
    assert set(response.json()) == {"detail", "errors"}
    assert field in response.json()["errors"]


def test_a_body_outside_the_scope_is_an_unknown_body(outsider, body):
    response = logged_in(outsider).get(MEETINGS, {"body": body.pk})
    assert response.status_code == 422
    assert "body" in response.json()["errors"]


def test_anonymous_gets_401(db):
    for url in (BODIES, MEETINGS):
        response = Client().get(url)
        assert response.status_code == 401
        assert set(response.json()) == {"detail", "errors"}


def test_pagination(coordinator, home_region):
    for n in range(5):
        BodyFactory.create(region=home_region, name=f"Werkgroep {n}")
    response = logged_in(coordinator).get(BODIES, {"limit": 2, "offset": 2}).json()
    assert response["count"] == 5
    assert [item["name"] for item in response["items"]] == ["Werkgroep 2", "Werkgroep 3"]
