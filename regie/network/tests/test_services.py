"""Network services: bodies, meetings and their agenda, attendance, minutes, follow-ups."""

import datetime
import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from regie.core.errors import DomainError, StaleEditError
from regie.core.models import AuditEntry, OutgoingMail
from regie.network import invitations, services
from regie.network.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    BodyStatus,
    FollowUpStatus,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    MemberRole,
    MinutesAddendum,
    MinutesStatus,
)
from regie.network.services import NewAgendaItem
from regie.network.tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    BodyFactory,
    FollowUpFactory,
    MeetingFactory,
    MembershipFactory,
    at,
)
from regie.registry.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooks(monkeypatch) -> list[tuple[str, Any, list[str]]]:
    """The calls the services make to the invitations hooks, in order."""
    calls: list[tuple[str, Any, list[str]]] = []
    monkeypatch.setattr(
        invitations,
        "meeting_scheduled",
        lambda *, meeting, actor: calls.append(("scheduled", meeting, [])),
    )
    monkeypatch.setattr(
        invitations,
        "meeting_changed",
        lambda *, meeting, actor, changes: calls.append(("changed", meeting, list(changes))),
    )
    return calls


@pytest.fixture
def body(home_region):
    return BodyFactory.create(region=home_region, name="AZ-fabriek")


def schedule(body, coordinator, **fields: Any) -> Meeting:
    values: dict[str, Any] = {
        "title": "AZ-fabriek",
        "start": at(2030, 3, 12, 9, 30),
        "end": at(2030, 3, 12, 12, 0),
        "format": MeetingFormat.DIGITAL,
        "video_url": "https://meet.example.org/az-fabriek",
        **fields,
    }
    return services.meeting_schedule(actor=coordinator, body=body, **values)


# Bodies


def test_body_names_are_unique_in_a_region(coordinator, home_region, body):
    with pytest.raises(DomainError) as error:
        services.body_create(
            actor=coordinator, region=home_region, name="az-fabriek", kind="platform"
        )
    assert "name" in error.value.message_dict


def test_putting_a_body_on_hold_needs_a_reason_and_a_date(coordinator, body):
    with pytest.raises(DomainError) as error:
        services.body_status_change(
            actor=coordinator, body=body, expected_version=1, status=BodyStatus.ON_HOLD
        )
    assert set(error.value.message_dict) == {"status_reason", "status_date"}

    body = services.body_status_change(
        actor=coordinator,
        body=body,
        expected_version=1,
        status=BodyStatus.ON_HOLD,
        reason="Corona",
        since=datetime.date(2020, 3, 16),
    )
    assert (body.status, body.status_reason, body.status_date) == (
        BodyStatus.ON_HOLD,
        "Corona",
        datetime.date(2020, 3, 16),
    )
    assert AuditEntry.objects.filter(action="body.status").exists()


def test_a_stale_status_change_is_refused(coordinator, body):
    services.body_update(actor=coordinator, body=body, expected_version=1, description="x")
    with pytest.raises(StaleEditError):
        services.body_status_change(
            actor=coordinator, body=body, expected_version=1, status=BodyStatus.ENDED
        )


def test_an_ended_body_holds_no_more_meetings(coordinator, body):
    services.body_status_change(
        actor=coordinator, body=body, expected_version=1, status=BodyStatus.ENDED
    )
    body.refresh_from_db()
    with pytest.raises(DomainError):
        schedule(body, coordinator)


def test_membership_needs_a_member_of_the_region(coordinator, body, other_region):
    with pytest.raises(DomainError) as error:
        services.membership_create(actor=coordinator, body=body, role=MemberRole.MEMBER)
    assert "organisation" in error.value.message_dict

    foreign = OrganisationFactory.create(region=other_region)
    with pytest.raises(DomainError) as error:
        services.membership_create(actor=coordinator, body=body, organisation=foreign)
    assert "organisation" in error.value.message_dict


def test_a_member_sits_once_and_a_membership_ends_after_it_starts(
    coordinator, body, partner_organisation
):
    membership = services.membership_create(
        actor=coordinator,
        body=body,
        organisation=partner_organisation,
        role=MemberRole.CHAIR,
        start=datetime.date(2020, 1, 1),
    )
    with pytest.raises(DomainError):
        services.membership_create(actor=coordinator, body=body, organisation=partner_organisation)
    with pytest.raises(DomainError) as error:
        services.membership_end(
            actor=coordinator, membership=membership, end=datetime.date(2019, 12, 31)
        )
    assert "end" in error.value.message_dict

    services.membership_end(
        actor=coordinator, membership=membership, end=datetime.date(2020, 6, 30)
    )
    membership.refresh_from_db()
    assert membership.end == datetime.date(2020, 6, 30)
    # Once ended, the organisation may join again.
    services.membership_create(actor=coordinator, body=body, organisation=partner_organisation)


