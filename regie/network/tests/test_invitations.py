"""Invitations with an .ics, update and cancel mails (same UID, higher SEQUENCE), reminders, and
mail that survives a failing SMTP server."""

import datetime

import pytest
from django.core import mail as django_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from regie.core.errors import DomainError
from regie.core.models import OutgoingMail
from regie.events.models import RegistrationStatus
from regie.events.tests.factories import RegistrationFactory, ics_of, the_event
from regie.network import services
from regie.network.invitations import (
    meeting_invite,
    meeting_recipients,
    meeting_scheduled,
    reminders_send,
)
from regie.network.models import MeetingFormat, MeetingStatus
from regie.network.tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
)
from regie.registry.tests.factories import OrganisationFactory, PersonFactory
from regie.tests.browser.conftest import nl

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


@pytest.fixture
def meeting(home_region):
    start = (timezone.now() + datetime.timedelta(days=10)).replace(second=0, microsecond=0)
    meeting = MeetingFactory.create(
        body=BodyFactory.create(region=home_region, name="AZ-fabriek"),
        title="AZ-fabriek: corona op de werkvloer",
        start=start,
        end=start + datetime.timedelta(hours=2),
        format=MeetingFormat.HYBRID,
        location="Welzijn13, President Kennedypark 10, Kortrijk",
        video_url="https://meet.example.org/az-fabriek",
    )
    ann = PersonFactory.create(region=home_region, first_name="Ann", email="ann@example.org")
    AttendanceFactory.create(meeting=meeting, person=ann)
    AttendanceFactory.create(
        meeting=meeting,
        person=None,
        is_guest=True,
        guest_name="Gast Van VDAB",
        guest_email="gast@example.org",
    )
    nobody = PersonFactory.create(region=home_region, email="")
    AttendanceFactory.create(meeting=meeting, person=nobody)
    return meeting


def queued(kind_of: str = "") -> list[OutgoingMail]:
    return list(OutgoingMail.objects.filter(subject__startswith=kind_of).order_by("pk"))


def subject(msgid: str, meeting) -> str:
    return nl(msgid) % {"title": meeting.title}


