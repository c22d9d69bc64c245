"""Writes to client files. Every function is keyword-only, atomic and validated; a rule that
says no raises ``DomainError`` naming the field. Audit entries name the client by its code and
never carry a client's data; a national number never leaves ``insz.py`` except when revealed."""

import copy
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from regie.accounts.models import User
from regie.clients import insz
from regie.clients.access import access_record
from regie.clients.models import (
    FULL_TIME_HOURS,
    AccessAction,
    Channel,
    Client,
    ClientCounsellor,
    ClientFollowUp,
    ClientStatus,
    Condition,
    Contact,
    Device,
    DeviceStatus,
    EndReason,
    Enrolment,
    FollowUpStatus,
    Language,
    LegalBasis,
    Loan,
    OrganisationLegalBasis,
    Purpose,
    Referral,
    ReferralStatus,
    SkillsSession,
    Step,
    SupportNeed,
    Trajectory,
)
from regie.core.audit import log_action
from regie.core.errors import DomainError
from regie.core.history import set_history_user
from regie.core.mail import in_language, mail_body, mail_queue, site_url
from regie.core.permissions import Role
from regie.core.versioning import KEEP, Keep, given, save_new, save_versioned
from regie.registry.models import Function, Measure, Municipality, Organisation, Person, Region

FOLLOW_UP_DAYS = 3


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _as_domain_error(error: ValidationError, field: str) -> DomainError:
    return DomainError({field: error.messages})


