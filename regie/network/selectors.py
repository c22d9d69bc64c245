"""Page-level reads of the networks: what a page or the API needs, in few queries."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from regie.core.models import OutgoingMail
from regie.core.permissions import Actor
from regie.network import extensions
from regie.network.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    Decision,
    FollowUp,
    FollowUpStatus,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    Membership,
    MinutesAddendum,
    MinutesStatus,
)
from regie.registry.models import Pillar

INACTIVE_MEETING = (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED)
PUBLIC_MINUTES = (MinutesStatus.APPROVED, MinutesStatus.LOCKED)
CLOSED_FOLLOW_UP = (FollowUpStatus.DONE, FollowUpStatus.DROPPED)


def current_members(day: datetime.date | None = None) -> Q:
    """Memberships that run on ``day`` (today by default)."""
    day = day or timezone.localdate()
    return (Q(start__isnull=True) | Q(start__lte=day)) & (Q(end__isnull=True) | Q(end__gte=day))


def body_list(
    *,
    user: Actor,
    q: str = "",
    kind: str = "",
    status: str = "",
    pillar: Pillar | None = None,
) -> QuerySet[Body]:
    """The bodies a user may see, with their current member count and next meeting."""
    now = timezone.now()
    members = (
        Membership.objects.filter(body=OuterRef("pk"))
        .filter(current_members())
        .order_by()
        .values("body")
        .annotate(count=Count("pk"))
        .values("count")
    )
    bodies = (
        Body.objects.visible_to(user)
        .select_related("pillar", "region")
        .annotate(
            member_count=Subquery(members, output_field=IntegerField()),
            next_meeting=Min(
                "meetings__start",
                filter=Q(meetings__start__gte=now) & ~Q(meetings__status__in=INACTIVE_MEETING),
            ),
        )
    )
    if q:
        bodies = bodies.filter(name__icontains=q)
    if kind:
        bodies = bodies.filter(kind=kind)
    if status:
        bodies = bodies.filter(status=status)
    if pillar is not None:
        bodies = bodies.filter(pillar=pillar)
    return bodies.order_by("name")


@dataclass
class BodyPage:
    body: Body
    members: list[Membership]
    former_members: list[Membership]
    upcoming: list[Meeting]
    past: list[Meeting]
    decisions: list[Decision]
    open_follow_ups: list[FollowUp]


def body_detail(*, user: Actor, pk: int) -> BodyPage:
    """One body with its members, meetings, decisions and open follow-ups."""
    body = Body.objects.visible_to(user).select_related("pillar", "region").get(pk=pk)
    memberships = list(
        body.memberships.select_related("organisation", "person").order_by(
            "role", "organisation__name", "person__last_name", "person__first_name"
        )
    )
    current = set(body.memberships.filter(current_members()).values_list("pk", flat=True))
    now = timezone.now()
    meetings = list(
        body.meetings.annotate(
            attendance_count=Count("attendances", distinct=True),
            present_count=Count(
                "attendances",
                filter=Q(attendances__status=AttendanceStatus.PRESENT),
                distinct=True,
            ),
        ).order_by("start")
    )
    return BodyPage(
        body=body,
        members=[m for m in memberships if m.pk in current],
        former_members=[m for m in memberships if m.pk not in current],
        upcoming=[m for m in meetings if m.end >= now],
        past=[m for m in reversed(meetings) if m.end < now],
        decisions=list(
            Decision.objects.filter(meeting__body=body)
            .select_related("meeting", "agenda_item")
            .order_by("-meeting__start", "-pk")
        ),
        open_follow_ups=list(
            body.follow_ups.open().select_related("owner", "meeting").order_by("due_date", "pk")
        ),
    )


def open_follow_ups_before(meeting: Meeting) -> QuerySet[FollowUp]:
    """The body's follow-ups from earlier meetings that are not done: they are on the agenda."""
    return (
        FollowUp.objects.open()
        .filter(body_id=meeting.body_id)
        .filter(Q(meeting__isnull=True) | Q(meeting__start__lt=meeting.start))
        .exclude(meeting=meeting)
        .select_related("owner", "meeting")
        .order_by("due_date", "pk")
    )


def meeting_overlaps(
    *,
    body: Body,
    start: datetime.datetime,
    end: datetime.datetime,
    exclude_pk: int | None = None,
) -> list[Meeting]:
    """Other meetings of the same body at the same time (a warning, not a refusal)."""
    overlapping = (
        Meeting.objects.filter(body=body, start__lt=end, end__gt=start)
        .exclude(status__in=INACTIVE_MEETING)
        .order_by("start")
    )
    if exclude_pk:
        overlapping = overlapping.exclude(pk=exclude_pk)
    return list(overlapping)


