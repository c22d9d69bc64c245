"""Admin pages of the networks, for the technical administrator: read and repair, with history.

Day-to-day work happens on the network pages, whose services keep the rules (locked minutes,
calendar sequence, invitations); the admin shows the rows as they are.
"""

from django.contrib import admin
from django.http import HttpRequest

from regie.core.admin import HistoryAdmin
from regie.network import models


class MembershipInline(admin.TabularInline[models.Membership, models.Body]):
    model = models.Membership
    extra = 0
    autocomplete_fields = ("organisation", "person")


@admin.register(models.Body)
class BodyAdmin(HistoryAdmin[models.Body]):
    list_display = ("name", "kind", "pillar", "status", "region")
    list_filter = ("kind", "status", "region")
    search_fields = ("name",)
    readonly_fields = ("version",)
    inlines = [MembershipInline]


class AgendaItemInline(admin.TabularInline[models.AgendaItem, models.Meeting]):
    model = models.AgendaItem
    extra = 0
    fields = ("position", "title", "presenter", "is_standing")


class AttendanceInline(admin.TabularInline[models.Attendance, models.Meeting]):
    model = models.Attendance
    extra = 0
    fields = ("person", "organisation", "guest_name", "guest_email", "status")
    autocomplete_fields = ("person", "organisation")


class MeetingDocumentInline(admin.TabularInline[models.MeetingDocument, models.Meeting]):
    model = models.MeetingDocument
    extra = 0
    fields = ("filename", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: models.Meeting | None = None) -> bool:
        return False


@admin.register(models.Meeting)
class MeetingAdmin(HistoryAdmin[models.Meeting]):
    list_display = ("title", "body", "start", "format", "status", "minutes_status")
    list_filter = ("status", "format", "minutes_status", "body__region")
    search_fields = ("title", "body__name")
    date_hierarchy = "start"
    readonly_fields = ("uid", "sequence", "version", "postponed_to")
    inlines = [AgendaItemInline, AttendanceInline, MeetingDocumentInline]


@admin.register(models.FollowUp)
class FollowUpAdmin(HistoryAdmin[models.FollowUp]):
    list_display = ("title", "body", "owner", "due_date", "status")
    list_filter = ("status", "body__region")
    search_fields = ("title", "body__name", "owner__last_name")
    autocomplete_fields = ("owner",)
    readonly_fields = ("version",)


@admin.register(models.Decision)
class DecisionAdmin(HistoryAdmin[models.Decision]):
    list_display = ("__str__", "meeting")
    search_fields = ("text", "meeting__title")
