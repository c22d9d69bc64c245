"""Public registration for events: seats, the waiting list, cancel links and check-in.

Every write that can change who holds a seat first locks the meeting row
(``select_for_update``; on SQLite the IMMEDIATE transaction takes the write lock at once), so
two people who take the last seat at the same moment are served one after the other: one gets
the seat, the other the waiting list. Cancelling a seat hands it to the first person waiting
(oldest registration first) and mails them.

At the door the organiser checks people in by name or by the check-in code of their
confirmation (a QR code that a scanner types into the check-in page), and registers walk-ins:
people who come without registration, checked in at once, even when the event is full.
"""

import datetime
import hashlib
import hmac
import io
import ipaddress
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from regie.core.audit import log_action
from regie.core.errors import DomainError
from regie.core.mail import Attachment, in_language, mail_body, mail_queue, site_url
from regie.core.versioning import save_versioned
from regie.network.calendar import calendar_bytes, meeting_event, organizer_address
from regie.network.models import (
    Meeting,
    MeetingStatus,
    Registration,
    RegistrationStatus,
    StakeholderType,
)

ACTIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


class DuplicateRegistration(DomainError):
    """The e-mail address already holds a seat, or a place on the waiting list."""


class RegistrationClosed(DomainError):
    """Nobody can register for this event now."""


# Reading the state of an event -----------------------------------------------------------


def registration_problem(meeting: Meeting, *, now: datetime.datetime) -> str | None:
    """Why nobody can register now, or None when registration is open."""
    if meeting.status == MeetingStatus.CANCELLED:
        return _("This event has been cancelled.")
    if meeting.status == MeetingStatus.POSTPONED:
        return _("This event has been postponed: registration is closed.")
    if not meeting.registration_open:
        return _("Registration for this event is not open.")
    if meeting.status == MeetingStatus.HELD or now >= meeting.start:
        return _("This event has already started: registration is closed.")
    if meeting.registration_closes is not None and now >= meeting.registration_closes:
        return _("Registration for this event closed on %(date)s.") % {
            "date": formats.date_format(
                timezone.localtime(meeting.registration_closes), "DATETIME_FORMAT"
            )
        }
    return None


def seats_taken(meeting: Meeting) -> int:
    return Registration.objects.filter(
        meeting=meeting, status=RegistrationStatus.REGISTERED
    ).count()


def seats_left(meeting: Meeting) -> int | None:
    """Free seats, or None when the event has no capacity limit."""
    if meeting.capacity is None:
        return None
    return max(meeting.capacity - seats_taken(meeting), 0)