# Scheduling


def test_scheduling_invites_the_members_and_calls_the_hook(
    coordinator, body, home_region, partner_organisation, hooks
):
    person = PersonFactory.create(region=home_region)
    MembershipFactory.create(body=body, person=person, organisation=partner_organisation)
    MembershipFactory.create(body=body, organisation=partner_organisation)  # without a person
    other = MembershipFactory.create(body=body)
    MembershipFactory.create(body=body, end=datetime.date(2020, 1, 1))  # ended long ago

    meeting = schedule(
        body,
        coordinator,
        agenda=[NewAgendaItem("Welkom"), NewAgendaItem("Stand van zaken", presenter="Hanne")],
    )

    attendances = list(meeting.attendances.all())
    assert {(a.person_id, a.organisation_id) for a in attendances} == {
        (person.pk, partner_organisation.pk),
        (None, partner_organisation.pk),
        (None, other.organisation_id),
    }
    assert all(a.status == AttendanceStatus.INVITED for a in attendances)
    assert [(i.position, i.title, i.presenter) for i in meeting.agenda_items.all()] == [
        (1, "Welkom", ""),
        (2, "Stand van zaken", "Hanne"),
    ]
    assert hooks == [("scheduled", meeting, [])]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"end": at(2030, 3, 12, 9, 0)}, "end"),
        ({"video_url": ""}, "video_url"),
        ({"video_url": "meet.example.org/az"}, "video_url"),
        ({"video_url": "ftp://meet.example.org/az"}, "video_url"),
        ({"format": MeetingFormat.PHYSICAL, "video_url": ""}, "location"),
        ({"format": MeetingFormat.HYBRID, "location": "Kortrijk", "video_url": ""}, "video_url"),
    ],
)
def test_scheduling_refuses_bad_input_naming_the_field(coordinator, body, hooks, fields, field):
    with pytest.raises(ValidationError) as error:
        schedule(body, coordinator, **fields)
    assert field in error.value.message_dict
    assert not Meeting.objects.exists()
    assert hooks == []


def test_standing_items_carry_over_from_the_previous_meeting(coordinator, body):
    first = schedule(
        body,
        coordinator,
        start=at(2030, 3, 12, 9),
        end=at(2030, 3, 12, 11),
        agenda=[
            NewAgendaItem("Hoe omgaan met corona op de werkvloer?", is_standing=True),
            NewAgendaItem("Eenmalig punt"),
        ],
    )
    cancelled = schedule(body, coordinator, start=at(2030, 4, 2, 9), end=at(2030, 4, 2, 11))
    services.meeting_status_change(
        actor=coordinator, meeting=cancelled, status=MeetingStatus.CANCELLED, reason="Lockdown"
    )

    second = schedule(
        body,
        coordinator,
        start=at(2030, 5, 14, 9),
        end=at(2030, 5, 14, 11),
        agenda=[NewAgendaItem("Nieuw punt")],
    )

    items = list(second.agenda_items.all())
    assert [i.title for i in items] == ["Hoe omgaan met corona op de werkvloer?", "Nieuw punt"]
    assert items[0].is_standing
    assert items[0].carried_from == first.agenda_items.get(position=1)


def test_a_standing_item_carried_over_is_not_added_twice(coordinator, body):
    schedule(
        body,
        coordinator,
        start=at(2030, 3, 12, 9),
        end=at(2030, 3, 12, 11),
        agenda=[NewAgendaItem("Rondvraag", is_standing=True)],
    )

    second = schedule(
        body,
        coordinator,
        start=at(2030, 5, 14, 9),
        end=at(2030, 5, 14, 11),
        agenda=[NewAgendaItem("Welkom"), NewAgendaItem(" rondvraag "), NewAgendaItem("Welkom")],
    )

    items = list(second.agenda_items.all())
    assert [(i.position, i.title, i.is_standing) for i in items] == [
        (1, "Rondvraag", True),
        (2, "Welkom", False),
    ]
    with pytest.raises(DomainError) as error:
        services.agenda_item_add(actor=coordinator, meeting=second, title="RONDVRAAG")
    assert "title" in error.value.message_dict
    assert second.agenda_items.count() == 2
    services.agenda_item_add(actor=coordinator, meeting=second, title="Varia")
    assert second.agenda_items.count() == 3


