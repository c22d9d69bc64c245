"""The clients' JSON API: scoped and access-logged reads of client files, and progression
aggregates in which a count under 5 is never shown.

A client outside the user's scope answers 404, like one that does not exist. Fields a role may
not read (``policy.py``) are ``null``. The national number appears only masked, and only for
the roles that may see it; it cannot be revealed through the API. Responses carry
``Cache-Control: no-store``.
"""

import datetime
from typing import Any, cast

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from regie.clients import selectors
from regie.clients.access import access_record
from regie.clients.models import AccessAction, Channel, Client, ClientStatus
from regie.clients.policy import policy_for
from regie.core.api import ApiRequest, ErrorOut, ListPagination
from regie.core.errors import DomainError
from regie.registry.models import Region

router = Router(tags=["clients"])

READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 422: ErrorOut}


def _no_store(response: HttpResponse) -> None:
    patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)


# Any: ninja's resolver context, the request (``auth`` set by ninja) among what ninja adds.
type ResolverContext = dict[str, Any]


def _allowed(context: ResolverContext, part: str) -> bool:
    return bool(getattr(policy_for(context["request"].auth), part))


class ClientOut(Schema):
    id: int
    code: str = Field(description="The pseudonymous client code.")
    first_name: str
    last_name: str
    municipality: str = Field(description="NIS code of the client's municipality.")
    status: ClientStatus
    organisation: int = Field(description="Id of the organisation holding the file.")
    current_measure: str | None = Field(
        None, description="Measure code of the current step (one the user may see)."
    )
    street: str | None = Field(None, description="null when the role may not see the address.")
    postcode: str | None = None
    place: str | None = None
    phone: str | None = None
    language: str | None = None
    birth_date: datetime.date | None = Field(
        None, description="null when unknown or when the role may not see it."
    )
    email: str | None = None
    vdab_reference: str | None = None
    national_number: str | None = Field(
        None, description="Masked (INSZ ••.••.••-123.••); never in full through the API."
    )

    @staticmethod
    def resolve_municipality(obj: Client) -> str:
        return obj.municipality.nis_code

    @staticmethod
    def resolve_organisation(obj: Client) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_current_measure(obj: Client) -> str | None:
        return getattr(obj, "current_measure", None)

    @staticmethod
    def resolve_street(obj: Client, context: ResolverContext) -> str | None:
        return obj.street if _allowed(context, "contact_details") else None

    @staticmethod
    def resolve_postcode(obj: Client, context: ResolverContext) -> str | None:
        return obj.postcode if _allowed(context, "contact_details") else None

    @staticmethod
    def resolve_place(obj: Client, context: ResolverContext) -> str | None:
        return obj.place if _allowed(context, "contact_details") else None

    @staticmethod
    def resolve_phone(obj: Client, context: ResolverContext) -> str | None:
        return obj.phone if _allowed(context, "contact_details") else None

    @staticmethod
    def resolve_language(obj: Client, context: ResolverContext) -> str | None:
        return obj.language if _allowed(context, "contact_details") else None

    @staticmethod
    def resolve_birth_date(obj: Client, context: ResolverContext) -> datetime.date | None:
        return obj.birth_date if _allowed(context, "personal_details") else None

    @staticmethod
    def resolve_email(obj: Client, context: ResolverContext) -> str | None:
        return obj.email if _allowed(context, "personal_details") else None

    @staticmethod
    def resolve_vdab_reference(obj: Client, context: ResolverContext) -> str | None:
        return obj.vdab_reference if _allowed(context, "personal_details") else None

    @staticmethod
    def resolve_national_number(obj: Client, context: ResolverContext) -> str | None:
        if not _allowed(context, "national_number"):
            return None
        return obj.insz_masked or None


class ClientFilters(Schema):
    q: str = Field("", description="Part of the name, or the client code.")
    status: ClientStatus | None = None
    mine: bool = Field(False, description="true: only the clients the user follows.")


