"""Pieces every API router shares: authentication, pagination and the shape of error bodies.

Every error body is ``{"detail": "...", "errors": {"field": ["message", ...]}}``; ``errors`` is
empty when no field is to blame and uses ``__all__`` for a message about the whole request.
Statuses: 400 body is not JSON, 401 not authenticated, 403 not allowed (or CSRF), 404 unknown or
outside the user's scope, 409 stale version, 422 invalid input (schema or business rule).
A stale version's 409 adds ``current_version`` and ``changed`` (``StaleOut``).
"""

from collections.abc import Callable, Sequence
from functools import wraps
from typing import TYPE_CHECKING, Any, Concatenate, Protocol, TypedDict

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from regie.core.errors import StaleEditError

if TYPE_CHECKING:
    # django-stubs' name for the model AUTH_USER_MODEL names (see ``core.permissions``).
    from django.contrib.auth.models import _User

DEFAULT_LIMIT = 50


class ApiRequest(HttpRequest):
    """What an endpoint receives: ``auth`` is the active user the authentication found."""

    auth: "_User"


class TokenCheck(Protocol):
    """Turns a bearer token into its active user (the app declaring ``api_token_check``)."""

    def __call__(self, *, key: str) -> "_User | None": ...


type View[**P] = Callable[Concatenate[HttpRequest, P], HttpResponse]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class ChangeOut(Schema):
    field: str
    label: str
    then: str
    now: str


class StaleOut(ErrorOut):
    """The 409 of a stale edit: what to send next, and what someone changed meanwhile."""

    current_version: int
    changed: list[ChangeOut] | None


class ErrorBody(TypedDict):
    """The JSON of every error (``ErrorOut``)."""

    detail: str
    errors: dict[str, list[str]]


class ChangeBody(TypedDict):
    field: str
    label: str
    then: str
    now: str


class StaleBody(ErrorBody):
    """The JSON of a stale edit's 409 (``StaleOut``)."""

    current_version: int
    changed: list[ChangeBody] | None


class SessionAuth(APIKeyCookie):
    """The browser's Django session; unsafe methods need the CSRF token, as for any form."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a logged-in session there is nothing to protect: the answer is a plain 401.
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(
                403,
                _("CSRF check failed: send the csrftoken cookie in the X-CSRFToken header."),
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> "_User | None":
        user = request.user
        return user if user.is_authenticated and user.is_active else None


class BearerTokenAuth(HttpBearer):
    """A personal token in ``Authorization: Bearer <token>``, checked by ``authenticate``."""

    def __init__(self, authenticate: TokenCheck) -> None:
        self._authenticate = authenticate
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> "_User | None":
        return self._authenticate(key=token) if token else None


class ListPagination(LimitOffsetPagination):
    """Every list of the API: ``?limit=&offset=`` in, ``{"items": [...], "count": N}`` out."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=settings.REGIE_API_MAX_LIMIT)
        offset: int = Field(0, ge=0)

    class Output(Schema):
        items: list[Any]  # Any: ninja puts each endpoint's own item schema here
        count: int

    def __init__(self, **kwargs: Any) -> None:  # Any: ninja's own options, passed on
        super().__init__(max_limit=settings.REGIE_API_MAX_LIMIT, **kwargs)


def docs_login_required[**P](
    *auth: Callable[[HttpRequest], object],
) -> Callable[[View[P]], View[P]]:
    """Guard the docs and the schema: a browser is sent to log in, a client gets a 401."""

    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if request.user.is_authenticated or any(check(request) for check in auth):
                return view(request, *args, **kwargs)
            if request.path.endswith(".json"):
                response = JsonResponse(_error_body(_not_authenticated_message()), status=401)
                response["WWW-Authenticate"] = "Bearer"
                return response
            return redirect_to_login(request.get_full_path())

        return wrapped

    return decorator


