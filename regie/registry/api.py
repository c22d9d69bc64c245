"""The registry's JSON API: organisations, people, municipalities and measures.

Reads start from the selectors (which start from ``visible_to``); writes look the record up in
``editable_by`` and call one service. A record outside the user's scope answers 404. Creating
answers 403 when the user's role may not create there (there is no record to hide).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from regie.core.api import ApiRequest, ErrorOut, ListPagination, StaleOut
from regie.core.errors import DomainError
from regie.core.permissions import MANAGERS, Actor, Role, role_of
from regie.core.versioning import KEEP, Keep
from regie.registry import selectors, services
from regie.registry.models import (
    Affiliation,
    Function,
    Measure,
    Municipality,
    Organisation,
    OrganisationKind,
    Person,
    Recognition,
    RecognitionStatus,
    Region,
)
from regie.registry.querysets import EDITORS

router = Router()

READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


class InputSchema(Schema):
    """Request bodies refuse unknown fields, so a misspelt field is named instead of ignored."""

    model_config = ConfigDict(extra="forbid")


# Organisations


class OrganisationOut(Schema):
    id: int
    name: str
    kbo: str = Field(description="Enterprise number, 10 digits, or empty.")
    kind: OrganisationKind
    municipality: str | None = Field(
        None, description="NIS code of the main (not archived) site, or null."
    )
    recognitions: list[str] = Field(
        description="Measure codes of the recognitions that have not ended."
    )
    region: str = Field(description="Code of the regie area.")
    email: str
    phone: str
    website: str
    notes: str
    is_archived: bool
    version: int = Field(description="Send it back unchanged in a PATCH.")
    updated_at: datetime.datetime

    @staticmethod
    def resolve_municipality(obj: Organisation) -> str | None:
        return getattr(obj, "main_municipality_nis", None)

    @staticmethod
    def resolve_recognitions(obj: Organisation) -> list[str]:
        codes = (
            r.measure.code for r in obj.recognitions.all() if r.status != RecognitionStatus.ENDED
        )
        return list(dict.fromkeys(codes))

    @staticmethod
    def resolve_region(obj: Organisation) -> str:
        return obj.region.code


class OrganisationFilters(Schema):
    q: str = Field("", description="Part of the name or e-mail, or digits of the KBO number.")
    kind: OrganisationKind | None = None
    measure: str = Field("", description="Measure code: organisations recognised under it.")
    municipality: str = Field("", description="NIS code: organisations with a site there.")
    archived: bool = Field(False, description="true lists only archived organisations.")


class OrganisationIn(InputSchema):
    name: str
    kind: OrganisationKind
    kbo: str = Field("", description="10 digits; dots, spaces and a BE prefix are accepted.")
    email: str = ""
    phone: str = ""
    website: str = ""
    notes: str = ""
    region: str | None = Field(
        None,
        description="Region code. Coordinators create in their own region; admins must name one.",
    )


class OrganisationPatch(InputSchema):
    version: int = Field(description="The version the change is based on.")
    name: str | None = None
    kind: OrganisationKind | None = None
    kbo: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    notes: str | None = None


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **READ_ERRORS},
    tags=["organisations"],
)
@paginate(ListPagination)
def organisation_list(
    request: ApiRequest, filters: Query[OrganisationFilters]
) -> QuerySet[Organisation]:
    """The organisations the user may see, by name; not archived unless asked."""
    organisations = selectors.organisation_list(
        user=request.auth,
        q=filters.q.strip(),
        kind=filters.kind or "",
        municipality=_municipality(filters.municipality),
        archived="archived" if filters.archived else "active",
    )
    if measure := _measure(filters.measure):
        # The same rule as the ``recognitions`` field: a recognition that has not ended.
        recognised = Recognition.objects.filter(measure=measure).exclude(
            status=RecognitionStatus.ENDED
        )
        organisations = organisations.filter(pk__in=recognised.values("organisation"))
    return organisations


@router.post(
    "/organisations",
    response={201: OrganisationOut, **WRITE_ERRORS},
    tags=["organisations"],
)
def organisation_create(request: ApiRequest, payload: OrganisationIn) -> Status[Organisation]:
    """Coordinators create in their own region, admins in the region they name; other roles,
    or a coordinator naming another region, get 403."""
    user: Actor = request.auth
    if role_of(user) not in MANAGERS:
        raise _may_not_create()
    fields = payload.model_dump(exclude={"region"})
    region = _target_region(user=user, code=payload.region, default=_own_region(user))
    organisation = services.organisation_create(actor=user, region=region, **fields)
    return Status(201, _organisation(user, organisation.pk))


@router.get(
    "/organisations/{id}",
    response={200: OrganisationOut, 401: ErrorOut, 404: ErrorOut},
    tags=["organisations"],
)
def organisation_detail(request: ApiRequest, id: int) -> Organisation:
    """One organisation; 404 when it does not exist or lies outside the user's scope."""
    return _organisation(request.auth, id)