def test_open_follow_ups_are_on_the_next_agenda_until_done(coordinator, body):
    from regie.network.selectors import open_follow_ups_before

    first = schedule(body, coordinator, start=at(2030, 3, 12, 9), end=at(2030, 3, 12, 11))
    follow_up = services.follow_up_create(
        actor=coordinator, meeting=first, title="Draaiboek thuiswerk delen"
    )
    second = schedule(body, coordinator, start=at(2030, 5, 14, 9), end=at(2030, 5, 14, 11))
    assert list(open_follow_ups_before(second)) == [follow_up]
    assert list(open_follow_ups_before(first)) == []  # not on the agenda of its own meeting

    follow_up = services.follow_up_status_change(
        actor=coordinator,
        follow_up=follow_up,
        status=FollowUpStatus.IN_PROGRESS,
        expected_version=1,
    )
    assert list(open_follow_ups_before(second)) == [follow_up]

    follow_up = services.follow_up_status_change(
        actor=coordinator, follow_up=follow_up, status=FollowUpStatus.DONE, expected_version=2
    )
    assert follow_up.done_at is not None
    assert list(open_follow_ups_before(second)) == []
    assert not second.agenda_items.exists()  # computed, never copied


# Changes and status


def test_a_calendar_change_raises_the_sequence_and_tells_the_hook(coordinator, body, hooks):
    meeting = schedule(body, coordinator)
    hooks.clear()

    meeting = services.meeting_update(
        actor=coordinator,
        meeting=meeting,
        expected_version=1,
        start=at(2030, 3, 12, 10),
        end=at(2030, 3, 12, 12),
        location="",
    )

    assert meeting.sequence == 1
    assert hooks == [("changed", meeting, ["start"])]


def test_a_change_outside_the_calendar_keeps_the_sequence(coordinator, body, hooks):
    meeting = schedule(body, coordinator)
    hooks.clear()
    meeting = services.meeting_update(
        actor=coordinator, meeting=meeting, expected_version=1, start=meeting.start
    )
    assert meeting.sequence == 0
    assert hooks == []


def test_a_stale_meeting_edit_is_refused(coordinator, body, hooks):
    meeting = schedule(body, coordinator)
    services.meeting_update(actor=coordinator, meeting=meeting, expected_version=1, title="A")
    with pytest.raises(StaleEditError):
        services.meeting_update(actor=coordinator, meeting=meeting, expected_version=1, title="B")


def test_confirm_then_held_each_raise_the_sequence(coordinator, body, hooks):
    meeting = MeetingFactory.create(body=body, start=timezone.now() - datetime.timedelta(hours=1))
    meeting = services.meeting_status_change(
        actor=coordinator, meeting=meeting, status=MeetingStatus.CONFIRMED
    )
    meeting = services.meeting_status_change(
        actor=coordinator, meeting=meeting, status=MeetingStatus.HELD
    )
    assert (meeting.status, meeting.sequence) == (MeetingStatus.HELD, 2)
    assert [call[2] for call in hooks] == [["status"], ["status"]]
    with pytest.raises(DomainError):
        services.meeting_status_change(
            actor=coordinator, meeting=meeting, status=MeetingStatus.CONFIRMED
        )


def test_a_future_meeting_cannot_be_marked_as_held(coordinator, body):
    meeting = MeetingFactory.create(body=body)
    with pytest.raises(DomainError) as error:
        services.meeting_status_change(actor=coordinator, meeting=meeting, status="held")
    assert "status" in error.value.message_dict


def test_cancelling_needs_a_reason(coordinator, body, hooks):
    meeting = MeetingFactory.create(body=body)
    with pytest.raises(DomainError) as error:
        services.meeting_status_change(
            actor=coordinator, meeting=meeting, status=MeetingStatus.CANCELLED, reason="  "
        )
    assert "status_reason" in error.value.message_dict
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert hooks == []

    meeting = services.meeting_status_change(
        actor=coordinator, meeting=meeting, status=MeetingStatus.CANCELLED, reason="Lockdown"
    )
    assert (meeting.status, meeting.status_reason, meeting.sequence) == ("cancelled", "Lockdown", 1)
    assert hooks == [("changed", meeting, ["status"])]
    with pytest.raises(DomainError):
        services.meeting_update(actor=coordinator, meeting=meeting, expected_version=2, title="x")


