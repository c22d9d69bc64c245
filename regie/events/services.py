"""Writes of events: registration, seats, the waiting list, cancel links and check-in.

Every write that can change who holds a seat first locks the meeting row
(``select_for_update``; on SQLite the IMMEDIATE transaction takes the write lock at once), so
two people who take the last seat at the same moment are served one after the other: one gets
the seat, the other the waiting list. Cancelling a seat hands it to the first person waiting
(oldest registration first) and mails them.

At the door the organiser checks people in by name or by the check-in code of their
confirmation (a QR code that a scanner types into the check-in page), and registers walk-ins:
people who come without registration, checked in at once, even when the event is full.

The registration settings live on the meeting's ``Event``, made when the organiser first
saves them (or registers a walk-in): most meetings never become an event.
"""

import datetime
import hmac
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from regie.accounts.models import User
from regie.core.audit import log_action
from regie.core.errors import DomainError
from regie.core.mail import Attachment, in_language, mail_body, mail_queue
from regie.core.versioning import save_new, save_versioned
from regie.events import selectors
from regie.events.checkin import CHECKIN_CODE, checkin_code, checkin_qr_png
from regie.events.models import Event, Registration, RegistrationStatus
from regie.events.selectors import ACTIVE
from regie.network.calendar import calendar_bytes, meeting_event, organizer_address
from regie.network.models import Meeting, MeetingStatus

# The version of the settings of a meeting that is no event yet: nothing saved.
NO_EVENT_VERSION = 0


class DuplicateRegistration(DomainError):
    """The e-mail address already holds a seat, or a place on the waiting list."""


class RegistrationClosed(DomainError):
    """Nobody can register for this event now."""


# Writes ------------------------------------------------------------------------------------


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)


@transaction.atomic
def registration_create(
    *,
    meeting: Meeting,
    first_name: str,
    last_name: str,
    email: str,
    stakeholder_type: str,
    organisation_name: str = "",
    language: str = "",
    now: datetime.datetime | None = None,
) -> Registration:
    """Register someone for an event: a seat while there is one, else the waiting list."""
    now = now or timezone.now()
    meeting = _locked(meeting)
    if problem := selectors.registration_problem(meeting, now=now):
        raise RegistrationClosed(problem, code="closed")
    email = email.strip().lower()
    if not email:  # the model allows none for walk-ins; a registration needs one for its mails
        raise DomainError({"email": ValidationError(_("This field is required."), code="required")})
    active = Registration.objects.filter(meeting=meeting, status__in=ACTIVE)
    if active.filter(email__iexact=email).exists():
        raise _duplicate()
    capacity = selectors.capacity_of(meeting)
    full = capacity is not None and selectors.seats_taken(meeting) >= capacity
    registration = Registration(
        meeting=meeting,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        organisation_name=organisation_name.strip(),
        stakeholder_type=stakeholder_type,
        status=RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED,
    )
    registration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:  # the unique constraint, should a second writer slip past the lock
        raise _duplicate() from None
    log_action(
        actor=None,
        action="registration.create",
        target=registration,
        details={"status": registration.status},
    )
    _mail(registration, "waiting" if full else "confirmed", language=language)
    return registration


def _duplicate() -> DuplicateRegistration:
    return DuplicateRegistration(
        {
            "email": ValidationError(
                _(
                    "This e-mail address is already registered for this event. Look for the "
                    "confirmation mail: it has a link to cancel."
                ),
                code="duplicate",
            )
        }
    )


@transaction.atomic
def registration_cancel(
    *,
    registration: Registration,
    actor: User | None = None,
    now: datetime.datetime | None = None,
) -> list[Registration]:
    """Cancel a registration (by its cancel link, or by the organiser as ``actor``).

    A freed seat goes to the first person on the waiting list. Returns who was promoted.
    Cancelling twice changes nothing.
    """
    now = now or timezone.now()
    meeting = _locked(registration.meeting)
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    if current.status == RegistrationStatus.CANCELLED:
        return []
    if actor is None and now >= meeting.start:
        raise DomainError(
            _("This event has already started: the registration can no longer be cancelled.")
        )
    held_a_seat = current.status == RegistrationStatus.REGISTERED
    current.status = RegistrationStatus.CANCELLED
    current.cancelled_at = now
    current.save(update_fields=["status", "cancelled_at"])
    current.meeting = meeting
    registration.status, registration.cancelled_at = current.status, current.cancelled_at
    log_action(
        actor=actor,
        action="registration.cancel",
        target=current,
        details={"by": "organiser" if actor is not None else "participant"},
    )
    _mail(current, "cancelled")
    return _promote_waiting(meeting=meeting, actor=actor, now=now) if held_a_seat else []