class TestInvite:
    def test_scheduling_mails_nobody(self, meeting, coordinator):
        meeting_scheduled(meeting=meeting, actor=coordinator)
        assert not OutgoingMail.objects.exists()

    def test_every_attendee_with_an_address_gets_an_own_mail(self, meeting, coordinator):
        assert meeting_invite(meeting=meeting, actor=coordinator) == 2

        mails = queued()
        assert sorted(address for m in mails for address in m.to) == [
            "ann@example.org",
            "gast@example.org",
        ]
        assert all(len(m.to) == 1 for m in mails)  # nobody sees the other addresses
        assert {m.subject for m in mails} == {subject("Invitation: %(title)s", meeting)}
        meeting.refresh_from_db()
        assert meeting.invited_at is not None

    def test_the_ics_carries_the_meeting(self, meeting, coordinator, settings):
        settings.DEFAULT_FROM_EMAIL = "Welzijn13 <regie@example.org>"
        meeting_invite(meeting=meeting, actor=coordinator)

        mail = OutgoingMail.objects.get(to=["ann@example.org"])
        calendar = ics_of(mail)
        event = the_event(calendar)
        assert calendar["METHOD"] == "REQUEST"
        assert mail.attachments[0]["mimetype"] == "text/calendar; method=REQUEST"
        assert str(event["UID"]) == f"{meeting.uid}@regie"
        assert event.sequence == meeting.sequence
        assert event.decoded("DTSTART") == meeting.start
        assert event.decoded("DTEND") == meeting.end
        assert str(event["SUMMARY"]) == meeting.title
        assert str(event["LOCATION"]) == meeting.location
        assert str(event["URL"]) == meeting.video_url
        assert meeting.video_url in str(event["DESCRIPTION"])
        assert str(event["ORGANIZER"]) == "mailto:regie@example.org"
        assert str(event["ATTENDEE"]) == "mailto:ann@example.org"  # only the recipient
        assert meeting.video_url in mail.body

    def test_a_digital_meeting_has_its_link_as_location(self, meeting, coordinator):
        meeting.format, meeting.location = MeetingFormat.DIGITAL, ""
        meeting.save()
        meeting_invite(meeting=meeting, actor=coordinator)

        event = the_event(ics_of(queued()[0]))
        assert str(event["LOCATION"]) == meeting.video_url

    def test_a_member_organisation_is_invited_at_its_address(self, meeting, home_region):
        organisation = OrganisationFactory.create(region=home_region, email="info@example.org")
        AttendanceFactory.create(meeting=meeting, person=None, organisation=organisation)

        addresses = [address for _name, address in meeting_recipients(meeting)]
        assert "info@example.org" in addresses

    def test_a_mailed_organisation_shows_as_invited(
        self, meeting, home_region, coordinator, client
    ):
        organisation = OrganisationFactory.create(
            region=home_region, name="De Zonnewijzer", email="info@example.org"
        )
        member = AttendanceFactory.create(meeting=meeting, person=None, organisation=organisation)
        unreachable = AttendanceFactory.create(
            meeting=meeting,
            person=None,
            organisation=OrganisationFactory.create(region=home_region, email=""),
        )

        assert meeting_invite(meeting=meeting, actor=coordinator) == 3

        member.refresh_from_db()
        unreachable.refresh_from_db()
        assert member.email == "info@example.org"
        assert member.invited_at is not None
        assert unreachable.invited_at is None
        assert OutgoingMail.objects.filter(to=["info@example.org"]).count() == 1
        client.force_login(coordinator)
        page = client.get(reverse("network:meeting_detail", args=[meeting.pk])).text
        row = page[page.index("De Zonnewijzer") :].split("</tr>")[0]
        assert 'data-testid="invited-by-mail"' in row
        invitations = client.get(reverse("events:meeting_invitations", args=[meeting.pk])).text
        row = invitations[invitations.index("De Zonnewijzer") :].split("</tr>")[0]
        assert "info@example.org" in row

    def test_the_invitation_carries_the_agenda(self, meeting, coordinator):
        AgendaItemFactory.create(meeting=meeting, position=2, title="Plexi op de werkvloer")
        AgendaItemFactory.create(
            meeting=meeting, position=1, title="Stand van zaken", presenter="Hanne"
        )
        meeting_invite(meeting=meeting, actor=coordinator)

        body = OutgoingMail.objects.get(to=["ann@example.org"]).body
        agenda = body[body.index(nl("Agenda")) :]
        assert "1. Stand van zaken (Hanne)\n2. Plexi op de werkvloer\n" in agenda

    def test_a_title_with_a_line_break_is_invited_on_one_subject_line(
        self, meeting, coordinator, django_capture_on_commit_callbacks
    ):
        meeting.title = "AZ-fabriek\r\ncorona"
        meeting.save()
        with django_capture_on_commit_callbacks(execute=True):
            assert meeting_invite(meeting=meeting, actor=coordinator) == 2

        assert {m.status for m in queued()} == {OutgoingMail.Status.SENT}
        assert {m.subject for m in django_mail.outbox} == {
            nl("Invitation: %(title)s") % {"title": "AZ-fabriek corona"}
        }

    def test_only_the_mails_actually_queued_count_as_invited(
        self, meeting, coordinator, home_region, client
    ):
        broken = PersonFactory.create(
            region=home_region, first_name="Bert", email="bert@example.org\nBcc: x@example.org"
        )
        AttendanceFactory.create(meeting=meeting, person=broken)

        assert meeting_invite(meeting=meeting, actor=coordinator) == 2

        invited = {a.person_id or a.guest_name: a.invited_at for a in meeting.attendances.all()}
        assert invited[broken.pk] is None
        assert invited["Gast Van VDAB"] is not None
        failed = OutgoingMail.objects.get(status=OutgoingMail.Status.FAILED)
        assert failed.to == ["bert@example.org\nBcc: x@example.org"]
        client.force_login(coordinator)
        page = client.get(reverse("network:meeting_detail", args=[meeting.pk])).text
        failures = page[page.index('data-testid="failed-mails"') :].split("</section>")[0]
        assert "bert@example.org" in failures
        assert "ValueError" in failures

    def test_nobody_invited_when_no_mail_could_be_queued(self, home_region, coordinator):
        lonely = MeetingFactory.create(body=BodyFactory.create(region=home_region))
        broken = PersonFactory.create(region=home_region, email="a@example.org\r\nb")
        attendance = AttendanceFactory.create(meeting=lonely, person=broken)

        assert meeting_invite(meeting=lonely, actor=coordinator) == 0

        lonely.refresh_from_db()
        attendance.refresh_from_db()
        assert lonely.invited_at is None
        assert attendance.invited_at is None
        assert OutgoingMail.objects.get().status == OutgoingMail.Status.FAILED

    def test_nobody_to_invite(self, home_region, coordinator):
        lonely = MeetingFactory.create(body=BodyFactory.create(region=home_region))
        with pytest.raises(DomainError):
            meeting_invite(meeting=lonely, actor=coordinator)

    def test_a_cancelled_meeting_is_not_invited_to(self, meeting, coordinator):
        meeting.status, meeting.status_reason = MeetingStatus.CANCELLED, "Corona"
        meeting.save()
        with pytest.raises(DomainError):
            meeting_invite(meeting=meeting, actor=coordinator)
        assert not OutgoingMail.objects.exists()