def test_postponing_makes_a_linked_meeting_with_the_agenda_and_invitees(
    coordinator, body, home_region, hooks
):
    meeting = schedule(
        body,
        coordinator,
        agenda=[NewAgendaItem("Corona", is_standing=True), NewAgendaItem("Varia")],
    )
    services.attendance_add_guest(actor=coordinator, meeting=meeting, name="Gast", email="g@x.be")
    hooks.clear()

    new = services.meeting_postpone(
        actor=coordinator,
        meeting=meeting,
        start=at(2030, 3, 19, 9, 30),
        end=at(2030, 3, 19, 12),
        reason="Te weinig aanwezigen",
    )

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.POSTPONED
    assert meeting.postponed_to == new
    assert meeting.sequence == 1
    assert (new.title, new.format, new.video_url) == (
        meeting.title,
        meeting.format,
        meeting.video_url,
    )
    assert [(i.title, i.is_standing) for i in new.agenda_items.all()] == [
        ("Corona", True),
        ("Varia", False),
    ]
    assert new.attendances.get(is_guest=True).guest_email == "g@x.be"
    assert hooks == [("changed", meeting, ["status"]), ("scheduled", new, [])]
    with pytest.raises(DomainError):
        services.meeting_postpone(
            actor=coordinator, meeting=meeting, start=at(2030, 4, 1, 9), end=at(2030, 4, 1, 10)
        )


def test_postponing_needs_a_valid_new_date(coordinator, body):
    meeting = schedule(body, coordinator)
    with pytest.raises(ValidationError) as error:
        services.meeting_postpone(
            actor=coordinator, meeting=meeting, start=at(2030, 4, 1, 10), end=at(2030, 4, 1, 9)
        )
    assert "end" in error.value.message_dict
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert Meeting.objects.count() == 1


# Agenda


def test_agenda_items_move_up_and_down_and_are_removed(coordinator, body):
    meeting = schedule(body, coordinator, agenda=[NewAgendaItem(t) for t in "ABC"])
    c = meeting.agenda_items.get(title="C")

    services.agenda_item_move(actor=coordinator, item=c, direction="up")
    assert [i.title for i in meeting.agenda_items.all()] == ["A", "C", "B"]
    services.agenda_item_move(
        actor=coordinator, item=meeting.agenda_items.get(title="A"), direction="up"
    )
    assert [i.title for i in meeting.agenda_items.all()] == ["A", "C", "B"]

    services.agenda_item_remove(actor=coordinator, item=meeting.agenda_items.get(title="C"))
    assert [(i.position, i.title) for i in meeting.agenda_items.all()] == [(1, "A"), (2, "B")]
    added = services.agenda_item_add(actor=coordinator, meeting=meeting, title="D")
    assert added.position == 3


def test_an_item_with_minutes_is_not_removed(coordinator, body):
    item = AgendaItemFactory.create(meeting__body=body, minutes="Besproken.")
    with pytest.raises(DomainError):
        services.agenda_item_remove(actor=coordinator, item=item)
    assert AgendaItem.objects.filter(pk=item.pk).exists()


# Attendance


def test_guests_and_marking_attendance(coordinator, body):
    meeting = MeetingFactory.create(body=body)
    with pytest.raises(DomainError) as error:
        services.attendance_add_guest(actor=coordinator, meeting=meeting, name=" ")
    assert "guest_name" in error.value.message_dict
    guest = services.attendance_add_guest(
        actor=coordinator, meeting=meeting, name="Lies", email="lies@example.org"
    )
    with pytest.raises(DomainError) as error:
        services.attendance_add_guest(
            actor=coordinator, meeting=meeting, name="Lies", email="LIES@example.org"
        )
    assert "guest_email" in error.value.message_dict

    guest = services.attendance_mark(actor=coordinator, attendance=guest, status="present")
    assert guest.status == AttendanceStatus.PRESENT
    with pytest.raises(DomainError):
        services.attendance_mark(actor=coordinator, attendance=guest, status="maybe")


def test_members_who_joined_later_are_added_once(coordinator, body):
    meeting = schedule(body, coordinator)
    MembershipFactory.create(body=body)
    assert services.attendance_invite_members(actor=coordinator, meeting=meeting) == 1
    assert services.attendance_invite_members(actor=coordinator, meeting=meeting) == 0


