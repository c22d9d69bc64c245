"""Invitations to meetings, their updates and cancellations, and the reminders the day before.

Scheduling a meeting mails nobody: the coordinator presses "Uitnodigen" when the agenda is
ready (``meeting_invite``), which records ``Meeting.invited_at`` and, for each attendee whose
mail was queued, ``Attendance.invited_at``. From then on a change of date, place, format or
video link mails an update, and a cancellation or postponement a cancel: the same calendar UID
with a higher SEQUENCE, so calendars move or strike the event they already hold. Every mail
goes through the outbox (``regie.core.mail``): an SMTP failure is recorded and retried by
``send_queued_mail``, never lost; a mail that cannot be written at all shows on the meeting.
The participants of an event hear of changes and get reminders too, through the hooks that
``events`` registers (``extensions``).

Each attendee gets a mail of their own: nobody sees the other addresses.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.models import User
from regie.core.audit import log_action
from regie.core.errors import DomainError
from regie.core.mail import Attachment, in_language, mail_body, mail_queue
from regie.core.models import OutgoingMail
from regie.network import extensions
from regie.network.calendar import (
    NOT_TAKING_PLACE,
    calendar_bytes,
    meeting_event,
    organizer_address,
)
from regie.network.models import AgendaItem, Attendance, Meeting, MeetingStatus

# What a calendar shows: a change to one of these is worth an update mail.
CALENDAR_FIELDS = frozenset({"title", "start", "end", "format", "location", "video_url"})
REMINDER_FROM = datetime.timedelta(hours=24)
REMINDER_UNTIL = datetime.timedelta(hours=48)


def meeting_scheduled(*, meeting: Meeting, actor: User) -> None:
    """A new meeting mails nobody yet: the coordinator invites once the agenda is ready."""


def meeting_recipients(meeting: Meeting) -> list[tuple[str, str]]:
    """(name, address) of every attendee with an e-mail address, each address once."""
    return [(name, address) for name, address, _pks in _recipient_attendances(meeting)]


def _recipient_attendances(meeting: Meeting) -> list[tuple[str, str, list[int]]]:
    # A member organisation is mailed at its own address (``Attendance.email``).
    recipients: dict[str, tuple[str, str, list[int]]] = {}
    attendances = meeting.attendances.select_related("person", "organisation").order_by("pk")
    for attendance in attendances:
        address = attendance.email
        if address:
            entry = recipients.setdefault(address.lower(), (attendance.display_name, address, []))
            entry[2].append(attendance.pk)
    return list(recipients.values())


@transaction.atomic
def meeting_invite(*, meeting: Meeting, actor: User) -> int:
    """Mail every attendee with an address an invitation with the agenda and an ``.ics``.

    Pressing it again sends the invitation again (same UID and SEQUENCE: a calendar keeps one
    event). Only the mails actually queued count: their attendees and the meeting are marked as
    invited; a mail that could not be written is kept as failed and shows on the meeting.
    Returns the number of mails queued.
    """
    now = timezone.now()
    current = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if current.status in NOT_TAKING_PLACE or current.status == MeetingStatus.HELD:
        raise DomainError(_("Only a planned or confirmed meeting can be invited to."))
    if current.end <= now:
        raise DomainError(_("This meeting is over: there is nobody left to invite."))
    recipients = _recipient_attendances(current)
    if not recipients:
        raise DomainError(
            _(
                "Nobody on the attendance list has an e-mail address: add members or guests "
                "with an address first."
            )
        )
    agenda = list(current.agenda_items.order_by("position", "pk"))
    invited: list[int] = []
    queued = 0
    for name, address, pks in recipients:
        mail = _meeting_mail(current, kind="invitation", name=name, address=address, agenda=agenda)
        if mail.status != OutgoingMail.Status.FAILED:
            queued += 1
            invited.extend(pks)
    if invited:
        Attendance.objects.filter(pk__in=invited).update(invited_at=now)
        Meeting.objects.filter(pk=current.pk).update(invited_at=now)
        meeting.invited_at = now
    log_action(
        actor=actor,
        action="meeting.invite",
        target=current,
        details={
            "recipients": len(recipients),
            "queued": queued,
            "sequence": current.sequence,
        },
    )
    return queued


@transaction.atomic
def meeting_changed(*, meeting: Meeting, actor: User, changes: list[str]) -> None:
    """Tell the invited and the registered about a change that matters to their calendar.

    The services call it after saving the meeting with a raised ``sequence``, naming the
    fields that changed. A change of title, time, place, format or link mails an update, a
    status that became cancelled or postponed a cancel: to the attendees once the meeting was
    invited, and to the participants of an event (the waiting list hears of a cancel only).
    """
    changed = set(changes)
    current = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    cancelling = "status" in changed and current.status in NOT_TAKING_PLACE
    updating = (
        bool(changed & CALENDAR_FIELDS)
        and current.status not in NOT_TAKING_PLACE
        and current.status != MeetingStatus.HELD
    )
    if not (cancelling or updating):
        return
    kind = "cancel" if cancelling else "update"
    recipients = meeting_recipients(current) if current.invited_at is not None else []
    seen = {address.lower() for _name, address in recipients}
    for name, address in extensions.change_recipients(meeting=current, cancelling=cancelling):
        if address.lower() not in seen:
            seen.add(address.lower())
            recipients.append((name, address))
    for name, address in recipients:
        _meeting_mail(current, kind=kind, name=name, address=address)
    if recipients:
        log_action(
            actor=actor,
            action=f"meeting.invite_{kind}",
            target=current,
            details={
                "recipients": len(recipients),
                "sequence": current.sequence,
                "changes": sorted(changed),
            },
        )


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind everyone of the meetings that start 24 to 48 hours from ``now``.

    Attendees of invited meetings and the registered participants of events each get one mail.
    A meeting is reminded once (``reminder_sent_at``), however often this runs, also when two
    runs overlap. Returns the number of mails queued.
    """
    now = now or timezone.now()
    due = Meeting.objects.filter(
        reminder_sent_at__isnull=True,
        status__in=[MeetingStatus.PLANNED, MeetingStatus.CONFIRMED],
        start__gte=now + REMINDER_FROM,
        start__lt=now + REMINDER_UNTIL,
    ).order_by("start")
    queued = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            meeting = (
                Meeting.objects.select_for_update()
                .select_related("body")
                .filter(pk=pk, reminder_sent_at__isnull=True)
                .first()
            )
            if meeting is None:  # another run got there first
                continue
            if meeting.invited_at is not None:
                for name, address in meeting_recipients(meeting):
                    _meeting_mail(meeting, kind="reminder", name=name, address=address)
                    queued += 1
            queued += extensions.reminders_queue(meeting=meeting)
            Meeting.objects.filter(pk=pk).update(reminder_sent_at=now)
    return queued


