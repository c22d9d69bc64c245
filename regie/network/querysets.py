"""Who may see and change which part of the networks: the one place where scoping is decided."""

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q

from regie.core.permissions import Actor, Role, in_region, role_of

if TYPE_CHECKING:
    from regie.network.models import (  # noqa: F401 (names used in string annotations)
        Body,
        FollowUp,
        Meeting,
    )


class BodyQuerySet(models.QuerySet["Body"]):
    def visible_to(self, actor: Actor) -> "BodyQuerySet":
        """Coordinators see their region's bodies; partners and counsellors the bodies their
        organisation (or a colleague) sits in; viewers none."""
        from regie.network.models import Membership

        match role_of(actor):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR:
                return self.filter(in_region(actor))
            case Role.PARTNER | Role.COUNSELLOR:
                member = Membership.objects.filter(body=OuterRef("pk")).filter(
                    Q(organisation_id=actor.organisation_id)
                    | Q(person__affiliations__organisation_id=actor.organisation_id)
                )
                return self.filter(Exists(member))
            case _:
                return self.none()

    def editable_by(self, actor: Actor) -> "BodyQuerySet":
        match role_of(actor):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR:
                return self.filter(in_region(actor))
            case _:
                return self.none()


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, actor: Actor) -> "MeetingQuerySet":
        from regie.network.models import Body

        return self.filter(body__in=Body.objects.visible_to(actor))

    def editable_by(self, actor: Actor) -> "MeetingQuerySet":
        from regie.network.models import Body

        return self.filter(body__in=Body.objects.editable_by(actor))


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def visible_to(self, actor: Actor) -> "FollowUpQuerySet":
        from regie.network.models import Body

        return self.filter(body__in=Body.objects.visible_to(actor))

    def editable_by(self, actor: Actor) -> "FollowUpQuerySet":
        """The body's managers, and the owner of the follow-up for their own point."""
        from regie.network.models import Body

        signed_in = role_of(actor) is not None
        own = Q(owner_id=actor.person_id) if signed_in and actor.person_id else Q(pk__in=[])
        return self.filter(
            Q(body__in=Body.objects.editable_by(actor))
            | (own & Q(body__in=Body.objects.visible_to(actor)))
        )

    def open(self) -> "FollowUpQuerySet":
        return self.filter(status__in=["open", "in_progress"])