def _clean(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """``full_clean``, with the model's refusals raised as a ``DomainError``."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise DomainError(error.message_dict) from None
        raise DomainError(error.messages) from None


# Clients -------------------------------------------------------------------------------------


@sensitive_variables("national_number")
@transaction.atomic
def client_create(
    *,
    actor: User,
    region: Region,
    organisation: Organisation,
    municipality: Municipality,
    first_name: str,
    last_name: str,
    counsellor: User | None = None,
    national_number: str = "",
    birth_date: datetime.date | None = None,
    street: str = "",
    postcode: str = "",
    place: str = "",
    phone: str = "",
    email: str = "",
    language: str = Language.DUTCH,
    vdab_reference: str = "",
) -> Client:
    """A new client file; the counsellor who creates it follows the client from today."""
    if organisation.region_id != region.pk:
        raise DomainError({"organisation": _("Choose an organisation of this region.")})
    client = Client(
        region=region,
        organisation=organisation,
        municipality=municipality,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        street=street,
        postcode=postcode,
        place=place,
        phone=phone,
        email=email,
        language=language,
        vdab_reference=vdab_reference,
    )
    _clean(client)
    if national_number:
        _seal_national_number(client=client, raw=national_number)
    save_new(instance=client, actor=actor)
    if counsellor is not None:
        counsellor_assign(actor=actor, client=client, counsellor=counsellor)
    log_action(actor=actor, action="client.create", target=client)
    return client


@transaction.atomic
def client_update(
    *,
    actor: User,
    client: Client,
    expected_version: int,
    first_name: str | Keep = KEEP,
    last_name: str | Keep = KEEP,
    birth_date: datetime.date | Keep | None = KEEP,
    street: str | Keep = KEEP,
    postcode: str | Keep = KEEP,
    place: str | Keep = KEEP,
    municipality: Municipality | Keep = KEEP,
    phone: str | Keep = KEEP,
    email: str | Keep = KEEP,
    language: str | Keep = KEEP,
    vdab_reference: str | Keep = KEEP,
    organisation: Organisation | Keep = KEEP,
) -> Client:
    """Change the client's details; moving the file to another organisation of the region needs
    that organisation's legal basis when the client has a national number."""
    if organisation is not KEEP and organisation.region_id != client.region_id:
        raise DomainError({"organisation": _("Choose an organisation of this region.")})
    if (
        organisation is not KEEP
        and organisation.pk != client.organisation_id
        and client.has_national_number
        and not _has_national_number_basis(organisation)
    ):
        raise DomainError(
            {
                "organisation": _(
                    "%(organisation)s has no recorded legal basis for national numbers: remove "
                    "the client's national number first, or record the basis."
                )
                % {"organisation": organisation}
            }
        )
    changes = given(
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        street=street,
        postcode=postcode,
        place=place,
        municipality=municipality,
        phone=phone,
        email=email,
        language=language,
        vdab_reference=vdab_reference,
        organisation=organisation,
    )
    return save_versioned(
        instance=client, changes=changes, expected_version=expected_version, actor=actor
    )


def _has_national_number_basis(organisation: Organisation) -> bool:
    return (
        OrganisationLegalBasis.objects.filter(
            organisation=organisation, purpose=Purpose.NATIONAL_NUMBER
        )
        .active_on(timezone.localdate())
        .exists()
    )


@sensitive_variables("raw", "number")
def _seal_national_number(*, client: Client, raw: str) -> None:
    try:
        number = insz.normalise(raw)
    except ValidationError as error:
        raise _as_domain_error(error, "national_number") from None
    if not _has_national_number_basis(client.organisation):
        raise DomainError(
            {
                "national_number": _(
                    "%(organisation)s has no recorded legal basis to process national numbers. "
                    "Leave the field empty, or record the legal basis first."
                )
                % {"organisation": client.organisation}
            }
        )
    sealed = insz.seal(number)
    clash = Client.objects.filter(region_id=client.region_id, insz_hash=sealed.lookup_hash)
    if client.pk:
        clash = clash.exclude(pk=client.pk)
    if clash.exists():
        raise DomainError(
            {"national_number": _("Another client in this region has this national number.")}
        )
    client.insz_encrypted = sealed.encrypted
    client.insz_hash = sealed.lookup_hash
    client.insz_masked = sealed.masked


@sensitive_variables("national_number")
@transaction.atomic
def client_national_number_set(*, actor: User, client: Client, national_number: str) -> Client:
    """Record or replace the national number of a client (encrypted; only a mask is shown)."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    _seal_national_number(client=client, raw=national_number)
    client.version += 1
    set_history_user(client, actor)
    client.save()
    log_action(actor=actor, action="client.national_number.set", target=client)
    return client


@transaction.atomic
def client_national_number_remove(*, actor: User, client: Client) -> Client:
    client = Client.objects.select_for_update().get(pk=client.pk)
    client.insz_encrypted, client.insz_hash, client.insz_masked = None, "", ""
    client.version += 1
    set_history_user(client, actor)
    client.save()
    log_action(actor=actor, action="client.national_number.remove", target=client)
    return client


@sensitive_variables("number")
@transaction.atomic
def client_national_number_reveal(
    *, actor: User, client: Client, reason: str, channel: Channel = Channel.WEB
) -> str:
    """The national number in full, for one user with a reason, written to the access log."""
    reason = reason.strip()
    if len(reason) < 5:
        raise DomainError({"reason": _("Say why you need the full national number.")})
    sealed = Client.objects.filter(pk=client.pk).values_list("insz_encrypted", flat=True).first()
    if not sealed:
        raise DomainError({"reason": _("This client has no national number.")})
    number = insz.decrypt(bytes(sealed))
    access_record(
        user=actor,
        clients=[client],
        action=AccessAction.UNMASK,
        what=_("national number"),
        reason=reason,
        channel=channel,
    )
    return number


@transaction.atomic
def counsellor_assign(
    *, actor: User, client: Client, counsellor: User, start: datetime.date | None = None
) -> ClientCounsellor:
    if counsellor.role != Role.COUNSELLOR or counsellor.region_id != client.region_id:
        raise DomainError({"counsellor": _("Choose a counsellor of this region.")})
    if ClientCounsellor.objects.filter(
        client=client, counsellor=counsellor, end__isnull=True
    ).exists():
        raise DomainError({"counsellor": _("This counsellor already follows the client.")})
    counselling = save_new(
        instance=ClientCounsellor(
            client=client, counsellor=counsellor, start=start or timezone.localdate()
        ),
        actor=actor,
    )
    log_action(
        actor=actor,
        action="client.counsellor.assign",
        target=client,
        details={"counsellor": counsellor.get_username()},
    )
    return counselling


@transaction.atomic
def counselling_end(
    *, actor: User, counselling: ClientCounsellor, end: datetime.date | None = None
) -> ClientCounsellor:
    counselling.end = end or timezone.localdate()
    set_history_user(counselling, actor)
    counselling.full_clean()
    counselling.save()
    log_action(
        actor=actor,
        action="client.counsellor.end",
        target=counselling.client,
        details={"counsellor": counselling.counsellor.get_username()},
    )
    return counselling


# Legal bases and the support need -------------------------------------------------------------


@transaction.atomic
def legal_basis_record(
    *, actor: User, client: Client, purpose: str, ground: str, reference: str = ""
) -> LegalBasis:
    basis = save_new(
        instance=LegalBasis(
            client=client, recorded_by=actor, purpose=purpose, ground=ground, reference=reference
        ),
        actor=actor,
    )
    log_action(
        actor=actor,
        action="client.legal_basis.record",
        target=client,
        details={"purpose": basis.purpose, "ground": basis.ground},
    )
    return basis


@transaction.atomic
def legal_basis_withdraw(
    *, actor: User, basis: LegalBasis, on: datetime.date | None = None
) -> LegalBasis:
    """Record a withdrawal. Without a basis for the support need, its category is deleted."""
    if basis.withdrawn_on is not None:
        raise DomainError({"withdrawn_on": _("This legal basis was already withdrawn.")})
    basis.withdrawn_on = on or timezone.localdate()
    basis.withdrawn_by = actor
    set_history_user(basis, actor)
    basis.full_clean()
    basis.save()
    removed = 0
    if basis.purpose == Purpose.SUPPORT_NEED and not _has_basis(basis.client, Purpose.SUPPORT_NEED):
        removed, _deleted = SupportNeed.objects.filter(client=basis.client).delete()
    log_action(
        actor=actor,
        action="client.legal_basis.withdraw",
        target=basis.client,
        details={"purpose": basis.purpose, "support_needs_removed": removed},
    )
    return basis


def _has_basis(client: Client, purpose: str) -> bool:
    return (
        LegalBasis.objects.filter(client=client, purpose=purpose)
        .active_on(timezone.localdate())
        .exists()
    )


@transaction.atomic
def organisation_legal_basis_record(
    *, actor: User, organisation: Organisation, reference: str
) -> OrganisationLegalBasis:
    basis = save_new(
        instance=OrganisationLegalBasis(
            organisation=organisation,
            purpose=Purpose.NATIONAL_NUMBER,
            reference=reference,
            recorded_by=actor,
        ),
        actor=actor,
    )
    log_action(actor=actor, action="organisation.legal_basis.record", target=organisation)
    return basis


@transaction.atomic
def organisation_legal_basis_withdraw(
    *, actor: User, basis: OrganisationLegalBasis, on: datetime.date | None = None
) -> int:
    """Withdraw the basis; without another one, the national numbers it covered are removed.
    Returns how many numbers were removed."""
    if basis.withdrawn_on is not None:
        raise DomainError({"withdrawn_on": _("This legal basis was already withdrawn.")})
    basis.withdrawn_on = on or timezone.localdate()
    set_history_user(basis, actor)
    basis.save()
    removed = 0
    if not _has_national_number_basis(basis.organisation):
        removed = (
            Client.objects.filter(organisation=basis.organisation)
            .exclude(insz_hash="")
            .update(insz_encrypted=None, insz_hash="", insz_masked="")
        )
    log_action(
        actor=actor,
        action="organisation.legal_basis.withdraw",
        target=basis.organisation,
        details={"national_numbers_removed": removed},
    )
    return removed


@transaction.atomic
def support_need_set(*, actor: User, client: Client, category: str, level: str = "") -> SupportNeed:
    """Record a support-need category; it needs an active legal basis for that purpose."""
    if not _has_basis(client, Purpose.SUPPORT_NEED):
        raise DomainError(
            {
                "category": _(
                    "Record the legal basis for the support need first (usually the client's "
                    "explicit consent)."
                )
            }
        )
    need = SupportNeed.objects.filter(client=client, category=category).first()
    if need is None:
        need = save_new(
            instance=SupportNeed(client=client, category=category, level=level, recorded_by=actor),
            actor=actor,
        )
    else:
        need.level = level
        set_history_user(need, actor)
        need.full_clean()
        need.save()
    log_action(actor=actor, action="client.support_need.set", target=client)
    return need


@transaction.atomic
def support_need_remove(*, actor: User, need: SupportNeed) -> None:
    client = need.client
    set_history_user(need, actor)
    need.delete()
    log_action(actor=actor, action="client.support_need.remove", target=client)


# Referrals -----------------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    actor: User,
    client: Client,
    referring_organisation: Organisation,
    target_organisation: Organisation,
    measure: Measure,
    referred_on: datetime.date,
    referring_person: Person | None = None,
    status: str = ReferralStatus.REGISTERED,
    reason: str = "",
) -> Referral:
    referral = Referral(
        client=client,
        referring_organisation=referring_organisation,
        referring_person=referring_person,
        target_organisation=target_organisation,
        measure=measure,
        referred_on=referred_on,
        status=status,
        reason=reason,
    )
    _clean(referral)
    referral = save_new(instance=referral, actor=actor)
    log_action(
        actor=actor,
        action="referral.create",
        target=client,
        details={"measure": referral.measure.code, "status": referral.status},
    )
    return referral


@transaction.atomic
def referral_update(
    *,
    actor: User,
    referral: Referral,
    expected_version: int,
    referring_organisation: Organisation | Keep = KEEP,
    referring_person: Person | Keep | None = KEEP,
    target_organisation: Organisation | Keep = KEEP,
    measure: Measure | Keep = KEEP,
    referred_on: datetime.date | Keep = KEEP,
    status: str | Keep = KEEP,
    reason: str | Keep = KEEP,
) -> Referral:
    referral = save_versioned(
        instance=referral,
        changes=given(
            referring_organisation=referring_organisation,
            referring_person=referring_person,
            target_organisation=target_organisation,
            measure=measure,
            referred_on=referred_on,
            status=status,
            reason=reason,
        ),
        expected_version=expected_version,
        actor=actor,
    )
    log_action(
        actor=actor,
        action="referral.update",
        target=referral.client,
        details={"status": referral.status},
    )
    return referral


# Trajectories and steps ----------------------------------------------------------------------


@transaction.atomic
def step_create(
    *,
    actor: User,
    client: Client,
    measure: Measure,
    organisation: Organisation,
    start: datetime.date,
    hours_per_week: Decimal,
    planned_end: datetime.date | None = None,
    support_level: str = "",
    end: datetime.date | None = None,
    end_reason: str = "",
    exception_reason: str = "",
) -> Step:
    """A step in the client's open trajectory (a new trajectory when none is open)."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    trajectory = client.trajectories.filter(ended_on__isnull=True).first()
    new_trajectory = trajectory is None
    if trajectory is None:
        trajectory = Trajectory(client=client, started_on=start)
    step = Step(
        trajectory=trajectory,
        measure=measure,
        organisation=organisation,
        start=start,
        planned_end=planned_end,
        hours_per_week=hours_per_week,
        support_level=support_level,
        end=end,
        end_reason=end_reason,
        exception_reason=exception_reason,
    )
    _clean(step, exclude=["trajectory"])
    _check_overlap(step=step, client=client)
    if new_trajectory:
        trajectory = save_new(instance=trajectory, actor=actor)
        step.trajectory = trajectory
    step = save_new(instance=step, actor=actor)
    _trajectory_sync(actor=actor, trajectory=trajectory, client=client)
    log_action(
        actor=actor, action="step.create", target=client, details={"measure": step.measure.code}
    )
    return step


@transaction.atomic
def step_update(
    *,
    actor: User,
    step: Step,
    expected_version: int,
    measure: Measure | Keep = KEEP,
    organisation: Organisation | Keep = KEEP,
    start: datetime.date | Keep = KEEP,
    planned_end: datetime.date | Keep | None = KEEP,
    hours_per_week: Decimal | Keep = KEEP,
    support_level: str | Keep = KEEP,
    end: datetime.date | Keep | None = KEEP,
    end_reason: str | Keep = KEEP,
    exception_reason: str | Keep = KEEP,
) -> Step:
    """Change a step, or end it (``end`` and ``end_reason``); the trajectory follows."""
    changes = given(
        measure=measure,
        organisation=organisation,
        start=start,
        planned_end=planned_end,
        hours_per_week=hours_per_week,
        support_level=support_level,
        end=end,
        end_reason=end_reason,
        exception_reason=exception_reason,
    )
    client = Client.objects.select_for_update().get(pk=step.trajectory.client_id)
    candidate = copy.copy(step)
    for field, value in changes.items():
        setattr(candidate, field, value)
    _clean(candidate)
    _check_overlap(step=candidate, client=client)
    step = save_versioned(
        instance=step, changes=changes, expected_version=expected_version, actor=actor
    )
    _trajectory_sync(actor=actor, trajectory=step.trajectory, client=client)
    log_action(
        actor=actor,
        action="step.update",
        target=client,
        details={"measure": step.measure.code, "end_reason": step.end_reason},
    )
    return step


def _check_overlap(*, step: Step, client: Client) -> None:
    """Steps that run at the same time may together not exceed a full-time week."""
    last_day = step.last_day or datetime.date.max
    overlapping = (
        Step.objects.filter(trajectory__client=client, start__lte=last_day)
        .filter(
            Q(end__gte=step.start)
            | Q(end__isnull=True, planned_end__gte=step.start)
            | Q(end__isnull=True, planned_end__isnull=True)
        )
        .exclude(pk=step.pk)
        .select_related("measure")
    )
    for other in overlapping:
        if other.hours_per_week + step.hours_per_week > FULL_TIME_HOURS:
            raise DomainError(
                {
                    "hours_per_week": _(
                        "This step overlaps with the %(measure)s step from %(start)s; together "
                        "they exceed a full-time week of %(hours)s hours."
                    )
                    % {
                        "measure": other.measure.code,
                        "start": _day(other.start),
                        "hours": FULL_TIME_HOURS,
                    }
                }
            )


def _trajectory_sync(*, actor: User, trajectory: Trajectory, client: Client) -> None:
    """A trajectory ends with its last step, unless that step led on to another measure."""
    steps = list(trajectory.steps.order_by("start", "pk"))
    open_steps = [s for s in steps if s.end is None]
    ended_on = None
    if steps and not open_steps:
        last = max(steps, key=lambda s: (s.end, s.pk))
        if last.end_reason != EndReason.OTHER_MEASURE:
            ended_on = last.end
    started_on = min((s.start for s in steps), default=trajectory.started_on)
    if (trajectory.ended_on, trajectory.started_on) != (ended_on, started_on):
        trajectory.ended_on, trajectory.started_on = ended_on, started_on
        trajectory.version += 1
        set_history_user(trajectory, actor)
        trajectory.save()
    status = ClientStatus.ACTIVE if ended_on is None else ClientStatus.ENDED
    if client.trajectories.filter(ended_on__isnull=True).exists():
        status = ClientStatus.ACTIVE
    if client.status != status:
        # A derived field: no version bump, so that nobody's open edit of the file turns stale.
        client.status = status
        set_history_user(client, actor)
        client.save(update_fields=["status", "updated_at"])


# Outreach ------------------------------------------------------------------------------------


@transaction.atomic
def contact_record(
    *,
    actor: User,
    client: Client,
    kind: str,
    on: datetime.date,
    note: str = "",
    wellbeing_flag: bool = False,
) -> Contact:
    """Record a contact; a wellbeing flag creates a follow-up for the client's counsellor."""
    contact = Contact(
        client=client,
        kind=kind,
        on=on,
        by=actor,
        organisation=actor.organisation,
        note=note,
        wellbeing_flag=wellbeing_flag,
    )
    _clean(contact)
    contact = save_new(instance=contact, actor=actor)
    if wellbeing_flag:
        _wellbeing_follow_up(actor=actor, contact=contact)
    log_action(
        actor=actor,
        action="contact.record",
        target=client,
        details={"kind": kind, "wellbeing_flag": wellbeing_flag},
    )
    return contact


def follow_up_owner(*, client: Client, actor: User | None = None) -> User | None:
    """Who a worry about ``client`` goes to: the client's counsellor (the actor if they are one),
    else the contact person for clients of the organisation holding the file, else the
    coordinator of the client's region. ``None`` only when the region has nobody at all."""
    today = timezone.localdate()
    counsellings = ClientCounsellor.objects.filter(
        client=client, counsellor__is_active=True
    ).filter(Q(end__isnull=True) | Q(end__gte=today))
    counselling = (
        actor is not None and counsellings.filter(counsellor=actor).first()
    ) or counsellings.order_by("start", "pk").first()
    if counselling:
        return counselling.counsellor
    affiliations = "person__affiliations"
    current = Q(**{f"{affiliations}__start__isnull": True}) | Q(
        **{f"{affiliations}__start__lte": today}
    )
    current &= Q(**{f"{affiliations}__end__isnull": True}) | Q(
        **{f"{affiliations}__end__gte": today}
    )
    contact = (
        User.objects.filter(
            current,
            is_active=True,
            person__affiliations__organisation_id=client.organisation_id,
            person__affiliations__function=Function.CONTACT,
        )
        .order_by("pk")
        .first()
    )
    if contact:
        return contact
    return (
        User.objects.filter(is_active=True, role=Role.COORDINATOR, region_id=client.region_id)
        .order_by("pk")
        .first()
    )


def _wellbeing_follow_up(*, actor: User, contact: Contact) -> ClientFollowUp:
    owner = follow_up_owner(client=contact.client, actor=actor)
    follow_up = save_new(
        instance=ClientFollowUp(
            client=contact.client,
            contact=contact,
            assignee=owner,
            description=_("Wellbeing: get back to the client after the %(kind)s of %(day)s.")
            % {"kind": contact.get_kind_display().lower(), "day": _day(contact.on)},
            due=max(contact.on, timezone.localdate()) + datetime.timedelta(days=FOLLOW_UP_DAYS),
        ),
        actor=actor,
    )
    if owner is not None and owner.email:
        _follow_up_notify(follow_up=follow_up, owner=owner)
    return follow_up


def _follow_up_notify(*, follow_up: ClientFollowUp, owner: User) -> None:
    """Tell the owner a worry waits for them; the mail names the client by code only."""
    link = site_url(reverse("clients:client_detail", args=[follow_up.client_id]))
    with in_language(None):  # in Dutch, whatever language the one who noted it works in
        mail_queue(
            to=[owner.email],
            subject=_("A worry about client %(code)s waits for you")
            % {"code": follow_up.client.code},
            body=mail_body(
                "clients/follow_up_mail.txt",
                {"owner": owner, "follow_up": follow_up, "link": link},
            ),
            about=follow_up,
        )


@transaction.atomic
def follow_up_complete(*, actor: User, follow_up: ClientFollowUp) -> ClientFollowUp:
    if follow_up.status == FollowUpStatus.DONE:
        raise DomainError({"status": _("This follow-up is already done.")})
    follow_up.status = FollowUpStatus.DONE
    follow_up.done_at = timezone.now()
    follow_up.done_by = actor
    set_history_user(follow_up, actor)
    follow_up.save()
    log_action(actor=actor, action="client.follow_up.done", target=follow_up.client)
    return follow_up


# Devices and loans ---------------------------------------------------------------------------


def _check_serial(*, organisation: Organisation, serial_number: str, exclude_pk: int = 0) -> None:
    clash = Device.objects.filter(organisation=organisation, serial_number=serial_number)
    if clash.exclude(pk=exclude_pk).exists():
        raise DomainError(
            {
                "serial_number": _("%(owner)s already has a device with this serial number.")
                % {"owner": organisation}
            }
        )


@transaction.atomic
def device_create(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    label: str,
    serial_number: str,
    status: str = DeviceStatus.AVAILABLE,
    notes: str = "",
) -> Device:
    _check_serial(organisation=organisation, serial_number=serial_number)
    device = save_new(
        instance=Device(
            organisation=organisation,
            kind=kind,
            label=label,
            serial_number=serial_number,
            status=status,
            notes=notes,
        ),
        actor=actor,
    )
    log_action(actor=actor, action="device.create", target=device)
    return device


@transaction.atomic
def device_update(
    *,
    actor: User,
    device: Device,
    expected_version: int,
    organisation: Organisation | Keep = KEEP,
    kind: str | Keep = KEEP,
    label: str | Keep = KEEP,
    serial_number: str | Keep = KEEP,
    status: str | Keep = KEEP,
    notes: str | Keep = KEEP,
) -> Device:
    if serial_number is not KEEP:
        _check_serial(
            organisation=device.organisation if organisation is KEEP else organisation,
            serial_number=serial_number,
            exclude_pk=device.pk,
        )
    if status == DeviceStatus.LENT and not device.loans.open().exists():
        raise DomainError({"status": _("A device is lent by recording a loan.")})
    if status is not KEEP and status != DeviceStatus.LENT and device.loans.open().exists():
        raise DomainError({"status": _("The device is lent: record its return first.")})
    return save_versioned(
        instance=device,
        changes=given(
            organisation=organisation,
            kind=kind,
            label=label,
            serial_number=serial_number,
            status=status,
            notes=notes,
        ),
        expected_version=expected_version,
        actor=actor,
    )


@transaction.atomic
def loan_create(
    *,
    actor: User,
    device: Device,
    client: Client,
    start: datetime.date,
    due: datetime.date,
    condition_out: str = Condition.GOOD,
    accessories: str = "",
) -> Loan:
    """Lend a device. A device that is lent, in repair or retired cannot be lent."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    open_loan = device.loans.open().first()
    if open_loan is not None:
        raise DomainError(
            {
                "device": _(
                    "%(device)s is already lent since %(day)s: record its return before lending "
                    "it again."
                )
                % {"device": device, "day": _day(open_loan.start)}
            }
        )
    if device.status in {DeviceStatus.REPAIR, DeviceStatus.RETIRED}:
        raise DomainError(
            {
                "device": _("%(device)s cannot be lent: it is %(status)s.")
                % {"device": device, "status": device.get_status_display().lower()}
            }
        )
    loan = Loan(
        device=device,
        client=client,
        start=start,
        due=due,
        condition_out=condition_out,
        accessories=accessories,
        lent_by=actor,
    )
    _clean(loan)
    loan = save_new(instance=loan, actor=actor)
    _device_status(actor=actor, device=device, status=DeviceStatus.LENT)
    log_action(actor=actor, action="loan.create", target=client, details={"device": device.pk})
    return loan


@transaction.atomic
def loan_return(
    *,
    actor: User,
    loan: Loan,
    expected_version: int,
    returned_on: datetime.date,
    condition_returned: str,
) -> Loan:
    if loan.returned_on is not None:
        raise DomainError({"returned_on": _("This device was already returned.")})
    candidate = copy.copy(loan)
    candidate.returned_on, candidate.condition_returned = returned_on, condition_returned
    _clean(candidate)
    loan = save_versioned(
        instance=loan,
        changes={"returned_on": returned_on, "condition_returned": condition_returned},
        expected_version=expected_version,
        actor=actor,
    )
    status = {
        Condition.DAMAGED: DeviceStatus.REPAIR,
        Condition.LOST: DeviceStatus.RETIRED,
    }.get(Condition(condition_returned), DeviceStatus.AVAILABLE)
    _device_status(actor=actor, device=loan.device, status=status)
    log_action(actor=actor, action="loan.return", target=loan.client, details={"loan": loan.pk})
    return loan


def _device_status(*, actor: User, device: Device, status: DeviceStatus) -> None:
    device.status = status
    device.version += 1
    set_history_user(device, actor)
    device.save()


# Digital-skills sessions ---------------------------------------------------------------------


@transaction.atomic
def session_create(
    *,
    actor: User,
    region: Region,
    organisation: Organisation,
    title: str,
    starts_at: datetime.datetime,
    duration_minutes: int = 120,
    place: str = "",
    capacity: int = 8,
) -> SkillsSession:
    if organisation.region_id != region.pk:
        raise DomainError({"organisation": _("Choose an organisation of this region.")})
    session = save_new(
        instance=SkillsSession(
            region=region,
            organisation=organisation,
            title=title,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            place=place,
            capacity=capacity,
        ),
        actor=actor,
    )
    log_action(actor=actor, action="skills_session.create", target=session)
    return session


@transaction.atomic
def session_update(
    *,
    actor: User,
    session: SkillsSession,
    expected_version: int,
    title: str | Keep = KEEP,
    organisation: Organisation | Keep = KEEP,
    starts_at: datetime.datetime | Keep = KEEP,
    duration_minutes: int | Keep = KEEP,
    place: str | Keep = KEEP,
    capacity: int | Keep = KEEP,
) -> SkillsSession:
    enrolled = session.enrolments.count()
    if capacity is not KEEP and capacity < enrolled:
        raise DomainError(
            {
                "capacity": _("%(count)s clients are enrolled: the capacity cannot be lower.")
                % {"count": enrolled}
            }
        )
    return save_versioned(
        instance=session,
        changes=given(
            title=title,
            organisation=organisation,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            place=place,
            capacity=capacity,
        ),
        expected_version=expected_version,
        actor=actor,
    )


@transaction.atomic
def enrolment_create(*, actor: User, session: SkillsSession, client: Client) -> Enrolment:
    session = SkillsSession.objects.select_for_update().get(pk=session.pk)
    if session.enrolments.filter(client=client).exists():
        raise DomainError({"client": _("This client is already enrolled.")})
    if session.enrolments.count() >= session.capacity:
        raise DomainError({"client": _("The session is full.")})
    enrolment = save_new(
        instance=Enrolment(session=session, client=client, enrolled_by=actor), actor=actor
    )
    log_action(actor=actor, action="skills_session.enrol", target=client)
    return enrolment


@transaction.atomic
def enrolment_attendance(*, actor: User, enrolment: Enrolment, attended: bool | None) -> Enrolment:
    enrolment.attended = attended
    set_history_user(enrolment, actor)
    enrolment.save()
    return enrolment
