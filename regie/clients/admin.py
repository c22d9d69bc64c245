"""Django's admin shows no client file: the technical administrator manages devices, sessions
and legal bases of organisations, and reads the access log. Clients, their contacts, support
needs and the rest are not registered here at all (see docs/privacy.md)."""

from django.contrib import admin
from django.http import HttpRequest

from regie.clients import models


@admin.register(models.AccessLog)
class AccessLogAdmin(admin.ModelAdmin[models.AccessLog]):
    list_display = ("at", "username", "role", "client_code", "action", "what", "channel")
    list_filter = ("action", "channel", "region")
    search_fields = ("username", "client_code")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: models.AccessLog | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: models.AccessLog | None = None
    ) -> bool:
        return False


@admin.register(models.Device)
class DeviceAdmin(admin.ModelAdmin[models.Device]):
    list_display = ("label", "kind", "serial_number", "organisation", "status")
    list_filter = ("kind", "status")
    search_fields = ("label", "serial_number")
    readonly_fields = ("status", "version")


@admin.register(models.SkillsSession)
class SkillsSessionAdmin(admin.ModelAdmin[models.SkillsSession]):
    list_display = ("title", "starts_at", "organisation", "capacity")
    list_filter = ("region",)
    readonly_fields = ("version",)


@admin.register(models.OrganisationLegalBasis)
class OrganisationLegalBasisAdmin(admin.ModelAdmin[models.OrganisationLegalBasis]):
    list_display = ("organisation", "purpose", "reference", "recorded_at", "withdrawn_on")
    list_filter = ("purpose",)
    readonly_fields = ("recorded_by", "recorded_at")
