"""The public registration endpoint of events: no account, rate-limited per client address.

Same rules as the web form. Statuses: 201 registered or on the waiting list (``status``),
404 no event with this id (a meeting that never opened public registration is no event),
409 the e-mail address is already registered for the event (``errors.email``), 422 invalid
input or registration closed, 429 too many attempts from this address.
"""

from typing import Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import ConfigDict

from regie.core.api import ErrorOut, validation_error_body
from regie.events import rate_limit, selectors, services
from regie.events.models import StakeholderType
from regie.network.models import Meeting

router = Router(tags=["events"])


class RegistrationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    email: str = Field(max_length=254, description="The confirmation mail goes here.")
    organisation: str = Field("", max_length=200)
    stakeholder_type: StakeholderType


class RegistrationOut(Schema):
    status: Literal["registered", "waiting"] = Field(
        description="registered: a seat is reserved; waiting: on the waiting list."
    )
    waiting_position: int | None = Field(
        None, description="1 for the first person on the waiting list; null when registered."
    )
    message: str


@router.post(
    "/events/{id}/registrations",
    auth=None,
    response={
        201: RegistrationOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
)
def registration_create(
    request: HttpRequest, id: int, payload: RegistrationIn
) -> Status[RegistrationOut | dict[str, object]]:
    """Register for an event (public, no authentication, at most ``REGIE_REGISTRATION_RATE``
    attempts per client address). A full event puts the person on the waiting list."""
    if rate_limit.registration_rate_limited(ip=rate_limit.client_ip(request)):
        raise HttpError(429, rate_limit.rate_limit_message())
    meeting = Meeting.objects.filter(pk=id).first()
    if meeting is None or not selectors.is_event(meeting):
        raise Http404
    try:
        registration = services.registration_create(
            meeting=meeting,
            first_name=payload.first_name,
            last_name=payload.last_name,
            email=payload.email,
            organisation_name=payload.organisation,
            stakeholder_type=payload.stakeholder_type,
        )
    except services.DuplicateRegistration as error:
        return Status(409, validation_error_body(error))
    position = selectors.waiting_position(registration)
    message = (
        _("You are on the waiting list.")
        if position is not None
        else _("You are registered: a confirmation mail is on its way.")
    )
    return Status(
        201,
        RegistrationOut(
            status="waiting" if position is not None else "registered",
            waiting_position=position,
            message=message,
        ),
    )
