"""Writes to the registry. Every function is keyword-only, atomic and validated."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regie.core.audit import log_action
from regie.core.errors import DomainError
from regie.core.permissions import Actor, Role, role_of
from regie.core.versioning import KEEP, Keep, given, save_new, save_versioned
from regie.registry.models import (
    Affiliation,
    CapacityUnit,
    Measure,
    Municipality,
    Organisation,
    Person,
    Recognition,
    RecognitionStatus,
    Region,
    Site,
)
from regie.registry.validators import normalise_kbo


def _clean_kbo(kbo: str) -> str:
    if not kbo:
        return kbo
    try:
        return normalise_kbo(kbo)
    except ValidationError as error:
        raise DomainError({"kbo": error.messages}) from None


def _check_kbo_unique(*, region: Region, kbo: str, exclude_pk: int = 0) -> None:
    if not kbo:
        return
    clash = Organisation.objects.filter(region=region, kbo=kbo).exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            {"kbo": _("Another organisation in this region already has this enterprise number.")}
        )


@transaction.atomic
def organisation_create(
    *,
    actor: Actor,
    region: Region,
    name: str,
    kind: str,
    kbo: str = "",
    email: str = "",
    phone: str = "",
    website: str = "",
    notes: str = "",
) -> Organisation:
    kbo = _clean_kbo(kbo)
    _check_kbo_unique(region=region, kbo=kbo)
    organisation = Organisation(
        region=region,
        name=name,
        kind=kind,
        kbo=kbo,
        email=email,
        phone=phone,
        website=website,
        notes=notes,
    )
    organisation = save_new(instance=organisation, actor=actor)
    log_action(actor=actor, action="organisation.create", target=organisation)
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: Actor,
    organisation: Organisation,
    expected_version: int,
    name: str | Keep = KEEP,
    kind: str | Keep = KEEP,
    kbo: str | Keep = KEEP,
    email: str | Keep = KEEP,
    phone: str | Keep = KEEP,
    website: str | Keep = KEEP,
    notes: str | Keep = KEEP,
    is_archived: bool | Keep = KEEP,
) -> Organisation:
    """Change the fields given; archiving and restoring with an audit entry is
    ``organisation_archive``."""
    if not isinstance(kbo, Keep):
        kbo = _clean_kbo(kbo)
        _check_kbo_unique(region=organisation.region, kbo=kbo, exclude_pk=organisation.pk)
    changes = given(
        name=name,
        kind=kind,
        kbo=kbo,
        email=email,
        phone=phone,
        website=website,
        notes=notes,
        is_archived=is_archived,
    )
    return save_versioned(
        instance=organisation, changes=changes, expected_version=expected_version, actor=actor
    )


@transaction.atomic
def organisation_archive(
    *, actor: Actor, organisation: Organisation, expected_version: int, archived: bool = True
) -> Organisation:
    organisation = save_versioned(
        instance=organisation,
        changes={"is_archived": archived},
        expected_version=expected_version,
        actor=actor,
    )
    log_action(
        actor=actor,
        action="organisation.archive" if archived else "organisation.restore",
        target=organisation,
    )
    return organisation


@transaction.atomic
def site_create(
    *,
    actor: Actor,
    organisation: Organisation,
    street: str,
    postcode: str,
    municipality: Municipality,
    name: str = "",
    place: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    is_main: bool = False,
    is_archived: bool = False,
) -> Site:
    site = Site(
        organisation=organisation,
        name=name,
        street=street,
        postcode=postcode,
        place=place,
        municipality=municipality,
        latitude=latitude,
        longitude=longitude,
        is_main=is_main,
        is_archived=is_archived,
    )
    if site.is_main:
        _demote_main_site(organisation=organisation, actor=actor)
    return save_new(instance=site, actor=actor)


@transaction.atomic
def site_update(
    *,
    actor: Actor,
    site: Site,
    expected_version: int,
    name: str | Keep = KEEP,
    street: str | Keep = KEEP,
    postcode: str | Keep = KEEP,
    place: str | Keep = KEEP,
    municipality: Municipality | Keep = KEEP,
    latitude: Decimal | Keep | None = KEEP,
    longitude: Decimal | Keep | None = KEEP,
    is_main: bool | Keep = KEEP,
    is_archived: bool | Keep = KEEP,
) -> Site:
    if is_main is True and not site.is_main:
        _demote_main_site(organisation=site.organisation, actor=actor)
    changes = given(
        name=name,
        street=street,
        postcode=postcode,
        place=place,
        municipality=municipality,
        latitude=latitude,
        longitude=longitude,
        is_main=is_main,
        is_archived=is_archived,
    )
    return save_versioned(
        instance=site, changes=changes, expected_version=expected_version, actor=actor
    )


def _demote_main_site(*, organisation: Organisation, actor: Actor) -> None:
    for main in Site.objects.select_for_update().filter(organisation=organisation, is_main=True):
        save_versioned(
            instance=main, changes={"is_main": False}, expected_version=main.version, actor=actor
        )


@transaction.atomic
def recognition_create(
    *,
    actor: Actor,
    organisation: Organisation,
    measure: Measure,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
    capacity: Decimal | None = None,
    capacity_unit: str = CapacityUnit.PLACES,
    status: str = RecognitionStatus.ACTIVE,
    reference: str = "",
) -> Recognition:
    recognition = Recognition(
        organisation=organisation,
        measure=measure,
        valid_from=valid_from,
        valid_until=valid_until,
        capacity=capacity,
        capacity_unit=capacity_unit,
        status=status,
        reference=reference,
    )
    recognition = save_new(instance=recognition, actor=actor)
    log_action(
        actor=actor,
        action="recognition.create",
        target=organisation,
        details={"measure": recognition.measure.code},
    )
    return recognition


@transaction.atomic
def recognition_update(
    *,
    actor: Actor,
    recognition: Recognition,
    expected_version: int,
    measure: Measure | Keep = KEEP,
    valid_from: datetime.date | Keep = KEEP,
    valid_until: datetime.date | Keep | None = KEEP,
    capacity: Decimal | Keep | None = KEEP,
    capacity_unit: str | Keep = KEEP,
    status: str | Keep = KEEP,
    reference: str | Keep = KEEP,
) -> Recognition:
    changes = given(
        measure=measure,
        valid_from=valid_from,
        valid_until=valid_until,
        capacity=capacity,
        capacity_unit=capacity_unit,
        status=status,
        reference=reference,
    )
    return save_versioned(
        instance=recognition, changes=changes, expected_version=expected_version, actor=actor
    )


@dataclass(frozen=True)
class NewAffiliation:
    """The first affiliation of a new person: the fields of ``affiliation_create``."""

    organisation: Organisation
    function: str
    start: datetime.date | None = None
    end: datetime.date | None = None


def person_affiliation_check(*, actor: Actor, affiliation: NewAffiliation | None) -> None:
    """Partners add colleagues: a person a partner adds comes with an affiliation (the API
    checks it before it resolves the region, which a partner takes from the affiliation)."""
    if affiliation is None and role_of(actor) == Role.PARTNER:
        raise DomainError(
            {
                "affiliation": _(
                    "Add the affiliation with your organisation: partners add colleagues."
                )
            }
        )


@transaction.atomic
def person_create(
    *,
    actor: Actor,
    region: Region,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    affiliation: NewAffiliation | None = None,
) -> Person:
    """Create a person, with a first affiliation when given (a partner's colleague needs one)."""
    person_affiliation_check(actor=actor, affiliation=affiliation)
    person = Person(
        region=region, first_name=first_name, last_name=last_name, email=email, phone=phone
    )
    person = save_new(instance=person, actor=actor)
    if affiliation is not None:
        affiliation_create(
            actor=actor,
            person=person,
            organisation=affiliation.organisation,
            function=affiliation.function,
            start=affiliation.start,
            end=affiliation.end,
        )
    log_action(actor=actor, action="person.create", target=person)
    return person


@transaction.atomic
def person_update(
    *,
    actor: Actor,
    person: Person,
    expected_version: int,
    first_name: str | Keep = KEEP,
    last_name: str | Keep = KEEP,
    email: str | Keep = KEEP,
    phone: str | Keep = KEEP,
    is_archived: bool | Keep = KEEP,
) -> Person:
    """Change the fields given; archiving and restoring with an audit entry is
    ``person_archive``."""
    changes = given(
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        is_archived=is_archived,
    )
    return save_versioned(
        instance=person, changes=changes, expected_version=expected_version, actor=actor
    )


@transaction.atomic
def person_archive(
    *, actor: Actor, person: Person, expected_version: int, archived: bool = True
) -> Person:
    person = save_versioned(
        instance=person,
        changes={"is_archived": archived},
        expected_version=expected_version,
        actor=actor,
    )
    log_action(
        actor=actor, action="person.archive" if archived else "person.restore", target=person
    )
    return person


@transaction.atomic
def affiliation_create(
    *,
    actor: Actor,
    person: Person,
    organisation: Organisation,
    function: str,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Affiliation:
    affiliation = Affiliation(
        person=person, organisation=organisation, function=function, start=start, end=end
    )
    return save_new(instance=affiliation, actor=actor)


@transaction.atomic
def affiliation_update(
    *,
    actor: Actor,
    affiliation: Affiliation,
    expected_version: int,
    organisation: Organisation | Keep = KEEP,
    function: str | Keep = KEEP,
    start: datetime.date | Keep | None = KEEP,
    end: datetime.date | Keep | None = KEEP,
) -> Affiliation:
    changes = given(organisation=organisation, function=function, start=start, end=end)
    return save_versioned(
        instance=affiliation, changes=changes, expected_version=expected_version, actor=actor
    )
