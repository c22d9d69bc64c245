"""Who may see and change which registry record: the one place where scoping is decided."""

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef

from regie.core.permissions import MANAGERS, Actor, Role, in_organisation, in_region, role_of

if TYPE_CHECKING:
    from regie.registry.models import (  # noqa: F401 (names used in string annotations)
        Affiliation,
        Organisation,
        Person,
        Recognition,
        Site,
    )


EDITORS = MANAGERS | {Role.PARTNER}
"""Who edits registry records: the managers, and a partner their own organisation's."""


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, actor: Actor) -> "OrganisationQuerySet":
        """Admins see all; coordinators and counsellors their region; partners their own."""
        match role_of(actor):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR | Role.COUNSELLOR:
                return self.filter(in_region(actor))
            case Role.PARTNER:
                return self.filter(in_organisation(actor, "pk"))
            case _:
                return self.none()

    def editable_by(self, actor: Actor) -> "OrganisationQuerySet":
        match role_of(actor):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR:
                return self.filter(in_region(actor))
            case Role.PARTNER:
                return self.filter(in_organisation(actor, "pk"))
            case _:
                return self.none()

    def active(self) -> "OrganisationQuerySet":
        return self.filter(is_archived=False)


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, actor: Actor) -> "PersonQuerySet":
        """Professional contacts: the region for coordinators, colleagues for partners."""
        from regie.registry.models import Affiliation

        match role_of(actor):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR:
                return self.filter(in_region(actor))
            case Role.PARTNER | Role.COUNSELLOR:
                colleague = Affiliation.objects.filter(
                    in_organisation(actor), person=OuterRef("pk")
                )
                return self.filter(Exists(colleague))
            case _:
                return self.none()

    def editable_by(self, actor: Actor) -> "PersonQuerySet":
        match role_of(actor):
            case Role.COUNSELLOR:
                return self.none()
            case _:
                return self.visible_to(actor)

    def active(self) -> "PersonQuerySet":
        return self.filter(is_archived=False)


class SiteQuerySet(models.QuerySet["Site"]):
    def visible_to(self, actor: Actor) -> "SiteQuerySet":
        from regie.registry.models import Organisation

        return self.filter(organisation__in=Organisation.objects.visible_to(actor))

    def editable_by(self, actor: Actor) -> "SiteQuerySet":
        from regie.registry.models import Organisation

        return self.filter(organisation__in=Organisation.objects.editable_by(actor))


class RecognitionQuerySet(models.QuerySet["Recognition"]):
    def visible_to(self, actor: Actor) -> "RecognitionQuerySet":
        from regie.registry.models import Organisation

        return self.filter(organisation__in=Organisation.objects.visible_to(actor))

    def editable_by(self, actor: Actor) -> "RecognitionQuerySet":
        """Recognitions are granted by the government: only the coordinator records them."""
        from regie.registry.models import Organisation

        match role_of(actor):
            case Role.ADMIN | Role.COORDINATOR:
                return self.filter(organisation__in=Organisation.objects.editable_by(actor))
            case _:
                return self.none()

    def active_on(self, day: datetime.date) -> "RecognitionQuerySet":
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day)
        )


class AffiliationQuerySet(models.QuerySet["Affiliation"]):
    def visible_to(self, actor: Actor) -> "AffiliationQuerySet":
        from regie.registry.models import Organisation, Person

        return self.filter(
            organisation__in=Organisation.objects.visible_to(actor),
            person__in=Person.objects.visible_to(actor),
        )

    def editable_by(self, actor: Actor) -> "AffiliationQuerySet":
        from regie.registry.models import Organisation, Person

        return self.filter(
            organisation__in=Organisation.objects.editable_by(actor),
            person__in=Person.objects.editable_by(actor),
        )
