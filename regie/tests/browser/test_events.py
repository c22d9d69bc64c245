"""Events and invitations in a real browser: registering for the Trefdag until the waiting list
takes over, a cancellation that promotes the first waiting person, and the coordinator who
invites a body to a meeting."""

import base64
import datetime
import re
from urllib.parse import urlsplit

import icalendar
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from regie.accounts.models import User
from regie.core.models import OutgoingMail
from regie.events.models import Registration, RegistrationStatus
from regie.events.tests.factories import event_for
from regie.network.models import MeetingFormat
from regie.network.tests.factories import AttendanceFactory, BodyFactory, MeetingFactory
from regie.registry.tests.factories import PersonFactory
from regie.tests.browser.conftest import AxeCheck, Login, Screenshot, nl

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def trefdag(home_region):
    return event_for(
        home_region,
        title="Trefdag voor toeleiders 2020",
        capacity=2,
        hour=9,
        location="Hangar K, Kortrijk",
        public_description="Een dag voor de toeleiders van OCMW en VDAB.",
    )


def register(page: Page, first_name: str, last_name: str, stakeholder: str) -> None:
    page.get_by_label(nl("First name")).fill(first_name)
    page.get_by_label(nl("Last name")).fill(last_name)
    page.get_by_label(nl("E-mail"), exact=False).first.fill(f"{first_name.lower()}@example.org")
    page.get_by_label(nl("Organisation")).fill("OCMW Kortrijk")
    page.get_by_label(nl("You are")).select_option(stakeholder)
    page.get_by_role("button", name=nl("Register")).click()


def cancel_link(address: str) -> str:
    """The cancel link of the confirmation mail, as a path on the live server."""
    mail = OutgoingMail.objects.filter(to=[address]).earliest("created_at")
    link = re.search(r"https?://\S+/cancel/\S+/", mail.body)
    assert link, mail.body
    return urlsplit(link.group(0)).path


