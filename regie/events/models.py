"""Events: meetings opened to the public, and the registrations for them.

A meeting becomes an event when its organiser first saves the registration settings (or
registers someone at the door); most meetings never do and have no ``Event``. An event's key
is its meeting's, so ``/api/v1/events/<id>/`` and the organiser's pages name the meeting.

``Registration`` kept the table it had in the networks app (``network_registration``) and its
key to the meeting: a seat is taken at a meeting, whose row every seat-changing write locks.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regie.core.fetching import PeersManager
from regie.events.querysets import EventQuerySet, RegistrationQuerySet
from regie.network.models import new_token


class Event(models.Model):
    """The public side of a meeting (ROSE, Trefdag): its registration page, seats and text."""

    meeting = models.OneToOneField(
        "network.Meeting",
        verbose_name=_("meeting"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="event",
    )
    registration_open = models.BooleanField(_("public registration"), default=False)
    registration_token = models.CharField(max_length=40, unique=True, default=new_token)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    public_description = models.TextField(_("description for participants"), blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(EventQuerySet)()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return str(self.meeting)


class StakeholderType(models.TextChoices):
    SE_ORGANISATION = "se_organisation", _("SE organisation")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    OCMW = "ocmw", _("OCMW")
    VDAB = "vdab", _("VDAB")
    WORKPLACE_ARCHITECT = "workplace_architect", _("Workplace architect")
    OTHER = "other", _("Other")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    """A public registration for an event, without an account."""

    meeting = models.ForeignKey(
        "network.Meeting", on_delete=models.CASCADE, related_name="registrations"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)  # only a walk-in may have none
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    stakeholder_type = models.CharField(
        _("you are"), max_length=20, choices=StakeholderType.choices
    )
    is_walk_in = models.BooleanField(_("walk-in"), default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    cancel_token = models.CharField(max_length=40, unique=True, default=new_token)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    objects = PeersManager.from_queryset(RegistrationQuerySet)()

    class Meta:
        db_table = "network_registration"
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=~Q(status="cancelled") & ~Q(email=""),
                name="one_registration_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} – {self.meeting}"
