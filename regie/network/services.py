"""Writes to the networks: bodies, meetings, agendas, attendance, minutes, follow-ups, documents.

Every function is keyword-only, atomic and validated. A change of a meeting's date, place,
format, video link, title or status raises its calendar ``sequence`` and calls the invitations hooks
after saving, so attendees hear of it. Updates take their fields as keyword parameters that
default to ``KEEP`` (``core.versioning.given``): a field left out keeps its value.
"""

import datetime
import io
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from regie.accounts.models import User
from regie.core.audit import log_action
from regie.core.errors import DomainError
from regie.core.history import set_history_user
from regie.core.mail import mail_queue
from regie.core.versioning import KEEP, Keep, given, save_new, save_versioned
from regie.network import extensions, invitations
from regie.network.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyStatus,
    Decision,
    FollowUp,
    FollowUpStatus,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    MemberRole,
    Membership,
    MinutesAddendum,
    MinutesStatus,
)
from regie.registry.models import Organisation, Person, Pillar, Region

# Changes to these fields reach the attendees' calendars (a higher SEQUENCE, an update mail).
CALENDAR_FIELDS = ("title", "start", "end", "format", "location", "video_url", "status")
CLOSED_MEETING = (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED)
MEETING_TRANSITIONS: dict[str, set[str]] = {
    MeetingStatus.PLANNED: {MeetingStatus.CONFIRMED, MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.CONFIRMED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.HELD: set(),
    MeetingStatus.POSTPONED: set(),
    MeetingStatus.CANCELLED: set(),
}
MINUTES_TRANSITIONS: dict[str, set[str]] = {
    MinutesStatus.SENT: {MinutesStatus.DRAFT, MinutesStatus.SENT},
    MinutesStatus.APPROVED: {MinutesStatus.SENT},
    MinutesStatus.LOCKED: {MinutesStatus.APPROVED},
}


# Bodies --------------------------------------------------------------------------------------


@transaction.atomic
def body_create(
    *,
    actor: User,
    region: Region,
    name: str,
    kind: str,
    pillar: Pillar | None = None,
    description: str = "",
) -> Body:
    _check_body_name(region=region, name=name)
    body = save_new(
        instance=Body(region=region, name=name, kind=kind, pillar=pillar, description=description),
        actor=actor,
    )
    log_action(actor=actor, action="body.create", target=body)
    return body


@transaction.atomic
def body_update(
    *,
    actor: User,
    body: Body,
    expected_version: int,
    name: str | Keep = KEEP,
    kind: str | Keep = KEEP,
    pillar: Pillar | Keep | None = KEEP,
    description: str | Keep = KEEP,
) -> Body:
    if name is not KEEP:
        _check_body_name(region=body.region, name=name, exclude_pk=body.pk)
    return save_versioned(
        instance=body,
        changes=given(name=name, kind=kind, pillar=pillar, description=description),
        expected_version=expected_version,
        actor=actor,
    )


def _check_body_name(*, region: Region, name: str, exclude_pk: int = 0) -> None:
    clash = Body.objects.filter(region=region, name__iexact=name.strip()).exclude(pk=exclude_pk)
    if name and clash.exists():
        raise DomainError({"name": _("The region already has a body with this name.")})


@transaction.atomic
def body_status_change(
    *,
    actor: User,
    body: Body,
    expected_version: int,
    status: str,
    reason: str = "",
    since: datetime.date | None = None,
) -> Body:
    """Active, on hold (a reason and a date are required) or ended (since today by default)."""
    reason = reason.strip()
    if status not in BodyStatus.values:
        raise DomainError({"status": _("Choose active, on hold or ended.")})
    if status == BodyStatus.ON_HOLD:
        errors = {}
        if not reason:
            errors["status_reason"] = _("Give the reason why the body is put on hold.")
        if since is None:
            errors["status_date"] = _("Give the date from which the body is on hold.")
        if errors:
            raise DomainError(errors)
    body = save_versioned(
        instance=body,
        changes={
            "status": status,
            "status_reason": reason,
            "status_date": since or timezone.localdate(),
        },
        expected_version=expected_version,
        actor=actor,
    )
    log_action(
        actor=actor, action="body.status", target=body, details={"status": status, "reason": reason}
    )
    return body


@transaction.atomic
def membership_create(
    *,
    actor: User,
    body: Body,
    organisation: Organisation | None = None,
    person: Person | None = None,
    role: str = MemberRole.MEMBER,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Membership:
    membership = Membership(
        body=body, organisation=organisation, person=person, role=role, start=start, end=end
    )
    _check_membership(membership)
    membership = save_new(instance=membership, actor=actor)
    log_action(
        actor=actor, action="membership.create", target=body, details={"member": str(membership)}
    )
    return membership


@transaction.atomic
def membership_update(
    *,
    actor: User,
    membership: Membership,
    organisation: Organisation | Keep | None = KEEP,
    person: Person | Keep | None = KEEP,
    role: str | Keep = KEEP,
    start: datetime.date | Keep | None = KEEP,
    end: datetime.date | Keep | None = KEEP,
) -> Membership:
    changes = given(organisation=organisation, person=person, role=role, start=start, end=end)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    for name, value in changes.items():
        setattr(membership, name, value)
    _check_membership(membership)
    return _save(membership, actor=actor)


@transaction.atomic
def membership_end(*, actor: User, membership: Membership, end: datetime.date) -> Membership:
    membership = membership_update(actor=actor, membership=membership, end=end)
    log_action(
        actor=actor,
        action="membership.end",
        target=membership.body,
        details={"member": str(membership), "end": end.isoformat()},
    )
    return membership


def _check_membership(membership: Membership) -> None:
    organisation: Organisation | None = membership.organisation
    person: Person | None = membership.person
    region_id = membership.body.region_id
    errors: dict[str, str] = {}
    if organisation is None and person is None:
        errors["organisation"] = _("Choose an organisation, a person or both.")
    if organisation is not None and organisation.region_id != region_id:
        errors["organisation"] = _("This organisation is not in the body's region.")
    if person is not None and person.region_id != region_id:
        errors["person"] = _("This person is not in the body's region.")
    if membership.start and membership.end and membership.end < membership.start:
        errors["end"] = _("The end date is before the start date.")
    if not errors:
        same = Membership.objects.filter(body_id=membership.body_id, end__isnull=True).exclude(
            pk=membership.pk
        )
        same = (
            same.filter(person=person)
            if person
            else same.filter(person__isnull=True, organisation=organisation)
        )
        if membership.end is None and same.exists():
            field = "person" if person else "organisation"
            errors[field] = _("This member already sits in the body; edit that membership.")
    if errors:
        raise DomainError(errors)


# Meetings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewAgendaItem:
    title: str
    presenter: str = ""
    description: str = ""
    is_standing: bool = False


@transaction.atomic
def meeting_schedule(
    *,
    actor: User,
    body: Body,
    title: str,
    start: datetime.datetime,
    end: datetime.datetime,
    format: str,
    location: str = "",
    video_url: str = "",
    agenda: Sequence[NewAgendaItem] = (),
) -> Meeting:
    """Schedule a meeting: the standing items of the body's previous meeting come first, then
    ``agenda``; every current member is on the attendance list."""
    if body.status == BodyStatus.ENDED:
        raise DomainError(_("This body has ended: it holds no more meetings."))
    meeting = Meeting(
        body=body,
        title=title.strip(),
        start=start,
        end=end,
        format=format,
        location=location.strip(),
        video_url=video_url.strip(),
    )
    _check_video_url(meeting.video_url)
    meeting = save_new(instance=meeting, actor=actor)
    previous = (
        Meeting.objects.filter(body=body, start__lt=start)
        .exclude(pk=meeting.pk)
        .exclude(status__in=CLOSED_MEETING)
        .order_by("-start")
        .first()
    )
    position = 0
    carried: set[str] = set()
    if previous is not None:
        for standing in previous.agenda_items.filter(is_standing=True):
            if _same_title(standing.title) in carried:
                continue
            carried.add(_same_title(standing.title))
            position += 1
            save_new(
                instance=AgendaItem(
                    meeting=meeting,
                    position=position,
                    title=standing.title,
                    description=standing.description,
                    presenter=standing.presenter,
                    is_standing=True,
                    carried_from=standing,
                ),
                actor=actor,
            )
    for item in agenda:
        if _same_title(item.title) in carried:  # already on the agenda as a standing item
            continue
        carried.add(_same_title(item.title))
        position += 1
        save_new(
            instance=AgendaItem(
                meeting=meeting,
                position=position,
                title=item.title.strip(),
                presenter=item.presenter.strip(),
                description=item.description.strip(),
                is_standing=item.is_standing,
            ),
            actor=actor,
        )
    _invite_members(meeting=meeting, actor=actor)
    log_action(actor=actor, action="meeting.schedule", target=meeting)
    invitations.meeting_scheduled(meeting=meeting, actor=actor)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    expected_version: int,
    title: str | Keep = KEEP,
    start: datetime.datetime | Keep = KEEP,
    end: datetime.datetime | Keep = KEEP,
    format: str | Keep = KEEP,
    location: str | Keep = KEEP,
    video_url: str | Keep = KEEP,
) -> Meeting:
    """Change title, time, format, place or video link; attendees hear of calendar changes."""
    if meeting.status in CLOSED_MEETING:
        raise DomainError(_("A cancelled or postponed meeting can no longer be changed."))
    changes = given(
        title=title,
        start=start,
        end=end,
        format=format,
        location=location,
        video_url=video_url,
    )
    changed = [
        name
        for name in CALENDAR_FIELDS
        if name in changes and getattr(meeting, name) != changes[name]
    ]
    if changed:
        changes["sequence"] = meeting.sequence + 1
    _check_video_url(changes.get("video_url", meeting.video_url))
    meeting = save_versioned(
        instance=meeting, changes=changes, expected_version=expected_version, actor=actor
    )
    if changed:
        log_action(
            actor=actor, action="meeting.change", target=meeting, details={"changes": changed}
        )
        invitations.meeting_changed(meeting=meeting, actor=actor, changes=changed)
    return meeting


def _check_video_url(video_url: str) -> None:
    if video_url and not video_url.lower().startswith(("https://", "http://")):
        raise DomainError(
            {"video_url": _("Give the full address of the video call, starting with https://.")}
        )


@transaction.atomic
def meeting_status_change(
    *, actor: User, meeting: Meeting, status: str, reason: str = ""
) -> Meeting:
    """Confirm, mark as held or cancel (with a reason). Postponing is ``meeting_postpone``."""
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if status not in MeetingStatus.values or status == MeetingStatus.POSTPONED:
        raise DomainError({"status": _("Choose confirmed, held or cancelled.")})
    if status not in MEETING_TRANSITIONS[current.status]:
        raise DomainError(
            {
                "status": _("A meeting that is %(current)s cannot become %(new)s.")
                % {
                    "current": current.get_status_display().lower(),
                    "new": str(MeetingStatus(status).label).lower(),
                }
            }
        )
    reason = reason.strip()
    if status == MeetingStatus.CANCELLED and not reason:
        raise DomainError({"status_reason": _("Give the reason for the cancellation.")})
    if status == MeetingStatus.HELD and current.start > timezone.now():
        raise DomainError({"status": _("A meeting cannot be marked as held before it starts.")})
    changes: dict[str, object] = {"status": status, "sequence": current.sequence + 1}
    if status == MeetingStatus.CANCELLED:
        changes["status_reason"] = reason
    meeting = save_versioned(
        instance=current, changes=changes, expected_version=current.version, actor=actor
    )
    log_action(
        actor=actor,
        action=f"meeting.{status}",
        target=meeting,
        details={"reason": reason} if reason else {},
    )
    invitations.meeting_changed(meeting=meeting, actor=actor, changes=["status"])
    return meeting


@transaction.atomic
def meeting_postpone(
    *,
    actor: User,
    meeting: Meeting,
    start: datetime.datetime,
    end: datetime.datetime,
    reason: str = "",
) -> Meeting:
    """Move a meeting to a new date: a new meeting with the same agenda and invitees; the old
    one stays, marked postponed and linked to the new one. Returns the new meeting."""
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.status not in (MeetingStatus.PLANNED, MeetingStatus.CONFIRMED):
        raise DomainError(_("Only a planned or confirmed meeting can be postponed."))
    if start == current.start and end == current.end:
        raise DomainError({"start": _("Choose a new date or time for the meeting.")})
    new = save_new(
        instance=Meeting(
            body=current.body,
            title=current.title,
            start=start,
            end=end,
            format=current.format,
            location=current.location,
            video_url=current.video_url,
        ),
        actor=actor,
    )
    for item in current.agenda_items.all():
        save_new(
            instance=AgendaItem(
                meeting=new,
                position=item.position,
                title=item.title,
                description=item.description,
                presenter=item.presenter,
                is_standing=item.is_standing,
                carried_from=item,
            ),
            actor=actor,
        )
    for attendance in current.attendances.all():
        save_new(
            instance=Attendance(
                meeting=new,
                person_id=attendance.person_id,
                organisation_id=attendance.organisation_id,
                guest_name=attendance.guest_name,
                guest_email=attendance.guest_email,
                is_guest=attendance.is_guest,
            ),
            actor=actor,
        )
    old = save_versioned(
        instance=current,
        changes={
            "status": MeetingStatus.POSTPONED,
            "status_reason": reason.strip(),
            "postponed_to": new,
            "sequence": current.sequence + 1,
        },
        expected_version=current.version,
        actor=actor,
    )
    log_action(
        actor=actor,
        action="meeting.postpone",
        target=old,
        details={"to": new.pk, "start": start.isoformat()},
    )
    extensions.meeting_postponed(old=old, new=new, actor=actor)
    invitations.meeting_changed(meeting=old, actor=actor, changes=["status"])
    invitations.meeting_scheduled(meeting=new, actor=actor)
    return new


# Agenda --------------------------------------------------------------------------------------


def _check_agenda_open(meeting: Meeting) -> None:
    if meeting.status in CLOSED_MEETING:
        raise DomainError(_("The agenda of a cancelled or postponed meeting cannot change."))
    if meeting.minutes_locked:
        raise DomainError(_("The minutes of this meeting are locked: the agenda cannot change."))


def _same_title(title: str) -> str:
    return " ".join(title.split()).casefold()


@transaction.atomic
def agenda_item_add(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    presenter: str = "",
    description: str = "",
    is_standing: bool = False,
) -> AgendaItem:
    _check_agenda_open(meeting)
    same = _same_title(title)
    standing = meeting.agenda_items.filter(is_standing=True, carried_from__isnull=False)
    if same and any(_same_title(item.title) == same for item in standing):
        raise DomainError(
            {
                "title": _(
                    "This item is already on the agenda: it was carried over as a standing item."
                )
            }
        )
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(
        meeting=meeting,
        position=last + 1,
        title=title,
        presenter=presenter,
        description=description,
        is_standing=is_standing,
    )
    return save_new(instance=item, actor=actor)


@transaction.atomic
def agenda_item_update(
    *,
    actor: User,
    item: AgendaItem,
    expected_version: int,
    title: str | Keep = KEEP,
    presenter: str | Keep = KEEP,
    description: str | Keep = KEEP,
    is_standing: bool | Keep = KEEP,
) -> AgendaItem:
    _check_agenda_open(item.meeting)
    return save_versioned(
        instance=item,
        changes=given(
            title=title, presenter=presenter, description=description, is_standing=is_standing
        ),
        expected_version=expected_version,
        actor=actor,
    )


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, direction: str) -> list[AgendaItem]:
    """Move an item one place up or down; returns the agenda in its new order."""
    meeting = item.meeting
    _check_agenda_open(meeting)
    if direction not in ("up", "down"):
        raise DomainError(_("Move an item up or down."))
    items = list(meeting.agenda_items.select_for_update().order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            _save(other, actor=actor)
    return items


@transaction.atomic
def agenda_item_remove(*, actor: User, item: AgendaItem) -> None:
    _check_agenda_open(item.meeting)
    if item.minutes.strip() or item.decisions.exists() or item.follow_ups.exists():
        raise DomainError(
            _("This item has minutes, decisions or follow-ups: it cannot be removed.")
        )
    meeting = item.meeting
    set_history_user(item, actor)
    item.delete()
    for position, other in enumerate(meeting.agenda_items.order_by("position", "pk"), start=1):
        if other.position != position:
            other.position = position
            _save(other, actor=actor)
    log_action(
        actor=actor, action="agenda_item.remove", target=meeting, details={"title": item.title}
    )


# Attendance ----------------------------------------------------------------------------------


def _members_on(body: Body, day: datetime.date) -> list[Membership]:
    return list(
        body.memberships.filter(Q(start__isnull=True) | Q(start__lte=day))
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("person", "organisation")
    )


def _invite_members(*, meeting: Meeting, actor: User) -> int:
    """Put every member of the body on the attendance list who is not on it yet."""
    existing = list(meeting.attendances.all())
    people = {a.person_id for a in existing if a.person_id}
    organisations = {a.organisation_id for a in existing if a.person_id is None}
    added = 0
    for membership in _members_on(meeting.body, timezone.localtime(meeting.start).date()):
        if membership.person_id:
            if membership.person_id in people:
                continue
            people.add(membership.person_id)
        else:
            if membership.organisation_id in organisations:
                continue
            organisations.add(membership.organisation_id)
        save_new(
            instance=Attendance(
                meeting=meeting,
                person_id=membership.person_id,
                organisation_id=membership.organisation_id,
            ),
            actor=actor,
        )
        added += 1
    return added


@transaction.atomic
def attendance_invite_members(*, actor: User, meeting: Meeting) -> int:
    """Add the members who joined since the meeting was scheduled; returns how many."""
    if meeting.status in CLOSED_MEETING:
        raise DomainError(_("A cancelled or postponed meeting has no attendance list to extend."))
    return _invite_members(meeting=meeting, actor=actor)


@transaction.atomic
def attendance_add_guest(
    *, actor: User, meeting: Meeting, name: str, email: str = ""
) -> Attendance:
    if meeting.status in CLOSED_MEETING:
        raise DomainError(_("A cancelled or postponed meeting takes no more guests."))
    name, email = name.strip(), email.strip()
    if not name:
        raise DomainError({"guest_name": _("Give the guest's name.")})
    if (
        email
        and meeting.attendances.filter(
            Q(guest_email__iexact=email) | Q(person__email__iexact=email)
        ).exists()
    ):
        raise DomainError(
            {"guest_email": _("Someone with this e-mail address is already invited.")}
        )
    return save_new(
        instance=Attendance(meeting=meeting, guest_name=name, guest_email=email, is_guest=True),
        actor=actor,
    )


@transaction.atomic
def attendance_mark(*, actor: User, attendance: Attendance, status: str) -> Attendance:
    if status not in AttendanceStatus.values:
        raise DomainError({"status": _("Choose invited, confirmed, present, excused or absent.")})
    if attendance.meeting.status in CLOSED_MEETING:
        raise DomainError(_("A cancelled or postponed meeting keeps its attendance as it was."))
    attendance.status = status
    return _save(attendance, actor=actor)


# Minutes, decisions and follow-ups -----------------------------------------------------------


def _check_minutes_open(meeting: Meeting) -> None:
    if meeting.minutes_locked:
        raise DomainError(
            _("The minutes are locked and cannot change: add an addendum to correct them.")
        )
    if meeting.status in CLOSED_MEETING:
        raise DomainError(_("A cancelled or postponed meeting has no minutes."))


@transaction.atomic
def minutes_save(
    *, actor: User, meeting: Meeting, texts: Mapping[int, tuple[str, int]]
) -> list[AgendaItem]:
    """Save the minutes per agenda item: ``texts`` maps an item's id to (text, its version)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_minutes_open(meeting)
    items = {item.pk: item for item in meeting.agenda_items.all()}
    saved = []
    for pk, (text, version) in texts.items():
        if pk not in items:
            raise DomainError(_("This agenda item is not on the meeting's agenda."))
        item = items[pk]
        if item.minutes != text:
            item = save_versioned(
                instance=item, changes={"minutes": text}, expected_version=version, actor=actor
            )
        saved.append(item)
    return saved


def _minutes_advance(*, actor: User, meeting: Meeting, to: str) -> Meeting:
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.minutes_status not in MINUTES_TRANSITIONS[to]:
        raise DomainError(
            _("Minutes that are %(current)s cannot become %(new)s.")
            % {
                "current": current.get_minutes_status_display().lower(),
                "new": str(MinutesStatus(to).label).lower(),
            }
        )
    if current.status != MeetingStatus.HELD:
        raise DomainError(_("Minutes move on only once the meeting was held."))
    meeting = save_versioned(
        instance=current,
        changes={"minutes_status": to},
        expected_version=current.version,
        actor=actor,
    )
    log_action(actor=actor, action=f"minutes.{to}", target=meeting)
    return meeting


@transaction.atomic
def minutes_send(*, actor: User, meeting: Meeting) -> Meeting:
    """Send the draft minutes to everyone on the attendance list with an e-mail address, for
    their comments."""
    recipients: dict[str, str] = {}
    for attendance in meeting.attendances.select_related("person", "organisation"):
        if attendance.email:
            recipients.setdefault(attendance.email.lower(), attendance.email)
    if not recipients:
        raise DomainError(_("Nobody on the attendance list has an e-mail address."))
    meeting = _minutes_advance(actor=actor, meeting=meeting, to=MinutesStatus.SENT)
    # The members read the mail in the platform's language, whatever the sender's screen shows.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Draft minutes for your comments: %(meeting)s") % {"meeting": meeting}
        body = _minutes_mail(meeting)
    # One mail per recipient: nobody sees the others' addresses, and a reply goes to the sender.
    for address in sorted(recipients.values(), key=str.lower):
        mail_queue(
            to=[address],
            reply_to=[actor.email] if actor.email else [],
            subject=subject,
            body=body,
            about=meeting,
        )
    return meeting


def _minutes_mail(meeting: Meeting) -> str:
    when = date_format(timezone.localtime(meeting.start), "DATETIME_FORMAT")
    lines = [
        _("Draft minutes of %(title)s (%(body)s), %(when)s.")
        % {"title": meeting.title, "body": meeting.body.name, "when": when},
        _("Send your comments by replying to this e-mail."),
        "",
    ]
    for number, item in enumerate(meeting.agenda_items.all(), start=1):
        lines.append(f"{number}. {item.title}")
        lines.append(item.minutes.strip() or _("(no minutes)"))
        lines.append("")
    decisions = list(meeting.decisions.all())
    if decisions:
        lines.append(_("Decisions"))
        lines.extend(f"- {decision.text}" for decision in decisions)
        lines.append("")
    follow_ups = list(meeting.follow_ups.select_related("owner"))
    if follow_ups:
        lines.append(_("Follow-ups"))
        for follow_up in follow_ups:
            owner = follow_up.owner or _("no owner")
            due = (
                date_format(follow_up.due_date, "SHORT_DATE_FORMAT") if follow_up.due_date else "…"
            )
            lines.append(f"- {follow_up.title} ({owner}, {due})")
    return "\n".join(lines).strip() + "\n"


@transaction.atomic
def minutes_approve(*, actor: User, meeting: Meeting) -> Meeting:
    return _minutes_advance(actor=actor, meeting=meeting, to=MinutesStatus.APPROVED)


@transaction.atomic
def minutes_lock(*, actor: User, meeting: Meeting) -> Meeting:
    return _minutes_advance(actor=actor, meeting=meeting, to=MinutesStatus.LOCKED)


@transaction.atomic
def addendum_add(*, actor: User, item: AgendaItem, text: str) -> MinutesAddendum:
    """Correct locked minutes: the locked text stays, the addendum follows it."""
    if not item.meeting.minutes_locked:
        raise DomainError(
            _(
                "These minutes are not locked: correct the text itself instead of adding an "
                "addendum."
            )
        )
    if not text.strip():
        raise DomainError({"text": _("Write the correction.")})
    addendum = save_new(
        instance=MinutesAddendum(agenda_item=item, text=text.strip(), author=actor), actor=actor
    )
    log_action(actor=actor, action="minutes.addendum", target=item.meeting)
    return addendum


@transaction.atomic
def decision_record(
    *, actor: User, meeting: Meeting, text: str, agenda_item: AgendaItem | None = None
) -> Decision:
    _check_minutes_open(meeting)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise DomainError({"agenda_item": _("This agenda item is not on the meeting's agenda.")})
    decision = save_new(
        instance=Decision(meeting=meeting, agenda_item=agenda_item, text=text.strip()),
        actor=actor,
    )
    log_action(actor=actor, action="decision.record", target=meeting)
    return decision


@transaction.atomic
def follow_up_create(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    owner: Person | None = None,
    due_date: datetime.date | None = None,
    agenda_item: AgendaItem | None = None,
) -> FollowUp:
    if meeting.status in CLOSED_MEETING:
        raise DomainError(_("A cancelled or postponed meeting has no follow-ups."))
    _check_follow_up(body=meeting.body, owner=owner)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise DomainError({"agenda_item": _("This agenda item is not on the meeting's agenda.")})
    follow_up = save_new(
        instance=FollowUp(
            body=meeting.body,
            meeting=meeting,
            agenda_item=agenda_item,
            title=title.strip(),
            owner=owner,
            due_date=due_date,
        ),
        actor=actor,
    )
    log_action(actor=actor, action="follow_up.create", target=follow_up)
    return follow_up


def _check_follow_up(*, body: Body, owner: Person | None) -> None:
    if owner is not None and owner.region_id != body.region_id:
        raise DomainError({"owner": _("The owner must be a person of the body's region.")})


@transaction.atomic
def follow_up_update(
    *,
    actor: User,
    follow_up: FollowUp,
    expected_version: int,
    title: str | Keep = KEEP,
    owner: Person | Keep | None = KEEP,
    due_date: datetime.date | Keep | None = KEEP,
    status: str | Keep = KEEP,
) -> FollowUp:
    if owner is not KEEP:
        _check_follow_up(body=follow_up.body, owner=owner)
    changes = given(title=title, owner=owner, due_date=due_date, status=status)
    if status is not KEEP:
        changes.update(_done_at(follow_up, status))
    return save_versioned(
        instance=follow_up, changes=changes, expected_version=expected_version, actor=actor
    )


@transaction.atomic
def follow_up_status_change(
    *, actor: User, follow_up: FollowUp, status: str, expected_version: int
) -> FollowUp:
    """Open, in progress, done or dropped: the owner of the point may change it too."""
    if status not in FollowUpStatus.values:
        raise DomainError({"status": _("Choose open, in progress, done or dropped.")})
    follow_up = save_versioned(
        instance=follow_up,
        changes={"status": status, **_done_at(follow_up, status)},
        expected_version=expected_version,
        actor=actor,
    )
    log_action(actor=actor, action="follow_up.status", target=follow_up, details={"status": status})
    return follow_up


def _done_at(follow_up: FollowUp, status: str) -> dict[str, datetime.datetime | None]:
    if status == FollowUpStatus.DONE:
        return {"done_at": follow_up.done_at or timezone.now()}
    return {"done_at": None}


# Documents -----------------------------------------------------------------------------------

# What a file is, told by its first bytes (and, for Office files, the members of the archive).
ZIP_MAGIC = b"PK\x03\x04"
OFFICE_MEMBERS = {
    "word/document.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "xl/workbook.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
    ),
}
OPENDOCUMENT_TYPES = {
    b"application/vnd.oasis.opendocument.text": ".odt",
    b"application/vnd.oasis.opendocument.spreadsheet": ".ods",
    b"application/vnd.oasis.opendocument.presentation": ".odp",
}
TEXT_CONTROL_BYTES = set(range(32)) - {9, 10, 12, 13}


def document_type(data: bytes) -> tuple[str, str] | None:
    """The MIME type and extension of an accepted document, by its content; None if refused."""
    if data.startswith(b"%PDF-"):
        return "application/pdf", ".pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", ".png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", ".jpg"
    if data.startswith(ZIP_MAGIC):
        return _archive_type(data)
    return _text_type(data)


def _archive_type(data: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                for member, kind in OFFICE_MEMBERS.items():
                    if member in names:
                        return kind
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                mimetype = archive.read("mimetype").strip()
                if mimetype in OPENDOCUMENT_TYPES:
                    return mimetype.decode("ascii"), OPENDOCUMENT_TYPES[mimetype]
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def _text_type(data: bytes) -> tuple[str, str] | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if any(ord(char) in TEXT_CONTROL_BYTES for char in text):
        return None
    return "text/plain", ".txt"


@transaction.atomic
def document_upload(
    *, actor: User, meeting: Meeting, upload: "UploadedFile[bytes]"
) -> MeetingDocument:
    """Attach a file to a meeting after checking its size and what its content really is."""
    limit: int = settings.REGIE_DOCUMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise _too_large(upload.size, limit)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(len(data), limit)
    if not data:
        raise DomainError({"file": _("The file is empty.")})
    kind = document_type(data)
    if kind is None:
        raise DomainError(
            {
                "file": _(
                    "This kind of file is not accepted, whatever its name says. Upload a PDF, "
                    "a PNG or JPEG image, a Word, Excel or PowerPoint file, an OpenDocument "
                    "file or plain text."
                )
            }
        )
    content_type, extension = kind
    stem = PurePath(upload.name or "").stem
    filename = get_valid_filename(f"{stem or _('document')}{extension}")[:200]
    document = MeetingDocument(
        meeting=meeting,
        filename=filename,
        content_type=content_type,
        size=len(data),
        uploaded_by=actor,
    )
    # The stored name is random: nothing the uploader chose reaches the file system.
    document.file.save(f"{uuid.uuid4().hex}{extension}", ContentFile(data), save=False)
    document.full_clean()
    document.save()
    log_action(actor=actor, action="document.upload", target=meeting, details={"file": filename})
    return document


def _too_large(size: int, limit: int) -> DomainError:
    return DomainError(
        {
            "file": _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        }
    )


def _save[M: (AgendaItem, Attendance, Membership)](instance: M, *, actor: User) -> M:
    set_history_user(instance, actor)
    instance.full_clean()
    instance.save()
    return instance