class LoggedListPagination(ListPagination):
    """The list of the API, which writes an access-log row for every client it returns."""

    def paginate_queryset(
        self,
        queryset: QuerySet[Client],
        pagination: LimitOffsetPagination.Input,  # ninja's own type; passed on
        request: HttpRequest,
        **params: object,
    ) -> dict[str, object]:
        # Any: ninja's page, {"items": [...], "count": N}
        result: dict[str, Any] = super().paginate_queryset(queryset, pagination, request, **params)
        user = cast(ApiRequest, request).auth  # ninja's authentication has set it
        result["items"] = selectors.with_current_step(user=user, clients=list(result["items"]))
        access_record(
            user=user,
            clients=result["items"],
            action=AccessAction.LIST,
            what="API client list",
            channel=Channel.API,
        )
        return result


@router.get("/clients", response={200: list[ClientOut], **READ_ERRORS})
@paginate(LoggedListPagination)
def client_list(
    request: ApiRequest, response: HttpResponse, filters: Query[ClientFilters]
) -> QuerySet[Client]:
    """The clients the user may see (none for viewers and administrators), by name. Each
    client returned is written to the access log."""
    _no_store(response)
    return selectors.client_list(
        user=request.auth,
        q=filters.q.strip(),
        status=filters.status or "",
        mine=filters.mine,
    )


@router.get("/clients/{id}", response={200: ClientOut, 401: ErrorOut, 404: ErrorOut})
def client_detail(request: ApiRequest, response: HttpResponse, id: int) -> Client:
    """One client; 404 when it does not exist or lies outside the user's scope. Logged."""
    client = selectors.client_list(user=request.auth).filter(pk=id).first()
    if client is None:
        raise Http404
    selectors.with_current_step(user=request.auth, clients=[client])
    access_record(
        user=request.auth,
        clients=[client],
        action=AccessAction.VIEW,
        what="API client file",
        channel=Channel.API,
    )
    _no_store(response)
    return client


# Progression


class CellOut(Schema):
    value: int | float | None = Field(description="null when suppressed or without a figure.")
    suppressed: bool = Field(description="true: fewer than 5, or it would reveal such a count.")


class ProgressionRowOut(Schema):
    key: str = Field(description="Measure code or NIS code.")
    label: str
    started: CellOut
    active_at_year_end: CellOut
    ended: CellOut
    reasons: dict[str, CellOut] = Field(description="Ended steps per end reason.")
    median_months: CellOut = Field(description="Median months in the measure of ended steps.")


class TransitionOut(Schema):
    from_measure: str
    to_measure: str = Field(description="Measure code; REG is a regular job.")
    count: CellOut


class ProgressionOut(Schema):
    region: str
    year: int
    municipality: str | None = Field(None, description="NIS code when limited to one.")
    measures: list[ProgressionRowOut]
    municipalities: list[ProgressionRowOut]
    transitions: list[TransitionOut]
    total: ProgressionRowOut

    @staticmethod
    def resolve_region(obj: selectors.Progression) -> str:
        return obj.region.code

    @staticmethod
    def resolve_municipality(obj: selectors.Progression) -> str | None:
        return obj.municipality.nis_code if obj.municipality else None


class ProgressionFilters(Schema):
    region: str = Field("", description="Region code; by default the user's own region.")
    year: int = Field(default_factory=lambda: datetime.date.today().year - 1, ge=2000, le=2100)


@router.get(
    "/progression",
    response={200: ProgressionOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def progression(request: ApiRequest, filters: Query[ProgressionFilters]) -> selectors.Progression:
    """Progression of a region's clients in one year, per measure and per municipality.
    Aggregates only: every count under 5 is null with ``suppressed: true``. Viewers get their
    own municipality; a region outside the user's scope answers 404."""
    user = request.auth
    code = filters.region.strip() or getattr(user.region, "code", "")
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise DomainError({"region": _("There is no region with this code.")})
    allowed, municipality = selectors.progression_scope(user=user, region=region)
    if not allowed:
        raise Http404
    return selectors.progression(
        region=region, year=filters.year, municipality=municipality, suppress=True
    )
