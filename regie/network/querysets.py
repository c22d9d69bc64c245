"""Who may see and change which part of the networks: the one place where scoping is decided."""

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Exists, OuterRef, Q

from regie.accounts.models import Role

if TYPE_CHECKING:
    from regie.network.models import (  # noqa: F401 (names used in string annotations)
        Body,
        FollowUp,
        KnowledgeEntry,
        Meeting,
        Practice,
        Rule,
    )


def _role(user: Any) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return Role.ADMIN if user.is_superuser else str(user.role)


class BodyQuerySet(models.QuerySet["Body"]):
    def visible_to(self, user: Any) -> "BodyQuerySet":
        """Coordinators see their region's bodies; partners and counsellors the bodies their
        organisation (or a colleague) sits in; viewers none."""
        from regie.network.models import Membership

        match _role(user):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR:
                return self.filter(region_id=user.region_id) if user.region_id else self.none()
            case Role.PARTNER | Role.COUNSELLOR:
                member = Membership.objects.filter(body=OuterRef("pk")).filter(
                    Q(organisation_id=user.organisation_id)
                    | Q(person__affiliations__organisation_id=user.organisation_id)
                )
                return self.filter(Exists(member))
            case _:
                return self.none()

    def editable_by(self, user: Any) -> "BodyQuerySet":
        match _role(user):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR:
                return self.filter(region_id=user.region_id) if user.region_id else self.none()
            case _:
                return self.none()


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user: Any) -> "MeetingQuerySet":
        from regie.network.models import Body

        return self.filter(body__in=Body.objects.visible_to(user))

    def editable_by(self, user: Any) -> "MeetingQuerySet":
        from regie.network.models import Body

        return self.filter(body__in=Body.objects.editable_by(user))


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def visible_to(self, user: Any) -> "FollowUpQuerySet":
        from regie.network.models import Body

        return self.filter(body__in=Body.objects.visible_to(user))

    def editable_by(self, user: Any) -> "FollowUpQuerySet":
        """The body's managers, and the owner of the follow-up for their own point."""
        from regie.network.models import Body

        own = Q(owner_id=user.person_id) if getattr(user, "person_id", None) else Q(pk__in=[])
        return self.filter(
            Q(body__in=Body.objects.editable_by(user))
            | (own & Q(body__in=Body.objects.visible_to(user)))
        )

    def open(self) -> "FollowUpQuerySet":
        return self.filter(status__in=["open", "in_progress"])


class _RegionKnowledgeQuerySet[M: models.Model](models.QuerySet[M]):
    def visible_to(self, user: Any) -> "_RegionKnowledgeQuerySet[M]":
        """Knowledge is shared across the region's network; viewers see none of it."""
        match _role(user):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR | Role.PARTNER | Role.COUNSELLOR:
                return self.filter(region_id=user.region_id) if user.region_id else self.none()
            case _:
                return self.none()

    def editable_by(self, user: Any) -> "_RegionKnowledgeQuerySet[M]":
        match _role(user):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR:
                return self.filter(region_id=user.region_id) if user.region_id else self.none()
            case _:
                return self.none()


class PracticeQuerySet(_RegionKnowledgeQuerySet["Practice"]):
    pass


class RuleQuerySet(_RegionKnowledgeQuerySet["Rule"]):
    pass


class KnowledgeEntryQuerySet(_RegionKnowledgeQuerySet["KnowledgeEntry"]):
    pass