class TestChanges:
    def test_no_mail_before_the_invitation(self, meeting, coordinator):
        services.meeting_update(
            actor=coordinator,
            meeting=meeting,
            expected_version=meeting.version,
            location="Stadhuis Kortrijk",
        )
        assert not OutgoingMail.objects.exists()

    def test_a_new_time_is_an_update_with_the_same_uid_and_a_higher_sequence(
        self, meeting, coordinator
    ):
        meeting_invite(meeting=meeting, actor=coordinator)
        first = the_event(ics_of(queued()[0]))

        later = meeting.start + datetime.timedelta(days=1)
        services.meeting_update(
            actor=coordinator,
            meeting=meeting,
            expected_version=meeting.version,
            start=later,
            end=later + datetime.timedelta(hours=2),
        )

        updates = queued(nl("Changed: %(title)s").split("%")[0])
        assert len(updates) == 2
        calendar = ics_of(updates[0])
        update = the_event(calendar)
        assert calendar["METHOD"] == "REQUEST"
        assert update["UID"] == first["UID"]
        assert update.sequence > first.sequence
        assert update.decoded("DTSTART") == later

    def test_a_new_place_is_an_update(self, meeting, coordinator):
        meeting_invite(meeting=meeting, actor=coordinator)
        services.meeting_update(
            actor=coordinator,
            meeting=meeting,
            expected_version=meeting.version,
            location="Stadhuis Kortrijk",
        )
        update = the_event(ics_of(queued()[-1]))
        assert str(update["LOCATION"]) == "Stadhuis Kortrijk"

    def test_confirming_mails_nobody(self, meeting, coordinator):
        meeting_invite(meeting=meeting, actor=coordinator)
        before = OutgoingMail.objects.count()
        services.meeting_status_change(
            actor=coordinator, meeting=meeting, status=MeetingStatus.CONFIRMED
        )
        assert OutgoingMail.objects.count() == before

    def test_cancelling_sends_a_cancel(self, meeting, coordinator):
        meeting_invite(meeting=meeting, actor=coordinator)
        first = the_event(ics_of(queued()[0]))

        services.meeting_status_change(
            actor=coordinator, meeting=meeting, status=MeetingStatus.CANCELLED, reason="Corona"
        )

        cancels = queued(nl("Cancelled: %(title)s").split("%")[0])
        assert len(cancels) == 2
        calendar = ics_of(cancels[0])
        cancel = the_event(calendar)
        assert calendar["METHOD"] == "CANCEL"
        assert cancels[0].attachments[0]["mimetype"] == "text/calendar; method=CANCEL"
        assert cancel["STATUS"] == "CANCELLED"
        assert cancel["UID"] == first["UID"]
        assert cancel.sequence > first.sequence
        assert "Corona" in cancels[0].body

    def test_postponing_cancels_the_old_date_and_names_the_new_one(self, meeting, coordinator):
        meeting_invite(meeting=meeting, actor=coordinator)
        new_start = meeting.start + datetime.timedelta(days=7)

        new = services.meeting_postpone(
            actor=coordinator,
            meeting=meeting,
            start=new_start,
            end=new_start + datetime.timedelta(hours=2),
            reason="Lockdown",
        )

        (postponed, *_rest) = queued(nl("Postponed: %(title)s").split("%")[0])
        assert the_event(ics_of(postponed))["STATUS"] == "CANCELLED"
        assert str(the_event(ics_of(postponed))["UID"]) == f"{meeting.uid}@regie"
        assert timezone.localtime(new.start).strftime("%Y") in postponed.body
        assert new.invited_at is None  # the new date is invited when the coordinator says so

    def test_participants_of_an_event_hear_of_a_cancellation(self, meeting, coordinator):
        seat = RegistrationFactory.create(meeting=meeting, email="deelnemer@example.org")
        waiting = RegistrationFactory.create(
            meeting=meeting, email="wacht@example.org", status=RegistrationStatus.WAITING
        )
        services.meeting_status_change(
            actor=coordinator, meeting=meeting, status=MeetingStatus.CANCELLED, reason="Corona"
        )
        addresses = {a for m in queued() for a in m.to}
        assert {seat.email, waiting.email} <= addresses
        assert "ann@example.org" not in addresses  # attendees were never invited