# Minutes


@pytest.fixture
def held(body, home_region):
    meeting = MeetingFactory.create(
        body=body,
        start=timezone.now() - datetime.timedelta(days=2),
        end=timezone.now() - datetime.timedelta(days=2) + datetime.timedelta(hours=2),
        status=MeetingStatus.HELD,
    )
    AgendaItemFactory.create(meeting=meeting, position=1, title="Corona op de werkvloer")
    AttendanceFactory.create(meeting=meeting, person__email="lid@example.org")
    Attendance.objects.create(meeting=meeting, guest_name="Gast", is_guest=True)
    return meeting


def texts(meeting: Meeting, text: str) -> dict[int, tuple[str, int]]:
    return {item.pk: (text, item.version) for item in meeting.agenda_items.all()}


def test_minutes_lifecycle_draft_sent_approved_locked(
    coordinator, held, django_capture_on_commit_callbacks
):
    services.minutes_save(
        actor=coordinator, meeting=held, texts=texts(held, "Plexi en alcoholgel.")
    )
    with django_capture_on_commit_callbacks(execute=False):
        held = services.minutes_send(actor=coordinator, meeting=held)
    assert held.minutes_status == MinutesStatus.SENT
    mail = OutgoingMail.objects.get()
    assert mail.to == ["lid@example.org"]
    assert "Plexi en alcoholgel." in mail.body
    assert mail.about == f"network.meeting:{held.pk}"

    with pytest.raises(DomainError):
        services.minutes_lock(actor=coordinator, meeting=held)  # not approved yet
    held = services.minutes_approve(actor=coordinator, meeting=held)
    held = services.minutes_lock(actor=coordinator, meeting=held)
    assert held.minutes_locked


def test_draft_minutes_go_out_one_mail_per_recipient(coordinator, held, home_region):
    coordinator.email = "regisseur@example.org"
    coordinator.save()
    organisation = OrganisationFactory.create(region=home_region, email="info@example.org")
    AttendanceFactory.create(meeting=held, person=None, organisation=organisation)
    Attendance.objects.create(
        meeting=held, guest_name="Gast", guest_email="gast@example.org", is_guest=True
    )
    AttendanceFactory.create(meeting=held, person__email="LID@example.org")  # the same person

    services.minutes_send(actor=coordinator, meeting=held)

    mails = list(OutgoingMail.objects.order_by("pk"))
    assert [mail.to for mail in mails] == [
        ["gast@example.org"],
        ["info@example.org"],
        ["lid@example.org"],
    ]
    assert {tuple(mail.reply_to) for mail in mails} == {("regisseur@example.org",)}
    assert len({mail.body for mail in mails}) == 1


def test_minutes_wait_for_the_meeting_to_be_held(coordinator, body):
    meeting = MeetingFactory.create(body=body)
    AttendanceFactory.create(meeting=meeting)
    with pytest.raises(DomainError):
        services.minutes_send(actor=coordinator, meeting=meeting)
    assert meeting.minutes_status == MinutesStatus.DRAFT


def test_minutes_are_not_sent_to_nobody(coordinator, held):
    held.attendances.all().delete()
    with pytest.raises(DomainError):
        services.minutes_send(actor=coordinator, meeting=held)
    held.refresh_from_db()
    assert held.minutes_status == MinutesStatus.DRAFT
    assert not OutgoingMail.objects.exists()


def test_locked_minutes_refuse_edits_and_take_addenda(coordinator, held):
    item = held.agenda_items.get()
    services.minutes_save(actor=coordinator, meeting=held, texts=texts(held, "Origineel."))
    Meeting.objects.filter(pk=held.pk).update(minutes_status=MinutesStatus.APPROVED)
    with pytest.raises(DomainError):
        services.addendum_add(actor=coordinator, item=item, text="Te vroeg")
    services.minutes_lock(actor=coordinator, meeting=held)
    held.refresh_from_db()
    item.refresh_from_db()

    with pytest.raises(DomainError):
        services.minutes_save(actor=coordinator, meeting=held, texts=texts(held, "Gewijzigd."))
    with pytest.raises(DomainError):
        services.decision_record(actor=coordinator, meeting=held, text="Te laat")
    with pytest.raises(DomainError):
        services.agenda_item_add(actor=coordinator, meeting=held, title="Te laat")
    with pytest.raises(DomainError):
        services.addendum_add(actor=coordinator, item=item, text="  ")

    addendum = services.addendum_add(actor=coordinator, item=item, text="Lees: plexi.")
    item.refresh_from_db()
    assert item.minutes == "Origineel."
    assert MinutesAddendum.objects.get() == addendum
    assert addendum.author == coordinator


