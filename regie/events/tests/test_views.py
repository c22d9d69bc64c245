"""The event pages: public registration, confirmation, cancel link; the organiser's
registration list, check-in, attendance list PDF and the invitations page."""

import datetime
import io
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import load_workbook
from pypdf import PdfReader

from regie.core.models import OutgoingMail
from regie.events.checkin import checkin_code, checkin_url
from regie.events.models import Registration, RegistrationStatus
from regie.events.tests.factories import RegistrationFactory, event_for
from regie.network.tests.factories import AttendanceFactory
from regie.registry.tests.factories import PersonFactory
from regie.tests.browser.conftest import nl

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def event(home_region):
    return event_for(
        home_region,
        capacity=1,
        public_description="Voor OCMW en VDAB.",
        format="hybrid",
        video_url="https://meet.example.org/trefdag-voor-ingeschrevenen",
    )


def form(first_name: str, **fields) -> dict[str, str]:
    return {
        "first_name": first_name,
        "last_name": "Janssens",
        "email": f"{first_name.lower()}@example.org",
        "organisation_name": "VDAB Kortrijk",
        "stakeholder_type": "vdab",
        **fields,
    }


def walk_in(first_name: str, **fields) -> dict[str, str]:
    return {
        "walk_in-first_name": first_name,
        "walk_in-last_name": "Deur",
        "walk_in-organisation_name": "Stad Menen",
        "walk_in-email": "",
        "walk_in-stakeholder_type": "local_government",
        **{f"walk_in-{name}": value for name, value in fields.items()},
    }


def url(event) -> str:
    return reverse("events:event_detail", args=[event.event.registration_token])


class TestPublicRegistration:
    def test_the_event_page_needs_no_account(self, client, event):
        response = client.get(url(event))
        assert response.status_code == 200
        assert event.title in response.text
        assert "Voor OCMW en VDAB." in response.text
        assert event.video_url  # the link is for those who registered: it is in their mail
        assert event.video_url not in response.text
        assert "trefdag-voor-ingeschrevenen" not in response.text

    def test_register_then_waiting_list(self, client, event):
        response = client.post(url(event), form("Ann"))
        assert response.status_code == 302
        page = client.get(response.url)
        assert page.context["registration"].status == RegistrationStatus.REGISTERED
        assert nl("You are registered") in page.text

        other = client.post(url(event), form("Bart"), follow=True)
        assert other.context["registration"].status == RegistrationStatus.WAITING
        assert nl("You are on the waiting list") in other.text
        assert other.context["position"] == 1

    def test_a_second_registration_with_the_same_address_is_refused(self, client, event):
        client.post(url(event), form("Ann"))
        again = client.post(url(event), {**form("Anna"), "email": "ANN@example.org"})

        assert again.status_code == 200
        assert "email" in again.context["form"].errors
        assert Registration.objects.count() == 1

    def test_missing_fields_are_named(self, client, event):
        response = client.post(url(event), form("Ann", email="", stakeholder_type=""))
        assert set(response.context["form"].errors) == {"email", "stakeholder_type"}
        assert not Registration.objects.exists()

    def test_a_closed_event_refuses_with_a_message(self, client, event):
        event.event.registration_closes = timezone.now() - datetime.timedelta(hours=1)
        event.event.save()

        response = client.post(url(event), form("Ann"))

        assert response.status_code == 200
        assert response.context["problem"]
        assert 'data-testid="registration-closed"' in response.text
        assert not Registration.objects.exists()

    def test_after_the_start_the_form_is_gone(self, client, event):
        event.start = timezone.now() - datetime.timedelta(minutes=10)
        event.save()
        response = client.get(url(event))
        assert nl("This event has already started: registration is closed.") in response.text
        assert '<form method="post" novalidate>' not in response.text

    def test_the_honeypot_catches_bots(self, client, event):
        response = client.post(url(event), form("Bot", website="http://spam.example"))
        assert response.status_code == 200
        assert not Registration.objects.exists()

    def test_too_many_posts_from_one_address(self, client, event, settings):
        settings.REGIE_REGISTRATION_RATE = (3, 600)
        statuses = [
            client.post(url(event), form(f"P{n}"), REMOTE_ADDR="81.82.83.84").status_code
            for n in range(4)
        ]
        assert statuses == [302, 302, 302, 429]
        assert Registration.objects.count() == 3
        other = client.post(url(event), form("Q"), REMOTE_ADDR="91.92.93.94")
        assert other.status_code == 302

    def test_an_unknown_event_is_404(self, client):
        assert client.get(reverse("events:event_detail", args=["nope"])).status_code == 404

    def test_the_confirmation_page_needs_the_registration_in_the_session(self, client, event):
        RegistrationFactory.create(meeting=event, first_name="Ann")  # registered, but not here
        response = client.get(
            reverse("events:event_registered", args=[event.event.registration_token]), follow=True
        )
        assert response.redirect_chain == [(url(event), 302)]
        assert nl("You are registered") not in response.text
        assert 'data-testid="checkin-qr"' not in response.text
        assert '<form method="post" novalidate>' in response.text  # the registration form


