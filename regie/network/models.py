"""Consultation bodies, their meetings (agenda, attendance, minutes, decisions, follow-ups,
documents) and each user's calendar feed."""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from regie.core.fetching import PeersManager
from regie.network.querysets import BodyQuerySet, FollowUpQuerySet, MeetingQuerySet


def new_token() -> str:
    return secrets.token_urlsafe(24)


class BodyKind(models.TextChoices):
    WORKING_GROUP = "working_group", _("Working group")
    LEARNING_NETWORK = "learning_network", _("Learning network")
    PLATFORM = "platform", _("Consultation platform")
    REGIONAL = "regional", _("Regional consultation")
    EXTERNAL = "external", _("External consultation")


class BodyStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    ENDED = "ended", _("Ended")


class Body(models.Model):
    """A consultation body (overlegorgaan): AZ-fabriek, Lerend Netwerk, werkgroep RASE …"""

    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="bodies"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    pillar = models.ForeignKey(
        "registry.Pillar",
        verbose_name=_("pillar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies",
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BodyStatus.choices, default=BodyStatus.ACTIVE
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    status_date = models.DateField(_("since"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PeersManager.from_queryset(BodyQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.status == BodyStatus.ON_HOLD and not (self.status_reason and self.status_date):
            raise ValidationError(
                {"status_reason": _("Give the reason and the date when a body is put on hold.")}
            )


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    """An organisation or a person in a body."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="body_memberships",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="body_memberships",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(person__isnull=False),
                name="membership_has_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person or self.organisation} – {self.body}"


class MeetingFormat(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    DIGITAL = "digital", _("Digital")
    HYBRID = "hybrid", _("Hybrid")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    HELD = "held", _("Held")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent for comments")
    APPROVED = "approved", _("Approved")
    LOCKED = "locked", _("Locked")


class Meeting(models.Model):
    """A meeting of a body; one open to the public (ROSE, Trefdag) has an ``events.Event``."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    format = models.CharField(
        _("format"), max_length=10, choices=MeetingFormat.choices, default=MeetingFormat.PHYSICAL
    )
    location = models.CharField(_("location"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    postponed_to = models.ForeignKey(
        "self",
        verbose_name=_("postponed to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="postponed_from",
    )
    minutes_status = models.CharField(
        pgettext_lazy("meeting report", "minutes"),
        max_length=10,
        choices=MinutesStatus.choices,
        default=MinutesStatus.DRAFT,
    )
    # Calendar identity: the same UID for every mail about this meeting, SEQUENCE up on change.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # Set when the coordinator sends the invitations; from then on changes are mailed too.
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PeersManager.from_queryset(MeetingQuerySet)()
    history = HistoricalRecords(excluded_fields=["reminder_sent_at", "invited_at"])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="meeting_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.start):%d/%m/%Y})"

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The end must be after the start.")
        if self.format in {MeetingFormat.DIGITAL, MeetingFormat.HYBRID} and not self.video_url:
            errors["video_url"] = _("A digital or hybrid meeting needs a video link.")
        if self.format in {MeetingFormat.PHYSICAL, MeetingFormat.HYBRID} and not self.location:
            errors["location"] = _("A physical or hybrid meeting needs a location.")
        if self.status == MeetingStatus.CANCELLED and not self.status_reason:
            errors["status_reason"] = _("Give the reason for the cancellation.")
        if errors:
            raise ValidationError(errors)

    @property
    def minutes_locked(self) -> bool:
        return self.minutes_status == MinutesStatus.LOCKED


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    is_standing = models.BooleanField(
        _("standing item"),
        default=False,
        help_text=_("Carried over to the next meeting of the body."),
    )
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    minutes = models.TextField(pgettext_lazy("meeting report", "minutes"), blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class MinutesAddendum(models.Model):
    """A correction to locked minutes: the locked text stays as it was."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="addenda")
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.agenda_item}: {self.text[:40]}"


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    """Who was invited to a meeting and whether they came: members by default, plus guests."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    guest_name = models.CharField(_("guest"), max_length=200, blank=True)
    guest_email = models.EmailField(_("guest e-mail"), blank=True)
    is_guest = models.BooleanField(_("guest"), default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.INVITED,
    )
    # Set when an invitation to this attendee was queued (``invitations.meeting_invite``).
    invited_at = models.DateTimeField(_("invited by mail"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["invited_at"])

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="one_attendance_per_person",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False)
                | Q(organisation__isnull=False)
                | ~Q(guest_name=""),
                name="attendance_has_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} – {self.meeting}"

    @property
    def display_name(self) -> str:
        return str(self.person or self.guest_name or self.organisation)

    @property
    def email(self) -> str:
        """Where mail about the meeting goes: the person, the guest, or a member organisation."""
        if self.person is not None:
            return self.person.email.strip() or self.guest_email.strip()
        if self.guest_email.strip() or self.is_guest or self.organisation is None:
            return self.guest_email.strip()
        return self.organisation.email.strip()


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    text = models.TextField(_("decision"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting__start", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class FollowUp(models.Model):
    """An action point from a meeting, on the owner's list and the next agendas until done."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="follow_ups")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    title = models.CharField(_("follow-up"), max_length=300)
    owner = models.ForeignKey(
        "registry.Person",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(FollowUpQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in {FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS}


class MeetingDocument(models.Model):
    """A file attached to a meeting, stored outside the web root and served after a check."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="meetings/%Y/")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.filename


class CalendarFeed(models.Model):
    """A user's secret calendar address: whoever has the token reads that user's meetings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=40, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar of {self.user}"