@dataclass
class MeetingPage:
    meeting: Meeting
    agenda: list[AgendaItem]
    open_follow_ups: list[FollowUp]
    attendances: list[Attendance]
    attendance_counts: list[tuple[str, str, int]]
    decisions: list[Decision]
    follow_ups: list[FollowUp]
    documents: list[MeetingDocument]
    overlaps: list[Meeting]
    show_minutes: bool
    has_minutes: bool = False
    previous: Meeting | None = None
    postponed_from: list[Meeting] = field(default_factory=list)
    failed_mails: list[OutgoingMail] = field(default_factory=list)


def failed_mails(meeting: Meeting, *, limit: int = 50) -> list[OutgoingMail]:
    """Mails about the meeting, or about what other apps hang on it (an event's registrations),
    that could not be sent (yet), newest first: given up on, or waiting for another attempt
    after a failure."""
    topics = [f"{Meeting._meta.label_lower}:{meeting.pk}", *extensions.mail_topics(meeting=meeting)]
    return list(
        OutgoingMail.objects.filter(about__in=topics)
        .exclude(status=OutgoingMail.Status.SENT)
        .exclude(last_error="")
        .order_by("-created_at", "-pk")[:limit]
    )


def meeting_detail(*, user: Actor, pk: int, can_edit: bool) -> MeetingPage:
    """One meeting: agenda (with the open follow-ups of earlier meetings), attendance, minutes
    (drafts only for those who may edit the meeting), decisions, follow-ups and documents; for
    those who may edit it, the mails about it that failed."""
    meeting = (
        Meeting.objects.visible_to(user)
        .select_related("body", "body__pillar", "postponed_to")
        .get(pk=pk)
    )
    agenda = list(
        meeting.agenda_items.select_related("carried_from__meeting").prefetch_related(
            Prefetch("addenda", queryset=MinutesAddendum.objects.select_related("author"))
        )
    )
    attendances = list(
        meeting.attendances.select_related("person", "organisation").order_by(
            "is_guest", "organisation__name", "person__last_name", "guest_name", "pk"
        )
    )
    tally = Counter(attendance.status for attendance in attendances)
    counts = [(value, str(label), tally[value]) for value, label in AttendanceStatus.choices]
    overlaps = (
        []
        if meeting.status in INACTIVE_MEETING
        else meeting_overlaps(
            body=meeting.body, start=meeting.start, end=meeting.end, exclude_pk=meeting.pk
        )
    )
    return MeetingPage(
        meeting=meeting,
        agenda=agenda,
        open_follow_ups=list(open_follow_ups_before(meeting)),
        attendances=attendances,
        attendance_counts=counts,
        decisions=list(meeting.decisions.select_related("agenda_item")),
        follow_ups=list(meeting.follow_ups.select_related("owner", "agenda_item")),
        documents=list(meeting.documents.select_related("uploaded_by")),
        overlaps=overlaps,
        show_minutes=can_edit or meeting.minutes_status in PUBLIC_MINUTES,
        has_minutes=any(item.minutes.strip() or item.addenda.all() for item in agenda),
        previous=(
            Meeting.objects.filter(body=meeting.body, start__lt=meeting.start)
            .exclude(status__in=INACTIVE_MEETING)
            .order_by("-start")
            .first()
        ),
        postponed_from=list(meeting.postponed_from.all()),
        failed_mails=failed_mails(meeting) if can_edit else [],
    )


def my_follow_ups(*, user: Actor) -> QuerySet[FollowUp]:
    """The follow-ups owned by the user's person in the registry, open ones first."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return FollowUp.objects.none()
    return (
        FollowUp.objects.visible_to(user)
        .filter(owner_id=person_id)
        .select_related("body", "meeting", "owner")
        .annotate(
            is_closed=Case(
                When(status__in=CLOSED_FOLLOW_UP, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("is_closed", "due_date", "pk")
    )


def meeting_list(
    *, user: Actor, year: int | None = None, body: Body | None = None
) -> QuerySet[Meeting]:
    """Meetings a user may see, with attendance counts per status (for the API)."""
    meetings = Meeting.objects.visible_to(user).select_related("body")
    if year is not None:
        start = timezone.make_aware(datetime.datetime(year, 1, 1))
        end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
        meetings = meetings.filter(start__gte=start, start__lt=end)
    if body is not None:
        meetings = meetings.filter(body=body)
    counts = {
        f"attendance_{status}": Count("attendances", filter=Q(attendances__status=status))
        for status in AttendanceStatus.values
    }
    return meetings.annotate(**counts).order_by("start", "pk")
