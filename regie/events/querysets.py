"""Who may see and change which event: the organisers of its meeting, as the networks decide."""

from typing import TYPE_CHECKING

from django.db import models

from regie.core.permissions import Actor
from regie.network.models import Meeting

if TYPE_CHECKING:
    from regie.events.models import Event, Registration  # noqa: F401 (string annotations)


class EventQuerySet(models.QuerySet["Event"]):
    def visible_to(self, actor: Actor) -> "EventQuerySet":
        """An event is seen by whoever sees its meeting (its public page needs no account)."""
        return self.filter(meeting__in=Meeting.objects.visible_to(actor))

    def editable_by(self, actor: Actor) -> "EventQuerySet":
        return self.filter(meeting__in=Meeting.objects.editable_by(actor))


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def editable_by(self, actor: Actor) -> "RegistrationQuerySet":
        """The registrations of the meetings the actor organises (participants use their link)."""
        return self.filter(meeting__in=Meeting.objects.editable_by(actor))

    def active(self) -> "RegistrationQuerySet":
        """Who holds a seat or waits for one."""
        return self.filter(status__in=["registered", "waiting"])
