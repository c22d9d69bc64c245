"""Networks in a real browser: the coordinator schedules a digital meeting of a body with an
agenda, arranges it, marks attendance and invites the members."""

import re

import pytest
from django.utils.text import capfirst
from playwright.sync_api import Locator, Page, expect

from regie.accounts.models import User
from regie.core.models import OutgoingMail
from regie.network.models import AttendanceStatus, Meeting, MeetingFormat
from regie.network.tests.factories import BodyFactory, MeetingFactory, MembershipFactory, at
from regie.registry.models import Pillar
from regie.registry.tests.factories import OrganisationFactory, PersonFactory
from regie.tests.browser.conftest import AxeCheck, Login, Screenshot, nl

pytestmark = pytest.mark.browser


def field(page: Page, text: str) -> Locator:
    """The input labelled with a model field's (Dutch) verbose name, required mark or not."""
    return page.get_by_label(re.compile(rf"^{re.escape(capfirst(nl(text)))}\s*\*?$"))


@pytest.fixture
def body(home_region, partner_organisation):
    body = BodyFactory.create(
        region=home_region,
        name="AZ-fabriek",
        kind="platform",
        pillar=Pillar.objects.get(code="OD-1"),
    )
    for first_name, last_name in (("Stijn", "Goemaere"), ("Tim", "Seynaeve")):
        person = PersonFactory.create(
            region=home_region,
            first_name=first_name,
            last_name=last_name,
            email=f"{first_name.lower()}@example.org",
        )
        MembershipFactory.create(body=body, person=person, organisation=partner_organisation)
    atelier = OrganisationFactory.create(region=home_region, name="Houtatelier Knoest")
    MembershipFactory.create(body=body, organisation=atelier)
    MeetingFactory.create(
        body=body,
        title="AZ-fabriek",
        start=at(2031, 1, 23, 9, 30),
        end=at(2031, 1, 23, 12),
        location="Welzijn13, Kortrijk",
    ).agenda_items.create(
        position=1, title="Hoe omgaan met corona op de werkvloer?", is_standing=True
    )
    return body


def test_coordinator_schedules_a_digital_meeting_with_an_agenda_and_invites_the_body(
    page: Page,
    coordinator: User,
    body,
    login: Login,
    axe: AxeCheck,
    screenshot: Screenshot,
):
    login(page, coordinator)
    page.get_by_role("button", name=nl("Networks")).click()
    page.get_by_role("link", name=nl("Bodies and meetings")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Networks"))
    axe(page)
    screenshot(page, "network-bodies")

    page.get_by_role("link", name="AZ-fabriek").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("AZ-fabriek")
    axe(page)
    screenshot(page, "network-body")

    page.get_by_role("link", name=nl("Schedule a meeting")).click()
    field(page, "title").fill("AZ-fabriek maart")
    field(page, "start").fill("2031-03-12T09:30")
    field(page, "end").fill("2031-03-12T11:30")
    field(page, "format").select_option(MeetingFormat.DIGITAL)
    video = field(page, "video link")
    video.fill("Teams-vergadering")
    page.get_by_label(nl("Agenda"), exact=True).fill(
        "Welkom en goedkeuring vorig verslag\nThuiswerk voor AZ-medewerkers | Stijn Goemaere"
    )
    page.get_by_role("button", name=nl("Schedule"), exact=True).click()

    expect(video).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_video_url_error")).to_be_visible()
    assert not Meeting.objects.filter(title="AZ-fabriek maart").exists()
    axe(page)
    screenshot(page, "network-schedule")

    video.fill("https://meet.example.org/az-fabriek")
    page.get_by_role("button", name=nl("Schedule"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("AZ-fabriek maart")
    meeting = Meeting.objects.get(title="AZ-fabriek maart")
    agenda = page.get_by_test_id("agenda").get_by_role("listitem")
    expect(agenda).to_have_count(3)
    expect(agenda.nth(0)).to_contain_text("Hoe omgaan met corona op de werkvloer?")  # standing
    expect(agenda.nth(2)).to_contain_text("Stijn Goemaere")
    attendance = page.get_by_test_id("attendance")
    for member in ("Stijn Goemaere", "Tim Seynaeve", "Houtatelier Knoest"):
        expect(attendance).to_contain_text(member)
    expect(page.get_by_test_id("video-link")).to_have_attribute(
        "href", "https://meet.example.org/az-fabriek"
    )
    axe(page)

    # Arrange the agenda by keyboard-reachable buttons (htmx swaps the agenda in place).
    page.get_by_role(
        "button", name=nl("Move “%(title)s” up") % {"title": "Welkom en goedkeuring vorig verslag"}
    ).click()
    expect(agenda.nth(0)).to_contain_text("Welkom en goedkeuring vorig verslag")
    page.get_by_text(nl("Add an agenda item")).click()
    field(page, "title").fill("Varia")
    page.get_by_role("button", name=nl("Add to the agenda")).click()
    expect(agenda).to_have_count(4)
    assert list(meeting.agenda_items.values_list("title", flat=True)) == [
        "Welkom en goedkeuring vorig verslag",
        "Hoe omgaan met corona op de werkvloer?",
        "Thuiswerk voor AZ-medewerkers",
        "Varia",
    ]

    tim = meeting.attendances.get(person__first_name="Tim")
    page.get_by_label(nl("Attendance of %(name)s") % {"name": "Tim Seynaeve"}).select_option(
        AttendanceStatus.EXCUSED
    )
    expect(page.get_by_test_id("attendance-counts")).to_contain_text(
        f"{AttendanceStatus.EXCUSED.label}: 1".replace(
            str(AttendanceStatus.EXCUSED.label), nl(str(AttendanceStatus.EXCUSED.label))
        )
    )
    tim.refresh_from_db()
    assert tim.status == AttendanceStatus.EXCUSED
    axe(page)
    page.reload()
    expect(
        page.get_by_label(nl("Attendance of %(name)s") % {"name": "Tim Seynaeve"})
    ).to_have_value(AttendanceStatus.EXCUSED)
    screenshot(page, "network-meeting")

    page.get_by_role("link", name=nl("Invitations"), exact=True).click()
    page.get_by_role("button", name=nl("Invite"), exact=True).click()
    expect(page.get_by_test_id("invited-at")).to_be_visible()
    axe(page)
    invited = OutgoingMail.objects.filter(about=f"network.meeting:{meeting.pk}")
    assert sorted(mail.to[0] for mail in invited) == ["stijn@example.org", "tim@example.org"]
