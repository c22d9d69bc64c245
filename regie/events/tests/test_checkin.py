"""At the door: check-in by the code of the confirmation's QR code, walk-ins, and the export of
the registrations."""

import base64
import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from regie.core.errors import DomainError
from regie.core.models import AuditEntry, OutgoingMail
from regie.events.checkin import checkin_code, checkin_qr_svg, checkin_url
from regie.events.models import Registration, RegistrationStatus
from regie.events.selectors import registration_export_rows, registration_overview
from regie.events.services import (
    registration_cancel,
    registration_check_in_by_code,
    registration_create,
    registration_walk_in,
)
from regie.events.tests.factories import RegistrationFactory, event_for
from regie.network.invitations import meeting_changed
from regie.network.models import MeetingStatus
from regie.tests.browser.conftest import nl

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def event(home_region):
    return event_for(home_region, capacity=1)


def walk_in(event, coordinator, **fields):
    return registration_walk_in(
        actor=coordinator,
        meeting=event,
        first_name=fields.pop("first_name", "Wout"),
        last_name=fields.pop("last_name", "Deur"),
        stakeholder_type=fields.pop("stakeholder_type", "other"),
        **fields,
    )


def field_errors(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


class TestCheckinCode:
    def test_the_code_checks_the_person_in_once(self, event, coordinator):
        ann = RegistrationFactory.create(meeting=event)
        arrived = timezone.now() - datetime.timedelta(minutes=5)

        first = registration_check_in_by_code(
            actor=coordinator, meeting=event, code=checkin_code(ann), now=arrived
        )
        again = registration_check_in_by_code(
            actor=coordinator, meeting=event, code=checkin_code(ann)
        )

        assert (first.already, again.already) == (False, True)
        ann.refresh_from_db()
        assert ann.checked_in_at == arrived  # the second scan keeps the first time
        entry = AuditEntry.objects.get(action="registration.check_in")
        assert (entry.object_id, entry.details) == (str(ann.pk), {"by": "code"})

    def test_the_url_of_the_qr_code_and_a_scanner_in_caps_lock_work_too(self, event, coordinator):
        ann = RegistrationFactory.create(meeting=event)
        bart = RegistrationFactory.create(meeting=event)

        registration_check_in_by_code(actor=coordinator, meeting=event, code=checkin_url(ann))
        registration_check_in_by_code(
            actor=coordinator, meeting=event, code=f"  {checkin_code(bart).upper()}\n"
        )

        assert Registration.objects.filter(checked_in_at__isnull=False).count() == 2

    def test_the_code_does_not_reveal_the_cancel_token(self, event):
        ann = RegistrationFactory.create(meeting=event)
        assert ann.cancel_token not in checkin_url(ann)
        assert checkin_code(ann).startswith(f"{ann.pk}-")
        assert checkin_code(ann) in checkin_url(ann)

    @pytest.mark.parametrize("code", ["", "hallo", "12345", "https://example.org/?code=abc"])
    def test_text_that_is_no_code_is_refused(self, event, coordinator, code):
        with pytest.raises(DomainError) as error:
            registration_check_in_by_code(actor=coordinator, meeting=event, code=code)
        assert error.value.error_dict["code"][0].code == "invalid"

    def test_a_code_with_a_wrong_check_is_unknown(self, event, coordinator):
        ann = RegistrationFactory.create(meeting=event)
        forged = f"{ann.pk}-0000000000"

        with pytest.raises(DomainError) as error:
            registration_check_in_by_code(actor=coordinator, meeting=event, code=forged)

        assert error.value.error_dict["code"][0].code == "unknown"
        ann.refresh_from_db()
        assert ann.checked_in_at is None

    def test_a_code_of_another_event_names_that_event(self, event, coordinator, home_region):
        other = event_for(home_region, title="ROSE 2020")
        stranger = RegistrationFactory.create(meeting=other)

        with pytest.raises(DomainError) as error:
            registration_check_in_by_code(
                actor=coordinator, meeting=event, code=checkin_code(stranger)
            )

        assert "ROSE 2020" in field_errors(error)["code"][0]
        stranger.refresh_from_db()
        assert stranger.checked_in_at is None

    def test_a_cancelled_registration_is_not_checked_in(self, event, coordinator):
        ann = RegistrationFactory.create(meeting=event, status=RegistrationStatus.CANCELLED)

        with pytest.raises(DomainError) as error:
            registration_check_in_by_code(actor=coordinator, meeting=event, code=checkin_code(ann))

        assert error.value.error_dict["code"][0].code == "cancelled"

    def test_the_qr_code_is_inline_svg_without_script_or_style(self, event):
        svg = checkin_qr_svg(RegistrationFactory.create(meeting=event))
        assert svg.startswith('<svg role="img" ')
        assert "<title>" in svg
        assert "<script" not in svg
        assert "style=" not in svg


class TestConfirmationMail:
    def test_a_seat_comes_with_the_code_and_its_qr_code(self, event):
        ann = registration_create(
            meeting=event,
            first_name="Ann",
            last_name="Claes",
            email="ann@example.org",
            stakeholder_type="ocmw",
        )
        bart = registration_create(
            meeting=event,
            first_name="Bart",
            last_name="Claes",
            email="bart@example.org",
            stakeholder_type="ocmw",
        )

        confirmed = OutgoingMail.objects.get(to=["ann@example.org"])
        assert checkin_code(ann) in confirmed.body
        (png,) = [a for a in confirmed.attachments if a["mimetype"] == "image/png"]
        assert base64.b64decode(png["content"]).startswith(b"\x89PNG")
        assert png["filename"].endswith(".png")
        waiting = OutgoingMail.objects.get(to=["bart@example.org"])
        assert checkin_code(bart) not in waiting.body  # no seat, no code yet
        assert all(a["mimetype"] != "image/png" for a in waiting.attachments)

    def test_moving_up_from_the_waiting_list_brings_the_code(self, event):
        seat = RegistrationFactory.create(meeting=event)
        waiting = RegistrationFactory.create(meeting=event, status=RegistrationStatus.WAITING)

        registration_cancel(registration=seat)

        waiting.refresh_from_db()
        promoted = OutgoingMail.objects.get(to=[waiting.email])
        assert checkin_code(waiting) in promoted.body
        assert any(a["mimetype"] == "image/png" for a in promoted.attachments)

    def test_a_public_registration_still_needs_an_address(self, event):
        with pytest.raises(DomainError) as error:
            registration_create(
                meeting=event,
                first_name="Ann",
                last_name="Claes",
                email=" ",
                stakeholder_type="ocmw",
            )
        assert set(error.value.message_dict) == {"email"}
        assert not Registration.objects.exists()


class TestWalkIn:
    def test_a_walk_in_gets_in_when_the_event_is_full(self, event, coordinator):
        RegistrationFactory.create(meeting=event)  # the only seat

        person = walk_in(event, coordinator, organisation_name="  Stad Menen ")

        person.refresh_from_db()
        assert person.status == RegistrationStatus.REGISTERED
        assert person.is_walk_in
        assert person.checked_in_at is not None
        assert (person.email, person.organisation_name) == ("", "Stad Menen")
        overview = registration_overview(meeting=event)
        assert (overview.total.registered, overview.walk_ins, overview.seats_left) == (2, 1, 0)
        assert AuditEntry.objects.filter(
            action="registration.walk_in", object_id=str(person.pk), actor=coordinator
        ).exists()
        assert not OutgoingMail.objects.exists()  # they are here: nothing to confirm

    def test_several_walk_ins_without_an_address(self, event, coordinator):
        walk_in(event, coordinator, first_name="Wout")
        walk_in(event, coordinator, first_name="Wanda")
        assert Registration.objects.filter(is_walk_in=True, email="").count() == 2

    def test_an_address_that_is_already_registered_is_refused(self, event, coordinator):
        RegistrationFactory.create(meeting=event, email="ann@example.org")

        with pytest.raises(DomainError) as error:
            walk_in(event, coordinator, email="ANN@example.org ")

        assert set(field_errors(error)) == {"email"}
        assert Registration.objects.count() == 1

    def test_bad_input_is_named_and_nothing_is_written(self, event, coordinator):
        with pytest.raises(ValidationError) as error:
            walk_in(event, coordinator, last_name=" ", stakeholder_type="alien", email="nope")

        assert set(field_errors(error)) == {"last_name", "stakeholder_type", "email"}
        assert not Registration.objects.exists()
        assert not AuditEntry.objects.filter(action="registration.walk_in").exists()

    def test_a_cancelled_event_takes_no_walk_ins(self, event, coordinator):
        event.status, event.status_reason = MeetingStatus.CANCELLED, "Storm"
        event.save()
        with pytest.raises(DomainError):
            walk_in(event, coordinator)
        assert not Registration.objects.exists()

    def test_cancelling_a_walk_in_without_an_address_mails_nobody(self, event, coordinator):
        person = walk_in(event, coordinator)

        registration_cancel(registration=person, actor=coordinator)

        person.refresh_from_db()
        assert person.status == RegistrationStatus.CANCELLED
        assert not OutgoingMail.objects.exists()

    def test_a_change_of_the_event_mails_the_registered_but_not_a_walk_in_without_address(
        self, event, coordinator
    ):
        ann = RegistrationFactory.create(meeting=event)
        walk_in(event, coordinator)
        event.title = "ROSE, nieuwe titel"
        event.sequence += 1
        event.save()

        meeting_changed(meeting=event, actor=coordinator, changes=["title"])

        assert [mail.to for mail in OutgoingMail.objects.all()] == [[ann.email]]


class TestExport:
    def test_every_registration_with_local_times(self, event, coordinator):
        seat = RegistrationFactory.create(meeting=event, first_name="Ann")
        RegistrationFactory.create(
            meeting=event, first_name="Bart", status=RegistrationStatus.WAITING
        )
        walk_in(event, coordinator, first_name="Wout")

        header, rows = registration_export_rows(meeting=event)

        assert len(header) == len(rows[0]) == 11
        assert [row[0] for row in rows] == ["Ann", "Bart", "Wout"]
        walk_in_row = rows[2]
        assert walk_in_row[header.index(nl("E-mail"))] == ""
        assert walk_in_row[header.index(nl("Walk-in"))] == nl("yes")
        assert rows[0][header.index(nl("Walk-in"))] == nl("no")
        registered_at = rows[0][header.index(nl("Registered at"))]
        assert isinstance(registered_at, datetime.datetime)
        assert registered_at.tzinfo is None
        assert registered_at == timezone.localtime(seat.created_at).replace(
            tzinfo=None, microsecond=0
        )
