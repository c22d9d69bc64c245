from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest

from regie.core.models import AuditEntry

if TYPE_CHECKING:
    # django-simple-history ships no types; its admin is a ModelAdmin with a history view.
    HistoryAdmin = admin.ModelAdmin
else:
    from simple_history.admin import SimpleHistoryAdmin as HistoryAdmin

__all__ = ["AuditEntryAdmin", "HistoryAdmin"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ("at", "actor", "action", "object_repr")
    list_filter = ("action",)
    search_fields = ("object_repr", "actor__username", "action")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
