"""Writes to the registry. Every function is keyword-only, atomic and validated."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regie.core.audit import log_action
from regie.core.errors import DomainError
from regie.core.permissions import Actor, Role, role_of
from regie.core.versioning import save_new, save_versioned
from regie.registry.models import (
    Affiliation,
    Organisation,
    Person,
    Recognition,
    Region,
    Site,
)
from regie.registry.validators import normalise_kbo


def _clean_kbo(fields: dict[str, Any]) -> dict[str, Any]:
    if fields.get("kbo"):
        try:
            fields["kbo"] = normalise_kbo(fields["kbo"])
        except ValidationError as error:
            raise DomainError({"kbo": error.messages}) from None
    return fields


def _check_kbo_unique(*, region: Region, kbo: str, exclude_pk: int = 0) -> None:
    if not kbo:
        return
    clash = Organisation.objects.filter(region=region, kbo=kbo).exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            {"kbo": _("Another organisation in this region already has this enterprise number.")}
        )


@transaction.atomic
def organisation_create(*, actor: Actor, region: Region, **fields: Any) -> Organisation:
    fields = _clean_kbo(fields)
    _check_kbo_unique(region=region, kbo=fields.get("kbo", ""))
    organisation = save_new(instance=Organisation(region=region, **fields), actor=actor)
    log_action(actor=actor, action="organisation.create", target=organisation)
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: Actor, organisation: Organisation, expected_version: int, **changes: Any
) -> Organisation:
    changes = _clean_kbo(changes)
    if "kbo" in changes:
        _check_kbo_unique(
            region=organisation.region, kbo=changes["kbo"], exclude_pk=organisation.pk
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
def site_create(*, actor: Actor, organisation: Organisation, **fields: Any) -> Site:
    site = Site(organisation=organisation, **fields)
    if site.is_main:
        _demote_main_site(organisation=organisation, actor=actor)
    return save_new(instance=site, actor=actor)


@transaction.atomic
def site_update(*, actor: Actor, site: Site, expected_version: int, **changes: Any) -> Site:
    if changes.get("is_main") and not site.is_main:
        _demote_main_site(organisation=site.organisation, actor=actor)
    return save_versioned(
        instance=site, changes=changes, expected_version=expected_version, actor=actor
    )


def _demote_main_site(*, organisation: Organisation, actor: Actor) -> None:
    for main in Site.objects.select_for_update().filter(organisation=organisation, is_main=True):
        save_versioned(
            instance=main, changes={"is_main": False}, expected_version=main.version, actor=actor
        )


@transaction.atomic
def recognition_create(*, actor: Actor, organisation: Organisation, **fields: Any) -> Recognition:
    recognition = save_new(instance=Recognition(organisation=organisation, **fields), actor=actor)
    log_action(
        actor=actor,
        action="recognition.create",
        target=organisation,
        details={"measure": recognition.measure.code},
    )
    return recognition


@transaction.atomic
def recognition_update(
    *, actor: Actor, recognition: Recognition, expected_version: int, **changes: Any
) -> Recognition:
    return save_versioned(
        instance=recognition, changes=changes, expected_version=expected_version, actor=actor
    )


def person_affiliation_check(*, actor: Actor, affiliation: dict[str, Any] | None) -> None:
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
    affiliation: dict[str, Any] | None = None,
    **fields: Any,
) -> Person:
    """Create a person, with a first affiliation when given (a partner's colleague needs one)."""
    person_affiliation_check(actor=actor, affiliation=affiliation)
    person = save_new(instance=Person(region=region, **fields), actor=actor)
    if affiliation:
        affiliation_create(actor=actor, person=person, **affiliation)
    log_action(actor=actor, action="person.create", target=person)
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: Person, expected_version: int, **changes: Any) -> Person:
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
def affiliation_create(*, actor: Actor, person: Person, **fields: Any) -> Affiliation:
    return save_new(instance=Affiliation(person=person, **fields), actor=actor)


@transaction.atomic
def affiliation_update(
    *, actor: Actor, affiliation: Affiliation, expected_version: int, **changes: Any
) -> Affiliation:
    return save_versioned(
        instance=affiliation, changes=changes, expected_version=expected_version, actor=actor
    )
