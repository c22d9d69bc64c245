"""The meeting pages: schedule, edit, status, agenda and attendance, with bad input for each."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.network.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
)
from regie.network.tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    BodyFactory,
    FollowUpFactory,
    MeetingFactory,
    MembershipFactory,
    at,
)
from regie.tests.browser.conftest import nl

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def body(home_region, partner_organisation):
    body = BodyFactory.create(region=home_region, name="Actiegroep")
    MembershipFactory.create(body=body, organisation=partner_organisation)
    return body


@pytest.fixture
def meeting(body):
    return MeetingFactory.create(
        body=body,
        title="Actiegroep april",
        start=at(2099, 4, 2, 9),
        end=at(2099, 4, 2, 11),
        format="digital",
        location="",
        video_url="https://meet.example.org/actiegroep",
    )


def schedule_data(**fields: str) -> dict[str, str]:
    return {
        "title": "Actiegroep mei",
        "start": "2099-05-14T09:30",
        "end": "2099-05-14T11:30",
        "format": "digital",
        "location": "",
        "video_url": "https://meet.example.org/actiegroep",
        "agenda": "Welkom\nCorona op de werkvloer | Hanne\n\n",
        **fields,
    }


def test_schedule_a_digital_meeting_with_an_agenda(client, coordinator, body):
    client.force_login(coordinator)
    response = client.post(reverse("network:meeting_create", args=[body.pk]), schedule_data())
    meeting = Meeting.objects.get(title="Actiegroep mei")
    assert response.url == reverse("network:meeting_detail", args=[meeting.pk])
    assert timezone.localtime(meeting.start).hour == 9
    assert [(i.title, i.presenter) for i in meeting.agenda_items.all()] == [
        ("Welkom", ""),
        ("Corona op de werkvloer", "Hanne"),
    ]
    assert meeting.attendances.count() == 1

    page = client.get(response.url)
    assert "Corona op de werkvloer" in page.text
    assert "https://meet.example.org/actiegroep" in page.text


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"end": "2099-05-14T08:00"}, "end"),
        ({"video_url": ""}, "video_url"),
        ({"video_url": "geen link"}, "video_url"),
        ({"format": "physical", "video_url": ""}, "location"),
        ({"format": "hybrid", "location": "Kortrijk", "video_url": ""}, "video_url"),
        ({"start": "morgen"}, "start"),
        ({"title": ""}, "title"),
    ],
)
def test_schedule_refuses_bad_input_beside_the_field(client, coordinator, body, fields, field):
    client.force_login(coordinator)
    response = client.post(
        reverse("network:meeting_create", args=[body.pk]), schedule_data(**fields)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in response.text
    assert not Meeting.objects.exists()


def test_an_overlap_warns_and_the_user_confirms(client, coordinator, body):
    MeetingFactory.create(
        body=body, title="Al gepland", start=at(2099, 5, 14, 10), end=at(2099, 5, 14, 12)
    )
    client.force_login(coordinator)
    url = reverse("network:meeting_create", args=[body.pk])

    warned = client.post(url, schedule_data())
    assert warned.status_code == 200
    assert 'data-testid="overlap-warning"' in warned.text
    assert "Al gepland" in warned.text
    assert "confirm_overlap" in warned.context["form"].fields
    assert not Meeting.objects.filter(title="Actiegroep mei").exists()

    confirmed = client.post(url, schedule_data(confirm_overlap="on"))
    assert Meeting.objects.filter(title="Actiegroep mei").count() == 1
    assert confirmed.status_code == 302
    assert "Al gepland" in client.get(confirmed.url).text  # the page keeps warning


def test_other_bodies_do_not_count_as_overlap(client, coordinator, body, home_region):
    other = BodyFactory.create(region=home_region)
    MeetingFactory.create(body=other, start=at(2099, 5, 14, 10), end=at(2099, 5, 14, 12))
    client.force_login(coordinator)
    response = client.post(reverse("network:meeting_create", args=[body.pk]), schedule_data())
    meeting = Meeting.objects.get(body=body)
    assert meeting.title == "Actiegroep mei"
    assert response.url == reverse("network:meeting_detail", args=[meeting.pk])
    page = client.get(response.url).text
    assert "Actiegroep mei" in page
    assert 'data-testid="overlap-warning"' not in page


def test_edit_a_meeting_and_refuse_a_stale_or_bad_edit(client, coordinator, meeting):
    client.force_login(coordinator)
    url = reverse("network:meeting_edit", args=[meeting.pk])
    data = {
        "title": "Actiegroep april",
        "start": "2099-04-02T10:00",
        "end": "2099-04-02T12:00",
        "format": "hybrid",
        "location": "",
        "video_url": "https://meet.example.org/actiegroep",
        "version": 1,
    }
    response = client.post(url, data)
    assert response.context["form"].errors["location"]

    client.post(url, {**data, "location": "Welzijn13, Kortrijk"})
    meeting.refresh_from_db()
    assert (meeting.format, meeting.sequence, meeting.version) == ("hybrid", 1, 2)

    stale = client.post(url, {**data, "location": "Elders", "title": "Oud"})
    assert stale.context["stale"] is not None
    meeting.refresh_from_db()
    assert meeting.title == "Actiegroep april"


def test_confirm_and_mark_as_held(client, coordinator, body):
    meeting = MeetingFactory.create(body=body, start=timezone.now() - datetime.timedelta(hours=3))
    client.force_login(coordinator)
    url = reverse("network:meeting_status", args=[meeting.pk])
    client.post(url, {"status": "confirmed"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONFIRMED
    client.post(url, {"status": "cancelled"})  # cancelling has its own page, with the reason
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONFIRMED
    client.post(url, {"status": "held"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    response = client.post(url, {"status": "confirmed"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"


def test_cancel_needs_a_reason(client, coordinator, meeting):
    client.force_login(coordinator)
    url = reverse("network:meeting_cancel", args=[meeting.pk])
    assert client.post(url, {"status_reason": ""}).context["form"].errors["status_reason"]
    client.post(url, {"status_reason": "Lockdown"})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.status_reason) == (MeetingStatus.CANCELLED, "Lockdown")
    assert "Lockdown" in client.get(reverse("network:meeting_detail", args=[meeting.pk])).text


def test_postpone_asks_a_valid_new_date_and_links_the_meetings(client, coordinator, meeting):
    AgendaItemFactory.create(meeting=meeting, title="Corona", is_standing=True)
    client.force_login(coordinator)
    url = reverse("network:meeting_postpone", args=[meeting.pk])
    assert client.get(url).status_code == 200

    bad = client.post(url, {"start": "2099-04-09T11:00", "end": "2099-04-09T10:00"})
    assert bad.context["form"].errors["end"]
    assert Meeting.objects.count() == 1

    response = client.post(url, {"start": "2099-04-09T09:00", "end": "2099-04-09T11:00"})
    new = Meeting.objects.exclude(pk=meeting.pk).get()
    meeting.refresh_from_db()
    assert response.url == reverse("network:meeting_detail", args=[new.pk])
    assert meeting.postponed_to == new
    assert new.agenda_items.get().title == "Corona"
    old_page = client.get(reverse("network:meeting_detail", args=[meeting.pk])).text
    assert reverse("network:meeting_detail", args=[new.pk]) in old_page


# Agenda


def test_add_an_agenda_item_with_htmx_and_without(client, coordinator, meeting):
    client.force_login(coordinator)
    url = reverse("network:agenda_item_create", args=[meeting.pk])

    response = client.post(url, {"agenda-title": "Welkom", "agenda-version": 1}, headers=HTMX)
    assert response.text.lstrip().startswith('<section id="agenda"')
    assert "Welkom" in response.text

    bad = client.post(url, {"agenda-title": "", "agenda-version": 1}, headers=HTMX)
    assert 'id="id_agenda-title_error"' in bad.text
    bad = client.post(url, {"agenda-title": "", "agenda-version": 1})
    assert bad.context["form"].errors["title"]

    client.post(url, {"agenda-title": "Varia", "agenda-is_standing": "on", "agenda-version": 1})
    assert [(i.position, i.title, i.is_standing) for i in meeting.agenda_items.all()] == [
        (1, "Welkom", False),
        (2, "Varia", True),
    ]


def test_a_standing_item_carried_over_is_not_added_again(client, coordinator, body, meeting):
    earlier = MeetingFactory.create(body=body, start=at(2099, 3, 5, 9), end=at(2099, 3, 5, 11))
    standing = AgendaItemFactory.create(meeting=earlier, title="Rondvraag", is_standing=True)
    AgendaItemFactory.create(
        meeting=meeting, position=1, title="Rondvraag", is_standing=True, carried_from=standing
    )
    client.force_login(coordinator)
    url = reverse("network:agenda_item_create", args=[meeting.pk])

    refused = client.post(url, {"agenda-title": "rondvraag", "agenda-version": 1}, headers=HTMX)

    assert 'id="id_agenda-title_error"' in refused.text
    assert nl("This item is already on the agenda: it was carried over as a standing item.") in (
        refused.text.replace("&#x27;", "'")
    )
    assert [i.title for i in meeting.agenda_items.all()] == ["Rondvraag"]


def test_edit_move_and_remove_agenda_items(client, coordinator, meeting):
    first = AgendaItemFactory.create(meeting=meeting, position=1, title="Eerste")
    second = AgendaItemFactory.create(meeting=meeting, position=2, title="Tweede")
    client.force_login(coordinator)

    response = client.post(
        reverse("network:agenda_item_move", args=[meeting.pk, second.pk]),
        {"direction": "up"},
        headers=HTMX,
    )
    assert response.text.index("Tweede") < response.text.index("Eerste")
    response = client.post(
        reverse("network:agenda_item_move", args=[meeting.pk, second.pk]),
        {"direction": "sideways"},
        headers=HTMX,
    )
    assert 'role="alert"' in response.text

    edit = reverse("network:agenda_item_edit", args=[meeting.pk, first.pk])
    client.post(
        edit, {"agenda-title": "Eerste punt", "agenda-presenter": "Sarah", "agenda-version": 1}
    )
    first.refresh_from_db()
    assert (first.title, first.presenter) == ("Eerste punt", "Sarah")
    stale = client.post(edit, {"agenda-title": "Oud", "agenda-version": 1})
    assert stale.context["stale"] is not None

    AgendaItem.objects.filter(pk=first.pk).update(minutes="Besproken")
    refused = client.post(
        reverse("network:agenda_item_remove", args=[meeting.pk, first.pk]), headers=HTMX
    )
    assert 'role="alert"' in refused.text
    client.post(reverse("network:agenda_item_remove", args=[meeting.pk, second.pk]))
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Eerste punt"]


def test_open_follow_ups_of_earlier_meetings_are_on_the_agenda(client, coordinator, body, meeting):
    earlier = MeetingFactory.create(body=body, start=at(2099, 1, 10, 9), end=at(2099, 1, 10, 10))
    FollowUpFactory.create(meeting=earlier, title="Lijst van noden bezorgen")
    FollowUpFactory.create(meeting=earlier, title="Afgewerkt punt", status="done")
    client.force_login(coordinator)
    response = client.get(reverse("network:meeting_detail", args=[meeting.pk]))
    assert [f.title for f in response.context["page"].open_follow_ups] == [
        "Lijst van noden bezorgen"
    ]


# Attendance


def test_mark_attendance_inline(client, coordinator, meeting):
    attendance = AttendanceFactory.create(meeting=meeting)
    client.force_login(coordinator)
    url = reverse("network:attendance_mark", args=[meeting.pk, attendance.pk])

    response = client.post(url, {"status": "excused"}, headers=HTMX)
    assert response.text.lstrip().startswith('<section id="attendance"')
    attendance.refresh_from_db()
    assert attendance.status == AttendanceStatus.EXCUSED

    bad = client.post(url, {"status": "maybe"}, headers=HTMX)
    assert f'id="attendance-{attendance.pk}-error"' in bad.text
    attendance.refresh_from_db()
    assert attendance.status == AttendanceStatus.EXCUSED

    assert client.post(url, {"status": "present"}).status_code == 302


def test_add_a_guest_and_refuse_a_bad_e_mail(client, coordinator, meeting):
    client.force_login(coordinator)
    url = reverse("network:attendance_guest", args=[meeting.pk])
    bad = client.post(url, {"guest_name": "Lies", "guest_email": "lies@"})
    assert bad.context["form"].errors["guest_email"]
    assert (
        client.post(url, {"guest_name": "", "guest_email": ""}).context["form"].errors["guest_name"]
    )
    client.post(url, {"guest_name": "Lies Peeters", "guest_email": "lies@example.org"})
    duplicate = client.post(url, {"guest_name": "Lies", "guest_email": "lies@example.org"})
    assert duplicate.context["form"].errors["guest_email"]
    assert Attendance.objects.filter(meeting=meeting, is_guest=True).count() == 1


def test_add_members_who_joined_later(client, coordinator, body, meeting):
    MembershipFactory.create(body=body)
    client.force_login(coordinator)
    client.post(reverse("network:attendance_members", args=[meeting.pk]))
    assert meeting.attendances.count() == 2


def test_a_cancelled_meeting_takes_no_new_members(client, coordinator, body, meeting):
    MembershipFactory.create(body=body)
    meeting.status = MeetingStatus.CANCELLED
    meeting.status_reason = "Lockdown"
    meeting.save()
    client.force_login(coordinator)
    response = client.post(reverse("network:attendance_members", args=[meeting.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not meeting.attendances.exists()


def test_partner_reads_but_does_not_edit(client, partner, meeting):
    attendance = AttendanceFactory.create(meeting=meeting)
    client.force_login(partner)
    page = client.get(reverse("network:meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200
    assert not page.context["can_edit"]
    assert reverse("network:meeting_edit", args=[meeting.pk]) not in page.text
    response = client.post(
        reverse("network:attendance_mark", args=[meeting.pk, attendance.pk]), {"status": "present"}
    )
    assert response.status_code == 404
