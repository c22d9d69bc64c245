"""Meetings as iCalendar: the attachment of invitation mails and each user's secret feed.

One meeting is always the same calendar event: ``UID`` is ``<meeting.uid>@regie`` and
``SEQUENCE`` is ``meeting.sequence``, so a calendar replaces an earlier copy instead of adding
a second one. Times are written in UTC, which every calendar converts to local time; no
``VTIMEZONE`` is needed. An event carries the meeting's title, time, place and video link only:
no agenda, no names, so a feed leaked to the wrong person tells no more than that.
"""

import copy
import datetime
from collections.abc import Iterable
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from regie.accounts.models import User
from regie.core.audit import log_action
from regie.core.permissions import Actor, Role
from regie.network.models import (
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    Membership,
    new_token,
)

PRODID = "-//Regie//Regie lokale sociale economie//NL"
# A postponed meeting does not happen at its date: calendars show it as cancelled.
NOT_TAKING_PLACE = {MeetingStatus.CANCELLED, MeetingStatus.POSTPONED}
FEED_PAST_DAYS = 90


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@regie"


def organizer_address() -> icalendar.vCalAddress:
    """The platform's sender address: the same organizer on every mail about a meeting."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = icalendar.vCalAddress(f"mailto:{address or settings.DEFAULT_FROM_EMAIL}")
    organizer.params["CN"] = name or "Regie"
    return organizer


def meeting_event(
    meeting: Meeting,
    *,
    cancelled: bool | None = None,
    organizer: icalendar.vCalAddress | None = None,
    attendee: str = "",
    now: datetime.datetime | None = None,
) -> icalendar.Event:
    """The VEVENT of one meeting; ``cancelled`` defaults to whether it still takes place."""
    if cancelled is None:
        cancelled = meeting.status in NOT_TAKING_PLACE
    is_online = meeting.format in {MeetingFormat.DIGITAL, MeetingFormat.HYBRID}
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", (now or timezone.now()).astimezone(datetime.UTC))
    event.add("dtstart", meeting.start.astimezone(datetime.UTC))
    event.add("dtend", meeting.end.astimezone(datetime.UTC))
    event.add("summary", meeting.title)
    location = meeting.location or (meeting.video_url if is_online else "")
    if location:
        event.add("location", location)
    if is_online and meeting.video_url:
        event.add("url", meeting.video_url)
        event.add("description", meeting.video_url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if organizer is not None:
        event.add("organizer", organizer)
    if attendee:
        address = icalendar.vCalAddress(f"mailto:{attendee}")
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["RSVP"] = "FALSE"
        event.add("attendee", address)
    return event


def calendar_bytes(events: Iterable[icalendar.Event], *, method: str = "", name: str = "") -> bytes:
    """A calendar of ``events``. A published one (``PUBLISH``) names no attendees (RFC 5546)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("name", name)
        calendar.add("x-published-ttl", "PT1H")
    for event in events:
        if method == "PUBLISH" and "ATTENDEE" in event:
            event = copy.deepcopy(event)
            del event["ATTENDEE"]
        calendar.add_component(event)
    return bytes(calendar.to_ical())


# The feed ------------------------------------------------------------------------------------


def my_meetings(*, user: Actor | None) -> QuerySet[Meeting]:
    """The meetings of a user's calendar: those their person is invited to or, as a member,
    belongs to; for a coordinator every meeting of the region's bodies."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Meeting.objects.none()
    mine = Q(pk__in=[])
    if user.person_id:
        invited = Attendance.objects.filter(meeting=OuterRef("pk"), person_id=user.person_id)
        member = Membership.objects.filter(body=OuterRef("body"), person_id=user.person_id).filter(
            Q(start__isnull=True) | Q(start__lte=OuterRef("start__date")),
            Q(end__isnull=True) | Q(end__gte=OuterRef("start__date")),
        )
        mine |= Exists(invited) | Exists(member)
    if user.role == Role.COORDINATOR and user.region_id:
        mine |= Q(body__region_id=user.region_id)
    return Meeting.objects.filter(mine)


def calendar_feed_meetings(*, user: Actor, now: datetime.datetime | None = None) -> list[Meeting]:
    """What the feed lists: the last ``FEED_PAST_DAYS`` days and everything ahead."""
    since = (now or timezone.now()) - datetime.timedelta(days=FEED_PAST_DAYS)
    return list(my_meetings(user=user).filter(end__gte=since).order_by("start", "pk"))


def calendar_feed_ics(
    *, feed: CalendarFeed, name: str, now: datetime.datetime | None = None
) -> bytes:
    now = now or timezone.now()
    meetings = calendar_feed_meetings(user=feed.user, now=now)
    return calendar_bytes(
        (meeting_event(m, now=now) for m in meetings), method="PUBLISH", name=name
    )


def calendar_feed_for_token(*, token: str) -> CalendarFeed | None:
    """The feed of an active user with this token, or None (an unknown token is a 404)."""
    if not token or len(token) > 64:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )


@transaction.atomic
def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """Create the user's feed, or give it a new token: the old address stops working."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = new_token()
        feed.save(update_fields=["token"])
    log_action(
        actor=user,
        action="calendar_feed.create" if created else "calendar_feed.renew",
        target=feed,
    )
    return feed


@transaction.atomic
def calendar_feed_delete(*, user: User) -> None:
    """Stop publishing the user's calendar: the address answers 404 from now on."""
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        log_action(actor=user, action="calendar_feed.delete", target=user)