def test_visitors_fill_the_trefdag_and_a_cancellation_promotes_the_first_waiting(
    page: Page,
    trefdag,
    coordinator: User,
    login: Login,
    axe: AxeCheck,
    screenshot: Screenshot,
):
    page.emulate_media(reduced_motion="reduce")  # no button transitions half-way during axe
    event_page = reverse("events:event_detail", args=[trefdag.event.registration_token])
    page.goto(event_page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Trefdag voor toeleiders 2020")
    expect(page.get_by_test_id("seats-left")).to_contain_text("2")
    axe(page)
    screenshot(page, "event-registration")

    register(page, "Ann", "Claes", "ocmw")
    expect(page.get_by_test_id("registration-status")).to_contain_text(nl("You are registered"))
    axe(page)

    page.goto(event_page)
    register(page, "Bart", "Desmet", "vdab")
    expect(page.get_by_test_id("registration-status")).to_contain_text(nl("You are registered"))

    page.goto(event_page)
    expect(page.get_by_test_id("seats-left")).to_have_text(
        nl(
            "This event is full. You can still register: you will be put on the waiting list "
            "and get a mail as soon as a seat becomes free."
        )
    )
    register(page, "Cas", "Vermeulen", "vdab")
    expect(page.get_by_test_id("registration-status")).to_contain_text(
        nl("You are on the waiting list")
    )
    screenshot(page, "event-waiting-list")
    axe(page)

    page.goto(event_page)
    register(page, "Dirk", "Wouters", "ocmw")
    expect(page.get_by_test_id("registration-status")).to_contain_text(
        nl("You are on the waiting list")
    )

    # Ann cannot come: the link in her confirmation mail asks first, then cancels.
    page.goto(cancel_link("ann@example.org"))
    axe(page)
    assert Registration.objects.get(email="ann@example.org").status == RegistrationStatus.REGISTERED
    page.get_by_role("button", name=nl("Yes, cancel my registration")).click()
    expect(page.get_by_test_id("cancel-status")).to_be_visible()
    axe(page)

    statuses = dict(Registration.objects.values_list("first_name", "status"))
    assert statuses == {
        "Ann": RegistrationStatus.CANCELLED,
        "Bart": RegistrationStatus.REGISTERED,
        "Cas": RegistrationStatus.REGISTERED,  # the first on the waiting list
        "Dirk": RegistrationStatus.WAITING,
    }
    promotion = OutgoingMail.objects.filter(to=["cas@example.org"]).latest("created_at")
    assert promotion.subject == nl("A seat has become free for you: %(title)s") % {
        "title": trefdag.title
    }

    # The coordinator sees the counts and checks Cas in at the door.
    login(page, coordinator)
    page.goto(reverse("events:registration_manage", args=[trefdag.pk]))
    expect(page.get_by_test_id("total-registered")).to_have_text("2")
    expect(page.get_by_test_id("total-waiting")).to_have_text("1")
    axe(page)
    screenshot(page, "event-registrations")

    page.get_by_role("link", name=nl("Check-in")).click()
    page.wait_for_url("**/check-in/")  # loaded, htmx included
    page.get_by_label(nl("Search by name")).fill("verm")
    row = page.locator("li", has_text="Vermeulen, Cas")
    expect(row).to_be_visible()
    expect(page.locator("li", has_text="Desmet, Bart")).to_have_count(0)
    row.get_by_role("button", name=nl("Check in")).click()
    expect(row.get_by_role("button", name=nl("Undo"))).to_be_visible()
    expect(page.get_by_test_id("checkin-count")).to_contain_text("1")
    axe(page)
    screenshot(page, "event-checkin")
    assert Registration.objects.get(first_name="Cas").checked_in_at is not None


def test_the_coordinator_invites_the_attendees_with_a_calendar_file(
    page: Page,
    home_region,
    coordinator: User,
    login: Login,
    axe: AxeCheck,
    screenshot: Screenshot,
):
    start = (timezone.now() + datetime.timedelta(days=7)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    meeting = MeetingFactory.create(
        body=BodyFactory.create(region=home_region, name="Lerend Netwerk Trajectbegeleiders"),
        title="Lerend Netwerk: digitaal begeleiden",
        start=start,
        end=start + datetime.timedelta(hours=2),
        format=MeetingFormat.DIGITAL,
        location="",
        video_url="https://meet.example.org/lerend-netwerk",
    )
    for first_name in ("Els", "Wim"):
        person = PersonFactory.create(
            region=home_region, first_name=first_name, email=f"{first_name.lower()}@example.org"
        )
        AttendanceFactory.create(meeting=meeting, person=person)

    login(page, coordinator)
    page.goto(reverse("events:meeting_invitations", args=[meeting.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(meeting.title)
    axe(page)
    page.get_by_role("button", name=nl("Invite"), exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("2")
    expect(page.get_by_test_id("invited-at")).to_be_visible()
    axe(page)
    screenshot(page, "meeting-invitations")

    mails = OutgoingMail.objects.filter(about=f"network.meeting:{meeting.pk}")
    assert sorted(m.to[0] for m in mails) == ["els@example.org", "wim@example.org"]
    for mail in mails:
        (attachment,) = mail.attachments
        calendar = icalendar.Calendar.from_ical(base64.b64decode(attachment["content"]))
        (event,) = calendar.walk("VEVENT")
        assert calendar["METHOD"] == "REQUEST"
        assert str(event["UID"]) == f"{meeting.uid}@regie"
        assert str(event["LOCATION"]) == "https://meet.example.org/lerend-netwerk"
        assert event.decoded("DTSTART") == start

    page.goto(reverse("events:calendar"))
    page.get_by_role("button", name=nl("Create my calendar address")).click()
    expect(page.get_by_test_id("feed-url")).to_have_value(re.compile(r"/calendar/.+\.ics$"))
    axe(page)
    screenshot(page, "my-calendar")