class TestCancelLink:
    def test_opening_the_link_cancels_nothing(self, client, event):
        registration = RegistrationFactory.create(meeting=event)
        link = reverse(
            "events:event_cancel", args=[event.event.registration_token, registration.cancel_token]
        )

        response = client.get(link)

        assert response.status_code == 200
        registration.refresh_from_db()
        assert registration.status == RegistrationStatus.REGISTERED

    def test_confirming_cancels_and_promotes_the_waiting_list(self, client, event):
        seat = RegistrationFactory.create(meeting=event)
        waiting = RegistrationFactory.create(meeting=event, status=RegistrationStatus.WAITING)
        link = reverse(
            "events:event_cancel", args=[event.event.registration_token, seat.cancel_token]
        )

        response = client.post(link, follow=True)

        assert 'data-testid="cancel-status"' in response.text
        seat.refresh_from_db()
        waiting.refresh_from_db()
        assert (seat.status, waiting.status) == (
            RegistrationStatus.CANCELLED,
            RegistrationStatus.REGISTERED,
        )
        assert OutgoingMail.objects.filter(to=[waiting.email]).exists()

    def test_a_wrong_token_is_404(self, client, event):
        registration = RegistrationFactory.create(meeting=event)
        other = event_for(event.body.region, title="Ander evenement")
        wrong = reverse(
            "events:event_cancel", args=[other.event.registration_token, registration.cancel_token]
        )
        assert client.get(wrong).status_code == 404
        assert client.post(wrong).status_code == 404