class TestMailThatFails:
    def test_a_failing_smtp_server_loses_nothing(self, meeting, coordinator, settings):
        settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}
        with self.capture_commits():
            meeting_invite(meeting=meeting, actor=coordinator)

        mails = queued()
        assert len(mails) == 2
        assert all(m.status == OutgoingMail.Status.QUEUED for m in mails)
        assert all("SMTP server unreachable" in m.last_error for m in mails)
        assert all(m.attempts == 1 for m in mails)

        # The server is back; the cron job runs once the retry is due.
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        OutgoingMail.objects.update(next_attempt_at=timezone.now())
        django_mail.outbox = []
        call_command("send_queued_mail")

        assert {m.status for m in queued()} == {OutgoingMail.Status.SENT}
        assert sorted(m.to[0] for m in django_mail.outbox) == [
            "ann@example.org",
            "gast@example.org",
        ]
        sent = django_mail.outbox[0]
        (name, content, mimetype) = sent.attachments[0]
        assert name == "uitnodiging.ics"
        assert mimetype.startswith("text/calendar")
        assert f"UID:{meeting.uid}@regie" in (
            content if isinstance(content, str) else content.decode()
        )

    def test_a_failed_mail_shows_on_the_meeting_for_its_organisers(
        self, meeting, coordinator, counsellor, partner_organisation, client, settings
    ):
        MembershipFactory.create(body=meeting.body, organisation=partner_organisation)
        settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}
        with self.capture_commits():
            meeting_invite(meeting=meeting, actor=coordinator)
        OutgoingMail.objects.filter(to=["gast@example.org"]).update(
            status=OutgoingMail.Status.FAILED
        )
        url = reverse("network:meeting_detail", args=[meeting.pk])

        client.force_login(coordinator)
        page = client.get(url).text
        failures = page[page.index('data-testid="failed-mails"') :].split("</section>")[0]
        assert "ann@example.org" in failures
        assert "gast@example.org" in failures
        assert failures.count("SMTP server unreachable") == 2
        assert nl("will be tried again") in failures
        assert nl("not sent") in failures

        client.force_login(counsellor)
        page = client.get(url)
        assert page.status_code == 200
        assert meeting.title in page.text
        assert 'data-testid="failed-mails"' not in page.text

    @pytest.fixture(autouse=True)
    def _commits(self, django_capture_on_commit_callbacks):
        self.capture_commits = lambda: django_capture_on_commit_callbacks(execute=True)


class TestReminders:
    def test_the_meetings_of_the_day_after_tomorrow_are_reminded_once(
        self, meeting, coordinator, home_region
    ):
        meeting_invite(meeting=meeting, actor=coordinator)
        RegistrationFactory.create(meeting=meeting, email="deelnemer@example.org")
        RegistrationFactory.create(
            meeting=meeting, email="wacht@example.org", status=RegistrationStatus.WAITING
        )
        too_late = MeetingFactory.create(
            body=meeting.body, start=meeting.start + datetime.timedelta(days=5)
        )
        RegistrationFactory.create(meeting=too_late, email="later@example.org")
        now = meeting.start - datetime.timedelta(hours=30)

        assert reminders_send(now=now) == 3  # two attendees and the registered participant
        reminders = queued(nl("Reminder: %(title)s").split("%")[0])
        assert {m.to[0] for m in reminders} == {
            "ann@example.org",
            "gast@example.org",
            "deelnemer@example.org",
        }
        participant = next(m for m in reminders if m.to == ["deelnemer@example.org"])
        assert "/cancel/" in participant.body
        meeting.refresh_from_db()
        assert meeting.reminder_sent_at == now

        assert reminders_send(now=now) == 0
        assert reminders_send(now=now + datetime.timedelta(hours=2)) == 0
        assert len(queued(nl("Reminder: %(title)s").split("%")[0])) == 3

    def test_nothing_is_reminded_too_early_or_for_a_cancelled_meeting(self, meeting):
        assert reminders_send(now=meeting.start - datetime.timedelta(hours=49)) == 0
        meeting.status, meeting.status_reason = MeetingStatus.CANCELLED, "Corona"
        meeting.save()
        assert reminders_send(now=meeting.start - datetime.timedelta(hours=30)) == 0
        meeting.refresh_from_db()
        assert meeting.reminder_sent_at is None

    def test_the_command_for_cron(self, meeting, coordinator, capsys):
        meeting_invite(meeting=meeting, actor=coordinator)
        meeting.start = timezone.now() + datetime.timedelta(hours=30)
        meeting.end = meeting.start + datetime.timedelta(hours=2)
        meeting.save()

        call_command("send_meeting_reminders")
        call_command("send_meeting_reminders")

        assert capsys.readouterr().out.splitlines() == [
            "2 reminders queued",
            "0 reminders queued",
        ]
