"""The networks' JSON API: consultation bodies and their meetings (read-only).

Reads start from the selectors, which start from ``visible_to``: a partner sees the bodies
their organisation sits in, a viewer none. An unknown or invisible ``body`` filter answers 422
naming the field.
"""

import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from regie.core.api import ApiRequest, ErrorOut, ListPagination
from regie.core.errors import DomainError
from regie.network import selectors
from regie.network.models import (
    AttendanceStatus,
    Body,
    BodyKind,
    BodyStatus,
    Meeting,
    MeetingFormat,
    MeetingStatus,
)

router = Router()

READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 422: ErrorOut}


class BodyOut(Schema):
    id: int
    name: str
    kind: BodyKind
    status: BodyStatus
    status_reason: str = Field(description="Why the body is on hold or ended, or empty.")
    status_date: datetime.date | None = Field(description="Since when it has this status.")
    pillar: str | None = Field(description="Code of the pillar of the policy framework served.")
    member_count: int = Field(description="Organisations and people who are members today.")

    @staticmethod
    def resolve_pillar(obj: Body) -> str | None:
        return obj.pillar.code if obj.pillar else None

    @staticmethod
    def resolve_member_count(obj: Body) -> int:
        return getattr(obj, "member_count", None) or 0


class BodyFilters(Schema):
    name: str = Field("", description="Part of the name.")
    kind: BodyKind | None = None
    status: BodyStatus | None = None


@router.get("/bodies", response={200: list[BodyOut], **READ_ERRORS}, tags=["networks"])
@paginate(ListPagination)
def body_list(request: ApiRequest, filters: Query[BodyFilters]) -> QuerySet[Body]:
    """The consultation bodies the user may see, by name."""
    return selectors.body_list(
        user=request.auth,
        q=filters.name.strip(),
        kind=filters.kind or "",
        status=filters.status or "",
    )


class AttendanceCounts(Schema):
    invited: int
    confirmed: int
    present: int
    excused: int
    absent: int


class MeetingOut(Schema):
    id: int
    body: int = Field(description="Id of the body.")
    body_name: str
    title: str
    start: datetime.datetime = Field(description="ISO 8601, local time with its UTC offset.")
    end: datetime.datetime
    format: MeetingFormat
    status: MeetingStatus
    location: str
    video_url: str
    postponed_to: int | None = Field(description="Id of the new meeting when postponed.")
    attendance: AttendanceCounts = Field(description="How many attendees have each status.")

    @staticmethod
    def resolve_body(obj: Meeting) -> int:
        return obj.body_id

    @staticmethod
    def resolve_body_name(obj: Meeting) -> str:
        return obj.body.name

    @staticmethod
    def resolve_start(obj: Meeting) -> datetime.datetime:
        return timezone.localtime(obj.start)

    @staticmethod
    def resolve_end(obj: Meeting) -> datetime.datetime:
        return timezone.localtime(obj.end)

    @staticmethod
    def resolve_postponed_to(obj: Meeting) -> int | None:
        return obj.postponed_to_id

    @staticmethod
    def resolve_attendance(obj: Meeting) -> dict[str, int]:
        return {
            status: getattr(obj, f"attendance_{status}", 0) for status in AttendanceStatus.values
        }


class MeetingFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Meetings starting that year.")
    body: int | None = Field(None, description="Id of a body.")


@router.get("/meetings", response={200: list[MeetingOut], **READ_ERRORS}, tags=["networks"])
@paginate(ListPagination)
def meeting_list(request: ApiRequest, filters: Query[MeetingFilters]) -> QuerySet[Meeting]:
    """The meetings the user may see, oldest first, with attendance counts per status."""
    body = None
    if filters.body is not None:
        body = Body.objects.visible_to(request.auth).filter(pk=filters.body).first()
        if body is None:
            raise DomainError({"body": _("There is no body with this id.")})
    return selectors.meeting_list(user=request.auth, year=filters.year, body=body)