def _promote_waiting(
    *, meeting: Meeting, actor: User | None, now: datetime.datetime
) -> list[Registration]:
    """Give free seats to the waiting list, oldest registration first. Needs the meeting lock."""
    if now >= meeting.start:
        return []
    promoted: list[Registration] = []
    capacity = selectors.capacity_of(meeting)
    free = None if capacity is None else capacity - selectors.seats_taken(meeting)
    waiting = Registration.objects.select_for_update().filter(
        meeting=meeting, status=RegistrationStatus.WAITING
    )
    for registration in waiting.order_by("created_at", "pk"):
        if free is not None and free <= 0:
            break
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        registration.meeting = meeting
        log_action(actor=actor, action="registration.promote", target=registration)
        _mail(registration, "promoted")
        promoted.append(registration)
        if free is not None:
            free -= 1
    return promoted


@transaction.atomic
def registration_settings_update(
    *,
    actor: User,
    meeting: Meeting,
    expected_version: int,
    registration_open: bool,
    capacity: int | None,
    registration_closes: datetime.datetime | None,
    public_description: str,
    now: datetime.datetime | None = None,
) -> Event:
    """Open or close public registration and set its limits; a larger capacity promotes.

    The first save makes the meeting an event (``expected_version`` is ``NO_EVENT_VERSION``);
    after that it edits the event's settings like any versioned record."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if capacity is not None and capacity < 1:
        errors["capacity"] = _("Give at least one seat, or leave empty for no limit.")
    if registration_closes is not None and registration_closes > meeting.start:
        errors["registration_closes"] = _("Registration must close before the event starts.")
    if registration_open and meeting.status in {
        MeetingStatus.CANCELLED,
        MeetingStatus.POSTPONED,
    }:
        errors["registration_open"] = _("A cancelled or postponed event cannot open registration.")
    if errors:
        raise DomainError(errors)
    meeting = _locked(meeting)
    values = {
        "registration_open": registration_open,
        "capacity": capacity,
        "registration_closes": registration_closes,
        "public_description": public_description.strip(),
    }
    event = selectors.event_of(meeting)
    if event is None:
        event = save_new(instance=Event(meeting=meeting, **values), actor=actor)
    else:
        event = save_versioned(
            instance=event, changes=values, expected_version=expected_version, actor=actor
        )
    log_action(
        actor=actor,
        action="meeting.registration_settings",
        target=meeting,
        details={"open": registration_open, "capacity": capacity},
    )
    meeting.event = event
    _promote_waiting(meeting=meeting, actor=actor, now=now)
    return event


@transaction.atomic
def registration_check_in(
    *,
    actor: User,
    registration: Registration,
    present: bool = True,
    now: datetime.datetime | None = None,
) -> Registration:
    """Mark someone as arrived at the event, or undo it."""
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    if current.status == RegistrationStatus.CANCELLED and present:
        raise DomainError(_("This registration was cancelled: register the person again."))
    current.checked_in_at = (now or timezone.now()) if present else None
    current.save(update_fields=["checked_in_at"])
    log_action(
        actor=actor,
        action="registration.check_in" if present else "registration.check_in_undo",
        target=current,
    )
    return current


# Check-in at the door: codes and walk-ins -----------------------------------------------------


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    already: bool  # was checked in before: the time stays as it was


def _code_error(message: str, code: str) -> DomainError:
    return DomainError({"code": ValidationError(message, code=code)})


@transaction.atomic
def registration_check_in_by_code(
    *, actor: User, meeting: Meeting, code: str, now: datetime.datetime | None = None
) -> CheckIn:
    """Check in the person whose confirmation carries ``code`` (or the URL of its QR code)."""
    found = CHECKIN_CODE.search(code.strip())
    if found is None:
        raise _code_error(
            _(
                "This is not a check-in code. Scan the QR code of the confirmation, or search the "
                "person by name."
            ),
            "invalid",
        )
    registration = (
        Registration.objects.select_for_update()
        .select_related("meeting")
        .filter(pk=int(found.group(1)))
        .first()
    )
    wanted = f"{found.group(1)}-{found.group(2).lower()}"
    if registration is None or not hmac.compare_digest(checkin_code(registration), wanted):
        raise _code_error(_("This check-in code is unknown. Search the person by name."), "unknown")
    if registration.meeting_id != meeting.pk:
        raise _code_error(
            _("This code belongs to another event: %(title)s.")
            % {"title": str(registration.meeting)},
            "other_event",
        )
    if registration.status == RegistrationStatus.CANCELLED:
        raise _code_error(
            _("This registration was cancelled: register the person again."), "cancelled"
        )
    if registration.checked_in_at is not None:
        return CheckIn(registration=registration, already=True)
    registration.checked_in_at = now or timezone.now()
    registration.save(update_fields=["checked_in_at"])
    log_action(
        actor=actor,
        action="registration.check_in",
        target=registration,
        details={"by": "code"},
    )
    return CheckIn(registration=registration, already=False)


@transaction.atomic
def registration_walk_in(
    *,
    actor: User,
    meeting: Meeting,
    first_name: str,
    last_name: str,
    stakeholder_type: str,
    email: str = "",
    organisation_name: str = "",
    now: datetime.datetime | None = None,
) -> Registration:
    """Register someone who came without registration, checked in at once.

    A walk-in gets a seat even when the event is full (they are there), is marked as a
    walk-in, and gets no mail. The e-mail address is optional, but one that already holds a
    registration for this event is refused: that person is on the list.
    """
    now = now or timezone.now()
    meeting = _locked(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("This event has been cancelled."))
    if meeting.status == MeetingStatus.POSTPONED:
        raise DomainError(_("This event has been postponed: registration is closed."))
    email = email.strip().lower()
    active = Registration.objects.filter(meeting=meeting, status__in=ACTIVE)
    if email and active.filter(email__iexact=email).exists():
        raise _walk_in_duplicate()
    if selectors.event_of(meeting) is None:  # registered at the door of a plain meeting
        meeting.event = save_new(instance=Event(meeting=meeting), actor=actor)
    registration = Registration(
        meeting=meeting,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        organisation_name=organisation_name.strip(),
        stakeholder_type=stakeholder_type,
        status=RegistrationStatus.REGISTERED,
        is_walk_in=True,
        checked_in_at=now,
    )
    registration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise _walk_in_duplicate() from None
    log_action(
        actor=actor,
        action="registration.walk_in",
        target=registration,
        details={"full": _over_capacity(meeting)},
    )
    return registration


def _over_capacity(meeting: Meeting) -> bool:
    capacity = selectors.capacity_of(meeting)
    return capacity is not None and selectors.seats_taken(meeting) > capacity


def _walk_in_duplicate() -> DomainError:
    return DomainError(
        {
            "email": ValidationError(
                _(
                    "This e-mail address is already registered for this event: search the "
                    "person by name and check them in."
                ),
                code="duplicate",
            )
        }
    )


# Mails -------------------------------------------------------------------------------------


def registration_mail_subject(kind: str, meeting: Meeting) -> str:
    subjects = {
        "confirmed": _("Registration confirmed: %(title)s"),
        "waiting": _("On the waiting list: %(title)s"),
        "promoted": _("A seat has become free for you: %(title)s"),
        "cancelled": _("Registration cancelled: %(title)s"),
        "reminder": _("Reminder: %(title)s"),
    }
    return subjects[kind] % {"title": meeting.title}


def _mail(registration: Registration, kind: str, *, language: str = "") -> None:
    if not registration.email:  # a walk-in who gave no address
        return
    meeting = registration.meeting
    with_code = (
        kind in {"confirmed", "promoted", "reminder"}
        and registration.status == RegistrationStatus.REGISTERED
    )
    with in_language(language):
        subject = registration_mail_subject(kind, meeting)
        body = mail_body(
            f"events/registration_mail_{kind}.txt",
            {
                "registration": registration,
                "meeting": meeting,
                "position": selectors.waiting_position(registration),
                "cancel_url": selectors.cancel_url(registration),
                "event_url": selectors.event_url(meeting),
                "checkin_code": checkin_code(registration) if with_code else "",
            },
        )
        qr_name = f"{slugify(_('check-in code'))}.png"
    attachments = []
    if kind in {"confirmed", "promoted"}:
        # The event for the participant's calendar; later changes come as update mails.
        ics = calendar_bytes(
            [meeting_event(meeting, organizer=organizer_address(), attendee=registration.email)],
            method="PUBLISH",
        )
        attachments.append(Attachment("evenement.ics", ics, "text/calendar; method=PUBLISH"))
    if with_code:
        attachments.append(Attachment(qr_name, checkin_qr_png(registration), "image/png"))
    mail_queue(
        to=[registration.email],
        subject=subject,
        body=body,
        attachments=attachments,
        about=registration,
    )


def registration_reminder_queue(*, registration: Registration) -> None:
    _mail(registration, "reminder")
