"""Who may see and change which registry record: the one place where scoping is decided."""

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Exists, OuterRef

from regie.accounts.models import Role

if TYPE_CHECKING:
    from regie.registry.models import (  # noqa: F401 (names used in string annotations)
        Affiliation,
        Organisation,
        Person,
        Recognition,
        Site,
    )


def _role(user: Any) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return str(user.role)


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: Any) -> "OrganisationQuerySet":
        """Admins see all; coordinators and counsellors their region; partners their own."""
        match _role(user):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR | Role.COUNSELLOR:
                return self.filter(region_id=user.region_id) if user.region_id else self.none()
            case Role.PARTNER:
                return self.filter(pk=user.organisation_id)
            case _:
                return self.none()

    def editable_by(self, user: Any) -> "OrganisationQuerySet":
        match _role(user):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR:
                return self.filter(region_id=user.region_id) if user.region_id else self.none()
            case Role.PARTNER:
                return self.filter(pk=user.organisation_id)
            case _:
                return self.none()

    def active(self) -> "OrganisationQuerySet":
        return self.filter(is_archived=False)


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: Any) -> "PersonQuerySet":
        """Professional contacts: the region for coordinators, colleagues for partners."""
        from regie.registry.models import Affiliation

        match _role(user):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR:
                return self.filter(region_id=user.region_id) if user.region_id else self.none()
            case Role.PARTNER | Role.COUNSELLOR:
                colleague = Affiliation.objects.filter(
                    person=OuterRef("pk"), organisation_id=user.organisation_id
                )
                return self.filter(Exists(colleague))
            case _:
                return self.none()

    def editable_by(self, user: Any) -> "PersonQuerySet":
        if _role(user) == Role.COUNSELLOR:
            return self.none()
        return self.visible_to(user)

    def active(self) -> "PersonQuerySet":
        return self.filter(is_archived=False)


class SiteQuerySet(models.QuerySet["Site"]):
    def visible_to(self, user: Any) -> "SiteQuerySet":
        from regie.registry.models import Organisation

        return self.filter(organisation__in=Organisation.objects.visible_to(user))

    def editable_by(self, user: Any) -> "SiteQuerySet":
        from regie.registry.models import Organisation

        return self.filter(organisation__in=Organisation.objects.editable_by(user))


class RecognitionQuerySet(models.QuerySet["Recognition"]):
    def visible_to(self, user: Any) -> "RecognitionQuerySet":
        from regie.registry.models import Organisation

        return self.filter(organisation__in=Organisation.objects.visible_to(user))

    def editable_by(self, user: Any) -> "RecognitionQuerySet":
        """Recognitions are granted by the government: only the coordinator records them."""
        from regie.registry.models import Organisation

        if _role(user) not in {Role.ADMIN, Role.COORDINATOR}:
            return self.none()
        return self.filter(organisation__in=Organisation.objects.editable_by(user))

    def active_on(self, day: Any) -> "RecognitionQuerySet":
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day)
        )


class AffiliationQuerySet(models.QuerySet["Affiliation"]):
    def visible_to(self, user: Any) -> "AffiliationQuerySet":
        from regie.registry.models import Organisation, Person

        return self.filter(
            organisation__in=Organisation.objects.visible_to(user),
            person__in=Person.objects.visible_to(user),
        )

    def editable_by(self, user: Any) -> "AffiliationQuerySet":
        from regie.registry.models import Organisation, Person

        return self.filter(
            organisation__in=Organisation.objects.editable_by(user),
            person__in=Person.objects.editable_by(user),
        )