def test_minutes_of_two_editors_do_not_overwrite_each_other(coordinator, held):
    stale = texts(held, "Eerste versie.")
    services.minutes_save(actor=coordinator, meeting=held, texts=stale)
    with pytest.raises(StaleEditError):
        services.minutes_save(
            actor=coordinator,
            meeting=held,
            texts={pk: ("Tweede versie.", version) for pk, (_t, version) in stale.items()},
        )


# Decisions and follow-ups


def test_decisions_and_follow_ups_belong_to_the_meeting(coordinator, held, other_region):
    item = held.agenda_items.get()
    other_item = AgendaItemFactory.create()
    with pytest.raises(DomainError) as error:
        services.decision_record(actor=coordinator, meeting=held, text="x", agenda_item=other_item)
    assert "agenda_item" in error.value.message_dict
    decision = services.decision_record(
        actor=coordinator, meeting=held, text="Thuiswerk uitbreiden", agenda_item=item
    )
    assert decision.agenda_item == item

    foreign = PersonFactory.create(region=other_region)
    with pytest.raises(DomainError) as error:
        services.follow_up_create(actor=coordinator, meeting=held, title="x", owner=foreign)
    assert "owner" in error.value.message_dict


def test_follow_up_status_by_its_owner(coordinator, body, home_region):
    owner = PersonFactory.create(region=home_region)
    follow_up = FollowUpFactory.create(meeting__body=body, owner=owner)
    with pytest.raises(DomainError):
        services.follow_up_status_change(
            actor=coordinator, follow_up=follow_up, status="finished", expected_version=1
        )
    follow_up = services.follow_up_status_change(
        actor=coordinator, follow_up=follow_up, status=FollowUpStatus.DONE, expected_version=1
    )
    follow_up = services.follow_up_update(
        actor=coordinator, follow_up=follow_up, expected_version=2, status=FollowUpStatus.OPEN
    )
    assert follow_up.done_at is None


# Documents


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "content_type", "extension"),
    [
        (b"%PDF-1.7\n...", "application/pdf", ".pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png", ".png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg", ".jpg"),
        (
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
        ),
        (odt_bytes(), "application/vnd.oasis.opendocument.text", ".odt"),
        ("Verslag: één punt.\r\n".encode(), "text/plain", ".txt"),
    ],
)
def test_documents_are_recognised_by_their_content(
    coordinator, body, settings, tmp_path, data, content_type, extension
):
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory.create(body=body)
    upload = SimpleUploadedFile("agenda.bin", data)

    document = services.document_upload(actor=coordinator, meeting=meeting, upload=upload)

    assert (document.content_type, document.filename) == (content_type, f"agenda{extension}")
    assert document.file.read() == data
    assert str(tmp_path) in document.file.path
    assert "agenda" not in str(document.file.name)  # the stored name is random


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows program
        b"<html><script>alert(1)</script></html>\x00",
        b"PK\x03\x04 not really a zip",
        b"",
    ],
)
def test_other_content_is_refused_whatever_its_name(coordinator, body, settings, tmp_path, data):
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory.create(body=body)
    with pytest.raises(DomainError) as error:
        services.document_upload(
            actor=coordinator, meeting=meeting, upload=SimpleUploadedFile("verslag.pdf", data)
        )
    assert "file" in error.value.message_dict
    assert not meeting.documents.exists()


def test_a_zip_that_is_no_office_file_is_refused(coordinator, body, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    with pytest.raises(DomainError):
        services.document_upload(
            actor=coordinator,
            meeting=MeetingFactory.create(body=body),
            upload=SimpleUploadedFile("slides.pptx", buffer.getvalue()),
        )


def test_a_document_over_the_limit_is_refused(coordinator, body, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REGIE_DOCUMENT_MAX_BYTES = 100
    with pytest.raises(DomainError) as error:
        services.document_upload(
            actor=coordinator,
            meeting=MeetingFactory.create(body=body),
            upload=SimpleUploadedFile("groot.pdf", b"%PDF-" + b"x" * 100),
        )
    assert "100" in error.value.message_dict["file"][0]
