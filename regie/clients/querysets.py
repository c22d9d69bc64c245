"""Which client records a user may see: the one place where scoping of client data is decided.

- a counsellor sees the clients they follow now (an open ``ClientCounsellor`` row);
- a partner sees the clients with a step or a referral at their organisation, and of those
  clients only the steps, referrals, contacts and loans of their own organisation;
- a coordinator sees the clients of their region;
- a viewer sees no client at all (only suppressed aggregates, see ``selectors.progression``);
- the technical administrator sees no client file either, only the access log.

Anonymised clients are nobody's any more: they remain for the aggregates only.
Which *fields* of a visible file a role may read is decided in ``policy.py``.
"""

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q

from regie.core.permissions import Actor, Role, in_organisation, in_region, role_of

if TYPE_CHECKING:
    from regie.clients.models import (  # noqa: F401 (names used in string annotations)
        AccessLog,
        Client,
        ClientFollowUp,
        Contact,
        Device,
        Enrolment,
        LegalBasis,
        Loan,
        OrganisationLegalBasis,
        Referral,
        SkillsSession,
        Step,
        SupportNeed,
    )


def _today() -> datetime.date:
    return datetime.date.today()


def current_counselling(actor: Actor, client_ref: OuterRef | None = None) -> Q:
    """The open counselling rows of ``actor`` (for the client ``client_ref`` when given)."""
    today = _today()
    condition = Q(counsellor=actor) & (Q(end__isnull=True) | Q(end__gte=today))
    if client_ref is not None:
        condition &= Q(client=client_ref)
    return condition


class ClientQuerySet(models.QuerySet["Client"]):
    def visible_to(self, actor: Actor) -> "ClientQuerySet":
        from regie.clients.models import ClientCounsellor, ClientStatus, Referral, Step

        clients = self.exclude(status=ClientStatus.ANONYMISED)
        match role_of(actor):
            case Role.COORDINATOR:
                return clients.filter(in_region(actor))
            case Role.COUNSELLOR:
                follows = ClientCounsellor.objects.filter(
                    current_counselling(actor, OuterRef("pk"))
                )
                return clients.filter(Exists(follows))
            case Role.PARTNER:
                organisation = actor.organisation_id
                step_here = Step.objects.filter(
                    in_organisation(actor), trajectory__client=OuterRef("pk")
                )
                referral_here = Referral.objects.filter(client=OuterRef("pk")).filter(
                    Q(target_organisation_id=organisation)
                    | Q(referring_organisation_id=organisation)
                )
                return clients.filter(Exists(step_here) | Exists(referral_here))
            case _:
                return self.none()

    def editable_by(self, actor: Actor) -> "ClientQuerySet":
        """Coordinators change the files of their region, counsellors those they follow."""
        match role_of(actor):
            case Role.COORDINATOR | Role.COUNSELLOR:
                return self.visible_to(actor)
            case _:
                return self.none()

    def followed_by(self, actor: Actor) -> "ClientQuerySet":
        from regie.clients.models import ClientCounsellor

        follows = ClientCounsellor.objects.filter(current_counselling(actor, OuterRef("pk")))
        return self.filter(Exists(follows))


def _visible_clients(actor: Actor) -> "ClientQuerySet":
    from regie.clients.models import Client

    return Client.objects.visible_to(actor)


class SupportNeedQuerySet(models.QuerySet["SupportNeed"]):
    def visible_to(self, actor: Actor) -> "SupportNeedQuerySet":
        """Special-category data: only the counsellors who follow the client."""
        from regie.clients.models import Client

        match role_of(actor):
            case Role.COUNSELLOR:
                return self.filter(client__in=Client.objects.visible_to(actor))
            case _:
                return self.none()


class LegalBasisQuerySet(models.QuerySet["LegalBasis"]):
    def visible_to(self, actor: Actor) -> "LegalBasisQuerySet":
        match role_of(actor):
            case Role.COORDINATOR | Role.COUNSELLOR:
                return self.filter(client__in=_visible_clients(actor))
            case _:
                return self.none()

    def active_on(self, day: datetime.date) -> "LegalBasisQuerySet":
        return self.filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))