class TestOrganiserPages:
    def test_settings_open_and_close_registration(self, client, coordinator, event):
        client.force_login(coordinator)
        page = reverse("events:registration_manage", args=[event.pk])
        response = client.post(
            page,
            {
                "version": event.event.version,
                "capacity": "40",
                "registration_closes": "",
                "public_description": "Welkom!",
            },
        )
        assert response.status_code == 302
        event.refresh_from_db()
        assert (event.event.registration_open, event.event.capacity) == (False, 40)

        closed = client.get(reverse("events:event_detail", args=[event.event.registration_token]))
        assert nl("Registration for this event is not open.") in closed.text

    def test_a_stale_form_is_refused(self, client, coordinator, event):
        client.force_login(coordinator)
        page = reverse("events:registration_manage", args=[event.pk])
        version = event.event.version
        data = {"version": version - 1 if version > 1 else 99, "capacity": "5"}
        response = client.post(page, {**data, "registration_open": "on"})
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
        event.refresh_from_db()
        assert event.event.capacity == 1

    def test_the_list_counts_and_searches(self, client, coordinator, event):
        RegistrationFactory.create(meeting=event, first_name="Xavier", stakeholder_type="vdab")
        RegistrationFactory.create(
            meeting=event, first_name="Bart", status=RegistrationStatus.WAITING
        )
        client.force_login(coordinator)
        page = reverse("events:registration_manage", args=[event.pk])

        response = client.get(page)
        assert response.context["overview"].total.registered == 1
        assert response.context["overview"].total.waiting == 1

        rows = client.get(page, {"q": "bart"}, headers={"HX-Request": "true"})
        assert "Bart" in rows.text
        assert "Xavier" not in rows.text
        assert "<html" not in rows.text

    def test_the_organiser_cancels_and_the_waiting_list_moves_up(self, client, coordinator, event):
        seat = RegistrationFactory.create(meeting=event)
        waiting = RegistrationFactory.create(meeting=event, status=RegistrationStatus.WAITING)
        client.force_login(coordinator)

        client.post(reverse("events:registration_cancel", args=[event.pk, seat.pk]))

        waiting.refresh_from_db()
        assert waiting.status == RegistrationStatus.REGISTERED

    def test_check_in_with_htmx(self, client, coordinator, event):
        ann = RegistrationFactory.create(meeting=event, first_name="Ann", last_name="Claes")
        client.force_login(coordinator)
        toggle = reverse("events:checkin_toggle", args=[event.pk, ann.pk])

        page = client.get(reverse("events:checkin", args=[event.pk]), {"q": "claes"})
        assert "Claes" in page.text

        response = client.post(
            toggle, {"present": "1", "q": "claes"}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        assert 'name="q" value="claes"' in response.text  # the search survives the swap
        assert f'id="registration-{ann.pk}"' in response.text
        assert 'data-hx-swap-oob="true"' in response.text
        ann.refresh_from_db()
        assert ann.checked_in_at is not None

        client.post(toggle, {"present": "0"})
        ann.refresh_from_db()
        assert ann.checked_in_at is None

    def test_the_attendance_list_is_a_pdf_with_the_names(self, client, coordinator, event):
        RegistrationFactory.create(
            meeting=event, first_name="Ann", last_name="Claes", organisation_name="OCMW Menen"
        )
        RegistrationFactory.create(
            meeting=event, first_name="Bart", last_name="Wachter", status=RegistrationStatus.WAITING
        )
        client.force_login(coordinator)

        response = client.get(reverse("events:attendance_list", args=[event.pk]))

        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('inline; filename="aanwezigheidslijst-')
        reader = PdfReader(io.BytesIO(response.content))
        text = "".join(page.extract_text() for page in reader.pages)
        assert "Claes, Ann" in text
        assert "OCMW Menen" in text
        assert "Wachter" not in text  # the waiting list has no seat
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
        resources: Any = reader.pages[0]["/Resources"]
        fonts = {str(font["/BaseFont"]) for font in resources["/Font"].values()}
        assert fonts
        assert all("DejaVu-Sans" in font for font in fonts)  # the system's font, embedded

    def test_a_meeting_without_registrations_lists_its_attendees(
        self, client, coordinator, event, home_region
    ):
        person = PersonFactory.create(region=home_region, first_name="Dirk", last_name="Lid")
        AttendanceFactory.create(meeting=event, person=person)
        client.force_login(coordinator)

        response = client.get(reverse("events:attendance_list", args=[event.pk]))

        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        assert "Lid, Dirk" in text

    def test_the_invitations_page_invites(self, client, coordinator, event, home_region):
        person = PersonFactory.create(region=home_region, email="lid@example.org")
        AttendanceFactory.create(meeting=event, person=person)
        client.force_login(coordinator)
        page = reverse("events:meeting_invitations", args=[event.pk])

        assert client.get(page).status_code == 200
        response = client.post(page, follow=True)

        assert response.status_code == 200
        assert OutgoingMail.objects.filter(to=["lid@example.org"]).exists()
        event.refresh_from_db()
        assert event.invited_at is not None
        assert 'data-testid="invited-at"' in response.text

    def test_other_roles_get_404(self, client, partner, outsider, event):
        for user in (partner, outsider):
            client.force_login(user)
            for name in (
                "registration_manage",
                "registration_export",
                "checkin",
                "attendance_list",
                "meeting_invitations",
            ):
                assert client.get(reverse(f"events:{name}", args=[event.pk])).status_code == 404
            for name in ("checkin_scan", "checkin_walk_in"):
                page = reverse(f"events:{name}", args=[event.pk])
                assert client.post(page, walk_in("Wout")).status_code == 404
        assert not Registration.objects.exists()


class TestConfirmationQrCode:
    def test_a_seat_shows_the_qr_code_of_its_check_in(self, client, event):
        response = client.post(url(event), form("Ann"), follow=True)

        registration = Registration.objects.get(first_name="Ann")
        assert 'data-testid="checkin-qr"' in response.text
        assert '<svg role="img" ' in response.text
        assert checkin_code(registration) in response.text
        assert registration.cancel_token not in response.text

    def test_the_waiting_list_gets_no_code_yet(self, client, event):
        RegistrationFactory.create(meeting=event)  # the only seat
        response = client.post(url(event), form("Bart"), follow=True)
        assert nl("You are on the waiting list") in response.text
        assert 'data-testid="checkin-qr"' not in response.text
        assert "<svg" not in response.text


class TestAtTheDoor:
    def checkin_page(self, event) -> str:
        return reverse("events:checkin", args=[event.pk])

    def scan(self, client, event, code: str, **kwargs):
        return client.post(
            reverse("events:checkin_scan", args=[event.pk]), {"code": code}, **kwargs
        )

    def test_scanning_the_qr_code_checks_in(self, client, coordinator, event):
        ann = RegistrationFactory.create(meeting=event, first_name="Ann", last_name="Claes")
        client.force_login(coordinator)

        response = self.scan(client, event, checkin_url(ann), follow=True)

        assert response.redirect_chain == [(f"{self.checkin_page(event)}?scan=1", 302)]
        assert nl("%(name)s is checked in.") % {"name": "Ann Claes"} in response.text
        assert 'data-testid="checkin-count">' in response.text
        ann.refresh_from_db()
        assert ann.checked_in_at is not None
        # The next scan goes into the code field again.
        assert 'name="code" id="id_code"' in response.text
        assert response.text.count(" autofocus") == 1
        assert 'spellcheck="false" aria-describedby="id_code_helptext" autofocus' in response.text

    def test_a_second_scan_says_when_the_person_arrived(self, client, coordinator, event):
        ann = RegistrationFactory.create(meeting=event, first_name="Ann", last_name="Claes")
        client.force_login(coordinator)
        self.scan(client, event, checkin_code(ann))

        response = self.scan(client, event, checkin_code(ann), follow=True)

        ann.refresh_from_db()
        arrived = timezone.localtime(ann.checked_in_at).strftime("%H:%M")
        assert (
            nl("%(name)s was already checked in at %(time)s.")
            % {
                "name": "Ann Claes",
                "time": arrived,
            }
            in response.text
        )

    @pytest.mark.parametrize(
        ("code", "message"),
        [
            ("", "This field is required."),
            (
                "hallo",
                "This is not a check-in code. Scan the QR code of the confirmation, or search "
                "the person by name.",
            ),
            ("1-0000000000", "This check-in code is unknown. Search the person by name."),
        ],
    )
    def test_a_wrong_code_gets_a_message_at_the_field(
        self, client, coordinator, event, code, message
    ):
        RegistrationFactory.create(meeting=event)
        client.force_login(coordinator)

        response = self.scan(client, event, code)

        assert response.status_code == 200
        assert response.context["code_form"].errors["code"] == [nl(message)]
        assert 'data-testid="code-error"' in response.text
        assert nl(message) in response.text
        assert 'aria-invalid="true"' in response.text
        assert not Registration.objects.filter(checked_in_at__isnull=False).exists()

    def test_a_code_of_another_event_is_refused(self, client, coordinator, event, home_region):
        other = event_for(home_region, title="ROSE 2020")
        stranger = RegistrationFactory.create(meeting=other)
        client.force_login(coordinator)

        response = self.scan(client, event, checkin_code(stranger))

        (error,) = response.context["code_form"].errors["code"]
        assert "ROSE 2020" in error
        assert "ROSE 2020" in response.text
        stranger.refresh_from_db()
        assert stranger.checked_in_at is None

    def test_a_phone_camera_opens_the_page_with_the_code_filled_in(
        self, client, coordinator, event
    ):
        ann = RegistrationFactory.create(meeting=event)
        client.force_login(coordinator)

        response = client.get(checkin_url(ann).removeprefix("http://testserver"))

        assert f'value="{checkin_code(ann)}"' in response.text
        ann.refresh_from_db()
        assert ann.checked_in_at is None  # opening the link checks nobody in: the button does

    def test_a_walk_in_is_registered_and_checked_in_when_full(self, client, coordinator, event):
        RegistrationFactory.create(meeting=event)  # the only seat
        client.force_login(coordinator)

        response = client.post(
            reverse("events:checkin_walk_in", args=[event.pk]), walk_in("Wout"), follow=True
        )

        person = Registration.objects.get(first_name="Wout")
        assert (person.is_walk_in, person.status) == (True, RegistrationStatus.REGISTERED)
        assert person.checked_in_at is not None
        assert response.redirect_chain == [(self.checkin_page(event), 302)]
        assert (
            nl("%(name)s was registered at the door and is checked in.") % {"name": "Wout Deur"}
            in response.text
        )
        assert f'id="registration-{person.pk}"' in response.text
        assert nl("walk-in") in response.text
        manage = client.get(reverse("events:registration_manage", args=[event.pk]))
        assert 'data-testid="walk-ins"' in manage.text

    def test_a_walk_in_with_bad_input_gets_messages_at_the_fields(self, client, coordinator, event):
        RegistrationFactory.create(meeting=event, email="ann@example.org")
        client.force_login(coordinator)
        page = reverse("events:checkin_walk_in", args=[event.pk])

        response = client.post(page, walk_in("", email="geen-adres", stakeholder_type=""))

        assert response.status_code == 200
        errors = response.context["walk_in_form"].errors
        assert set(errors) == {"first_name", "email", "stakeholder_type"}
        assert errors["email"] == [nl("Enter a valid email address.")]
        assert '<details class="mb-3 border rounded p-3" open' in response.text
        assert nl("Enter a valid email address.") in response.text

        taken = client.post(page, walk_in("Ann", email="ann@example.org"))
        assert list(taken.context["walk_in_form"].errors) == ["email"]
        assert Registration.objects.count() == 1


class TestExport:
    def test_the_registrations_as_excel(self, client, coordinator, event):
        RegistrationFactory.create(meeting=event, first_name="=HYPERLINK(1)", last_name="Claes")
        client.force_login(coordinator)

        response = client.get(reverse("events:registration_export", args=[event.pk]))

        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        name = slugify(f"{nl('registrations')} {event.title}")
        assert response["Content-Disposition"] == f'attachment; filename="{name}.xlsx"'
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        assert sheet.title == nl("Registrations")
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == (nl("First name"), nl("Last name"), nl("E-mail"))
        assert rows[1][0] == "'=HYPERLINK(1)"  # never a formula
        assert rows[1][1] == "Claes"
        assert isinstance(rows[1][rows[0].index(nl("Registered at"))], datetime.datetime)

    def test_the_registrations_as_csv(self, client, coordinator, event):
        RegistrationFactory.create(meeting=event, first_name="Ann", organisation_name="+OCMW")
        client.force_login(coordinator)

        response = client.get(
            reverse("events:registration_export", args=[event.pk]), {"format": "csv"}
        )

        assert response["Content-Disposition"].endswith('.csv"')
        lines = response.content.decode("utf-8-sig").splitlines()
        assert lines[0].split(";")[:2] == [nl("First name"), nl("Last name")]
        assert lines[1].startswith("Ann;")
        assert ";'+OCMW;" in lines[1]

    def test_the_management_page_links_to_both(self, client, coordinator, event):
        client.force_login(coordinator)
        page = client.get(reverse("events:registration_manage", args=[event.pk]))
        export = reverse("events:registration_export", args=[event.pk])
        assert f'href="{export}"' in page.text
        assert f'href="{export}?format=csv"' in page.text
