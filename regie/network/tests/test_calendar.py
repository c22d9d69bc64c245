"""The personal calendar feed: whose meetings it lists, what it tells, and its secret address."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from regie.accounts.tests.factories import UserFactory
from regie.network.calendar import (
    calendar_bytes,
    calendar_feed_renew,
    meeting_event,
    my_meetings,
    organizer_address,
)
from regie.network.models import CalendarFeed, MeetingFormat, MeetingStatus
from regie.network.tests.factories import (
    AttendanceFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
)
from regie.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=n)).replace(second=0, microsecond=0)


def meeting_at(body, n: int, title: str, **fields):
    return MeetingFactory.create(
        body=body, title=title, start=days(n), end=days(n) + datetime.timedelta(hours=2), **fields
    )


@pytest.fixture
def ann(home_region, partner):
    partner.person = PersonFactory.create(
        region=home_region, first_name="Ann", last_name="Vermeulen", email="ann@example.org"
    )
    partner.save()
    return partner


@pytest.fixture
def world(home_region, other_region, ann):
    az = BodyFactory.create(region=home_region, name="AZ-fabriek")
    lde = BodyFactory.create(region=home_region, name="LDE-fabriek")
    foreign = BodyFactory.create(region=other_region, name="Elders")
    MembershipFactory.create(body=az, person=ann.person, organisation=None)
    MembershipFactory.create(
        body=lde,
        person=ann.person,
        organisation=None,
        end=timezone.localdate() - datetime.timedelta(days=200),
    )
    guest_meeting = meeting_at(foreign, 3, "Kabinet Werk (als gast)")
    AttendanceFactory.create(meeting=guest_meeting, person=ann.person)
    return {
        "upcoming": meeting_at(az, 7, "AZ-fabriek januari"),
        "recent": meeting_at(az, -30, "AZ-fabriek vorige maand"),
        "old": meeting_at(az, -120, "AZ-fabriek lang geleden"),
        "cancelled": meeting_at(
            az, 14, "AZ-fabriek geschrapt", status=MeetingStatus.CANCELLED, status_reason="Corona"
        ),
        "guest": guest_meeting,
        "not_member_any_more": meeting_at(lde, 10, "LDE-fabriek zonder Ann"),
        "foreign": meeting_at(foreign, 5, "Andere regio"),
    }


def feed_of(client, user) -> tuple[str, icalendar.Calendar]:
    feed = calendar_feed_renew(user=user)
    url = reverse("events:calendar_feed", args=[feed.token])
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return url, icalendar.Calendar.from_ical(response.content)


def titles(calendar: icalendar.Calendar) -> set[str]:
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


def test_my_meetings_are_those_i_am_invited_to_or_member_of(ann, world):
    assert set(my_meetings(user=ann)) == {
        world["upcoming"],
        world["recent"],
        world["old"],
        world["cancelled"],
        world["guest"],
    }


def test_a_coordinator_has_every_meeting_of_the_region(coordinator, world):
    mine = set(my_meetings(user=coordinator))
    assert world["not_member_any_more"] in mine
    assert world["foreign"] not in mine
    assert world["guest"] not in mine


def test_the_feed_lists_the_last_90_days_and_everything_ahead(client, ann, world):
    _url, calendar = feed_of(client, ann)

    assert titles(calendar) == {
        "AZ-fabriek januari",
        "AZ-fabriek vorige maand",
        "AZ-fabriek geschrapt",
        "Kabinet Werk (als gast)",
    }
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert events["AZ-fabriek geschrapt"]["STATUS"] == "CANCELLED"
    assert events["AZ-fabriek januari"]["STATUS"] == "CONFIRMED"
    upcoming = world["upcoming"]
    assert str(events["AZ-fabriek januari"]["UID"]) == f"{upcoming.uid}@regie"
    assert events["AZ-fabriek januari"].decoded("DTSTART") == upcoming.start


def test_the_feed_tells_no_more_than_title_time_place_and_link(client, ann, world):
    meeting = world["upcoming"]
    meeting.format, meeting.video_url = MeetingFormat.HYBRID, "https://meet.example.org/az"
    meeting.save()
    AttendanceFactory.create(meeting=meeting)  # somebody else, with a name and an address

    _url, calendar = feed_of(client, ann)

    event = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == meeting.title)
    assert str(event["LOCATION"]) == meeting.location
    assert str(event["URL"]) == "https://meet.example.org/az"
    allowed = {"UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "URL"}
    allowed |= {"DESCRIPTION", "STATUS"}
    for vevent in calendar.walk("VEVENT"):
        assert set(vevent.keys()) <= allowed
    ics = calendar.to_ical().decode()
    assert "@example.org" not in ics.replace("meet.example.org", "")
    assert "Vermeulen" not in ics


def test_the_feed_is_published_without_attendees(client, ann, world):
    _url, calendar = feed_of(client, ann)

    assert calendar["METHOD"] == "PUBLISH"
    assert calendar.walk("VEVENT")
    assert all("ATTENDEE" not in event for event in calendar.walk("VEVENT"))


def test_a_published_calendar_names_no_attendee_a_request_does(world):
    meeting = world["upcoming"]
    event = meeting_event(meeting, organizer=organizer_address(), attendee="ann@example.org")

    published = icalendar.Calendar.from_ical(calendar_bytes([event], method="PUBLISH"))
    request = icalendar.Calendar.from_ical(calendar_bytes([event], method="REQUEST"))

    (published_event,) = published.walk("VEVENT")
    assert "ATTENDEE" not in published_event
    assert str(published_event["ORGANIZER"]).startswith("mailto:")
    (request_event,) = request.walk("VEVENT")
    assert str(request_event["ATTENDEE"]) == "mailto:ann@example.org"


def test_another_users_meetings_never_appear(client, ann, world, home_region):
    stranger = UserFactory.create(
        username="stranger", role="partner", organisation=ann.organisation
    )
    stranger.person = PersonFactory.create(region=home_region)
    stranger.save()
    meeting_at(world["upcoming"].body, 9, "Alleen voor de vreemde")
    AttendanceFactory.create(
        meeting=meeting_at(BodyFactory.create(region=home_region), 4, "Vreemde zijn overleg"),
        person=stranger.person,
    )

    _url, calendar = feed_of(client, stranger)
    assert titles(calendar) == {"Vreemde zijn overleg"}
    _url, calendar = feed_of(client, ann)
    assert "Vreemde zijn overleg" not in titles(calendar)


def test_renewing_kills_the_old_address(client, ann, world):
    old_url, _calendar = feed_of(client, ann)
    new_url, _calendar = feed_of(client, ann)

    assert old_url != new_url
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200


def test_the_token_cannot_be_guessed(ann, partner, coordinator):
    tokens = {calendar_feed_renew(user=user).token for user in (ann, coordinator)}
    tokens.add(calendar_feed_renew(user=ann).token)
    assert len(tokens) == 3
    assert all(len(token) >= 32 for token in tokens)  # 192 random bits


def test_unknown_or_disabled_feeds_answer_404(client, ann, world):
    assert client.get(reverse("events:calendar_feed", args=["nope"])).status_code == 404
    url, _calendar = feed_of(client, ann)
    ann.is_active = False
    ann.save()
    assert client.get(url).status_code == 404


def test_the_calendar_page_creates_renews_and_stops_the_feed(client, ann, world):
    client.force_login(ann)
    page = reverse("events:calendar")

    first = client.get(page)
    assert first.status_code == 200
    assert first.context["feed"] is None
    assert "AZ-fabriek januari" in first.text

    client.post(reverse("events:calendar_renew"))
    token = CalendarFeed.objects.get(user=ann).token
    assert token in client.get(page).text

    client.post(reverse("events:calendar_renew"))
    renewed = CalendarFeed.objects.get(user=ann).token
    assert renewed != token
    assert token not in client.get(page).text

    client.post(reverse("events:calendar_delete"))
    assert not CalendarFeed.objects.filter(user=ann).exists()
    assert client.get(reverse("events:calendar_feed", args=[renewed])).status_code == 404


def test_renewing_needs_a_post(client, ann):
    client.force_login(ann)
    assert client.get(reverse("events:calendar_renew")).status_code == 405
    assert not CalendarFeed.objects.exists()
