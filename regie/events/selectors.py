"""Reads of events: whether registration is open, seats, the waiting list, counts and lists.

A meeting that is no event (no ``Event`` row) reads as one whose registration is not open.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from regie.core.mail import site_url
from regie.core.models import OutgoingMail
from regie.core.spreadsheets import Cell
from regie.events.models import Event, Registration, RegistrationStatus, StakeholderType
from regie.network.models import Meeting, MeetingStatus

ACTIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


def event_of(meeting: Meeting) -> Event | None:
    """The meeting's public side, or None for a meeting that never opened registration."""
    try:
        return meeting.event
    except Event.DoesNotExist:
        return None


def event_by_token(token: str) -> Event | None:
    """The event whose public page has this address, with its meeting and body."""
    return (
        Event.objects.select_related("meeting__body__region")
        .filter(registration_token=token)
        .first()
    )


def registration_problem(meeting: Meeting, *, now: datetime.datetime) -> str | None:
    """Why nobody can register now, or None when registration is open."""
    if meeting.status == MeetingStatus.CANCELLED:
        return _("This event has been cancelled.")
    if meeting.status == MeetingStatus.POSTPONED:
        return _("This event has been postponed: registration is closed.")
    event = event_of(meeting)
    if event is None or not event.registration_open:
        return _("Registration for this event is not open.")
    if meeting.status == MeetingStatus.HELD or now >= meeting.start:
        return _("This event has already started: registration is closed.")
    if event.registration_closes is not None and now >= event.registration_closes:
        return _("Registration for this event closed on %(date)s.") % {
            "date": formats.date_format(
                timezone.localtime(event.registration_closes), "DATETIME_FORMAT"
            )
        }
    return None


def seats_taken(meeting: Meeting) -> int:
    return Registration.objects.filter(
        meeting=meeting, status=RegistrationStatus.REGISTERED
    ).count()


def capacity_of(meeting: Meeting) -> int | None:
    """The event's number of seats; None for no limit (or a meeting that is no event)."""
    event = event_of(meeting)
    return None if event is None else event.capacity


def seats_left(meeting: Meeting) -> int | None:
    """Free seats, or None when the event has no capacity limit."""
    capacity = capacity_of(meeting)
    if capacity is None:
        return None
    return max(capacity - seats_taken(meeting), 0)


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
    event = event_of(meeting)
    return event is not None and (event.registration_open or meeting.registrations.exists())


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
    capacity = capacity_of(meeting)
    left = None if capacity is None else max(capacity - total.registered, 0)
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
    """The cancel link of a registration's mails (a meeting with registrations is an event)."""
    return site_url(
        reverse(
            "events:event_cancel",
            args=[registration.meeting.event.registration_token, registration.cancel_token],
        )
    )


def event_url(meeting: Meeting) -> str:
    return site_url(reverse("events:event_detail", args=[meeting.event.registration_token]))


def checkin_counts(meeting: Meeting) -> dict[str, int]:
    """Who is expected at the door, and who arrived (walk-ins included)."""
    expected = meeting.registrations.filter(status=RegistrationStatus.REGISTERED)
    arrived = meeting.registrations.exclude(status=RegistrationStatus.CANCELLED).filter(
        checked_in_at__isnull=False
    )
    return {"expected_count": expected.count(), "arrived_count": arrived.count()}


@dataclass(frozen=True)
class MeetingMails:
    mails: QuerySet[OutgoingMail]
    counts: dict[str, int]


def meeting_mails(meeting: Meeting, *, limit: int = 200) -> MeetingMails:
    """The invitations, updates and reminders about the meeting, newest first, and the count
    per status (sent, waiting, failed)."""
    mails = OutgoingMail.objects.filter(about=f"{Meeting._meta.label_lower}:{meeting.pk}")
    return MeetingMails(
        mails=mails.order_by("-created_at")[:limit],
        counts={status: mails.filter(status=status).count() for status in OutgoingMail.Status},
    )


def registration_export_rows(*, meeting: Meeting) -> tuple[list[str], list[list[Cell]]]:
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

    rows: list[list[Cell]] = [
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