def _meeting_mail(
    meeting: Meeting,
    *,
    kind: str,
    name: str,
    address: str,
    agenda: list[AgendaItem] | None = None,
) -> OutgoingMail:
    cancelled = kind == "cancel"
    with in_language(None):
        titles = {
            "invitation": _("Invitation: %(title)s"),
            "update": _("Changed: %(title)s"),
            "cancel": _("Postponed: %(title)s")
            if meeting.status == MeetingStatus.POSTPONED
            else _("Cancelled: %(title)s"),
            "reminder": _("Reminder: %(title)s"),
        }
        subject = titles[kind] % {"title": meeting.title}
        body = mail_body(
            f"network/meeting_mail_{kind}.txt",
            {
                "meeting": meeting,
                "name": name,
                "postponed_to": meeting.postponed_to,
                "agenda": agenda or [],
            },
        )
    attachments = []
    method = "CANCEL" if cancelled else "REQUEST"
    try:
        event = meeting_event(
            meeting, cancelled=cancelled, organizer=organizer_address(), attendee=address
        )
    except ValueError:  # an address with a line break: the outbox keeps the mail as failed
        event = None
    if kind != "reminder" and event is not None:
        attachments.append(
            Attachment(
                filename="annulering.ics" if cancelled else "uitnodiging.ics",
                content=calendar_bytes([event], method=method),
                mimetype=f"text/calendar; method={method}",
            )
        )
    return mail_queue(
        to=[address], subject=subject, body=body, attachments=attachments, about=meeting
    )
