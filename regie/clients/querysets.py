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
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Exists, OuterRef, Q

from regie.accounts.models import Role

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


def role_of(user: Any) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return str(user.role)


def _today() -> datetime.date:
    return datetime.date.today()


def current_counselling(user: Any, client_ref: Any = None) -> Q:
    """The open counselling rows of ``user`` (for the client ``client_ref`` when given)."""
    today = _today()
    condition = Q(counsellor=user) & (Q(end__isnull=True) | Q(end__gte=today))
    if client_ref is not None:
        condition &= Q(client=client_ref)
    return condition


class ClientQuerySet(models.QuerySet["Client"]):
    def visible_to(self, user: Any) -> "ClientQuerySet":
        from regie.clients.models import ClientCounsellor, ClientStatus, Referral, Step

        clients = self.exclude(status=ClientStatus.ANONYMISED)
        match role_of(user):
            case Role.COORDINATOR:
                return clients.filter(region_id=user.region_id) if user.region_id else self.none()
            case Role.COUNSELLOR:
                follows = ClientCounsellor.objects.filter(current_counselling(user, OuterRef("pk")))
                return clients.filter(Exists(follows))
            case Role.PARTNER:
                organisation = user.organisation_id
                step_here = Step.objects.filter(
                    trajectory__client=OuterRef("pk"), organisation_id=organisation
                )
                referral_here = Referral.objects.filter(client=OuterRef("pk")).filter(
                    Q(target_organisation_id=organisation)
                    | Q(referring_organisation_id=organisation)
                )
                return clients.filter(Exists(step_here) | Exists(referral_here))
            case _:
                return self.none()

    def editable_by(self, user: Any) -> "ClientQuerySet":
        """Coordinators change the files of their region, counsellors those they follow."""
        if role_of(user) not in {Role.COORDINATOR, Role.COUNSELLOR}:
            return self.none()
        return self.visible_to(user)

    def followed_by(self, user: Any) -> "ClientQuerySet":
        from regie.clients.models import ClientCounsellor

        follows = ClientCounsellor.objects.filter(current_counselling(user, OuterRef("pk")))
        return self.filter(Exists(follows))


def _visible_clients(user: Any) -> "ClientQuerySet":
    from regie.clients.models import Client

    return Client.objects.visible_to(user)


class SupportNeedQuerySet(models.QuerySet["SupportNeed"]):
    def visible_to(self, user: Any) -> "SupportNeedQuerySet":
        """Special-category data: only the counsellors who follow the client."""
        from regie.clients.models import Client

        if role_of(user) != Role.COUNSELLOR:
            return self.none()
        return self.filter(client__in=Client.objects.visible_to(user))


class LegalBasisQuerySet(models.QuerySet["LegalBasis"]):
    def visible_to(self, user: Any) -> "LegalBasisQuerySet":
        if role_of(user) not in {Role.COORDINATOR, Role.COUNSELLOR}:
            return self.none()
        return self.filter(client__in=_visible_clients(user))

    def active_on(self, day: datetime.date) -> "LegalBasisQuerySet":
        return self.filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))


class OrganisationLegalBasisQuerySet(models.QuerySet["OrganisationLegalBasis"]):
    def visible_to(self, user: Any) -> "OrganisationLegalBasisQuerySet":
        match role_of(user):
            case Role.COORDINATOR:
                return self.filter(organisation__region_id=user.region_id)
            case Role.PARTNER | Role.COUNSELLOR:
                return self.filter(organisation_id=user.organisation_id)
            case _:
                return self.none()

    def editable_by(self, user: Any) -> "OrganisationLegalBasisQuerySet":
        if role_of(user) == Role.COUNSELLOR:
            return self.none()
        return self.visible_to(user)

    def active_on(self, day: datetime.date) -> "OrganisationLegalBasisQuerySet":
        return self.filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: Any) -> "ReferralQuerySet":
        referrals = self.filter(client__in=_visible_clients(user))
        if role_of(user) == Role.PARTNER:
            return referrals.filter(
                Q(target_organisation_id=user.organisation_id)
                | Q(referring_organisation_id=user.organisation_id)
            )
        return referrals