def waiting_position(registration: Registration) -> int | None:
    """1 for the first person on the waiting list; None for someone not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = Registration.objects.filter(
        meeting_id=registration.meeting_id, status=RegistrationStatus.WAITING
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def is_event(meeting: Meeting) -> bool:
    """A meeting that opened public registration at some time (the public API only sees these)."""
    return meeting.registration_open or meeting.registrations.exists()


@dataclass(frozen=True)
class StakeholderCount:
    stakeholder_type: str
    label: str
    registered: int
    waiting: int
    cancelled: int
    checked_in: int


@dataclass(frozen=True)
class RegistrationOverview:
    rows: list[StakeholderCount]
    total: StakeholderCount
    seats_left: int | None
    walk_ins: int


def registration_overview(*, meeting: Meeting) -> RegistrationOverview:
    """Counts per stakeholder type and status, in one query."""
    counts = (
        Registration.objects.filter(meeting=meeting)
        .values("stakeholder_type", "status")
        .annotate(
            n=Count("pk"),
            checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
            walk_ins=Count("pk", filter=Q(is_walk_in=True)),
        )
    )
    by_status: Counter[tuple[str, str]] = Counter()
    checked_in: Counter[str] = Counter()
    walk_ins = 0
    for row in counts:
        by_status[(row["stakeholder_type"], row["status"])] += row["n"]
        if row["status"] != RegistrationStatus.CANCELLED:
            checked_in[row["stakeholder_type"]] += row["checked_in"]
            walk_ins += row["walk_ins"]
    rows = [
        StakeholderCount(
            stakeholder_type=value,
            label=str(label),
            registered=by_status[(value, RegistrationStatus.REGISTERED)],
            waiting=by_status[(value, RegistrationStatus.WAITING)],
            cancelled=by_status[(value, RegistrationStatus.CANCELLED)],
            checked_in=checked_in[value],
        )
        for value, label in StakeholderType.choices
    ]
    total = StakeholderCount(
        stakeholder_type="",
        label=_("Total"),
        registered=sum(row.registered for row in rows),
        waiting=sum(row.waiting for row in rows),
        cancelled=sum(row.cancelled for row in rows),
        checked_in=sum(row.checked_in for row in rows),
    )
    left = None if meeting.capacity is None else max(meeting.capacity - total.registered, 0)
    return RegistrationOverview(rows=rows, total=total, seats_left=left, walk_ins=walk_ins)


def registration_list(*, meeting: Meeting, q: str = "", status: str = "") -> QuerySet[Registration]:
    registrations = Registration.objects.filter(meeting=meeting)
    if status:
        registrations = registrations.filter(status=status)
    for word in q.split()[:5]:
        registrations = registrations.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(organisation_name__icontains=word)
            | Q(email__icontains=word)
        )
    return registrations.order_by("created_at", "pk")


def checkin_list(*, meeting: Meeting, q: str = "") -> QuerySet[Registration]:
    """Who may be checked in: everyone not cancelled, by name."""
    return (
        registration_list(meeting=meeting, q=q)
        .filter(status__in=ACTIVE)
        .order_by("last_name", "first_name", "pk")
    )


def cancel_url(registration: Registration) -> str:
    return site_url(
        reverse(
            "events:event_cancel",
            args=[registration.meeting.registration_token, registration.cancel_token],
        )
    )


def event_url(meeting: Meeting) -> str:
    return site_url(reverse("events:event_detail", args=[meeting.registration_token]))


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
    if problem := registration_problem(meeting, now=now):
        raise RegistrationClosed(problem, code="closed")
    email = email.strip().lower()
    if not email:  # the model allows none for walk-ins; a registration needs one for its mails
        raise DomainError({"email": ValidationError(_("This field is required."), code="required")})
    active = Registration.objects.filter(meeting=meeting, status__in=ACTIVE)
    if active.filter(email__iexact=email).exists():
        raise _duplicate()
    full = meeting.capacity is not None and seats_taken(meeting) >= meeting.capacity
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
    actor: Any = None,
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


def _promote_waiting(*, meeting: Meeting, actor: Any, now: datetime.datetime) -> list[Registration]:
    """Give free seats to the waiting list, oldest registration first. Needs the meeting lock."""
    if now >= meeting.start:
        return []
    promoted: list[Registration] = []
    free = None if meeting.capacity is None else meeting.capacity - seats_taken(meeting)
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
    actor: Any,
    meeting: Meeting,
    expected_version: int,
    registration_open: bool,
    capacity: int | None,
    registration_closes: datetime.datetime | None,
    public_description: str,
    now: datetime.datetime | None = None,
) -> Meeting:
    """Open or close public registration and set its limits; a larger capacity promotes."""
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
    updated = save_versioned(
        instance=meeting,
        changes={
            "registration_open": registration_open,
            "capacity": capacity,
            "registration_closes": registration_closes,
            "public_description": public_description.strip(),
        },
        expected_version=expected_version,
        actor=actor,
    )
    log_action(
        actor=actor,
        action="meeting.registration_settings",
        target=updated,
        details={"open": registration_open, "capacity": capacity},
    )
    _promote_waiting(meeting=_locked(updated), actor=actor, now=now)
    return updated


@transaction.atomic
def registration_check_in(
    *,
    actor: Any,
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

# "<registration id>-<10 hex>", anywhere in what the scanner typed (a bare code or the URL).
CHECKIN_CODE = re.compile(r"(?<![0-9])([0-9]{1,12})-([0-9a-f]{10})(?![0-9a-f])", re.IGNORECASE)


def checkin_code(registration: Registration) -> str:
    """The code of the registration's QR code. Derived from the secret cancel token, which it
    does not reveal: whoever sees the QR code cannot cancel the registration."""
    digest = hashlib.sha256(f"regie-checkin:{registration.cancel_token}".encode()).hexdigest()
    return f"{registration.pk}-{digest[:10]}"


def checkin_url(registration: Registration) -> str:
    """What the QR code holds: the organiser's check-in page with the code filled in, so a
    phone camera opens it and a scanner that types into the code field checks the person in."""
    path = reverse("events:checkin", args=[registration.meeting_id])
    return site_url(f"{path}?{urlencode({'code': checkin_code(registration)})}")


def checkin_qr(registration: Registration) -> segno.QRCode:
    return segno.make(checkin_url(registration), error="m")


def checkin_qr_svg(registration: Registration) -> str:
    """The QR code as inline SVG (no script, no style attribute), for the confirmation page."""
    svg = checkin_qr(registration).svg_inline(
        scale=4, title=_("QR code to check in"), svgclass="checkin-qr"
    )
    return str(svg).replace("<svg ", '<svg role="img" ', 1)


def checkin_qr_png(registration: Registration) -> bytes:
    buffer = io.BytesIO()
    checkin_qr(registration).save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    already: bool  # was checked in before: the time stays as it was


def _code_error(message: str, code: str) -> DomainError:
    return DomainError({"code": ValidationError(message, code=code)})


@transaction.atomic
def registration_check_in_by_code(
    *, actor: Any, meeting: Meeting, code: str, now: datetime.datetime | None = None
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
    actor: Any,
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
        details={"full": meeting.capacity is not None and seats_taken(meeting) > meeting.capacity},
    )
    return registration


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


# Export ------------------------------------------------------------------------------------


def registration_export_rows(*, meeting: Meeting) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of the registrations export, in the order people registered."""
    header = [
        _("First name"),
        _("Last name"),
        _("E-mail"),
        _("Organisation"),
        _("Stakeholder type"),
        _("Status"),
        _("Walk-in"),
        _("Registered at"),
        _("Moved up from the waiting list"),
        _("Cancelled at"),
        _("Checked in at"),
    ]

    def moment(value: datetime.datetime | None) -> datetime.datetime | None:
        # Local wall-clock time, to the second: what a spreadsheet shows as it is.
        if value is None:
            return None
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)

    rows = [
        [
            r.first_name,
            r.last_name,
            r.email,
            r.organisation_name,
            r.get_stakeholder_type_display(),
            r.get_status_display(),
            _("yes") if r.is_walk_in else _("no"),
            moment(r.created_at),
            moment(r.promoted_at),
            moment(r.cancelled_at),
            moment(r.checked_in_at),
        ]
        for r in Registration.objects.filter(meeting=meeting).order_by("created_at", "pk")
    ]
    return header, rows


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
            f"network/registration_mail_{kind}.txt",
            {
                "registration": registration,
                "meeting": meeting,
                "position": waiting_position(registration),
                "cancel_url": cancel_url(registration),
                "event_url": event_url(meeting),
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


# Rate limit of the public form and API -------------------------------------------------------


def client_ip(request: HttpRequest) -> str:
    """The visitor's address. Behind the reverse proxy of docs/deployment.md gunicorn sees the
    proxy on a loopback or private address; the proxy appends the real one to
    X-Forwarded-For, so its last entry is the one to trust (earlier ones the client wrote)."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    try:
        via_proxy = ipaddress.ip_address(remote).is_private
    except ValueError:
        via_proxy = False
    if via_proxy and forwarded:
        last = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            return remote
    return remote


def registration_rate_limited(*, ip: str, now: float | None = None) -> bool:
    """Count one attempt from ``ip``; True once it made more than the allowed number in the
    current window (``REGIE_REGISTRATION_RATE``, e.g. 10 per 600 seconds)."""
    limit, period = settings.REGIE_REGISTRATION_RATE
    if limit <= 0:
        return False
    moment = timezone.now().timestamp() if now is None else now
    key = f"regie:registration-rate:{ip}:{int(moment // period)}"
    cache.add(key, 0, timeout=period)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        attempts = 1
    return attempts > limit


def rate_limit_message() -> str:
    return _(
        "Too many registrations from your connection in a short time. "
        "Wait a few minutes and try again."
    )