def install_error_handlers(api: NinjaAPI) -> None:
    """Give every error of ``api`` the same JSON shape (see the module docstring)."""

    def respond(request: HttpRequest, status: int, detail: str) -> HttpResponse:
        return api.create_response(request, _error_body(detail), status=status)

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(request, 401, _not_authenticated_message())
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            message = _("The request body is not valid JSON.")
            body = _error_body(message, {NON_FIELD_ERRORS: [message]})
            return api.create_response(request, body, status=400)
        return respond(request, exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, _("Not found."))

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, str(exc) or _("You are not allowed to do this."))

    @api.exception_handler(SchemaValidationError)
    def schema_invalid(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
        return api.create_response(request, schema_error_body(exc.errors), status=422)

    @api.exception_handler(DjangoValidationError)
    def domain_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return api.create_response(request, validation_error_body(exc), status=422)

    @api.exception_handler(StaleEditError)
    def stale(request: HttpRequest, exc: StaleEditError) -> HttpResponse:
        detail = _(
            "The record changed since the version you sent; nothing was saved. "
            "Fetch it again, reapply your change and send the new version."
        )
        return api.create_response(request, stale_error_body(detail, exc), status=409)


def stale_error_body(detail: str, error: StaleEditError) -> StaleBody:
    """A 409: the version stored now, to send next, and the fields changed since the version
    sent (``changed`` is null when the history does not hold that version)."""
    changed: list[ChangeBody] | None = (
        None
        if error.changes is None
        else [
            {"field": c.field, "label": c.label, "then": c.then, "now": c.now}
            for c in error.changes
        ]
    )
    return {
        "detail": detail,
        "errors": {"version": error.messages},
        "current_version": error.current_version,
        "changed": changed,
    }


def validation_error_body(error: DjangoValidationError) -> dict[str, object]:
    if hasattr(error, "error_dict"):
        errors = {field: list(messages) for field, messages in error.message_dict.items()}
    else:
        errors = {NON_FIELD_ERRORS: list(error.messages)}
    return dict(
        _error_body(_("The data were not saved: correct the fields named in errors."), errors)
    )


# Any: pydantic's error details mix strings, tuples and dicts (``loc``, ``ctx``, ``input``).
type ErrorDetail = dict[str, Any]


def schema_error_body(details: Sequence[ErrorDetail]) -> ErrorBody:
    """Pydantic's list of errors, keyed by the field a client sent (``affiliation.start``)."""
    errors: dict[str, list[str]] = {}
    for detail in details:
        field = _field_name(detail.get("loc", ()))
        if field == NON_FIELD_ERRORS:
            message = _("Send the data as a JSON object in the request body.")
        else:
            message = _message(detail)
        errors.setdefault(field, []).append(message)
    return _error_body(_("The request has invalid fields: see errors."), errors)


def _field_name(loc: Sequence[object]) -> str:
    source, *parts = [str(part) for part in loc] or [""]
    if source == "body" and len(parts) > 1:
        parts = parts[1:]  # drop the name of the endpoint's body parameter
    elif source == "body":
        parts = []  # the body as a whole, e.g. invalid JSON
    return ".".join(parts) or NON_FIELD_ERRORS


# C901 until refactored: one branch per kind of validation error, each its own Dutch message.
def _message(detail: ErrorDetail) -> str:  # noqa: C901
    kind = str(detail.get("type", ""))
    context = detail.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("This field is unknown.")
    if kind in {"enum", "literal_error"}:
        return _("Choose one of: %(expected)s.") % {"expected": context.get("expected", "")}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind.startswith("date"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind in {"string_type", "string_too_short"}:
        return _("Enter text.")
    if kind == "string_too_long":
        return _("Enter at most %(max)s characters.") % {"max": context.get("max_length")}
    if kind == "greater_than_equal":
        return _("Enter a number of at least %(min)s.") % {"min": context.get("ge")}
    if kind == "less_than_equal":
        return _("Enter a number of at most %(max)s.") % {"max": context.get("le")}
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    return str(detail.get("msg", _("This value is not valid.")))


def _not_authenticated_message() -> str:
    return _(
        "Authentication required: log in, or send a personal token "
        "in the header Authorization: Bearer <token>."
    )


def _error_body(detail: str, errors: dict[str, list[str]] | None = None) -> ErrorBody:
    return {"detail": detail, "errors": errors or {}}