class OrganisationLegalBasisQuerySet(models.QuerySet["OrganisationLegalBasis"]):
    def visible_to(self, actor: Actor) -> "OrganisationLegalBasisQuerySet":
        match role_of(actor):
            case Role.COORDINATOR:
                return self.filter(in_region(actor, "organisation__region_id"))
            case Role.PARTNER | Role.COUNSELLOR:
                return self.filter(in_organisation(actor))
            case _:
                return self.none()

    def editable_by(self, actor: Actor) -> "OrganisationLegalBasisQuerySet":
        match role_of(actor):
            case Role.COORDINATOR | Role.PARTNER:
                return self.visible_to(actor)
            case _:
                return self.none()

    def active_on(self, day: datetime.date) -> "OrganisationLegalBasisQuerySet":
        return self.filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, actor: Actor) -> "ReferralQuerySet":
        referrals = self.filter(client__in=_visible_clients(actor))
        match role_of(actor):
            case Role.PARTNER:
                return referrals.filter(
                    Q(target_organisation_id=actor.organisation_id)
                    | Q(referring_organisation_id=actor.organisation_id)
                )
            case _:
                return referrals


class StepQuerySet(models.QuerySet["Step"]):
    def visible_to(self, actor: Actor) -> "StepQuerySet":
        steps = self.filter(trajectory__client__in=_visible_clients(actor))
        match role_of(actor):
            case Role.PARTNER:
                return steps.filter(in_organisation(actor))
            case _:
                return steps

    def open_on(self, day: datetime.date) -> "StepQuerySet":
        return self.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))


class ContactQuerySet(models.QuerySet["Contact"]):
    def visible_to(self, actor: Actor) -> "ContactQuerySet":
        contacts = self.filter(client__in=_visible_clients(actor))
        match role_of(actor):
            case Role.PARTNER:
                return contacts.filter(in_organisation(actor))
            case _:
                return contacts


class ClientFollowUpQuerySet(models.QuerySet["ClientFollowUp"]):
    def visible_to(self, actor: Actor) -> "ClientFollowUpQuerySet":
        from regie.clients.models import Client

        visible = self.filter(client__in=_visible_clients(actor))
        match role_of(actor):
            case Role.COORDINATOR:
                return visible
            case Role.COUNSELLOR:
                followed = Client.objects.followed_by(actor)
                return visible.filter(Q(assignee=actor) | Q(client__in=followed))
            case Role.PARTNER:
                return visible.filter(assignee_id=actor.pk)
            case _:
                return self.none()

    def open(self) -> "ClientFollowUpQuerySet":
        from regie.clients.models import FollowUpStatus

        return self.filter(status=FollowUpStatus.OPEN)


class DeviceQuerySet(models.QuerySet["Device"]):
    def visible_to(self, actor: Actor) -> "DeviceQuerySet":
        match role_of(actor):
            case Role.COORDINATOR:
                return self.filter(in_region(actor, "organisation__region_id"))
            case Role.PARTNER | Role.COUNSELLOR:
                return self.filter(in_organisation(actor))
            case _:
                return self.none()

    def editable_by(self, actor: Actor) -> "DeviceQuerySet":
        match role_of(actor):
            case Role.COORDINATOR | Role.PARTNER:
                return self.visible_to(actor)
            case _:
                return self.none()


class LoanQuerySet(models.QuerySet["Loan"]):
    def visible_to(self, actor: Actor) -> "LoanQuerySet":
        loans = self.filter(client__in=_visible_clients(actor))
        match role_of(actor):
            case Role.PARTNER:
                return loans.filter(in_organisation(actor, "device__organisation_id"))
            case _:
                return loans

    def open(self) -> "LoanQuerySet":
        return self.filter(returned_on__isnull=True)

    def overdue_on(self, day: datetime.date) -> "LoanQuerySet":
        return self.open().filter(due__lt=day)


class SkillsSessionQuerySet(models.QuerySet["SkillsSession"]):
    def visible_to(self, actor: Actor) -> "SkillsSessionQuerySet":
        match role_of(actor):
            case Role.COORDINATOR | Role.PARTNER | Role.COUNSELLOR:
                return self.filter(in_region(actor))
            case _:
                return self.none()

    def editable_by(self, actor: Actor) -> "SkillsSessionQuerySet":
        match role_of(actor):
            case Role.COORDINATOR:
                return self.visible_to(actor)
            case Role.PARTNER | Role.COUNSELLOR:
                return self.visible_to(actor).filter(in_organisation(actor))
            case _:
                return self.none()


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def visible_to(self, actor: Actor) -> "EnrolmentQuerySet":
        from regie.clients.models import SkillsSession

        return self.filter(
            client__in=_visible_clients(actor),
            session__in=SkillsSession.objects.visible_to(actor),
        )


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    def visible_to(self, actor: Actor) -> "AccessLogQuerySet":
        """The coordinator reads the log of their region, the administrator every log."""
        match role_of(actor):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR:
                return self.filter(in_region(actor))
            case _:
                return self.none()