class StepQuerySet(models.QuerySet["Step"]):
    def visible_to(self, user: Any) -> "StepQuerySet":
        steps = self.filter(trajectory__client__in=_visible_clients(user))
        if role_of(user) == Role.PARTNER:
            return steps.filter(organisation_id=user.organisation_id)
        return steps

    def open_on(self, day: datetime.date) -> "StepQuerySet":
        return self.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))


class ContactQuerySet(models.QuerySet["Contact"]):
    def visible_to(self, user: Any) -> "ContactQuerySet":
        contacts = self.filter(client__in=_visible_clients(user))
        if role_of(user) == Role.PARTNER:
            return contacts.filter(organisation_id=user.organisation_id)
        return contacts


class ClientFollowUpQuerySet(models.QuerySet["ClientFollowUp"]):
    def visible_to(self, user: Any) -> "ClientFollowUpQuerySet":
        from regie.clients.models import Client

        role = role_of(user)
        if role not in {Role.COORDINATOR, Role.COUNSELLOR, Role.PARTNER}:
            return self.none()
        visible = self.filter(client__in=_visible_clients(user))
        if role == Role.COUNSELLOR:
            return visible.filter(Q(assignee=user) | Q(client__in=Client.objects.followed_by(user)))
        if role == Role.PARTNER:
            return visible.filter(assignee=user)
        return visible

    def open(self) -> "ClientFollowUpQuerySet":
        from regie.clients.models import FollowUpStatus

        return self.filter(status=FollowUpStatus.OPEN)


class DeviceQuerySet(models.QuerySet["Device"]):
    def visible_to(self, user: Any) -> "DeviceQuerySet":
        match role_of(user):
            case Role.COORDINATOR:
                return self.filter(organisation__region_id=user.region_id)
            case Role.PARTNER | Role.COUNSELLOR:
                return self.filter(organisation_id=user.organisation_id)
            case _:
                return self.none()

    def editable_by(self, user: Any) -> "DeviceQuerySet":
        if role_of(user) not in {Role.COORDINATOR, Role.PARTNER}:
            return self.none()
        return self.visible_to(user)


class LoanQuerySet(models.QuerySet["Loan"]):
    def visible_to(self, user: Any) -> "LoanQuerySet":
        loans = self.filter(client__in=_visible_clients(user))
        if role_of(user) == Role.PARTNER:
            return loans.filter(device__organisation_id=user.organisation_id)
        return loans

    def open(self) -> "LoanQuerySet":
        return self.filter(returned_on__isnull=True)

    def overdue_on(self, day: datetime.date) -> "LoanQuerySet":
        return self.open().filter(due__lt=day)


class SkillsSessionQuerySet(models.QuerySet["SkillsSession"]):
    def visible_to(self, user: Any) -> "SkillsSessionQuerySet":
        if role_of(user) not in {Role.COORDINATOR, Role.PARTNER, Role.COUNSELLOR}:
            return self.none()
        return self.filter(region_id=user.region_id) if user.region_id else self.none()

    def editable_by(self, user: Any) -> "SkillsSessionQuerySet":
        match role_of(user):
            case Role.COORDINATOR:
                return self.visible_to(user)
            case Role.PARTNER | Role.COUNSELLOR:
                return self.visible_to(user).filter(organisation_id=user.organisation_id)
            case _:
                return self.none()


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def visible_to(self, user: Any) -> "EnrolmentQuerySet":
        from regie.clients.models import SkillsSession

        return self.filter(
            client__in=_visible_clients(user),
            session__in=SkillsSession.objects.visible_to(user),
        )


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    def visible_to(self, user: Any) -> "AccessLogQuerySet":
        """The coordinator reads the log of their region, the administrator every log."""
        match role_of(user):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR:
                return self.filter(region_id=user.region_id) if user.region_id else self.none()
            case _:
                return self.none()