@router.patch(
    "/organisations/{id}",
    response={200: OrganisationOut, 404: ErrorOut, 409: StaleOut, **WRITE_ERRORS},
    tags=["organisations"],
)
def organisation_update(
    request: ApiRequest,
    id: int,
    payload: OrganisationPatch,
) -> Organisation:
    """Change the fields sent. ``version`` is the one the client read: when the record changed
    since, the answer is 409 and nothing is saved. 404 for records the user may not change."""
    organisation = get_object_or_404(Organisation.objects.editable_by(request.auth), pk=id)
    services.organisation_update(
        actor=request.auth,
        organisation=organisation,
        expected_version=payload.version,
        name=_sent(payload, "name", payload.name),
        kind=_sent(payload, "kind", payload.kind),
        kbo=_sent(payload, "kbo", payload.kbo),
        email=_sent(payload, "email", payload.email),
        phone=_sent(payload, "phone", payload.phone),
        website=_sent(payload, "website", payload.website),
        notes=_sent(payload, "notes", payload.notes),
    )
    return _organisation(request.auth, id)


def _sent(payload: Schema, name: str, value: str | None) -> str | Keep:
    """A text field of a PATCH: left as it is when not sent, emptied when sent as null."""
    if name not in payload.model_fields_set:
        return KEEP
    return "" if value is None else value


def _organisation(user: Actor, pk: int) -> Organisation:
    return get_object_or_404(selectors.organisation_list(user=user, archived="all"), pk=pk)


# People


class AffiliationOut(Schema):
    organisation: int
    organisation_name: str
    function: Function
    start: datetime.date | None
    end: datetime.date | None

    @staticmethod
    def resolve_organisation(obj: Affiliation) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_organisation_name(obj: Affiliation) -> str:
        return obj.organisation.name


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    region: str
    affiliations: list[AffiliationOut] = Field(
        description="Only the affiliations with organisations the user may see."
    )
    is_archived: bool
    version: int

    @staticmethod
    def resolve_region(obj: Person) -> str:
        return obj.region.code

    @staticmethod
    def resolve_affiliations(obj: Person) -> list[Affiliation]:
        return list(getattr(obj, "visible_affiliations", []))


class PersonFilters(Schema):
    q: str = Field("", description="Part of the name, e-mail or phone number.")
    organisation: int | None = Field(None, description="Organisation id.")
    function: Function | None = None
    archived: bool = Field(False, description="true lists only archived people.")


class AffiliationIn(InputSchema):
    organisation: int = Field(description="Organisation id.")
    function: Function
    start: datetime.date | None = None
    end: datetime.date | None = None


class PersonIn(InputSchema):
    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""
    region: str | None = Field(
        None,
        description="Region code; by default the coordinator's own region or the region of the "
        "affiliated organisation.",
    )
    affiliation: AffiliationIn | None = Field(
        None, description="A first affiliation; required for partners (a colleague)."
    )


@router.get("/people", response={200: list[PersonOut], **READ_ERRORS}, tags=["people"])
@paginate(ListPagination)
def person_list(request: ApiRequest, filters: Query[PersonFilters]) -> QuerySet[Person]:
    """The professional contacts the user may see, with the affiliations the user may see."""
    organisation = None
    if filters.organisation is not None:
        organisation = _visible_organisation(request.auth, filters.organisation, "organisation")
    return _with_visible_affiliations(
        request.auth,
        selectors.person_list(
            user=request.auth,
            q=filters.q.strip(),
            organisation=organisation,
            function=filters.function or "",
            archived="archived" if filters.archived else "active",
        ),
    )


@router.post("/people", response={201: PersonOut, **WRITE_ERRORS}, tags=["people"])
def person_create(request: ApiRequest, payload: PersonIn) -> Status[Person]:
    """Coordinators add people in their region; partners add colleagues (with an affiliation
    to their own organisation); admins name the region or an organisation. Others get 403."""
    user: Actor = request.auth
    if role_of(user) not in EDITORS:
        raise _may_not_create()
    affiliation = _new_affiliation(user, payload.affiliation)
    home_region = _own_region(user) if role_of(user) == Role.COORDINATOR else None
    if affiliation is not None:
        home_region = home_region or affiliation.organisation.region
    region = _target_region(user=user, code=payload.region, default=home_region)
    person = services.person_create(
        actor=user,
        region=region,
        affiliation=affiliation,
        **payload.model_dump(exclude={"region", "affiliation"}),
    )
    people = _with_visible_affiliations(user, selectors.person_list(user=user, archived="all"))
    return Status(201, get_object_or_404(people, pk=person.pk))


def _new_affiliation(
    user: Actor, affiliation: AffiliationIn | None
) -> services.NewAffiliation | None:
    """The first affiliation of a new person, with an organisation the user may change."""
    if affiliation is None:
        services.person_affiliation_check(actor=user, affiliation=None)
        return None
    organisation = (
        Organisation.objects.editable_by(user)
        .select_related("region")
        .filter(pk=affiliation.organisation)
        .first()
    )
    if organisation is None:
        raise DomainError(
            {"affiliation.organisation": _("You cannot add people to this organisation.")}
        )
    return services.NewAffiliation(
        organisation=organisation,
        function=affiliation.function,
        start=affiliation.start,
        end=affiliation.end,
    )


def _with_visible_affiliations(user: Actor, people: QuerySet[Person]) -> QuerySet[Person]:
    # The selector prefetches every affiliation; the API shows only those the user may see.
    visible = Affiliation.objects.visible_to(user).select_related("organisation")
    return (
        people.select_related("region")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "affiliations",
                queryset=visible.order_by("-start", "organisation__name"),
                to_attr="visible_affiliations",
            )
        )
    )


# Municipalities and measures: reference data


class MunicipalityOut(Schema):
    nis: str
    name: str
    postcodes: list[str]
    is_centre_city: bool
    latitude: float | None
    longitude: float | None
    population: int | None = Field(None, description="Inhabitants in the latest known year.")
    population_year: int | None = None

    @staticmethod
    def resolve_nis(obj: Municipality) -> str:
        return obj.nis_code

    @staticmethod
    def resolve_postcodes(obj: Municipality) -> list[str]:
        return [postcode.code for postcode in obj.postcodes.all()]


class MunicipalityFilters(Schema):
    q: str = Field("", description="Part of the name, a NIS code or a postcode.")


@router.get(
    "/municipalities", response={200: list[MunicipalityOut], **READ_ERRORS}, tags=["reference"]
)
@paginate(ListPagination)
def municipality_list(
    request: ApiRequest, filters: Query[MunicipalityFilters]
) -> QuerySet[Municipality]:
    """The municipalities of the user's region (every one for an admin)."""
    municipalities = selectors.municipality_list(user=request.auth)
    if q := filters.q.strip():
        municipalities = municipalities.filter(
            Q(name__icontains=q) | Q(nis_code=q) | Q(postcodes__code=q)
        ).distinct()
    return municipalities


class MeasureOut(Schema):
    code: str
    name: str
    valid_from: datetime.date | None = Field(description="First day new entrants may start.")
    valid_until: datetime.date | None = Field(description="Last day new entrants may start.")


class MeasureFilters(Schema):
    valid_on: datetime.date | None = Field(None, description="Only measures open on this day.")


@router.get("/measures", response={200: list[MeasureOut], **READ_ERRORS}, tags=["reference"])
@paginate(ListPagination)
def measure_list(request: ApiRequest, filters: Query[MeasureFilters]) -> QuerySet[Measure]:
    """The social-economy measures and the days between which new entrants may start."""
    measures = Measure.objects.all()
    if day := filters.valid_on:
        measures = measures.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )
    return measures


# Lookups of the filters and bodies: an unknown value names its field.


def _measure(code: str) -> Measure | None:
    if not code:
        return None
    measure = Measure.objects.filter(code__iexact=code.strip()).first()
    if measure is None:
        raise DomainError({"measure": _("There is no measure with this code.")})
    return measure


def _municipality(nis: str) -> Municipality | None:
    if not nis:
        return None
    municipality = Municipality.objects.filter(nis_code=nis.strip()).first()
    if municipality is None:
        raise DomainError({"municipality": _("There is no municipality with this NIS code.")})
    return municipality


def _visible_organisation(user: Actor, pk: int, field: str) -> Organisation:
    organisation = Organisation.objects.visible_to(user).filter(pk=pk).first()
    if organisation is None:
        raise DomainError({field: _("There is no organisation with this id.")})
    return organisation


def _own_region(user: Actor) -> Region | None:
    return Region.objects.filter(pk=user.region_id).first() if user.region_id else None


def _target_region(*, user: Actor, code: str | None, default: Region | None) -> Region:
    """The region a new record goes to: the user's own, or the one an admin names."""
    if role_of(user) == Role.ADMIN:
        if code:
            region = Region.objects.filter(code=code).first()
            if region is None:
                raise DomainError({"region": _("There is no region with this code.")})
            return region
        if default is None:
            raise DomainError({"region": _("Name the region by its code, for example w13.")})
        return default
    if default is None or (code and code != default.code):
        raise _may_not_create(_("You can only add records to your own region."))
    return default


def _may_not_create(message: str = "") -> PermissionDenied:
    return PermissionDenied(message or _("Your role may not create this kind of record."))
